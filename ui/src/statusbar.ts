// The status bar, always visible (UI.md): clerk, school, online/offline, last sync,
// items waiting to send, items refused by the portal. Offline is a calm state.
import { api } from "./api";
import { byId, h } from "./dom";
import { count, dateTime } from "./format";
import type { StatusBar as StatusBarView } from "./generated";
import { lang, t } from "./i18n";

const REFRESH_MS = 30_000;

export class StatusBar {
  private view: StatusBarView | null = null;
  private readonly root = byId("status-bar");

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
      this.root.replaceChildren();
      return;
    }
    const school = (lang() === "ru" ? v.school_name_ru : v.school_name_kk) ?? t("none");
    this.root.replaceChildren(
      h(
        "span",
        { class: "sb-left" },
        h("span", { class: "sb-item", id: "sb-clerk" }, `${t("statusBarClerk")}: `, h("strong", {}, v.clerk_name ?? t("none"))),
        h("span", { class: "sb-item", id: "sb-school", title: school }, `${t("statusBarSchool")}: `, h("strong", {}, school)),
      ),
      h(
        "span",
        { class: `sb-item ${v.online ? "sb-online" : "sb-offline"}`, id: "sb-online", title: v.online ? t("online") : t("offlineHint") },
        h("span", { class: "sb-dot", "aria-hidden": "true" }),
        v.online ? t("online") : t("offline"),
      ),
      h(
        "span",
        { class: "sb-right" },
        h("span", { class: "sb-item", id: "sb-last-sync" }, `${t("lastSync")}: `, h("strong", {}, v.last_sync ? dateTime(v.last_sync) : t("neverSynced"))),
        h("span", { class: "sb-item sb-count", id: "sb-waiting" }, `${t("waiting")}: `, h("strong", {}, count(v.waiting))),
        h(
          "span",
          { class: `sb-item sb-count sb-refused${v.refused > 0 ? " has-some" : ""}`, id: "sb-refused" },
          `${t("refused")}: `,
          h("strong", {}, count(v.refused)),
        ),
      ),
    );
  }
}
