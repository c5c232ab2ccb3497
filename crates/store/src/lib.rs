//! The local replica in one SQLite file.
//!
//! Invariants:
//! - only this crate writes SQL;
//! - the schema comes from the numbered files in `migrations/`, applied in order, all
//!   pending ones in one transaction, each recorded with its checksum; an edited landed
//!   migration or a database from a newer app is refused and the file left untouched;
//! - every local action is one transaction: the change, its history entry and its
//!   outbox entry ([`Store::record_local_action`]).

mod backup;
mod error;
mod journal;
mod migrate;
mod records;
mod settings_audit;
mod sync;
mod write;

pub use backup::{latest_schema_version, schema_version};
pub use error::Error;
pub use journal::{
    COUNT_CAP, JournalFilter, JournalRow, JournalSort, Keyset, SearchTerm, StatusCounts,
};
pub use migrate::{MIGRATIONS, Migration};
pub use records::{
    Attachment, DocumentRecord, HistoryRecord, LocalAction, NewHistory, NewOutbox, OutboxEntry,
    Reference, SchoolRecord, StaffRecord, SyncMark,
};
pub use settings_audit::{SettingsAuditRecord, SettingsChange};
pub use sync::{
    CURSOR_KEY, OutboxCounts, PageApplied, PulledApplication, Refusal, SentAnswer, UncachedDocument,
};
pub use write::{OFFICE_OFFSET, StoredApplication};

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// One open journal database. Not `Sync`: one writer, on one thread.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if missing) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store, Error> {
        Store::open_with(path, MIGRATIONS)
    }

    /// Opens with a given list of migrations: tests use a prefix of [`MIGRATIONS`] to make
    /// an older schema.
    pub fn open_with(path: &Path, migrations: &[Migration]) -> Result<Store, Error> {
        let existed = path.exists();
        if existed {
            check_sqlite_header(path)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::from_sqlite(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| Error::from_sqlite(path, e))?;
        let mut conn = conn;
        configure(&conn).map_err(|e| Error::from_sqlite(path, e))?;
        if existed {
            check_integrity(&conn).map_err(|e| e.with_path(path))?;
        }
        migrate::apply(&mut conn, migrations).map_err(|e| e.with_path(path))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // Switching to WAL needs a moment alone with the file: another connection that is
    // creating or migrating it answers "busy" at once, so wait for it, boundedly.
    let mut tries = 0;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && tries < 100 =>
            {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => break other?,
        }
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// SQLite's own structural check, before anything is written: a damaged journal is
/// reported, never migrated or trusted. It reads every page once (milliseconds for a
/// school's journal).
fn check_integrity(conn: &Connection) -> Result<(), Error> {
    let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(Error::Corrupt {
            path: PathBuf::new(),
            detail: verdict,
        })
    }
}

/// A file that is not SQLite is refused before SQLite touches it, so it is never
/// overwritten.
fn check_sqlite_header(path: &Path) -> Result<(), Error> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut header = [0u8; 16];
    let n = f.read(&mut header).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    if n == 0 {
        return Ok(()); // an empty file: SQLite makes a database of it
    }
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(Error::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}
