// The sign-in view: district or city, "By IIN" with IIN + password, "Sign in".
// Shown instead of the journal whenever nobody is signed in (issue 16: the journal opens
// only after a sign-in; Rust refuses every journal command before it), after sign-out,
// and when the portal asked for a new sign-in. Errors (wrong password, wrong district,
// portal out of reach) stand next to the form in the clerk's language; what was typed
// stays (the password is cleared only after a wrong one). With the portal out of reach a
// clerk who signed in online on this desk before signs in offline — with the password,
// never without it.
import { api, CommandError } from "./api";
import { errorText } from "./catalogue";
import { byId, h } from "./dom";
import type { SignInForm } from "./generated";
import { lang, t, type StringKey } from "./i18n";

export interface SignInEvents {
  /** Signed in: show the journal. */
  done(): void;
}

export class SignInView {
  private form: SignInForm | null = null;
  private error: CommandError | null = null;
  /** A mistake found before asking the portal, by its string key (re-translated on switch). */
  private localError: StringKey | null = null;
  private busy = false;
  private readonly root: HTMLElement;
  private readonly district = h("select", { id: "signin-district", required: true });
  private readonly iin = h("input", {
    id: "signin-iin",
    type: "text",
    inputmode: "numeric",
    autocomplete: "username",
    maxlength: 12,
    spellcheck: "false",
  });
  private readonly password = h("input", { id: "signin-password", type: "password", autocomplete: "current-password" });

  constructor(private readonly events: SignInEvents) {
    this.root = h("section", { id: "signin", class: "signin", hidden: true, "aria-labelledby": "signin-title" });
    byId("app").insertBefore(this.root, byId("status-bar"));
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  async open(): Promise<void> {
    this.form = await api.signInForm();
    document.querySelector<HTMLElement>("#detail")?.setAttribute("hidden", "");
    if (this.iin.value === "") this.iin.value = this.form.demo_iin ?? this.form.earlier_iin ?? "";
    if (this.password.value === "" && this.form.demo_password) this.password.value = this.form.demo_password;
    document.querySelector<HTMLElement>(".work")?.setAttribute("hidden", "");
    this.root.hidden = false;
    document.body.dataset.view = "signin";
    this.render();
    (this.iin.value === "" ? this.iin : this.password).focus();
  }

  private close(): void {
    this.root.hidden = true;
    document.querySelector<HTMLElement>(".work")?.removeAttribute("hidden");
    document.body.dataset.view = "journal";
    this.events.done();
  }

  render(): void {
    const f = this.form;
    if (!f) return;
    const name = (d: { name_kk: string; name_ru: string }) => (lang() === "ru" ? d.name_ru : d.name_kk);
    const chosen = this.district.value || f.district_id || "";
    this.district.replaceChildren(
      h("option", { value: "" }, t("signInDistrictPick")),
      ...f.districts.map((d) => h("option", { value: d.id }, name(d))),
    );
    this.district.value = chosen;

    const submit = h("button", { type: "submit", id: "signin-submit", class: "primary", disabled: this.busy }, this.busy ? t("signInBusy") : t("signInButton"));
    const text = this.localError ? t(this.localError) : this.error ? errorText(this.error) : null;
    const error = h(
      "div",
      { id: "signin-error", class: "signin-error", role: "alert", hidden: text === null, "data-code": this.error?.code ?? this.localError },
      text ?? "",
    );

    const earlier =
      f.earlier_iin !== null
        ? h("p", { class: "signin-earlier", id: "signin-earlier" }, t("signInEarlier", { name: f.earlier_name ?? f.earlier_iin }))
        : null;

    const form = h(
      "form",
      { class: "signin-form", novalidate: true },
      h("label", { class: "field" }, h("span", {}, t("signInDistrict")), this.district),
      h(
        "div",
        { class: "signin-method", role: "group" },
        h("button", { type: "button", class: "method", "aria-pressed": "true", tabindex: -1 }, t("signInByIin")),
      ),
      h("label", { class: "field" }, h("span", {}, t("signInIin")), this.iin),
      h("label", { class: "field" }, h("span", {}, t("signInPassword")), this.password),
      error,
      submit,
      f.demo_iin ? h("p", { class: "signin-demo", id: "signin-demo" }, t("signInDemo")) : null,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });

    this.root.replaceChildren(
      h(
        "div",
        { class: "signin-card" },
        h("h2", { id: "signin-title" }, t("signInTitle")),
        f.portal_url ? h("p", { class: "signin-portal" }, `${t("signInPortal")}: `, h("span", { class: "mono" }, f.portal_url)) : null,
        earlier,
        form,
        f.portal_configured ? h("p", { class: "signin-offline", id: "signin-offline-note" }, t("signInOfflineNote")) : null,
      ),
    );
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    const iin = this.iin.value.replace(/\s+/g, "");
    if (!/^\d{12}$/.test(iin)) {
      this.showLocal("signInIinInvalid", this.iin);
      return;
    }
    if (this.password.value === "") {
      this.showLocal("signInPasswordEmpty", this.password);
      return;
    }
    this.busy = true;
    this.error = null;
    this.localError = null;
    this.render();
    try {
      await api.signIn(iin, this.password.value, this.district.value || null);
      this.password.value = "";
      this.busy = false;
      this.close();
    } catch (e) {
      this.busy = false;
      const err = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      // Only a wrong password clears the password field; nothing else typed is lost.
      const wrongPassword = err.code === "CREDENTIALS_INVALID" || err.code === "VAULT_WRONG_PASSWORD";
      if (wrongPassword) this.password.value = "";
      const aboutPassword = wrongPassword || err.code === "PASSWORD_EMPTY" || err.code === "VAULT_WAIT";
      const at = err.code.startsWith("DISTRICT_") ? this.district : aboutPassword ? this.password : this.iin;
      this.showError(err, at);
    }
  }

  private showLocal(key: StringKey, focus: HTMLElement): void {
    this.error = null;
    this.localError = key;
    this.render();
    focus.focus();
  }

  private showError(e: CommandError, focus: HTMLElement): void {
    this.localError = null;
    this.error = e;
    this.render();
    focus.focus();
  }
}
