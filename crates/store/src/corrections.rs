//! A walk-in's held submission signed again with a correction (migration 0014, issue 11):
//! another micro-district after the portal refused the binding (R-15…R-17), or the
//! population register's version of the data. The entry it replaces is finished,
//! never sent and never deleted; the corrected one is queued as any local action.

use crate::records::{LocalAction, NewHistory, NewOutbox};
use crate::write::{format_time, record_in};
use crate::{Error, Store};
use rusqlite::params;

/// `last_error` of an entry a corrected submission replaced.
pub const SUPERSEDED: &str = "SUPERSEDED";

impl Store {
    /// In one transaction: `action` (with the acts it depends on, `before`, and its
    /// `holds`) is recorded as [`Store::record_local_action_after`] records one, and the
    /// pending entry `superseded` of the same application is finished: `state`
    /// 'refused', `last_error` [`SUPERSEDED`], `superseded_by` the new entry, its open
    /// holds released by `superseded`. `Ok(None)`: `superseded` is no longer pending
    /// (sent meanwhile), nothing is written.
    pub fn record_correction(
        &mut self,
        superseded: i64,
        action: &LocalAction<'_>,
        before: &[(NewHistory, NewOutbox)],
        holds: &[&str],
    ) -> Result<Option<i64>, Error> {
        let tx = self.write_transaction()?;
        let now = format_time(action.outbox.created_at);
        let pending: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE seq = ?1 AND application_id = ?2
               AND state = 'pending')",
            params![superseded, action.application.id.0],
            |r| r.get(0),
        )?;
        if !pending {
            return Ok(None);
        }
        let seq = record_in(&tx, action, before, holds)?;
        tx.execute(
            "UPDATE outbox SET state = 'refused', last_error = ?2, next_attempt_at = NULL,
               finished_at = ?3, superseded_by = ?4 WHERE seq = ?1",
            params![superseded, SUPERSEDED, now, seq],
        )?;
        tx.execute(
            "UPDATE outbox_hold SET released_at = ?2, released_by = 'superseded'
             WHERE seq = ?1 AND released_at IS NULL",
            params![superseded, now],
        )?;
        tx.commit()?;
        Ok(Some(seq))
    }

    /// The entry that replaced `seq`, if a correction did (migration 0014).
    pub fn superseded_by(&self, seq: i64) -> Result<Option<i64>, Error> {
        Ok(self
            .conn()
            .prepare_cached("SELECT superseded_by FROM outbox WHERE seq = ?1")?
            .query_row(params![seq], |r| r.get(0))?)
    }
}
