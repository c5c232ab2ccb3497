// The status bar, always visible (UI.md): clerk, school, online/offline, last sync,
// items waiting to send, items refused by the portal. Offline is a calm state.
// The sync part (state, last sync, counts, last error, "Sync now") comes from
// `sync_status` through sync.ts when it is known.
import { api } from "./api";
import { byId, h } from "./dom";
import { count, dateTime } from "./format";
import type { StatusBar as StatusBarView, SyncBar } from "./generated";
import { lang, t } from "./i18n";

const REFRESH_MS = 30_000;

export class StatusBar {
  private view: StatusBarView | null = null;
  private sync: SyncBar | null = null;
  private readonly root = byId("status-bar");
  /** Set by main.ts: "Sync now", "Sign in", "Lock" and "Sign out" in the bar. */
  onSyncNow: () => void = () => {};
  onSignIn: () => void = () => {};
  onLock: () => void = () => {};
  onSignOut: () => void = () => {};
  onSwitchClerk: () => void = () => {};

  /** Signed out: nothing of the journal stays in the bar. */
  clear(): void {
    this.view = null;
    this.sync = null;
    this.render();
  }

  setSync(bar: SyncBar): void {
    this.sync = bar;
    this.render();
  }

  start(): void {
    void this.refresh();
    window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  async refresh(): Promise<void> {
    try {
      this.view = await api.statusBar();
    } catch {
      // The journal shows the error (same cause); the bar keeps what it had.
    }
    this.render();
  }

  render(): void {
    const v = this.view;
    if (!v) {
      // Before sign-in: the portal's state only, nothing of the journal.
      this.root.replaceChildren(...(this.sync ? [this.stateItem(null)] : []));
      return;
    }
    const school = (lang() === "ru" ? v.school_name_ru : v.school_name_kk) ?? t("none");
    const sy = this.sync;
    const lastSync = sy ? sy.last_sync : v.last_sync;
    const waiting = sy ? sy.pending : v.waiting;
    const refused = sy ? sy.refused : v.refused;
    const unreadable = sy ? sy.unreadable : v.unreadable;
    this.root.replaceChildren(
      h(
        "span",
        { class: "sb-left" },
        h("span", { class: "sb-item", id: "sb-clerk" }, `${t("status-bar-clerk")}: `, h("strong", {}, v.clerk_name ?? t("none"))),
        h("span", { class: "sb-item", id: "sb-school", title: school }, `${t("status-bar-school")}: `, h("strong", {}, school)),
      ),
      this.stateItem(v),
      v.history_broken
        ? h("span", { class: "sb-item sb-history-broken", id: "sb-history-broken", role: "alert", title: t("history-broken-hint") }, h("strong", {}, `⚠ ${t("history-broken")}`))
        : "",
      h(
        "span",
        { class: "sb-right" },
        h("span", { class: "sb-item", id: "sb-last-sync" }, `${t("last-sync")}: `, h("strong", {}, lastSync ? dateTime(lastSync) : t("never-synced"))),
        h("span", { class: "sb-item sb-count", id: "sb-waiting" }, `${t("waiting")}: `, h("strong", {}, count(waiting))),
        h(
          "span",
          { class: `sb-item sb-count sb-refused${refused > 0 ? " has-some" : ""}`, id: "sb-refused", title: refused > 0 ? t("refused-hint") : null },
          `${t("refused")}: `,
          h("strong", {}, count(refused)),
        ),
        // Issue 12: pulled applications this version could not read, kept until an update.
        unreadable > 0
          ? h(
              "span",
              { class: "sb-item sb-count sb-unreadable has-some", id: "sb-unreadable", title: t("unreadable-hint") },
              `${t("unreadable")}: `,
              h("strong", {}, count(unreadable)),
            )
          : null,
        this.actionButton(),
        this.sessionButtons(),
      ),
    );
  }


  /** "Lock" and "Sign out" (switch clerk) for the signed-in clerk (issue 16). */
  private sessionButtons(): HTMLElement {
    const lock = h("button", { type: "button", class: "sb-button", id: "sb-lock" }, t("lock-now"));
    lock.addEventListener("click", () => this.onLock());
    const other = h("button", { type: "button", class: "sb-button", id: "sb-switch-clerk" }, t("switch-clerk"));
    other.addEventListener("click", () => this.onSwitchClerk());
    const out = h("button", { type: "button", class: "sb-button", id: "sb-sign-out" }, t("sign-out"));
    out.addEventListener("click", () => this.onSignOut());
    return h("span", { class: "sb-item" }, lock, other, out);
  }

  /** Online / offline / syncing (with counts) / sign-in needed / no portal: calm words, a dot. */
  private stateItem(v: StatusBarView | null): HTMLElement {
    const sy = this.sync;
    const state = sy ? sy.state : v?.online ? "online" : "offline";
    const error = sy ? (lang() === "ru" ? sy.last_error_ru : sy.last_error_kk) : null;
    let text: string;
    let hint: string;
    switch (state) {
      case "online": text = t("online"); hint = t("online"); break;
      case "syncing":
        text = sy && sy.round_rows > 0 ? t("syncing-rows", { count: Number(sy.round_rows) }) : t("syncing");
        hint = text;
        break;
      case "sign_in_required": text = t("sign-in-required"); hint = error ?? t("sign-in-required"); break;
      case "no_portal": text = t("no-portal"); hint = t("no-portal-hint"); break;
      default: text = t("offline"); hint = error ?? t("offline-hint");
    }
    return h(
      "span",
      { class: `sb-item sb-state sb-${state === "online" ? "online" : state === "syncing" ? "syncing" : "offline"}`, id: "sb-online", "data-state": state, title: hint },
      h("span", { class: "sb-dot", "aria-hidden": "true" }),
      h("span", { class: "sb-state-text" }, text),
      error && state !== "online" && state !== "syncing" ? h("span", { class: "sb-error", id: "sb-error", "data-code": sy?.last_error ?? "" }, error) : null,
    );
  }

  private actionButton(): HTMLElement | null {
    const sy = this.sync;
    if (!sy || sy.state === "no_portal") return null;
    if (!sy.signed_in || sy.state === "sign_in_required") {
      const b = h("button", { type: "button", class: "sb-button", id: "sb-sign-in" }, t("sign-in-again"));
      b.addEventListener("click", () => this.onSignIn());
      return b;
    }
    const b = h("button", { type: "button", class: "sb-button", id: "sb-sync-now", disabled: sy.state === "syncing" }, t("sync-now"));
    b.addEventListener("click", () => this.onSyncNow());
    return b;
  }
}
