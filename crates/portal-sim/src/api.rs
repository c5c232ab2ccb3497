//! Handlers of `/api/v1`: the portal as the desk sees it.

use crate::error::Error;
use crate::verification;
use crate::{
    AppState, ConnectionKill, RawBody, Sim, Staff, db, idempotent_write, json_response, parse_json,
    respond,
};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use domain::{DocumentKind, InstructionLanguage, Lang, RejectReasonCode, Status};
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;
use std::collections::HashMap;
use time::OffsetDateTime;

type Q = Query<HashMap<String, String>>;

fn ok_json<T: serde::Serialize>(value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => respond(StatusCode::OK, "application/json", body),
        Err(e) => Error::from(e).into_response(),
    }
}

fn result(r: Result<Response, Error>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

// ---- sign-in (R-1) ----

pub async fn sign_in(State(sim): State<AppState>, RawBody(body): RawBody) -> Response {
    result((|| {
        let req: wire::SignInRequest = parse_json(&body)?;
        let now = OffsetDateTime::now_utc();
        let iin = req.iin.trim();
        crate::accounts::check_open(&sim, iin, now)?;
        let Some(staff) = sim
            .region
            .staff
            .iter()
            .find(|s| s.iin.to_string() == iin && s.password == req.password)
        else {
            crate::accounts::record_wrong_password(&sim, iin, now);
            return Err(Error::CredentialsInvalid);
        };
        crate::accounts::record_sign_in(&sim, iin);
        Ok(open_session(&sim, staff, now))
    })())
}

/// A bearer token for `staff`, valid for the configured time, with all their schools.
fn open_session(sim: &Sim, staff: &demo::Staff, now: OffsetDateTime) -> Response {
    let schools: Vec<String> = sim
        .region
        .staff
        .iter()
        .filter(|s| s.iin == staff.iin)
        .map(|s| s.school.0.clone())
        .collect();
    let token: String = sim
        .random_bytes(24)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let expires_at = now + sim.token_ttl;
    crate::lock(&sim.sessions).insert(
        token.clone(),
        crate::Session {
            staff_iin: staff.iin.to_string(),
            schools: schools.clone(),
            expires_at,
        },
    );
    let confirmed = confirmed_email(sim, &staff.iin.to_string());
    ok_json(&wire::SignInResponse {
        token,
        expires_at: convert::timestamp(expires_at),
        staff: wire::StaffMember {
            iin: staff.iin.to_string(),
            name: convert::name_to_wire(&staff.name),
            email: confirmed.clone().unwrap_or_else(|| staff.email.to_string()),
            school_ids: schools,
            email_confirmed: confirmed.is_some(),
        },
    })
}

/// The e-mail a staff member confirmed, if any.
fn confirmed_email(sim: &Sim, iin: &str) -> Option<String> {
    rusqlite::OptionalExtension::optional(sim.db().query_row(
        "SELECT email FROM staff_email WHERE iin = ?1",
        [iin],
        |r| r.get(0),
    ))
    .ok()
    .flatten()
}

// ---- the staff member's e-mail at the first sign-in (R-2) ----

/// The e-mail given at the first sign-in: a 4-digit code is sent to it (the simulator
/// shows it under `/admin/codes`).
pub async fn send_staff_email_code(
    State(sim): State<AppState>,
    _staff: Staff,
    RawBody(body): RawBody,
) -> Response {
    result((|| {
        let req: wire::StaffEmailRequest = parse_json(&body)?;
        let email = domain::Email::parse(&req.email)
            .map_err(|e| {
                Error::Domain(convert::Error::Domain {
                    field: "email",
                    source: e,
                })
            })?
            .to_string();
        let code = format!("{:04}", sim.random_range(0..10_000));
        let now = OffsetDateTime::now_utc();
        let expires = now + sim.code_ttl;
        let conn = sim.db();
        let n: i64 = conn.query_row("SELECT COUNT(*) + 1 FROM codes", [], |r| r.get(0))?;
        let id = format!("code-{n}");
        conn.execute(
            "INSERT INTO codes(id, channel, destination, code, sent_at, expires_at, attempts, confirmed)
             VALUES (?1, 'email', ?2, ?3, ?4, ?5, 0, 0)",
            params![id, email, code, convert::timestamp(now), expires.unix_timestamp()],
        )?;
        let (status, body) = json_response(
            StatusCode::CREATED,
            &wire::CodeSent {
                code_id: id,
                channel: "email".into(),
                destination: email,
                expires_at: convert::timestamp(expires),
            },
        )?;
        Ok(respond(status, "application/json", body))
    })())
}

/// The code sent to the e-mail confirms it for this staff member: the same rules as any
/// confirmation code (3 wrong tries burn it, it expires).
pub async fn confirm_staff_email(
    State(sim): State<AppState>,
    staff: Staff,
    RawBody(body): RawBody,
) -> Response {
    result((|| {
        let req: wire::StaffEmailConfirm = parse_json(&body)?;
        let now = OffsetDateTime::now_utc();
        let email = {
            let conn = sim.db();
            let row: Option<(String, String, String, i64, i64)> =
                rusqlite::OptionalExtension::optional(conn.query_row(
                    "SELECT channel, destination, code, expires_at, attempts FROM codes WHERE id = ?1",
                    [&req.code_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                ))?;
            let (channel, destination, code, expires_at, attempts) = row
                .filter(|r| r.0 == "email")
                .ok_or_else(|| Error::NotFound(format!("confirmation code {}", req.code_id)))?;
            let _ = channel;
            if now.unix_timestamp() >= expires_at {
                return Err(Error::CodeExpired);
            }
            if attempts >= CODE_ATTEMPTS {
                return Err(Error::CodeAttemptsExceeded);
            }
            if req.code.trim() != code {
                conn.execute(
                    "UPDATE codes SET attempts = attempts + 1 WHERE id = ?1",
                    [&req.code_id],
                )?;
                return Err(Error::CodeIncorrect);
            }
            conn.execute(
                "UPDATE codes SET confirmed = 1 WHERE id = ?1",
                [&req.code_id],
            )?;
            conn.execute(
                "INSERT INTO staff_email(iin, email, confirmed_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(iin) DO UPDATE SET email = excluded.email, confirmed_at = excluded.confirmed_at",
                params![staff.iin, destination, convert::timestamp(now)],
            )?;
            destination
        };
        let member = sim
            .region
            .staff
            .iter()
            .find(|s| s.iin.to_string() == staff.iin)
            .ok_or_else(|| Error::NotFound(format!("staff {}", staff.iin)))?;
        Ok(ok_json(&wire::StaffMember {
            iin: staff.iin.clone(),
            name: convert::name_to_wire(&member.name),
            email,
            school_ids: staff.schools.clone(),
            email_confirmed: true,
        }))
    })())
}

/// How long an EDS sign-in challenge may be signed and sent back.
const CHALLENGE_TTL: time::Duration = time::Duration::minutes(5);

pub async fn eds_challenge(State(sim): State<AppState>) -> Response {
    let now = OffsetDateTime::now_utc();
    let challenge = B64.encode(sim.random_bytes(32));
    let expires_at = now + CHALLENGE_TTL;
    {
        let mut challenges = crate::lock(&sim.challenges);
        challenges.retain(|_, expires| *expires > now);
        challenges.insert(challenge.clone(), expires_at);
    }
    ok_json(&wire::EdsChallenge {
        challenge,
        expires_at: convert::timestamp(expires_at),
    })
}

/// EDS sign-in: a detached CMS over the challenge's bytes (base64-decoded), signed
/// with an authentication key (`AUTH_RSA_*`) whose certificate names a staff member's IIN.
/// A challenge is used once, whatever the outcome.
pub async fn eds_sign_in(State(sim): State<AppState>, RawBody(body): RawBody) -> Response {
    result((|| {
        let req: wire::EdsSignInRequest = parse_json(&body)?;
        let now = OffsetDateTime::now_utc();
        let expires_at = crate::lock(&sim.challenges).remove(req.challenge.trim());
        if expires_at.is_none_or(|t| t <= now) {
            return Err(Error::ChallengeInvalid);
        }
        let challenge = B64
            .decode(req.challenge.trim())
            .map_err(|_| Error::ChallengeInvalid)?;
        let cms = B64
            .decode(req.cms_base64.trim())
            .map_err(|_| Error::SignatureInvalid("cms_base64 is not base64".into()))?;
        let owner = verification::signed_in_owner(&sim, &challenge, &cms, now)?;
        let staff = sim
            .region
            .staff
            .iter()
            .find(|s| s.iin == owner)
            .ok_or_else(|| Error::SignerUnknown(owner.to_string()))?;
        crate::accounts::check_open(&sim, &owner.to_string(), now)?;
        Ok(open_session(&sim, staff, now))
    })())
}

// ---- applications ----

pub async fn changes(State(sim): State<AppState>, staff: Staff, Query(q): Q) -> Response {
    result((|| {
        let after: u64 = match q.get("after").map(String::as_str) {
            None | Some("") => 0,
            Some(s) => s
                .parse()
                .map_err(|_| Error::InvalidField(format!("after: not a cursor: {s:?}")))?,
        };
        let limit: u32 = match q.get("limit") {
            None => wire::PAGE_DEFAULT,
            Some(s) => s
                .parse::<u32>()
                .ok()
                .filter(|l| (1..=wire::PAGE_MAX).contains(l))
                .ok_or_else(|| Error::InvalidField(format!("limit: 1..{}", wire::PAGE_MAX)))?,
        };
        let schools = match q.get("school_id") {
            Some(s) if staff.schools.contains(s) => vec![s.clone()],
            Some(s) => return Err(Error::ForbiddenSchool(s.clone())),
            None => staff.schools.clone(),
        };
        let conn = sim.db();
        let mut items = Vec::new();
        let placeholders = vec!["?"; schools.len()].join(",");
        let sql = format!(
            "SELECT body FROM applications WHERE school_id IN ({placeholders}) AND change_seq > ? ORDER BY change_seq LIMIT ?"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut args: Vec<rusqlite::types::Value> =
            schools.iter().map(|s| s.clone().into()).collect();
        args.push((after as i64).into());
        args.push(i64::from(limit + 1).into());
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(0))?;
        for row in rows {
            items.push(serde_json::from_str::<wire::Application>(&row?)?);
        }
        let has_more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next = items.last().map_or(after, |a| a.change_seq);
        Ok(ok_json(&wire::ChangesPage {
            items,
            next_cursor: next.to_string(),
            has_more,
        }))
    })())
}

fn visible_application(sim: &Sim, staff: &Staff, id: &str) -> Result<wire::Application, Error> {
    let app = db::application(&sim.db(), id)?
        .ok_or_else(|| Error::NotFound(format!("application {id}")))?;
    if !staff.schools.contains(&app.school_id) {
        return Err(Error::ForbiddenSchool(app.school_id));
    }
    Ok(app)
}

pub async fn get_application(
    State(sim): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    result(visible_application(&sim, &staff, &id).map(|a| ok_json(&a)))
}

pub async fn get_document(
    State(sim): State<AppState>,
    staff: Staff,
    Path((id, doc_id)): Path<(String, String)>,
) -> Response {
    result((|| {
        let app = visible_application(&sim, &staff, &id)?;
        let meta = app
            .documents
            .iter()
            .find(|d| d.id == doc_id)
            .ok_or_else(|| Error::NotFound(format!("document {doc_id}")))?;
        let stored: Option<Vec<u8>> = {
            let conn = sim.db();
            rusqlite::OptionalExtension::optional(conn.query_row(
                "SELECT bytes FROM documents WHERE id = ?1",
                [&doc_id],
                |r| r.get(0),
            ))?
        };
        let bytes = match stored {
            Some(b) => b,
            None => demo::document_bytes(&sim.spec, &doc_id)
                .map(|(_, b)| b)
                .ok_or_else(|| Error::NotFound(format!("document {doc_id}")))?,
        };
        Ok((
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, meta.media_type.clone()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}\"", meta.file_name),
                ),
            ],
            bytes,
        )
            .into_response())
    })())
}

