// The clerk's signing key, one picker for the decision dialog and the
// wizard's signing step: a token through PKCS#11 (with its certificates and PIN
// counters), NCALayer when it answers (issue 14; it asks for the storage and the PIN in
// its own window), or an NCA key file picked through the native dialog (issue 15: a
// handle, never a path), and the PIN / password. The inputs live across re-renders (a
// language switch, a token list arriving), so what is typed stays; the secret is read
// at the moment of signing and never kept. Presentation only: desk decides and signs.
import { api, CommandError } from "./api";
import { errorText } from "./catalogue";
import { append, h } from "./dom";
import { isoDate } from "./format";
import type { KeyChoice, TokenView } from "./generated";
import { lang, t } from "./i18n";

/** Where a key error is shown: next to the key or next to the secret (desk's `ErrorPlace`). */
export type KeyPlace = "key" | "secret";

/** The ids of the picker's elements (the E2E suites and labels find them by id). */
export interface KeyPickerIds {
  /** Prefix of the radios (`<prefix>-key`), the key error (`<prefix>-key-error`), the labels. */
  prefix: string;
  browse: string;
  path: string;
  secret: string;
}

/** The key chosen: what is signed with, and the key file's name to show. */
export interface PickedKey {
  key: KeyChoice | null;
  fileName: string;
}

export interface KeyPickerOptions {
  ids: KeyPickerIds;
  /** The key chosen earlier (the session's last key, or the wizard's draft). */
  initial: PickedKey | null;
  /** The choice changed (never the secret). */
  onChange?: (picked: PickedKey) => void;
  /** Enter in the secret field (the decision dialog's form submits by itself). */
  onEnter?: () => void;
  /** The section's class (the dialog's plain section, or the wizard's framed one). */
  sectionClass?: string;
  /** The token list or NCALayer's answer arrived. */
  onLoaded?: () => void;
}

export class KeyPicker {
  /** The picker's section; the caller places it, the picker re-lays it out in place. */
  readonly root: HTMLElement;
  private readonly keyPath: HTMLInputElement;
  private readonly secret: HTMLInputElement;
  private keyFile = "";
  private tokens: TokenView[] | null = null;
  private tokensError: CommandError | null = null;
  /** NCALayer's version; null: not running; undefined: still asking. */
  private ncalayer: string | null | undefined = undefined;
  /** `token:<label>`, `file` or `ncalayer`. */
  private keyValue: string | null = null;
  private errors: Record<KeyPlace, { code: string | null; text: string } | null> = { key: null, secret: null };
  private busy = false;

