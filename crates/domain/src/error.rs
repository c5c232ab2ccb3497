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
            ErrorCode::NotificationChannelMissing => "NOTIFICATION_CHANNEL_MISSING",
            ErrorCode::NotificationEmailMissing => "NOTIFICATION_EMAIL_MISSING",
            ErrorCode::ResponsibilityNotConfirmed => "RESPONSIBILITY_NOT_CONFIRMED",
        }
    }

    /// What happened and what to do, in the user's language.
    pub fn text(self, lang: Lang) -> &'static str {
        use ErrorCode::*;
        match (self, lang) {
            (IinLength, Lang::Kk) => "ЖСН 12 цифрдан тұруы керек.",
            (IinLength, Lang::Ru) => "ИИН должен состоять из 12 цифр.",
            (IinNotDigits, Lang::Kk) => "ЖСН тек цифрлардан тұруы керек.",
            (IinNotDigits, Lang::Ru) => "ИИН должен содержать только цифры.",
            (IinDate, Lang::Kk) => "ЖСН-дағы туған күн (алғашқы 6 цифр, ЖЖААКК) жарамсыз.",
            (IinDate, Lang::Ru) => "Дата рождения в ИИН (первые 6 цифр, ГГММДД) неверна.",
            (IinCentury, Lang::Kk) => {
                "ЖСН-ның 7-цифры (ғасыр мен жыныс) 1-ден 6-ға дейін болуы керек."
            }
            (IinCentury, Lang::Ru) => "7-я цифра ИИН (век и пол) должна быть от 1 до 6.",
            (IinCheckDigit, Lang::Kk) => {
                "ЖСН-ның бақылау цифры сәйкес келмейді: нөмірді тексеріңіз."
            }
            (IinCheckDigit, Lang::Ru) => "Контрольная цифра ИИН не сходится: проверьте номер.",
            (PhoneInvalid, Lang::Kk) => "Ұялы телефон нөмірі +7 7XX XXX XX XX түрінде болуы керек.",
            (PhoneInvalid, Lang::Ru) => {
                "Номер мобильного телефона должен быть вида +7 7XX XXX XX XX."
            }
            (EmailInvalid, Lang::Kk) => {
                "Электрондық пошта мекенжайы жарамсыз (мысалы: ata.ana@mail.kz)."
            }
            (EmailInvalid, Lang::Ru) => {
                "Неверный адрес электронной почты (например: ata.ana@mail.kz)."
            }
            (NameEmpty, Lang::Kk) => "Атын толтырыңыз.",
            (NameEmpty, Lang::Ru) => "Заполните имя.",
            (NameInvalid, Lang::Kk) => {
                "Аты-жөнінде тек әріптер, сызықша, бос орын және апостроф болуы мүмкін."
            }
            (NameInvalid, Lang::Ru) => "В ФИО допускаются только буквы, дефис, пробел и апостроф.",
            (NameTooLong, Lang::Kk) => "Аты-жөні тым ұзын (100 таңбадан аспауы керек).",
            (NameTooLong, Lang::Ru) => "ФИО слишком длинное (не более 100 символов).",
            (ApplicationNumberInvalid, Lang::Kk) => "Өтініш нөмірі жарамсыз.",
            (ApplicationNumberInvalid, Lang::Ru) => "Неверный номер заявления.",
            (GradeInvalid, Lang::Kk) => "Сынып 0-ден 11-ге дейін болуы керек.",
            (GradeInvalid, Lang::Ru) => "Класс должен быть от 0 до 11.",
            (InstructionLanguageInvalid, Lang::Kk) => "Оқыту тілі: қазақ немесе орыс.",
            (InstructionLanguageInvalid, Lang::Ru) => "Язык обучения: казахский или русский.",
            (StatusInvalid, Lang::Kk) => "Белгісіз өтініш мәртебесі.",
            (StatusInvalid, Lang::Ru) => "Неизвестный статус заявления.",
            (TransitionNotAllowed, Lang::Kk) => {
                "Өтініштің қазіргі мәртебесінде бұл әрекет мүмкін емес."
            }
            (TransitionNotAllowed, Lang::Ru) => {
                "При текущем статусе заявления это действие невозможно."
            }
            (RejectReasonUnknown, Lang::Kk) => "Бас тарту себебін тізімнен таңдаңыз.",
            (RejectReasonUnknown, Lang::Ru) => "Выберите причину отказа из списка.",
            (RejectReasonTextRequired, Lang::Kk) => "«Басқа» себебі үшін түсіндірме жазыңыз.",
            (RejectReasonTextRequired, Lang::Ru) => "Для причины «Другое» напишите пояснение.",
            (PendingApplicationExists, Lang::Kk) => {
                "Бұл балаға өтініш берілген және қаралуда: екінші өтініш беруге болмайды."
            }
            (PendingApplicationExists, Lang::Ru) => {
                "На этого ребёнка уже подано заявление, оно на рассмотрении: второе подать нельзя."
            }
            (ChildAlreadyAccepted, Lang::Kk) => {
                "Бала мектепке қабылданған: жаңа өтініш беру үшін алдымен бұрынғысын қайтарып алу керек."
            }
            (ChildAlreadyAccepted, Lang::Ru) => {
                "Ребёнок уже зачислен: чтобы подать новое заявление, сначала отзовите прежнее."
            }
            (DocumentTooLarge, Lang::Kk) => {
                "Файл көлемі 1 МБ-тан аспауы керек: суретті кішірейтіп, қайта жүктеңіз."
            }
            (DocumentTooLarge, Lang::Ru) => {
                "Размер файла не должен превышать 1 МБ: уменьшите скан и загрузите снова."
            }
            (DocumentReadabilityUnchecked, Lang::Kk) => {
                "Сурет 1 МБ-қа сыятындай кішірейтілді: оның оқылатынын қарап, «Оқылады» батырмасын басыңыз немесе басқа файл таңдаңыз."
            }
            (DocumentReadabilityUnchecked, Lang::Ru) => {
                "Изображение уменьшено до 1 МБ: проверьте, что оно читается, и нажмите «Читается» или выберите другой файл."
            }
            (NotificationChannelMissing, Lang::Kk) => {
                "Хабарлама қалай жіберілетінін таңдаңыз: SMS немесе e-mail."
            }
            (NotificationChannelMissing, Lang::Ru) => {
                "Выберите, как отправлять уведомления: SMS или e-mail."
            }
            (NotificationEmailMissing, Lang::Kk) => {
                "Хабарламалар e-mail арқылы жіберілсе, 1-қадамда e-mail енгізіңіз немесе SMS таңдаңыз."
            }
            (NotificationEmailMissing, Lang::Ru) => {
                "Для уведомлений по e-mail укажите e-mail на шаге 1 или выберите SMS."
            }
            (DocumentEmpty, Lang::Kk) => "Файл бос: басқа файлды таңдаңыз.",
            (DocumentEmpty, Lang::Ru) => "Файл пустой: выберите другой файл.",
            (DocumentMissing, Lang::Kk) => {
                "Міндетті құжат жүктелмеген: баланың суреті мен медициналық анықтаманы қосыңыз."
            }
            (DocumentMissing, Lang::Ru) => {
                "Не загружен обязательный документ: добавьте фото ребёнка и медицинскую справку."
            }
            (ChildTooYoung, Lang::Kk) => "Бала қабылдау жылында 6 жасқа толмайды.",
            (ChildTooYoung, Lang::Ru) => "Ребёнку не исполняется 6 лет в год приёма.",
            (ChildOlderThanUsual, Lang::Kk) => {
                "Бала қабылдау жылында 6 жастан үлкен: себебін тексеріңіз."
            }
            (ChildOlderThanUsual, Lang::Ru) => {
                "Ребёнку в год приёма больше 6 лет: проверьте основание."
            }
            (OutsideAdmissionPeriod, Lang::Kk) => {
                "Өтініштер 1 сәуірден 31 тамызға дейін қабылданады."
            }
            (OutsideAdmissionPeriod, Lang::Ru) => "Заявления принимаются с 1 апреля по 31 августа.",
            (ConsentMissing, Lang::Kk) => {
                "Қабылдау қағидаларымен, портал шарттарымен және дербес деректерді өңдеуге келісім қажет."
            }
            (ConsentMissing, Lang::Ru) => {
                "Нужно согласие с правилами приёма, условиями портала и на обработку персональных данных."
            }
            (MicroDistrictMissing, Lang::Kk) => {
                "Тіркелген мекенжай ешбір микротелімге жатпайды: мекенжайды микротелімге біріктіріңіз."
            }
            (MicroDistrictMissing, Lang::Ru) => {
                "Адрес регистрации не входит ни в один микроучасток: привяжите адрес к микроучастку."
            }
            (TemporaryRegistrationInvalid, Lang::Kk) => {
                "Уақытша тіркеу мекенжайы мен мерзімін толтырыңыз (басталуы аяқталуынан бұрын)."
            }
            (TemporaryRegistrationInvalid, Lang::Ru) => {
                "Заполните адрес и срок временной регистрации (начало раньше окончания)."
            }
            (ResponsibilityNotConfirmed, Lang::Kk) => {
                "Баланың деректерін өзгерту және мекенжайды микротелімге біріктіру үшін жауапкершілікті растаңыз."
            }
            (ResponsibilityNotConfirmed, Lang::Ru) => {
                "Подтвердите ответственность за изменение данных ребёнка и привязку адреса к микроучастку."
            }
        }
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
            Error::NotificationChannelMissing => ErrorCode::NotificationChannelMissing,
            Error::NotificationEmailMissing => ErrorCode::NotificationEmailMissing,
            Error::ResponsibilityNotConfirmed => ErrorCode::ResponsibilityNotConfirmed,
        }
    }

    /// The message for a person, in their language, with the detail that helps them fix it.
    pub fn message(&self, lang: Lang) -> String {
        let base = self.code().text(lang);
        match (self, lang) {
            (Error::IinLength { got }, Lang::Kk) => format!("{base} Енгізілгені: {got}."),
            (Error::IinLength { got }, Lang::Ru) => format!("{base} Введено: {got}."),
            (Error::NameInvalid { ch }, _) => format!("{base} «{ch}»"),
            (Error::DocumentTooLarge { size, .. }, Lang::Kk) => {
                format!("{base} Файл көлемі: {}.", human_size(*size))
            }
            (Error::DocumentTooLarge { size, .. }, Lang::Ru) => {
                format!("{base} Размер файла: {}.", human_size(*size))
            }
            _ => base.to_string(),
        }
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
    fn size_is_shown_in_megabytes() {
        let e = Error::DocumentTooLarge {
            size: 2_621_440,
            limit: 1_048_576,
        };
        assert!(e.message(Lang::Ru).ends_with("Размер файла: 2.5 MB."));
    }
}
