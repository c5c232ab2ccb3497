//! The journal file encrypted at rest (issue 16): SQLCipher 4 with a raw 256-bit key
//! (no PBKDF2 on open: the key is random, not a password — the password side lives in
//! `desk::vault`), and the one-time migration of a plaintext journal.
//!
//! Invariants:
//! - every encrypted connection is keyed with [`JournalKey`] as its first statement, with
//!   the SQLCipher 4 settings pinned and the file's layout ([`LAYOUTS`]: page size and
//!   HMAC), so a future SQLCipher with other defaults still opens today's files;
//! - a key that does not open the file is [`Error::WrongKey`] (`DB_WRONG_KEY`), and the
//!   file is left untouched;
//! - the migration never changes the plaintext file until an encrypted copy has been
//!   written, checked row by row and synced; a crash at any step leaves a file that
//!   [`crate::Store::open_encrypted`] opens (finishing the migration when needed).

use crate::Error;
use rusqlite::{Connection, OpenFlags};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// SQLCipher 4, pinned, with the layout of the file ([`LAYOUTS`]).
const CIPHER_COMPATIBILITY: &str = "cipher_compatibility = 4";

/// The page size and the page HMAC of an encrypted journal: what SQLCipher must be told
/// before it reads the file (both are under the encryption).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CipherLayout {
    pub page_size: u32,
    /// SQLCipher's name of the HMAC that authenticates each page.
    pub hmac: &'static str,
}

/// The layouts a journal may have, the one new journals get first (issue 12).
/// - 16 KiB pages since session 7: a first pull of 100 000 applications writes ~200 MB,
///   and per 16-KiB page SQLite splits, encrypts and authenticates a quarter as many
///   pages as per 4-KiB page (the pull's applying ~20 % and its index build ~35 % faster).
/// - HMAC-SHA256 since session 8: every page written or read from the file is
///   authenticated, and on this kind of machine SHA-256 runs at ~950 MB/s (SHA-NI)
///   against SHA-512's ~340 MB/s; the pull ~8 % faster (BENCHMARKS.md). AES-256 stays;
///   HMAC-SHA256 is SQLCipher's own option, as strong a MAC for a page as SHA-512's.
///
/// Journals made before keep theirs and open as they did: the layout is inside the
/// encrypted header, so opening tries each in turn.
pub const LAYOUTS: [CipherLayout; 3] = [
    CipherLayout {
        page_size: 16_384,
        hmac: "HMAC_SHA256",
    },
    CipherLayout {
        page_size: 16_384,
        hmac: "HMAC_SHA512",
    },
    CipherLayout {
        page_size: 4096,
        hmac: "HMAC_SHA512",
    },
];

impl CipherLayout {
    /// The pragmas that set this layout on the main database of a keyed connection.
    pub fn settings(&self) -> String {
        self.settings_of("")
    }

    /// The same for the database attached as `schema` (empty, keyed by
    /// [`JournalKey::attach_statement`]): an attached database otherwise takes
    /// SQLCipher's defaults.
    pub(crate) fn attached(&self, schema: &str) -> String {
        self.settings_of(&format!("{schema}."))
    }

    fn settings_of(&self, schema: &str) -> String {
        format!(
            "PRAGMA {schema}{CIPHER_COMPATIBILITY}; PRAGMA {schema}cipher_page_size = {}; \
             PRAGMA {schema}cipher_hmac_algorithm = {};",
            self.page_size, self.hmac
        )
    }
}

/// The page cache of an encrypted connection, larger than SQLite's default (2 MiB): a
/// page read from the cache is already decrypted, one read from the file costs an AES-256
/// decryption and an HMAC, so the journal's hot pages stay decrypted in memory (64 MiB at
/// most per connection; the window has two, its own and the sync worker's). Set once the
/// key is proven (with a wrong key even this pragma fails).
const CACHE_SIZE: &str = "PRAGMA cache_size = -65536;";

/// The random 256-bit key of one journal database. Never printed (`Debug` redacts),
/// wiped from memory when dropped. Where it comes from: `desk::vault`.
#[derive(Clone)]
pub struct JournalKey(Zeroizing<[u8; 32]>);

impl JournalKey {
    pub const LEN: usize = 32;

