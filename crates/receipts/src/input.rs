//! The documented JSON input (FORMAT.md) and its one-step validation into [`Receipt`].

use crate::error::{Error, Problem};
use crate::receipt::{Applicant, Clerk, Person, Receipt, ReceiptKind, School, SignatureDigest};
use domain::{
    ApplicationNumber, FullName, Grade, Iin, InstructionLanguage, Lang, PersonName, Phone,
    RejectReason, RejectReasonCode,
};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

pub const SCHOOL_TEXT_MAX_CHARS: usize = 300;
pub const DOCUMENT_NAME_MAX_CHARS: usize = 200;
pub const DOCUMENTS_MAX: usize = 40;
/// The same limit as the domain's reject text (domain::reject::REJECT_TEXT_MAX_CHARS, not
/// re-exported); longer text is refused here rather than silently cut.
pub const REASON_TEXT_MAX_CHARS: usize = 1000;

/// The receipt input as JSON carries it. Every field is optional here so that a missing
/// one is reported by its path ([`Error::FieldMissing`]) instead of a serde message;
/// [`ReceiptInput::validate`] turns it into a [`Receipt`] or names the first bad field.
/// Unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ReceiptInput {
    pub kind: Option<String>,
    pub lang: Option<String>,
    pub application_number: Option<String>,
    pub school: Option<SchoolInput>,
    pub child: Option<ChildInput>,
    pub applicant: Option<ApplicantInput>,
    pub class: Option<u8>,
    pub language_of_instruction: Option<String>,
    pub decided_at: Option<String>,
    pub clerk: Option<ClerkInput>,
    pub documents: Option<Vec<String>>,
    pub reason: Option<ReasonInput>,
    pub provisional: Option<bool>,
    pub signature_digest: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SchoolInput {
    pub name: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ChildInput {
    pub surname: Option<String>,
    pub name: Option<String>,
    pub patronymic: Option<String>,
    pub iin: Option<String>,
    pub birth_date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ApplicantInput {
    pub surname: Option<String>,
    pub name: Option<String>,
    pub patronymic: Option<String>,
    pub iin: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ClerkInput {
    pub name: Option<String>,
    pub iin: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ReasonInput {
    pub code: Option<String>,
    pub text: Option<String>,
}

const KINDS: &[&str] = &["acceptance", "documents", "rejection"];
const LANGS: &[&str] = &["kk", "ru"];

impl ReceiptInput {
    /// Parses the JSON text and validates it in one step.
    pub fn parse(json: &str) -> Result<Receipt, Error> {
        Self::from_json(json)?.validate()
    }

    /// Reads the JSON into the wire shape; a value of the wrong type is reported by its path.
    pub fn from_json(json: &str) -> Result<ReceiptInput, Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        let input: ReceiptInput = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data if path != "." => Error::FieldInvalid {
                    field: path,
                    problem: Problem::WrongType(strip_position(&inner.to_string())),
                },
                _ => Error::InputNotJson {
                    line: inner.line(),
                    column: inner.column(),
                    detail: strip_position(&inner.to_string()),
                },
            }
        })?;
        de.end().map_err(|e| Error::InputNotJson {
            line: e.line(),
            column: e.column(),
            detail: strip_position(&e.to_string()),
        })?;
        Ok(input)
    }

    /// Checks every field, in document order, and returns the first problem found.
    pub fn validate(&self) -> Result<Receipt, Error> {
        let kind_code = required(&self.kind, "kind")?;
        if !KINDS.contains(&kind_code.as_str()) {
            return Err(invalid("kind", Problem::NotOneOf(KINDS)));
        }
        let number =
            ApplicationNumber::parse(required(&self.application_number, "application_number")?)
                .map_err(|e| invalid("application_number", Problem::Domain(e)))?;
        if let Some(provisional) = self.provisional
            && provisional != number.is_provisional()
        {
            return Err(invalid(
                "provisional",
                Problem::ProvisionalDiffersFromNumber,
            ));
        }

        let school_in = self.school.as_ref().ok_or_else(|| missing("school"))?;
        let school = School {
            name: text(&school_in.name, "school.name", SCHOOL_TEXT_MAX_CHARS)?,
            address: text(&school_in.address, "school.address", SCHOOL_TEXT_MAX_CHARS)?,
        };

        let child_in = self.child.as_ref().ok_or_else(|| missing("child"))?;
        let child_name = full_name(
            &child_in.surname,
            &child_in.name,
            &child_in.patronymic,
            "child",
        )?;
        let child_iin = iin(&child_in.iin, "child.iin")?;
        let birth = required(&child_in.birth_date, "child.birth_date")?;
        let birth = Date::parse(
            birth.trim(),
            &time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| invalid("child.birth_date", Problem::NotDate))?;
        if birth != child_iin.birth_date() {
            return Err(invalid(
                "child.birth_date",
                Problem::BirthDateDiffersFromIin(child_iin.birth_date().to_string()),
            ));
        }
        let child = Person {
            name: child_name,
            iin: child_iin,
        };

        let applicant_in = self
            .applicant
            .as_ref()
            .ok_or_else(|| missing("applicant"))?;
        let applicant = Applicant {
            name: full_name(
                &applicant_in.surname,
                &applicant_in.name,
                &applicant_in.patronymic,
                "applicant",
            )?,
            iin: iin(&applicant_in.iin, "applicant.iin")?,
            phone: Phone::parse(required(&applicant_in.phone, "applicant.phone")?)
                .map_err(|e| invalid("applicant.phone", Problem::Domain(e)))?,
        };

        let grade = Grade::new(self.class.ok_or_else(|| missing("class"))?)
            .map_err(|e| invalid("class", Problem::Domain(e)))?;
        let language_of_instruction = InstructionLanguage::parse(required(
            &self.language_of_instruction,
            "language_of_instruction",
        )?)
        .map_err(|e| invalid("language_of_instruction", Problem::Domain(e)))?;
        // The clerk picks the language; by default the application's language of instruction.
        let lang = match &self.lang {
            None => match language_of_instruction {
                InstructionLanguage::Kk => Lang::Kk,
                InstructionLanguage::Ru => Lang::Ru,
            },
            Some(code) => {
                Lang::from_code(code).ok_or_else(|| invalid("lang", Problem::NotOneOf(LANGS)))?
            }
        };

        let decided_at =
            OffsetDateTime::parse(required(&self.decided_at, "decided_at")?.trim(), &Rfc3339)
                .map_err(|_| invalid("decided_at", Problem::NotDateTime))?;

        let clerk_in = self.clerk.as_ref().ok_or_else(|| missing("clerk"))?;
        let clerk = Clerk {
            name: name(&clerk_in.name, "clerk.name")?,
            iin: iin(&clerk_in.iin, "clerk.iin")?,
        };

        let documents_in = self
            .documents
            .as_ref()
            .ok_or_else(|| missing("documents"))?;
        if documents_in.len() > DOCUMENTS_MAX {
            return Err(invalid("documents", Problem::TooMany(DOCUMENTS_MAX)));
        }
        let mut documents = Vec::with_capacity(documents_in.len());
        for (i, d) in documents_in.iter().enumerate() {
            documents.push(text(
                &Some(d.clone()),
                &format!("documents[{i}]"),
                DOCUMENT_NAME_MAX_CHARS,
            )?);
        }

        let kind = match kind_code.as_str() {
            "rejection" => {
                let r = self.reason.as_ref().ok_or_else(|| missing("reason"))?;
                let code = RejectReasonCode::parse(required(&r.code, "reason.code")?.trim())
                    .map_err(|e| invalid("reason.code", Problem::Domain(e)))?;
                if let Some(t) = &r.text
                    && t.trim().chars().count() > REASON_TEXT_MAX_CHARS
                {
                    return Err(invalid(
                        "reason.text",
                        Problem::TooLong(REASON_TEXT_MAX_CHARS),
                    ));
                }
                let reason = RejectReason::new(code, r.text.as_deref())
                    .map_err(|e| invalid("reason.text", Problem::Domain(e)))?;
                ReceiptKind::Rejection(reason)
            }
            other => {
                if self.reason.is_some() {
                    return Err(Error::FieldNotAllowed {
                        field: "reason".into(),
                        why: "only a rejection notice carries a reason",
                    });
                }
                if other == "documents" && documents.is_empty() {
                    return Err(invalid("documents", Problem::Empty));
                }
                if other == "documents" {
                    ReceiptKind::Documents
                } else {
                    ReceiptKind::Acceptance
                }
            }
        };

        let signature_digest = match &self.signature_digest {
            None => None,
            Some(hex) => Some(
                SignatureDigest::from_hex(hex.trim())
                    .ok_or_else(|| invalid("signature_digest", Problem::NotSha256Hex))?,
            ),
        };

        Ok(Receipt {
            kind,
            lang,
            number,
            school,
            child,
            applicant,
            grade,
            language_of_instruction,
            decided_at,
            clerk,
            documents,
            signature_digest,
        })
    }
}

