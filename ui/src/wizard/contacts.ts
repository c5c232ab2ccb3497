// Step 1, the contacts: the main phone (mandatory), another phone, the e-mail;
// «Код жіберу» to the main phone and the e-mail, the 4 digits the parent reads out typed
// by the clerk, «Растау»; resend after the cool-down desk keeps. Offline the contacts
// stay «расталмаған» and the submission waits until they are confirmed on the
// application. Presentation only: desk checks the fields and talks to the portal.
import { CommandError, FormError, walkInApi } from "../api";
import { errorText } from "../catalogue";
import { h } from "../dom";
import { t } from "../i18n";
import type { ContactCode } from "./draft";
import type { WizardContext } from "./form";

type Channel = "sms" | "email";

export class ContactsStep {
  private ticker: number | undefined;
  /** The last refusal of each code row, its text made at every render (kk/ru switch). */
  private readonly failures = new Map<string, CommandError>();

  constructor(private readonly ctx: WizardContext) {}

  section(): HTMLElement {
    const { draft, form } = this.ctx;
    const i = draft.input;
    const edited = (channel: Channel) => {
      // Another number or address is not the one confirmed.
      const c = draft.codes[channel];
      if (c && c.confirmed) draft.codes[channel] = null;
    };
    return form.section(
      t("wizardContacts"),
      h(
        "div",
        { class: "field-row" },
        form.input(
          "phone",
          t("wizardPhone"),
          () => i.phone,
          (v) => {
            i.phone = v;
            edited("sms");
          },
          { required: true, type: "tel", hint: t("wizardPhoneHint") },
        ),
        form.input("extra_phone", t("wizardExtraPhone"), () => i.extra_phone, (v) => (i.extra_phone = v), { type: "tel" }),
        form.input(
          "email",
          t("wizardEmail"),
          () => i.email,
          (v) => {
            i.email = v;
            edited("email");
          },
          { type: "email" },
        ),
      ),
      this.codeRow("sms"),
      i.email.trim() ? this.codeRow("email") : null,
    );
  }

  /** «Код жіберу», the code typed and «Растау» for one contact. */
  private codeRow(channel: Channel): HTMLElement {
    const ctx = this.ctx;
    const c = ctx.draft.codes[channel];
    const field = channel === "sms" ? "phone_code" : "email_code";
    const status = h(
      "span",
      { id: `wizard-${channel}-status`, class: c?.confirmed ? "badge badge-ok" : "badge badge-warn", "data-confirmed": String(Boolean(c?.confirmed)) },
      `${channel === "sms" ? t("wizardPhone") : t("wizardEmail")}: ${c?.confirmed ? t("walkInConfirmed") : t("walkInUnconfirmed")}`,
    );
    if (c?.confirmed) return h("div", { class: "code-row" }, status);
    const wait = c ? Math.ceil((c.resend_at - Date.now()) / 1000) : 0;
    const send = h(
      "button",
      { id: `wizard-${channel}-send`, type: "button", class: "secondary", disabled: wait > 0 },
      wait > 0 ? t("walkInResendIn", { s: wait }) : t("walkInSendCode"),
    );
    send.addEventListener("click", () => void this.send(channel));
    const parts: Array<HTMLElement | null> = [status, send];
    if (c) {
      const input = h("input", { id: `wz-${channel}-code`, inputmode: "numeric", maxlength: "4", autocomplete: "one-time-code", "data-field": field });
      input.value = c.typed;
      input.addEventListener("input", () => {
        c.typed = input.value;
        ctx.persist();
      });
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          void this.check(channel);
        }
      });
      const ok = h("button", { id: `wizard-${channel}-confirm`, type: "button", class: "primary" }, t("walkInConfirmCode"));
      ok.addEventListener("click", () => void this.check(channel));
      parts.push(
        h("div", { class: "field" }, h("label", { for: input.id }, t("walkInCodeLabel")), input),
        ok,
        h("span", { class: "field-hint" }, t("walkInCodeSent", { to: c.destination })),
      );
      if (wait > 0) this.tick();
    }
    const failure = this.failures.get(field);
    if (failure) ctx.errors.set(field, errorText(failure));
    return h("div", { class: "code-row" }, ...parts, ctx.form.errorFor(field));
  }

  /** Once a second while a cool-down runs, the button's countdown — the button only:
   *  the step is not drawn again, so the code being typed keeps its field and focus. */
  private tick(): void {
    if (this.ticker !== undefined) return;
    this.ticker = window.setTimeout(() => {
      this.ticker = undefined;
      let running = false;
      for (const channel of ["sms", "email"] as const) {
        const c = this.ctx.draft.codes[channel];
        const button = document.getElementById(`wizard-${channel}-send`);
        if (!c || c.confirmed || !(button instanceof HTMLButtonElement)) continue;
        const wait = Math.ceil((c.resend_at - Date.now()) / 1000);
        button.disabled = wait > 0;
        button.textContent = wait > 0 ? t("walkInResendIn", { s: wait }) : t("walkInSendCode");
        running ||= wait > 0;
      }
      if (running) this.tick();
    }, 1000);
  }

  private async send(channel: Channel): Promise<void> {
    const ctx = this.ctx;
    const field = channel === "sms" ? "phone_code" : "email_code";
    const contact = channel === "sms" ? ctx.draft.input.phone : ctx.draft.input.email;
    try {
      const sent = await walkInApi.sendCode(channel, contact);
      const code: ContactCode = {
        code_id: sent.code_id,
        destination: sent.destination,
        resend_at: Date.now() + sent.resend_after_seconds * 1000,
        typed: "",
        confirmed: false,
      };
      ctx.draft.codes[channel] = code;
      this.failures.delete(field);
      ctx.errors.delete(field);
      ctx.persist();
      ctx.render();
      ctx.focus(`#wz-${channel}-code`);
    } catch (e) {
      this.fail(field, e);
    }
  }

  private async check(channel: Channel): Promise<void> {
    const ctx = this.ctx;
    const c = ctx.draft.codes[channel];
    const field = channel === "sms" ? "phone_code" : "email_code";
    if (!c) return;
    try {
      await walkInApi.checkCode(c.code_id, c.typed);
      c.confirmed = true;
      this.failures.delete(field);
      ctx.errors.delete(field);
      ctx.persist();
      ctx.render();
      ctx.focus(channel === "sms" && ctx.draft.input.email.trim() ? "#wizard-email-send" : "#wizard-next");
    } catch (e) {
      this.fail(field, e);
      ctx.focus(`#wz-${channel}-code`);
    }
  }

  private fail(field: string, e: unknown): void {
    const ctx = this.ctx;
    if (e instanceof FormError && e.fields.length > 0) {
      // A wrong phone or e-mail: the error stands next to that field.
      ctx.showErrors(e);
      ctx.render();
      return;
    }
    if (e instanceof CommandError) this.failures.set(field, e);
    ctx.errors.set(field, e instanceof CommandError ? errorText(e) : String(e));
    ctx.render();
  }
}