    pub fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> JournalKey {
        JournalKey(bytes)
    }

    /// The raw key, to wrap it for a clerk.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// `PRAGMA key` as SQL: a raw key `x'…'`, so SQLCipher derives nothing from it.
    fn key_statement(&self, schema: Option<&str>) -> Zeroizing<String> {
        let mut sql = Zeroizing::new(String::with_capacity(96));
        sql.push_str("PRAGMA ");
        if let Some(s) = schema {
            sql.push_str(s);
            sql.push('.');
        }
        sql.push_str("key = \"x'");
        push_hex(&mut sql, self.expose());
        sql.push_str("'\";");
        sql
    }

    pub(crate) fn attach_statement(&self, file: &Path, schema: &str) -> Zeroizing<String> {
        let mut sql = Zeroizing::new(String::with_capacity(160));
        sql.push_str("ATTACH DATABASE '");
        sql.push_str(&file.to_string_lossy().replace('\'', "''"));
        sql.push_str("' AS ");
        sql.push_str(schema);
        sql.push_str(" KEY \"x'");
        push_hex(&mut sql, self.expose());
        sql.push_str("'\";");
        sql
    }
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
}

impl fmt::Debug for JournalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JournalKey(…)")
    }
}

/// Opens the encrypted journal at `path` with `flags`, keyed, and proves the key right by
/// reading the schema: SQLCipher answers a wrong key with "file is not a database", which
/// we turn into `WrongKey`. A new (empty) file takes the first of [`LAYOUTS`]; an
/// existing one opens with its own. The layout is under the encryption, so a layout
/// that is not the file's fails like a wrong key, having read one page and written
/// nothing; each is tried on a connection of its own (a connection that failed once
/// stays read-only).
pub(crate) fn open_keyed(
    path: &Path,
    flags: OpenFlags,
    key: &JournalKey,
) -> Result<Connection, Error> {
    for layout in LAYOUTS {
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| Error::from_sqlite(path, e))?;
        // A wrong key is our error to report (`DB_WRONG_KEY`), not a line on stderr.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")
            .and_then(|()| conn.execute_batch(&key.key_statement(None)))
            .and_then(|()| conn.execute_batch(&layout.settings()))
            .map_err(|e| Error::from_sqlite(path, e))?;
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(_) => {
                conn.execute_batch(CACHE_SIZE)
                    .map_err(|e| Error::from_sqlite(path, e))?;
                return Ok(conn);
            }
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {}
            Err(e) => return Err(Error::from_sqlite(path, e)),
        }
    }
    Err(Error::WrongKey {
        path: path.to_path_buf(),
    })
}

/// Sets the layout new journals get on the encrypted database attached as `schema`.
pub(crate) fn new_attached_layout(schema: &str) -> String {
    LAYOUTS[0].attached(schema)
}

/// How long a connection waits for the journal's write lock held by another process
/// (`qabyldau sync --db` beside the window); within the process the write turn
/// ([`crate::write_turn`]) comes first and nothing waits here. As long as the wait for
/// the turn: the other process's longest transaction (an index build after a first
/// pull) holds the lock for seconds, and a waiter polling beside a writer that commits
/// back to back was measured waiting 8.7 s before it found the lock free (issue 12).
pub(crate) const BUSY_WAIT: Duration = crate::write_turn::WAIT;

/// How often a connection waiting for that lock tries again.
const BUSY_POLL: Duration = Duration::from_millis(1);

/// The connection's busy handler: it tries the lock every [`BUSY_POLL`] for up to
/// `bound`, then answers `SQLITE_BUSY`. SQLite's own (`busy_timeout`) sleeps 1, 2, 5 …
/// backing off to 100 ms, so beside a writer that commits and begins again at once it
/// tries ~60 times in 5 s and keeps missing the gaps of microseconds; trying every
/// millisecond finds one far sooner (measured: 22 of 30 decisions failed with SQLite's
/// handler, none with this one; under load 17 of 30 and 4 of 30 at 5 s, none at 30 s).
pub(crate) fn fine_busy_wait(conn: &mut Connection, bound: Duration) -> rusqlite::Result<()> {
    let mut since = Instant::now();
    conn.busy_handler(Some(move |tries: i32| {
        if tries == 0 {
            since = Instant::now();
        }
        if since.elapsed() >= bound {
            return false;
        }
        std::thread::sleep(BUSY_POLL);
        true
    }))
}

