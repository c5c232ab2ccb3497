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

    /// The message for a person, in their language, naming the field and what to fix
    /// (receipts.ftl, by code).
    pub fn message(&self, lang: Lang) -> String {
        let code = self.code().as_str();
        match self {
            Error::InputNotJson { line, column, .. } => i18n::text_with(
                lang,
                "RECEIPT_INPUT_NOT_JSON-at",
                &[("line", (*line).into()), ("column", (*column).into())],
            ),
            Error::FieldMissing { field } | Error::FieldNotAllowed { field, .. } => {
                i18n::text_with(lang, code, &[("field", field.into())])
            }
            Error::FieldInvalid { field, problem } => i18n::text_with(
                lang,
                code,
                &[
                    ("field", field.into()),
                    ("problem", (&problem.text(lang)).into()),
                ],
            ),
            _ => i18n::text(lang, code),
        }
    }
}

impl Problem {
    pub fn text(&self, lang: Lang) -> String {
        let text = |id: &str| i18n::text(lang, id);
        let with = |id: &str, name: &str, value: i18n::Arg<'_>| {
            i18n::text_with(lang, id, &[(name, value)])
        };
        match self {
            Problem::Domain(e) => e.message(lang),
            Problem::WrongType(detail) => {
                with("receipt-problem-wrong-type", "detail", detail.into())
            }
            Problem::NotOneOf(allowed) => with(
                "receipt-problem-not-one-of",
                "allowed",
                (&allowed.join(", ")).into(),
            ),
            Problem::Empty => text("receipt-problem-empty"),
            Problem::TooLong(max) => with("receipt-problem-too-long", "max", (*max).into()),
            Problem::TooMany(max) => with("receipt-problem-too-many", "max", (*max).into()),
            Problem::NotDate => text("receipt-problem-not-date"),
            Problem::NotDateTime => text("receipt-problem-not-date-time"),
            Problem::BirthDateDiffersFromIin(d) => {
                with("receipt-problem-birth-date-differs", "date", d.into())
            }
            Problem::ProvisionalDiffersFromNumber => text("receipt-problem-provisional-differs"),
            Problem::NotSha256Hex => text("receipt-problem-not-sha256"),
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
            assert!(i18n::has(code.as_str()), "{code} is not in receipts.ftl");
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

    #[test]
    fn every_problem_has_its_text_and_counts_read_as_russian_plurals() {
        let all = [
            Problem::WrongType("x".into()),
            Problem::NotOneOf(&["a", "b"]),
            Problem::Empty,
            Problem::TooLong(1),
            Problem::TooMany(5),
            Problem::NotDate,
            Problem::NotDateTime,
            Problem::BirthDateDiffersFromIin("2019-01-01".into()),
            Problem::ProvisionalDiffersFromNumber,
            Problem::NotSha256Hex,
        ];
        for p in &all {
            let (kk, ru) = (p.text(Lang::Kk), p.text(Lang::Ru));
            assert!(!kk.starts_with("receipt-problem") && kk != ru, "{p:?}");
        }
        assert_eq!(Problem::TooLong(1).text(Lang::Ru), "не длиннее 1 символа.");
        assert_eq!(
            Problem::TooLong(100).text(Lang::Ru),
            "не длиннее 100 символов."
        );
        assert_eq!(Problem::TooMany(21).text(Lang::Ru), "не более 21 пункта.");
        let e = Error::InputNotJson {
            line: 3,
            column: 7,
            detail: String::new(),
        };
        assert!(
            e.message(Lang::Ru)
                .ends_with("проверьте файл. (строка 3, столбец 7)"),
            "{}",
            e.message(Lang::Ru)
        );
    }
}