fn missing(field: &str) -> Error {
    Error::FieldMissing {
        field: field.to_string(),
    }
}

fn invalid(field: &str, problem: Problem) -> Error {
    Error::FieldInvalid {
        field: field.to_string(),
        problem,
    }
}

fn required<'a>(value: &'a Option<String>, field: &str) -> Result<&'a String, Error> {
    value.as_ref().ok_or_else(|| missing(field))
}

/// Free text (school name, document names): trimmed, inner whitespace folded, non-empty.
fn text(value: &Option<String>, field: &str, max: usize) -> Result<String, Error> {
    let folded = required(value, field)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if folded.is_empty() {
        return Err(invalid(field, Problem::Empty));
    }
    if folded.chars().count() > max {
        return Err(invalid(field, Problem::TooLong(max)));
    }
    Ok(folded)
}

fn name(value: &Option<String>, field: &str) -> Result<PersonName, Error> {
    PersonName::parse(required(value, field)?).map_err(|e| invalid(field, Problem::Domain(e)))
}

fn full_name(
    surname: &Option<String>,
    given: &Option<String>,
    patronymic: &Option<String>,
    person: &str,
) -> Result<FullName, Error> {
    let surname = name(surname, &format!("{person}.surname"))?;
    let given = name(given, &format!("{person}.name"))?;
    // Many Kazakh names have no patronymic: absent, null or blank all mean "none".
    let patronymic = match patronymic.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(
            PersonName::parse(p)
                .map_err(|e| invalid(&format!("{person}.patronymic"), Problem::Domain(e)))?,
        ),
    };
    Ok(FullName {
        surname,
        given,
        patronymic,
    })
}

fn iin(value: &Option<String>, field: &str) -> Result<Iin, Error> {
    Iin::parse(required(value, field)?).map_err(|e| invalid(field, Problem::Domain(e)))
}

/// serde_json appends " at line L column C"; the position is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
