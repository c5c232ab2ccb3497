// generated, do not edit: made from the Rust types of crates/desk by
// crates/desk/tests/bindings.rs (UPDATE_BINDINGS=1 cargo test -p desk --test integration bindings::).

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

export type StatusCounts = { all: number, new: number, under_review: number, accepted: number, rejected: number, withdrawn: number, waiting: number, refused: number, 
/**
 * Pulled applications this app could not read, kept raw (issue 12).
 */
unreadable: number, };

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

export type ConsentsView = { admission_rules: boolean, portal_terms: boolean, personal_data: boolean, notifications: string | null, 
/**
 * `sms` or `email`.
 */
notification_channel: string | null, };

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
kind: string, status_from: StatusKey | null, status_to: StatusKey | null, note: string | null, 
/**
 * The key algorithm of a signed action (`RSA-2048`, `GOST 34.10-2015 512`, …), shown
 * beside it (issue 10).
 */
signed_with: string | null, 
/**
 * `true` when the key was used offline, before NCA's OCSP/CRL answered: the portal
 * checks revocation on arrival (issue 10). `false` for actions without a signature
 * and for keys whose revocation was checked.
 */
revocation_unchecked: boolean, };

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
export type ApplicationView = { 
/**
 * The name of another clerk whose change of this application waits to be sent: it
 * goes only under that clerk's own portal session ("waits for … to sign in").
 */
waits_for_clerk: string | null, id: string, number: string, provisional: boolean, status: StatusKey, sync: SyncMarkKey, refusal: RefusalView | null, version: number, submitted_at: string, on_behalf: boolean, applicant: PersonView, child: ChildView, contacts: ContactsView, actual_address: string | null, temporary_registration: TemporaryRegistrationView | null, school: SchoolView, grade: number, language: string, consents: ConsentsView, reject_reason: RejectReasonView | null, history: Array<HistoryEntryView>, documents: Array<DocumentView>, 
/**
 * A walk-in's submission waits for these before it is sent (issue 11, R-21, R-22).
 */
holds: Array<HoldView>, };

/**
 * The always-visible status bar (UI.md).
 */
export type StatusBar = { clerk_name: string | null, clerk_iin: string | null, school_name_kk: string | null, school_name_ru: string | null, online: boolean, last_sync: string | null, waiting: number, refused: number, 
/**
 * The history chain is broken: an entry was edited or removed around the app
 * (issue 15; `qabyldau audit verify` names the entry).
 */
history_broken: boolean, 
/**
 * Pulled applications this app could not read, kept raw (issue 12).
 */
unreadable: number, };

/**
 * A key with its Kazakh and Russian text.
 */
export type CatalogueEntry = { key: string, kk: string, ru: string, };

/**
 * Every label that comes from the rules rather than from the UI: one source, two languages.
 */
export type Catalogue = { statuses: Array<CatalogueEntry>, sync_marks: Array<CatalogueEntry>, reject_reasons: Array<CatalogueEntry>, document_kinds: Array<CatalogueEntry>, languages: Array<CatalogueEntry>, 
/**
 * How notifications are sent: `sms`, `email`.
 */
notification_channels: Array<CatalogueEntry>, history_kinds: Array<CatalogueEntry>, errors: Array<CatalogueEntry>, };

/**
 * What `demo_data::fill` made.
 */
export type DemoSummary = { applications: number, school_id: string, clerk_iin: string, clerk_name: string, };

/**
 * A clerk's decision as the UI sends it.
 */
export type DecisionInput = { application_id: string, 
/**
 * `accept` or `reject`.
 */
decision: string, 
/**
 * A key of the catalogue's `reject_reasons` (reject only).
 */
reason_code: string | null, 
/**
 * Required for `other`, optional otherwise.
 */
reason_text: string | null, };

/**
 * What a signed decision did locally.
 */
export type DecisionOutcome = { application_id: string, status: StatusKey, outbox_seq: number, signer_name: string, signer_iin: string, 
/**
 * SHA-256 of the signed bytes: what a receipt's QR code carries.
 */
payload_sha256: string, };

/**
 * Which key signs: a token through its PKCS#11 module, or an NCA key file.
 * The PIN / password travels separately and is never part of a view.
 */
export type KeyChoice = { "kind": "token", module: string, token_label: string, } | { "kind": "key_file", file: string, } | { "kind": "ncalayer", locale: string, };

