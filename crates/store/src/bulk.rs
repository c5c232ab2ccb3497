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
//!   transaction. Unique indexes are constraints and are never deferred. The trigger that
//!   counts inserted rows by status ([`DEFERRABLE_TRIGGER`]) is dropped the same way: its
//!   `UPDATE` per inserted row and the statement journal it needs cost a first pull a
//!   tenth of its applying.
//! - [`Store::build_deferred_indexes`] creates every kept index and trigger again and
//!   forgets its text, each index in a transaction of its own, the trigger last; when
//!   the trigger comes back, the counts by status are counted again from the rows. The
//!   pull calls it when it ends, whatever the outcome; a pull killed before that (a
//!   crash, a power cut) leaves the text in `sync_state`, and the next round builds them
//!   before it pulls. Until then the journal is complete and correct, only its searches
//!   read the table instead of an index and its counts by status lag behind the rows.
//! - The build runs with a page cache of [`BUILD_CACHE_BYTES`] (each index reads its
//!   whole table; a cache that holds the table reads and decrypts it once, not once per
//!   index), then gives the memory back.
//! - Each index is sorted in memory, never in a file: SQLCipher encrypts the journal, its
//!   WAL and its sub-journals, not the sorter's temporary files. With `temp_store =
//!   MEMORY` SQLite's sorter allocates every record on its own and has no bound; with
//!   `temp_store = FILE` it fills one buffer up to the page cache's size and writes a
//!   file only past it — 10–20 % faster (BENCHMARKS.md, session 12). The build takes the
//!   one buffer only when no sort can reach the bound: each table of
//!   [`DEFERRABLE_TABLES`] (its pages from `dbstat`) and [`SORT_BYTES_PER_CELL`] a cell
//!   stays below the cache ([`sorts_in_one_buffer`]); else it sorts as before.

use crate::{Error, Store};
use rusqlite::{OptionalExtension, params};

/// The indexes that only serve reads (migrations 0001, 0002, 0004, 0012, 0016, 0018).
pub const DEFERRABLE: &[&str] = &[
    "application_by_submitted",
    "application_by_status",
    "application_by_child_search",
    "application_by_child_iin",
    "application_by_child_iin_key",
    "application_by_language",
    "application_documents_waiting",
    "document_by_application",
    "history_by_application",
];

/// The tables the indexes of [`DEFERRABLE`] are on.
pub const DEFERRABLE_TABLES: &[&str] = &["application", "document", "history"];

/// The most fields (columns and the rowid) an index may have for SQLite's sorter to
/// compare two of its records by their first field in place (`nAllField < 13` in
/// `vdbesort.c`); past it, every comparison of the build unpacks both whole records
/// (migration 0018; BENCHMARKS.md, session 13). A test holds every index of
/// [`DEFERRABLE`] to it.
pub const SORT_FIELDS_COMPARED_IN_PLACE: usize = 12;

/// What an index's sort may hold for a row beyond the row's own bytes in its table: the
/// sorter's header of a record and its alignment (16 + 7), the rowid and its header byte
/// (10), and the values a row written before an `ALTER TABLE … ADD COLUMN` does not store
/// but its index entry does; generous.
pub const SORT_BYTES_PER_CELL: u64 = 64;

/// Whether every index on `tables` (those of [`DEFERRABLE_TABLES`] there are) can be
/// sorted in one buffer below a page cache of `cache_bytes`, past which SQLite's sorter
/// writes a file.
pub fn sorts_in_one_buffer(tables: &[TableSize], cache_bytes: u64) -> bool {
    tables.iter().all(|t| t.sort_bound() < cache_bytes)
}

/// A table's pages in bytes (overflow pages included) and its cells, from `dbstat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSize {
    pub bytes: u64,
    pub cells: u64,
}

impl TableSize {
    /// The most an index's sort on this table holds: its rows' bytes, and
    /// [`SORT_BYTES_PER_CELL`] for each.
    pub fn sort_bound(self) -> u64 {
        self.bytes
            .saturating_add(self.cells.saturating_mul(SORT_BYTES_PER_CELL))
    }
}

/// The trigger a first pull drops with the indexes (migration 0001), and the statement
/// that sets the counts from the rows when it comes back.
pub const DEFERRABLE_TRIGGER: &str = "status_count_insert";
const RECOUNT: &str = "UPDATE status_count SET count = (SELECT count(*) FROM application a WHERE a.status = status_count.status)";

const KEY_PREFIX: &str = "deferred index ";
const TRIGGER_KEY: &str = "deferred trigger status_count_insert";

/// The page cache of the connection while it builds the indexes: bounded, whatever the
/// journal's size (a larger table is read more than once).
pub const BUILD_CACHE_BYTES: u64 = 192 * 1024 * 1024;

