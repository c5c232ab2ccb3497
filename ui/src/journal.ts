// The journal screen (R-4, UI.md "Layout"): filters, search narrowing as the clerk
// types, a dense table paged by keyset, keyboard movement. All filtering and search
// happens in Rust (`desk::Desk::journal`); this module only holds what is on screen.
import { api, CommandError } from "./api";
import { entries, errorText, labels } from "./catalogue";
import { append, byId, h } from "./dom";
import { count, dateTime } from "./format";
import type { JournalPage, JournalQuery, JournalRow, StatusCounts, StatusKey, SyncMarkKey } from "./generated";
import { lang, t } from "./i18n";
import { provisionalBadge, statusBadge, statusIcon, syncBadge } from "./look";

const PAGE = 100;
const SEARCH_DEBOUNCE_MS = 180;

export interface JournalEvents {
  open(row: JournalRow): void;
}

interface Filters {
  search: string;
  status: StatusKey | null;
  sync: SyncMarkKey | null;
  grade: number | null;
  language: string | null;
  from: string | null;
  to: string | null;
}

const emptyFilters = (): Filters => ({ search: "", status: null, sync: null, grade: null, language: null, from: null, to: null });

export class Journal {
  private filters: Filters = emptyFilters();
  private rows: JournalRow[] = [];
  private next: string | null = null;
  private total = 0;
  private totalCapped = false;
  private counts: StatusCounts | null = null;
  private selected = -1;
  private openId: string | null = null;
  private loading = false;
  /** Bumped by every new query; answers to older queries are dropped. */
  private generation = 0;
  private searchTimer: number | undefined;
  private lastError: CommandError | null = null;

  private readonly tbody = byId<HTMLTableSectionElement>("journal-rows");
  private readonly scroller = byId("table-scroll");
  private readonly search = byId<HTMLInputElement>("search");

