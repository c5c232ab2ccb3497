// The sign-in view (R-1, R-3): district or city, "By IIN" with IIN + password, "Sign in".
// Shown instead of the journal whenever nobody is signed in (issue 16: the journal opens
// only after a sign-in; Rust refuses every journal command before it), after sign-out,
// and when the portal asked for a new sign-in. Errors (wrong password, wrong district,
// portal out of reach) stand next to the form in the clerk's language; what was typed
// stays (the password is cleared only after a wrong one). With the portal out of reach a
// clerk who signed in online on this desk before signs in offline — with the password,
// never without it.
import { api, CommandError } from "./api";
import { errorText } from "./catalogue";
import { backupOffer, DAMAGED_CODES } from "./settings";
import { byId, h } from "./dom";
import type { KeyChoice, SignInForm, TokenView } from "./generated";
import { lang, t, type PlainId } from "./i18n";

export interface SignInEvents {
  /** Signed in: show the journal. */
  done(): void;
}

export class SignInView {
  private form: SignInForm | null = null;
  private error: CommandError | null = null;
  /** A mistake found before asking the portal, by its string key (re-translated on switch). */
  private localError: PlainId | null = null;
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
  /** R-2, the first sign-in: the e-mail, then the 4-digit code sent to it. */
  private step: "password" | "email" | "code" = "password";
  private readonly email = h("input", { id: "signin-email", type: "email", autocomplete: "email", spellcheck: "false" });
  private readonly code = h("input", { id: "signin-code", type: "text", inputmode: "numeric", maxlength: 4, autocomplete: "one-time-code" });
  private sentTo = "";
  /** R-1: by IIN + password, or by EDS (the portal's challenge signed with the authentication key). */
  private method: "iin" | "eds" = "iin";
  /** EDS: `token:<label>`, `file` or `ncalayer`. */
  private readonly edsKey = h("select", { id: "signin-eds-key" });
  /** The picked key file's name; the desk knows it only by the dialog's handle (issue 15). */
  private readonly edsPath = h("input", { id: "signin-eds-path", type: "text", readonly: true, autocomplete: "off", spellcheck: "false", placeholder: "AUTH_RSA256_….p12" });
  private edsFile = "";
  /** The token's PIN or the key file's password: cleared after every try, never kept. */
  private readonly edsSecret = h("input", { id: "signin-eds-secret", type: "password", autocomplete: "off" });
  /** Asked once when the key does not open the journal on this desk (EDS_PASSWORD_NEEDED). */
  private readonly edsPassword = h("input", { id: "signin-eds-password", type: "password", autocomplete: "current-password" });
  private edsPasswordAsked = false;
  private tokens: TokenView[] | null = null;
  private ncalayer: string | null = null;

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
    if (this.step !== "password") {
      this.renderEmailStep();
      return;
    }
    const name = (d: { name_kk: string; name_ru: string }) => (lang() === "ru" ? d.name_ru : d.name_kk);
    const chosen = this.district.value || f.district_id || "";
    this.district.replaceChildren(
      h("option", { value: "" }, t("sign-in-district-pick")),
      ...f.districts.map((d) => h("option", { value: d.id }, name(d))),
    );
    this.district.value = chosen;

    const submit = h("button", { type: "submit", id: "signin-submit", class: "primary", disabled: this.busy }, this.busy ? t("sign-in-busy") : t("sign-in-button"));
    const text = this.localError ? t(this.localError) : this.error ? errorText(this.error) : null;
    const error = h(
      "div",
      { id: "signin-error", class: "signin-error", role: "alert", hidden: text === null, "data-code": this.error?.code ?? this.localError },
      text ?? "",
    );

    const earlier =
      f.earlier_iin !== null
        ? h("p", { class: "signin-earlier", id: "signin-earlier" }, t("sign-in-earlier", { name: f.earlier_name ?? f.earlier_iin }))
        : null;

