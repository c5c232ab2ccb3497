//! Conversions between wire types and `domain` types, on purpose and in one place.
//! Wire → domain parses every value ("parse, don't validate") and names the field
//! that failed.

use crate as wire;
use domain::{
    Address, Applicant, ApplicationId, ApplicationNumber, Child, Consents, Contacts, DocumentKind,
    DocumentMeta, Email, FullName, Grade, Iin, InstructionLanguage, Lang, MicroDistrictId,
    NotificationChannel, PersonName, Phone, RejectReason, RejectReasonCode, SchoolId, Sex, Status,
    TemporaryRegistration,
};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// A wire value that is not a valid domain value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("field {field}: {source}")]
    Domain {
        field: &'static str,
        source: domain::Error,
    },
    #[error("field {field}: not a valid {expected}: {got:?}")]
    Format {
        field: &'static str,
        expected: &'static str,
        got: String,
    },
}

impl Error {
    /// Stable code: the domain code, or `INVALID_FIELD`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Domain { source, .. } => source.code().as_str(),
            Error::Format { .. } => crate::codes::INVALID_FIELD,
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            Error::Domain { field, .. } | Error::Format { field, .. } => field,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Domain { field, source } => format!("{field}: {}", source.message(lang)),
            Error::Format {
                field, expected, ..
            } => i18n::text_with(
                lang,
                "portal-field-format",
                &[("field", (*field).into()), ("expected", (*expected).into())],
            ),
        }
    }
}

fn domain_err(field: &'static str) -> impl FnOnce(domain::Error) -> Error {
    move |source| Error::Domain { field, source }
}

fn format_err(field: &'static str, expected: &'static str, got: &str) -> Error {
    Error::Format {
        field,
        expected,
        got: got.to_string(),
    }
}