export type TokenCertificateView = { subject: string, owner_iin: string | null, common_name: string | null, not_after: string, 
/**
 * A signing key (RSA_*), not authentication-only (AUTH_RSA_*).
 */
signing: boolean, 
/**
 * `RSA`, `GOST 2015`, … (the signing dialog shows it beside the key).
 */
algorithm: string, };

/**
 * A token in a slot, as the signing dialog lists it.
 */
export type TokenView = { 
/**
 * The id of its PKCS#11 module (sent back in `KeyChoice::Token`), not a path.
 */
module: string, label: string, serial: string, manufacturer: string, pin_count_low: boolean, pin_final_try: boolean, pin_locked: boolean, certificates: Array<TokenCertificateView>, };

/**
 * A person as the wizard's fields hold them.
 */
export type PersonInput = { iin: string, surname: string, given: string, patronymic: string, };

/**
 * The child as the register returned them or the clerk entered them offline.
 */
export type ChildInput = { person: PersonInput, birth_certificate: string, registered_address: string, registered_address_id: string | null, 
/**
 * The micro-district of the registered address, after binding if needed (R-15…R-17).
 */
micro_district_id: string | null, 
/**
 * R-15…R-17: the registered address is in no micro-district and the clerk binds it
 * to one; sent to the portal as its own signed act before the submission.
 */
binding: BindingInput | null, };

/**
 * The clerk's binding of the child's registered address to a micro-district (R-16,
 * «Микротелімдерді біріктіру» → «Біріктіру»).
 */
export type BindingInput = { micro_district_id: string, 
/**
 * the clerk confirmed they take responsibility for changing the child's data.
 */
responsibility_confirmed: boolean, };

/**
 * A person as the population register gave them: what «ЖСН-ды тексеру»
 * fills in.
 */
export type RegisterPersonView = { person: PersonInput, 
/**
 * `YYYY-MM-DD`.
 */
birth_date: string, 
/**
 * `male` or `female`.
 */
sex: string, birth_certificate: string, registered_address_id: string, registered_address_kk: string, registered_address_ru: string, micro_district_id: string | null, micro_district_kk: string | null, micro_district_ru: string | null, 
/**
 * the registered address is in no micro-district: the wizard shows the
 * message and offers the binding (or a temporary registration, R-18).
 */
needs_binding: boolean, 
/**
 * For a child: the parents the register knows.
 */
parents: Array<PersonInput>, };

/**
 * An address of the register for the drop-down of full addresses.
 */
export type AddressChoiceView = { id: string, full_kk: string, full_ru: string, micro_district_id: string | null, };

/**
 * A confirmation code sent.
 */
export type CodeSentView = { code_id: string, 
/**
 * `sms` or `email`.
 */
channel: string, destination: string, expires_at: string, 
/**
 * «Код жіберу» again only after this many seconds.
 */
resend_after_seconds: number, };

/**
 * What a walk-in's submission waits for before it is sent (issue 11).
 */
export type HoldView = { 
/**
 * `phone_unconfirmed` («расталмаған»), `email_unconfirmed`, `register_unchecked`
 * («тексерілмеген»), `binding_refused` (the portal refused the clerk's binding).
 */
reason: string, 
/**
 * The register check's findings, both versions of each field (empty until it ran).
 */
differences: Array<DifferenceView>, 
/**
 * `binding_refused`: the portal's words on the refused binding (R-15…R-17); the
 * clerk binds the address again and signs the submission again.
 */
message: string | null, 
/**
 * `binding_refused`: the micro-district the refused binding named.
 */
micro_district_id: string | null, };

/**
 * One field where the typed data and the register differ: the clerk decides.
 */
export type DifferenceView = { 
/**
 * e.g. `child.surname`, `applicant.given`, `child.birth_certificate`.
 */
field: string, typed: string | null, register: string | null, };

export type TemporaryRegistrationInput = { address: string, 
/**
 * As typed: `dd.mm.yyyy` (`YYYY-MM-DD` is read too).
 */
from: string, until: string, };

/**
 * A file the clerk attached, read from disk by the desk.
 */
export type DocumentInput = { 
/**
 * A key of the catalogue's `document_kinds`.
 */
kind: string, 
/**
 * The handle the file dialog gave (`DocumentFileView.file`), never a path (issue 15).
 */
file: string, };

/**
 * Everything the on-behalf wizard collected (R-8…R-18).
 */