  constructor(private readonly events: JournalEvents) {
    // Typing, pasting, the clear button of the field and programmatic clears all end here.
    const typed = () => {
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => this.flushSearch(), SEARCH_DEBOUNCE_MS);
    };
    for (const ev of ["input", "change", "search"]) this.search.addEventListener(ev, typed);
    this.search.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" || e.key === "Enter") {
        // From the search box straight into the results.
        if (e.key === "Enter") this.flushSearch();
        if (this.rows.length > 0) {
          e.preventDefault();
          this.select(Math.max(this.selected, 0));
          this.tbody.closest("table")?.focus();
        }
      } else if (e.key === "Escape" && this.search.value !== "") {
        e.stopPropagation();
        this.search.value = "";
        this.flushSearch();
      }
    });

    const grade = byId<HTMLSelectElement>("filter-grade");
    grade.addEventListener("change", () => {
      this.filters.grade = grade.value === "" ? null : Number(grade.value);
      void this.reload();
    });
    const language = byId<HTMLSelectElement>("filter-language");
    language.addEventListener("change", () => {
      this.filters.language = language.value === "" ? null : language.value;
      void this.reload();
    });
    const from = byId<HTMLInputElement>("filter-from");
    const to = byId<HTMLInputElement>("filter-to");
    from.addEventListener("change", () => {
      this.filters.from = from.value || null;
      void this.reload();
    });
    to.addEventListener("change", () => {
      this.filters.to = to.value || null;
      void this.reload();
    });
    byId("filter-reset").addEventListener("click", () => this.resetFilters());

    byId("load-more").addEventListener("click", () => void this.loadMore());
    // Infinite scroll: when the end of the list comes into view, fetch the next page.
    new IntersectionObserver(
      (seen) => {
        if (seen.some((s) => s.isIntersecting)) void this.loadMore();
      },
      { root: this.scroller, rootMargin: "400px" },
    ).observe(byId("load-sentinel"));

    this.tbody.addEventListener("click", (e) => {
      const tr = (e.target as Element).closest("tr[data-index]");
      if (!tr) return;
      const i = Number(tr.getAttribute("data-index"));
      this.select(i);
      this.openSelected();
    });

    const table = this.tbody.closest("table");
    if (table) {
      table.tabIndex = 0;
      table.addEventListener("keydown", (e) => this.onTableKey(e));
    }
  }

  async start(): Promise<void> {
    this.renderFilterControls();
    await this.reload();
  }

  focusSearch(): void {
    this.search.focus();
    this.search.select();
  }

  /** The application beside the list was closed: the list gets the keyboard back. */
  closed(): void {
    this.openId = null;
    this.markOpen();
    const table = this.tbody.closest("table");
    table?.focus();
  }

  rerender(): void {
    this.renderFilterControls();
    this.tbody.replaceChildren(...this.rows.map((r, i) => this.rowElement(r, i)));
    this.markSelected();
    this.markOpen();
    this.renderFoot();
    if (this.lastError) this.showError(this.lastError);
  }

  private flushSearch(): void {
    window.clearTimeout(this.searchTimer);
    if (this.filters.search !== this.search.value) {
      this.filters.search = this.search.value;
      void this.reload();
    }
  }

  private resetFilters(): void {
    this.filters = { ...emptyFilters(), search: this.filters.search };
    byId<HTMLSelectElement>("filter-grade").value = "";
    byId<HTMLSelectElement>("filter-language").value = "";
    byId<HTMLInputElement>("filter-from").value = "";
    byId<HTMLInputElement>("filter-to").value = "";
    void this.reload();
  }

  private query(after: string | null): JournalQuery {
    const f = this.filters;
    const search = f.search.trim();
    return {
      search: search === "" ? null : search,
      status: f.status,
      sync: f.sync,
      grade: f.grade,
      language: f.language,
      micro_district: null,
      submitted_from: f.from,
      submitted_to: f.to,
      sort: "submitted_desc",
      after,
      limit: PAGE,
    };
  }

  async reload(): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    this.renderFoot();
    try {
      const page = await api.journal(this.query(null));
      if (generation !== this.generation) return;
      this.lastError = null;
      this.hideError();
      this.rows = page.rows;
      this.selected = this.rows.length > 0 ? 0 : -1;
      this.tbody.replaceChildren(...this.rows.map((r, i) => this.rowElement(r, i)));
      this.scroller.scrollTop = 0;
      this.took(page);
      this.markSelected();
      this.markOpen();
    } catch (e) {
      if (generation !== this.generation) return;
      this.showError(e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e)));
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.renderFoot();
      }
    }
  }

  /**
   * Rows changed underneath (sync, a decision): reads again as many rows as are on
   * screen and keeps the selected row (by id) and the scroll position.
   */
  async refreshKeepingPlace(): Promise<void> {
    if (this.loading) return;
    const generation = ++this.generation;
    const selectedId = this.rows[this.selected]?.id ?? null;
    const scrollTop = this.scroller.scrollTop;
    try {
      const page = await api.journal({ ...this.query(null), limit: Math.min(Math.max(PAGE, this.rows.length), 1000) });
      if (generation !== this.generation) return;
      this.lastError = null;
      this.hideError();
      this.rows = page.rows;
      const at = selectedId === null ? -1 : this.rows.findIndex((r) => r.id === selectedId);
      this.selected = at >= 0 ? at : this.rows.length > 0 ? Math.min(Math.max(this.selected, 0), this.rows.length - 1) : -1;
      this.tbody.replaceChildren(...this.rows.map((r, i) => this.rowElement(r, i)));
      this.scroller.scrollTop = scrollTop;
      this.took(page);
      this.markSelected();
      this.markOpen();
      this.renderFoot();
    } catch {
      // The next event or the clerk's own action reads again; what is on screen stays.
    }
  }

  private async loadMore(): Promise<void> {
    if (this.loading || this.next === null) return;
    const generation = this.generation;
    this.loading = true;
    this.renderFoot();
    try {
      const page = await api.journal(this.query(this.next));
      if (generation !== this.generation) return;
      const start = this.rows.length;
      this.rows.push(...page.rows);
      append(this.tbody, page.rows.map((r, i) => this.rowElement(r, start + i)));
      this.took(page);
    } catch (e) {
      if (generation !== this.generation) return;
      this.showError(e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e)));
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.renderFoot();
      }
    }
  }

  private took(page: JournalPage): void {
    this.next = page.next;
    this.total = page.total;
    this.totalCapped = page.total_capped;
    this.counts = page.counts;
    this.renderStatusFilter();
  }

  private rowElement(r: JournalRow, i: number): HTMLTableRowElement {
    const school = lang() === "ru" ? r.school_name_ru : r.school_name_kk;
    return h(
      "tr",
      { "data-index": i, "data-id": r.id, "data-status": r.status, "aria-selected": "false" },
      h("td", { class: "c-number num" }, r.number, r.provisional ? provisionalBadge(t("provisional")) : null),
      h("td", { class: "c-child", title: r.child_name }, r.child_name),
      h("td", { class: "c-iin iin" }, r.child_iin),
      h("td", { class: "c-submitted num" }, dateTime(r.submitted_at)),
      h("td", { class: "c-school", title: school }, school),
      h("td", { class: "c-grade num" }, String(r.grade)),
      h("td", { class: "c-language" }, labels.language(r.language)),
      h("td", { class: "c-status" }, statusBadge(r.status), syncBadge(r.sync, true)),
    );
  }

  private renderFoot(): void {
    const shown = byId("journal-shown");
    const total = this.totalCapped ? `${count(this.total)}+` : count(this.total);
    shown.textContent = this.loading && this.rows.length === 0 ? t("loading") : t("shown-of", { shown: count(this.rows.length), total });
    const more = byId<HTMLButtonElement>("load-more");
    more.hidden = this.next === null;
    more.disabled = this.loading;
    more.textContent = this.loading ? t("loading") : t("load-more");
    byId("journal-empty").hidden = this.loading || this.rows.length > 0 || this.lastError !== null;
  }

  private renderFilterControls(): void {
    this.renderStatusFilter();
    const grade = byId<HTMLSelectElement>("filter-grade");
    const g = grade.value;
    grade.replaceChildren(
      h("option", { value: "" }, t("filter-any")),
      ...Array.from({ length: 11 }, (_, i) => h("option", { value: i + 1 }, t("grade-value", { grade: i + 1 }))),
    );
    grade.value = g;
    const language = byId<HTMLSelectElement>("filter-language");
    const l = language.value;
    language.replaceChildren(
      h("option", { value: "" }, t("filter-any")),
      ...entries("languages").map((e) => h("option", { value: e.key }, lang() === "ru" ? e.ru : e.kk)),
    );
    language.value = l;
  }

  private renderStatusFilter(): void {
    const list = byId("status-filter");
    const c = this.counts;
    const item = (key: StatusKey | null, text: string, n: number | undefined) => {
      const b = h(
        "button",
        { type: "button", "data-status-filter": key ?? "all", "aria-pressed": String(this.filters.status === key) },
        key ? statusIcon(key) : h("span", { class: "filter-all-icon", "aria-hidden": "true" }),
        h("span", {}, text),
        h("span", { class: "count" }, n === undefined ? "" : count(n)),
      );
      if (key) b.classList.add(`filter-${key}`);
      b.addEventListener("click", () => {
        this.filters.status = key;
        this.renderStatusFilter();
        void this.reload();
      });
      return h("li", {}, b);
    };
    // what waits to be sent and what the portal refused, one click away.
    const syncItem = (key: SyncMarkKey, text: string, n: number | undefined) => {
      const b = h(
        "button",
        { type: "button", "data-sync-filter": key, "aria-pressed": String(this.filters.sync === key), class: `filter-sync-${key}` },
        statusIcon(key),
        h("span", {}, text),
        h("span", { class: "count" }, n === undefined ? "" : count(n)),
      );
      b.addEventListener("click", () => {
        this.filters.sync = this.filters.sync === key ? null : key;
        this.renderStatusFilter();
        void this.reload();
      });
      return h("li", {}, b);
    };
    list.replaceChildren(
      item(null, t("filter-all"), c?.all),
      ...entries("statuses").map((e) =>
        item(e.key as StatusKey, lang() === "ru" ? e.ru : e.kk, c ? c[e.key as StatusKey] : undefined),
      ),
      h("li", { class: "filter-separator", role: "separator" }),
      ...entries("sync_marks")
        .filter((e) => e.key === "waiting" || e.key === "refused")
        .map((e) => {
          const key = e.key as "waiting" | "refused";
          return syncItem(key, lang() === "ru" ? e.ru : e.kk, c ? c[key] : undefined);
        }),
      // Issue 12: what came from the portal and this version could not read (kept raw).
      ...(c && c.unreadable > 0
        ? [
            h(
              "li",
              { class: "filter-unreadable", id: "journal-unreadable", title: t("unreadable-hint") },
              h("span", {}, t("unreadable")),
              h("span", { class: "count" }, count(c.unreadable)),
            ),
          ]
        : []),
    );
  }

  private onTableKey(e: KeyboardEvent): void {
    if (this.rows.length === 0) return;
    const visible = Math.max(1, Math.floor(this.scroller.clientHeight / 32) - 1);
    let to = this.selected;
    switch (e.key) {
      case "ArrowDown": to = this.selected + 1; break;
      case "ArrowUp": to = this.selected - 1; break;
      case "PageDown": to = this.selected + visible; break;
      case "PageUp": to = this.selected - visible; break;
      case "Home": to = 0; break;
      case "End": to = this.rows.length - 1; break;
      case "Enter":
        e.preventDefault();
        this.openSelected();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (e.key === "ArrowUp" && this.selected === 0) {
      this.search.focus();
      return;
    }
    this.select(Math.min(Math.max(to, 0), this.rows.length - 1));
    if (this.selected >= this.rows.length - 5) void this.loadMore();
    // Moving through the list with the application open keeps it in step.
    if (this.openId !== null) this.openSelected();
  }

  private select(i: number): void {
    this.selected = i;
    this.markSelected();
    const tr = this.tbody.children[i] as HTMLElement | undefined;
    tr?.scrollIntoView({ block: "nearest" });
  }

  private markSelected(): void {
    for (const tr of this.tbody.querySelectorAll('tr[aria-selected="true"]')) tr.setAttribute("aria-selected", "false");
    this.tbody.children[this.selected]?.setAttribute("aria-selected", "true");
  }

  private markOpen(): void {
    for (const tr of this.tbody.querySelectorAll("tr.is-open")) tr.classList.remove("is-open");
    if (this.openId) this.tbody.querySelector(`tr[data-id="${CSS.escape(this.openId)}"]`)?.classList.add("is-open");
  }

  private openSelected(): void {
    const row = this.rows[this.selected];
    if (!row) return;
    this.openId = row.id;
    this.markOpen();
    this.events.open(row);
  }

  private showError(e: CommandError): void {
    this.lastError = e;
    const box = byId("journal-error");
    const retry = h("button", { type: "button", class: "secondary" }, t("retry"));
    retry.addEventListener("click", () => void this.reload());
    box.replaceChildren(
      h("strong", {}, t("error-title"), ": "),
      errorText(e),
      h("span", { class: "error-code" }, `${t("error-code")}: ${e.code}`, " ", retry),
    );
    box.hidden = false;
    // With nothing to show, the message stands alone (no empty table under it).
    byId("journal").classList.toggle("failed", this.rows.length === 0);
    this.renderFoot();
  }

  private hideError(): void {
    byId("journal-error").hidden = true;
    byId("journal").classList.remove("failed");
  }
}