/// SQLite (with SQLCipher) fully initialised in this process before any connection of
/// the store is opened. SQLCipher marks itself initialised before it registers
/// `sqlcipher_export` for new connections, so a connection opened by a second thread in
/// that gap lacks the function ("no such function: sqlcipher_export", seen in parallel
/// tests); the first connection opened here, behind a `Once`, closes the gap.
pub fn sqlite_initialised() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        drop(Connection::open_in_memory());
    });
}

/// What the first 16 bytes of a journal file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// No file, or an empty one: SQLite makes a database of it.
    Missing,
    /// A plaintext SQLite database (`SQLite format 3\0`).
    Plaintext,
    /// Anything else: an encrypted journal (SQLCipher files are random from byte 0), or
    /// not a journal at all — only a key tells them apart.
    Opaque,
}

pub fn file_kind(path: &Path) -> Result<FileKind, Error> {
    use std::io::Read;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        Err(e) => return Err(io(path, e)),
    };
    let mut header = [0u8; 16];
    let mut n = 0;
    while n < header.len() {
        match f.read(&mut header[n..]).map_err(|e| io(path, e))? {
            0 => break,
            k => n += k,
        }
    }
    Ok(match n {
        0 => FileKind::Missing,
        16 if &header == b"SQLite format 3\0" => FileKind::Plaintext,
        _ => FileKind::Opaque,
    })
}

pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The steps of [`encrypt_plaintext`], for tests that stop it after one of them (a crash
/// at that moment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationStep {
    /// A plaintext backup beside the journal (`<file>.plaintext-backup`).
    Backup,
    /// The encrypted copy written (`<file>.encrypting`), not yet checked.
    Export,
    /// The copy checked table by table against the plaintext and synced to disk.
    Verify,
    /// The copy renamed over the journal (atomic); the backup still there.
    Rename,
}

/// `<file>.plaintext-backup`: the copy taken before the migration touches anything.
pub fn plaintext_backup_path(path: &Path) -> PathBuf {
    sibling(path, ".plaintext-backup")
}