export type OnBehalfInput = { applicant: PersonInput, child: ChildInput, phone: string, extra_phone: string, email: string, actual_address: string, 
/**
 * the child has a temporary registration.
 */
temporary_registration: TemporaryRegistrationInput | null, school_id: string, grade: number, 
/**
 * `kk` or `ru`.
 */
language: string, documents: Array<DocumentInput>, consent_admission_rules: boolean, consent_portal_terms: boolean, consent_personal_data: boolean, 
/**
 * `kk`/`ru` for notifications, empty for none.
 */
notifications: string, 
/**
 * `sms` or `email`: how notifications are sent; needed when `notifications` is set.
 */
notification_channel: string, 
/**
 * the portal's confirmed code of the main phone, empty when not confirmed yet
 * (offline: the submission waits, «расталмаған», until it is).
 */
phone_code_id: string, 
/**
 * the confirmed code of the e-mail, if one is given.
 */
email_code_id: string, 
/**
 * the applicant's and the child's data came from the population
 * register («ЖСН-ды тексеру» answered); `false` for data typed offline
 * («тексерілмеген»), checked against the register before sending.
 */
register_checked: boolean, };

/**
 * One wrong field of a form, with the code of what is wrong.
 */
export type FieldErrorView = { 
/**
 * A path into the input, e.g. `child.person.iin`, `documents[1]`.
 */
field: string, code: string, };

/**
 * What an on-behalf submission did locally.
 */
export type SubmissionOutcome = { application_id: string, 
/**
 * Provisional `L-YYYY-NNNNNN` until the portal gives its number.
 */
number: string, 
/**
 * Codes the clerk should see but that do not stop the submission
 * (e.g. `CHILD_OLDER_THAN_USUAL`).
 */
warnings: Array<string>, payload_sha256: string, };

/**
 * A rendered receipt, ready to save or print.
 */
export type ReceiptFile = { file_name: string, 
/**
 * `acceptance`, `documents` or `rejection`.
 */
kind: string, provisional: boolean, 
/**
 * The text of the QR code.
 */
qr: string, };

/**
 * A receipt's QR checked against the journal.
 */
export type ReceiptCheck = { application_id: string, number: string, status: StatusKey, date: string, };

/**
 * A micro-district of the reference list (R-16: the clerk picks one for an address
 * that belongs to none).
 */
export type MicroDistrictView = { id: string, school_id: string, name_kk: string, name_ru: string, };

/**
 * A school the wizard offers: it has free places for the class and language.
 */
export type SchoolChoiceView = { id: string, name_kk: string, name_ru: string, address_kk: string, address_ru: string, free: number, 
/**
 * The school of the child's micro-district: listed first.
 */
of_micro_district: boolean, };

/**
 * What this desk knows about a child by IIN, offline: the date of birth and
 * sex from the IIN, and the child's data from an earlier application in the journal.
 */
export type ChildLookupView = { iin: string, birth_date: string, 
/**
 * `male` or `female`.
 */
sex: string, 
/**
 * `None` when the journal has never seen this child: the clerk types the data.
 */
child: ChildInput | null, micro_district_kk: string | null, micro_district_ru: string | null, 
/**
 * the «registered address in no micro-district» message shows
 * (`desk::wizard_form::shows_no_micro_district`).
 */
shows_no_micro_district: boolean, };

/**
 * A file the clerk chose in the native dialog (a document, R-23; a key file, R-34),
 * checked when picked (issue 15: `desk::picked_files`).
 */
export type DocumentFileView = { 
/**
 * The handle the shell issued for the picked file: what the UI sends back.
 */
file: string, file_name: string, 
/**
 * Its size as attached (after an image over 1 MB was made to fit, R-23).
 */
size: number, 
/**
 * `image/jpeg`, `image/png` or `application/pdf`, from its bytes.
 */
media_type: string, 
/**
 * the size it was picked at, when it was an image over 1 MB made to fit.
 */
reduced_from: number | null, 
/**
 * the image made to fit waits for the clerk to look at it
 * (`wizard_document_readable`) before it can be attached.
 */
needs_readability_check: boolean, 
/**
 * Why the file cannot be attached (`DOCUMENT_TOO_LARGE`, `DOCUMENT_EMPTY`,
 * `DOCUMENT_UNREADABLE`), with its text naming the size; `None` when it is fine.
 */
problem: string | null, problem_kk: string | null, problem_ru: string | null, };

/**
 * A name in its three parts.
 */
export type NameView = { surname: string, given: string, patronymic: string | null, };

/**
 * A walk-in child of the demo population register (demo and tests only).
 */
