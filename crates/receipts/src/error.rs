use domain::Lang;

/// Every error of the receipts crate. `Display` is English (logs, the CLI's first line);
/// people see [`Error::message`] in Kazakh or Russian. Callers act on [`Error::code`]
/// and, for input errors, on [`Error::field`] (a JSON path such as `child.iin`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the receipt input is not JSON (line {line}, column {column}): {detail}")]
    InputNotJson {
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("field `{field}` is missing")]
    FieldMissing { field: String },
    #[error("field `{field}` is invalid: {problem}")]
    FieldInvalid { field: String, problem: Problem },
    #[error("field `{field}` is not allowed here: {why}")]
    FieldNotAllowed { field: String, why: &'static str },
    #[error("not a receipt QR payload: {detail}")]
    PayloadInvalid { detail: String },
    #[error(
        "the QR payload carries no signature digest (the decision was not signed when printed)"
    )]
    PayloadUnsigned,
    #[error(
        "the signed decision does not match the QR payload: digest {expected} expected, {actual} computed"
    )]
    DigestMismatch { expected: String, actual: String },
}

/// What is wrong with a present field. English via `Display`, kk/ru via [`Problem::text`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// A domain value did not parse (IIN, name, phone, number, reason …).
    #[error("{0}")]
    Domain(domain::Error),
    /// The JSON value has the wrong type or shape; the text is serde's.
    #[error("{0}")]
    WrongType(String),
    #[error("must be one of: {}", .0.join(", "))]
    NotOneOf(&'static [&'static str]),
    #[error("must not be empty")]
    Empty,
    #[error("longer than {0} characters")]
    TooLong(usize),
    #[error("more than {0} items")]
    TooMany(usize),
    #[error("must be a date YYYY-MM-DD")]
    NotDate,
    #[error("must be an RFC 3339 date and time with offset, e.g. 2026-06-01T10:15:00+05:00")]
    NotDateTime,
    #[error("differs from the birth date written in the child's IIN ({0})")]
    BirthDateDiffersFromIin(String),
    #[error("true needs a local number L-YYYY-NNNNNN, false needs a portal number YYYY-NNNNNNN")]
    ProvisionalDiffersFromNumber,
    #[error("must be 64 hexadecimal characters (SHA-256)")]
    NotSha256Hex,
}

