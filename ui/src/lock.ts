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
import type { SessionView } from "./generated";
import { t } from "./i18n";

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
  }

  render(): void {
    if (!this.view) return;
    const name = this.view.clerk_name ?? this.view.clerk_iin ?? "";
    const form = h(
      "form",
      { class: "signin-form", novalidate: true },
      h("label", { class: "field" }, h("span", {}, t("lockPassword")), this.password),
      h(
        "div",
        { id: "lock-error", class: "signin-error", role: "alert", hidden: this.error === null, "data-code": this.error?.code ?? null },
        this.error ? errorText(this.error) : "",
      ),
      h("button", { type: "submit", id: "lock-submit", class: "primary", disabled: this.busy }, this.busy ? t("lockBusy") : t("lockButton")),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.unlock();
    });
    const other = h("button", { type: "button", id: "lock-other-clerk", class: "link-button" }, t("lockOtherClerk"));
    other.addEventListener("click", () => void this.switchClerk());
    this.dialog.replaceChildren(
      h(
        "div",
        { class: "signin-card" },
        h("h2", { id: "lock-title" }, t("lockTitle")),
        h("p", { class: "signin-portal", id: "lock-clerk" }, t("lockText", { name })),
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
      const v = await api.sessionUnlock(this.password.value);
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
