//! Idempotent writes: same key + same request → the stored answer and no second
//! effect; same key + another request → 422. The effect, its answer and the key are
//! committed in one transaction; refusals (4xx) are stored too, 5xx never.
//!
//! A batch ([`idempotent_batch`], issue 12) is the same writes one after another under
//! one lock and one commit: each item in a savepoint of its own, so an item that fails
//! with a 5xx leaves nothing behind and the others stand.

use crate::error::Error;
use crate::{ConnectionKill, RawBody, Sim, Staff, db, parse_json, respond};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// An answer as stored under a key: status, content type, body.
pub(crate) type Stored = (StatusCode, String, String);

/// The SHA-256 the key is held to: the request's identity (method and path) and its
/// exact bytes.
pub(crate) fn request_hash(request_identity: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(request_identity.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

/// The key of a write, as the contract allows it (1–200 characters).
pub(crate) fn valid_key(key: &str) -> Result<&str, Error> {
    let key = key.trim();
    if key.is_empty() || key.len() > 200 {
        return Err(Error::IdempotencyKeyMissing);
    }
    Ok(key)
}

/// One write under `key` in `tx`: the stored answer, or the effect and its answer stored.
/// An `Err` is not stored (a 5xx, or the key used for another request): the caller rolls
/// back what the effect wrote.
pub(crate) fn write_once<F>(
    tx: &Connection,
    sim: &Sim,
    principal: &str,
    key: &str,
    hash: &str,
    effect: F,
) -> Result<Stored, Error>
where
    F: FnOnce(&Connection, &Sim, OffsetDateTime) -> Result<(StatusCode, String), Error>,
{
    let stored: Option<(String, u16, String, String)> = tx
        .prepare_cached(
            "SELECT request_hash, status, content_type, body FROM idempotency WHERE principal = ?1 AND key = ?2",
        )?
        .query_row(params![principal, key], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    if let Some((stored_hash, status, content_type, body)) = stored {
        if stored_hash != hash {
            return Err(Error::IdempotencyKeyReused);
        }
        db::bump(tx, "duplicate_writes_prevented", 1)?;
        return Ok((
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            content_type,
            body,
        ));
    }
    // Effects check everything before they write; a refusal keeps only what the
    // effect wrote on purpose (a wrong confirmation code counts as an attempt).
    let (status, content_type, body) = match effect(tx, sim, OffsetDateTime::now_utc()) {
        Ok((status, body)) => {
            db::bump(tx, "writes_committed", 1)?;
            (status, "application/json".to_string(), body)
        }
        Err(e) if e.status().is_server_error() => return Err(e),
        Err(e) => {
            let (status, body) = e.into_stored();
            (status, portal_api::PROBLEM_JSON.to_string(), body)
        }
    };
    tx.prepare_cached(
        "INSERT INTO idempotency(principal, key, request_hash, status, content_type, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![principal, key, hash, status.as_u16(), content_type, body])?;
    Ok((status, content_type, body))
}

/// Closes the connection without an answer when the fault `drop_after_commit_rate` says
/// so ("the answer was lost after the commit"); returns otherwise. `stored`: the stored
/// answers the request carried (one, or a batch's), counted as lost: each comes back as
/// one replay answered from the store.
async fn maybe_drop_after_commit(sim: &Sim, kill: Option<&ConnectionKill>, stored: u64) {
    if let Some(kill) = kill
        && sim.chance(sim.faults().drop_after_commit_rate)
    {
        let _ = db::bump(&sim.db(), "dropped_after_commit", stored);
        kill.0.notify_one();
        std::future::pending::<()>().await;
    }
}

/// One idempotent write, its key from the `Idempotency-Key` header; see the
/// module's text.
pub(crate) async fn idempotent_write<F>(
    sim: &crate::AppState,
    principal: &str,
    headers: &HeaderMap,
    kill: Option<&ConnectionKill>,
    request_identity: &str,
    body: &[u8],
    effect: F,
) -> Response
where
    F: FnOnce(&Connection, &Sim, OffsetDateTime) -> Result<(StatusCode, String), Error>,
{
    let key = match headers
        .get(portal_api::IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .ok_or(Error::IdempotencyKeyMissing)
        .and_then(valid_key)
    {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let hash = request_hash(request_identity, body);
    let outcome = (|| -> Result<Stored, Error> {
        let mut conn = sim.db();
        let tx = conn.transaction()?;
        let stored = write_once(&tx, sim, principal, key, &hash, effect)?;
        tx.commit()?;
        Ok(stored)
    })();
    match outcome {
        Ok((status, content_type, body)) => {
            maybe_drop_after_commit(sim, kill, 1).await;
            respond(status, &content_type, body)
        }
        Err(e) => e.into_response(),
    }
}

/// A write request as its handler receives it: the portal, the signed-in staff member,
/// the connection's kill switch (fault injection), the headers and the exact body,
/// extracted in the order the handlers always took them (a missing token is refused
/// before the body is read).
pub(crate) struct WriteRequest {
    pub(crate) sim: crate::AppState,
    pub(crate) staff: Staff,
    kill: Option<ConnectionKill>,
    headers: HeaderMap,
    body: Bytes,
}

impl FromRequest<crate::AppState> for WriteRequest {
    type Rejection = Error;
    async fn from_request(req: Request, sim: &crate::AppState) -> Result<Self, Error> {
        let (mut parts, body) = req.into_parts();
        let staff = Staff::from_request_parts(&mut parts, sim).await?;
        let kill = parts.extensions.get::<ConnectionKill>().cloned();
        let headers = parts.headers.clone();
        let RawBody(body) = RawBody::from_request(Request::from_parts(parts, body), sim).await?;
        Ok(WriteRequest {
            sim: sim.clone(),
            staff,
            kill,
            headers,
            body,
        })
    }
}

impl WriteRequest {
    /// The body as the JSON request `T` ([`parse_json`]).
    pub(crate) fn request<T: DeserializeOwned>(&self) -> Result<T, Error> {
        parse_json(&self.body)
    }

    /// [`idempotent_write`] of this request under `identity` (method and path), as the
    /// staff member.
    pub(crate) async fn write<F>(&self, identity: &str, effect: F) -> Response
    where
        F: FnOnce(&Connection, &Sim, OffsetDateTime) -> Result<(StatusCode, String), Error>,
    {
        idempotent_write(
            &self.sim,
            &self.staff.iin,
            &self.headers,
            self.kill.as_ref(),
            identity,
            &self.body,
            effect,
        )
        .await
    }

    /// The body parsed as `T` (refused before the key is looked at when it is not one),
    /// then its [`WriteRequest::write`] with `effect(tx, sim, now, staff, request)`.
    pub(crate) async fn json<T, F>(&self, identity: &str, effect: F) -> Response
    where
        T: DeserializeOwned,
        F: FnOnce(
            &Connection,
            &Sim,
            OffsetDateTime,
            &Staff,
            &T,
        ) -> Result<(StatusCode, String), Error>,
    {
        let req: T = match self.request() {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        };
        self.write(identity, |tx, sim, now| {
            effect(tx, sim, now, &self.staff, &req)
        })
        .await
    }
}

/// One write of a batch: its key, the hash of its request, its effect; or why it cannot
/// be tried at all (its answer then).
pub(crate) type BatchItem<'a> = Result<
    (
        String,
        String,
        Box<
            dyn FnOnce(&Connection, &Sim, OffsetDateTime) -> Result<(StatusCode, String), Error>
                + Send
                + 'a,
        >,
    ),
    Error,
>;

/// The writes of `items` in order, under one lock and one commit, each in a savepoint of
/// its own; returns each item's answer (status, body). An item's 5xx is answered and not
/// stored; a failure of the commit itself is the batch's 5xx.
pub(crate) async fn idempotent_batch(
    sim: &crate::AppState,
    principal: &str,
    kill: Option<&ConnectionKill>,
    items: Vec<BatchItem<'_>>,
) -> Result<Vec<(StatusCode, String)>, Error> {
    let mut stored = 0u64;
    let answers = {
        let mut conn = sim.db();
        let mut tx = conn.transaction()?;
        let mut answers = Vec::with_capacity(items.len());
        for item in items {
            let answer = match item {
                Err(e) => e.into_stored(),
                Ok((key, hash, effect)) => {
                    let sp = tx.savepoint()?;
                    match write_once(&sp, sim, principal, &key, &hash, effect) {
                        Ok((status, _, body)) => {
                            sp.commit()?;
                            stored += 1;
                            (status, body)
                        }
                        // dropping the savepoint rolls back what the effect wrote
                        Err(e) => e.into_stored(),
                    }
                }
            };
            answers.push(answer);
        }
        tx.commit()?;
        answers
    };
    maybe_drop_after_commit(sim, kill, stored).await;
    Ok(answers)
}
