// The lock screen (issue 16): after the lock time without the clerk's activity (Rust
// decides: every journal command then answers LOCKED) the whole window is covered and
// shows no personal data; the signed-in clerk's password opens it again, or another
// clerk signs in instead. What was typed in an open dialog or the wizard stays where it
// was (the elements are only hidden), except a PIN or key password: those are cleared
// at the lock, never kept across it.
//
// The screen is a modal <dialog>: opened last, it sits above a signing dialog that may
// be open, and everything behind it is inert.
import { api, CommandError } from "./api";
import { errorText } from "./catalogue";
import { h } from "./dom";
import type { KeyChoice, SessionView, TokenView } from "./generated";
import { lang, t } from "./i18n";

/** Activity is reported at most this often (the lock time is minutes). */
const TOUCH_EVERY_MS = 5_000;
/** How often the window asks whether the lock time has passed. */
const CHECK_EVERY_MS = 2_000;

export interface LockEvents {
  /** Unlocked by the same clerk: carry on. */
  unlocked(): void;
  /** Another clerk is to sign in: the session was ended. */
  switchClerk(): void;
}

export class LockScreen {
  private readonly dialog = h("dialog", { id: "lock-screen", class: "lock-screen", "aria-labelledby": "lock-title" });
  private readonly password = h("input", { id: "lock-password", type: "password", autocomplete: "current-password" });
  /** A clerk who signed in by EDS unlocks with the same key: token, key file or NCALayer. */
  private readonly edsKey = h("select", { id: "lock-eds-key" });
  /** The picked key file's name; the desk knows it only by the dialog's handle (issue 15). */
  private readonly edsPath = h("input", { id: "lock-eds-path", type: "text", readonly: true, autocomplete: "off", spellcheck: "false" });
  private edsFile = "";
  private readonly edsSecret = h("input", { id: "lock-eds-secret", type: "password", autocomplete: "off" });
  private tokens: TokenView[] = [];
  private ncalayer: string | null = null;
  private view: SessionView | null = null;
  private error: CommandError | null = null;
  private busy = false;
  private lastTouch = 0;
  private watching = false;

  constructor(private readonly events: LockEvents) {
    document.body.append(this.dialog);
    // Esc must not close the lock screen.
    this.dialog.addEventListener("cancel", (e) => e.preventDefault());
  }

  get isLocked(): boolean {
    return this.dialog.open;
  }

  /** Starts reporting activity and watching for the lock (after a sign-in). */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    const touch = () => {
      if (this.isLocked) return;
      const now = Date.now();
      if (now - this.lastTouch < TOUCH_EVERY_MS) return;
      this.lastTouch = now;
      void api.sessionTouch().then((v) => this.follow(v)).catch(() => {});
    };
    for (const type of ["keydown", "pointerdown", "wheel"]) document.addEventListener(type, touch, { capture: true, passive: true });
    window.setInterval(() => {
      if (!this.isLocked) void api.sessionState().then((v) => this.follow(v)).catch(() => {});
    }, CHECK_EVERY_MS);
  }

  /** Shows the lock screen when Rust says the desk is locked. */
  follow(v: SessionView): void {
    if (v.state === "locked" && !this.isLocked) this.show(v);
  }

  /** "Lock" in the status bar. */
  async lockNow(): Promise<void> {
    this.follow(await api.sessionLock());
  }

  private show(v: SessionView): void {
    this.view = v;
    this.error = null;
    this.password.value = "";
    // A PIN or key password is never kept across a lock.
    for (const input of document.querySelectorAll<HTMLInputElement>('input[type="password"]')) {
      if (input !== this.password) input.value = "";
    }
    document.body.classList.add("locked");
    this.render();
    this.dialog.showModal();
    this.password.focus();
    if (v.method === "eds") {
      void Promise.all([api.keyTokens().catch(() => [] as TokenView[]), api.ncalayerVersion().catch(() => null)]).then(([tokens, version]) => {
        this.tokens = tokens;
        this.ncalayer = version;
        if (this.isLocked) this.render();
      });
    }
  }

  private edsFields(): HTMLElement[] {
    const chosen = this.edsKey.value || (this.tokens[0] ? `token:${this.tokens[0].label}` : "file");
    const options = this.tokens.map((tok) => h("option", { value: `token:${tok.label}` }, `${t("sign-in-eds-token")}: ${tok.label}`));
    options.push(h("option", { value: "file" }, t("key-file")));
    if (this.ncalayer !== null) options.push(h("option", { value: "ncalayer" }, "NCALayer"));
    this.edsKey.replaceChildren(...options);
    this.edsKey.value = chosen;
    if (this.edsKey.value === "") this.edsKey.value = "file";
    this.edsKey.onchange = () => this.render();
    const kind = this.edsKey.value;
    const out = [h("label", { class: "field" }, h("span", {}, t("sign-in-eds-key")), this.edsKey)];
    if (kind === "file") {
      const browse = h("button", { type: "button", class: "secondary", id: "lock-eds-browse" }, t("key-file-browse"));
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
    return out;
  }

  private edsChoice(): KeyChoice {
    const v = this.edsKey.value;
    if (v === "ncalayer") return { kind: "ncalayer", locale: lang() };
    if (v.startsWith("token:")) {
      const label = v.slice("token:".length);
      return { kind: "token", module: this.tokens.find((x) => x.label === label)?.module ?? "", token_label: label };
    }
    return { kind: "key_file", file: this.edsFile };
  }

  render(): void {
    if (!this.view) return;
    const name = this.view.clerk_name ?? this.view.clerk_iin ?? "";
    const form = h(
      "form",
      { class: "signin-form", novalidate: true },
      ...(this.view.method === "eds" ? this.edsFields() : [h("label", { class: "field" }, h("span", {}, t("lock-password")), this.password)]),
      h(
        "div",
        { id: "lock-error", class: "signin-error", role: "alert", hidden: this.error === null, "data-code": this.error?.code ?? null },
        this.error ? errorText(this.error) : "",
      ),
      h("button", { type: "submit", id: "lock-submit", class: "primary", disabled: this.busy }, this.busy ? t("lock-busy") : t("lock-button")),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.unlock();
    });
    const other = h("button", { type: "button", id: "lock-other-clerk", class: "link-button" }, t("lock-other-clerk"));
    other.addEventListener("click", () => void this.switchClerk());
    this.dialog.replaceChildren(
      h(
        "div",
        { class: "signin-card" },
        h("h2", { id: "lock-title" }, t("lock-title")),
        h("p", { class: "signin-portal", id: "lock-clerk" }, t(this.view.method === "eds" ? "lock-text-eds" : "lock-text", { name })),
        form,
        h("p", { class: "signin-offline" }, other),
      ),
    );
  }

  private async unlock(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.render();
    try {
      const eds = this.view?.method === "eds";
      const secret = this.edsSecret.value;
      this.edsSecret.value = "";
      const v = eds ? await api.sessionUnlockEds(this.edsChoice(), secret) : await api.sessionUnlock(this.password.value);
      this.busy = false;
      if (v.state === "open") {
        this.password.value = "";
        this.close();
        this.events.unlocked();
        return;
      }
    } catch (e) {
      this.busy = false;
      this.error = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      this.password.value = "";
    }
    this.render();
    this.password.focus();
  }

  private async switchClerk(): Promise<void> {
    await api.switchClerk().catch(() => {});
    this.close();
    this.events.switchClerk();
  }

  private close(): void {
    this.view = null;
    document.body.classList.remove("locked");
    if (this.dialog.open) this.dialog.close();
  }
}
