//! The one error type of portal-sim: every refusal has an HTTP status, a stable wire code
//! (`portal_api::codes`) and a text in Kazakh and Russian (portal-sim.ftl); it leaves as
//! problem+json.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Lang;
use portal_api::{Application, Messages, PROBLEM_JSON, Problem, RegisterAddress, codes};

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error("request body is not JSON: {0}")]
    MalformedJson(String),
    #[error("unknown field in request: {0}")]
    UnknownField(String),
    #[error("invalid field: {0}")]
    InvalidField(String),
    #[error("a domain rule refused the request: {0}")]
    Domain(#[from] portal_api::convert::Error),
    #[error("request body over the limit")]
    BodyTooLarge,
    #[error("Idempotency-Key header missing")]
    IdempotencyKeyMissing,
    #[error("Idempotency-Key reused with a different request")]
    IdempotencyKeyReused,
    #[error("no bearer token")]
    TokenMissing,
    #[error("unknown token")]
    TokenInvalid,
    #[error("token expired")]
    TokenExpired,
    #[error("wrong IIN or password")]
    CredentialsInvalid,
    #[error("too many wrong passwords: the account is locked for {minutes} min")]
    AccountLocked { minutes: i64 },
    #[error("the staff account was revoked")]
    AccountRevoked,
    #[error("EDS sign-in challenge unknown, used or expired")]
    ChallengeInvalid,
    #[error("certificate owner {0} is not a staff member")]
    SignerUnknown(String),
    #[error("the staff member does not belong to school {0}")]
    ForbiddenSchool(String),
    #[error("admin endpoints answer loopback clients only")]
    AdminLoopbackOnly,
    #[error("not found: {0}")]
    NotFound(String),
    #[error("version conflict")]
    VersionConflict {
        current: Box<Option<Application>>,
        current_address: Box<Option<RegisterAddress>>,
    },
    #[error("transition not allowed from {status}")]
    TransitionNotAllowed {
        status: String,
        current: Box<Application>,
    },
    #[error("no free places")]
    NoFreePlaces,
    #[error("the child has a pending application")]
    PendingApplicationExists { current: Box<Application> },
    #[error("the child is already accepted")]
    ChildAlreadyAccepted { current: Box<Application> },
    #[error("signature invalid: {0}")]
    SignatureInvalid(String),
    #[error("signature does not verify: {0}")]
    SignatureNotVerified(signing::Error),
    #[error("signer's certificate not trusted: {0}")]
    SignatureUntrusted(signing::Error),
    #[error("certificate refused: {0}")]
    CertificateRefused(signing::Error),
    #[error("a signing key (not an authentication key) was used to sign in")]
    NotAnAuthenticationKey,
    #[error("signer is not the signed-in staff member")]
    SignerMismatch,
    #[error("certificate revoked: {0}")]
    CertificateRevoked(signing::Error),
    #[error("certificate of organisation BIN {certificate} signs for the school of BIN {school}")]
    OrganisationMismatch { certificate: String, school: String },
    #[error("signing time {0} is more than 5 minutes ahead of the portal's clock")]
    SigningTimeSkew(String),
    #[error("revocation could not be checked: {0}")]
    RevocationUnavailable(signing::Error),
    #[error("document over 1 MB")]
    DocumentTooLarge,
    #[error("mandatory document missing: {0}")]
    DocumentMissing(String),
    #[error("registered address in no micro-district")]
    MicroDistrictMissing,
    #[error("contact not confirmed: {0}")]
    ContactNotConfirmed(String),
    #[error("the address is bound to another micro-district")]
    AddressBoundElsewhere {
        current_address: Box<RegisterAddress>,
    },
    #[error("consent missing")]
    ConsentMissing,
    #[error("person not in the population register")]
    PersonNotFound,
    #[error("child's age does not fit")]
    ChildAge,
    #[error("confirmation code incorrect")]
    CodeIncorrect,
    #[error("confirmation code expired")]
    CodeExpired,
    #[error("too many attempts")]
    CodeAttemptsExceeded,
    #[error("internal: {0}")]
    Internal(String),
    #[error("injected fault")]
    InjectedFault,
    #[error("outage")]
    Outage,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Internal(e.to_string())
    }
}

