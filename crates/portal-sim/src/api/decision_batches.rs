//! Several decisions in one request (issue 12: 10 000 queued decisions pushed within
//! 20 s). Each item is the single `POST /applications/{id}/decisions` — the same
//! checks, the same idempotency under its own key and its exact request bytes, the same
//! answer — so a decision sent alone and then in a batch (or the other way round) is one
//! write. What the batch saves is the per-request cost: one HTTP exchange, one lock and
//! one commit for all of them, the signatures verified beside each other before the
//! lock is taken.

use super::applications::decide_in;
use crate::error::Error;
use crate::idempotency::{BatchItem, idempotent_batch, request_hash, valid_key};
use crate::verification::{self, CheckedSignature};
use crate::{AppState, ConnectionKill, RawBody, Staff, parse_json, respond};
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use portal_api as wire;
use std::collections::HashSet;
use time::OffsetDateTime;

/// One item read: its application, its exact request bytes, and its key and request —
/// or (`None`) the refusal it gets without being tried, kept apart.
struct Read {
    application_id: String,
    bytes: Vec<u8>,
    request: Option<(String, wire::DecisionRequest)>,
}

pub async fn decide_batch(
    State(sim): State<AppState>,
    staff: Staff,
    kill: Option<Extension<ConnectionKill>>,
    RawBody(body): RawBody,
) -> Response {
    let batch: wire::DecisionBatchRequest = match parse_json(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    if batch.items.is_empty() || batch.items.len() > wire::DECISION_BATCH_MAX {
        return Error::InvalidField(format!("items: 1..{}", wire::DECISION_BATCH_MAX))
            .into_response();
    }
    let mut seen = HashSet::new();
    if !batch.items.iter().all(|i| seen.insert(&i.application_id)) {
        return Error::InvalidField("items: an application at most once per batch".into())
            .into_response();
    }
    let mut refusals: Vec<Option<Error>> = Vec::with_capacity(batch.items.len());
    let read: Vec<Read> = batch
        .items
        .iter()
        .map(|item| {
            let bytes = item.request.get().as_bytes().to_vec();
            let request = valid_key(&item.idempotency_key)
                .map(str::to_string)
                .and_then(|key| Ok((key, parse_json::<wire::DecisionRequest>(&bytes)?)));
            let request = match request {
                Ok(r) => {
                    refusals.push(None);
                    Some(r)
                }
                Err(e) => {
                    refusals.push(Some(e));
                    None
                }
            };
            Read {
                application_id: item.application_id.clone(),
                bytes,
                request,
            }
        })
        .collect();
    // Every signature verified before the lock, on the blocking pool, side by side.
    let now = OffsetDateTime::now_utc();
    let mut checking = Vec::with_capacity(read.len());
    for r in &read {
        checking.push(r.request.as_ref().map(|(_, req)| {
            let (sim, sig) = (sim.clone(), req.signature.clone());
            tokio::task::spawn_blocking(move || verification::check_signature(&sim, &sig, now))
        }));
    }
    let mut checked: Vec<Result<CheckedSignature, Error>> = Vec::with_capacity(read.len());
    for c in checking {
        checked.push(match c {
            Some(handle) => handle
                .await
                .map_err(|e| Error::Internal(e.to_string()))
                .and_then(|r| r),
            None => Err(Error::Internal("not read".into())),
        });
    }
    let staff = &staff;
    let items: Vec<BatchItem<'_>> = read
        .iter()
        .zip(checked)
        .zip(refusals)
        .map(|((r, checked), refusal)| -> BatchItem<'_> {
            let Some((key, req)) = &r.request else {
                return Err(refusal.unwrap_or_else(|| Error::Internal("not read".into())));
            };
            let identity = format!("POST /api/v1/applications/{}/decisions", r.application_id);
            let hash = request_hash(&identity, &r.bytes);
            let id = r.application_id.as_str();
            Ok((
                key.clone(),
                hash,
                Box::new(
                    move |tx: &rusqlite::Connection, _: &crate::Sim, now: OffsetDateTime| {
                        decide_in(tx, staff, id, req, checked, now)
                    },
                ),
            ))
        })
        .collect();
    match idempotent_batch(&sim, &staff.iin, kill.as_ref().map(|k| &k.0), items).await {
        Ok(answers) => answer(answers),
        Err(e) => e.into_response(),
    }
}

/// The batch's answer: each item's status and body (the body as stored, verbatim).
fn answer(answers: Vec<(StatusCode, String)>) -> Response {
    let mut out = String::from("{\"items\":[");
    for (n, (status, body)) in answers.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&format!("{{\"status\":{},\"body\":", status.as_u16()));
        out.push_str(body);
        out.push('}');
    }
    out.push_str("]}");
    respond(StatusCode::OK, "application/json", out)
}
