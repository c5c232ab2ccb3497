//! The local replica in one SQLite file, encrypted at rest with
//! SQLCipher ([`Store::open_encrypted`], issue 16).
//!
//! Invariants:
//! - only this crate writes SQL;
//! - the schema comes from the numbered files in `migrations/`, applied in order, all
//!   pending ones in one transaction, each recorded with its checksum; an edited landed
//!   migration or a database from a newer app is refused and the file left untouched;
//! - every local action is one transaction: the change, its history entry and its
//!   outbox entry ([`Store::record_local_action`]);
//! - a transaction that reads before it writes begins `IMMEDIATE` ([`begin_write`]): the
//!   window's connection and the sync loop's write the same WAL journal, and a deferred
//!   one that read first cannot wait for the other's write lock (`SQLITE_BUSY`, or
//!   `SQLITE_BUSY_SNAPSHOT` once the other committed), it fails at once;
//! - every write takes the journal's write turn first ([`write_turn`]): the connections
//!   of one process write one journal in the order they asked, so a clerk's decision
//!   waits for the sync loop's current transaction, never for a run of them.

mod background_checkpoint;
mod backup;
mod bulk;
mod cipher;
mod corrections;
mod documents;
mod drafts;
mod error;
mod first_pull;
mod history_chain;
mod holds;
mod journal;
mod migrate;
mod records;
mod sent;
mod settings_audit;
mod sync;
#[cfg(feature = "testkit")]
pub mod testkit;
mod write;
mod write_turn;

pub use backup::{latest_schema_version, schema_version, schema_version_keyed};
pub use bulk::{
    BUILD_CACHE_BYTES, DEFERRABLE, DEFERRABLE_TABLES, DEFERRABLE_TRIGGER, SORT_BYTES_PER_CELL,
    SORT_FIELDS_COMPARED_IN_PLACE, TableSize, sorts_in_one_buffer,
};

pub use cipher::{
    CipherLayout, FileKind, JournalKey, LAYOUTS, MigrationStep, create_private, encrypt_plaintext,
    encrypting_path, file_kind, plaintext_backup_path, shred, sqlite_initialised, write_private,
};
pub use corrections::SUPERSEDED;
pub use drafts::{DRAFT_ON_BEHALF, DraftDocument, DraftRecord};
pub use error::Error;
pub use history_chain::{ChainFault, HistoryCheck};
pub use holds::{EMAIL_UNCONFIRMED, Hold, PHONE_UNCONFIRMED, REGISTER_UNCHECKED};
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
    ANSWER_UNREADABLE, CURSOR_KEY, OutboxCounts, PageApplied, PulledApplication, Refusal,
    SentAnswer, UncachedDocument, Unreadable,
};
pub use write::StoredApplication;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use write_turn::{Held, WriteTurn};

/// One open journal database. Not `Sync`: one writer, on one thread.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The journal file's write turn, shared with the process's other stores on it.
    turn: Arc<WriteTurn>,
    /// The journal's key (`None`: plaintext), for a second connection of its own.
    key: Option<JournalKey>,
    /// The WAL copied into the file beside a first pull (`background_checkpoint`).
    checkpoints: Option<background_checkpoint::BackgroundCheckpoint>,
}

impl Store {
    /// Opens (creating if missing) and migrates a PLAINTEXT database at `path`.
    ///
    /// Kept for the window and the scripts until they sign in before opening; to be
    /// removed: the journal is opened with [`Store::open_encrypted`] (issue 16).
    pub fn open(path: &Path) -> Result<Store, Error> {
        Store::open_with(path, MIGRATIONS)
    }

    /// Opens (creating if missing) and migrates the encrypted journal at `path` with its
    /// key. A plaintext journal there is first migrated to an encrypted one
    /// ([`encrypt_plaintext`]), or the migration a crash interrupted is finished. A key
    /// that does not open the file: [`Error::WrongKey`], the file untouched.
    pub fn open_encrypted(path: &Path, key: &JournalKey) -> Result<Store, Error> {
        Store::open_keyed(path, Some(key), MIGRATIONS)
    }

    /// Opens with a given list of migrations: tests use a prefix of [`MIGRATIONS`] to make
    /// an older schema.
    pub fn open_with(path: &Path, migrations: &[Migration]) -> Result<Store, Error> {
        Store::open_keyed(path, None, migrations)
    }

