//! Copies of the journal (issue 13): SQLite's online backup of an open store (a
//! consistent snapshot even while the window works, and whatever the file's encryption
//! is, the copy has it too), and the schema version of a closed file, so that the desk
//! can take a backup before a newer app migrates an older journal.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::{Error, MIGRATIONS, Store};

/// The schema version this build writes (the last migration's number).
pub fn latest_schema_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The schema version recorded in a journal file (`PRAGMA user_version`), read without
/// writing anything. A file that is not SQLite is refused like [`Store::open`] does.
pub fn schema_version(path: &Path) -> Result<i64, Error> {
    crate::check_sqlite_header(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::from_sqlite(path, e))?;
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| Error::from_sqlite(path, e))
}

impl Store {
    /// Writes a consistent copy of the journal to `dest` (replaced if it exists). The
    /// copy is written beside `dest` first and renamed into place, so a crash never
    /// leaves half a backup under the backup's name.
    pub fn backup_to(&self, dest: &Path) -> Result<(), Error> {
        let io = |source: std::io::Error| Error::Io {
            path: dest.to_path_buf(),
            source,
        };
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let partial = dest.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
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
        store.backup_to(&dest).unwrap();
        assert_eq!(schema_version(&dest).unwrap(), latest_schema_version());
        assert!(!dest.with_extension("partial").exists());
        // A second backup of the same day replaces the first.
        store.backup_to(&dest).unwrap();
        assert!(Store::open(&dest).is_ok());
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