pub fn timestamp(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

pub fn parse_timestamp(field: &'static str, s: &str) -> Result<OffsetDateTime, Error> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|_| format_err(field, "RFC 3339 timestamp", s))
}

pub fn date(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

pub fn parse_date(field: &'static str, s: &str) -> Result<Date, Error> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|_| format_err(field, "YYYY-MM-DD date", s))
}

pub fn iin(field: &'static str, s: &str) -> Result<Iin, Error> {
    Iin::parse(s).map_err(domain_err(field))
}

pub fn name_to_wire(n: &FullName) -> wire::PersonName {
    wire::PersonName {
        surname: n.surname.to_string(),
        given: n.given.to_string(),
        patronymic: n.patronymic.as_ref().map(ToString::to_string),
    }
}

pub fn name_from_wire(field: &'static str, n: &wire::PersonName) -> Result<FullName, Error> {
    Ok(FullName {
        surname: PersonName::parse(&n.surname).map_err(domain_err(field))?,
        given: PersonName::parse(&n.given).map_err(domain_err(field))?,
        patronymic: match n
            .patronymic
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Some(PersonName::parse(p).map_err(domain_err(field))?),
            None => None,
        },
    })
}

pub fn contacts_to_wire(c: &Contacts) -> wire::Contacts {
    wire::Contacts {
        phone: c.phone.e164(),
        extra_phone: c.extra_phone.as_ref().map(Phone::e164),
        email: c.email.as_ref().map(ToString::to_string),
    }
}

pub fn contacts_from_wire(c: &wire::Contacts) -> Result<Contacts, Error> {
    Ok(Contacts {
        phone: Phone::parse(&c.phone).map_err(domain_err("contacts.phone"))?,
        extra_phone: match c.extra_phone.as_deref() {
            Some(p) => Some(Phone::parse(p).map_err(domain_err("contacts.extra_phone"))?),
            None => None,
        },
        email: match c.email.as_deref() {
            Some(e) => Some(Email::parse(e).map_err(domain_err("contacts.email"))?),
            None => None,
        },
    })
}

pub fn consents_to_wire(c: &Consents) -> wire::Consents {
    wire::Consents {
        admission_rules: c.admission_rules,
        portal_terms: c.portal_terms,
        personal_data: c.personal_data,
        notifications: c.notifications.map(|l| l.code().to_string()),
        notification_channel: c.notification_channel.map(|n| n.as_str().to_string()),
    }
}

pub fn consents_from_wire(c: &wire::Consents) -> Result<Consents, Error> {
    Ok(Consents {
        admission_rules: c.admission_rules,
        portal_terms: c.portal_terms,
        personal_data: c.personal_data,
        notifications: match c.notifications.as_deref() {
            Some(l) => Some(
                Lang::from_code(l)
                    .ok_or_else(|| format_err("consents.notifications", "kk or ru", l))?,
            ),
            None => None,
        },
        notification_channel: match c.notification_channel.as_deref() {
            Some(n) => {
                Some(NotificationChannel::parse(n).ok_or_else(|| {
                    format_err("consents.notification_channel", "sms or email", n)
                })?)
            }
            None => None,
        },
    })
}

pub fn temporary_registration_to_wire(t: &TemporaryRegistration) -> wire::TemporaryRegistration {
    wire::TemporaryRegistration {
        address: t.address().to_string(),
        from: date(t.from()),
        until: date(t.until()),
    }
}

pub fn temporary_registration_from_wire(
    t: &wire::TemporaryRegistration,
) -> Result<TemporaryRegistration, Error> {
    TemporaryRegistration::new(
        &t.address,
        parse_date("temporary_registration.from", &t.from)?,
        parse_date("temporary_registration.until", &t.until)?,
    )
    .map_err(domain_err("temporary_registration"))
}

pub fn reject_reason_from_wire(r: &wire::RejectReason) -> Result<RejectReason, Error> {
    let code = RejectReasonCode::parse(&r.code).map_err(domain_err("reason.code"))?;
    RejectReason::new(code, r.text.as_deref()).map_err(domain_err("reason.text"))
}

pub fn sex(s: Sex) -> String {
    s.as_str().to_string()
}

/// A domain application as the portal sends it; `change_seq` and `updated_at` are the
/// portal's bookkeeping, not part of the domain.
pub fn application_to_wire(
    app: &domain::Application,
    change_seq: u64,
    updated_at: OffsetDateTime,
) -> wire::Application {
    wire::Application {
        id: app.id.0.clone(),
        number: app.number.to_string(),
        submitted_at: timestamp(app.submitted_at),
        status: app.status.as_str().to_string(),
        version: app.version,
        change_seq,
        updated_at: timestamp(updated_at),
        school_id: app.school.0.clone(),
        grade: app.grade.get(),
        language: app.language.as_str().to_string(),
        applicant: wire::Person {
            iin: app.applicant.iin.to_string(),
            name: name_to_wire(&app.applicant.name),
        },
        child: wire::ChildRecord {
            iin: app.child.iin.to_string(),
            name: name_to_wire(&app.child.name),
            birth_date: date(app.child.iin.birth_date()),
            sex: sex(app.child.iin.sex()),
            birth_certificate: app.child.birth_certificate.clone(),
            registered_address: wire::AddressRef {
                id: app.child.registered_address.id.clone(),
                full: app.child.registered_address.full.clone(),
                micro_district_id: app
                    .child
                    .registered_address
                    .micro_district
                    .as_ref()
                    .map(|m| m.0.clone()),
            },
        },
        contacts: contacts_to_wire(&app.contacts),
        actual_address: app.actual_address.clone(),
        temporary_registration: app
            .temporary_registration
            .as_ref()
            .map(temporary_registration_to_wire),
        documents: app
            .documents
            .iter()
            .map(|d| wire::DocumentMeta {
                id: d.id.clone(),
                kind: d.kind.as_str().to_string(),
                file_name: d.file_name.clone(),
                media_type: d.media_type.clone(),
                size: d.size,
                sha256: d.sha256.clone(),
            })
            .collect(),
        consents: consents_to_wire(&app.consents),
        reject_reason: app.reject_reason.as_ref().map(|r| wire::RejectReason {
            code: r.code().as_str().to_string(),
            text: r.text().map(str::to_string),
        }),
        on_behalf: app.on_behalf,
    }
}

/// Parses a portal application into the domain type (what the sync client stores).
pub fn application_from_wire(w: &wire::Application) -> Result<domain::Application, Error> {
    Ok(domain::Application {
        id: ApplicationId(w.id.clone()),
        number: ApplicationNumber::parse(&w.number).map_err(domain_err("number"))?,
        submitted_at: parse_timestamp("submitted_at", &w.submitted_at)?,
        applicant: Applicant {
            iin: iin("applicant.iin", &w.applicant.iin)?,
            name: name_from_wire("applicant.name", &w.applicant.name)?,
        },
        child: Child {
            iin: iin("child.iin", &w.child.iin)?,
            name: name_from_wire("child.name", &w.child.name)?,
            birth_certificate: w.child.birth_certificate.clone(),
            registered_address: Address {
                id: w.child.registered_address.id.clone(),
                full: w.child.registered_address.full.clone(),
                micro_district: w
                    .child
                    .registered_address
                    .micro_district_id
                    .clone()
                    .map(MicroDistrictId),
            },
        },
        contacts: contacts_from_wire(&w.contacts)?,
        actual_address: w.actual_address.clone(),
        temporary_registration: match &w.temporary_registration {
            Some(t) => Some(temporary_registration_from_wire(t)?),
            None => None,
        },
        school: SchoolId(w.school_id.clone()),
        grade: Grade::new(w.grade).map_err(domain_err("grade"))?,
        language: InstructionLanguage::parse(&w.language).map_err(domain_err("language"))?,
        documents: w
            .documents
            .iter()
            .map(|d| {
                Ok(DocumentMeta {
                    id: d.id.clone(),
                    kind: DocumentKind::parse(&d.kind)
                        .ok_or_else(|| format_err("documents.kind", "document kind", &d.kind))?,
                    file_name: d.file_name.clone(),
                    media_type: d.media_type.clone(),
                    size: d.size,
                    sha256: d.sha256.clone(),
                })
            })
            .collect::<Result<_, Error>>()?,
        consents: consents_from_wire(&w.consents)?,
        status: Status::parse(&w.status).map_err(domain_err("status"))?,
        version: w.version,
        reject_reason: match &w.reject_reason {
            Some(r) => Some(reject_reason_from_wire(r)?),
            None => None,
        },
        on_behalf: w.on_behalf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_applications_round_trip_through_the_wire() {
        let spec = demo::RegionSpec::default();
        let region = demo::region(&spec);
        let at = time::macros::datetime!(2026-06-01 10:00 +05:00);
        for app in demo::applications(&spec, &region, 300) {
            let w = application_to_wire(&app, 7, at);
            let json = serde_json::to_string(&w).unwrap();
            let back: wire::Application = serde_json::from_str(&json).unwrap();
            assert_eq!(back, w);
            assert_eq!(application_from_wire(&back).unwrap(), app);
        }
    }

    #[test]
    fn a_bad_field_is_named_with_its_code() {
        let spec = demo::RegionSpec::default();
        let region = demo::region(&spec);
        let mut w = application_to_wire(
            &demo::application(&spec, &region, 0),
            1,
            time::OffsetDateTime::UNIX_EPOCH,
        );
        w.child.iin = "200301500016".into();
        let e = application_from_wire(&w).unwrap_err();
        assert_eq!((e.field(), e.code()), ("child.iin", "IIN_CHECK_DIGIT"));
        w.child.iin = demo::child_iin(&spec, 0).to_string();
        w.submitted_at = "yesterday".into();
        assert_eq!(
            application_from_wire(&w).unwrap_err().code(),
            "INVALID_FIELD"
        );
    }
}
