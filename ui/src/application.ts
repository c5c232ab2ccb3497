// An application opened beside the journal: the three tabs of the portal
// (seeds/002 step 6) and the decision buttons, always in the same place.
import { api, CommandError } from "./api";
import { errorText, labels } from "./catalogue";
import { decisionDialogOpen, openDecisionDialog, type DecisionKind } from "./decision";
import { byId, h } from "./dom";
import { dateTime, isoDate } from "./format";
import { documentPreview } from "./preview";
import { holdsPanel } from "./holds";
import type { ApplicationActions, ApplicationView, DocumentView, HistoryEntryView, JournalRow } from "./generated";
import { lang, t, type PlainId } from "./i18n";
import { provisionalBadge, statusBadge, syncBadge } from "./look";
import { PrintControls } from "./print";

type Tab = "info" | "history" | "documents";
const TABS: Array<[Tab, PlainId]> = [
  ["info", "tab-info"],
  ["history", "tab-history"],
  ["documents", "tab-documents"],
];

export class ApplicationPanel {
  private view: ApplicationView | null = null;
  private error: CommandError | null = null;
  private tab: Tab = "info";
  private requested: string | null = null;
  private readonly root = byId("detail");
  // Decisions and printing: what desk says the application offers now, the
  // print buttons, and the last line for the clerk (signed, printed, saved, failed).
  private actions: ApplicationActions | null = null;
  private printer: PrintControls | null = null;
  private notice: { text: () => string; kind: "ok" | "error" } | null = null;