  constructor(private readonly opts: KeyPickerOptions) {
    const { ids } = opts;
    this.root = h("fieldset", { class: `${opts.sectionClass ?? "dd-section dd-key"} key-picker`, id: `${ids.prefix}-key-picker` });
    this.keyPath = h("input", { id: ids.path, type: "text", readonly: true, placeholder: "RSA_….p12" }) as HTMLInputElement;
    this.secret = h("input", { id: ids.secret, type: "password", autocomplete: "off", "aria-describedby": `${ids.secret}-error` }) as HTMLInputElement;
    const key = opts.initial?.key ?? null;
    if (key?.kind === "key_file") {
      this.keyValue = "file";
      this.keyFile = key.file;
      this.keyPath.value = opts.initial?.fileName ?? "";
    } else if (key?.kind === "token") {
      this.keyValue = `token:${key.token_label}`;
    } else if (key?.kind === "ncalayer") {
      this.keyValue = "ncalayer";
    }
    this.keyPath.addEventListener("click", () => void this.browse());
    this.secret.addEventListener("input", () => this.setError("secret", null));
    this.secret.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && opts.onEnter) {
        e.preventDefault();
        opts.onEnter();
      }
    });
    this.render();
    void this.loadTokens();
    void this.loadNcaLayer();
  }

  /** NCALayer's state for tests and styling: its version or `absent`; undefined while asking. */
  get ncalayerState(): string | undefined {
    return this.ncalayer === undefined ? undefined : (this.ncalayer ?? "absent");
  }

  /** The key to sign with, or null when none is complete (no file picked, token gone). */
  chosenKey(): KeyChoice | null {
    if (this.keyValue === "ncalayer") return { kind: "ncalayer", locale: lang() };
    if (this.keyValue === "file") return this.keyFile ? { kind: "key_file", file: this.keyFile } : null;
    const token = this.tokens?.find((tk) => `token:${tk.label}` === this.keyValue);
    return token ? { kind: "token", module: token.module, token_label: token.label } : null;
  }

  /** The key and the key file's name, to remember (never the secret). */
  picked(): PickedKey {
    return { key: this.chosenKey(), fileName: this.keyPath.value };
  }

  /** Whether the chosen key needs a PIN / password typed here (NCALayer asks in its own window). */
  needsSecret(): boolean {
    return this.keyValue !== "ncalayer";
  }

  secretValue(): string {
    return this.secret.value;
  }

  clearSecret(): void {
    this.secret.value = "";
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  /** Shows an error next to the key or the secret, where desk placed it; false when it
   *  belongs to neither. */
  showError(e: CommandError): boolean {
    const place = e.place;
    if (place !== "key" && place !== "secret") return false;
    if (e.code === "PIN_INCORRECT" || e.code === "PASSWORD_INCORRECT") this.secret.value = "";
    this.setError(place, { code: e.code, text: errorText(e) });
    return true;
  }

  /** A message of the caller's (a key not chosen, no PIN typed) next to the key or the secret. */
  showText(place: KeyPlace, text: string): void {
    this.setError(place, { code: null, text });
  }

  clearErrors(): void {
    this.errors = { key: null, secret: null };
    this.render();
  }

  hasErrors(): boolean {
    return this.errors.key !== null || this.errors.secret !== null;
  }

  /** Focuses where the clerk acts next: the error's field, an unpicked file, or the secret. */
  focus(place?: KeyPlace): void {
    const at = place ?? (this.errors.key ? "key" : this.errors.secret ? "secret" : undefined);
    const noFile = this.keyValue === "file" && this.keyFile === "";
    if (at === "secret" || (at === undefined && !noFile)) this.secret.focus();
    else if (this.keyValue === "file") this.keyPath.focus();
    else this.root.querySelector<HTMLElement>("input[type='radio']:checked")?.focus();
  }

  private setError(place: KeyPlace, error: { code: string | null; text: string } | null): void {
    if (this.errors[place] === error) return;
    this.errors[place] = error;
    this.render();
  }

  private changed(): void {
    this.opts.onChange?.(this.picked());
  }

  private async loadNcaLayer(): Promise<void> {
    try {
      this.ncalayer = await api.ncalayerVersion();
    } catch {
      this.ncalayer = null;
    }
    // Remembered, but not running now: the other keys are offered as before.
    if (this.ncalayer === null && this.keyValue === "ncalayer") this.keyValue = "file";
    this.render();
    this.opts.onLoaded?.();
  }

  private async loadTokens(): Promise<void> {
    try {
      this.tokens = await api.keyTokens();
    } catch (e) {
      this.tokens = [];
      this.tokensError = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
    }
    if (this.keyValue === null) {
      const signing = this.tokens.find((tk) => tk.certificates.some((c) => c.signing));
      this.keyValue = signing ? `token:${signing.label}` : "file";
    } else if (this.keyValue.startsWith("token:") && !this.tokens.some((tk) => `token:${tk.label}` === this.keyValue)) {
      // The remembered token is not plugged in now.
      this.keyValue = "file";
    }
    this.render();
    this.opts.onLoaded?.();
  }

  private async browse(): Promise<void> {
    if (this.busy) return;
    try {
      const picked = await api.pickKeyFile();
      if (!picked) return;
      this.keyFile = picked.file;
      this.keyPath.value = picked.file_name;
      this.keyValue = "file";
      this.errors.key = null;
      if (picked.problem) {
        this.errors.key = { code: picked.problem, text: errorText(new CommandError(picked.problem, null, picked.problem_kk, picked.problem_ru)) };
      }
      this.changed();
      this.render();
      if (!picked.problem) this.secret.focus();
    } catch (e) {
      this.setError("key", { code: "UI_BRIDGE", text: errorText(e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e))) });
    }
  }

  private errorLine(place: KeyPlace): HTMLElement {
    const err = this.errors[place];
    const id = place === "key" ? `${this.opts.ids.prefix}-key-error` : `${this.opts.ids.secret}-error`;
    return h("div", { class: "dd-error", id, role: "alert", hidden: !err, "data-code": err?.code ?? null }, err?.text ?? "");
  }

  private keyRadio(value: string, ...content: Array<Node | string | null>): HTMLElement {
    const p = this.opts.ids.prefix;
    const radio = h("input", { type: "radio", name: `${p}-key`, value, id: `${p}-key-${value.replace(/[^a-z0-9]/gi, "_")}`, disabled: this.busy }) as HTMLInputElement;
    radio.checked = value === this.keyValue;
    radio.addEventListener("change", () => {
      this.keyValue = value;
      this.errors.key = null;
      this.changed();
      this.render();
      (value === "file" && this.keyPath.value === "" ? this.keyPath : this.secret).focus();
    });
    return h("label", { class: "dd-key-option" }, radio, h("span", { class: "dd-key-text" }, ...content));
  }

  private tokenOption(tk: TokenView): HTMLElement {
    const flags = [
      tk.pin_locked ? t("token-pin-locked") : null,
      !tk.pin_locked && tk.pin_final_try ? t("token-pin-final") : null,
      !tk.pin_locked && !tk.pin_final_try && tk.pin_count_low ? t("token-pin-low") : null,
    ].filter((f): f is string => f !== null);
    return this.keyRadio(
      `token:${tk.label}`,
      h("strong", {}, t("key-token-label", { label: tk.label })),
      h("span", { class: "muted" }, ` ${tk.manufacturer} · ${tk.serial}`),
      ...flags.map((f) => h("span", { class: "dd-flag" }, f)),
      ...tk.certificates.map((c) =>
        h(
          "span",
          { class: `dd-cert${c.signing ? "" : " auth-only"}` },
          c.common_name ?? c.subject,
          c.owner_iin ? ` · ${t("field-iin")} ${c.owner_iin}` : "",
          ` · ${t("cert-algorithm", { name: c.algorithm })}`,
          ` · ${t("cert-valid-until", { date: isoDate(c.not_after) })}`,
          ` · ${c.signing ? t("cert-signing") : t("cert-auth-only")}`,
        ),
      ),
    );
  }

  /** Lays the picker out again in place; the inputs keep what is typed and the focus. */
  render(): void {
    const active = document.activeElement;
    this.layout();
    if (active instanceof HTMLElement && active !== document.body && this.root.contains(active)) active.focus();
  }

  private layout(): void {
    const p = this.opts.ids.prefix;
    if (this.ncalayer !== undefined) this.root.dataset.ncalayer = this.ncalayer ?? "absent";
    const tokenList =
      this.tokens === null
        ? h("p", { class: "muted" }, t("key-tokens-searching"))
        : this.tokens.length === 0
          ? h("p", { class: "muted", id: `${p}-no-tokens` }, this.tokensError ? errorText(this.tokensError) : t("key-tokens-none"))
          : h("div", { class: "dd-tokens" }, ...this.tokens.map((tk) => this.tokenOption(tk)));
    const browse = h("button", { type: "button", class: "secondary", id: this.opts.ids.browse, disabled: this.busy }, t("key-file-browse"));
    browse.addEventListener("click", () => void this.browse());
    this.keyPath.setAttribute("aria-label", t("key-file-path"));
    this.keyPath.disabled = this.busy;
    this.secret.disabled = this.busy;
    for (const [el, err] of [[this.keyPath, this.errors.key], [this.secret, this.errors.secret]] as const) {
      if (err) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    }
    const secretLabel = t(this.keyValue === "file" ? "pin-label-file" : "pin-label-token");
    this.root.replaceChildren();
    append(this.root, [
      h("legend", {}, t("signing-key")),
      tokenList,
      typeof this.ncalayer === "string"
        ? this.keyRadio(
            "ncalayer",
            h("strong", {}, t("key-nca-layer")),
            h("span", { class: "muted", id: `${p}-ncalayer-version` }, ` · ${t("ncalayer-version", { version: this.ncalayer })}`),
            h("span", { class: "dd-cert" }, t("ncalayer-hint")),
          )
        : null,
      this.keyRadio("file", h("strong", {}, t("key-file"))),
      h("div", { class: "dd-file-row" }, h("label", { class: "visually-hidden", for: this.opts.ids.path }, t("key-file-path")), this.keyPath, browse),
      this.errorLine("key"),
      h(
        "div",
        { class: "dd-secret-block", hidden: this.keyValue === "ncalayer" },
        h("label", { class: "dd-field", for: this.opts.ids.secret }, h("span", { class: "dd-label", id: `${p}-secret-label` }, secretLabel), this.secret),
        this.errorLine("secret"),
      ),
    ]);
  }
}
