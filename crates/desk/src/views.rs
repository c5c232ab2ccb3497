//! What crosses to the UI (and to `qabyldau journal --json`). These types are a
//! compatibility promise: TypeScript types are generated from them (ts-rs) into
//! `ui/src/generated/`, and a test fails when the committed files are stale.
//! Times are RFC 3339 strings; dates are `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::views_walk_in::{
    AddressChoiceView, CodeSentView, DifferenceView, HoldView, RegisterPersonView,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatusKey {
    New,
    UnderReview,
    Accepted,
    Rejected,
    Withdrawn,
}

impl From<domain::Status> for StatusKey {
    fn from(s: domain::Status) -> StatusKey {
        match s {
            domain::Status::New => StatusKey::New,
            domain::Status::UnderReview => StatusKey::UnderReview,
            domain::Status::Accepted => StatusKey::Accepted,
            domain::Status::Rejected => StatusKey::Rejected,
            domain::Status::Withdrawn => StatusKey::Withdrawn,
        }
    }
}

impl From<StatusKey> for domain::Status {
    fn from(s: StatusKey) -> domain::Status {
        match s {
            StatusKey::New => domain::Status::New,
            StatusKey::UnderReview => domain::Status::UnderReview,
            StatusKey::Accepted => domain::Status::Accepted,
            StatusKey::Rejected => domain::Status::Rejected,
            StatusKey::Withdrawn => domain::Status::Withdrawn,
        }
    }
}

/// whether the portal has what the row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncMarkKey {
    None,
    Waiting,
    Refused,
}

impl From<store::SyncMark> for SyncMarkKey {
    fn from(m: store::SyncMark) -> SyncMarkKey {
        match m {
            store::SyncMark::None => SyncMarkKey::None,
            store::SyncMark::Waiting => SyncMarkKey::Waiting,
            store::SyncMark::Refused => SyncMarkKey::Refused,
        }
    }
}

