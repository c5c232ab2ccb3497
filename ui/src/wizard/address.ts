// Step 1, where the child lives: the registered address and its micro-district (R-15…R-17:
// the message when it has none, «Редакциялау» after the clerk takes responsibility, the
// micro-district chosen and «Сақтау», «Микротелімдерді біріктіру» → «Біріктіру») and the
// temporary registration. Presentation only: desk decides what is bound and checks.
import { h } from "../dom";
import { t } from "../i18n";
import { ActualAddress } from "./actual-address";
import { fieldId, pick, type WizardContext } from "./form";

export class AddressStep {
  private readonly actual: ActualAddress;

  constructor(private readonly ctx: WizardContext) {
    this.actual = new ActualAddress(ctx);
  }

  sections(): HTMLElement[] {
    return [this.registered(), this.actual.section(), this.temporary()];
  }

  /** The registered address and its micro-district (R-15…R-17). */
  private registered(): HTMLElement {
    const { draft: d, form, microDistricts } = this.ctx;
    const child = d.input.child;
    const known = Boolean(d.lookup?.child);
    const md = microDistricts.find((m) => m.id === child.micro_district_id);
    const parts: Array<HTMLElement | null> = [];
    parts.push(
      h(
        "div",
        { class: "field-row" },
        form.input("child.registered_address", t("wizard-registered-address"), () => child.registered_address, (v) => (child.registered_address = v), {
          required: true,
          readonly: known && !d.editing,
          wide: true,
        }),
      ),
    );
    if (md) {
      parts.push(
        h(
          "p",
          { id: "wizard-md", class: "md-line" },
          h("span", { class: "md-label" }, t("wizard-micro-district") + ": "),
          h("strong", {}, pick(md.name_kk, md.name_ru)),
          d.bound ? h("span", { class: "md-bound" }, " · " + t("wizard-bound-note")) : null,
        ),
      );
    } else if (!d.editing) {
      const edit = h("button", { id: "wizard-edit", type: "button", class: "secondary" }, t("wizard-edit"));
      edit.addEventListener("click", () => void this.startEditing());
      parts.push(h("div", { id: "wizard-md-missing", class: "notice" }, h("p", {}, t("wizard-no-micro-district")), edit));
      if (d.mdSaved && d.mdChoice) {
        const chosen = microDistricts.find((m) => m.id === d.mdChoice);
        const bind = h("button", { id: "wizard-bind", type: "button", class: "primary" }, t("wizard-bind"));
        bind.addEventListener("click", () => void this.bind());
        parts.push(
          h(
            "div",
            { class: "notice" },
            h("p", {}, t("wizard-chosen-micro-district", { name: chosen ? pick(chosen.name_kk, chosen.name_ru) : d.mdChoice })),
            bind,
          ),
        );
      }
    }
    if (d.editing) parts.push(this.choice());
    parts.push(form.errorFor("child.micro_district_id"));
    return form.section(t("wizard-address"), ...parts);
  }

  /** While editing: the micro-district chosen from the list, kept by «Сақтау». */
  private choice(): HTMLElement {
    const ctx = this.ctx;
    const d = ctx.draft;
    const select = h(
      "select",
      { id: fieldId("md-choice"), "data-field": "md-choice" },
      h("option", { value: "" }, t("wizard-pick-micro-district")),
      ...ctx.microDistricts.map((m) => h("option", { value: m.id, selected: m.id === d.mdChoice }, pick(m.name_kk, m.name_ru))),
    );
    select.addEventListener("change", () => {
      d.mdChoice = select.value;
      ctx.persist();
    });
    const save = h("button", { id: "wizard-md-save", type: "button", class: "primary" }, t("wizard-save"));
    save.addEventListener("click", () => {
      if (!d.mdChoice) {
        ctx.errors.set("md-choice", t("wizard-pick-micro-district"));
        ctx.render();
        return;
      }
      d.editing = false;
      d.mdSaved = true;
      ctx.persist();
      ctx.render();
      ctx.focus("#wizard-bind");
    });
    return h(
      "div",
      { class: "notice editing" },
      h("div", { class: "field" }, h("label", { for: select.id }, t("wizard-micro-district")), select, ctx.form.errorFor("md-choice")),
      save,
    );
  }