impl Store {
    /// Drops the read-only indexes for a bulk load; see the module's text. Returns how
    /// many were dropped.
    pub fn defer_indexes(&mut self) -> Result<usize, Error> {
        let tx = self.write_transaction()?;
        let mut dropped = 0;
        for name in DEFERRABLE {
            if keep_and_drop(&tx, "index", name, &format!("{KEY_PREFIX}{name}"))? {
                dropped += 1;
            }
        }
        keep_and_drop(&tx, "trigger", DEFERRABLE_TRIGGER, TRIGGER_KEY)?;
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
        let trigger: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM sync_state WHERE key = ?1",
                params![TRIGGER_KEY],
                |r| r.get(0),
            )
            .optional()?;
        if waiting.is_empty() && trigger.is_none() {
            return Ok(0);
        }
        let cache: i64 = self
            .conn()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.set_build_memory(Some(BUILD_CACHE_BYTES))?;
        let built = self.build_waiting(&waiting, trigger.as_deref());
        self.conn().pragma_update(None, "cache_size", cache)?;
        self.set_build_memory(None)?;
        built?;
        Ok(waiting.len())
    }

    /// A cache of `bytes` and the sorts in memory (`Some`; see the module's text), or
    /// SQLite's defaults again (`None`), and the memory given back.
    fn set_build_memory(&self, bytes: Option<u64>) -> Result<(), Error> {
        let conn = self.conn();
        match bytes {
            Some(b) => {
                self.set_cache_bytes(b)?;
                let store = if sorts_in_one_buffer(&self.deferrable_table_sizes()?, b) {
                    "FILE"
                } else {
                    "MEMORY"
                };
                conn.pragma_update(None, "temp_store", store)?;
            }
            None => {
                conn.pragma_update(None, "temp_store", "DEFAULT")?;
                conn.execute_batch("PRAGMA shrink_memory")?;
            }
        }
        Ok(())
    }

    /// The sizes of the tables of [`DEFERRABLE_TABLES`] (their pages are read into the
    /// cache on the way, as the build reads them next).
    pub fn deferrable_table_sizes(&self) -> Result<Vec<TableSize>, Error> {
        let mut stmt = self
            .conn()
            .prepare("SELECT pgsize, ncell FROM dbstat('main', 1) WHERE name = ?1")?;
        let mut sizes = Vec::new();
        for table in DEFERRABLE_TABLES {
            let size = stmt
                .query_row(params![table], |r| {
                    // Never negative; were it, the largest size (no buffer) is the safe side.
                    let unsigned = |i: i64| u64::try_from(i).unwrap_or(u64::MAX);
                    Ok(TableSize {
                        bytes: unsigned(r.get(0)?),
                        cells: unsigned(r.get(1)?),
                    })
                })
                .optional()?;
            sizes.extend(size);
        }
        Ok(sizes)
    }

    /// Each index in a transaction of its own, so that the pages of one are copied into
    /// the file ([`Store::nudge_checkpoint`]) while the next is built, and a clerk's
    /// decision waits for one index, not for all; the trigger and the recount last.
    fn build_waiting(
        &mut self,
        waiting: &[(String, String)],
        trigger: Option<&str>,
    ) -> Result<(), Error> {
        for (key, sql) in waiting {
            let tx = self.write_transaction()?;
            restore(&tx, "index", key.trim_start_matches(KEY_PREFIX), sql, key)?;
            tx.commit()?;
            self.nudge_checkpoint();
        }
        // After the indexes: the recount reads the status index, not the whole table
        // once per status.
        if let Some(sql) = trigger {
            let tx = self.write_transaction()?;
            restore(&tx, "trigger", DEFERRABLE_TRIGGER, sql, TRIGGER_KEY)?;
            tx.execute_batch(RECOUNT)?;
            tx.commit()?;
        }
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

/// Creates the `kind` (index or trigger) called `name` with `sql` unless it is there, and
/// forgets the text kept under `key`: [`keep_and_drop`] undone.
fn restore(
    tx: &rusqlite::Transaction<'_>,
    kind: &str,
    name: &str,
    sql: &str,
    key: &str,
) -> Result<(), Error> {
    let exists: bool = tx.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = ?1 AND name = ?2",
        params![kind, name],
        |r| r.get(0),
    )?;
    if !exists {
        tx.execute_batch(sql)?;
    }
    tx.execute("DELETE FROM sync_state WHERE key = ?1", params![key])?;
    Ok(())
}

/// Keeps the SQL of the `kind` (index or trigger) called `name` under `key` in
/// `sync_state` and drops it; `false` when there is none.
fn keep_and_drop(
    tx: &rusqlite::Transaction<'_>,
    kind: &str,
    name: &str,
    key: &str,
) -> Result<bool, Error> {
    let sql: Option<Option<String>> = tx
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = ?1 AND name = ?2",
            params![kind, name],
            |r| r.get(0),
        )
        .optional()?;
    let Some(Some(sql)) = sql else {
        return Ok(false);
    };
    tx.execute(
        "INSERT INTO sync_state(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, sql],
    )?;
    // Kinds and names come from this file's lists, never from outside.
    tx.execute_batch(&format!("DROP {} \"{name}\"", kind.to_uppercase()))?;
    Ok(true)
}