    /// Encrypted with `key`, or plaintext without.
    pub fn open_keyed(
        path: &Path,
        key: Option<&JournalKey>,
        migrations: &[Migration],
    ) -> Result<Store, Error> {
        let kind = cipher::file_kind(path)?;
        match (kind, key) {
            (FileKind::Opaque, None) => {
                return Err(Error::NotADatabase {
                    path: path.to_path_buf(),
                });
            }
            (FileKind::Plaintext, Some(key)) => cipher::encrypt_plaintext(path, key, None)?,
            (FileKind::Missing, _) if !path.exists() => cipher::create_private(path)?,
            _ => {}
        }
        cipher::sqlite_initialised();
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = connect(path, flags, key)?;
        if key.is_none() && kind == FileKind::Missing {
            // A plaintext journal (tests, a demo) gets the page size of new encrypted
            // ones, before WAL fixes it.
            conn.pragma_update(None, "page_size", LAYOUTS[0].page_size)
                .map_err(|e| Error::from_sqlite(path, e))?;
        }
        let mut conn = conn;
        cipher::fine_busy_wait(&mut conn, cipher::BUSY_WAIT)
            .map_err(|e| Error::from_sqlite(path, e))?;
        configure(&conn).map_err(|e| Error::from_sqlite(path, e))?;
        // A plaintext file gets SQLite's structural check before anything is written. An
        // encrypted one does not need it (and cannot afford it: it would decrypt every page,
        // ~3 s per 175 MB): SQLCipher authenticates each page (its HMAC) as it is read,
        // so a damaged or tampered page is an error at its first read, never trusted.
        if kind != FileKind::Missing && key.is_none() {
            check_integrity(&conn).map_err(|e| e.with_path(path))?;
        }
        let turn = WriteTurn::of(path);
        {
            let _turn = turn.take().map_err(|e| Error::from_sqlite(path, e))?;
            migrate::apply(&mut conn, migrations).map_err(|e| e.with_path(path))?;
        }
        if key.is_some() {
            cipher::tidy_after_open(path)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            turn,
            key: key.cloned(),
            checkpoints: None,
        })
    }

    /// Another connection to this journal, keyed like this one, for work beside it on
    /// another thread; not migrated (this one was).
    fn second_connection(&self) -> Result<Connection, Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = connect(&self.path, flags, self.key.as_ref())?;
        conn.execute_batch("PRAGMA cache_size = -2048;")
            .map_err(|e| Error::from_sqlite(&self.path, e))?;
        Ok(conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A transaction holding the journal's write turn ([`write_turn`]) and then its write
    /// lock from its start ([`begin_write`]): the store's only way to a transaction (no
    /// `&mut Connection` is handed out). The turn is given back when the transaction
    /// commits, rolls back or is dropped.
    pub(crate) fn write_transaction(&mut self) -> rusqlite::Result<WriteTransaction<'_>> {
        let turn = self.turn.take()?;
        Ok(WriteTransaction {
            tx: begin_write(&mut self.conn)?,
            _turn: turn,
        })
    }

    /// The connection for one write outside a transaction (a statement of its own), with
    /// the journal's write turn held until the statement is done:
    /// `self.write_conn()?.execute(…)`.
    pub(crate) fn write_conn(&self) -> rusqlite::Result<WriteConn<'_>> {
        Ok(WriteConn {
            conn: &self.conn,
            _turn: self.turn.take()?,
        })
    }
}

/// A transaction of [`Store::write_transaction`]: a `rusqlite::Transaction` (it derefs to
/// one) that holds the journal's write turn. Dropped uncommitted, it rolls back.
#[derive(Debug)]
pub(crate) struct WriteTransaction<'a> {
    // Declared first, so dropped first: rolled back before the turn is given back.
    tx: Transaction<'a>,
    _turn: Held,
}

impl WriteTransaction<'_> {
    /// Commits, then gives the turn back.
    pub(crate) fn commit(self) -> rusqlite::Result<()> {
        let WriteTransaction { tx, _turn } = self;
        tx.commit()
    }
}

impl<'a> std::ops::Deref for WriteTransaction<'a> {
    type Target = Transaction<'a>;

    fn deref(&self) -> &Transaction<'a> {
        &self.tx
    }
}

impl<'a> std::ops::DerefMut for WriteTransaction<'a> {
    fn deref_mut(&mut self) -> &mut Transaction<'a> {
        &mut self.tx
    }
}

/// [`Store::write_conn`]: the store's connection with the journal's write turn held.
#[derive(Debug)]
pub(crate) struct WriteConn<'a> {
    conn: &'a Connection,
    _turn: Held,
}

impl std::ops::Deref for WriteConn<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

/// A connection to the journal at `path`: keyed with its layout (`cipher::open_keyed`),
/// or plaintext without a key.
fn connect(path: &Path, flags: OpenFlags, key: Option<&JournalKey>) -> Result<Connection, Error> {
    match key {
        Some(key) => cipher::open_keyed(path, flags, key),
        None => Connection::open_with_flags(path, flags).map_err(|e| Error::from_sqlite(path, e)),
    }
}

/// `BEGIN IMMEDIATE`: the write lock is taken first, waiting while another connection
/// writes (after the write turn only another process's can: `cipher::BUSY_WAIT`), and
/// what the transaction then reads stays current until it commits. A transaction that reads before it writes must begin so; the others do too
/// (one whose first statement writes would wait anyway, but one rule is easier to keep).
pub(crate) fn begin_write(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
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
pub(crate) fn check_integrity(conn: &Connection) -> Result<(), Error> {
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
