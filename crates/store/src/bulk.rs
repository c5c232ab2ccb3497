//! A first pull into an empty journal builds the read-only indexes once, at its end,
//! instead of keeping them up to date row by row (issue 12: the first pull of 100 000
//! applications within 1.5× the raw paging).
//!
//! Measured with `perf` (BENCHMARKS.md): most of a first pull's SQLite time was the
//! B-tree work of inserting every row into each secondary index at a random place (the
//! journal's name, IIN, status, language and date indexes, the documents' and the
//! history's application indexes), each touched leaf encrypted again at the checkpoint.
//! Building an index afterwards is one sort and a sequential write.
//!
//! - [`Store::defer_indexes`] drops the indexes of [`DEFERRABLE`] that exist and keeps
//!   each one's `CREATE INDEX` text in `sync_state` (key `deferred index <name>`), in one
//!   transaction. Unique indexes are constraints and are never deferred.
//! - [`Store::build_deferred_indexes`] creates every kept index again and forgets its
//!   text, in one transaction. The pull calls it when it ends, whatever the outcome; a
//!   pull killed before that (a crash, a power cut) leaves the text in `sync_state`, and
//!   the next round builds them before it pulls. Until then the journal is complete and
//!   correct, only its searches read the table instead of an index.

use crate::{Error, Store};
use rusqlite::{OptionalExtension, params};

/// The indexes that only serve reads (migrations 0002, 0003, 0004, 0011, 0012).
pub const DEFERRABLE: &[&str] = &[
    "application_by_submitted",
    "application_by_status",
    "application_by_child_search",
    "application_by_child_iin",
    "application_by_child_iin_key",
    "application_by_language",
    "document_by_application",
    "document_uncached",
    "history_by_application",
];

const KEY_PREFIX: &str = "deferred index ";

impl Store {
    /// Drops the read-only indexes for a bulk load; see the module's text. Returns how
    /// many were dropped.
    pub fn defer_indexes(&mut self) -> Result<usize, Error> {
        let tx = self.conn_mut().transaction()?;
        let mut dropped = 0;
        for name in DEFERRABLE {
            let sql: Option<Option<String>> = tx
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                    params![name],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(Some(sql)) = sql else { continue };
            tx.execute(
                "INSERT INTO sync_state(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![format!("{KEY_PREFIX}{name}"), sql],
            )?;
            // Names come from the list above, never from outside.
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            dropped += 1;
        }
        tx.commit()?;
        Ok(dropped)
    }

    /// Builds the indexes [`Store::defer_indexes`] dropped (nothing when none are
    /// waiting). Returns how many were built.
    pub fn build_deferred_indexes(&mut self) -> Result<usize, Error> {
        let waiting: Vec<(String, String)> = {
            let mut stmt = self.conn().prepare(
                "SELECT key, value FROM sync_state WHERE key >= ?1 AND key < ?2 ORDER BY key",
            )?;
            let rows = stmt.query_map(
                params![KEY_PREFIX, format!("{KEY_PREFIX}\u{10FFFF}")],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            rows.collect::<Result<_, _>>()?
        };
        if waiting.is_empty() {
            return Ok(0);
        }
        self.build_waiting(&waiting)?;
        Ok(waiting.len())
    }

    fn build_waiting(&mut self, waiting: &[(String, String)]) -> Result<(), Error> {
        let tx = self.conn_mut().transaction()?;
        for (key, sql) in waiting {
            let name = key.trim_start_matches(KEY_PREFIX);
            let exists: bool = tx.query_row(
                "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                params![name],
                |r| r.get(0),
            )?;
            if !exists {
                tx.execute_batch(sql)?;
            }
            tx.execute("DELETE FROM sync_state WHERE key = ?1", params![key])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The indexes dropped for a bulk load and not built yet.
    pub fn deferred_indexes(&self) -> Result<Vec<String>, Error> {
        let mut stmt = self
            .conn()
            .prepare("SELECT key FROM sync_state WHERE key >= ?1 AND key < ?2 ORDER BY key")?;
        let rows = stmt.query_map(
            params![KEY_PREFIX, format!("{KEY_PREFIX}\u{10FFFF}")],
            |r| r.get::<_, String>(0),
        )?;
        rows.map(|r| Ok(r?.trim_start_matches(KEY_PREFIX).to_string()))
            .collect()
    }
}
