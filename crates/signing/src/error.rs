use domain::Lang;
use time::OffsetDateTime;

/// What the token said about its user PIN after a failed log-in (PKCS#11 token flags
/// `CKF_USER_PIN_COUNT_LOW`, `CKF_USER_PIN_FINAL_TRY`, `CKF_USER_PIN_LOCKED`). Tokens that
/// keep no retry counter (SoftHSM2 among them) report none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinFlags {
    pub count_low: bool,
    pub final_try: bool,
    pub locked: bool,
}

/// Every error of the signing crate. `Display` is English for logs; people see
/// [`Error::message`] in their language, chosen by [`Error::code`]. No variant ever holds a
/// PIN or a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("cannot load PKCS#11 module {path}: {detail}")]
    ModuleLoadFailed { path: String, detail: String },
    #[error("no token with label {label:?} is present")]
    TokenNotFound { label: String },
    #[error("the token was removed or stopped answering ({detail})")]
    TokenRemoved { detail: String },
    #[error("wrong PIN (count low: {}, final try: {})", flags.count_low, flags.final_try)]
    PinIncorrect { flags: PinFlags },
    #[error("the PIN is locked")]
    PinLocked,
    #[error("the token has no user PIN set")]
    PinNotInitialized,
    #[error("no certificate on the token {label:?}")]
    NoCertificateOnToken { label: String },
    #[error("no private key for the certificate on the token")]
    NoPrivateKey,
    #[error("PKCS#11 call {function} failed: {rv}")]
    Pkcs11Failed { function: String, rv: String },
    #[error("cannot read file {path}: {detail}")]
    FileReadFailed { path: String, detail: String },
    #[error("wrong key file password")]
    PasswordIncorrect,
    #[error("not a usable PKCS#12 key file: {detail}")]
    KeyFileInvalid { detail: String },
    #[error("the key file uses an algorithm this build cannot read: {detail}")]
    KeyFileUnsupported { detail: String },
    #[error("the key file holds a GOST 34.310-2004 key, which NCA has retired")]
    KeyFileGost2004,
    #[error("cannot read the certificate: {detail}")]
    CertificateInvalid { detail: String },
    #[error("the certificate subject has a SERIALNUMBER that is not a valid IIN: {got:?}")]
    CertificateIinInvalid { got: String },
    #[error("the certificate names no owner IIN (SERIALNUMBER=IIN…)")]
    CertificateNoIin,
    #[error("the certificate expired at {not_after}")]
    CertificateExpired { not_after: OffsetDateTime },
    #[error("the certificate is valid only from {not_before}")]
    CertificateNotYetValid { not_before: OffsetDateTime },
    #[error("the key is for authentication only, not for signing")]
    KeyNotForSigning,
    #[error("certificate IIN {certificate} is not the signed-in clerk's IIN {clerk}")]
    IinMismatch { certificate: String, clerk: String },
    #[error("GOST keys are not supported on this path; use your RSA key (RSA_*.p12)")]
    GostNotSupported,
    #[error("GOST 34.310-2004 keys are retired by NCA; get a GOST 34.10-2015 or RSA key")]
    Gost2004Retired,
    #[error("the {algorithm} key on token {label:?} cannot be used through its PKCS#11 module")]
    TokenKeyUnreachable { label: String, algorithm: String },
    #[error("the certificate does not chain to a trusted NCA certificate: {detail}")]
    CertificateUntrusted { detail: String },
    #[error("the certificate was revoked at {revoked_at} ({reason})")]
    CertificateRevoked {
        revoked_at: OffsetDateTime,
        reason: String,
    },
    #[error("revocation could not be checked: {detail}")]
    RevocationUnavailable { detail: String },
    #[error("unsupported key algorithm {oid}")]
    KeyAlgorithmUnsupported { oid: String },
    #[error("the private key does not match the certificate")]
    KeyCertificateMismatch,
    #[error("signing failed: {detail}")]
    SigningFailed { detail: String },
    #[error("not a CMS signature: {detail}")]
    SignatureMalformed { detail: String },
    #[error("unsupported signature: {detail}")]
    SignatureUnsupported { detail: String },
    #[error("the signed content does not match the signature (content changed)")]
    SignatureContentMismatch,
    #[error("the signature value is not valid for the signer's certificate")]
    SignatureInvalid,
    #[error("the signer's certificate does not chain to the given CA: {detail}")]
    SignatureUntrusted { detail: String },
}

