// The decision dialogs (R-6 accept, R-7 reject; seeds/002 steps 7–10): what is decided,
// the reason (reject), the key — a token through PKCS#11, an NCA key file, or NCALayer
// when it answers (issue 14; it asks for the storage and PIN in its own window) — and its
// PIN / password, then one `decide` call; desk checks, signs and records.
// Errors stay inside the dialog, next to what they are about, in the clerk's language;
// nothing typed is lost (the PIN field alone is cleared after a wrong PIN). Enter
// confirms, Esc cancels. The last key chosen is remembered for the session; the secret
// is read from its field at the moment of signing and never kept.
import { api, CommandError } from "./api";
import { entries, errorText, labels } from "./catalogue";
import { h } from "./dom";
import { isoDate } from "./format";
import type { ApplicationView, DecisionOutcome, KeyChoice, TokenView } from "./generated";
import { lang, onLangChange, t } from "./i18n";

export type DecisionKind = "accept" | "reject";

/** The key chosen last in this session (never the secret), and the key file's name. */
let lastKey: KeyChoice | null = null;
let lastKeyFileName = "";

type Place = "reason" | "key" | "secret" | "general";

/** Where an error is shown: next to the field it is about. Presentation only. */
function placeOf(code: string): Place {
  if (code.startsWith("REJECT_REASON")) return "reason";
  if (["PIN_INCORRECT", "PASSWORD_INCORRECT", "PIN_LOCKED", "PIN_NOT_INITIALIZED"].includes(code)) return "secret";
  if (
    /^(TOKEN_|PKCS11_|KEY_|CERTIFICATE_|NCALAYER_|FILE_)/.test(code) ||
    ["NO_CERTIFICATE_ON_TOKEN", "NO_PRIVATE_KEY", "DOCUMENT_UNREADABLE", "IIN_MISMATCH", "GOST_NOT_SUPPORTED", "SIGNING_FAILED"].includes(code)
  )
    return "key";
  return "general";
}

let openDialog: DecisionDialog | null = null;

export function decisionDialogOpen(): boolean {
  return openDialog !== null;
}

/** Opens the dialog; resolves with the outcome once signed, or null when cancelled. */
export function openDecisionDialog(view: ApplicationView, kind: DecisionKind): Promise<DecisionOutcome | null> {
  if (openDialog) return Promise.resolve(null);
  return new Promise((resolve) => {
    openDialog = new DecisionDialog(view, kind, (outcome) => {
      openDialog = null;
      resolve(outcome);
    });
  });
}

class DecisionDialog {
  private readonly dialog = h("dialog", { class: "decision-dialog", id: "decision-dialog", "aria-labelledby": "dd-title" });
  // Inputs live across re-renders (a language switch), so what is typed stays.
  private readonly reasonCode = h("select", { id: "dd-reason-code", "aria-describedby": "dd-reason-error" });
  private readonly reasonText = h("textarea", { id: "dd-reason-text", rows: 2, "aria-describedby": "dd-reason-error" });
  // Issue 15: the key file comes only from the dialog, as a handle; this field shows its name.
  private readonly keyPath = h("input", { id: "dd-key-path", type: "text", readonly: true, placeholder: "RSA_….p12" });
  private keyFile = "";
  private readonly secret = h("input", { id: "dd-secret", type: "password", autocomplete: "off", "aria-describedby": "dd-secret-error" });
  private tokens: TokenView[] | null = null;
  private tokensError: CommandError | null = null;
  /** NCALayer's version; null: not running; undefined: still asking. */
  private ncalayer: string | null | undefined = undefined;
  /** `token:<label>`, `file` or `ncalayer`. */
  private keyValue: string | null = null;
  private error: CommandError | null = null;
  private busy = false;

