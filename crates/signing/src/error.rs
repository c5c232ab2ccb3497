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
    #[error("GOST keys are not supported yet; use your RSA key (RSA_*.p12)")]
    GostNotSupported,
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

    /// What happened and what to do, in the user's language.
    pub fn message(&self, lang: Lang) -> String {
        use Lang::{Kk, Ru};
        let date = |t: &OffsetDateTime| {
            format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
        };
        match (self, lang) {
            (Error::ModuleLoadFailed { path, .. }, Kk) => format!(
                "PKCS#11 модулі жүктелмеді ({path}): токен драйверінің орнатылғанын және баптаулардағы жолды тексеріңіз."
            ),
            (Error::ModuleLoadFailed { path, .. }, Ru) => format!(
                "Не удалось загрузить модуль PKCS#11 ({path}): проверьте, что драйвер токена установлен и путь в настройках верен."
            ),
            (Error::TokenNotFound { label }, Kk) => {
                format!("«{label}» токені табылмады: токенді компьютерге салыңыз.")
            }
            (Error::TokenNotFound { label }, Ru) => {
                format!("Токен «{label}» не найден: вставьте токен в компьютер.")
            }
            (Error::TokenRemoved { .. }, Kk) => "Токен алынып тасталды немесе жауап бермейді: шешім қол қойылмады және жіберілмеді. Токенді қайта салып, қайталаңыз.".into(),
            (Error::TokenRemoved { .. }, Ru) => "Токен извлечён или не отвечает: решение не подписано и не отправлено. Вставьте токен и повторите.".into(),
            (Error::PinIncorrect { flags }, Kk) => {
                let mut s = String::from("PIN-код қате.");
                if flags.final_try {
                    s.push_str(" Соңғы әрекет қалды: тағы бір қате енгізсеңіз, токен бұғатталады.");
                } else if flags.count_low {
                    s.push_str(" Әрекеттер саны аз қалды.");
                }
                s.push_str(" PIN-ді тексеріп, қайта енгізіңіз.");
                s
            }
            (Error::PinIncorrect { flags }, Ru) => {
                let mut s = String::from("Неверный PIN-код.");
                if flags.final_try {
                    s.push_str(" Осталась последняя попытка: при следующей ошибке токен заблокируется.");
                } else if flags.count_low {
                    s.push_str(" Осталось мало попыток.");
                }
                s.push_str(" Проверьте PIN и введите снова.");
                s
            }
            (Error::PinLocked, Kk) => "PIN-код бұғатталған: токенді PUK-кодпен немесе токен утилитасымен бұғаттан шығарыңыз.".into(),
            (Error::PinLocked, Ru) => "PIN-код заблокирован: разблокируйте токен PUK-кодом или утилитой токена.".into(),
            (Error::PinNotInitialized, Kk) => "Токенде пайдаланушы PIN-коды орнатылмаған: оны токен утилитасымен орнатыңыз.".into(),
            (Error::PinNotInitialized, Ru) => "На токене не задан PIN-код пользователя: задайте его утилитой токена.".into(),
            (Error::NoCertificateOnToken { label }, Kk) => format!("«{label}» токенінде сертификат жоқ: ЭЦҚ кілті бар токенді салыңыз."),
            (Error::NoCertificateOnToken { label }, Ru) => format!("На токене «{label}» нет сертификата: вставьте токен с ключом ЭЦП."),
            (Error::NoPrivateKey, Kk) => "Токенде сертификатқа сәйкес жабық кілт табылмады.".into(),
            (Error::NoPrivateKey, Ru) => "На токене не найден закрытый ключ для сертификата.".into(),
            (Error::Pkcs11Failed { function, rv }, Kk) => format!("Токен қатесі ({function}: {rv}): токенді қайта салып, қайталаңыз."),
            (Error::Pkcs11Failed { function, rv }, Ru) => format!("Ошибка токена ({function}: {rv}): переподключите токен и повторите."),
            (Error::FileReadFailed { path, .. }, Kk) => format!("«{path}» файлы оқылмады: файлдың бар екенін тексеріңіз."),
            (Error::FileReadFailed { path, .. }, Ru) => format!("Не удалось прочитать файл «{path}»: проверьте, что он существует."),
            (Error::PasswordIncorrect, Kk) => "Кілт файлының құпиясөзі қате: қайта енгізіңіз.".into(),
            (Error::PasswordIncorrect, Ru) => "Неверный пароль файла ключа: введите снова.".into(),
            (Error::KeyFileInvalid { .. }, Kk) => "Бұл ЭЦҚ кілт файлы емес (.p12): ҰКО берген RSA_*.p12 файлын таңдаңыз.".into(),
            (Error::KeyFileInvalid { .. }, Ru) => "Это не файл ключа ЭЦП (.p12): выберите файл RSA_*.p12, выданный НУЦ.".into(),
            (Error::KeyFileUnsupported { .. }, Kk) => "Кілт файлының алгоритмі қолдау таппайды (мүмкін, ГОСТ кілті): RSA_*.p12 файлын таңдаңыз.".into(),
            (Error::KeyFileUnsupported { .. }, Ru) => "Алгоритм файла ключа не поддерживается (возможно, ключ ГОСТ): выберите файл RSA_*.p12.".into(),
            (Error::KeyFileGost2004, Kk) => "Бұл кілт ГОСТ 34.310-2004 бойынша жасалған, ҰКО оны қолданыстан шығарды: ҰКО-дан ГОСТ 2015 немесе RSA жаңа кілтін алыңыз.".into(),
            (Error::KeyFileGost2004, Ru) => "Это ключ ГОСТ 34.310-2004, выведенный НУЦ из обращения: получите в НУЦ новый ключ ГОСТ 2015 или RSA.".into(),
            (Error::CertificateInvalid { .. }, Kk) => "Сертификат оқылмады: ҰКО берген басқа кілтті таңдаңыз.".into(),
            (Error::CertificateInvalid { .. }, Ru) => "Не удалось прочитать сертификат: выберите другой ключ, выданный НУЦ.".into(),
            (Error::CertificateIinInvalid { got }, Kk) => format!("Сертификаттағы ЖСН жарамсыз ({got})."),
            (Error::CertificateIinInvalid { got }, Ru) => format!("ИИН в сертификате неверен ({got})."),
            (Error::CertificateNoIin, Kk) => "Сертификатта иесінің ЖСН-ы жоқ: жеке тұлғаның ЭЦҚ кілтін таңдаңыз.".into(),
            (Error::CertificateNoIin, Ru) => "В сертификате нет ИИН владельца: выберите ключ ЭЦП физического лица.".into(),
            (Error::CertificateExpired { not_after }, Kk) => format!("Сертификаттың мерзімі {} өтіп кеткен: ҰКО-дан жаңа кілт алыңыз.", date(not_after)),
            (Error::CertificateExpired { not_after }, Ru) => format!("Срок действия сертификата истёк {}: получите новый ключ в НУЦ.", date(not_after)),
            (Error::CertificateNotYetValid { not_before }, Kk) => format!("Сертификат тек {} бастап жарамды: компьютердің күнін тексеріңіз.", date(not_before)),
            (Error::CertificateNotYetValid { not_before }, Ru) => format!("Сертификат действует только с {}: проверьте дату на компьютере.", date(not_before)),
            (Error::KeyNotForSigning, Kk) => "Бұл кілт тек аутентификацияға арналған (AUTH_RSA): шешімге қол қою үшін RSA_*.p12 кілтін таңдаңыз.".into(),
            (Error::KeyNotForSigning, Ru) => "Этот ключ только для аутентификации (AUTH_RSA): для подписи решения выберите ключ RSA_*.p12.".into(),
            (Error::IinMismatch { certificate, clerk }, Kk) => format!("Сертификаттағы ЖСН ({certificate}) жүйеге кірген қызметкердің ЖСН-ына ({clerk}) сәйкес келмейді: өз кілтіңізді таңдаңыз."),
            (Error::IinMismatch { certificate, clerk }, Ru) => format!("ИИН в сертификате ({certificate}) не совпадает с ИИН вошедшего сотрудника ({clerk}): выберите свой ключ."),
            (Error::GostNotSupported, Kk) => "ГОСТ кілттері әзірге қолдау таппайды: RSA кілтіңізді (RSA_*.p12) пайдаланыңыз.".into(),
            (Error::GostNotSupported, Ru) => "Ключи ГОСТ пока не поддерживаются: используйте ключ RSA (RSA_*.p12).".into(),
            (Error::KeyAlgorithmUnsupported { oid }, Kk) => format!("Кілт алгоритмі қолдау таппайды ({oid}): RSA кілтін пайдаланыңыз."),
            (Error::KeyAlgorithmUnsupported { oid }, Ru) => format!("Алгоритм ключа не поддерживается ({oid}): используйте ключ RSA."),
            (Error::KeyCertificateMismatch, Kk) => "Жабық кілт сертификатқа сәйкес келмейді: басқа кілтті таңдаңыз.".into(),
            (Error::KeyCertificateMismatch, Ru) => "Закрытый ключ не соответствует сертификату: выберите другой ключ.".into(),
            (Error::SigningFailed { .. }, Kk) => "Қол қою сәтсіз аяқталды: шешім жіберілмеді, қайталаңыз.".into(),
            (Error::SigningFailed { .. }, Ru) => "Подписать не удалось: решение не отправлено, повторите.".into(),
            (Error::SignatureMalformed { .. }, Kk) => "Бұл CMS қолтаңбасы емес (.p7s).".into(),
            (Error::SignatureMalformed { .. }, Ru) => "Это не подпись CMS (.p7s).".into(),
            (Error::SignatureUnsupported { detail }, Kk) => format!("Қолтаңба түрі қолдау таппайды: {detail}."),
            (Error::SignatureUnsupported { detail }, Ru) => format!("Вид подписи не поддерживается: {detail}."),
            (Error::SignatureContentMismatch, Kk) => "Қол қойылған мазмұн өзгертілген: қолтаңба бұл файлға сәйкес келмейді.".into(),
            (Error::SignatureContentMismatch, Ru) => "Подписанное содержимое изменено: подпись не соответствует этому файлу.".into(),
            (Error::SignatureInvalid, Kk) => "Қолтаңба жарамсыз: ол сертификат кілтімен жасалмаған.".into(),
            (Error::SignatureInvalid, Ru) => "Подпись недействительна: она сделана не ключом сертификата.".into(),
            (Error::SignatureUntrusted { detail }, Kk) => format!("Қол қоюшының сертификаты сенімді КО-ға жатпайды ({detail})."),
            (Error::SignatureUntrusted { detail }, Ru) => format!("Сертификат подписанта не восходит к доверенному УЦ ({detail})."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
