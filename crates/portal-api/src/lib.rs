//! Wire types of the regional portal API, version 1. The contract is
//! `api/portal.openapi.yaml`; these types are its Rust form, shared by `portal-sim`
//! (the server) and `sync` (the client), and both are tested against the document.
//!
//! Plain strings and numbers only: every `Serialize` here is a compatibility promise.
//! Timestamps are RFC 3339 strings, dates `YYYY-MM-DD`. Requests refuse unknown fields
//! (`deny_unknown_fields`); responses are read leniently so the portal may add fields.
//! Conversions to and from `domain` types live in [`convert`].

pub mod convert;

use serde::{Deserialize, Serialize};

/// Every API path starts with this.
pub const API_PREFIX: &str = "/api/v1";
/// Header every write carries (R-33: a retried write makes one effect).
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// Content type of every error answer.
pub const PROBLEM_JSON: &str = "application/problem+json";
/// Largest request body the portal reads (documents are base64 inside).
pub const BODY_MAX_BYTES: usize = 8 * 1024 * 1024;
/// Largest change page.
pub const PAGE_MAX: u32 = 1000;
pub const PAGE_DEFAULT: u32 = 200;

/// Stable problem codes (`Problem::code`). Clients act on the code, never on text.
pub mod codes {
    pub const MALFORMED_JSON: &str = "MALFORMED_JSON";
    pub const UNKNOWN_FIELD: &str = "UNKNOWN_FIELD";
    pub const INVALID_FIELD: &str = "INVALID_FIELD";
    pub const BODY_TOO_LARGE: &str = "BODY_TOO_LARGE";
    pub const IDEMPOTENCY_KEY_MISSING: &str = "IDEMPOTENCY_KEY_MISSING";
    pub const IDEMPOTENCY_KEY_REUSED: &str = "IDEMPOTENCY_KEY_REUSED";
    pub const TOKEN_MISSING: &str = "TOKEN_MISSING";
    pub const TOKEN_INVALID: &str = "TOKEN_INVALID";
    pub const TOKEN_EXPIRED: &str = "TOKEN_EXPIRED";
    pub const CREDENTIALS_INVALID: &str = "CREDENTIALS_INVALID";
    /// Too many wrong passwords in a row: the account is locked for a while (403).
    pub const ACCOUNT_LOCKED: &str = "ACCOUNT_LOCKED";
    /// The staff member's portal account was revoked (403): no sign-in, its tokens end.
    pub const ACCOUNT_REVOKED: &str = "ACCOUNT_REVOKED";
    /// EDS sign-in: the challenge is unknown, already used or expired (ask for a new one).
    pub const CHALLENGE_INVALID: &str = "CHALLENGE_INVALID";
    /// EDS sign-in: the certificate's owner IIN is not a staff member of the portal.
    pub const SIGNER_UNKNOWN: &str = "SIGNER_UNKNOWN";
    pub const FORBIDDEN_SCHOOL: &str = "FORBIDDEN_SCHOOL";
    pub const ADMIN_LOOPBACK_ONLY: &str = "ADMIN_LOOPBACK_ONLY";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const VERSION_CONFLICT: &str = "VERSION_CONFLICT";
    pub const TRANSITION_NOT_ALLOWED: &str = "TRANSITION_NOT_ALLOWED";
    pub const NO_FREE_PLACES: &str = "NO_FREE_PLACES";
    pub const PENDING_APPLICATION_EXISTS: &str = "PENDING_APPLICATION_EXISTS";
    pub const CHILD_ALREADY_ACCEPTED: &str = "CHILD_ALREADY_ACCEPTED";
    pub const SIGNATURE_INVALID: &str = "SIGNATURE_INVALID";
    pub const SIGNER_MISMATCH: &str = "SIGNER_MISMATCH";
    /// The signer's certificate is revoked (OCSP or CRL, issue 10).
    pub const CERTIFICATE_REVOKED: &str = "CERTIFICATE_REVOKED";
    /// The certificate speaks for another organisation (its `OU=BIN…` is not the school's).
    pub const ORGANISATION_MISMATCH: &str = "ORGANISATION_MISMATCH";
    /// The signing time is more than 5 minutes ahead of the portal's clock.
    pub const SIGNING_TIME_SKEW: &str = "SIGNING_TIME_SKEW";
    /// NCA's OCSP responder and CRLs could not be reached: try again later (transient).
    pub const REVOCATION_UNAVAILABLE: &str = "REVOCATION_UNAVAILABLE";
    /// The signature verified but its certificate does not chain to a CA the portal trusts.
    pub const SIGNATURE_UNTRUSTED: &str = "SIGNATURE_UNTRUSTED";
    /// The signer's certificate may not be used here: expired or not yet valid at the
    /// time of the act, an authentication key used to sign (or a signing key used to sign
    /// in), GOST, no owner IIN. The messages say which.
    pub const CERTIFICATE_REFUSED: &str = "CERTIFICATE_REFUSED";
    pub const DOCUMENT_TOO_LARGE: &str = "DOCUMENT_TOO_LARGE";
    pub const DOCUMENT_MISSING: &str = "DOCUMENT_MISSING";
    pub const MICRO_DISTRICT_MISSING: &str = "MICRO_DISTRICT_MISSING";
    /// A signed binding (R-15…R-17) for an address the portal holds bound to another
    /// micro-district (409, `current_address` says which).
    pub const ADDRESS_BOUND_ELSEWHERE: &str = "ADDRESS_BOUND_ELSEWHERE";
    /// a contact's confirmation code is not confirmed, or was sent elsewhere (422).
    pub const CONTACT_NOT_CONFIRMED: &str = "CONTACT_NOT_CONFIRMED";
    pub const PERSON_NOT_FOUND: &str = "PERSON_NOT_FOUND";
    pub const CHILD_AGE: &str = "CHILD_AGE";
    pub const CONSENT_MISSING: &str = "CONSENT_MISSING";
    pub const CODE_INCORRECT: &str = "CODE_INCORRECT";
    pub const CODE_EXPIRED: &str = "CODE_EXPIRED";
    pub const CODE_ATTEMPTS_EXCEEDED: &str = "CODE_ATTEMPTS_EXCEEDED";
    pub const INTERNAL: &str = "INTERNAL";
    pub const INJECTED_FAULT: &str = "INJECTED_FAULT";
    pub const OUTAGE: &str = "OUTAGE";
    /// 429 / 503 with `Retry-After`: more requests than the portal can serve now.
    pub const OVERLOADED: &str = "OVERLOADED";

