//! The on-behalf submission (R-8…R-14).

use crate::error::Error;
use crate::verification;
use crate::{Sim, Staff, WriteRequest, db, json_response};
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use domain::{DocumentKind, InstructionLanguage, Status};
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;
use time::OffsetDateTime;

// ---- on-behalf submission (R-8…R-14) ----

pub async fn submit_on_behalf(w: WriteRequest) -> Response {
    w.json("POST /api/v1/applications", submit_in).await
}

fn submit_in(
    tx: &rusqlite::Connection,
    sim: &Sim,
    now: OffsetDateTime,
    staff: &Staff,
    req: &wire::OnBehalfRequest,
) -> Result<(StatusCode, String), Error> {
    let applicant_iin = convert::iin("applicant.iin", &req.applicant.iin)?;
    let applicant_name = convert::name_from_wire("applicant.name", &req.applicant.name)?;
    let child_iin = convert::iin("child_iin", &req.child_iin)?;
    let contacts = convert::contacts_from_wire(&req.contacts)?;
    let consents = convert::consents_from_wire(&req.consents)?;
    consents.check().map_err(|_| Error::ConsentMissing)?;
    let language = InstructionLanguage::parse(&req.language).map_err(|e| {
        Error::Domain(convert::Error::Domain {
            field: "language",
            source: e,
        })
    })?;
    if req.grade != 1 {
        return Err(Error::InvalidField(
            "grade: first-grade admission takes 1".into(),
        ));
    }
    let temporary = match &req.temporary_registration {
        Some(t) => Some(convert::temporary_registration_from_wire(t)?),
        None => None,
    };
    let submitted_at = convert::parse_timestamp("submitted_at", &req.submitted_at)?;
    if !sim.region.schools.iter().any(|s| s.id.0 == req.school_id) {
        return Err(Error::InvalidField(format!(
            "school_id: unknown school {:?}",
            req.school_id
        )));
    }
    // each file at most 1 MB, photo and medical certificate mandatory.
    let mut files = Vec::new();
    for d in &req.documents {
        let kind = DocumentKind::parse(&d.kind)
            .ok_or_else(|| Error::InvalidField(format!("documents.kind: {:?}", d.kind)))?;
        let bytes = B64
            .decode(d.content_base64.trim())
            .map_err(|_| Error::InvalidField("documents.content_base64".into()))?;
        domain::rules::check_document_size(bytes.len() as u64).map_err(|e| match e.code() {
            domain::ErrorCode::DocumentTooLarge => Error::DocumentTooLarge,
            _ => Error::InvalidField(format!("documents: {} is empty", d.file_name)),
        })?;
        files.push((kind, d, bytes));
    }
    for kind in DocumentKind::MANDATORY {
        if !files.iter().any(|(k, _, _)| *k == kind) {
            return Err(Error::DocumentMissing(kind.as_str().into()));
        }
    }
    let signed = verification::signed_payload(
        sim,
        staff,
        &req.signature,
        submitted_at,
        &req.school_id,
        now,
    )?;
    let payload: wire::SubmissionPayload = verification::canonical_payload(&signed, "submission")?;
    if payload.clerk_iin != staff.iin {
        return Err(Error::SignerMismatch);
    }
    if payload.child_iin != req.child_iin
        || payload.applicant_iin != req.applicant.iin
        || payload.school_id != req.school_id
        || payload.language != req.language
        || payload.submitted_at != req.submitted_at
    {
        return Err(Error::SignatureInvalid(
            "the signed payload is not this submission".into(),
        ));
    }
    // R-15…R-17: a binding signed with the submission is this submission's binding.
    if let Some(b) = &payload.binding
        && (b.child_iin != req.child_iin
            || b.clerk_iin != payload.clerk_iin
            || req.bound_micro_district_id.as_deref() != Some(b.micro_district_id.as_str()))
    {
        return Err(Error::SignatureInvalid(
            "the signed binding is not this submission's".into(),
        ));
    }
    // what the clerk signed is what the request carries, documents by SHA-256.
    if let Some(content) = &payload.content
        && *content != submitted_content(req, &files)
    {
        return Err(Error::SignatureInvalid(
            "the signed content is not what was submitted".into(),
        ));
    }
    check_confirmations(tx, req)?;
    let (child, address_id) =
        db::person(tx, &child_iin.to_string())?.ok_or(Error::PersonNotFound)?;
    if domain::rules::check_age(child_iin.birth_date(), sim.spec.admission_year).is_err() {
        return Err(Error::ChildAge);
    }
    let address = db::address(tx, &address_id)?.ok_or(Error::PersonNotFound)?;
    // the registered address must be bound (or a temporary registration given).
    if address.micro_district_id.is_none() && temporary.is_none() {
        return Err(Error::MicroDistrictMissing);
    }
    // R-29 one pending application per child; R-28 re-apply after rejection.
    let existing = db::applications_of_child(tx, &req.child_iin)?;
    let statuses = existing
        .iter()
        .filter_map(|a| Status::parse(&a.status).ok());
    if let Err(e) = domain::rules::check_can_submit(statuses) {
        let current = existing
            .into_iter()
            .rev()
            .find(|a| a.status != "rejected" && a.status != "withdrawn")
            .ok_or_else(|| Error::Internal("refused without an application".into()))?;
        return Err(match e.code() {
            domain::ErrorCode::ChildAlreadyAccepted => Error::ChildAlreadyAccepted {
                current: Box::new(current),
            },
            _ => Error::PendingApplicationExists {
                current: Box::new(current),
            },
        });
    }
    // only schools with free places.
    let capacity = db::capacity(tx, &req.school_id, language.as_str())?.unwrap_or(0);
    if db::taken(tx, &req.school_id, language.as_str())? >= capacity {
        return Err(Error::NoFreePlaces);
    }
    let seq = db::next_number(tx)?;
    let number = domain::ApplicationNumber::Portal {
        year: sim.spec.admission_year as u16,
        seq,
    };
    let id = format!("ob-{}-{seq:07}", sim.spec.admission_year);
    let mut documents = Vec::new();
    for (i, (kind, d, bytes)) in files.into_iter().enumerate() {
        let doc_id = format!("{id}-doc{}", i + 1);
        tx.execute(
            "INSERT INTO documents(id, application_id, media_type, file_name, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![doc_id, id, d.media_type, d.file_name, bytes],
        )?;
        documents.push(wire::DocumentMeta {
            id: doc_id,
            kind: kind.as_str().to_string(),
            file_name: d.file_name.clone(),
            media_type: d.media_type.clone(),
            size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
    }
    let full = match language {
        InstructionLanguage::Kk => address.full_kk.clone(),
        InstructionLanguage::Ru => address.full_ru.clone(),
    };
    let app = wire::Application {
        id: id.clone(),
        number: number.to_string(),
        submitted_at: req.submitted_at.clone(),
        status: Status::New.as_str().to_string(),
        version: 1,
        change_seq: db::next_change_seq(tx)?,
        updated_at: convert::timestamp(now),
        school_id: req.school_id.clone(),
        grade: 1,
        language: language.as_str().to_string(),
        applicant: wire::Person {
            iin: applicant_iin.to_string(),
            name: convert::name_to_wire(&applicant_name),
        },
        // the child as the clerk entered them, never silently the register's.
        child: match &req.child {
            Some(typed) => wire::ChildRecord {
                iin: child_iin.to_string(),
                name: typed.name.clone(),
                birth_date: convert::date(child_iin.birth_date()),
                sex: convert::sex(child_iin.sex()),
                birth_certificate: typed.birth_certificate.clone(),
                registered_address: wire::AddressRef {
                    id: Some(address.id.clone()),
                    full: typed.registered_address.clone(),
                    micro_district_id: address.micro_district_id.clone(),
                },
            },
            None => wire::ChildRecord {
                iin: child_iin.to_string(),
                name: child.name,
                birth_date: convert::date(child_iin.birth_date()),
                sex: convert::sex(child_iin.sex()),
                birth_certificate: child.birth_certificate.unwrap_or_default(),
                registered_address: wire::AddressRef {
                    id: Some(address.id.clone()),
                    full,
                    micro_district_id: address.micro_district_id.clone(),
                },
            },
        },
        contacts: convert::contacts_to_wire(&contacts),
        actual_address: req.actual_address.clone(),
        temporary_registration: temporary
            .as_ref()
            .map(convert::temporary_registration_to_wire),
        documents,
        consents: convert::consents_to_wire(&consents),
        reject_reason: None,
        on_behalf: true,
    };
    db::insert_application(tx, &app)?;
    json_response(
        StatusCode::CREATED,
        &wire::OnBehalfResponse {
            id,
            number: app.number.clone(),
            application: app,
        },
    )
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes))
}

