use crate::{Lang, Status};

/// Stable codes of every domain error. The UI, the CLI and the portal simulator show
/// kk/ru text chosen by code ([`ErrorCode::text`]); nobody matches on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    IinLength,
    IinNotDigits,
    IinDate,
    IinCentury,
    IinCheckDigit,
    PhoneInvalid,
    EmailInvalid,
    NameEmpty,
    NameInvalid,
    NameTooLong,
    ApplicationNumberInvalid,
    GradeInvalid,
    InstructionLanguageInvalid,
    StatusInvalid,
    TransitionNotAllowed,
    RejectReasonUnknown,
    RejectReasonTextRequired,
    PendingApplicationExists,
    ChildAlreadyAccepted,
    DocumentTooLarge,
    DocumentEmpty,
    DocumentMissing,
    DocumentReadabilityUnchecked,
    ChildTooYoung,
    ChildOlderThanUsual,
    OutsideAdmissionPeriod,
    ConsentMissing,
    MicroDistrictMissing,
    TemporaryRegistrationInvalid,
    DateInvalid,
    NotificationChannelMissing,
    NotificationEmailMissing,
    ResponsibilityNotConfirmed,
}

impl ErrorCode {
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::IinLength,
        ErrorCode::IinNotDigits,
        ErrorCode::IinDate,
        ErrorCode::IinCentury,
        ErrorCode::IinCheckDigit,
        ErrorCode::PhoneInvalid,
        ErrorCode::EmailInvalid,
        ErrorCode::NameEmpty,
        ErrorCode::NameInvalid,
        ErrorCode::NameTooLong,
        ErrorCode::ApplicationNumberInvalid,
        ErrorCode::GradeInvalid,
        ErrorCode::InstructionLanguageInvalid,
        ErrorCode::StatusInvalid,
        ErrorCode::TransitionNotAllowed,
        ErrorCode::RejectReasonUnknown,
        ErrorCode::RejectReasonTextRequired,
        ErrorCode::PendingApplicationExists,
        ErrorCode::ChildAlreadyAccepted,
        ErrorCode::DocumentTooLarge,
        ErrorCode::DocumentEmpty,
        ErrorCode::DocumentMissing,
        ErrorCode::DocumentReadabilityUnchecked,
        ErrorCode::ChildTooYoung,
        ErrorCode::ChildOlderThanUsual,
        ErrorCode::OutsideAdmissionPeriod,
        ErrorCode::ConsentMissing,
        ErrorCode::MicroDistrictMissing,
        ErrorCode::TemporaryRegistrationInvalid,
        ErrorCode::DateInvalid,
        ErrorCode::NotificationChannelMissing,
        ErrorCode::NotificationEmailMissing,
        ErrorCode::ResponsibilityNotConfirmed,
    ];

    /// The stable wire form, e.g. `IIN_CHECK_DIGIT`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::IinLength => "IIN_LENGTH",
            ErrorCode::IinNotDigits => "IIN_NOT_DIGITS",
            ErrorCode::IinDate => "IIN_DATE",
            ErrorCode::IinCentury => "IIN_CENTURY",
            ErrorCode::IinCheckDigit => "IIN_CHECK_DIGIT",
            ErrorCode::PhoneInvalid => "PHONE_INVALID",
            ErrorCode::EmailInvalid => "EMAIL_INVALID",
            ErrorCode::NameEmpty => "NAME_EMPTY",
            ErrorCode::NameInvalid => "NAME_INVALID",
            ErrorCode::NameTooLong => "NAME_TOO_LONG",
            ErrorCode::ApplicationNumberInvalid => "APPLICATION_NUMBER_INVALID",
            ErrorCode::GradeInvalid => "GRADE_INVALID",
            ErrorCode::InstructionLanguageInvalid => "INSTRUCTION_LANGUAGE_INVALID",
            ErrorCode::StatusInvalid => "STATUS_INVALID",
            ErrorCode::TransitionNotAllowed => "TRANSITION_NOT_ALLOWED",
            ErrorCode::RejectReasonUnknown => "REJECT_REASON_UNKNOWN",
            ErrorCode::RejectReasonTextRequired => "REJECT_REASON_TEXT_REQUIRED",
            ErrorCode::PendingApplicationExists => "PENDING_APPLICATION_EXISTS",
            ErrorCode::ChildAlreadyAccepted => "CHILD_ALREADY_ACCEPTED",
            ErrorCode::DocumentTooLarge => "DOCUMENT_TOO_LARGE",
            ErrorCode::DocumentEmpty => "DOCUMENT_EMPTY",
            ErrorCode::DocumentMissing => "DOCUMENT_MISSING",
            ErrorCode::DocumentReadabilityUnchecked => "DOCUMENT_READABILITY_UNCHECKED",
            ErrorCode::ChildTooYoung => "CHILD_TOO_YOUNG",
            ErrorCode::ChildOlderThanUsual => "CHILD_OLDER_THAN_USUAL",
            ErrorCode::OutsideAdmissionPeriod => "OUTSIDE_ADMISSION_PERIOD",
            ErrorCode::ConsentMissing => "CONSENT_MISSING",
            ErrorCode::MicroDistrictMissing => "MICRO_DISTRICT_MISSING",
            ErrorCode::TemporaryRegistrationInvalid => "TEMPORARY_REGISTRATION_INVALID",
            ErrorCode::DateInvalid => "DATE_INVALID",
            ErrorCode::NotificationChannelMissing => "NOTIFICATION_CHANNEL_MISSING",
            ErrorCode::NotificationEmailMissing => "NOTIFICATION_EMAIL_MISSING",
            ErrorCode::ResponsibilityNotConfirmed => "RESPONSIBILITY_NOT_CONFIRMED",
        }
    }

    /// What happened and what to do, in the user's language.
    pub fn text(self, lang: Lang) -> &'static str {
        i18n::static_text(lang, self.as_str())
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every error of the domain crate. `Display` is English for logs; people see
/// [`Error::message`] in their language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("IIN must have 12 digits, got {got}")]
    IinLength { got: usize },
    #[error("IIN must contain digits only")]
    IinNotDigits,
    #[error("IIN birth date (YYMMDD) is not a calendar date")]
    IinDate,
    #[error("IIN century/sex digit must be 1-6, got {got}")]
    IinCentury { got: u8 },
    #[error("IIN check digit does not match")]
    IinCheckDigit,
    #[error("not a Kazakh mobile number")]
    PhoneInvalid,
    #[error("not an e-mail address")]
    EmailInvalid,
    #[error("name is empty")]
    NameEmpty,
    #[error("name has a character that is not a letter, hyphen, space or apostrophe: {ch:?}")]
    NameInvalid { ch: char },
    #[error("name is longer than {max} characters")]
    NameTooLong { max: usize },
    #[error("not an application number: {got:?}")]
    ApplicationNumberInvalid { got: String },
    #[error("grade must be 0-11")]
    GradeInvalid,
    #[error("language of instruction must be kk or ru")]
    InstructionLanguageInvalid,
    #[error("unknown status {got:?}")]
    StatusInvalid { got: String },
    #[error("{action} is not allowed in status {from:?}")]
    TransitionNotAllowed { from: Status, action: &'static str },
    #[error("unknown reject reason {got:?}")]
    RejectReasonUnknown { got: String },
    #[error("reject reason 'other' needs a text")]
    RejectReasonTextRequired,
    #[error("the child already has a pending application")]
    PendingApplicationExists,
    #[error("the child is already accepted")]
    ChildAlreadyAccepted,
    #[error("document is {size} bytes, the limit is {limit}")]
    DocumentTooLarge { size: u64, limit: u64 },
    #[error("document is empty")]
    DocumentEmpty,
    #[error("mandatory document missing: {kind}")]
    DocumentMissing { kind: &'static str },
    #[error("an image made to fit 1 MB was not yet checked as readable")]
    DocumentReadabilityUnchecked,
    #[error("child is {age} in the admission year, must be at least 6")]
    ChildTooYoung { age: i32 },
    #[error("outside the admission period")]
    OutsideAdmissionPeriod,
    #[error("consent missing")]
    ConsentMissing,
    #[error("registered address belongs to no micro-district")]
    MicroDistrictMissing,
    #[error("temporary registration needs an address and a period with start before end")]
    TemporaryRegistrationInvalid,
    #[error("a date is written dd.mm.yyyy, e.g. 01.09.2026")]
    DateInvalid,
    #[error("notifications wanted but no channel (sms or email) chosen")]
    NotificationChannelMissing,
    #[error("notifications by e-mail need an e-mail address")]
    NotificationEmailMissing,
    #[error("the clerk did not confirm their responsibility for the binding (R-16)")]
    ResponsibilityNotConfirmed,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::IinLength { .. } => ErrorCode::IinLength,
            Error::IinNotDigits => ErrorCode::IinNotDigits,
            Error::IinDate => ErrorCode::IinDate,
            Error::IinCentury { .. } => ErrorCode::IinCentury,
            Error::IinCheckDigit => ErrorCode::IinCheckDigit,
            Error::PhoneInvalid => ErrorCode::PhoneInvalid,
            Error::EmailInvalid => ErrorCode::EmailInvalid,
            Error::NameEmpty => ErrorCode::NameEmpty,
            Error::NameInvalid { .. } => ErrorCode::NameInvalid,
            Error::NameTooLong { .. } => ErrorCode::NameTooLong,
            Error::ApplicationNumberInvalid { .. } => ErrorCode::ApplicationNumberInvalid,
            Error::GradeInvalid => ErrorCode::GradeInvalid,
            Error::InstructionLanguageInvalid => ErrorCode::InstructionLanguageInvalid,
            Error::StatusInvalid { .. } => ErrorCode::StatusInvalid,
            Error::TransitionNotAllowed { .. } => ErrorCode::TransitionNotAllowed,
            Error::RejectReasonUnknown { .. } => ErrorCode::RejectReasonUnknown,
            Error::RejectReasonTextRequired => ErrorCode::RejectReasonTextRequired,
            Error::PendingApplicationExists => ErrorCode::PendingApplicationExists,
            Error::ChildAlreadyAccepted => ErrorCode::ChildAlreadyAccepted,
            Error::DocumentTooLarge { .. } => ErrorCode::DocumentTooLarge,
            Error::DocumentEmpty => ErrorCode::DocumentEmpty,
            Error::DocumentMissing { .. } => ErrorCode::DocumentMissing,
            Error::DocumentReadabilityUnchecked => ErrorCode::DocumentReadabilityUnchecked,
            Error::ChildTooYoung { .. } => ErrorCode::ChildTooYoung,
            Error::OutsideAdmissionPeriod => ErrorCode::OutsideAdmissionPeriod,
            Error::ConsentMissing => ErrorCode::ConsentMissing,
            Error::MicroDistrictMissing => ErrorCode::MicroDistrictMissing,
            Error::TemporaryRegistrationInvalid => ErrorCode::TemporaryRegistrationInvalid,
            Error::DateInvalid => ErrorCode::DateInvalid,
            Error::NotificationChannelMissing => ErrorCode::NotificationChannelMissing,
            Error::NotificationEmailMissing => ErrorCode::NotificationEmailMissing,
            Error::ResponsibilityNotConfirmed => ErrorCode::ResponsibilityNotConfirmed,
        }
    }

    /// The message for a person, in their language, with the detail that helps them fix it.
    pub fn message(&self, lang: Lang) -> String {
        let base = self.code().text(lang);
        let detail = match self {
            Error::IinLength { got } => {
                i18n::text_with(lang, "IIN_LENGTH-typed", &[("got", (*got).into())])
            }
            Error::NameInvalid { ch } => format!("«{ch}»"),
            Error::DocumentTooLarge { size, .. } => i18n::text_with(
                lang,
                "DOCUMENT_TOO_LARGE-size",
                &[("size", human_size(*size).as_str().into())],
            ),
            _ => return base.to_string(),
        };
        format!("{base} {detail}")
    }
}

