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
import { lang, t, type StringKey } from "./i18n";
import { provisionalBadge, statusBadge, syncBadge } from "./look";
import { PrintControls } from "./print";

type Tab = "info" | "history" | "documents";
const TABS: Array<[Tab, StringKey]> = [
  ["info", "tabInfo"],
  ["history", "tabHistory"],
  ["documents", "tabDocuments"],
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
    const closeButton = h("button", { type: "button", class: "detail-close", title: t("closeShortcut") }, t("close"));
    closeButton.addEventListener("click", () => this.close());

    if (!v) {
      const error = this.error ?? new CommandError("UNKNOWN", null);
      const code = error.code;
      this.root.replaceChildren(
        h("div", { class: "detail-head" }, h("div", { class: "detail-title-row" }, h("h2", { id: "detail-title" }, t("errorTitle")), closeButton)),
        h("div", { class: "error-banner", role: "alert" }, errorText(error), h("span", { class: "error-code" }, `${t("errorCode")}: ${code}`)),
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
      section("sectionApplication", [
        ["fieldNumber", v.provisional ? `${v.number} (${t("provisional")})` : v.number],
        ["fieldStatus", statusBadge(v.status)],
        ["fieldSync", syncBadge(v.sync) ?? labels.sync(v.sync)],
        v.waits_for_clerk ? ["fieldSync", h("span", { id: "waits-for-clerk" }, t("waitsForClerk", { name: v.waits_for_clerk }))] : null,
        v.refusal ? ["fieldPortalMessage", `${v.refusal.message} (${v.refusal.code})`] : null,
        ["fieldSubmitted", dateTime(v.submitted_at)],
        ["fieldVersion", String(v.version)],
        v.reject_reason
          ? ["fieldRejectReason", [labels.rejectReason(v.reject_reason.code), v.reject_reason.text].filter(Boolean).join(": ")]
          : null,
      ]),
      section("sectionApplicant", [
        ["fieldName", v.applicant.full_name],
        ["fieldIin", v.applicant.iin],
      ]),
      section("sectionChild", [
        ["fieldName", v.child.person.full_name],
        ["fieldIin", v.child.person.iin],
        ["fieldBirthDate", isoDate(v.child.birth_date)],
        ["fieldSex", v.child.sex === "female" ? t("sexFemale") : v.child.sex === "male" ? t("sexMale") : v.child.sex],
        ["fieldBirthCertificate", v.child.birth_certificate],
      ]),
      section("sectionContacts", [
        ["fieldPhone", v.contacts.phone],
        ["fieldPhoneExtra", v.contacts.extra_phone ?? t("none")],
        ["fieldEmail", v.contacts.email ?? t("none")],
      ]),
      section("sectionAddress", [
        ["fieldRegisteredAddress", v.child.registered_address],
        ["fieldMicroDistrict", micro ?? t("none")],
        ["fieldActualAddress", v.actual_address ?? t("none")],
        ["fieldTemporaryRegistration", temp ? `${temp.address} (${isoDate(temp.from)} – ${isoDate(temp.until)})` : t("no")],
      ]),
      section("sectionSchool", [
        ["fieldSchool", school],
        ["fieldGrade", t("gradeValue", { grade: v.grade })],
        ["fieldLanguage", labels.language(v.language)],
      ]),
      section("sectionConsents", [
        ["fieldConsentRules", yesNo(v.consents.admission_rules)],
        ["fieldConsentPersonalData", yesNo(v.consents.personal_data)],
        [
          "fieldNotifications",
          v.consents.notifications
            ? [labels.language(v.consents.notifications), v.consents.notification_channel ? labels.notificationChannel(v.consents.notification_channel) : null].filter(Boolean).join(" · ")
            : t("none"),
        ],
      ]),
    ];
  }

  private history(items: HistoryEntryView[]): Node {
    if (items.length === 0) return h("p", { class: "muted" }, t("historyEmpty"));
    return h(
      "table",
      { class: "plain-table", id: "history-table" },
      h("thead", {}, h("tr", {}, h("th", {}, t("historyWhen")), h("th", {}, t("historyWho")), h("th", {}, t("historyWhat")))),
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
              e.signed_with ? h("div", { class: "muted history-signature" }, t("historySignedWith", { name: e.signed_with })) : null,
              e.revocation_unchecked ? h("div", { class: "history-revocation" }, t("historyRevocationUnchecked")) : null,
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
      { type: "button", class: "secondary", "data-download": d.id, disabled: !d.cached, title: d.cached ? t("downloadTitle") : t("downloadOffline") },
      t("download"),
    );
    const id = this.view?.id;
    b.addEventListener("click", async () => {
      if (!id) return;
      try {
        const saved = await api.documentSave(id, d.id);
        if (saved) this.showNotice(() => t("fileSaved", { path: saved.path }), "ok");
      } catch (e) {
        const error = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
        this.showNotice(() => errorText(error), "error");
      }
    });
    return b;
  }

  /** «Қарау»: the document's preview in a row under it (desk reads its bytes). */
  private previewButton(d: DocumentView): HTMLElement {
    const b = h("button", { type: "button", class: "secondary", "data-preview": d.id, disabled: !d.cached, "aria-expanded": "false" }, t("previewShow"));
    const id = this.view?.id;
    b.addEventListener("click", async () => {
      const row = b.closest("tr");
      const open = row?.nextElementSibling?.classList.contains("doc-preview-row") ? row.nextElementSibling : null;
      if (open) {
        open.remove();
        b.textContent = t("previewShow");
        b.setAttribute("aria-expanded", "false");
        return;
      }
      if (!id || !row) return;
      try {
        const p = await api.documentPreview(id, d.id);
        const cell = h("td", { colspan: 3 }, documentPreview(p, `preview-${d.id}`, true, true));
        row.after(h("tr", { class: "doc-preview-row", "data-preview-of": d.id }, cell));
        b.textContent = t("previewHide");
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
      h("h3", { class: "facts-title" }, t("receiptSection")),
      this.printer.element("documents"),
      this.printer.available ? null : h("p", { class: "muted" }, errorText({ code: "RECEIPT_NOT_AVAILABLE" })),
    );
  }

  private documents(docs: DocumentView[]): Node[] {
    if (docs.length === 0) return [this.receiptSection(), h("p", { class: "muted" }, t("documentsEmpty"))].filter((n): n is HTMLElement => n !== null);
    const group = (title: StringKey, list: DocumentView[]) =>
      list.length === 0
        ? null
        : h(
            "section",
            {},
            h("h3", { class: "facts-title" }, t(title)),
            h(
              "table",
              { class: "plain-table" },
              h("thead", {}, h("tr", {}, h("th", {}, t("documentsName")), h("th", {}, t("documentsSize")), h("th", {}, ""))),
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
      group("documentsFromApplicant", docs.filter((d) => !d.generated)),
      group("documentsGenerated", docs.filter((d) => d.generated)),
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
    this.notice = { text: () => t("decisionSigned", { signer: outcome.signer_name }), kind: "ok" };
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
      { type: "button", class: "accept", id: "decide-accept", disabled: !a?.can_decide, title: blocked ?? t("acceptShortcut"), "aria-keyshortcuts": "Alt+Q" },
      t("accept"),
    );
    accept.addEventListener("click", () => void this.decide("accept"));
    const reject = h(
      "button",
      { type: "button", class: "reject", id: "decide-reject", disabled: !a?.can_decide, title: blocked ?? t("rejectShortcut"), "aria-keyshortcuts": "Alt+B" },
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

type Fact = [StringKey, string | Node] | null;

function section(title: StringKey, facts: Fact[]): HTMLElement {
  const dl = h("dl", { class: "facts" });
  for (const f of facts) {
    if (!f) continue;
    dl.append(h("dt", {}, t(f[0])), h("dd", {}, f[1]));
  }
  return h("section", {}, h("h3", { class: "facts-title" }, t(title)), dl);
}
