// Step 1, the actual residential address (R-24, issue 11): street and house looked up in
// the address register, a drop-down of the full addresses, beside the registered one.
// Offline the clerk types it. Presentation only: desk asks the portal (walk_in_addresses).
import { CommandError, walkInApi } from "../api";
import { errorText } from "../catalogue";
import { h } from "../dom";
import type { AddressChoiceView } from "../generated";
import { t } from "../i18n";
import { pick, type WizardContext } from "./form";

export class ActualAddress {
  private choices: AddressChoiceView[] | null = null;
  private problem: string | null = null;

  constructor(private readonly ctx: WizardContext) {}

  section(): HTMLElement {
    const { draft: d, form } = this.ctx;
    const find = h("button", { id: "wizard-actual-find", type: "button", class: "secondary" }, t("walk-in-find-address"));
    find.addEventListener("click", () => void this.find());
    const parts: Array<HTMLElement | null> = [
      h(
        "div",
        { class: "field-row" },
        form.input("actual.street", t("walk-in-street"), () => d.actual.street, (v) => (d.actual.street = v)),
        form.input("actual.house", t("walk-in-house"), () => d.actual.house, (v) => (d.actual.house = v)),
        h("div", { class: "field field-action" }, find),
      ),
    ];
    if (this.choices && this.choices.length > 0) {
      const select = h(
        "select",
        { id: "wz-actual-choice", "aria-label": t("walk-in-pick-address") },
        h("option", { value: "" }, t("walk-in-pick-address")),
        ...this.choices.map((a) => h("option", { value: a.id, selected: pick(a.full_kk, a.full_ru) === d.input.actual_address }, pick(a.full_kk, a.full_ru))),
      );
      select.addEventListener("change", () => {
        const a = this.choices?.find((c) => c.id === select.value);
        if (!a) return;
        d.input.actual_address = pick(a.full_kk, a.full_ru);
        this.ctx.persist();
        this.ctx.render();
        this.ctx.focus("#wz-actual_address");
      });
      parts.push(h("div", { class: "field wide" }, select));
    } else if (this.choices) {
      parts.push(h("p", { class: "field-hint", id: "wizard-actual-none" }, t("walk-in-no-address")));
    }
    if (this.problem) parts.push(h("p", { class: "field-hint warn", role: "status" }, this.problem));
    parts.push(
      h(
        "div",
        { class: "field-row" },
        form.input("actual_address", t("walk-in-actual-address"), () => d.input.actual_address, (v) => (d.input.actual_address = v), { wide: true }),
      ),
    );
    return form.section(t("walk-in-actual-address"), ...parts);
  }

  private async find(): Promise<void> {
    const d = this.ctx.draft;
    try {
      this.choices = await walkInApi.addresses(d.actual.street, d.actual.house);
      this.problem = null;
    } catch (e) {
      this.choices = null;
      this.problem = e instanceof CommandError ? errorText(e) : String(e);
    }
    this.ctx.render();
    this.ctx.focus(this.choices && this.choices.length > 0 ? "#wz-actual-choice" : "#wz-actual-street");
  }
}
