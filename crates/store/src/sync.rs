//! What the sync engine (crates/sync) writes (R-33, issue 5): pulled pages with their
//! cursor, outbox transitions, the portal identity of on-behalf rows.
//!
//! Invariants:
//! - a pulled page and the cursor after it are one transaction: after a crash the page
//!   is either applied with its cursor or not at all, and applying it again changes nothing;
//! - a row with a pending outbox entry is never overwritten by a pull: the portal's state
//!   is kept as its base (`portal_base`) until the portal answers the entry;
//! - an outbox entry only moves `pending → sent` or `pending → refused`, with the
//!   portal's answer kept; it is never deleted. Attempts are counted in the database.

use crate::records::{NewHistory, SyncMark};
use crate::write::{append_history, format_time, sync_value_in, upsert_application};
use crate::{Error, Store};
use domain::{Application, ApplicationId, Status};
use rusqlite::{OptionalExtension, Transaction, params};
use time::OffsetDateTime;

/// R-15…R-17: an entry whose application had a binding refused by the portal waits (the
/// submission needs the binding); the row shows the portal's message. A binding the
/// clerk signed again after the refusal (a corrected submission, migration 0014) lifts
/// it for itself and the entries after it.
const NOT_HELD_BY_REFUSED_BINDING: &str =
    "NOT EXISTS (SELECT 1 FROM outbox b WHERE b.application_id = outbox.application_id
       AND b.kind = 'binding' AND b.state = 'refused' AND b.seq < outbox.seq
       AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.application_id = b.application_id
         AND c.kind = 'binding' AND c.seq > b.seq AND c.seq <= outbox.seq))";

/// `sync_state` key of the change-feed cursor.
pub const CURSOR_KEY: &str = "cursor";

/// One application of a pulled page: parsed, and as the portal sent it (kept as the base
/// of a row with a pending local change).
#[derive(Debug, Clone)]
pub struct PulledApplication {
    pub application: Application,
    /// The wire JSON of the application, stored as it came.
    pub portal_json: String,
}

/// A pulled item this app could not read, kept as it came (issue 12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The item's `id` when it has one, else `sha256:<hex of raw>`.
    pub portal_id: String,
    pub raw: String,
    pub error: String,
    /// The version of the app that could not read it.
    pub app_version: String,
}

const QUARANTINE_UPSERT: &str =
    "INSERT INTO pulled_quarantine(portal_id, raw, error, app_version, first_seen_at, last_seen_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?5)
     ON CONFLICT(portal_id) DO UPDATE SET raw = excluded.raw, error = excluded.error,
       app_version = excluded.app_version, last_seen_at = excluded.last_seen_at,
       attempts = pulled_quarantine.attempts + 1";

fn quarantined(conn: &rusqlite::Connection) -> Result<u64, Error> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM pulled_quarantine")?
        .query_row([], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// What applying one page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageApplied {
    /// Rows new to the journal.
    pub inserted: u32,
    /// Rows overwritten with the portal's newer state.
    pub updated: u32,
    /// Rows already at this version (a page seen again).
    pub unchanged: u32,
    /// Rows with a pending local change: the portal's state kept as their base.
    pub kept_local: u32,
    /// Local ids of the rows that changed, for the window to refresh.
    pub changed_ids: Vec<String>,
}

/// What the portal answered to an accepted outbox entry.
#[derive(Debug, Clone)]
pub struct SentAnswer<'a> {
    /// The response body, kept on the entry.
    pub response_json: &'a str,
    /// The application as the portal holds it after the write.
    pub application: Option<&'a PulledApplication>,
    /// The portal answered 2xx but the body could not be read, try after try: the entry
    /// is marked sent with [`ANSWER_UNREADABLE`] so that it does not hold up the outbox
    /// (the next pull brings the portal's state of the row).
    pub unreadable: bool,
}

/// `outbox.last_error` of an entry the portal took (2xx) with an answer this app could
/// not read.
pub const ANSWER_UNREADABLE: &str = "PORTAL_ANSWER_UNREADABLE";

/// What the portal answered to a refused outbox entry (409, 422, …).
#[derive(Debug, Clone)]
pub struct Refusal<'a> {
    /// The portal's stable problem code, e.g. `TRANSITION_NOT_ALLOWED`.
    pub code: &'a str,
    /// The portal's message for the clerk (its `detail`).
    pub message: &'a str,
    pub response_json: &'a str,
    /// The application as the portal holds it now, when known.
    pub current: Option<&'a PulledApplication>,
}

