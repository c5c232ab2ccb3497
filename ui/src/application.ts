// An application opened beside the journal: the three tabs of the portal
// (seeds/002 step 6) and the decision buttons, always in the same place.
import { api, CommandError } from "./api";
import { errorText, labels } from "./catalogue";
import { byId, h } from "./dom";
import { dateTime, isoDate } from "./format";
import type { ApplicationView, DocumentView, HistoryEntryView, JournalRow } from "./generated";
import { lang, t, type StringKey } from "./i18n";
import { provisionalBadge, statusBadge, syncBadge } from "./look";

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

  constructor(private readonly onClose: () => void) {}

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  async open(row: JournalRow): Promise<void> {
    this.requested = row.id;
    this.root.hidden = false;
    this.root.parentElement?.classList.add("has-detail");
    try {
      const view = await api.application(row.id);
      if (this.requested !== row.id) return;
      this.view = view;
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
    return [
      section("sectionApplication", [
        ["fieldNumber", v.provisional ? `${v.number} (${t("provisional")})` : v.number],
        ["fieldStatus", statusBadge(v.status)],
        ["fieldSync", syncBadge(v.sync) ?? labels.sync(v.sync)],
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
        ["fieldNotifications", v.consents.notifications ? labels.language(v.consents.notifications) : t("none")],
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
            ),
          ),
        ),
      ),
    );
  }

  private documents(docs: DocumentView[]): Node[] {
    if (docs.length === 0) return [h("p", { class: "muted" }, t("documentsEmpty"))];
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
                    h("td", {}, h("button", { type: "button", class: "secondary", disabled: true, title: t("downloadPending") }, t("download"))),
                  ),
                ),
              ),
            ),
          );
    return [
      group("documentsFromApplicant", docs.filter((d) => !d.generated)),
      group("documentsGenerated", docs.filter((d) => d.generated)),
    ].filter((n): n is HTMLElement => n !== null);
  }

  private decisionBar(): HTMLElement {
    // Decisions need signing, which lands with the signing issue: the buttons
    // are shown where they will stay, disabled, with the reason in the tooltip.
    return h(
      "div",
      { class: "decision-bar" },
      h("button", { type: "button", class: "accept", id: "decide-accept", disabled: true, title: `${t("decisionPending")} · ${t("acceptShortcut")}` }, t("accept")),
      h("button", { type: "button", class: "reject", id: "decide-reject", disabled: true, title: `${t("decisionPending")} · ${t("rejectShortcut")}` }, t("reject")),
      h("span", { class: "decision-note" }, t("decisionPending")),
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