  constructor(private readonly onClose: () => void) {
    // Alt+Q accept, Alt+B reject (Қабылдау, Бас тарту), Alt+P print: by physical key,
    // so they work with the Kazakh and Russian layouts alike.
    document.addEventListener("keydown", (e) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || !this.isOpen || decisionDialogOpen()) return;
      const action = { KeyQ: "accept", KeyB: "reject", KeyP: "print" }[e.code];
      if (!action) return;
      e.preventDefault();
      if (action === "print") void this.printer?.print();
      else void this.decide(action as DecisionKind);
    });
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  async open(row: JournalRow): Promise<void> {
    this.requested = row.id;
    this.root.hidden = false;
    this.root.parentElement?.classList.add("has-detail");
    try {
      const [view, actions] = await Promise.all([api.application(row.id), api.applicationActions(row.id)]);
      if (this.requested !== row.id) return;
      if (this.view?.id !== view.id) this.notice = null;
      this.view = view;
      this.setActions(view.id, actions);
      this.error = null;
    } catch (e) {
      if (this.requested !== row.id) return;
      this.view = null;
      this.error = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
    }
    this.render();
  }

  close(): void {
    if (!this.isOpen) return;
    this.requested = null;
    this.view = null;
    this.root.hidden = true;
    this.root.replaceChildren();
    this.root.parentElement?.classList.remove("has-detail");
    this.onClose();
  }

  rerender(): void {
    if (this.isOpen) this.render();
  }

  /**
   * Rows changed in the journal (a sync round: a status, the portal's number, a refusal,
   * a hold released): the open application is read again and drawn again only when what
   * it shows changed, so the pane is never stale and a pane that did not change is left
   * as the clerk has it (issue 11).
   */
  async refreshOpen(): Promise<void> {
    const id = this.view?.id;
    if (!id || !this.isOpen) return;
    let view: ApplicationView;
    let actions: ApplicationActions;
    try {
      [view, actions] = await Promise.all([api.application(id), api.applicationActions(id)]);
    } catch {
      return; // the journal's banner tells a database error; the pane keeps what it had
    }
    if (this.requested !== id || this.view?.id !== id) return;
    if (JSON.stringify(view) === JSON.stringify(this.view) && JSON.stringify(actions) === JSON.stringify(this.actions)) return;
    this.view = view;
    this.setActions(id, actions);
    this.render();
  }

  private render(): void {
    const v = this.view;
    const closeButton = h("button", { type: "button", class: "detail-close", title: t("close-shortcut") }, t("close"));
    closeButton.addEventListener("click", () => this.close());

    if (!v) {
      const error = this.error ?? new CommandError("UNKNOWN", null);
      const code = error.code;
      this.root.replaceChildren(
        h("div", { class: "detail-head" }, h("div", { class: "detail-title-row" }, h("h2", { id: "detail-title" }, t("error-title")), closeButton)),
        h("div", { class: "error-banner", role: "alert" }, errorText(error), h("span", { class: "error-code" }, `${t("error-code")}: ${code}`)),
      );
      return;
    }

    const tablist = h("div", { class: "tabs", role: "tablist" });
    for (const [key, label] of TABS) {
      const b = h(
        "button",
        {
          type: "button",
          role: "tab",
          id: `tab-${key}`,
          "data-tab": key,
          "aria-selected": String(this.tab === key),
          "aria-controls": "tab-panel",
          tabindex: this.tab === key ? 0 : -1,
        },
        t(label),
      );
      b.addEventListener("click", () => this.switchTab(key));
      tablist.append(b);
    }
    tablist.addEventListener("keydown", (e) => {
      const i = TABS.findIndex(([k]) => k === this.tab);
      const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (step === 0) return;
      e.preventDefault();
      const next = TABS[(i + step + TABS.length) % TABS.length];
      if (next) {
        this.switchTab(next[0]);
        byId(`tab-${next[0]}`).focus();
      }
    });

    const panel = h("div", { class: "tab-panel", id: "tab-panel", role: "tabpanel", "aria-labelledby": `tab-${this.tab}` });
    panel.append(...this.tabContent(v));

    this.root.replaceChildren(
      h(
        "div",
        { class: "detail-head" },
        h(
          "div",
          { class: "detail-title-row" },
          h(
            "div",
            {},
            h("h2", { id: "detail-title" }, v.child.person.full_name),
            h(
              "div",
              { class: "detail-sub" },
              h("span", { class: "num" }, v.number),
              v.provisional ? provisionalBadge(t("provisional")) : null,
              " ",
              statusBadge(v.status),
              syncBadge(v.sync),
            ),
          ),
          closeButton,
        ),
        tablist,
      ),
      panel,
      this.decisionBar(),
    );
  }

  private switchTab(tab: Tab): void {
    this.tab = tab;
    this.render();
  }

  private tabContent(v: ApplicationView): Node[] {
    switch (this.tab) {
      case "info":
        return this.info(v);
      case "history":
        return [this.history(v.history)];
      case "documents":
        return this.documents(v.documents);
    }
  }

  private info(v: ApplicationView): Node[] {
    const school = lang() === "ru" ? v.school.name_ru : v.school.name_kk;
    const micro = lang() === "ru" ? v.child.micro_district_ru : v.child.micro_district_kk;
    const yesNo = (b: boolean) => (b ? t("yes") : t("no"));
    const temp = v.temporary_registration;
    const holds = holdsPanel(v, () => void this.reload(v.id));
    return [
      ...(holds ? [holds] : []),
      section("section-application", [
        ["field-number", v.provisional ? `${v.number} (${t("provisional")})` : v.number],
        ["field-status", statusBadge(v.status)],
        ["field-sync", syncBadge(v.sync) ?? labels.sync(v.sync)],
        v.waits_for_clerk ? ["field-sync", h("span", { id: "waits-for-clerk" }, t("waits-for-clerk", { name: v.waits_for_clerk }))] : null,
        v.refusal ? ["field-portal-message", `${v.refusal.message} (${v.refusal.code})`] : null,
        ["field-submitted", dateTime(v.submitted_at)],
        ["field-version", String(v.version)],
        v.reject_reason
          ? ["field-reject-reason", [labels.rejectReason(v.reject_reason.code), v.reject_reason.text].filter(Boolean).join(": ")]
          : null,
      ]),
      section("section-applicant", [
        ["field-name", v.applicant.full_name],
        ["field-iin", v.applicant.iin],
      ]),
      section("section-child", [
        ["field-name", v.child.person.full_name],
        ["field-iin", v.child.person.iin],
        ["field-birth-date", isoDate(v.child.birth_date)],
        ["field-sex", v.child.sex === "female" ? t("sex-female") : v.child.sex === "male" ? t("sex-male") : v.child.sex],
        ["field-birth-certificate", v.child.birth_certificate],
      ]),
      section("section-contacts", [
        ["field-phone", v.contacts.phone],
        ["field-phone-extra", v.contacts.extra_phone ?? t("none")],
        ["field-email", v.contacts.email ?? t("none")],
      ]),
      section("section-address", [
        ["field-registered-address", v.child.registered_address],
        ["field-micro-district", micro ?? t("none")],
        ["field-actual-address", v.actual_address ?? t("none")],
        ["field-temporary-registration", temp ? `${temp.address} (${isoDate(temp.from)} – ${isoDate(temp.until)})` : t("no")],
      ]),
      section("section-school", [
        ["field-school", school],
        ["field-grade", t("grade-value", { grade: v.grade })],
        ["field-language", labels.language(v.language)],
      ]),
      section("section-consents", [
        ["field-consent-rules", yesNo(v.consents.admission_rules)],
        ["field-consent-personal-data", yesNo(v.consents.personal_data)],
        [
          "field-notifications",
          v.consents.notifications
            ? [labels.language(v.consents.notifications), v.consents.notification_channel ? labels.notificationChannel(v.consents.notification_channel) : null].filter(Boolean).join(" · ")
            : t("none"),
        ],
      ]),
    ];
  }

  private history(items: HistoryEntryView[]): Node {
    if (items.length === 0) return h("p", { class: "muted" }, t("history-empty"));
    return h(
      "table",
      { class: "plain-table", id: "history-table" },
      h("thead", {}, h("tr", {}, h("th", {}, t("history-when")), h("th", {}, t("history-who")), h("th", {}, t("history-what")))),
      h(
        "tbody",
        {},
        ...items.map((e) =>
          h(
            "tr",
            {},
            h("td", { class: "num" }, dateTime(e.at)),
            h("td", {}, e.actor_name ?? e.actor_iin ?? t("none")),
            h(
              "td",
              {},
              labels.historyKind(e.kind),
              e.status_from && e.status_to ? h("div", { class: "muted" }, `${labels.status(e.status_from)} → ${labels.status(e.status_to)}`) : null,
              e.note ? h("div", { class: "muted" }, e.note) : null,
              e.signed_with ? h("div", { class: "muted history-signature" }, t("history-signed-with", { name: e.signed_with })) : null,
              e.revocation_unchecked ? h("div", { class: "history-revocation" }, t("history-revocation-unchecked")) : null,
            ),
          ),
        ),
      ),
    );
  }

  /** «Жүктеу»: a cached document saved where the clerk chooses. */
  private downloadButton(d: DocumentView): HTMLElement {
    const b = h(
      "button",
      { type: "button", class: "secondary", "data-download": d.id, disabled: !d.cached, title: d.cached ? t("download-title") : t("download-offline") },
      t("download"),
    );
    const id = this.view?.id;
    b.addEventListener("click", async () => {
      if (!id) return;
      try {
        const saved = await api.documentSave(id, d.id);
        if (saved) this.showNotice(() => t("file-saved", { path: saved.path }), "ok");
      } catch (e) {
        const error = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
        this.showNotice(() => errorText(error), "error");
      }
    });
    return b;
  }

  /** «Қарау»: the document's preview in a row under it (desk reads its bytes). */
  private previewButton(d: DocumentView): HTMLElement {
    const b = h("button", { type: "button", class: "secondary", "data-preview": d.id, disabled: !d.cached, "aria-expanded": "false" }, t("preview-show"));
    const id = this.view?.id;
    b.addEventListener("click", async () => {
      const row = b.closest("tr");
      const open = row?.nextElementSibling?.classList.contains("doc-preview-row") ? row.nextElementSibling : null;
      if (open) {
        open.remove();
        b.textContent = t("preview-show");
        b.setAttribute("aria-expanded", "false");
        return;
      }
      if (!id || !row) return;
      try {
        const p = await api.documentPreview(id, d.id);
        const cell = h("td", { colspan: 3 }, documentPreview(p, `preview-${d.id}`, true, true));
        row.after(h("tr", { class: "doc-preview-row", "data-preview-of": d.id }, cell));
        b.textContent = t("preview-hide");
        b.setAttribute("aria-expanded", "true");
      } catch (e) {
        const error = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
        this.showNotice(() => errorText(error), "error");
      }
    });
    return b;
  }

  /** Reprint the receipt any time from the documents tab. */
  private receiptSection(): HTMLElement | null {
    if (!this.printer) return null;
    return h(
      "section",
      { class: "receipt-section" },
      h("h3", { class: "facts-title" }, t("receipt-section")),
      this.printer.element("documents"),
      this.printer.available ? null : h("p", { class: "muted" }, errorText({ code: "RECEIPT_NOT_AVAILABLE" })),
    );
  }

  private documents(docs: DocumentView[]): Node[] {
    if (docs.length === 0) return [this.receiptSection(), h("p", { class: "muted" }, t("documents-empty"))].filter((n): n is HTMLElement => n !== null);
    const group = (title: PlainId, list: DocumentView[]) =>
      list.length === 0
        ? null
        : h(
            "section",
            {},
            h("h3", { class: "facts-title" }, t(title)),
            h(
              "table",
              { class: "plain-table" },
              h("thead", {}, h("tr", {}, h("th", {}, t("documents-name")), h("th", {}, t("documents-size")), h("th", {}, ""))),
              h(
                "tbody",
                {},
                ...list.map((d) =>
                  h(
                    "tr",
                    { "data-document": d.id },
                    h("td", {}, h("div", {}, labels.documentKind(d.kind)), h("div", { class: "muted" }, d.file_name)),
                    h("td", { class: "num" }, t("kilobytes", { kb: Math.max(1, Math.round(d.size / 1024)) })),
                    h("td", { class: "doc-actions" }, d.media_type.startsWith("image/") || d.media_type === "application/pdf" ? this.previewButton(d) : null, this.downloadButton(d)),
                  ),
                ),
              ),
            ),
          );
    return [
      this.receiptSection(),
      group("documents-from-applicant", docs.filter((d) => !d.generated)),
      group("documents-generated", docs.filter((d) => d.generated)),
    ].filter((n): n is HTMLElement => n !== null);
  }

  private setActions(id: string, actions: ApplicationActions): void {
    const keepLang = this.printer?.applicationId === id ? this.printer.chosen : null;
    this.actions = actions;
    this.printer = new PrintControls(id, actions.receipt_kind, { notice: (text, kind) => this.showNotice(text, kind) });
    this.printer.chosen = keepLang;
  }

  private showNotice(text: () => string, kind: "ok" | "error"): void {
    this.notice = { text, kind };
    this.rerender();
  }

  /** Accept or reject through the signing dialog, then read the application again. */
  /** The same application again after a walk-in hold was resolved (issue 11). */
  private async reload(id: string): Promise<void> {
    try {
      const [view, actions] = await Promise.all([api.application(id), api.applicationActions(id)]);
      if (this.requested !== id) return;
      this.view = view;
      this.setActions(view.id, actions);
    } catch (e) {
      this.notice = { text: () => errorText(e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e))), kind: "error" };
    }
    this.render();
    document.dispatchEvent(new CustomEvent("qabyldau:application-changed", { detail: { id } }));
  }

  private async decide(kind: DecisionKind): Promise<void> {
    const v = this.view;
    if (!v || !this.actions?.can_decide) return;
    const outcome = await openDecisionDialog(v, kind);
    if (!outcome) {
      byId(kind === "accept" ? "decide-accept" : "decide-reject").focus();
      return;
    }
    this.notice = { text: () => t("decision-signed", { signer: outcome.signer_name }), kind: "ok" };
    document.dispatchEvent(new CustomEvent("qabyldau:application-changed", { detail: { id: v.id } }));
    try {
      const [view, actions] = await Promise.all([api.application(v.id), api.applicationActions(v.id)]);
      if (this.requested !== v.id) return;
      this.view = view;
      this.setActions(view.id, actions);
    } catch (e) {
      this.notice = { text: () => errorText(e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e))), kind: "error" };
    }
    this.render();
    document.getElementById("detail-print")?.focus();
  }

  private decisionBar(): HTMLElement {
    const a = this.actions;
    const blocked = a && !a.can_decide ? errorText({ code: a.decide_blocked ?? "UNKNOWN" }) : null;
    const accept = h(
      "button",
      { type: "button", class: "accept", id: "decide-accept", disabled: !a?.can_decide, title: blocked ?? t("accept-shortcut"), "aria-keyshortcuts": "Alt+Q" },
      t("accept"),
    );
    accept.addEventListener("click", () => void this.decide("accept"));
    const reject = h(
      "button",
      { type: "button", class: "reject", id: "decide-reject", disabled: !a?.can_decide, title: blocked ?? t("reject-shortcut"), "aria-keyshortcuts": "Alt+B" },
      t("reject"),
    );
    reject.addEventListener("click", () => void this.decide("reject"));
    // The buttons stay in their place (UI.md); when the application cannot be decided they
    // are disabled with the reason in the tooltip, and a reason the status badge does not
    // already tell (a provisional number) is written beside them.
    const n = this.notice;
    return h(
      "div",
      { class: "decision-bar" },
      a ? accept : null,
      a ? reject : null,
      this.printer?.element("detail") ?? null,
      n
        ? h("span", { class: `decision-note ${n.kind}`, id: "decision-note", role: n.kind === "error" ? "alert" : "status" }, n.text())
        : blocked && a?.decide_blocked !== "TRANSITION_NOT_ALLOWED"
          ? h("span", { class: "decision-note", id: "decision-note" }, blocked)
          : null,
    );
  }
}

type Fact = [PlainId, string | Node] | null;

function section(title: PlainId, facts: Fact[]): HTMLElement {
  const dl = h("dl", { class: "facts" });
  for (const f of facts) {
    if (!f) continue;
    dl.append(h("dt", {}, t(f[0])), h("dd", {}, f[1]));
  }
  return h("section", {}, h("h3", { class: "facts-title" }, t(title)), dl);
}