export type WalkInView = { iin: string, name: NameView, birth_certificate: string, address_id: string, address_kk: string | null, address_ru: string | null, micro_district_id: string | null, micro_district_kk: string | null, micro_district_ru: string | null, school_id: string | null, parent_iin: string, parent_name: NameView, };

/**
 * A district or city of the region.
 */
export type DistrictView = { id: string, name_kk: string, name_ru: string, };

/**
 * What the sign-in form needs.
 */
export type SignInForm = { 
/**
 * A portal is configured for this window (`QABYLDAU_PORTAL`).
 */
portal_configured: boolean, portal_url: string | null, 
/**
 * The sync worker runs in this window (someone signed in).
 */
signed_in: boolean, districts: Array<DistrictView>, 
/**
 * The district chosen at the last sign-in on this desk.
 */
district_id: string | null, 
/**
 * Whoever signed in to the portal on this desk before (IIN), if anyone.
 */
earlier_iin: string | null, earlier_name: string | null, 
/**
 * Demo only: the demo clerk's IIN and password to prefill (`QABYLDAU_DEMO_IIN`,
 * `QABYLDAU_DEMO_PASSWORD`), shown with a "demo" note.
 */
demo_iin: string | null, demo_password: string | null, };

/**
 * The sync part of the status bar (R-33, UI.md).
 */
export type SyncBar = { 
/**
 * `no_portal`, `online`, `offline`, `syncing`, `sign_in_required`.
 */
state: string, signed_in: boolean, last_sync: string | null, 
/**
 * Outbox entries waiting to be sent.
 */
pending: number, 
/**
 * Rows the portal refused.
 */
refused: number, 
/**
 * Pulled applications this app could not read, kept raw until an update reads
 * them («could not be read, N», issue 12).
 */
unreadable: number, 
/**
 * Stable code of the last failure and its words; `None` after a completed round.
 */
last_error: string | null, last_error_kk: string | null, last_error_ru: string | null, 
/**
 * Rows received from the portal in the round that runs (progress of a long sync).
 */
round_rows: number, 
/**
 * Rows in the local journal now.
 */
journal_rows: number, };

/**
 * Who is at the desk (issue 16): the window shows the sign-in view, the journal or the
 * lock screen from this alone.
 */
export type SessionView = { 
/**
 * `signed_out`, `open` or `locked`; during a first sign-in (R-2) `email_required`
 * (the e-mail to give) and `email_code` (the code sent to it).
 */
state: string, 
/**
 * During a first sign-in: the e-mail the portal has for the clerk, or the one the
 * code was sent to.
 */
email: string | null, clerk_iin: string | null, clerk_name: string | null, 
/**
 * How the clerk signed in: `password`, `eds` or `offline`.
 */
method: string | null, 
/**
 * The desk locks after this many seconds without the clerk's activity.
 */
lock_after_seconds: number, 
/**
 * The sync worker stopped for good with this code (a new sign-in is needed).
 */
worker_stopped: string | null, };

/**
 * What the open application offers now (decisions and printing), so the
 * window shows its buttons from the rules rather than guessing.
 */
export type ApplicationActions = { 
/**
 * Accept / reject can be signed now.
 */
can_decide: boolean, 
/**
 * Why not: an error code with catalogue text (`TRANSITION_NOT_ALLOWED`,
 * `APPLICATION_PROVISIONAL`).
 */
decide_blocked: string | null, 
/**
 * `acceptance`, `rejection` or `documents`; `None` when the state has no receipt.
 */
receipt_kind: string | null, };

/**
 * The app's version and build, for the about box and `qabyldau --version`.
 */
export type AboutView = { version: string, commit: string, build_date: string, };

export type ModuleView = { 
/**
 * What the UI sends back (never a path).
 */
id: string, 
/**
 * Shown to the clerk and the IT person.
 */
path: string, vendor: string | null, 
/**
 * `found` (a vendor's usual path) or `configured`.
 */
origin: string, present: boolean, 
/**
 * Added on the settings screen: the clerk may remove it.
 */
removable: boolean, };

export type SettingsProblemView = { 
/**
 * `file`, `environment`, `screen`.
 */
source: string, code: string, detail: string, };

export type SettingsAuditView = { changed_at: string, clerk_iin: string, setting: string, old_value: string | null, new_value: string | null, };

/**
 * Everything the settings screen shows. Each `*_source` is `default`, `file`,
 * `environment` or `screen`.
 */