impl From<SyncMarkKey> for store::SyncMark {
    fn from(m: SyncMarkKey) -> store::SyncMark {
        match m {
            SyncMarkKey::None => store::SyncMark::None,
            SyncMarkKey::Waiting => store::SyncMark::Waiting,
            SyncMarkKey::Refused => store::SyncMark::Refused,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JournalSort {
    #[default]
    SubmittedDesc,
    SubmittedAsc,
    ChildName,
}

/// The journal's filters, search and page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct JournalQuery {
    /// A surname prefix, an IIN (or its start) or an application number (or its start).
    pub search: Option<String>,
    pub status: Option<StatusKey>,
    pub sync: Option<SyncMarkKey>,
    pub grade: Option<u8>,
    /// `kk` or `ru`.
    pub language: Option<String>,
    pub micro_district: Option<String>,
    /// `YYYY-MM-DD`, inclusive, in the office's calendar.
    pub submitted_from: Option<String>,
    pub submitted_to: Option<String>,
    pub sort: JournalSort,
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// Rows per page, 1–1000 (0 means the default, 100).
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JournalRow {
    pub id: String,
    pub number: String,
    pub provisional: bool,
    pub child_name: String,
    pub child_iin: String,
    pub submitted_at: String,
    pub school_id: String,
    pub school_name_kk: String,
    pub school_name_ru: String,
    pub grade: u8,
    pub language: String,
    pub status: StatusKey,
    pub sync: SyncMarkKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct StatusCounts {
    pub all: u32,
    pub new: u32,
    pub under_review: u32,
    pub accepted: u32,
    pub rejected: u32,
    pub withdrawn: u32,
    pub waiting: u32,
    pub refused: u32,
    /// Pulled applications this app could not read, kept raw (issue 12).
    pub unreadable: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JournalPage {
    pub rows: Vec<JournalRow>,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next: Option<String>,
    /// Rows matching the filters, counted up to `total_capped`.
    pub total: u32,
    /// True when there are more than `total` (the UI shows "10 000+").
    pub total_capped: bool,
    pub counts: StatusCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonView {
    pub iin: String,
    pub surname: String,
    pub given: String,
    pub patronymic: Option<String>,
    pub full_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChildView {
    pub person: PersonView,
    pub birth_date: String,
    /// `male` or `female`, from the IIN.
    pub sex: String,
    pub birth_certificate: String,
    pub registered_address: String,
    pub micro_district_id: Option<String>,
    pub micro_district_kk: Option<String>,
    pub micro_district_ru: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContactsView {
    pub phone: String,
    pub extra_phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TemporaryRegistrationView {
    pub address: String,
    pub from: String,
    pub until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SchoolView {
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
    pub address_kk: String,
    pub address_ru: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsentsView {
    pub admission_rules: bool,
    pub portal_terms: bool,
    pub personal_data: bool,
    pub notifications: Option<String>,
    /// `sms` or `email`.
    pub notification_channel: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RejectReasonView {
    pub code: String,
    pub text: Option<String>,
}

/// What the portal said when it refused a local action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RefusalView {
    pub code: String,
    pub message: String,
}

/// One entry of the "History of changes" tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryEntryView {
    pub at: String,
    pub actor_iin: Option<String>,
    pub actor_name: Option<String>,
    /// A key of the catalogue's `history_kinds`.
    pub kind: String,
    pub status_from: Option<StatusKey>,
    pub status_to: Option<StatusKey>,
    pub note: Option<String>,
    /// The key algorithm of a signed action (`RSA-2048`, `GOST 34.10-2015 512`, …), shown
    /// beside it (issue 10).
    pub signed_with: Option<String>,
    /// `true` when the key was used offline, before NCA's OCSP/CRL answered: the portal
    /// checks revocation on arrival (issue 10). `false` for actions without a signature
    /// and for keys whose revocation was checked.
    pub revocation_unchecked: bool,
}

/// One entry of the "General documents" tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentView {
    pub id: String,
    /// A key of the catalogue's `document_kinds`.
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u32,
    /// Made by the system (receipts, notices, signatures) rather than attached.
    pub generated: bool,
    /// The bytes are on this computer and open offline.
    pub cached: bool,
}

/// An opened application: the three tabs of R-5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApplicationView {
    /// The name of another clerk whose change of this application waits to be sent: it
    /// goes only under that clerk's own portal session ("waits for … to sign in").
    pub waits_for_clerk: Option<String>,
    pub id: String,
    pub number: String,
    pub provisional: bool,
    pub status: StatusKey,
    pub sync: SyncMarkKey,
    pub refusal: Option<RefusalView>,
    pub version: u32,
    pub submitted_at: String,
    pub on_behalf: bool,
    pub applicant: PersonView,
    pub child: ChildView,
    pub contacts: ContactsView,
    pub actual_address: Option<String>,
    pub temporary_registration: Option<TemporaryRegistrationView>,
    pub school: SchoolView,
    pub grade: u8,
    pub language: String,
    pub consents: ConsentsView,
    pub reject_reason: Option<RejectReasonView>,
    pub history: Vec<HistoryEntryView>,
    pub documents: Vec<DocumentView>,
    /// A walk-in's submission waits for these before it is sent (issue 11, R-21, R-22).
    pub holds: Vec<HoldView>,
}

/// The always-visible status bar (UI.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatusBar {
    pub clerk_name: Option<String>,
    pub clerk_iin: Option<String>,
    pub school_name_kk: Option<String>,
    pub school_name_ru: Option<String>,
    pub online: bool,
    pub last_sync: Option<String>,
    pub waiting: u32,
    pub refused: u32,
    /// The history chain is broken: an entry was edited or removed around the app
    /// (issue 15; `qabyldau audit verify` names the entry).
    pub history_broken: bool,
    /// Pulled applications this app could not read, kept raw (issue 12).
    pub unreadable: u32,
}

/// A key with its Kazakh and Russian text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CatalogueEntry {
    pub key: String,
    pub kk: String,
    pub ru: String,
}

/// Every label that comes from the rules rather than from the UI: one source, two languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Catalogue {
    pub statuses: Vec<CatalogueEntry>,
    pub sync_marks: Vec<CatalogueEntry>,
    pub reject_reasons: Vec<CatalogueEntry>,
    pub document_kinds: Vec<CatalogueEntry>,
    pub languages: Vec<CatalogueEntry>,
    /// How notifications are sent: `sms`, `email`.
    pub notification_channels: Vec<CatalogueEntry>,
    pub history_kinds: Vec<CatalogueEntry>,
    pub errors: Vec<CatalogueEntry>,
}

/// What `demo_data::fill` made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DemoSummary {
    pub applications: u32,
    pub school_id: String,
    pub clerk_iin: String,
    pub clerk_name: String,
}

/// A clerk's decision as the UI sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DecisionInput {
    pub application_id: String,
    /// `accept` or `reject`.
    pub decision: String,
    /// A key of the catalogue's `reject_reasons` (reject only).
    pub reason_code: Option<String>,
    /// Required for `other`, optional otherwise.
    pub reason_text: Option<String>,
}

/// What a signed decision did locally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DecisionOutcome {
    pub application_id: String,
    pub status: StatusKey,
    pub outbox_seq: u32,
    pub signer_name: String,
    pub signer_iin: String,
    /// SHA-256 of the signed bytes: what a receipt's QR code carries.
    pub payload_sha256: String,
}

/// Which key signs: a token through its PKCS#11 module, or an NCA key file.
/// The PIN / password travels separately and is never part of a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyChoice {
    /// `module` is the id of a module the desk listed (`TokenView::module`), never a
    /// path; empty: the first module present.
    Token { module: String, token_label: String },
    /// `file`: the handle `pick_key_file` gave, never a path (issue 15).
    KeyFile { file: String },
    /// NCALayer (issue 14): it asks for the storage and PIN in its own window, in
    /// `locale` (`kk`/`ru`, the window's language); no secret travels here.
    #[serde(rename = "ncalayer")]
    NcaLayer { locale: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TokenCertificateView {
    pub subject: String,
    pub owner_iin: Option<String>,
    pub common_name: Option<String>,
    pub not_after: String,
    /// A signing key (RSA_*), not authentication-only (AUTH_RSA_*).
    pub signing: bool,
    /// `RSA`, `GOST 2015`, … (the signing dialog shows it beside the key).
    pub algorithm: String,
}

/// A token in a slot, as the signing dialog lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TokenView {
    /// The id of its PKCS#11 module (sent back in `KeyChoice::Token`), not a path.
    pub module: String,
    pub label: String,
    pub serial: String,
    pub manufacturer: String,
    pub pin_count_low: bool,
    pub pin_final_try: bool,
    pub pin_locked: bool,
    pub certificates: Vec<TokenCertificateView>,
}

/// A person as the wizard's fields hold them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PersonInput {
    pub iin: String,
    pub surname: String,
    pub given: String,
    pub patronymic: String,
}

impl PersonInput {
    /// The fields filled with a person the desk knows (the journal, the register).
    pub fn of(iin: &domain::Iin, name: &domain::FullName) -> PersonInput {
        PersonInput {
            iin: iin.to_string(),
            surname: name.surname.to_string(),
            given: name.given.to_string(),
            patronymic: name
                .patronymic
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    }
}

/// The child as the register returned them or the clerk entered them offline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ChildInput {
    pub person: PersonInput,
    pub birth_certificate: String,
    pub registered_address: String,
    pub registered_address_id: Option<String>,
    /// The micro-district of the registered address, after binding if needed (R-15…R-17).
    pub micro_district_id: Option<String>,
    /// R-15…R-17: the registered address is in no micro-district and the clerk binds it
    /// to one; sent to the portal as its own signed act before the submission.
    pub binding: Option<BindingInput>,
}

/// The clerk's binding of the child's registered address to a micro-district (R-16,
/// «Микротелімдерді біріктіру» → «Біріктіру»).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct BindingInput {
    pub micro_district_id: String,
    /// the clerk confirmed they take responsibility for changing the child's data.
    pub responsibility_confirmed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TemporaryRegistrationInput {
    pub address: String,
    /// As typed: `dd.mm.yyyy` (`YYYY-MM-DD` is read too).
    pub from: String,
    pub until: String,
}

/// A file the clerk attached, read from disk by the desk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DocumentInput {
    /// A key of the catalogue's `document_kinds`.
    pub kind: String,
    /// The handle the file dialog gave (`DocumentFileView.file`), never a path (issue 15).
    pub file: String,
}