fn human_size(bytes: u64) -> String {
    let tenths = (bytes * 10 + 524_288) / 1_048_576;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_unique_stable_string_and_text_in_both_languages() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_')
            );
            for lang in Lang::ALL {
                assert!(!code.text(lang).is_empty());
            }
            assert_ne!(code.text(Lang::Kk), code.text(Lang::Ru));
        }
    }

    #[test]
    fn every_code_and_label_has_its_message_in_both_catalogues() {
        let mut ids: Vec<String> = ErrorCode::ALL.iter().map(|c| c.as_str().into()).collect();
        ids.extend(Status::ALL.iter().map(|s| format!("status-{}", s.as_str())));
        ids.extend(
            crate::RejectReasonCode::ALL
                .iter()
                .map(|r| format!("reject-reason-{}", r.as_str())),
        );
        ids.extend(
            crate::DocumentKind::ALL
                .iter()
                .map(|d| format!("document-kind-{}", d.as_str())),
        );
        ids.extend(["IIN_LENGTH-typed".into(), "DOCUMENT_TOO_LARGE-size".into()]);
        for id in ids {
            assert!(i18n::has(&id), "{id} has no message");
        }
    }

    #[test]
    fn size_is_shown_in_megabytes() {
        let e = Error::DocumentTooLarge {
            size: 2_621_440,
            limit: 1_048_576,
        };
        assert!(e.message(Lang::Ru).ends_with("Размер файла: 2.5 MB."));
    }
}
