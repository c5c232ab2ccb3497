//! What can go wrong talking to NCALayer (issue 14), with stable codes and kk/ru texts.
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

    /// What happened and what to do, in the person's language. Every text says that the
    /// decision was not signed: nothing of it was sent or lost.
    pub fn message(&self, lang: Lang) -> String {
        use Lang::{Kk, Ru};
        match (self, lang) {
            (NcaLayerError::NotRunning { .. }, Kk) => "NCALayer іске қосылмаған: оны іске қосып (немесе ҰКО сайтынан орнатып), қайталаңыз. Шешім қол қойылмады.".into(),
            (NcaLayerError::NotRunning { .. }, Ru) => "NCALayer не запущен: запустите его (или установите с сайта НУЦ) и повторите. Решение не подписано.".into(),
            (NcaLayerError::ServerUntrusted { .. }, Kk) => "13579 портында NCALayer емес бағдарлама жауап береді (сертификаты ҰКО-ныкі емес): оған қол қоюға сенім жоқ. NCALayer-ді ҰКО сайтынан қайта орнатыңыз. Шешім қол қойылмады.".into(),
            (NcaLayerError::ServerUntrusted { .. }, Ru) => "На порту 13579 отвечает не NCALayer (сертификат выдан не НУЦ): подписи ему доверять нельзя. Переустановите NCALayer с сайта НУЦ. Решение не подписано.".into(),
            (NcaLayerError::Closed { .. }, Kk) => "NCALayer жауап бермей жабылды: оны қайта іске қосып, қайталаңыз. Шешім қол қойылмады.".into(),
            (NcaLayerError::Closed { .. }, Ru) => "NCALayer закрылся, не ответив: запустите его снова и повторите. Решение не подписано.".into(),
            (NcaLayerError::Timeout { seconds }, Kk) => format!("NCALayer {seconds} секунд ішінде жауап бермеді: NCALayer терезесін тексеріп, қайталаңыз. Шешім қол қойылмады."),
            (NcaLayerError::Timeout { seconds }, Ru) => format!("NCALayer не ответил за {seconds} с: проверьте окно NCALayer и повторите. Решение не подписано."),
            (NcaLayerError::Cancelled, Kk) => "NCALayer-де қол қою тоқтатылды: шешім қол қойылмады, ештеңе жоғалған жоқ.".into(),
            (NcaLayerError::Cancelled, Ru) => "Подписание отменено в NCALayer: решение не подписано, ничего не потеряно.".into(),
            (NcaLayerError::Refused { code, message }, Kk) => format!("NCALayer қол қоймады ({code}: {message}): кілтті тексеріп, қайталаңыз. Шешім қол қойылмады."),
            (NcaLayerError::Refused { code, message }, Ru) => format!("NCALayer не подписал ({code}: {message}): проверьте ключ и повторите. Решение не подписано."),
            (NcaLayerError::AnswerMalformed { .. }, Kk) => "NCALayer-дің жауабы оқылмады: NCALayer-ді жаңартып, қайталаңыз. Шешім қол қойылмады.".into(),
            (NcaLayerError::AnswerMalformed { .. }, Ru) => "Ответ NCALayer не прочитан: обновите NCALayer и повторите. Решение не подписано.".into(),
            (NcaLayerError::SignatureRefused(e), Kk) => format!("NCALayer қайтарған қолтаңба қабылданбады: {} Шешім қол қойылмады.", e.message(Kk)),
            (NcaLayerError::SignatureRefused(e), Ru) => format!("Подпись, которую вернул NCALayer, не принята: {} Решение не подписано.", e.message(Ru)),
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
}