/// The stable codes of [`Error`] (wire form: `FIELD_MISSING` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    InputNotJson,
    FieldMissing,
    FieldInvalid,
    FieldNotAllowed,
    PayloadInvalid,
    PayloadUnsigned,
    DigestMismatch,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 7] = [
        ErrorCode::InputNotJson,
        ErrorCode::FieldMissing,
        ErrorCode::FieldInvalid,
        ErrorCode::FieldNotAllowed,
        ErrorCode::PayloadInvalid,
        ErrorCode::PayloadUnsigned,
        ErrorCode::DigestMismatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InputNotJson => "RECEIPT_INPUT_NOT_JSON",
            ErrorCode::FieldMissing => "RECEIPT_FIELD_MISSING",
            ErrorCode::FieldInvalid => "RECEIPT_FIELD_INVALID",
            ErrorCode::FieldNotAllowed => "RECEIPT_FIELD_NOT_ALLOWED",
            ErrorCode::PayloadInvalid => "QR_PAYLOAD_INVALID",
            ErrorCode::PayloadUnsigned => "QR_PAYLOAD_UNSIGNED",
            ErrorCode::DigestMismatch => "SIGNATURE_DIGEST_MISMATCH",
        }
    }

    /// What happened and what to do, in the user's language.
    pub fn text(self, lang: Lang) -> &'static str {
        use ErrorCode::*;
        match (self, lang) {
            (InputNotJson, Lang::Kk) => "Қолхат деректері JSON пішімінде емес: файлды тексеріңіз.",
            (InputNotJson, Lang::Ru) => "Данные расписки не в формате JSON: проверьте файл.",
            (FieldMissing, Lang::Kk) => "Міндетті өріс толтырылмаған:",
            (FieldMissing, Lang::Ru) => "Не заполнено обязательное поле:",
            (FieldInvalid, Lang::Kk) => "Өрістің мәні жарамсыз:",
            (FieldInvalid, Lang::Ru) => "Неверное значение поля:",
            (FieldNotAllowed, Lang::Kk) => "Бұл құжат түрінде мына өріс болмауы керек:",
            (FieldNotAllowed, Lang::Ru) => "Для этого вида документа поле лишнее:",
            (PayloadInvalid, Lang::Kk) => "QR-код Qabyldau қолхатына жатпайды немесе зақымдалған.",
            (PayloadInvalid, Lang::Ru) => "QR-код не относится к расписке Qabyldau или повреждён.",
            (PayloadUnsigned, Lang::Kk) => {
                "Қолхат басып шығарылғанда шешімге әлі қол қойылмаған: QR-код қолтаңбаны дәлелдемейді, мектептен қайта басып шығаруды сұраңыз."
            }
            (PayloadUnsigned, Lang::Ru) => {
                "Когда расписка печаталась, решение ещё не было подписано: QR-код не подтверждает подпись, попросите школу перепечатать документ."
            }
            (DigestMismatch, Lang::Kk) => {
                "Қолхаттағы QR-код қол қойылған шешімге сәйкес келмейді: құжат жалған немесе басқа шешімге жатады."
            }
            (DigestMismatch, Lang::Ru) => {
                "QR-код расписки не соответствует подписанному решению: документ подделан или относится к другому решению."
            }
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InputNotJson { .. } => ErrorCode::InputNotJson,
            Error::FieldMissing { .. } => ErrorCode::FieldMissing,
            Error::FieldInvalid { .. } => ErrorCode::FieldInvalid,
            Error::FieldNotAllowed { .. } => ErrorCode::FieldNotAllowed,
            Error::PayloadInvalid { .. } => ErrorCode::PayloadInvalid,
            Error::PayloadUnsigned => ErrorCode::PayloadUnsigned,
            Error::DigestMismatch { .. } => ErrorCode::DigestMismatch,
        }
    }

    /// The JSON path of the field an input error is about, e.g. `child.iin`, `documents[2]`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::FieldMissing { field }
            | Error::FieldInvalid { field, .. }
            | Error::FieldNotAllowed { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The domain code behind a field error (e.g. `IIN_CHECK_DIGIT`), when there is one.
    pub fn domain_code(&self) -> Option<domain::ErrorCode> {
        match self {
            Error::FieldInvalid {
                problem: Problem::Domain(e),
                ..
            } => Some(e.code()),
            _ => None,
        }
    }

    /// The message for a person, in their language, naming the field and what to fix.
    pub fn message(&self, lang: Lang) -> String {
        let base = self.code().text(lang);
        match self {
            Error::InputNotJson { line, column, .. } => match lang {
                Lang::Kk => format!("{base} ({line}-жол, {column}-баған)"),
                Lang::Ru => format!("{base} (строка {line}, столбец {column})"),
            },
            Error::FieldMissing { field } => format!("{base} «{field}»."),
            Error::FieldInvalid { field, problem } => {
                format!("{base} «{field}»: {}", problem.text(lang))
            }
            Error::FieldNotAllowed { field, .. } => format!("{base} «{field}»."),
            _ => base.to_string(),
        }
    }
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::Domain(e), _) => e.message(lang),
            (Problem::WrongType(detail), Lang::Kk) => format!("мән түрі дұрыс емес ({detail})."),
            (Problem::WrongType(detail), Lang::Ru) => format!("неверный тип значения ({detail})."),
            (Problem::NotOneOf(allowed), Lang::Kk) => {
                format!("мына мәндердің бірі болуы керек: {}.", allowed.join(", "))
            }
            (Problem::NotOneOf(allowed), Lang::Ru) => {
                format!("допустимые значения: {}.", allowed.join(", "))
            }
            (Problem::Empty, Lang::Kk) => "бос болмауы керек.".to_string(),
            (Problem::Empty, Lang::Ru) => "не должно быть пустым.".to_string(),
            (Problem::TooLong(max), Lang::Kk) => format!("{max} таңбадан аспауы керек."),
            (Problem::TooLong(max), Lang::Ru) => format!("не длиннее {max} символов."),
            (Problem::TooMany(max), Lang::Kk) => format!("{max} тармақтан аспауы керек."),
            (Problem::TooMany(max), Lang::Ru) => format!("не более {max} пунктов."),
            (Problem::NotDate, Lang::Kk) => "күн ЖЖЖЖ-АА-КК түрінде болуы керек.".to_string(),
            (Problem::NotDate, Lang::Ru) => "дата должна быть вида ГГГГ-ММ-ДД.".to_string(),
            (Problem::NotDateTime, Lang::Kk) => {
                "күн мен уақыт RFC 3339 түрінде болуы керек, мысалы 2026-06-01T10:15:00+05:00.".to_string()
            }
            (Problem::NotDateTime, Lang::Ru) => {
                "дата и время в формате RFC 3339, например 2026-06-01T10:15:00+05:00.".to_string()
            }
            (Problem::BirthDateDiffersFromIin(d), Lang::Kk) => {
                format!("баланың ЖСН-ындағы туған күнге ({d}) сәйкес емес: ЖСН-ды немесе күнді тексеріңіз.")
            }
            (Problem::BirthDateDiffersFromIin(d), Lang::Ru) => {
                format!("не совпадает с датой рождения в ИИН ребёнка ({d}): проверьте ИИН или дату.")
            }
            (Problem::ProvisionalDiffersFromNumber, Lang::Kk) => {
                "уақытша құжатта жергілікті нөмір (L-ЖЖЖЖ-NNNNNN), тұрақтыда портал нөмірі (ЖЖЖЖ-NNNNNNN) болады.".to_string()
            }
            (Problem::ProvisionalDiffersFromNumber, Lang::Ru) => {
                "у предварительного документа локальный номер (L-ГГГГ-NNNNNN), у окончательного — номер портала (ГГГГ-NNNNNNN).".to_string()
            }
            (Problem::NotSha256Hex, Lang::Kk) => "64 он алтылық таңба (SHA-256) болуы керек.".to_string(),
            (Problem::NotSha256Hex, Lang::Ru) => "должно быть 64 шестнадцатеричных символа (SHA-256).".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_unique_stable_string_and_text_in_both_languages() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_')
            );
            assert_ne!(code.text(Lang::Kk), code.text(Lang::Ru));
        }
    }

    #[test]
    fn field_errors_name_the_field_in_every_language() {
        let e = Error::FieldInvalid {
            field: "child.iin".into(),
            problem: Problem::Domain(domain::Error::IinCheckDigit),
        };
        assert!(e.to_string().contains("child.iin"));
        for lang in Lang::ALL {
            assert!(
                e.message(lang).contains("«child.iin»"),
                "{}",
                e.message(lang)
            );
        }
        assert_eq!(e.domain_code(), Some(domain::ErrorCode::IinCheckDigit));
    }
}
