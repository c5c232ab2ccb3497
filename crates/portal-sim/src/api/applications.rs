//! The change feed, one application, its documents, decisions.

use super::{Q, ok_json, result};
use crate::error::Error;
use crate::verification;
use crate::{AppState, Sim, Staff, WriteRequest, db, json_response};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Status;
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;
use time::OffsetDateTime;

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

pub async fn decide(Path(id): Path<String>, w: WriteRequest) -> Result<Response, Error> {
    let req: wire::DecisionRequest = w.request()?;
    let identity = format!("POST /api/v1/applications/{id}/decisions");
    // The signature before the lock (issue 12); its verdict is used where it was checked.
    let checked =
        verification::check_signature_apart(&w.sim, &req.signature, OffsetDateTime::now_utc())
            .await;
    Ok(w.write(&identity, |tx, _, now| {
        decide_in(tx, &w.staff, &id, &req, checked, now)
    })
    .await)
}

pub(super) fn decide_in(
    tx: &rusqlite::Connection,
    staff: &Staff,
    id: &str,
    req: &wire::DecisionRequest,
    checked: Result<verification::CheckedSignature, Error>,
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
    let signed = verification::signed_payload_checked(checked, staff, decided_at, &app.school_id)?;
    let payload: wire::DecisionPayload = verification::canonical_payload(&signed, "decision")?;
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