/// `<file>.encrypting`: the encrypted copy being written.
pub fn encrypting_path(path: &Path) -> PathBuf {
    sibling(path, ".encrypting")
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Migrates the plaintext journal at `path` to an encrypted one with `key`, once:
/// backup, `sqlcipher_export` into `<file>.encrypting`, a row-count check of every
/// table, fsync, atomic rename over the journal, then the plaintext backup overwritten
/// and deleted. `stop_after` stops after a step (tests: a crash there).
///
/// Overwriting before deleting is best effort: on an SSD or a journaling/copy-on-write
/// file system the old blocks may survive; full-disk encryption is the answer to that
/// and the ARCHITECTURE says so.
pub fn encrypt_plaintext(
    path: &Path,
    key: &JournalKey,
    stop_after: Option<MigrationStep>,
) -> Result<(), Error> {
    let backup = plaintext_backup_path(path);
    let encrypting = encrypting_path(path);
    for stale in [&backup, &encrypting] {
        remove_if_exists(stale)?;
    }
    let stop = |step: MigrationStep| stop_after == Some(step);

    sqlite_initialised();
    let plain = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::from_sqlite(path, e))?;
    plain
        .busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| Error::from_sqlite(path, e))?;
    // Everything of the WAL into the main file first: the copies below read the file.
    plain
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(|e| Error::from_sqlite(path, e))?;
    crate::check_integrity(&plain).map_err(|e| e.with_path(path))?;

    // 1. Backup (plaintext, owner-only), before anything changes.
    create_private(&backup)?;
    plain
        .execute("VACUUM INTO ?1", [backup.to_string_lossy()])
        .map_err(|e| Error::from_sqlite(&backup, e))?;
    sync_file(&backup)?;
    if stop(MigrationStep::Backup) {
        return Ok(());
    }

    // 2. Export into an encrypted copy.
    create_private(&encrypting)?;
    plain
        .execute_batch(&key.attach_statement(&encrypting, "encrypted"))
        .and_then(|()| plain.execute_batch(&new_attached_layout("encrypted")))
        .map_err(|e| Error::from_sqlite(&encrypting, e))?;
    let user_version: i64 = plain
        .query_row("PRAGMA main.user_version", [], |r| r.get(0))
        .map_err(|e| Error::from_sqlite(path, e))?;
    plain
        .execute_batch(&format!(
            "SELECT sqlcipher_export('encrypted');
             PRAGMA encrypted.user_version = {user_version};
             DETACH DATABASE encrypted;"
        ))
        .map_err(|e| Error::from_sqlite(&encrypting, e))?;
    if stop(MigrationStep::Export) {
        return Ok(());
    }

    // 3. Check: the copy opens with the key and holds every row of every table.
    {
        let copy = open_keyed(
            &encrypting,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            key,
        )?;
        crate::check_integrity(&copy).map_err(|e| e.with_path(&encrypting))?;
        for (table, rows) in table_counts(&plain).map_err(|e| Error::from_sqlite(path, e))? {
            let copied = count_rows(&copy, &table).map_err(|e| Error::from_sqlite(path, e))?;
            if copied != rows {
                return Err(Error::Damaged {
                    what: format!(
                        "encrypting {}: table {table} has {copied} of {rows} rows",
                        path.display()
                    ),
                });
            }
        }
    }
    sync_file(&encrypting)?;
    drop(plain);
    if stop(MigrationStep::Verify) {
        return Ok(());
    }

    // 4. The plaintext's WAL and shared memory must not outlive it (SQLite would apply a
    // stale WAL to the new file); after the TRUNCATE checkpoint and close they are empty.
    for suffix in ["-wal", "-shm"] {
        remove_if_exists(&sibling(path, suffix))?;
    }
    std::fs::rename(&encrypting, path).map_err(|e| io(path, e))?;
    sync_dir(path)?;
    if stop(MigrationStep::Rename) {
        return Ok(());
    }

    // 5. The plaintext backup goes.
    shred(&backup)
}

/// After a crash between the rename and the shredding: the journal is encrypted and
/// opens with the key, so the plaintext backup is no longer needed. Also removes an
/// abandoned `.encrypting` copy (the journal it was made of is the one that counts).
pub(crate) fn tidy_after_open(path: &Path) -> Result<(), Error> {
    remove_if_exists(&encrypting_path(path))?;
    shred(&plaintext_backup_path(path))
}

fn table_counts(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tables
        .into_iter()
        .map(|t| count_rows(conn, &t).map(|n| (t, n)))
        .collect()
}

fn count_rows(conn: &Connection, table: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        &format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\"")),
        [],
        |r| r.get(0),
    )
}

/// Creates an empty file readable and writable by its owner only (0600), replacing none.
pub fn create_private(path: &Path) -> Result<(), Error> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop).map_err(|e| io(path, e))
}

fn remove_if_exists(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path, e)),
    }
}

fn sync_file(path: &Path) -> Result<(), Error> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(path, e))
}

fn sync_dir(path: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(|e| io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Overwrites a file with zeros, syncs, deletes it. Best effort against recovery of the
/// old blocks (see [`encrypt_plaintext`]); a missing file is fine.
pub fn shred(path: &Path) -> Result<(), Error> {
    use std::io::Write;
    let len = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(path, e)),
    };
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        let zeros = vec![0u8; 64 * 1024];
        let mut left = len;
        while left > 0 {
            let n = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(zeros.len());
            f.write_all(&zeros[..n]).map_err(|e| io(path, e))?;
            left -= n as u64;
        }
        f.sync_all().map_err(|e| io(path, e))?;
    }
    remove_if_exists(path)?;
    sync_dir(path)
}

/// Replaces `path` with `bytes` atomically (a sibling `.tmp` written owner-only, synced,
/// renamed over it, the folder synced): a reader sees the old file or the new one.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let tmp = sibling(path, ".tmp");
    remove_if_exists(&tmp)?;
    create_private(&tmp)?;
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&tmp)
            .map_err(|e| io(&tmp, e))?;
        f.write_all(bytes).map_err(|e| io(&tmp, e))?;
        f.sync_all().map_err(|e| io(&tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
    sync_dir(path)
}