    const methodButton = (m: "iin" | "eds", label: string) => {
      const b = h("button", { type: "button", class: "method", id: `signin-method-${m}`, "aria-pressed": String(this.method === m) }, label);
      b.addEventListener("click", () => {
        if (this.method === m) return;
        this.method = m;
        this.error = null;
        this.localError = null;
        if (m === "eds") void this.loadKeys();
        this.render();
      });
      return b;
    };
    const fields =
      this.method === "iin"
        ? [
            h("label", { class: "field" }, h("span", {}, t("sign-in-iin")), this.iin),
            h("label", { class: "field" }, h("span", {}, t("sign-in-password")), this.password),
          ]
        : this.edsFields();
    const form = h(
      "form",
      { class: "signin-form", novalidate: true },
      h("label", { class: "field" }, h("span", {}, t("sign-in-district")), this.district),
      h("div", { class: "signin-method", role: "group" }, methodButton("iin", t("sign-in-by-iin")), methodButton("eds", t("sign-in-by-eds"))),
      ...fields,
      error,
      // The key opened, the journal did not (damaged): the latest backup is offered.
      this.error && DAMAGED_CODES.includes(this.error.code) ? backupOffer() : null,
      submit,
      f.demo_iin ? h("p", { class: "signin-demo", id: "signin-demo" }, t("sign-in-demo")) : null,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });

    this.root.replaceChildren(
      h(
        "div",
        { class: "signin-card" },
        h("h2", { id: "signin-title" }, t("sign-in-title")),
        f.portal_url ? h("p", { class: "signin-portal" }, `${t("sign-in-portal")}: `, h("span", { class: "mono" }, f.portal_url)) : null,
        earlier,
        form,
        f.portal_configured ? h("p", { class: "signin-offline", id: "signin-offline-note" }, t("sign-in-offline-note")) : null,
      ),
    );
  }

  /** EDS: the key (tokens found, a key file, NCALayer when it answers), its PIN or password. */
  private edsFields(): HTMLElement[] {
    const chosen = this.edsKey.value || (this.tokens && this.tokens.length > 0 ? `token:${this.tokens[0]!.label}` : "file");
    const options: HTMLElement[] = (this.tokens ?? []).map((tok) =>
      h("option", { value: `token:${tok.label}` }, `${t("sign-in-eds-token")}: ${tok.label}${tok.certificates[0]?.common_name ? ` · ${tok.certificates[0].common_name}` : ""}`),
    );
    options.push(h("option", { value: "file" }, t("key-file")));
    if (this.ncalayer !== null) options.push(h("option", { value: "ncalayer" }, `NCALayer · ${t("ncalayer-version", { version: this.ncalayer })}`));
    this.edsKey.replaceChildren(...options);
    this.edsKey.value = chosen;
    if (this.edsKey.value === "") this.edsKey.value = "file";
    this.edsKey.onchange = () => this.render();
    const kind = this.edsKey.value;
    const out: HTMLElement[] = [
      h("label", { class: "field" }, h("span", {}, t("sign-in-eds-key")), this.edsKey),
      h("p", { class: "signin-portal", id: "signin-eds-hint" }, kind === "ncalayer" ? t("ncalayer-hint") : t("sign-in-eds-hint")),
    ];
    if (kind === "file") {
      const browse = h("button", { type: "button", class: "secondary", id: "signin-eds-browse", disabled: this.busy }, t("key-file-browse"));
      browse.addEventListener("click", () => {
        void api.pickKeyFile().then((picked) => {
          if (picked) {
            this.edsFile = picked.file;
            this.edsPath.value = picked.file_name;
          }
        });
      });
      out.push(h("label", { class: "field" }, h("span", {}, t("key-file-path")), h("div", { class: "dd-file-row" }, this.edsPath, browse)));
    }
    if (kind !== "ncalayer") out.push(h("label", { class: "field" }, h("span", {}, kind === "file" ? t("sign-in-eds-file-password") : t("sign-in-eds-pin")), this.edsSecret));
    if (this.edsPasswordAsked) out.push(h("label", { class: "field" }, h("span", {}, t("sign-in-eds-journal-password")), this.edsPassword));
    return out;
  }

  private async loadKeys(): Promise<void> {
    const [tokens, version] = await Promise.all([api.keyTokens().catch(() => [] as TokenView[]), api.ncalayerVersion().catch(() => null)]);
    this.tokens = tokens;
    this.ncalayer = version;
    this.render();
  }

  private edsChoice(): KeyChoice | null {
    const v = this.edsKey.value;
    if (v === "ncalayer") return { kind: "ncalayer", locale: lang() };
    if (v.startsWith("token:")) {
      const label = v.slice("token:".length);
      const tok = (this.tokens ?? []).find((x) => x.label === label);
      return { kind: "token", module: tok?.module ?? "", token_label: label };
    }
    return this.edsFile === "" ? null : { kind: "key_file", file: this.edsFile };
  }

  private async submitEds(): Promise<void> {
    const key = this.edsChoice();
    if (key === null) {
      this.showLocal("sign-in-eds-no-file", this.edsPath);
      return;
    }
    this.busy = true;
    this.error = null;
    this.localError = null;
    this.render();
    const secret = this.edsSecret.value;
    this.edsSecret.value = "";
    const password = this.edsPasswordAsked && this.edsPassword.value !== "" ? this.edsPassword.value : null;
    try {
      const v = await api.signInEds(key, secret, password, this.district.value || null);
      this.edsPassword.value = "";
      this.edsPasswordAsked = false;
      this.busy = false;
      if (v.state === "email_required") {
        this.step = "email";
        if (this.email.value === "") this.email.value = v.email ?? "";
        this.render();
        this.email.focus();
        return;
      }
      this.close();
    } catch (e) {
      this.busy = false;
      const err = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      if (err.code === "EDS_PASSWORD_NEEDED") this.edsPasswordAsked = true;
      if (err.code === "VAULT_WRONG_PASSWORD" || err.code === "CREDENTIALS_INVALID") this.edsPassword.value = "";
      this.localError = null;
      this.error = err;
      this.render();
      const at = err.place === "district"
        ? this.district
        : this.edsPasswordAsked && (err.code.startsWith("VAULT_") || err.code === "EDS_PASSWORD_NEEDED")
          ? this.edsPassword
          : this.edsKey.value === "file"
            ? this.edsPath
            : this.edsKey;
      at.focus();
    }
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    if (this.method === "eds") {
      await this.submitEds();
      return;
    }
    // desk checks the IIN (R-1: twelve digits, its date and check digit) and the password;
    // its code comes back next to the field it concerns.
    const iin = this.iin.value;
    this.busy = true;
    this.error = null;
    this.localError = null;
    this.render();
    try {
      const v = await api.signIn(iin, this.password.value, this.district.value || null);
      this.password.value = "";
      this.busy = false;
      if (v.state === "email_required") {
        // R-2: the first sign-in asks for the e-mail and confirms it with a code.
        this.step = "email";
        if (this.email.value === "") this.email.value = v.email ?? "";
        this.render();
        this.email.focus();
        return;
      }
      this.close();
    } catch (e) {
      this.busy = false;
      const err = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      // Only a wrong password clears the password field; nothing else typed is lost.
      const wrongPassword = err.code === "CREDENTIALS_INVALID" || err.code === "VAULT_WRONG_PASSWORD";
      if (wrongPassword) this.password.value = "";
      // Where desk placed it: the district, the password, else the IIN.
      const at = err.place === "district" ? this.district : err.place === "secret" ? this.password : this.iin;
      this.showError(err, at);
    }
  }

  /** R-2: the e-mail step and the code step of a first sign-in. */
  private renderEmailStep(): void {
    const text = this.error ? errorText(this.error) : null;
    const error = h(
      "div",
      { id: "signin-error", class: "signin-error", role: "alert", hidden: text === null, "data-code": this.error?.code ?? null },
      text ?? "",
    );
    const codeStep = this.step === "code";
    const submit = h(
      "button",
      { type: "submit", id: "signin-email-submit", class: "primary", disabled: this.busy },
      this.busy ? t("sign-in-busy") : codeStep ? t("sign-in-email-confirm") : t("sign-in-email-send"),
    );
    const form = h(
      "form",
      { class: "signin-form", novalidate: true },
      h("p", { class: "signin-portal" }, codeStep ? t("sign-in-code-hint", { email: this.sentTo }) : t("sign-in-email-hint")),
      codeStep
        ? h("label", { class: "field" }, h("span", {}, t("sign-in-code")), this.code)
        : h("label", { class: "field" }, h("span", {}, t("sign-in-email")), this.email),
      error,
      submit,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submitEmailStep();
    });
    this.root.replaceChildren(h("div", { class: "signin-card" }, h("h2", { id: "signin-title" }, t("sign-in-email-title")), form));
  }

  private async submitEmailStep(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.render();
    try {
      if (this.step === "email") {
        const v = await api.signInEmailSend(this.email.value);
        this.sentTo = v.email ?? this.email.value;
        this.step = "code";
        this.busy = false;
        this.render();
        this.code.focus();
        return;
      }
      await api.signInEmailConfirm(this.code.value);
      this.busy = false;
      this.step = "password";
      this.code.value = "";
      this.close();
    } catch (e) {
      this.busy = false;
      const err = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      // A burnt or expired code: a new one is asked for at the e-mail step.
      if (err.code === "CODE_EXPIRED" || err.code === "CODE_ATTEMPTS_EXCEEDED") this.step = "email";
      if (err.code === "CODE_INCORRECT") this.code.value = "";
      this.error = err;
      this.render();
      (this.step === "code" ? this.code : this.email).focus();
    }
  }

  private showLocal(key: PlainId, focus: HTMLElement): void {
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
