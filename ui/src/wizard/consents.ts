// Step 3, what the parent agrees to: the three consents and the
// notifications. Presentation only: desk checks them before signing.
import { entries } from "../catalogue";
import { h } from "../dom";
import { t, type PlainId } from "../i18n";
import { fieldId, pick, type WizardContext } from "./form";

type ConsentKey = "consent_admission_rules" | "consent_portal_terms" | "consent_personal_data";

export class ConsentsStep {
  constructor(private readonly ctx: WizardContext) {}

  section(): HTMLElement {
    const ctx = this.ctx;
    const d = ctx.draft;
    const consent = (key: ConsentKey, text: PlainId) => {
      const box = h("input", { id: fieldId(key), type: "checkbox", checked: d.input[key] });
      box.addEventListener("change", () => {
        d.input[key] = box.checked;
        ctx.form.clearError("consents", null);
        ctx.persist();
      });
      return h("label", { class: "check" }, box, " ", t(text));
    };
    const notify = h(
      "select",
      { id: fieldId("notifications") },
      ...entries("languages").map((e) => h("option", { value: e.key, selected: e.key === d.input.notifications }, pick(e.kk, e.ru))),
      h("option", { value: "", selected: d.input.notifications === "" }, t("wizard-no-notifications")),
    );
    notify.addEventListener("change", () => {
      d.input.notifications = notify.value;
      ctx.persist();
      ctx.render();
      ctx.focus(`#${notify.id}`);
    });
    // how they are sent; not asked when none are wanted.
    const channel = h(
      "select",
      {
        id: fieldId("notification_channel"),
        disabled: d.input.notifications === "",
        "aria-invalid": ctx.errors.has("notification_channel") ? "true" : undefined,
        "aria-describedby": ctx.errors.has("notification_channel") ? `${fieldId("notification_channel")}-error` : undefined,
      },
      ...entries("notification_channels").map((e) => h("option", { value: e.key, selected: e.key === d.input.notification_channel }, pick(e.kk, e.ru))),
    );
    channel.addEventListener("change", () => {
      d.input.notification_channel = channel.value;
      ctx.form.clearError("notification_channel", channel);
      ctx.persist();
    });
    return ctx.form.section(
      t("wizard-consents"),
      consent("consent_admission_rules", "wizard-consent-rules"),
      consent("consent_portal_terms", "wizard-consent-terms"),
      consent("consent_personal_data", "wizard-consent-personal"),
      ctx.form.errorFor("consents"),
      h(
        "div",
        { class: "field-row" },
        h("div", { class: "field" }, h("label", { for: notify.id }, t("wizard-notifications")), notify),
        h("div", { class: "field" }, h("label", { for: channel.id }, t("wizard-notification-channel")), channel, ctx.form.errorFor("notification_channel")),
      ),
    );
  }
}