pub async fn decide(
    State(sim): State<AppState>,
    staff: Staff,
    kill: Option<Extension<ConnectionKill>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> Response {
    let req: wire::DecisionRequest = match parse_json(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let identity = format!("POST /api/v1/applications/{id}/decisions");
    let staff_iin = staff.iin.clone();
    idempotent_write(
        &sim,
        &staff_iin,
        &headers,
        kill.as_ref().map(|k| &k.0),
        &identity,
        &body,
        |tx, sim, now| decide_in(tx, sim, &staff, &id, &req, now),
    )
    .await
}

fn decide_in(
    tx: &rusqlite::Connection,
    sim: &Sim,
    staff: &Staff,
    id: &str,
    req: &wire::DecisionRequest,
    now: OffsetDateTime,
) -> Result<(StatusCode, String), Error> {
    let mut app =
        db::application(tx, id)?.ok_or_else(|| Error::NotFound(format!("application {id}")))?;
    if !staff.schools.contains(&app.school_id) {
        return Err(Error::ForbiddenSchool(app.school_id));
    }
    let action = match req.decision.as_str() {
        "accept" => domain::Action::Accept,
        "reject" => domain::Action::Reject,
        other => {
            return Err(Error::InvalidField(format!(
                "decision: accept or reject, not {other:?}"
            )));
        }
    };
    let reason = match (action, &req.reason) {
        (domain::Action::Reject, Some(r)) => Some(convert::reject_reason_from_wire(r)?),
        (domain::Action::Reject, None) => {
            return Err(Error::InvalidField(
                "reason: required to reject (R-7)".into(),
            ));
        }
        (_, Some(_)) => return Err(Error::InvalidField("reason: only for reject".into())),
        _ => None,
    };
    let decided_at = convert::parse_timestamp("decided_at", &req.decided_at)?;
    let payload: wire::DecisionPayload = serde_json::from_slice(&verification::signed_payload(
        sim,
        staff,
        &req.signature,
        decided_at,
        &app.school_id,
        now,
    )?)
    .map_err(|e| Error::SignatureInvalid(format!("payload is not a decision: {e}")))?;
    if payload.clerk_iin != staff.iin {
        return Err(Error::SignerMismatch);
    }
    let matches = payload.application_id == id
        && payload.base_version == req.base_version
        && payload.decision == req.decision
        && payload.decided_at == req.decided_at
        && payload.reason_code == req.reason.as_ref().map(|r| r.code.clone())
        && payload.reason_text == req.reason.as_ref().and_then(|r| r.text.clone());
    if !matches {
        return Err(Error::SignatureInvalid(
            "the signed payload is not this decision".into(),
        ));
    }
    let status = Status::parse(&app.status).map_err(|e| Error::Internal(e.to_string()))?;
    let Ok(next) = status.apply(action) else {
        // e.g. the parent withdrew it before the decision arrived
        return Err(Error::TransitionNotAllowed {
            status: app.status.clone(),
            current: Box::new(app),
        });
    };
    if app.version != req.base_version {
        return Err(Error::VersionConflict {
            current: Box::new(Some(app)),
            current_address: Box::new(None),
        });
    }
    if next == Status::Accepted {
        let capacity = db::capacity(tx, &app.school_id, &app.language)?.unwrap_or(0);
        if db::taken(tx, &app.school_id, &app.language)? >= capacity {
            return Err(Error::NoFreePlaces);
        }
    }
    app.status = next.as_str().to_string();
    app.version += 1;
    app.change_seq = db::next_change_seq(tx)?;
    app.updated_at = convert::timestamp(now);
    app.reject_reason = reason.map(|r| wire::RejectReason {
        code: r.code().as_str().to_string(),
        text: r.text().map(str::to_string),
    });
    db::update_application(tx, &app)?;
    let decision_id = format!("dec-{}-v{}", app.id, app.version);
    tx.execute(
        "INSERT INTO decisions(id, application_id, staff_iin, decision, base_version, payload_base64, cms_base64, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            decision_id,
            app.id,
            staff.iin,
            req.decision,
            req.base_version,
            req.signature.payload_base64,
            req.signature.cms_base64,
            req.decided_at
        ],
    )?;
    json_response(
        StatusCode::OK,
        &wire::DecisionResponse {
            decision_id,
            application: app,
        },
    )
}

// ---- on-behalf submission (R-8…R-14) ----

pub async fn submit_on_behalf(
    State(sim): State<AppState>,
    staff: Staff,
    kill: Option<Extension<ConnectionKill>>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Response {
    let req: wire::OnBehalfRequest = match parse_json(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let staff_iin = staff.iin.clone();
    idempotent_write(
        &sim,
        &staff_iin,
        &headers,
        kill.as_ref().map(|k| &k.0),
        "POST /api/v1/applications",
        &body,
        |tx, sim, now| submit_in(tx, sim, &staff, &req, now),
    )
    .await
}

fn submit_in(
    tx: &rusqlite::Connection,
    sim: &Sim,
    staff: &Staff,
    req: &wire::OnBehalfRequest,
    now: OffsetDateTime,
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
    let payload: wire::SubmissionPayload = serde_json::from_slice(&verification::signed_payload(
        sim,
        staff,
        &req.signature,
        submitted_at,
        &req.school_id,
        now,
    )?)
    .map_err(|e| Error::SignatureInvalid(format!("payload is not a submission: {e}")))?;
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
            sha256: sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&bytes))
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
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
        child: wire::ChildRecord {
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

// ---- population register (R-20, R-22) ----

pub async fn register_person(
    State(sim): State<AppState>,
    _staff: Staff,
    Path(iin): Path<String>,
) -> Response {
    result((|| {
        let iin = convert::iin("iin", &iin)?;
        let conn = sim.db();
        let (p, address_id) = db::person(&conn, &iin.to_string())?.ok_or(Error::PersonNotFound)?;
        let address = db::address(&conn, &address_id)?.ok_or(Error::PersonNotFound)?;
        Ok(ok_json(&wire::RegisterPerson {
            iin: p.iin,
            name: p.name,
            birth_date: convert::date(iin.birth_date()),
            sex: convert::sex(iin.sex()),
            birth_certificate: p.birth_certificate,
            registered_address: address,
            parents: p.parents,
        }))
    })())
}

// ---- addresses and micro-districts (R-15…) ----

pub async fn search_addresses(State(sim): State<AppState>, _staff: Staff, Query(q): Q) -> Response {
    result((|| {
        let street = domain::search_key(q.get("street").map(String::as_str).unwrap_or(""));
        let house = q
            .get("house")
            .map(|h| h.trim().to_string())
            .unwrap_or_default();
        let limit: i64 = q
            .get("limit")
            .and_then(|l| l.parse().ok())
            .filter(|l| (1..=100).contains(l))
            .unwrap_or(20);
        let district = q.get("district_id").cloned().unwrap_or_default();
        let conn = sim.db();
        let mut stmt = conn.prepare_cached(
            "SELECT id, district_id, street_kk, street_ru, house, full_kk, full_ru, micro_district_id, version FROM addresses
             WHERE instr(search, ?1) > 0 AND (?2 = '' OR house LIKE ?2 || '%') AND (?3 = '' OR district_id = ?3)
             ORDER BY id LIMIT ?4",
        )?;
        let items = stmt
            .query_map(params![street, house, district, limit], db::address_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ok_json(&wire::AddressList { items }))
    })())
}

pub async fn bind_address(
    State(sim): State<AppState>,
    staff: Staff,
    kill: Option<Extension<ConnectionKill>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> Response {
    let req: wire::BindAddressRequest = match parse_json(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let identity = format!("PUT /api/v1/addresses/{id}/micro-district");
    idempotent_write(
        &sim,
        &staff.iin,
        &headers,
        kill.as_ref().map(|k| &k.0),
        &identity,
        &body,
        |tx, sim, _now| {
            // the clerk takes responsibility for the change.
            if !req.responsibility_confirmed {
                return Err(Error::InvalidField(
                    "responsibility_confirmed: must be true (R-16)".into(),
                ));
            }
            if !sim
                .region
                .micro_districts
                .iter()
                .any(|m| m.id.0 == req.micro_district_id)
            {
                return Err(Error::InvalidField(format!(
                    "micro_district_id: unknown {:?}",
                    req.micro_district_id
                )));
            }
            let mut address =
                db::address(tx, &id)?.ok_or_else(|| Error::NotFound(format!("address {id}")))?;
            if address.version != req.base_version {
                return Err(Error::VersionConflict {
                    current: Box::new(None),
                    current_address: Box::new(Some(address)),
                });
            }
            address.micro_district_id = Some(req.micro_district_id.clone());
            address.version += 1;
            tx.execute(
                "UPDATE addresses SET micro_district_id = ?2, version = ?3 WHERE id = ?1",
                params![address.id, address.micro_district_id, address.version],
            )?;
            json_response(StatusCode::OK, &address)
        },
    )
    .await
}

pub async fn micro_districts(State(sim): State<AppState>, _staff: Staff, Query(q): Q) -> Response {
    let items = sim
        .region
        .micro_districts
        .iter()
        .filter_map(|m| {
            let school = sim.region.schools.iter().find(|s| s.id == m.school)?;
            Some(wire::MicroDistrict {
                id: m.id.0.clone(),
                school_id: m.school.0.clone(),
                district_id: school.district_id.clone(),
                name_kk: m.name_kk.clone(),
                name_ru: m.name_ru.clone(),
            })
        })
        .filter(|m| q.get("school_id").is_none_or(|s| *s == m.school_id))
        .filter(|m| q.get("district_id").is_none_or(|d| *d == m.district_id))
        .collect();
    ok_json(&wire::MicroDistrictList { items })
}

// ---- schools and reference lists (R-3, R-7, R-12) ----

pub async fn schools(State(sim): State<AppState>, _staff: Staff, Query(q): Q) -> Response {
    result((|| {
        let language = match q.get("language") {
            Some(l) => Some(InstructionLanguage::parse(l).map_err(|e| {
                Error::Domain(convert::Error::Domain {
                    field: "language",
                    source: e,
                })
            })?),
            None => None,
        };
        let grade: Option<u8> = match q.get("grade") {
            Some(g) => Some(
                g.parse()
                    .map_err(|_| Error::InvalidField(format!("grade: {g:?}")))?,
            ),
            None => None,
        };
        let only_free = q.get("only_free").is_some_and(|v| v == "true");
        let conn = sim.db();
        let mut items = Vec::new();
        for s in &sim.region.schools {
            if q.get("district_id").is_some_and(|d| *d != s.district_id) {
                continue;
            }
            let mut places = Vec::new();
            for lang in InstructionLanguage::ALL {
                if language.is_some_and(|l| l != lang) || grade.is_some_and(|g| g != 1) {
                    continue;
                }
                let capacity = db::capacity(&conn, &s.id.0, lang.as_str())?.unwrap_or(0);
                let taken = db::taken(&conn, &s.id.0, lang.as_str())?;
                places.push(wire::Places {
                    grade: 1,
                    language: lang.as_str().to_string(),
                    capacity,
                    taken,
                    free: capacity.saturating_sub(taken),
                });
            }
            // a school without free places is not offered.
            if only_free && !places.iter().any(|p| p.free > 0) {
                continue;
            }
            if places.is_empty() {
                continue;
            }
            items.push(wire::School {
                id: s.id.0.clone(),
                district_id: s.district_id.clone(),
                name_kk: s.name_kk.clone(),
                name_ru: s.name_ru.clone(),
                address_kk: s.address_kk.clone(),
                address_ru: s.address_ru.clone(),
                places,
            });
        }
        Ok(ok_json(&wire::SchoolList { items }))
    })())
}

pub async fn reference(State(sim): State<AppState>, _staff: Staff) -> Response {
    let item = |code: &str, kk: &str, ru: &str| wire::ReferenceItem {
        code: code.to_string(),
        label_kk: kk.to_string(),
        label_ru: ru.to_string(),
    };
    ok_json(&wire::Reference {
        region_name_kk: sim.region.region_name_kk.clone(),
        region_name_ru: sim.region.region_name_ru.clone(),
        admission_year: sim.spec.admission_year,
        districts: sim
            .region
            .districts
            .iter()
            .map(|d| wire::District {
                id: d.id.clone(),
                name_kk: d.name_kk.clone(),
                name_ru: d.name_ru.clone(),
            })
            .collect(),
        reject_reasons: RejectReasonCode::ALL
            .iter()
            .map(|c| item(c.as_str(), c.label(Lang::Kk), c.label(Lang::Ru)))
            .collect(),
        languages: InstructionLanguage::ALL
            .iter()
            .map(|l| item(l.as_str(), l.label(Lang::Kk), l.label(Lang::Ru)))
            .collect(),
        document_kinds: DocumentKind::ALL
            .iter()
            .map(|k| item(k.as_str(), k.label(Lang::Kk), k.label(Lang::Ru)))
            .collect(),
        document_max_bytes: domain::rules::DOCUMENT_MAX_BYTES,
    })
}

// ---- confirmation codes (R-21) ----

pub async fn send_code(
    State(sim): State<AppState>,
    staff: Staff,
    kill: Option<Extension<ConnectionKill>>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Response {
    let req: wire::CodeRequest = match parse_json(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let code = format!("{:04}", sim.random_range(0..10_000));
    idempotent_write(&sim, &staff.iin, &headers, kill.as_ref().map(|k| &k.0), "POST /api/v1/confirmation-codes", &body, |tx, sim, now| {
        let destination = match req.channel.as_str() {
            "sms" => domain::Phone::parse(&req.destination)
                .map_err(|e| Error::Domain(convert::Error::Domain { field: "destination", source: e }))?
                .e164(),
            "email" => domain::Email::parse(&req.destination)
                .map_err(|e| Error::Domain(convert::Error::Domain { field: "destination", source: e }))?
                .to_string(),
            other => return Err(Error::InvalidField(format!("channel: sms or email, not {other:?}"))),
        };
        let n: i64 = tx.query_row("SELECT COUNT(*) + 1 FROM codes", [], |r| r.get(0))?;
        let id = format!("code-{n}");
        let expires = now + sim.code_ttl;
        tx.execute(
            "INSERT INTO codes(id, channel, destination, code, sent_at, expires_at, attempts, confirmed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0)",
            params![id, req.channel, destination, code, convert::timestamp(now), expires.unix_timestamp()],
        )?;
        json_response(
            StatusCode::CREATED,
            &wire::CodeSent { code_id: id, channel: req.channel.clone(), destination, expires_at: convert::timestamp(expires) },
        )
    })
    .await
}

/// Wrong codes count; three wrong attempts burn the code.
const CODE_ATTEMPTS: i64 = 3;

pub async fn check_code(
    State(sim): State<AppState>,
    staff: Staff,
    kill: Option<Extension<ConnectionKill>>,
    headers: HeaderMap,
    Path(code_id): Path<String>,
    RawBody(body): RawBody,
) -> Response {
    let req: wire::CodeCheckRequest = match parse_json(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let identity = format!("POST /api/v1/confirmation-codes/{code_id}/check");
    idempotent_write(
        &sim,
        &staff.iin,
        &headers,
        kill.as_ref().map(|k| &k.0),
        &identity,
        &body,
        |tx, _sim, now| {
            let row: Option<(String, i64, i64, bool)> =
                rusqlite::OptionalExtension::optional(tx.query_row(
                    "SELECT code, expires_at, attempts, confirmed FROM codes WHERE id = ?1",
                    [&code_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                ))?;
            let (code, expires_at, attempts, confirmed) =
                row.ok_or_else(|| Error::NotFound(format!("confirmation code {code_id}")))?;
            if confirmed {
                return json_response(
                    StatusCode::OK,
                    &wire::CodeChecked {
                        code_id: code_id.clone(),
                        confirmed: true,
                    },
                );
            }
            if now.unix_timestamp() >= expires_at {
                return Err(Error::CodeExpired);
            }
            if attempts >= CODE_ATTEMPTS {
                return Err(Error::CodeAttemptsExceeded);
            }
            if req.code.trim() != code {
                // Counted even though the answer is a refusal (see idempotent_write).
                tx.execute(
                    "UPDATE codes SET attempts = attempts + 1 WHERE id = ?1",
                    [&code_id],
                )?;
                return Err(Error::CodeIncorrect);
            }
            tx.execute("UPDATE codes SET confirmed = 1 WHERE id = ?1", [&code_id])?;
            json_response(
                StatusCode::OK,
                &wire::CodeChecked {
                    code_id: code_id.clone(),
                    confirmed: true,
                },
            )
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_of_verification_get_the_portals_codes() {
        use crate::verification::signature_error;
        use signing::Error as S;
        let detail = || "x".to_string();
        for (e, code) in [
            (S::SignatureContentMismatch, "SIGNATURE_INVALID"),
            (S::SignatureInvalid, "SIGNATURE_INVALID"),
            (
                S::SignatureMalformed { detail: detail() },
                "SIGNATURE_INVALID",
            ),
            (
                S::SignatureUnsupported { detail: detail() },
                "SIGNATURE_INVALID",
            ),
            (
                S::CertificateInvalid { detail: detail() },
                "SIGNATURE_INVALID",
            ),
            (
                S::SignatureUntrusted { detail: detail() },
                "SIGNATURE_UNTRUSTED",
            ),
            (S::GostNotSupported, "CERTIFICATE_REFUSED"),
            (
                S::KeyAlgorithmUnsupported { oid: detail() },
                "CERTIFICATE_REFUSED",
            ),
            (
                S::CertificateIinInvalid { got: detail() },
                "CERTIFICATE_REFUSED",
            ),
        ] {
            let name = e.code();
            let mapped = signature_error(e);
            assert_eq!(mapped.code(), code, "{name}");
            assert_eq!(mapped.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        }
    }
}