/// Counts of the outbox by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub sent: u64,
    pub refused: u64,
}

/// A document whose bytes are not cached yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncachedDocument {
    /// The application's id in the journal.
    pub application_id: String,
    /// The application's id on the portal (for the download path).
    pub portal_application_id: String,
    pub document_id: String,
    pub size: u64,
}

struct LocalRow {
    id: String,
    version: u32,
    status: String,
    mark: SyncMark,
    provisional: bool,
    pending: bool,
    base_version: Option<u32>,
}

fn local_row(tx: &Transaction<'_>, portal_id: &str) -> Result<Option<LocalRow>, Error> {
    let row = tx
        .prepare_cached(
            "SELECT id, version, status, sync_mark, provisional, portal_base_version,
                    EXISTS (SELECT 1 FROM outbox o WHERE o.application_id = a.id AND o.state = 'pending')
             FROM application a WHERE a.id = ?1 OR a.portal_id = ?1
             ORDER BY a.portal_id IS NULL LIMIT 1",
        )?
        .query_row(params![portal_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, Option<u32>>(5)?,
                r.get::<_, bool>(6)?,
            ))
        })
        .optional()?;
    row.map(
        |(id, version, status, mark, provisional, base_version, pending)| {
            Ok(LocalRow {
                id,
                version,
                status,
                mark: SyncMark::parse(&mark).ok_or_else(|| Error::Damaged {
                    what: "sync mark".into(),
                })?,
                provisional,
                pending,
                base_version,
            })
        },
    )
    .transpose()
}

/// An on-behalf row entered here that the portal now reports under its own id: the same
/// child, submitted at the same instant, still with its provisional number.
fn provisional_match(tx: &Transaction<'_>, a: &Application) -> Result<Option<String>, Error> {
    if !a.on_behalf {
        return Ok(None);
    }
    Ok(tx
        .prepare_cached(
            "SELECT id FROM application WHERE provisional = 1 AND portal_id IS NULL AND child_iin = ?1 AND submitted_at = ?2
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![a.child.iin.to_string(), format_time(a.submitted_at)], |r| r.get(0))
        .optional()?)
}