/// Everything the on-behalf wizard collected (R-8…R-18).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct OnBehalfInput {
    pub applicant: PersonInput,
    pub child: ChildInput,
    pub phone: String,
    pub extra_phone: String,
    pub email: String,
    pub actual_address: String,
    /// the child has a temporary registration.
    pub temporary_registration: Option<TemporaryRegistrationInput>,
    pub school_id: String,
    pub grade: u8,
    /// `kk` or `ru`.
    pub language: String,
    pub documents: Vec<DocumentInput>,
    pub consent_admission_rules: bool,
    pub consent_portal_terms: bool,
    pub consent_personal_data: bool,
    /// `kk`/`ru` for notifications, empty for none.
    pub notifications: String,
    /// `sms` or `email`: how notifications are sent; needed when `notifications` is set.
    pub notification_channel: String,
    /// the portal's confirmed code of the main phone, empty when not confirmed yet
    /// (offline: the submission waits, «расталмаған», until it is).
    pub phone_code_id: String,
    /// the confirmed code of the e-mail, if one is given.
    pub email_code_id: String,
    /// the applicant's and the child's data came from the population
    /// register («ЖСН-ды тексеру» answered); `false` for data typed offline
    /// («тексерілмеген»), checked against the register before sending.
    pub register_checked: bool,
}