impl Error {
    pub fn code(&self) -> &'static str {
        use Error::*;
        match self {
            MalformedJson(_) => codes::MALFORMED_JSON,
            UnknownField(_) => codes::UNKNOWN_FIELD,
            InvalidField(_) => codes::INVALID_FIELD,
            Domain(e) => e.code(),
            BodyTooLarge => codes::BODY_TOO_LARGE,
            IdempotencyKeyMissing => codes::IDEMPOTENCY_KEY_MISSING,
            IdempotencyKeyReused => codes::IDEMPOTENCY_KEY_REUSED,
            TokenMissing => codes::TOKEN_MISSING,
            TokenInvalid => codes::TOKEN_INVALID,
            TokenExpired => codes::TOKEN_EXPIRED,
            CredentialsInvalid => codes::CREDENTIALS_INVALID,
            ChallengeInvalid => codes::CHALLENGE_INVALID,
            AccountLocked { .. } => codes::ACCOUNT_LOCKED,
            AccountRevoked => codes::ACCOUNT_REVOKED,
            SignerUnknown(_) => codes::SIGNER_UNKNOWN,
            ForbiddenSchool(_) => codes::FORBIDDEN_SCHOOL,
            AdminLoopbackOnly => codes::ADMIN_LOOPBACK_ONLY,
            NotFound(_) => codes::NOT_FOUND,
            VersionConflict { .. } => codes::VERSION_CONFLICT,
            TransitionNotAllowed { .. } => codes::TRANSITION_NOT_ALLOWED,
            NoFreePlaces => codes::NO_FREE_PLACES,
            PendingApplicationExists { .. } => codes::PENDING_APPLICATION_EXISTS,
            ChildAlreadyAccepted { .. } => codes::CHILD_ALREADY_ACCEPTED,
            SignatureInvalid(_) | SignatureNotVerified(_) => codes::SIGNATURE_INVALID,
            SignatureUntrusted(_) => codes::SIGNATURE_UNTRUSTED,
            CertificateRefused(_) | NotAnAuthenticationKey => codes::CERTIFICATE_REFUSED,
            SignerMismatch => codes::SIGNER_MISMATCH,
            CertificateRevoked(_) => codes::CERTIFICATE_REVOKED,
            OrganisationMismatch { .. } => codes::ORGANISATION_MISMATCH,
            SigningTimeSkew(_) => codes::SIGNING_TIME_SKEW,
            RevocationUnavailable(_) => codes::REVOCATION_UNAVAILABLE,
            DocumentTooLarge => codes::DOCUMENT_TOO_LARGE,
            DocumentMissing(_) => codes::DOCUMENT_MISSING,
            MicroDistrictMissing => codes::MICRO_DISTRICT_MISSING,
            AddressBoundElsewhere { .. } => codes::ADDRESS_BOUND_ELSEWHERE,
            ContactNotConfirmed(_) => codes::CONTACT_NOT_CONFIRMED,
            ConsentMissing => codes::CONSENT_MISSING,
            PersonNotFound => codes::PERSON_NOT_FOUND,
            ChildAge => codes::CHILD_AGE,
            CodeIncorrect => codes::CODE_INCORRECT,
            CodeExpired => codes::CODE_EXPIRED,
            CodeAttemptsExceeded => codes::CODE_ATTEMPTS_EXCEEDED,
            Internal(_) => codes::INTERNAL,
            InjectedFault => codes::INJECTED_FAULT,
            Outage => codes::OUTAGE,
        }
    }

    pub fn status(&self) -> StatusCode {
        use Error::*;
        match self {
            MalformedJson(_) => StatusCode::BAD_REQUEST,
            BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            TokenMissing | TokenInvalid | TokenExpired | CredentialsInvalid | ChallengeInvalid
            | SignerUnknown(_) => StatusCode::UNAUTHORIZED,
            ForbiddenSchool(_)
            | AccountLocked { .. }
            | AccountRevoked
            | AdminLoopbackOnly
            | SignerMismatch
            | OrganisationMismatch { .. } => StatusCode::FORBIDDEN,
            NotFound(_) | PersonNotFound => StatusCode::NOT_FOUND,
            VersionConflict { .. }
            | AddressBoundElsewhere { .. }
            | TransitionNotAllowed { .. }
            | NoFreePlaces
            | PendingApplicationExists { .. }
            | ChildAlreadyAccepted { .. } => StatusCode::CONFLICT,
            CodeExpired => StatusCode::GONE,
            CodeAttemptsExceeded => StatusCode::TOO_MANY_REQUESTS,
            Internal(_) | InjectedFault => StatusCode::INTERNAL_SERVER_ERROR,
            Outage | RevocationUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            UnknownField(_)
            | InvalidField(_)
            | Domain(_)
            | IdempotencyKeyMissing
            | IdempotencyKeyReused
            | SignatureInvalid(_)
            | SignatureNotVerified(_)
            | SignatureUntrusted(_)
            | CertificateRefused(_)
            | CertificateRevoked(_)
            | SigningTimeSkew(_)
            | NotAnAuthenticationKey
            | DocumentTooLarge
            | DocumentMissing(_)
            | MicroDistrictMissing
            | ContactNotConfirmed(_)
            | ConsentMissing
            | ChildAge
            | CodeIncorrect => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// What happened and what to do, for the clerk: portal-sim.ftl, by variant.
    pub fn message(&self, lang: Lang) -> String {
        use Error::*;
        use i18n::Arg;
        let with = |id: &str, args: &[(&str, Arg<'_>)]| i18n::text_with(lang, id, args);
        let text = |id: &str| i18n::text(lang, id);
        let reason =
            |id: &str, e: &signing::Error| with(id, &[("reason", Arg::Text(&e.message(lang)))]);
        match self {
            MalformedJson(d) => with("portal-malformed-json", &[("detail", d.into())]),
            UnknownField(d) => with("portal-unknown-field", &[("detail", d.into())]),
            InvalidField(d) => with("portal-invalid-field", &[("detail", d.into())]),
            Domain(e) => e.message(lang),
            BodyTooLarge => text("portal-body-too-large"),
            IdempotencyKeyMissing => text("portal-idempotency-key-missing"),
            IdempotencyKeyReused => text("portal-idempotency-key-reused"),
            TokenMissing => text("portal-token-missing"),
            TokenInvalid => text("portal-token-invalid"),
            TokenExpired => text("portal-token-expired"),
            CredentialsInvalid => text("portal-credentials-invalid"),
            AccountLocked { minutes } => {
                with("portal-account-locked", &[("minutes", (*minutes).into())])
            }
            AccountRevoked => text("portal-account-revoked"),
            ChallengeInvalid => text("portal-challenge-invalid"),
            SignerUnknown(iin) => with("portal-signer-unknown", &[("iin", iin.into())]),
            ForbiddenSchool(s) => with("portal-forbidden-school", &[("school", s.into())]),
            AdminLoopbackOnly => text("portal-admin-loopback-only"),
            NotFound(what) => with("portal-not-found", &[("what", what.into())]),
            VersionConflict { .. } => text("portal-version-conflict"),
            TransitionNotAllowed { status, .. } => with(
                "portal-transition-not-allowed",
                &[("status", status.into())],
            ),
            NoFreePlaces => text("portal-no-free-places"),
            // where the pending application is.
            PendingApplicationExists { current } => with(
                "portal-pending-application-exists",
                &[
                    ("number", (&current.number).into()),
                    ("school", (&current.school_id).into()),
                ],
            ),
            ChildAlreadyAccepted { .. } => domain::ErrorCode::ChildAlreadyAccepted
                .text(lang)
                .to_string(),
            SignatureInvalid(d) => with("portal-signature-invalid", &[("detail", d.into())]),
            SignatureNotVerified(e) => reason("portal-signature-not-verified", e),
            SignatureUntrusted(e) => reason("portal-signature-untrusted", e),
            CertificateRefused(e) => reason("portal-certificate-refused", e),
            NotAnAuthenticationKey => text("portal-not-an-authentication-key"),
            SignerMismatch => text("portal-signer-mismatch"),
            CertificateRevoked(e) => reason("portal-certificate-revoked", e),
            OrganisationMismatch {
                certificate,
                school,
            } => with(
                "portal-organisation-mismatch",
                &[
                    ("certificate", certificate.into()),
                    ("school", school.into()),
                ],
            ),
            SigningTimeSkew(at) => with("portal-signing-time-skew", &[("at", at.into())]),
            RevocationUnavailable(_) => text("portal-revocation-unavailable"),
            DocumentTooLarge => domain::ErrorCode::DocumentTooLarge.text(lang).to_string(),
            DocumentMissing(kind) => with("portal-document-missing", &[("kind", kind.into())]),
            MicroDistrictMissing => domain::ErrorCode::MicroDistrictMissing
                .text(lang)
                .to_string(),
            ContactNotConfirmed(contact) => with(
                "portal-contact-not-confirmed",
                &[("contact", contact.into())],
            ),
            AddressBoundElsewhere { current_address } => {
                let address = match lang {
                    Lang::Kk => &current_address.full_kk,
                    Lang::Ru => &current_address.full_ru,
                };
                let md = current_address
                    .micro_district_id
                    .clone()
                    .unwrap_or_default();
                with(
                    "portal-address-bound-elsewhere",
                    &[
                        ("address", address.into()),
                        ("micro_district", (&md).into()),
                    ],
                )
            }
            ConsentMissing => domain::ErrorCode::ConsentMissing.text(lang).to_string(),
            PersonNotFound => text("portal-person-not-found"),
            ChildAge => domain::ErrorCode::ChildTooYoung.text(lang).to_string(),
            CodeIncorrect => text("portal-code-incorrect"),
            CodeExpired => text("portal-code-expired"),
            CodeAttemptsExceeded => text("portal-code-attempts-exceeded"),
            Internal(_) | InjectedFault => text("portal-internal"),
            Outage => text("portal-outage"),
        }
    }

    pub fn problem(&self, lang: Lang) -> Problem {
        let status = self.status();
        let (current, current_address) = match self {
            Error::VersionConflict {
                current,
                current_address,
            } => ((**current).clone(), (**current_address).clone()),
            Error::TransitionNotAllowed { current, .. }
            | Error::PendingApplicationExists { current }
            | Error::ChildAlreadyAccepted { current } => (Some((**current).clone()), None),
            Error::AddressBoundElsewhere { current_address } => {
                (None, Some((**current_address).clone()))
            }
            _ => (None, None),
        };
        Problem {
            type_: format!("urn:qabyldau:problem:{}", self.code().to_ascii_lowercase()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            code: self.code().to_string(),
            detail: self.message(lang),
            messages: Messages {
                kk: self.message(Lang::Kk),
                ru: self.message(Lang::Ru),
            },
            current,
            current_address,
        }
    }

    pub fn into_stored(self) -> (StatusCode, String) {
        let body = serde_json::to_string(&self.problem(Lang::Kk)).unwrap_or_default();
        (self.status(), body)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, body) = self.into_stored();
        (
            status,
            [(axum::http::header::CONTENT_TYPE, PROBLEM_JSON)],
            body,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_has_its_text_in_both_languages_with_its_details() {
        let s = || "d-1".to_string();
        let sig = || signing::Error::SignatureInvalid;
        let address = RegisterAddress {
            id: s(),
            district_id: s(),
            street_kk: s(),
            street_ru: s(),
            house: s(),
            full_kk: "Абай к-сі 1".into(),
            full_ru: "ул. Абая 1".into(),
            micro_district_id: Some("md-9".into()),
            version: 1,
        };
        let all = [
            Error::MalformedJson(s()),
            Error::UnknownField(s()),
            Error::InvalidField(s()),
            Error::BodyTooLarge,
            Error::IdempotencyKeyMissing,
            Error::IdempotencyKeyReused,
            Error::TokenMissing,
            Error::TokenInvalid,
            Error::TokenExpired,
            Error::CredentialsInvalid,
            Error::AccountLocked { minutes: 15 },
            Error::AccountRevoked,
            Error::ChallengeInvalid,
            Error::SignerUnknown(s()),
            Error::ForbiddenSchool(s()),
            Error::AdminLoopbackOnly,
            Error::NotFound(s()),
            Error::NoFreePlaces,
            Error::SignatureInvalid(s()),
            Error::SignatureNotVerified(sig()),
            Error::SignatureUntrusted(sig()),
            Error::CertificateRefused(sig()),
            Error::NotAnAuthenticationKey,
            Error::SignerMismatch,
            Error::CertificateRevoked(sig()),
            Error::OrganisationMismatch {
                certificate: s(),
                school: s(),
            },
            Error::SigningTimeSkew(s()),
            Error::RevocationUnavailable(sig()),
            Error::DocumentMissing(s()),
            Error::ContactNotConfirmed(s()),
            Error::AddressBoundElsewhere {
                current_address: Box::new(address),
            },
            Error::PersonNotFound,
            Error::CodeIncorrect,
            Error::CodeExpired,
            Error::CodeAttemptsExceeded,
            Error::Internal(s()),
            Error::Outage,
        ];
        for e in &all {
            let (kk, ru) = (e.message(Lang::Kk), e.message(Lang::Ru));
            assert!(!kk.starts_with("portal-") && kk != ru, "{e:?}: {kk}");
            assert!(!kk.contains("{$") && !ru.contains("{$"), "{e:?}: {ru}");
        }
        let locked = Error::AccountLocked { minutes: 21 }.message(Lang::Ru);
        assert!(locked.contains("на 21 минуту."), "{locked}");
        let bound = all[30].message(Lang::Ru);
        assert!(
            bound.contains("(ул. Абая 1)") && bound.contains("(md-9)"),
            "{bound}"
        );
        let why = Error::CertificateRefused(sig()).message(Lang::Kk);
        assert!(why.ends_with(&sig().message(Lang::Kk)), "{why}");
    }
}
