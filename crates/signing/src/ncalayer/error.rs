//! What can go wrong talking to NCALayer (issue 14), with stable codes; the kk/ru texts
//! are in signing.ftl.
//! A signature NCALayer returned that fails the desk's own checks is
//! [`NcaLayerError::SignatureRefused`], carrying the signing crate's reason.

use domain::Lang;

/// Every error of the NCALayer signer. No variant holds a PIN (NCALayer asks for it in
/// its own window; the desk never sees it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NcaLayerError {
    #[error("NCALayer is not running on 127.0.0.1:{port}: {detail}")]
    NotRunning { port: u16, detail: String },
    #[error(
        "the program on 127.0.0.1:{port} is not NCALayer: its TLS certificate is not NCA's ({detail})"
    )]
    ServerUntrusted { port: u16, detail: String },
    #[error("NCALayer closed the connection before answering: {detail}")]
    Closed { detail: String },
    #[error("NCALayer did not answer within {seconds} s")]
    Timeout { seconds: u64 },
    #[error("the signature was cancelled in NCALayer")]
    Cancelled,
    #[error("NCALayer refused: {code}: {message}")]
    Refused { code: String, message: String },
    #[error("NCALayer's answer is not readable: {detail}")]
    AnswerMalformed { detail: String },
    #[error("the signature NCALayer returned is refused: {0}")]
    SignatureRefused(crate::Error),
}

impl NcaLayerError {
    pub fn code(&self) -> &'static str {
        match self {
            NcaLayerError::NotRunning { .. } => "NCALAYER_NOT_RUNNING",
            NcaLayerError::ServerUntrusted { .. } => "NCALAYER_UNTRUSTED",
            NcaLayerError::Closed { .. } => "NCALAYER_CLOSED",
            NcaLayerError::Timeout { .. } => "NCALAYER_TIMEOUT",
            NcaLayerError::Cancelled => "NCALAYER_CANCELLED",
            NcaLayerError::Refused { .. } => "NCALAYER_REFUSED",
            NcaLayerError::AnswerMalformed { .. } => "NCALAYER_ANSWER_MALFORMED",
            NcaLayerError::SignatureRefused(_) => "NCALAYER_SIGNATURE_REFUSED",
        }
    }

    /// What happened and what to do, in the person's language (signing.ftl, by code).
    /// Every text says that the decision was not signed: nothing of it was sent or lost.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            NcaLayerError::Timeout { seconds } => {
                i18n::text_with(lang, self.code(), &[("seconds", (*seconds).into())])
            }
            NcaLayerError::Refused { code, message } => i18n::text_with(
                lang,
                self.code(),
                &[("code", code.into()), ("message", message.into())],
            ),
            NcaLayerError::SignatureRefused(e) => {
                i18n::text_with(lang, self.code(), &[("reason", (&e.message(lang)).into())])
            }
            _ => i18n::text(lang, self.code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_distinct_code_and_text_in_both_languages() {
        let s = String::new;
        let all = [
            NcaLayerError::NotRunning {
                port: 1,
                detail: s(),
            },
            NcaLayerError::ServerUntrusted {
                port: 1,
                detail: s(),
            },
            NcaLayerError::Closed { detail: s() },
            NcaLayerError::Timeout { seconds: 1 },
            NcaLayerError::Cancelled,
            NcaLayerError::Refused {
                code: s(),
                message: s(),
            },
            NcaLayerError::AnswerMalformed { detail: s() },
            NcaLayerError::SignatureRefused(crate::Error::SignatureInvalid),
        ];
        let mut codes = std::collections::BTreeSet::new();
        for e in &all {
            assert!(codes.insert(e.code()), "duplicate {}", e.code());
            assert!(e.code().starts_with("NCALAYER_"));
            assert!(i18n::has(e.code()), "{} is not in signing.ftl", e.code());
            assert_ne!(e.message(Lang::Kk), e.message(Lang::Ru));
        }
        assert!(
            NcaLayerError::NotRunning {
                port: 1,
                detail: s()
            }
            .message(Lang::Ru)
            .contains("запустите")
        );
        assert!(
            NcaLayerError::NotRunning {
                port: 1,
                detail: s()
            }
            .message(Lang::Kk)
            .contains("іске қосып")
        );
    }

    #[test]
    fn the_timeout_counts_its_seconds_with_russian_plurals() {
        let ru = |seconds| NcaLayerError::Timeout { seconds }.message(Lang::Ru);
        assert!(ru(21).contains("за 21 секунду:"), "{}", ru(21));
        assert!(ru(30).contains("за 30 секунд:"), "{}", ru(30));
        assert!(ru(2).contains("за 2 секунды:"), "{}", ru(2));
        let kk = NcaLayerError::Timeout { seconds: 30 }.message(Lang::Kk);
        assert!(kk.contains("30 секунд ішінде"), "{kk}");
        let refused = NcaLayerError::SignatureRefused(crate::Error::SignatureInvalid);
        assert!(
            refused
                .message(Lang::Ru)
                .contains(&crate::Error::SignatureInvalid.message(Lang::Ru))
        );
    }
}