    /// Every code of the contract (`Problem.code` in api/portal.openapi.yaml; a test in
    /// crates/sync holds the two equal): a client takes a 4xx for the portal's refusal
    /// only when its problem carries one of these (a proxy's HTML 403 is not a refusal).
    pub const ALL: &[&str] = &[
        MALFORMED_JSON,
        UNKNOWN_FIELD,
        INVALID_FIELD,
        BODY_TOO_LARGE,
        IDEMPOTENCY_KEY_MISSING,
        IDEMPOTENCY_KEY_REUSED,
        TOKEN_MISSING,
        TOKEN_INVALID,
        TOKEN_EXPIRED,
        CREDENTIALS_INVALID,
        ACCOUNT_LOCKED,
        ACCOUNT_REVOKED,
        CHALLENGE_INVALID,
        SIGNER_UNKNOWN,
        FORBIDDEN_SCHOOL,
        ADMIN_LOOPBACK_ONLY,
        NOT_FOUND,
        VERSION_CONFLICT,
        TRANSITION_NOT_ALLOWED,
        NO_FREE_PLACES,
        PENDING_APPLICATION_EXISTS,
        CHILD_ALREADY_ACCEPTED,
        SIGNATURE_INVALID,
        SIGNER_MISMATCH,
        SIGNATURE_UNTRUSTED,
        CERTIFICATE_REFUSED,
        CERTIFICATE_REVOKED,
        ORGANISATION_MISMATCH,
        SIGNING_TIME_SKEW,
        REVOCATION_UNAVAILABLE,
        DOCUMENT_TOO_LARGE,
        DOCUMENT_MISSING,
        MICRO_DISTRICT_MISSING,
        ADDRESS_BOUND_ELSEWHERE,
        CONTACT_NOT_CONFIRMED,
        PERSON_NOT_FOUND,
        CHILD_AGE,
        CONSENT_MISSING,
        CODE_INCORRECT,
        CODE_EXPIRED,
        CODE_ATTEMPTS_EXCEEDED,
        INTERNAL,
        INJECTED_FAULT,
        OUTAGE,
        OVERLOADED,
        // the domain's own codes, passed through by the portal (422)
        "APPLICATION_NUMBER_INVALID",
        "EMAIL_INVALID",
        "GRADE_INVALID",
        "IIN_CENTURY",
        "IIN_CHECK_DIGIT",
        "IIN_DATE",
        "IIN_LENGTH",
        "IIN_NOT_DIGITS",
        "INSTRUCTION_LANGUAGE_INVALID",
        "NAME_EMPTY",
        "NAME_INVALID",
        "NAME_TOO_LONG",
        "PHONE_INVALID",
        "REJECT_REASON_TEXT_REQUIRED",
        "REJECT_REASON_UNKNOWN",
        "STATUS_INVALID",
        "TEMPORARY_REGISTRATION_INVALID",
    ];