export type SettingsView = { portal_url: string, portal_url_source: string, 
/**
 * `application`, `kk` or `ru`.
 */
receipt_language: string, receipt_language_source: string, lock_timeout_minutes: number, lock_timeout_source: string, data_dir: string, journal_file: string, config_file: string, modules: Array<ModuleView>, problems: Array<SettingsProblemView>, 
/**
 * The configuration file could not be read (nothing is saved until it is fixed).
 */
file_error: SettingsProblemView | null, 
/**
 * The file was upgraded from this version on this start; the old one kept here.
 */
upgraded_from: number | null, upgraded_kept_as: string | null, 
/**
 * No portal configured: the first-run screen.
 */
first_run: boolean, 
/**
 * Started with `--demo`: the demo journal and portal, never the real ones.
 */
demo: boolean, history: Array<SettingsAuditView>, about: AboutView, };

/**
 * What the settings screen sends on «save».
 */
export type SettingsInput = { portal_url: string, receipt_language: string, lock_timeout_minutes: string, 
/**
 * Ids of modules added on the screen to remove.
 */
remove_modules: Array<string>, };

/**
 * The answer of the portal «check».
 */
export type PortalCheckView = { url: string, 
/**
 * The portal answered.
 */
reachable: boolean, 
/**
 * https with a certificate this computer trusts (`false` for http to this computer).
 */
tls_ok: boolean, region_kk: string | null, region_ru: string | null, 
/**
 * Why not, as a catalogue code (`PORTAL_UNREACHABLE`, `PORTAL_TLS_FAILED`, …).
 */
code: string | null, };

/**
 * One document row of the wizard: its kind and whether it must be attached.
 */
export type DocumentSlotView = { 
/**
 * A key of the catalogue's `document_kinds`.
 */
kind: string, mandatory: boolean, label_kk: string, label_ru: string, };

/**
 * A preview of one document.
 */
export type DocumentPreviewView = { file_name: string, media_type: string, size: number, 
/**
 * `data:image/…;base64,…` for a JPEG or PNG, from its bytes.
 */
image: string | null, 
/**
 * The number of pages of a PDF that parses; `None` for an image or a damaged PDF.
 */
pdf_pages: number | null, 
/**
 * A PDF that does not parse (it would not open at the school either).
 */
pdf_damaged: boolean, };

/**
 * What the wizard's form offers, asked once when it opens.
 */
export type WizardFormView = { 
/**
 * The documents a parent attaches, in the order shown: the mandatory ones first.
 */
documents: Array<DocumentSlotView>, 
/**
 * The grades a walk-in application is taken for (R-10: first grade).
 */
grades: Array<number>, default_grade: number, 
/**
 * The largest document attached, in bytes (R-23: 1 MB).
 */
document_max_bytes: number, };

/**
 * The schools for the wizard's step 2 and which one is chosen for the clerk.
 */
export type SchoolChoicesView = { 
/**
 * Only schools with free places, the micro-district's first.
 */
schools: Array<SchoolChoiceView>, 
/**
 * The school the system assigns: the micro-district's, when it has places;
 * `None` when the clerk must choose (no micro-district, a temporary registration).
 */
assigned: string | null, 
/**
 * the child has a micro-district (no temporary registration) but its school
 * has no free places: the clerk chooses another and the message says so.
 */
own_school_missing: boolean, };

/**
 * The clerk's draft as the window opens it again: the UI's JSON and when it was last
 * saved, in office time (`…+05:00`, `domain::office_time`) like every time the desk
 * sends, so the «saved at» line never follows the PC's zone (issue 17).
 */
export type WizardDraftView = { body: string, saved_at: string, };

/**
 * What the clerk changes in the held submission, as the window sends it
 * (`{ kind: "rebind", binding }` or `{ kind: "register_version" }`).
 */
export type Correction = { "kind": "rebind", "binding": BindingInput } | { "kind": "register_version" };

/**
 * The part of a form an error belongs next to.
 */
export type ErrorPlace = "form" | "key" | "secret" | "school" | "reject_reason" | "district";

/**
 * What crosses to the UI when something fails: a stable code the UI acts on, the
 * message in both languages with its details (an expiry date, a token's label) so the
 * UI shows it in the language of the moment, and the English detail for logs.
 */
export type UiError = { 
/**
 * The stable code (every one is a `&'static str` of its crate's error type).
 */
code: string, kk: string, ru: string, detail: string | null, 
/**
 * For a form: every wrong field with its own code, shown next to the field.
 */
fields: Array<FieldErrorView>, 
/**
 * Where the window shows it (next to the key, the PIN, the school, …), decided by
 * [`crate::error_place::place_of`] from the code.
 */
place: ErrorPlace, };
