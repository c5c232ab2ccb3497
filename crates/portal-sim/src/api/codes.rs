//! Confirmation codes.

use crate::error::Error;
use crate::{WriteRequest, json_response};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;

// ---- confirmation codes (R-21) ----

pub async fn send_code(w: WriteRequest) -> Result<Response, Error> {
    let req: wire::CodeRequest = w.request()?;
    let code = format!("{:04}", w.sim.random_range(0..10_000));
    Ok(w.write("POST /api/v1/confirmation-codes", |tx, sim, now| {
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
    .await)
}

/// Wrong codes count; three wrong attempts burn the code.
pub(crate) const CODE_ATTEMPTS: i64 = 3;

pub async fn check_code(Path(code_id): Path<String>, w: WriteRequest) -> Response {
    let identity = format!("POST /api/v1/confirmation-codes/{code_id}/check");
    w.json(
        &identity,
        |tx, _sim, now, _staff, req: &wire::CodeCheckRequest| {
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
