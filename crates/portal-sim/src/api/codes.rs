//! Confirmation codes.

use crate::error::Error;
use crate::{
    AppState, ConnectionKill, RawBody, Staff, idempotent_write, json_response, parse_json,
};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;

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
pub(crate) const CODE_ATTEMPTS: i64 = 3;

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