    pub fn is_known(code: &str) -> bool {
        ALL.contains(&code)
    }
}

/// `application/problem+json` (RFC 9457) with a stable `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub code: String,
    /// In the language of `Accept-Language` (kk by default).
    pub detail: String,
    pub messages: Messages,
    /// On a 409: the application as the portal holds it now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Application>,
    /// On a 409 of an address write: the address as the portal holds it now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_address: Option<RegisterAddress>,
}

/// A text in both interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Messages {
    pub kk: String,
    pub ru: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    pub surname: String,
    pub given: String,
    #[serde(default)]
    pub patronymic: Option<String>,
}

// ---- sign-in (R-1) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub iin: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInResponse {
    /// Bearer token for `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: String,
    pub staff: StaffMember,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub iin: String,
    pub name: PersonName,
    pub email: String,
    pub school_ids: Vec<String>,
    /// the staff member confirmed this e-mail with a code; `false` until the first
    /// sign-in's confirmation (`/staff/email`, `/staff/email/confirm`).
    #[serde(default)]
    pub email_confirmed: bool,
}

/// the e-mail given at the first sign-in; a 4-digit code is sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffEmailRequest {
    pub email: String,
}

/// the code sent to the e-mail, which confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffEmailConfirm {
    pub code_id: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdsChallenge {
    /// Base64 of the random bytes to sign with the AUTH_RSA key.
    pub challenge: String,
    pub expires_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdsSignInRequest {
    pub challenge: String,
    pub cms_base64: String,
}

// ---- applications ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: String,
    /// `YYYY-NNNNNNN`.
    pub number: String,
    pub submitted_at: String,
    /// `new`, `under_review`, `accepted`, `rejected`, `withdrawn`.
    pub status: String,
    /// Optimistic-concurrency version; a write names the version it is based on.
    pub version: u32,
    /// Position in the change feed; grows with every change of any application.
    pub change_seq: u64,
    pub updated_at: String,
    pub school_id: String,
    pub grade: u8,
    /// `kk` or `ru`.
    pub language: String,
    pub applicant: Person,
    pub child: ChildRecord,
    pub contacts: Contacts,
    #[serde(default)]
    pub actual_address: Option<String>,
    #[serde(default)]
    pub temporary_registration: Option<TemporaryRegistration>,
    pub documents: Vec<DocumentMeta>,
    pub consents: Consents,
    #[serde(default)]
    pub reject_reason: Option<RejectReason>,
    pub on_behalf: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub iin: String,
    pub name: PersonName,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRecord {
    pub iin: String,
    pub name: PersonName,
    pub birth_date: String,
    /// `male` or `female`.
    pub sex: String,
    pub birth_certificate: String,
    pub registered_address: AddressRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressRef {
    #[serde(default)]
    pub id: Option<String>,
    pub full: String,
    #[serde(default)]
    pub micro_district_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    /// `+77012345678`.
    pub phone: String,
    #[serde(default)]
    pub extra_phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemporaryRegistration {
    pub address: String,
    pub from: String,
    pub until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    pub id: String,
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consents {
    pub admission_rules: bool,
    pub portal_terms: bool,
    pub personal_data: bool,
    /// `kk`/`ru`: notification language, if notifications are wanted.
    #[serde(default)]
    pub notifications: Option<String>,
    /// `sms`/`email`: how they are sent; absent from older desks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_channel: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectReason {
    pub code: String,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesPage {
    pub items: Vec<Application>,
    /// Pass as `after` for the next page; equal to the request's when nothing changed.
    pub next_cursor: String,
    pub has_more: bool,
}

// ---- decisions (R-6, R-7) ----

/// The detached CMS signature of a clerk's action and the exact bytes it signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Base64 of the signed bytes: the canonical JSON of [`DecisionPayload`] or
    /// [`SubmissionPayload`] (see FORMAT.md).
    pub payload_base64: String,
    /// Base64 DER of the CMS SignedData (detached, SHA-256, RSA).
    pub cms_base64: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `accept` or `reject`.
    pub decision: String,
    pub base_version: u32,
    #[serde(default)]
    pub reason: Option<RejectReason>,
    pub decided_at: String,
    pub signature: Signature,
}

/// What a clerk signs for a decision; its canonical JSON is `Signature::payload_base64`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionPayload {
    pub application_id: String,
    pub base_version: u32,
    pub decision: String,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub clerk_iin: String,
    pub decided_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionResponse {
    pub decision_id: String,
    pub application: Application,
}

// ---- several decisions in one request (issue 12) ----

/// The most decisions one `POST /api/v1/decision-batches` carries.
pub const DECISION_BATCH_MAX: usize = 100;

/// One decision of a batch: what `POST /api/v1/applications/{application_id}/decisions`
/// takes, its path parameter and its `Idempotency-Key` header as fields beside it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBatchItem {
    pub application_id: String,
    pub idempotency_key: String,
    /// The [`DecisionRequest`] exactly as the single request sends it: its bytes are
    /// what the idempotency key is held to, so the same decision sent alone or in a
    /// batch is one and the same write.
    pub request: Box<serde_json::value::RawValue>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBatchRequest {
    pub items: Vec<DecisionBatchItem>,
}

/// The answer to one item, in the order sent: the status and body the single request
/// would have had (a [`DecisionResponse`] for 200, a [`Problem`] otherwise).
#[derive(Debug, Serialize, Deserialize)]
pub struct DecisionBatchAnswer {
    pub status: u16,
    pub body: Box<serde_json::value::RawValue>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DecisionBatchResponse {
    pub items: Vec<DecisionBatchAnswer>,
}

// ---- on-behalf submission (R-8…R-14) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnBehalfRequest {
    pub applicant: Person,
    pub child_iin: String,
    pub contacts: Contacts,
    #[serde(default)]
    pub actual_address: Option<String>,
    #[serde(default)]
    pub temporary_registration: Option<TemporaryRegistration>,
    pub school_id: String,
    pub grade: u8,
    pub language: String,
    pub documents: Vec<DocumentUpload>,
    pub consents: Consents,
    pub submitted_at: String,
    pub signature: Signature,
    /// The child as the clerk entered them: the portal keeps these, never silently
    /// the register's; `None` from desks before issue 11 (the register's are taken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildSubmitted>,
    /// the confirmation codes the contacts were confirmed with at the desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmations: Option<Confirmations>,
    /// R-15…R-17: the micro-district the clerk bound the address to (the binding went
    /// first, `POST /micro-district-bindings`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound_micro_district_id: Option<String>,
}

/// The child's data as entered at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildSubmitted {
    pub name: PersonName,
    pub birth_certificate: String,
    pub registered_address: String,
    #[serde(default)]
    pub registered_address_id: Option<String>,
}

/// confirmed codes (`POST /confirmation-codes/{id}/check`) of the contacts; the
/// portal checks each is confirmed and was sent to that contact (422
/// `CONTACT_NOT_CONFIRMED`). `None` for a contact not confirmed at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confirmations {
    #[serde(default)]
    pub phone_code_id: Option<String>,
    #[serde(default)]
    pub email_code_id: Option<String>,
}

/// A document as signed: its kind, size and SHA-256 (hex) of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedDocument {
    pub kind: String,
    pub file_name: String,
    pub size: u64,
    pub sha256: String,
}

/// Everything the parent applied with, as the clerk signed it: the portal checks
/// that the request carries exactly this (422 `SIGNATURE_INVALID` otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedContent {
    pub applicant: Person,
    pub child: ChildSubmitted,
    pub contacts: Contacts,
    pub confirmations: Confirmations,
    pub actual_address: Option<String>,
    pub temporary_registration: Option<TemporaryRegistration>,
    pub bound_micro_district_id: Option<String>,
    pub grade: u8,
    pub consents: Consents,
    pub documents: Vec<SignedDocument>,
}