/// One wrong field of a form, with the code of what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldErrorView {
    /// A path into the input, e.g. `child.person.iin`, `documents[1]`.
    pub field: String,
    pub code: String,
}

/// What an on-behalf submission did locally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SubmissionOutcome {
    pub application_id: String,
    /// Provisional `L-YYYY-NNNNNN` until the portal gives its number.
    pub number: String,
    /// Codes the clerk should see but that do not stop the submission
    /// (e.g. `CHILD_OLDER_THAN_USUAL`).
    pub warnings: Vec<String>,
    pub payload_sha256: String,
}

/// A rendered receipt, ready to save or print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiptFile {
    pub file_name: String,
    /// `acceptance`, `documents` or `rejection`.
    pub kind: String,
    pub provisional: bool,
    /// The text of the QR code.
    pub qr: String,
    #[serde(skip)]
    #[ts(skip)]
    pub pdf: Vec<u8>,
}

/// A receipt's QR checked against the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReceiptCheck {
    pub application_id: String,
    pub number: String,
    pub status: StatusKey,
    pub date: String,
}

// ---- The on-behalf wizard (R-8…) ----

/// A micro-district of the reference list (R-16: the clerk picks one for an address
/// that belongs to none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MicroDistrictView {
    pub id: String,
    pub school_id: String,
    pub name_kk: String,
    pub name_ru: String,
}

/// A school the wizard offers: it has free places for the class and language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SchoolChoiceView {
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
    pub address_kk: String,
    pub address_ru: String,
    pub free: u32,
    /// The school of the child's micro-district: listed first.
    pub of_micro_district: bool,
}

/// What this desk knows about a child by IIN, offline: the date of birth and
/// sex from the IIN, and the child's data from an earlier application in the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChildLookupView {
    pub iin: String,
    pub birth_date: String,
    /// `male` or `female`.
    pub sex: String,
    /// `None` when the journal has never seen this child: the clerk types the data.
    pub child: Option<ChildInput>,
    pub micro_district_kk: Option<String>,
    pub micro_district_ru: Option<String>,
    /// the «registered address in no micro-district» message shows
    /// (`desk::wizard_form::shows_no_micro_district`).
    pub shows_no_micro_district: bool,
}

/// A file the clerk chose in the native dialog (a document, R-23; a key file, R-34),
/// checked when picked (issue 15: `desk::picked_files`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentFileView {
    /// The handle the shell issued for the picked file: what the UI sends back.
    pub file: String,
    pub file_name: String,
    /// Its size as attached (after an image over 1 MB was made to fit, R-23).
    pub size: u32,
    /// `image/jpeg`, `image/png` or `application/pdf`, from its bytes.
    pub media_type: String,
    /// the size it was picked at, when it was an image over 1 MB made to fit.
    pub reduced_from: Option<u32>,
    /// the image made to fit waits for the clerk to look at it
    /// (`wizard_document_readable`) before it can be attached.
    pub needs_readability_check: bool,
    /// Why the file cannot be attached (`DOCUMENT_TOO_LARGE`, `DOCUMENT_EMPTY`,
    /// `DOCUMENT_UNREADABLE`), with its text naming the size; `None` when it is fine.
    pub problem: Option<String>,
    pub problem_kk: Option<String>,
    pub problem_ru: Option<String>,
}

