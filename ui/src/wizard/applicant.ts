// Step 1, the people: the applicant (the parent) and the child, with «ЖСН-ды тексеру»
// for the child's IIN filling in what is known. Presentation only: desk looks
// the IIN up and checks the fields (wizard_child_lookup, wizard_check_step).
import { wizardApi } from "../api";
import { h } from "../dom";
import { isoDate } from "../format";
import { t } from "../i18n";
import type { WizardContext } from "./form";
import { checkedBadge, lookUp } from "./register";

export class ApplicantStep {
  constructor(private readonly ctx: WizardContext) {}

  /** The applicant's section and the child's. */
  sections(): HTMLElement[] {
    const { draft: d, form } = this.ctx;
    const i = d.input;
    // The applicant: «ЖСН-ды тексеру» in the population register.
    const checkApplicant = h("button", { id: "wizard-check-applicant", type: "button", class: "secondary" }, t("wizard-check-iin"));
    checkApplicant.addEventListener("click", () => void this.checkApplicant());
    const applicant = form.section(
      t("wizard-applicant"),
      h("div", { class: "field-row" }, ...form.person("applicant", i.applicant), h("div", { class: "field field-action" }, checkApplicant)),
      h("p", { class: "lookup-facts" }, checkedBadge(this.ctx, "applicant")),
    );

    // The child: IIN with «ЖСН-ды тексеру».
    const check = h("button", { id: "wizard-check-iin", type: "button", class: "secondary" }, t("wizard-check-iin"));
    check.addEventListener("click", () => void this.checkIin());
    const iinField = form.input(
      "child.person.iin",
      t("wizard-child-iin"),
      () => i.child.person.iin,
      (v) => {
        i.child.person.iin = v;
        if (d.lookup && d.lookup.iin !== v.trim()) d.lookup = null;
        d.checked.child = false;
      },
      { required: true, inputmode: "numeric" },
    );
    iinField.querySelector("input")?.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void this.checkIin();
      }
    });
    const facts = d.lookup
      ? h(
          "p",
          { id: "wizard-lookup", class: "lookup-facts", role: "status" },
          t("wizard-born", { date: isoDate(d.lookup.birth_date), sex: t(d.lookup.sex === "female" ? "wizard-female" : "wizard-male") }),
          " · ",
          d.checked.child ? t("walk-in-from-register") : d.lookup.child ? t("wizard-known-child") : t("wizard-unknown-child"),
        )
      : null;
    const child = form.section(
      t("wizard-child"),
      h("div", { class: "field-row" }, iinField, h("div", { class: "field field-action" }, check)),
      facts,
      h("p", { class: "lookup-facts" }, checkedBadge(this.ctx, "child")),
      h(
        "div",
        { class: "field-row" },
        ...form.person("child.person", i.child.person, false),
        form.input("child.birth_certificate", t("wizard-birth-certificate"), () => i.child.birth_certificate, (v) => (i.child.birth_certificate = v), { required: true }),
      ),
    );
    return [applicant, child];
  }

  /** the applicant from the population register. */
  private async checkApplicant(): Promise<void> {
    const ctx = this.ctx;
    const found = await lookUp(ctx, "applicant", ctx.draft.input.applicant.iin);
    ctx.render();
    if (found) ctx.focus("#wz-child-person-iin");
    else ctx.focusFirst();
  }

  private async checkIin(): Promise<void> {
    const ctx = this.ctx;
    const d = ctx.draft;
    const child = d.input.child;
    // the population register first; out of reach, what this journal knows.
    const registered = await lookUp(ctx, "child", child.person.iin);
    if (registered) {
      d.lookup = {
        iin: registered.person.iin,
        birth_date: registered.birth_date,
        sex: registered.sex,
        child: null,
        micro_district_kk: registered.micro_district_kk,
        micro_district_ru: registered.micro_district_ru,
        // desk says when the message shows (needs_binding).
        shows_no_micro_district: registered.needs_binding,
      };
      ctx.persist();
      ctx.render();
      if (registered.needs_binding) {
        // the registered address belongs to no micro-district.
        await ctx.modal(t("wizard-no-micro-district-title"), t("wizard-no-micro-district"), t("wizard-ok"), null);
        ctx.focus("#wizard-edit");
      } else {
        ctx.focus("#wz-phone");
      }
      return;
    }
    if (ctx.errors.has("child.person.iin")) {
      ctx.render();
      ctx.focusFirst();
      return;
    }
    try {
      const found = await wizardApi.childLookup(child.person.iin.trim());
      d.lookup = found;
      ctx.errors.delete("child.person.iin");
      if (found.child) {
        // filled from what is known; the clerk may still correct them.
        child.person = { ...found.child.person };
        child.birth_certificate = found.child.birth_certificate;
        child.registered_address = found.child.registered_address;
        child.registered_address_id = found.child.registered_address_id;
        child.micro_district_id = found.child.micro_district_id;
        d.bound = false;
      }
      ctx.persist();
      ctx.render();
      if (found.shows_no_micro_district) {
        // the registered address belongs to no micro-district.
        await ctx.modal(t("wizard-no-micro-district-title"), t("wizard-no-micro-district"), t("wizard-ok"), null);
        ctx.focus("#wizard-edit");
      } else {
        ctx.focus(found.child ? "#wz-phone" : "#wz-child-person-surname");
      }
    } catch (e) {
      ctx.showErrors(e);
      ctx.render();
      ctx.focusFirst();
    }
  }
}