/// Gives a provisional row the portal's id and number; history keeps both numbers
/// (`number_assigned`). Does nothing when the row already has them.
fn adopt_portal_identity(
    tx: &Transaction<'_>,
    local_id: &str,
    portal: &Application,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let (number, portal_id): (String, Option<String>) = tx.query_row(
        "SELECT number, portal_id FROM application WHERE id = ?1",
        params![local_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if portal_id.as_deref() == Some(portal.id.0.as_str()) && number == portal.number.to_string() {
        return Ok(());
    }
    let new_number = portal.number.to_string();
    tx.execute(
        "UPDATE application SET portal_id = ?2, number = ?3, provisional = ?4 WHERE id = ?1",
        params![
            local_id,
            portal.id.0,
            new_number,
            portal.number.is_provisional()
        ],
    )?;
    append_history(
        tx,
        local_id,
        &NewHistory {
            at: now,
            actor_iin: None,
            actor_name: None,
            kind: "number_assigned".into(),
            details: serde_json::json!({ "provisional": number, "number": new_number, "portal_id": portal.id.0 }),
        },
    )?;
    Ok(())
}

/// Writes the portal's state into the row `local_id` (which may differ from the portal's
/// id for an on-behalf row), keeping the documents already cached.
fn overwrite(
    tx: &Transaction<'_>,
    local_id: &str,
    a: &Application,
    mark: SyncMark,
) -> Result<(), Error> {
    if a.id.0 == local_id {
        upsert_application(tx, a, mark)?;
    } else {
        let mut local = a.clone();
        local.id = ApplicationId(local_id.to_string());
        // The documents uploaded here are the portal's now: the upsert takes over their
        // bytes by hash (`documents::take_over_and_count`).
        upsert_application(tx, &local, mark)?;
    }
    tx.execute(
        "UPDATE application SET portal_base = NULL, portal_base_version = NULL WHERE id = ?1",
        params![local_id],
    )?;
    Ok(())
}

pub(crate) fn portal_history(
    a: &Application,
    kind: &str,
    now: OffsetDateTime,
    details: serde_json::Value,
) -> NewHistory {
    let by_parent = matches!(kind, "submitted" | "withdrawn");
    NewHistory {
        at: if kind == "submitted" || kind == "submitted_on_behalf" {
            a.submitted_at
        } else {
            now
        },
        actor_iin: by_parent.then(|| a.applicant.iin.to_string()),
        actor_name: by_parent.then(|| a.applicant.name.display()),
        kind: kind.into(),
        details,
    }
}

pub(crate) fn change_history(
    from_status: &str,
    from_version: u32,
    a: &Application,
    now: OffsetDateTime,
    pending: bool,
) -> NewHistory {
    let kind = if a.status == Status::Withdrawn && from_status != Status::Withdrawn.as_str() {
        "withdrawn"
    } else {
        "changed_on_portal"
    };
    portal_history(
        a,
        kind,
        now,
        serde_json::json!({
            "from": from_status,
            "to": a.status.as_str(),
            "from_version": from_version,
            "to_version": a.version,
            "local_change_pending": pending,
        }),
    )
}

impl Store {
    /// The change-feed cursor after the last applied page.
    pub fn sync_cursor(&self) -> Result<Option<String>, Error> {
        self.sync_value(CURSOR_KEY)
    }

    /// Applies one pulled page and saves `cursor` with it, in one transaction. Rows with a
    /// pending local change keep the clerk's version; the portal's goes to their base.
    ///
    /// `unreadable` are the page's items this app could not read: kept raw in the
    /// quarantine with the page, never dropped (issue 12).
    pub fn apply_pulled_page(
        &mut self,
        page: &[PulledApplication],
        unreadable: &[Unreadable],
        cursor: &str,
        now: OffsetDateTime,
    ) -> Result<PageApplied, Error> {
        let tx = self.write_transaction()?;
        let done = apply_page(&tx, page, unreadable, cursor, now)?;
        tx.commit()?;
        Ok(done)
    }

    /// Lets this connection keep up to `bytes` of the journal's pages in memory (SQLite's
    /// page cache; 2 MB by default). The sync worker's connection takes 64 MB for a pull:
    /// every inserted row touches a leaf of each of the journal's indexes, and with the
    /// default cache those leaves are read back from disk again and again (issue 12).
    pub fn set_cache_bytes(&self, bytes: u64) -> Result<(), Error> {
        let kib = i64::try_from(bytes / 1024).unwrap_or(i64::MAX);
        self.conn().pragma_update(None, "cache_size", -kib)?;
        Ok(())
    }

    /// The durability of a pull's pages (issue 12). `true` while pages are applied:
    /// commits are not fsynced one by one (WAL `synchronous = NORMAL`) and the WAL is
    /// checkpointed every 64 MB instead of every 4 MB, so an index leaf touched by many
    /// pages reaches the journal file once, not once per page. Nothing the clerk did is
    /// at risk: their writes go through other connections with `synchronous = FULL`, and
    /// a WAL is replayed in order, so a power cut can only lose the last pages *with the
    /// cursor after them* — the next round pulls them again. `false` restores FULL and
    /// the default checkpoint.
    pub fn set_pulling(&self, pulling: bool) -> Result<(), Error> {
        let (sync, pages) = if pulling {
            ("NORMAL", 16_384)
        } else {
            ("FULL", 1_000)
        };
        self.conn().pragma_update(None, "synchronous", sync)?;
        self.conn()
            .query_row(&format!("PRAGMA wal_autocheckpoint = {pages}"), [], |_| {
                Ok(())
            })?;
        Ok(())
    }

    /// Pulled applications kept raw because this app could not read them.
    pub fn quarantined_count(&self) -> Result<u64, Error> {
        quarantined(self.conn())
    }

    /// The quarantined items an app of another version could not read (to be tried again
    /// by this one): `(portal_id, raw)`.
    pub fn quarantine_to_retry(&self, app_version: &str) -> Result<Vec<(String, String)>, Error> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT portal_id, raw FROM pulled_quarantine WHERE app_version <> ?1 ORDER BY portal_id",
        )?;
        let rows = stmt.query_map(params![app_version], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Applies quarantined items this app can read now (as a page, the cursor unchanged:
    /// a newer local row is never overwritten) and keeps the rest under this app's
    /// version, so they are tried again after the next update.
    pub fn retry_quarantine(
        &mut self,
        readable: &[PulledApplication],
        still_unreadable: &[Unreadable],
        now: OffsetDateTime,
    ) -> Result<PageApplied, Error> {
        let tx = self.write_transaction()?;
        // Read under the write lock: a page another connection applied meanwhile keeps
        // its cursor (read before, it would be written back over the newer one).
        let cursor = sync_value_in(&tx, CURSOR_KEY)?.unwrap_or_default();
        let done = apply_page(&tx, readable, still_unreadable, &cursor, now)?;
        tx.commit()?;
        Ok(done)
    }

    /// The portal's state kept as the base of a row with a pending change (wire JSON).
    pub fn portal_base(&self, application_id: &str) -> Result<Option<String>, Error> {
        Ok(self
            .conn()
            .query_row(
                "SELECT portal_base FROM application WHERE id = ?1",
                params![application_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The id of an application on the portal: its own id, or the portal's id of an
    /// on-behalf row once the portal has numbered it.
    pub fn portal_id(&self, application_id: &str) -> Result<String, Error> {
        let found: Option<Option<String>> = self
            .conn()
            .query_row(
                "SELECT portal_id FROM application WHERE id = ?1",
                params![application_id],
                |r| r.get(0),
            )
            .optional()?;
        match found {
            Some(p) => Ok(p.unwrap_or_else(|| application_id.to_string())),
            None => Err(Error::ApplicationNotFound {
                id: application_id.to_string(),
            }),
        }
    }

    /// The portal accepted outbox entry `seq`: keep its answer, give an on-behalf row the
    /// portal's number, and show the portal's state once nothing else waits for the row.
    /// Marking an entry that is no longer pending does nothing.
    pub fn mark_sent(
        &mut self,
        seq: i64,
        answer: &SentAnswer<'_>,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        self.mark_sent_batch(&[(seq, answer.clone())], now)
    }

    /// [`Store::mark_sent`] for many answers in one transaction (one disk flush for a
    /// window of answers, issue 12). The caller never batches two entries of one
    /// application: the next entry of an application is sent after its mark.
    pub fn mark_sent_batch(
        &mut self,
        answers: &[(i64, SentAnswer<'_>)],
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        let tx = self.write_transaction()?;
        for (seq, answer) in answers {
            mark_sent_in(&tx, *seq, answer, now)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The portal refused outbox entry `seq` for good: keep its answer, mark the row
    /// refused with the portal's code and message, record it in the history, and show
    /// the portal's state of the row when it is known. Never deletes the entry.
    pub fn mark_refused(
        &mut self,
        seq: i64,
        refusal: &Refusal<'_>,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        let tx = self.write_transaction()?;
        let Some((application_id, kind, key)) = pending_entry(&tx, seq)? else {
            return Ok(());
        };
        tx.execute(
            "UPDATE outbox SET state = 'refused', response = ?2, last_error = ?3, next_attempt_at = NULL, finished_at = ?4
             WHERE seq = ?1",
            params![seq, refusal.response_json, refusal.code, format_time(now)],
        )?;
        if let Some(current) = refusal.current
            && !has_pending(&tx, &application_id)?
        {
            overwrite(
                &tx,
                &application_id,
                &current.application,
                SyncMark::Refused,
            )?;
        }
        tx.execute(
            "UPDATE application SET sync_mark = 'refused', refusal_code = ?2, refusal_message = ?3 WHERE id = ?1",
            params![application_id, refusal.code, refusal.message],
        )?;
        append_history(
            &tx,
            &application_id,
            &NewHistory {
                at: now,
                actor_iin: None,
                actor_name: None,
                kind: "refused_by_portal".into(),
                details: serde_json::json!({
                    "action": kind,
                    "idempotency_key": key,
                    "code": refusal.code,
                    "message": refusal.message,
                }),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A try of entry `seq` failed for a passing reason (no connection, 5xx, 429): count
    /// it and say when the next try is due. The entry stays pending.
    pub fn record_attempt(
        &mut self,
        seq: i64,
        error_code: &str,
        next_attempt_at: OffsetDateTime,
    ) -> Result<(), Error> {
        self.write_conn()?.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE seq = ?1 AND state = 'pending'",
            params![seq, error_code, format_time(next_attempt_at)],
        )?;
        Ok(())
    }

    /// Pending entries after `after_seq`, in order: the push pages through the queue with
    /// it, skipping what waits for an earlier entry of its application. With `clerk`, only
    /// that clerk's entries (and those made before entries named their clerk): they go
    /// under that clerk's portal session only (issue 16).
    pub fn pending_outbox_after(
        &self,
        after_seq: i64,
        clerk: Option<&str>,
        limit: u32,
    ) -> Result<Vec<crate::OutboxEntry>, Error> {
        match clerk {
            Some(c) => self.outbox_where(
                &format!("state = 'pending' AND seq > ?1 AND (clerk_iin = ?2 OR clerk_iin IS NULL) AND {NOT_HELD_BY_REFUSED_BINDING} AND {} ORDER BY seq LIMIT ?3", crate::holds::NOT_HELD),
                params![after_seq, c, limit],
            ),
            None => self.outbox_where(
                &format!("state = 'pending' AND seq > ?1 AND {NOT_HELD_BY_REFUSED_BINDING} AND {} ORDER BY seq LIMIT ?2", crate::holds::NOT_HELD),
                params![after_seq, limit],
            ),
        }
    }

    /// The exact request bytes of entry `seq`, as written with it (migration 0007);
    /// `None` for an entry made by an app that did not keep them.
    pub fn outbox_request(&self, seq: i64) -> Result<Option<Vec<u8>>, Error> {
        Ok(self
            .conn()
            .prepare_cached("SELECT request FROM outbox WHERE seq = ?1")?
            .query_row(params![seq], |r| r.get::<_, Option<Vec<u8>>>(0))
            .optional()?
            .flatten())
    }

    pub fn outbox_counts(&self) -> Result<OutboxCounts, Error> {
        let mut c = OutboxCounts::default();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT state, count(*) FROM outbox GROUP BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            match state.as_str() {
                "pending" => c.pending = n as u64,
                "sent" => c.sent = n as u64,
                "refused" => c.refused = n as u64,
                _ => {
                    return Err(Error::Damaged {
                        what: format!("outbox state {state:?}"),
                    });
                }
            }
        }
        Ok(c)
    }

    /// Every outbox entry, oldest first (for tests, export and the details view).
    pub fn outbox(&self) -> Result<Vec<crate::OutboxEntry>, Error> {
        self.outbox_where("1 = 1 ORDER BY seq", [])
    }
}

fn pending_entry(
    tx: &Transaction<'_>,
    seq: i64,
) -> Result<Option<(String, String, String)>, Error> {
    Ok(tx
        .query_row(
            "SELECT application_id, kind, idempotency_key FROM outbox WHERE seq = ?1 AND state = 'pending'",
            params![seq],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

fn has_pending(tx: &Transaction<'_>, application_id: &str) -> Result<bool, Error> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE application_id = ?1 AND state = 'pending')",
        params![application_id],
        |r| r.get(0),
    )?)
}

/// Marks one answered entry inside the caller's transaction.
fn mark_sent_in(
    tx: &Transaction<'_>,
    seq: i64,
    answer: &SentAnswer<'_>,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let Some((application_id, kind, key)) = pending_entry(tx, seq)? else {
        return Ok(());
    };
    tx.prepare_cached(
        "UPDATE outbox SET state = 'sent', response = ?2, last_error = ?4, next_attempt_at = NULL, finished_at = ?3
         WHERE seq = ?1",
    )?
    .execute(params![
        seq,
        answer.response_json,
        format_time(now),
        answer.unreadable.then_some(ANSWER_UNREADABLE)
    ])?;
    if let Some(portal) = answer.application
        && kind == "on_behalf"
    {
        adopt_portal_identity(tx, &application_id, &portal.application, now)?;
    }
    if kind == "on_behalf" {
        crate::sent::drop_document_bytes(tx, seq)?; // issue 16
    }
    if kind == "binding"
        && let Ok(answer) = serde_json::from_str::<serde_json::Value>(answer.response_json)
    {
        // the portal's side of the binding, in this row's history.
        append_history(
            tx,
            &application_id,
            &NewHistory {
                at: now,
                actor_iin: None,
                actor_name: None,
                kind: "micro_district_bound".into(),
                details: serde_json::json!({
                    "binding_id": answer["binding_id"],
                    "address_id": answer["address"]["id"],
                    "micro_district_id": answer["address"]["micro_district_id"],
                }),
            },
        )?;
    }
    append_history(
        tx,
        &application_id,
        &NewHistory {
            at: now,
            actor_iin: None,
            actor_name: None,
            kind: if answer.unreadable {
                "sent_answer_unreadable".into()
            } else {
                "sent_to_portal".into()
            },
            details: serde_json::json!({
                "action": kind,
                "idempotency_key": key,
                "version": answer.application.map(|p| p.application.version),
            }),
        },
    )?;
    let still_pending = has_pending(tx, &application_id)?;
    match (answer.application, still_pending) {
        (Some(portal), false) => {
            overwrite(tx, &application_id, &portal.application, SyncMark::None)?
        }
        (Some(portal), true) => {
            tx.execute(
                "UPDATE application SET portal_base = ?2, portal_base_version = ?3 WHERE id = ?1",
                params![
                    application_id,
                    portal.portal_json,
                    portal.application.version
                ],
            )?;
        }
        (None, false) => {
            tx.execute(
                "UPDATE application SET sync_mark = 'none' WHERE id = ?1",
                params![application_id],
            )?;
        }
        (None, true) => {}
    }
    if !still_pending {
        tx.execute(
            "UPDATE application SET refusal_code = NULL, refusal_message = NULL WHERE id = ?1",
            params![application_id],
        )?;
    }
    Ok(())
}

/// The end of every page: quarantine updates and the cursor, in the page's transaction.
pub(crate) fn finish_page(
    tx: &Transaction<'_>,
    page: &[PulledApplication],
    unreadable: &[Unreadable],
    cursor: &str,
    now: OffsetDateTime,
) -> Result<(), Error> {
    if quarantined(tx)? > 0 {
        let mut read_now =
            tx.prepare_cached("DELETE FROM pulled_quarantine WHERE portal_id = ?1")?;
        for pulled in page {
            read_now.execute(params![pulled.application.id.0])?;
        }
    }
    {
        let mut keep = tx.prepare_cached(QUARANTINE_UPSERT)?;
        for q in unreadable {
            keep.execute(params![
                q.portal_id,
                q.raw,
                q.error,
                q.app_version,
                format_time(now)
            ])?;
        }
    }
    tx.execute(
        "INSERT INTO sync_state(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![CURSOR_KEY, cursor],
    )?;
    Ok(())
}

/// A pulled page and its cursor, inside the caller's write transaction.
fn apply_page(
    tx: &Transaction<'_>,
    page: &[PulledApplication],
    unreadable: &[Unreadable],
    cursor: &str,
    now: OffsetDateTime,
) -> Result<PageApplied, Error> {
    let mut done = PageApplied::default();
    for pulled in page {
        apply_one(tx, pulled, now, &mut done)?;
    }
    finish_page(tx, page, unreadable, cursor, now)?;
    Ok(done)
}

/// One pulled row, the full path: a local row, a pending change, a provisional twin.
pub(crate) fn apply_one(
    tx: &Transaction<'_>,
    pulled: &PulledApplication,
    now: OffsetDateTime,
    done: &mut PageApplied,
) -> Result<(), Error> {
    let a = &pulled.application;
    let mut local = local_row(tx, &a.id.0)?;
    if local.is_none()
        && let Some(id) = provisional_match(tx, a)?
    {
        // The answer to our submission was lost, but the portal has it: the same row.
        adopt_portal_identity(tx, &id, a, now)?;
        local = local_row(tx, &a.id.0)?;
    }
    match local {
        None => {
            upsert_application(tx, a, SyncMark::None)?;
            let kind = if a.on_behalf {
                "submitted_on_behalf"
            } else {
                "submitted"
            };
            append_history(
                tx,
                &a.id.0,
                &portal_history(a, kind, now, serde_json::json!({ "to": "new" })),
            )?;
            if a.status != Status::New {
                append_history(tx, &a.id.0, &change_history("new", 1, a, now, false))?;
            }
            done.inserted += 1;
            done.changed_ids.push(a.id.0.clone());
        }
        Some(row) if row.pending => {
            let known = row.base_version.unwrap_or(row.version);
            if a.version > known || row.provisional {
                tx.execute(
                    "UPDATE application SET portal_base = ?2, portal_base_version = ?3 WHERE id = ?1",
                    params![row.id, pulled.portal_json, a.version],
                )?;
                if a.version > known {
                    append_history(
                        tx,
                        &row.id,
                        &change_history(&row.status, known, a, now, true),
                    )?;
                }
                done.changed_ids.push(row.id.clone());
            }
            done.kept_local += 1;
        }
        Some(row) => {
            if a.version < row.version
                || (a.version == row.version && a.status.as_str() == row.status && !row.provisional)
            {
                // Seen already, or older than what the journal holds (a page
                // fetched before a newer answer was applied): never goes back.
                done.unchanged += 1;
                return Ok(());
            }
            let mark = if row.mark == SyncMark::Refused {
                SyncMark::Refused
            } else {
                SyncMark::None
            };
            overwrite(tx, &row.id, a, mark)?;
            if a.version != row.version || a.status.as_str() != row.status {
                append_history(
                    tx,
                    &row.id,
                    &change_history(&row.status, row.version, a, now, false),
                )?;
            }
            done.updated += 1;
            done.changed_ids.push(row.id);
        }
    }
    Ok(())
}