/// What a request carries, in the form the clerk signs it.
fn submitted_content(
    req: &wire::OnBehalfRequest,
    files: &[(DocumentKind, &wire::DocumentUpload, Vec<u8>)],
) -> wire::SignedContent {
    let child = req.child.clone().unwrap_or(wire::ChildSubmitted {
        name: wire::PersonName {
            surname: String::new(),
            given: String::new(),
            patronymic: None,
        },
        birth_certificate: String::new(),
        registered_address: String::new(),
        registered_address_id: None,
    });
    let documents = files
        .iter()
        .map(|(kind, d, bytes)| wire::SignedDocument {
            kind: kind.as_str().to_string(),
            file_name: d.file_name.clone(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        })
        .collect();
    wire::SignedContent::of_request(req, child, documents)
}

/// every confirmation code named is confirmed and was sent to that contact.
fn check_confirmations(
    tx: &rusqlite::Connection,
    req: &wire::OnBehalfRequest,
) -> Result<(), Error> {
    let Some(c) = &req.confirmations else {
        return Ok(());
    };
    let contacts = convert::contacts_from_wire(&req.contacts)?;
    let pairs = [
        (c.phone_code_id.as_ref(), Some(contacts.phone.e164())),
        (
            c.email_code_id.as_ref(),
            contacts.email.as_ref().map(ToString::to_string),
        ),
    ];
    for (code_id, destination) in pairs {
        let Some(code_id) = code_id else { continue };
        let Some(destination) = destination else {
            return Err(Error::ContactNotConfirmed(code_id.clone()));
        };
        let found: Option<(String, bool)> = rusqlite::OptionalExtension::optional(tx.query_row(
            "SELECT destination, confirmed FROM codes WHERE id = ?1",
            [code_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))?;
        if found != Some((destination.clone(), true)) {
            return Err(Error::ContactNotConfirmed(destination));
        }
    }
    Ok(())
}