// --- sign-in and sync ---

/// A district or city of the region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DistrictView {
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
}

/// What the sign-in form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignInForm {
    /// A portal is configured for this window (`QABYLDAU_PORTAL`).
    pub portal_configured: bool,
    pub portal_url: Option<String>,
    /// The sync worker runs in this window (someone signed in).
    pub signed_in: bool,
    pub districts: Vec<DistrictView>,
    /// The district chosen at the last sign-in on this desk.
    pub district_id: Option<String>,
    /// Whoever signed in to the portal on this desk before (IIN), if anyone.
    pub earlier_iin: Option<String>,
    pub earlier_name: Option<String>,
    /// Demo only: the demo clerk's IIN and password to prefill (`QABYLDAU_DEMO_IIN`,
    /// `QABYLDAU_DEMO_PASSWORD`), shown with a "demo" note.
    pub demo_iin: Option<String>,
    pub demo_password: Option<String>,
}

/// Who is at the desk (issue 16): the window shows the sign-in view, the journal or the
/// lock screen from this alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SessionView {
    /// `signed_out`, `open` or `locked`; during a first sign-in (R-2) `email_required`
    /// (the e-mail to give) and `email_code` (the code sent to it).
    pub state: String,
    /// During a first sign-in: the e-mail the portal has for the clerk, or the one the
    /// code was sent to.
    pub email: Option<String>,
    pub clerk_iin: Option<String>,
    pub clerk_name: Option<String>,
    /// How the clerk signed in: `password`, `eds` or `offline`.
    pub method: Option<String>,
    /// The desk locks after this many seconds without the clerk's activity.
    pub lock_after_seconds: u32,
    /// The sync worker stopped for good with this code (a new sign-in is needed).
    pub worker_stopped: Option<String>,
}

/// The sync part of the status bar (R-33, UI.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncBar {
    /// `no_portal`, `online`, `offline`, `syncing`, `sign_in_required`.
    pub state: String,
    pub signed_in: bool,
    pub last_sync: Option<String>,
    /// Outbox entries waiting to be sent.
    pub pending: u32,
    /// Rows the portal refused.
    pub refused: u32,
    /// Pulled applications this app could not read, kept raw until an update reads
    /// them («could not be read, N», issue 12).
    pub unreadable: u32,
    /// Stable code of the last failure and its words; `None` after a completed round.
    pub last_error: Option<String>,
    pub last_error_kk: Option<String>,
    pub last_error_ru: Option<String>,
    /// Rows received from the portal in the round that runs (progress of a long sync).
    pub round_rows: u32,
    /// Rows in the local journal now.
    pub journal_rows: u32,
}

/// What the open application offers now (decisions and printing), so the
/// window shows its buttons from the rules rather than guessing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApplicationActions {
    /// Accept / reject can be signed now.
    pub can_decide: bool,
    /// Why not: an error code with catalogue text (`TRANSITION_NOT_ALLOWED`,
    /// `APPLICATION_PROVISIONAL`).
    pub decide_blocked: Option<String>,
    /// `acceptance`, `rejection` or `documents`; `None` when the state has no receipt.
    pub receipt_kind: Option<String>,
}

/// A name in its three parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NameView {
    pub surname: String,
    pub given: String,
    pub patronymic: Option<String>,
}

/// A walk-in child of the demo population register (demo and tests only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WalkInView {
    pub iin: String,
    pub name: NameView,
    pub birth_certificate: String,
    pub address_id: String,
    pub address_kk: Option<String>,
    pub address_ru: Option<String>,
    pub micro_district_id: Option<String>,
    pub micro_district_kk: Option<String>,
    pub micro_district_ru: Option<String>,
    pub school_id: Option<String>,
    pub parent_iin: String,
    pub parent_name: NameView,
}
