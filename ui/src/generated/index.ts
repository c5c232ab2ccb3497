// generated, do not edit: made from the Rust types of crates/desk by
// crates/desk/tests/bindings.rs (UPDATE_BINDINGS=1 cargo test -p desk --test bindings).

export type StatusKey = "new" | "under_review" | "accepted" | "rejected" | "withdrawn";

/**
 * whether the portal has what the row shows.
 */
export type SyncMarkKey = "none" | "waiting" | "refused";

export type JournalSort = "submitted_desc" | "submitted_asc" | "child_name";

/**
 * The journal's filters, search and page.
 */
export type JournalQuery = { 
/**
 * A surname prefix, an IIN (or its start) or an application number (or its start).
 */
search: string | null, status: StatusKey | null, sync: SyncMarkKey | null, grade: number | null, 
/**
 * `kk` or `ru`.
 */
language: string | null, micro_district: string | null, 
/**
 * `YYYY-MM-DD`, inclusive, in the office's calendar.
 */
submitted_from: string | null, submitted_to: string | null, sort: JournalSort, 
/**
 * The `next` of the previous page.
 */
after: string | null, 
/**
 * Rows per page, 1–1000 (0 means the default, 100).
 */
limit: number, };

export type JournalRow = { id: string, number: string, provisional: boolean, child_name: string, child_iin: string, submitted_at: string, school_id: string, school_name_kk: string, school_name_ru: string, grade: number, language: string, status: StatusKey, sync: SyncMarkKey, };

export type StatusCounts = { all: number, new: number, under_review: number, accepted: number, rejected: number, withdrawn: number, waiting: number, refused: number, };

export type JournalPage = { rows: Array<JournalRow>, 
/**
 * Pass as `after` for the next page; `None` on the last page.
 */
next: string | null, 
/**
 * Rows matching the filters, counted up to `total_capped`.
 */
total: number, 
/**
 * True when there are more than `total` (the UI shows "10 000+").
 */
total_capped: boolean, counts: StatusCounts, };

export type PersonView = { iin: string, surname: string, given: string, patronymic: string | null, full_name: string, };

export type ChildView = { person: PersonView, birth_date: string, 
/**
 * `male` or `female`, from the IIN.
 */
sex: string, birth_certificate: string, registered_address: string, micro_district_id: string | null, micro_district_kk: string | null, micro_district_ru: string | null, };

export type ContactsView = { phone: string, extra_phone: string | null, email: string | null, };

export type TemporaryRegistrationView = { address: string, from: string, until: string, };

export type SchoolView = { id: string, name_kk: string, name_ru: string, address_kk: string, address_ru: string, };

export type ConsentsView = { admission_rules: boolean, portal_terms: boolean, personal_data: boolean, notifications: string | null, };

export type RejectReasonView = { code: string, text: string | null, };

/**
 * What the portal said when it refused a local action.
 */
export type RefusalView = { code: string, message: string, };

/**
 * One entry of the "History of changes" tab.
 */
export type HistoryEntryView = { at: string, actor_iin: string | null, actor_name: string | null, 
/**
 * A key of the catalogue's `history_kinds`.
 */
kind: string, status_from: StatusKey | null, status_to: StatusKey | null, note: string | null, };

/**
 * One entry of the "General documents" tab.
 */
export type DocumentView = { id: string, 
/**
 * A key of the catalogue's `document_kinds`.
 */
kind: string, file_name: string, media_type: string, size: number, 
/**
 * Made by the system (receipts, notices, signatures) rather than attached.
 */
generated: boolean, 
/**
 * The bytes are on this computer and open offline.
 */
cached: boolean, };

/**
 * An opened application: the three tabs of R-5.
 */
export type ApplicationView = { id: string, number: string, provisional: boolean, status: StatusKey, sync: SyncMarkKey, refusal: RefusalView | null, version: number, submitted_at: string, on_behalf: boolean, applicant: PersonView, child: ChildView, contacts: ContactsView, actual_address: string | null, temporary_registration: TemporaryRegistrationView | null, school: SchoolView, grade: number, language: string, consents: ConsentsView, reject_reason: RejectReasonView | null, history: Array<HistoryEntryView>, documents: Array<DocumentView>, };

/**
 * The always-visible status bar (UI.md).
 */
export type StatusBar = { clerk_name: string | null, clerk_iin: string | null, school_name_kk: string | null, school_name_ru: string | null, online: boolean, last_sync: string | null, waiting: number, refused: number, };

/**
 * A key with its Kazakh and Russian text.
 */
export type CatalogueEntry = { key: string, kk: string, ru: string, };

/**
 * Every label that comes from the rules rather than from the UI: one source, two languages.
 */
export type Catalogue = { statuses: Array<CatalogueEntry>, sync_marks: Array<CatalogueEntry>, reject_reasons: Array<CatalogueEntry>, document_kinds: Array<CatalogueEntry>, languages: Array<CatalogueEntry>, history_kinds: Array<CatalogueEntry>, errors: Array<CatalogueEntry>, };

/**
 * What `demo_data::fill` made.
 */
export type DemoSummary = { applications: number, school_id: string, clerk_iin: string, clerk_name: string, };

/**
 * What crosses to the UI when something fails: a stable code (the UI picks the kk/ru
 * text from the catalogue) and, for logs and the "details" link, the English detail.
 */
export type UiError = { code: string, detail: string | null, };
