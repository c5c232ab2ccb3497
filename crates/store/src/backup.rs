//! Copies of the journal (issue 13): a consistent copy of an open store even while the
//! window works — SQLite's online backup of a plaintext one, `sqlcipher_export` into a
//! file keyed with the same journal key for an encrypted one, so a backup of an
//! encrypted journal is encrypted too — and the schema version of a closed file, so that
//! the desk can take a backup before a newer app migrates an older journal.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::cipher::{FileKind, JournalKey};
use crate::{Error, MIGRATIONS, Store};

/// The schema version this build writes (the last migration's number).
pub fn latest_schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The schema version recorded in a journal file (`PRAGMA user_version`), read without
/// writing anything. A file that is not plaintext SQLite (an encrypted journal, or not a
/// journal) is refused like [`Store::open`] does; [`Store::schema_version`] reads an open one.
pub fn schema_version(path: &Path) -> Result<i64, Error> {
    if crate::cipher::file_kind(path)? != FileKind::Plaintext {
        return Err(Error::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    crate::cipher::sqlite_initialised();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::from_sqlite(path, e))?;
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| Error::from_sqlite(path, e))
}

/// The schema version of a closed encrypted journal, read with its key without writing
/// anything (no migration): a key that does not open it is `DB_WRONG_KEY`.
pub fn schema_version_keyed(path: &Path, key: &JournalKey) -> Result<i64, Error> {
    crate::cipher::sqlite_initialised();
    let conn = crate::cipher::open_keyed(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        key,
    )?;
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| Error::from_sqlite(path, e))
}

impl Store {
    /// The schema version of this open journal.
    pub fn schema_version(&self) -> Result<i64, Error> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| Error::from_sqlite(self.path(), e))
    }

    /// Writes a consistent copy of the journal to `dest` (replaced if it exists). The
    /// copy is written beside `dest` first and renamed into place, so a crash never
    /// leaves half a backup under the backup's name. `key` is the key this store was
    /// opened with (`None`: plaintext); the copy is encrypted with it, created 0600.
    pub fn backup_to(&self, dest: &Path, key: Option<&JournalKey>) -> Result<(), Error> {
        let io = |source: std::io::Error| Error::Io {
            path: dest.to_path_buf(),
            source,
        };
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let partial = dest.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        if let Some(key) = key {
            crate::cipher::create_private(&partial)?;
            let conn = self.conn();
            let user_version = self.schema_version()?;
            let export = conn
                .execute_batch(&key.attach_statement(&partial, "backup_copy"))
                .and_then(|()| {
                    conn.execute_batch(&crate::cipher::new_attached_layout("backup_copy"))
                })
                .and_then(|()| {
                    conn.execute_batch(&format!(
                        "SELECT sqlcipher_export('backup_copy');
                         PRAGMA backup_copy.user_version = {user_version};"
                    ))
                });
            // Detached whether the export worked or not: the store's connection goes on.
            let detach = conn.execute_batch("DETACH DATABASE backup_copy;");
            if let Err(e) = export.and(detach) {
                let _ = std::fs::remove_file(&partial);
                return Err(Error::from_sqlite(dest, e));
            }
            return std::fs::rename(&partial, dest).map_err(io);
        }
        {
            let mut copy = Connection::open(&partial).map_err(|e| Error::from_sqlite(dest, e))?;
            let backup = rusqlite::backup::Backup::new(self.conn(), &mut copy)
                .map_err(|e| Error::from_sqlite(dest, e))?;
            backup
                .run_to_completion(256, Duration::from_millis(5), None)
                .map_err(|e| Error::from_sqlite(dest, e))?;
        }
        std::fs::rename(&partial, dest).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_is_a_journal_of_the_same_schema() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("journal.sqlite")).unwrap();
        let dest = dir.path().join("backups").join("journal-2026-12-01.sqlite");
        store.backup_to(&dest, None).unwrap();
        assert_eq!(schema_version(&dest).unwrap(), latest_schema_version());
        assert!(!dest.with_extension("partial").exists());
        // A second backup of the same day replaces the first.
        store.backup_to(&dest, None).unwrap();
        assert!(Store::open(&dest).is_ok());
    }

    #[test]
    fn a_backup_of_an_encrypted_journal_is_encrypted_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = JournalKey::from_bytes(zeroize::Zeroizing::new([7u8; 32]));
        let store = Store::open_encrypted(&dir.path().join("journal.sqlite"), &key).unwrap();
        let dest = dir.path().join("journal-2026-12-01.sqlite");
        store.backup_to(&dest, Some(&key)).unwrap();
        // Nothing of it is readable without the key: not even SQLite's header.
        assert_eq!(crate::cipher::file_kind(&dest).unwrap(), FileKind::Opaque);
        assert_eq!(
            schema_version(&dest).unwrap_err().code(),
            "DB_NOT_A_DATABASE"
        );
        let other = JournalKey::from_bytes(zeroize::Zeroizing::new([8u8; 32]));
        assert_eq!(
            Store::open_encrypted(&dest, &other).unwrap_err().code(),
            "DB_WRONG_KEY"
        );
        assert_eq!(
            schema_version_keyed(&dest, &key).unwrap(),
            latest_schema_version()
        );
        let copy = Store::open_encrypted(&dest, &key).unwrap();
        assert_eq!(copy.schema_version().unwrap(), latest_schema_version());
        // The store goes on working after the copy (the copy's database is detached).
        store.backup_to(&dest, Some(&key)).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_schema_version());
    }

    #[test]
    fn the_schema_version_of_something_else_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, b"not a journal at all, just some text").unwrap();
        assert_eq!(
            schema_version(&path).unwrap_err().code(),
            "DB_NOT_A_DATABASE"
        );
    }
}