impl Error {
    /// The stable code, e.g. `PIN_INCORRECT`; the UI acts on it, never on text.
    pub fn code(&self) -> &'static str {
        match self {
            Error::ModuleLoadFailed { .. } => "PKCS11_MODULE_LOAD_FAILED",
            Error::TokenNotFound { .. } => "TOKEN_NOT_FOUND",
            Error::TokenRemoved { .. } => "TOKEN_REMOVED",
            Error::PinIncorrect { .. } => "PIN_INCORRECT",
            Error::PinLocked => "PIN_LOCKED",
            Error::PinNotInitialized => "PIN_NOT_INITIALIZED",
            Error::NoCertificateOnToken { .. } => "NO_CERTIFICATE_ON_TOKEN",
            Error::NoPrivateKey => "NO_PRIVATE_KEY",
            Error::Pkcs11Failed { .. } => "PKCS11_FAILED",
            Error::FileReadFailed { .. } => "FILE_READ_FAILED",
            Error::PasswordIncorrect => "PASSWORD_INCORRECT",
            Error::KeyFileInvalid { .. } => "KEY_FILE_INVALID",
            Error::KeyFileUnsupported { .. } => "KEY_FILE_UNSUPPORTED",
            Error::KeyFileGost2004 => "KEY_FILE_GOST_2004",
            Error::CertificateInvalid { .. } => "CERTIFICATE_INVALID",
            Error::CertificateIinInvalid { .. } => "CERTIFICATE_IIN_INVALID",
            Error::CertificateNoIin => "CERTIFICATE_NO_IIN",
            Error::CertificateExpired { .. } => "CERTIFICATE_EXPIRED",
            Error::CertificateNotYetValid { .. } => "CERTIFICATE_NOT_YET_VALID",
            Error::KeyNotForSigning => "KEY_NOT_FOR_SIGNING",
            Error::IinMismatch { .. } => "IIN_MISMATCH",
            Error::GostNotSupported => "GOST_NOT_SUPPORTED",
            Error::Gost2004Retired => "GOST_2004_RETIRED",
            Error::TokenKeyUnreachable { .. } => "TOKEN_KEY_UNREACHABLE",
            Error::CertificateUntrusted { .. } => "CERTIFICATE_UNTRUSTED",
            Error::CertificateRevoked { .. } => "CERTIFICATE_REVOKED",
            Error::RevocationUnavailable { .. } => "REVOCATION_UNAVAILABLE",
            Error::KeyAlgorithmUnsupported { .. } => "KEY_ALGORITHM_UNSUPPORTED",
            Error::KeyCertificateMismatch => "KEY_CERTIFICATE_MISMATCH",
            Error::SigningFailed { .. } => "SIGNING_FAILED",
            Error::SignatureMalformed { .. } => "SIGNATURE_MALFORMED",
            Error::SignatureUnsupported { .. } => "SIGNATURE_UNSUPPORTED",
            Error::SignatureContentMismatch => "SIGNATURE_CONTENT_MISMATCH",
            Error::SignatureInvalid => "SIGNATURE_INVALID",
            Error::SignatureUntrusted { .. } => "SIGNATURE_UNTRUSTED",
        }
    }

    /// What happened and what to do, in the user's language: the catalogues' text
    /// of [`Error::code`] (`assets/i18n/*/signing.ftl`) with this error's details.
    pub fn message(&self, lang: Lang) -> String {
        let date = |t: &OffsetDateTime| {
            format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
        };
        let details: Vec<(&str, String)> = match self {
            Error::ModuleLoadFailed { path, .. } => vec![("path", path.to_string())],
            Error::TokenNotFound { label, .. } => vec![("label", label.to_string())],
            Error::PinIncorrect { flags } => vec![(
                "tries",
                if flags.final_try {
                    "final"
                } else if flags.count_low {
                    "low"
                } else {
                    "unknown"
                }
                .to_string(),
            )],
            Error::NoCertificateOnToken { label, .. } => vec![("label", label.to_string())],
            Error::Pkcs11Failed { function, rv, .. } => {
                vec![("function", function.to_string()), ("rv", rv.to_string())]
            }
            Error::FileReadFailed { path, .. } => vec![("path", path.to_string())],
            Error::CertificateIinInvalid { got, .. } => vec![("got", got.to_string())],
            Error::CertificateExpired { not_after, .. } => vec![("not_after", date(not_after))],
            Error::CertificateNotYetValid { not_before, .. } => {
                vec![("not_before", date(not_before))]
            }
            Error::IinMismatch {
                certificate, clerk, ..
            } => vec![
                ("certificate", certificate.to_string()),
                ("clerk", clerk.to_string()),
            ],
            Error::TokenKeyUnreachable {
                algorithm, label, ..
            } => vec![
                ("algorithm", algorithm.to_string()),
                ("label", label.to_string()),
            ],
            Error::CertificateRevoked { revoked_at, .. } => vec![("revoked_at", date(revoked_at))],
            Error::KeyAlgorithmUnsupported { oid, .. } => vec![("oid", oid.to_string())],
            Error::SignatureUnsupported { detail, .. } => vec![("detail", detail.to_string())],
            Error::SignatureUntrusted { detail, .. } => vec![("detail", detail.to_string())],
            _ => Vec::new(),
        };
        let args: Vec<(&str, i18n::Arg<'_>)> = details
            .iter()
            .map(|(name, value)| (*name, i18n::Arg::Text(value)))
            .collect();
        i18n::text_with(lang, self.code(), &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_reach_the_text_and_the_pin_text_follows_the_tokens_flags() {
        let pin = |flags| Error::PinIncorrect { flags }.message(Lang::Ru);
        assert_eq!(
            pin(PinFlags::default()),
            "Неверный PIN-код. Проверьте PIN и введите снова."
        );
        assert!(
            pin(PinFlags {
                final_try: true,
                ..PinFlags::default()
            })
            .contains("код. Осталась последняя попытка")
        );
        assert!(
            Error::PinIncorrect {
                flags: PinFlags {
                    count_low: true,
                    ..PinFlags::default()
                }
            }
            .message(Lang::Kk)
            .contains("Әрекеттер саны аз қалды.")
        );
        let e = Error::TokenNotFound {
            label: "eToken 5110".into(),
        };
        assert!(e.message(Lang::Kk).contains("«eToken 5110» токені"));
        let t = time::macros::datetime!(2027-03-05 10:00 UTC);
        let e = Error::CertificateExpired { not_after: t };
        assert!(e.message(Lang::Ru).contains("истёк 2027-03-05"));
    }

    #[test]
    fn every_variant_has_a_distinct_code_and_text_in_both_languages() {
        let t = OffsetDateTime::UNIX_EPOCH;
        let s = String::new;
        let all = [
            Error::ModuleLoadFailed {
                path: s(),
                detail: s(),
            },
            Error::TokenNotFound { label: s() },
            Error::TokenRemoved { detail: s() },
            Error::PinIncorrect {
                flags: PinFlags::default(),
            },
            Error::PinLocked,
            Error::PinNotInitialized,
            Error::NoCertificateOnToken { label: s() },
            Error::NoPrivateKey,
            Error::Pkcs11Failed {
                function: s(),
                rv: s(),
            },
            Error::FileReadFailed {
                path: s(),
                detail: s(),
            },
            Error::PasswordIncorrect,
            Error::KeyFileInvalid { detail: s() },
            Error::KeyFileUnsupported { detail: s() },
            Error::KeyFileGost2004,
            Error::CertificateInvalid { detail: s() },
            Error::CertificateIinInvalid { got: s() },
            Error::CertificateNoIin,
            Error::CertificateExpired { not_after: t },
            Error::CertificateNotYetValid { not_before: t },
            Error::KeyNotForSigning,
            Error::IinMismatch {
                certificate: s(),
                clerk: s(),
            },
            Error::GostNotSupported,
            Error::Gost2004Retired,
            Error::TokenKeyUnreachable {
                label: s(),
                algorithm: s(),
            },
            Error::CertificateUntrusted { detail: s() },
            Error::CertificateRevoked {
                revoked_at: t,
                reason: s(),
            },
            Error::RevocationUnavailable { detail: s() },
            Error::KeyAlgorithmUnsupported { oid: s() },
            Error::KeyCertificateMismatch,
            Error::SigningFailed { detail: s() },
            Error::SignatureMalformed { detail: s() },
            Error::SignatureUnsupported { detail: s() },
            Error::SignatureContentMismatch,
            Error::SignatureInvalid,
            Error::SignatureUntrusted { detail: s() },
        ];
        let mut codes = std::collections::BTreeSet::new();
        for e in &all {
            assert!(codes.insert(e.code()), "duplicate code {}", e.code());
            assert!(
                e.code()
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
            );
            assert_ne!(e.message(Lang::Kk), e.message(Lang::Ru));
            assert!(!e.message(Lang::Kk).is_empty());
        }
    }

    #[test]
    fn wrong_pin_message_tells_about_the_last_try() {
        let flags = PinFlags {
            count_low: true,
            final_try: true,
            locked: false,
        };
        let e = Error::PinIncorrect { flags };
        assert!(e.message(Lang::Ru).contains("последняя попытка"));
        assert!(e.message(Lang::Kk).contains("Соңғы әрекет"));
        let e = Error::PinIncorrect {
            flags: PinFlags {
                count_low: true,
                ..PinFlags::default()
            },
        };
        assert!(e.message(Lang::Ru).contains("мало попыток"));
    }
}