  private temporary(): HTMLElement {
    const { draft: d, form } = this.ctx;
    const box = h("input", { id: "wz-temporary", type: "checkbox", checked: d.temporary });
    box.addEventListener("change", () => void this.toggleTemporary(box));
    const parts: Array<HTMLElement | null> = [h("label", { class: "check" }, box, " ", t("wizard-temporary"))];
    if (d.temporary) {
      parts.push(
        h(
          "div",
          { class: "field-row" },
          form.input("temporary_registration.address", t("wizard-temp-address"), () => d.temp.address, (v) => (d.temp.address = v), { required: true, wide: true }),
          form.input("temporary_registration.from", t("wizard-temp-from"), () => d.temp.from, (v) => (d.temp.from = v), { required: true, date: true }),
          form.input("temporary_registration.until", t("wizard-temp-until"), () => d.temp.until, (v) => (d.temp.until = v), { required: true, date: true }),
        ),
      );
    }
    parts.push(form.errorFor("temporary_registration"));
    return form.section(t("wizard-temporary-title"), ...parts);
  }

  /** «Редакциялау»: the clerk first takes responsibility for changing the child's data. */
  private async startEditing(): Promise<void> {
    const ctx = this.ctx;
    const ok = await ctx.modal(t("wizard-responsibility-title"), t("wizard-responsibility"), t("wizard-confirm"), t("wizard-cancel"));
    if (!ok) return;
    ctx.draft.editing = true;
    ctx.draft.mdChoice = ctx.draft.mdChoice || ctx.draft.input.child.micro_district_id || "";
    ctx.persist();
    ctx.render();
    ctx.focus("#wz-md-choice");
  }

  /** «Микротелімдерді біріктіру» → «Біріктіру»: the binding, signed with the application, reaches the portal first. */
  private async bind(): Promise<void> {
    const ctx = this.ctx;
    const d = ctx.draft;
    const chosen = ctx.microDistricts.find((m) => m.id === d.mdChoice);
    const text = t("wizard-bind-confirm", {
      address: d.input.child.registered_address || "—",
      name: chosen ? pick(chosen.name_kk, chosen.name_ru) : d.mdChoice,
    });
    const ok = await ctx.modal(t("wizard-bind"), text, t("wizard-bind-button"), t("wizard-cancel"));
    if (!ok) return;
    d.input.child.micro_district_id = d.mdChoice;
    // the binding is the clerk's own act (the responsibility confirmed at
    // «Редакциялау»): desk signs it and sends it to the portal before the application.
    d.input.child.binding = { micro_district_id: d.mdChoice, responsibility_confirmed: true };
    d.bound = true;
    d.mdSaved = false;
    ctx.errors.delete("child.micro_district_id");
    ctx.persist();
    ctx.render();
    ctx.focus("#wizard-next");
  }

  /** The temporary registration checkbox: ticking it needs the responsibility confirmed. */
  private async toggleTemporary(box: HTMLInputElement): Promise<void> {
    const ctx = this.ctx;
    const d = ctx.draft;
    if (box.checked) {
      const ok = await ctx.modal(t("wizard-responsibility-title"), t("wizard-responsibility"), t("wizard-confirm"), t("wizard-cancel"));
      d.temporary = ok;
    } else {
      d.temporary = false;
    }
    ctx.errors.delete("temporary_registration");
    ctx.persist();
    ctx.render();
    ctx.focus(d.temporary ? `#${fieldId("temporary_registration.address")}` : "#wz-temporary");
  }
}
