//! What holds a walk-in's submission back (migration 0013, issue 11): unconfirmed
//! contacts and data not checked against the population register.
//! The push skips an outbox entry with an open hold; holds are released, never deleted,
//! each release with its history entry.

use crate::records::NewHistory;
use crate::write::{append_history, format_time};
use crate::{Error, Store};
use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

/// Why an entry waits.
pub const PHONE_UNCONFIRMED: &str = "phone_unconfirmed";
pub const EMAIL_UNCONFIRMED: &str = "email_unconfirmed";
pub const REGISTER_UNCHECKED: &str = "register_unchecked";

/// The push's condition (SQL over `outbox`): no open hold on the entry.
pub(crate) const NOT_HELD: &str =
    "NOT EXISTS (SELECT 1 FROM outbox_hold h WHERE h.seq = outbox.seq AND h.released_at IS NULL)";

/// An open hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub seq: i64,
    pub application_id: String,
    pub reason: String,
    /// JSON: what the register check found, once it ran.
    pub details: Option<serde_json::Value>,
}

impl Store {
    /// Holds entry `seq` back for `reason` (inside the caller's action or on its own).
    pub(crate) fn hold_in(
        tx: &rusqlite::Transaction<'_>,
        seq: i64,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        tx.execute(
            "INSERT INTO outbox_hold(seq, reason, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(seq, reason) DO NOTHING",
            params![seq, reason, format_time(now)],
        )?;
        Ok(())
    }

    /// The open holds of an application, oldest first.
    pub fn open_holds(&self, application_id: &str) -> Result<Vec<Hold>, Error> {
        self.holds_where(
            "o.application_id = ?1 AND h.released_at IS NULL",
            params![application_id],
        )
    }

    /// Every open hold for `reason` (the sync round's register check).
    pub fn open_holds_for(&self, reason: &str) -> Result<Vec<Hold>, Error> {
        self.holds_where("h.reason = ?1 AND h.released_at IS NULL", params![reason])
    }

    fn holds_where(
        &self,
        condition: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Hold>, Error> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT h.seq, o.application_id, h.reason, h.details FROM outbox_hold h
             JOIN outbox o ON o.seq = h.seq WHERE {condition} ORDER BY h.seq, h.reason"
        ))?;
        let rows = stmt.query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, application_id, reason, details) = row?;
            out.push(Hold {
                seq,
                application_id,
                reason,
                details: details.and_then(|d| serde_json::from_str(&d).ok()),
            });
        }
        Ok(out)
    }

    /// The register check found differences: they are kept on the hold, and the row shows
    /// `code` with `message` until the clerk decides (the hold stays open).
    pub fn note_hold(
        &mut self,
        seq: i64,
        reason: &str,
        details: &serde_json::Value,
        code: &str,
        message: &str,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        let tx = self.write_transaction()?;
        let application_id: Option<String> = tx
            .query_row(
                "SELECT o.application_id FROM outbox_hold h JOIN outbox o ON o.seq = h.seq
                 WHERE h.seq = ?1 AND h.reason = ?2 AND h.released_at IS NULL",
                params![seq, reason],
                |r| r.get(0),
            )
            .optional()?;
        let Some(application_id) = application_id else {
            return Ok(());
        };
        let before: Option<String> = tx.query_row(
            "SELECT details FROM outbox_hold WHERE seq = ?1 AND reason = ?2",
            params![seq, reason],
            |r| r.get(0),
        )?;
        let text = details.to_string();
        if before.as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        tx.execute(
            "UPDATE outbox_hold SET details = ?3 WHERE seq = ?1 AND reason = ?2",
            params![seq, reason, text],
        )?;
        tx.execute(
            "UPDATE application SET refusal_code = ?2, refusal_message = ?3 WHERE id = ?1",
            params![application_id, code, message],
        )?;
        append_history(
            &tx,
            &application_id,
            &NewHistory {
                at: now,
                actor_iin: None,
                actor_name: None,
                kind: "register_differs".into(),
                details: details.clone(),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Releases the open hold `reason` of `application_id`'s entries, with a history
    /// entry of `kind`; `false` when there was none.
    pub fn release_hold(
        &mut self,
        application_id: &str,
        reason: &str,
        by: &str,
        history: &NewHistory,
        now: OffsetDateTime,
    ) -> Result<bool, Error> {
        let tx = self.write_transaction()?;
        let n = tx.execute(
            "UPDATE outbox_hold SET released_at = ?3, released_by = ?4
             WHERE reason = ?2 AND released_at IS NULL
               AND seq IN (SELECT seq FROM outbox WHERE application_id = ?1)",
            params![application_id, reason, format_time(now), by],
        )?;
        if n == 0 {
            return Ok(false);
        }
        append_history(&tx, application_id, history)?;
        let open: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM outbox_hold h JOIN outbox o ON o.seq = h.seq
              WHERE o.application_id = ?1 AND h.released_at IS NULL AND h.details IS NOT NULL)",
            params![application_id],
            |r| r.get(0),
        )?;
        if !open {
            tx.execute(
                "UPDATE application SET refusal_code = NULL, refusal_message = NULL
                 WHERE id = ?1 AND sync_mark <> 'refused'",
                params![application_id],
            )?;
        }
        tx.commit()?;
        Ok(true)
    }
}