impl SignedContent {
    /// What `req` carries, in the form the clerk signs it, with `child` (the request's own,
    /// or what stands for a missing one) and the `documents` by SHA-256: rebuilt the same
    /// way by the desk when a held submission is signed again and by the portal to check
    /// a submission against its signature.
    pub fn of_request(
        req: &OnBehalfRequest,
        child: ChildSubmitted,
        documents: Vec<SignedDocument>,
    ) -> SignedContent {
        SignedContent {
            applicant: req.applicant.clone(),
            child,
            contacts: req.contacts.clone(),
            confirmations: req.confirmations.clone().unwrap_or(Confirmations {
                phone_code_id: None,
                email_code_id: None,
            }),
            actual_address: req.actual_address.clone(),
            temporary_registration: req.temporary_registration.clone(),
            bound_micro_district_id: req.bound_micro_district_id.clone(),
            grade: req.grade,
            consents: req.consents.clone(),
            documents,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentUpload {
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    /// Base64 of the file, at most 1 MB decoded.
    pub content_base64: String,
}

/// What a clerk signs for an on-behalf submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionPayload {
    pub child_iin: String,
    pub applicant_iin: String,
    pub school_id: String,
    pub language: String,
    pub clerk_iin: String,
    pub submitted_at: String,
    /// the rest of what was submitted (`None` from desks before issue 11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<SignedContent>,
    /// R-15…R-17: the clerk's binding this submission depends on, signed with it: one
    /// signature (one PIN, one NCALayer window) covers both acts, and the binding's
    /// request carries this same signature (`BindingRequest.signature`). `None`: no
    /// binding, or a binding signed on its own (desks before issue 11's last part).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<BindingPayload>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnBehalfResponse {
    pub id: String,
    pub number: String,
    pub application: Application,
}

// ---- population register (R-20, R-22) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterPerson {
    pub iin: String,
    pub name: PersonName,
    pub birth_date: String,
    pub sex: String,
    #[serde(default)]
    pub birth_certificate: Option<String>,
    pub registered_address: RegisterAddress,
    /// For a child: the parents known to the register.
    #[serde(default)]
    pub parents: Vec<Person>,
}

// ---- address register, micro-districts (R-15…) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterAddress {
    pub id: String,
    pub district_id: String,
    pub street_kk: String,
    pub street_ru: String,
    pub house: String,
    pub full_kk: String,
    pub full_ru: String,
    #[serde(default)]
    pub micro_district_id: Option<String>,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressList {
    pub items: Vec<RegisterAddress>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MicroDistrict {
    pub id: String,
    pub school_id: String,
    pub district_id: String,
    pub name_kk: String,
    pub name_ru: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MicroDistrictList {
    pub items: Vec<MicroDistrict>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindAddressRequest {
    pub micro_district_id: String,
    pub base_version: u32,
    /// the clerk confirms they take responsibility for the change.
    pub responsibility_confirmed: bool,
}

/// The clerk's binding of a walk-in child's registered address to a micro-district
/// (R-15…R-17), signed as its own act: `POST /micro-district-bindings`. The portal
/// finds the child's registered address in its register (the desk may not have known its
/// id: entered offline) and records who bound it, when, with the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindingRequest {
    pub child_iin: String,
    /// The registered address's id when the desk had it from the register; the portal
    /// checks that it is the child's.
    #[serde(default)]
    pub address_id: Option<String>,
    pub micro_district_id: String,
    /// the clerk confirms they take responsibility for the change.
    pub responsibility_confirmed: bool,
    pub bound_at: String,
    pub signature: Signature,
}

/// What a clerk signs for a binding; its canonical JSON is `Signature::payload_base64`,
/// or it is the `binding` of the signed `SubmissionPayload` that depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindingPayload {
    pub child_iin: String,
    pub address_id: Option<String>,
    pub micro_district_id: String,
    pub responsibility_confirmed: bool,
    pub clerk_iin: String,
    pub bound_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BindingResponse {
    pub binding_id: String,
    /// The address as the portal holds it after the binding.
    pub address: RegisterAddress,
}

// ---- schools and reference lists (R-3, R-7, R-12) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub id: String,
    pub district_id: String,
    pub name_kk: String,
    pub name_ru: String,
    pub address_kk: String,
    pub address_ru: String,
    pub places: Vec<Places>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Places {
    pub grade: u8,
    pub language: String,
    pub capacity: u32,
    pub taken: u32,
    pub free: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolList {
    pub items: Vec<School>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub region_name_kk: String,
    pub region_name_ru: String,
    pub admission_year: i32,
    pub districts: Vec<District>,
    pub reject_reasons: Vec<ReferenceItem>,
    pub languages: Vec<ReferenceItem>,
    pub document_kinds: Vec<ReferenceItem>,
    pub document_max_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceItem {
    pub code: String,
    pub label_kk: String,
    pub label_ru: String,
}

// ---- confirmation codes (R-21) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// `sms` or `email`.
    pub channel: String,
    /// `+77012345678` or an e-mail address.
    pub destination: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub code_id: String,
    pub channel: String,
    pub destination: String,
    pub expires_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeCheckRequest {
    /// The 4 digits the person received.
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeChecked {
    pub code_id: String,
    pub confirmed: bool,
}

// ---- admin (loopback only; tests, demo, external checks) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub applications: u64,
    pub applications_by_school: std::collections::BTreeMap<String, u64>,
    pub applications_by_status: std::collections::BTreeMap<String, u64>,
    pub decisions: u64,
    pub on_behalf_submissions: u64,
    pub duplicate_writes_prevented: u64,
    pub writes_committed: u64,
    pub injected_5xx: u64,
    pub dropped_after_commit: u64,
    pub last_change_seq: u64,
    /// Effects made twice: the same signed decision applied more than once, or the same
    /// child's on-behalf submission (same instant) registered twice. Exactly once = 0.
    #[serde(default)]
    pub duplicate_effects: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoStaff {
    pub iin: String,
    pub password: String,
    pub school_id: String,
    pub name: String,
}

/// A binding the portal recorded (`/admin/bindings`): its side of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedBinding {
    pub binding_id: String,
    pub staff_iin: String,
    pub child_iin: String,
    pub address_id: String,
    pub micro_district_id: String,
    /// `None`: the address was in no micro-district before.
    pub previous_micro_district_id: Option<String>,
    pub bound_at: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentCode {
    pub code_id: String,
    pub channel: String,
    pub destination: String,
    pub code: String,
    pub sent_at: String,
    pub confirmed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faults {
    /// 0.0–1.0: share of API requests answered 500 before doing anything.
    pub fault_5xx_rate: f64,
    /// 0.0–1.0: share of committed writes whose connection is closed without a reply.
    pub drop_after_commit_rate: f64,
    /// Added to every API request.
    pub latency_ms: u64,
    /// Every API request answered 503.
    pub outage: bool,
    /// The change feed's answers (`GET /api/v1/changes`) damaged on the way, as a broken
    /// proxy or a cut connection delivers them (issue 15, docs/bad-input.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damaged_changes: Option<DamagedAnswer>,
}

/// How an answer is damaged on its way to the desk (a fault of portal-sim).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DamagedAnswer {
    /// 200 with a proxy's HTML page instead of JSON.
    Html,
    /// The JSON cut off in the middle, with its full length claimed.
    Truncated,
    /// 200 `application/json` with bytes that are not JSON at all.
    Garbage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkIn {
    pub child_iin: String,
    pub child_name: String,
    pub parent_iin: String,
    pub parent_name: String,
    pub address_id: String,
    pub address_has_micro_district: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalsRequest {
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationIds {
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacesUpdate {
    pub school_id: String,
    pub language: String,
    pub capacity: u32,
}
