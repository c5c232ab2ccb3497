// Step 1, the contacts: the main phone (mandatory), another phone, the e-mail.
// Presentation only: desk checks them (wizard_check_step).
import { h } from "../dom";
import { t } from "../i18n";
import type { WizardContext } from "./form";

export class ContactsStep {
  constructor(private readonly ctx: WizardContext) {}

  section(): HTMLElement {
    const { draft, form } = this.ctx;
    const i = draft.input;
    return form.section(
      t("wizardContacts"),
      h(
        "div",
        { class: "field-row" },
        form.input("phone", t("wizardPhone"), () => i.phone, (v) => (i.phone = v), { required: true, type: "tel", hint: t("wizardPhoneHint") }),
        form.input("extra_phone", t("wizardExtraPhone"), () => i.extra_phone, (v) => (i.extra_phone = v), { type: "tel" }),
        form.input("email", t("wizardEmail"), () => i.email, (v) => (i.email = v), { type: "email" }),
      ),
    );
  }
}