  constructor(
    private readonly view: ApplicationView,
    private readonly kind: DecisionKind,
    private readonly done: (outcome: DecisionOutcome | null) => void,
  ) {
    this.dialog.dataset.kind = kind;
    if (lastKey?.kind === "key_file") {
      this.keyValue = "file";
      this.keyFile = lastKey.file;
      this.keyPath.value = lastKeyFileName;
    } else if (lastKey?.kind === "token") {
      this.keyValue = `token:${lastKey.token_label}`;
    } else if (lastKey?.kind === "ncalayer") {
      this.keyValue = "ncalayer";
    }
    this.keyPath.addEventListener("click", () => void this.browse());
    // Esc belongs to the dialog: it must not also close the application behind it.
    this.dialog.addEventListener("keydown", (e) => {
      if (e.key === "Escape") e.stopPropagation();
    });
    this.dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      if (!this.busy) this.close(null);
    });
    this.dialog.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.confirm();
    });
    onLangChange(() => {
      if (this.dialog.isConnected) this.render();
    });
    document.body.append(this.dialog);
    this.render();
    this.dialog.showModal();
    (kind === "reject" ? this.reasonCode : this.secret).focus();
    void this.loadTokens();
    void this.loadNcaLayer();
  }

  private async loadNcaLayer(): Promise<void> {
    try {
      this.ncalayer = await api.ncalayerVersion();
    } catch {
      this.ncalayer = null;
    }
    // For tests and styling: whether NCALayer answered.
    this.dialog.dataset.ncalayer = this.ncalayer ?? "absent";
    // Remembered, but not running now: the other keys are offered as before.
    if (this.ncalayer === null && this.keyValue === "ncalayer") this.keyValue = "file";
    if (this.dialog.isConnected) this.render();
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
    if (this.dialog.isConnected) this.render();
  }

  private close(outcome: DecisionOutcome | null): void {
    this.secret.value = "";
    this.dialog.close();
    this.dialog.remove();
    this.done(outcome);
  }

  private chosenKey(): KeyChoice | null {
    if (this.keyValue === "ncalayer") return { kind: "ncalayer", locale: lang() };
    if (this.keyValue === "file") return { kind: "key_file", file: this.keyFile };
    const token = this.tokens?.find((tk) => `token:${tk.label}` === this.keyValue);
    return token ? { kind: "token", module: token.module, token_label: token.label } : null;
  }

  private async confirm(): Promise<void> {
    if (this.busy) return;
    const key = this.chosenKey();
    if (!key || (key.kind === "key_file" && key.file === "")) {
      this.keyValue = "file";
      this.render();
      this.keyPath.focus();
      return;
    }
    const input = {
      application_id: this.view.id,
      decision: this.kind,
      reason_code: this.kind === "reject" ? this.reasonCode.value || null : null,
      reason_text: this.kind === "reject" ? this.reasonText.value.trim() || null : null,
    };
    this.busy = true;
    this.error = null;
    this.render();
    try {
      const outcome = await api.decide(input, key, this.secret.value);
      lastKey = key;
      this.busy = false;
      this.close(outcome);
    } catch (e) {
      this.busy = false;
      this.error = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      const place = placeOf(this.error.code);
      if (this.error.code === "PIN_INCORRECT" || this.error.code === "PASSWORD_INCORRECT") this.secret.value = "";
      this.render();
      const focus = { reason: this.reasonCode, key: this.keyValue === "file" ? this.keyPath : this.secret, secret: this.secret, general: this.secret }[place];
      focus.focus();
    }
  }

  private errorLine(place: Place): HTMLElement {
    const show = this.error !== null && placeOf(this.error.code) === place;
    return h(
      "div",
      { class: "dd-error", id: `dd-${place}-error`, role: "alert", hidden: !show, "data-code": show ? this.error?.code : null },
      show && this.error ? errorText(this.error) : "",
    );
  }

  private syncKeyRadios(): void {
    for (const r of this.dialog.querySelectorAll<HTMLInputElement>("input[name='dd-key']")) r.checked = r.value === this.keyValue;
    const label = this.dialog.querySelector("#dd-secret-label");
    if (label) label.textContent = t(this.keyValue === "file" ? "pinLabelFile" : "pinLabelToken");
  }

  private keyRadio(value: string, ...content: Array<Node | string | null>): HTMLElement {
    const radio = h("input", { type: "radio", name: "dd-key", value, id: `dd-key-${value.replace(/[^a-z0-9]/gi, "_")}` });
    radio.checked = value === this.keyValue;
    radio.addEventListener("change", () => {
      const layout = value === "ncalayer" || this.keyValue === "ncalayer";
      this.keyValue = value;
      if (layout) this.render();
      this.syncKeyRadios();
      (value === "file" && this.keyPath.value === "" ? this.keyPath : this.secret).focus();
    });
    return h("label", { class: "dd-key-option" }, radio, h("span", { class: "dd-key-text" }, ...content));
  }

  private tokenOption(tk: TokenView): HTMLElement {
    const flags = [
      tk.pin_locked ? t("tokenPinLocked") : null,
      !tk.pin_locked && tk.pin_final_try ? t("tokenPinFinal") : null,
      !tk.pin_locked && !tk.pin_final_try && tk.pin_count_low ? t("tokenPinLow") : null,
    ].filter((f): f is string => f !== null);
    return this.keyRadio(
      `token:${tk.label}`,
      h("strong", {}, t("keyTokenLabel", { label: tk.label })),
      h("span", { class: "muted" }, ` ${tk.manufacturer} · ${tk.serial}`),
      ...flags.map((f) => h("span", { class: "dd-flag" }, f)),
      ...tk.certificates.map((c) =>
        h(
          "span",
          { class: `dd-cert${c.signing ? "" : " auth-only"}` },
          c.common_name ?? c.subject,
          c.owner_iin ? ` · ${t("fieldIin")} ${c.owner_iin}` : "",
          ` · ${t("certAlgorithm", { name: c.algorithm })}`,
          ` · ${t("certValidUntil", { date: isoDate(c.not_after) })}`,
          ` · ${c.signing ? t("certSigning") : t("certAuthOnly")}`,
        ),
      ),
    );
  }

  private render(): void {
    // Inputs are moved into the new layout, which blurs them: the focus comes back.
    const active = document.activeElement;
    this.layout();
    if (active instanceof HTMLElement && active !== document.body && this.dialog.contains(active)) active.focus();
  }

  private layout(): void {
    const v = this.view;
    const reject = this.kind === "reject";
    const school = lang() === "ru" ? v.school.name_ru : v.school.name_kk;

    const summary = h(
      "dl",
      { class: "facts dd-summary" },
      h("dt", {}, t("decisionWhat")),
      h("dd", { class: reject ? "dd-what reject" : "dd-what accept" }, reject ? t("reject") : t("accept")),
      h("dt", {}, t("fieldNumber")),
      h("dd", { class: "num" }, v.number),
      h("dt", {}, t("sectionChild")),
      h("dd", {}, v.child.person.full_name, h("span", { class: "muted" }, ` · ${t("fieldIin")} ${v.child.person.iin}`)),
      h("dt", {}, t("fieldSchool")),
      h("dd", {}, `${school} · ${t("gradeValue", { grade: v.grade })} · ${labels.language(v.language)}`),
    );

    let reasonBlock: HTMLElement | null = null;
    if (reject) {
      const chosen = this.reasonCode.value;
      this.reasonCode.replaceChildren(
        h("option", { value: "" }, t("rejectReasonChoose")),
        ...entries("reject_reasons").map((e) => h("option", { value: e.key }, lang() === "ru" ? e.ru : e.kk)),
      );
      this.reasonCode.value = chosen;
      reasonBlock = h(
        "div",
        { class: "dd-section" },
        h("label", { class: "dd-field" }, h("span", { class: "dd-label" }, t("rejectReason")), this.reasonCode),
        h(
          "label",
          { class: "dd-field" },
          h("span", { class: "dd-label" }, t("rejectText"), h("span", { class: "muted dd-hint" }, ` (${t("rejectTextRequired")})`)),
          this.reasonText,
        ),
        this.errorLine("reason"),
      );
    }

    const tokenList =
      this.tokens === null
        ? h("p", { class: "muted" }, t("keyTokensSearching"))
        : this.tokens.length === 0
          ? h("p", { class: "muted", id: "dd-no-tokens" }, this.tokensError ? errorText(this.tokensError) : t("keyTokensNone"))
          : h("div", { class: "dd-tokens" }, ...this.tokens.map((tk) => this.tokenOption(tk)));
    const browse = h("button", { type: "button", class: "secondary", id: "dd-key-browse", disabled: this.busy }, t("keyFileBrowse"));
    browse.addEventListener("click", () => void this.browse());
    const keyBlock = h(
      "fieldset",
      { class: "dd-section dd-key" },
      h("legend", {}, t("signingKey")),
      tokenList,
      typeof this.ncalayer === "string"
        ? this.keyRadio(
            "ncalayer",
            h("strong", {}, t("keyNcaLayer")),
            h("span", { class: "muted", id: "dd-ncalayer-version" }, ` · ${t("ncalayerVersion", { version: this.ncalayer })}`),
            h("span", { class: "dd-cert" }, t("ncalayerHint")),
          )
        : null,
      this.keyRadio("file", h("strong", {}, t("keyFile"))),
      h("div", { class: "dd-file-row" }, h("label", { class: "visually-hidden", for: "dd-key-path" }, t("keyFilePath")), this.keyPath, browse),
      this.errorLine("key"),
    );
    this.keyPath.setAttribute("aria-label", t("keyFilePath"));

    const secretBlock = h(
      "div",
      { class: "dd-section", hidden: this.keyValue === "ncalayer" },
      h("label", { class: "dd-field" }, h("span", { class: "dd-label", id: "dd-secret-label" }, t(this.keyValue === "file" ? "pinLabelFile" : "pinLabelToken")), this.secret),
      this.errorLine("secret"),
    );

    const cancel = h("button", { type: "button", class: "secondary", id: "dd-cancel", disabled: this.busy, title: t("cancelShortcut") }, t("cancel"));
    cancel.addEventListener("click", () => this.close(null));
    const confirm = h(
      "button",
      { type: "submit", class: reject ? "reject" : "accept", id: "dd-confirm", disabled: this.busy, title: t("confirmShortcut") },
      this.busy ? t(this.keyValue === "ncalayer" ? "signingBusyNcaLayer" : "signingBusy") : reject ? t("confirmReject") : t("confirmAccept"),
    );

    for (const el of [this.reasonCode, this.reasonText, this.keyPath, this.secret]) el.disabled = this.busy;
    this.dialog.setAttribute("aria-busy", String(this.busy));
    this.dialog.replaceChildren(
      h(
        "form",
        { method: "dialog", class: "dd-form" },
        h("h2", { id: "dd-title" }, reject ? t("rejectDialogTitle") : t("acceptDialogTitle")),
        h("p", { class: "dd-lead" }, reject ? t("rejectDialogLead") : t("acceptDialogLead")),
        summary,
        reasonBlock,
        keyBlock,
        secretBlock,
        this.errorLine("general"),
        h("div", { class: "dd-buttons" }, cancel, confirm),
      ),
    );
  }

  private async browse(): Promise<void> {
    try {
      const picked = await api.pickKeyFile();
      if (picked) {
        this.keyFile = picked.file;
        this.keyPath.value = picked.file_name;
        lastKeyFileName = picked.file_name;
        this.keyValue = "file";
        if (picked.problem) {
          this.error = new CommandError(picked.problem, null, picked.problem_kk, picked.problem_ru);
          this.render();
        } else {
          this.syncKeyRadios();
          this.secret.focus();
        }
      }
    } catch (e) {
      this.error = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      this.render();
    }
  }
}
