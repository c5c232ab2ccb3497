use std::path::PathBuf;

/// Errors of the store, each with a stable code the UI turns into kk/ru text.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: not a Qabyldau database (or the file is damaged); it was left untouched")]
    NotADatabase { path: PathBuf },
    #[error(
        "{path}: this key does not open the journal (a key of another desk, or not a Qabyldau journal); it was left untouched"
    )]
    WrongKey { path: PathBuf },
    #[error("{path}: the database is damaged ({detail}); it was left untouched")]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path}: the database was written by a newer Qabyldau (schema {found}, this app knows {known}); update the app"
    )]
    DatabaseNewer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path}: migration {version} ({name}) was changed after it was applied; this build is broken"
    )]
    MigrationEdited {
        path: PathBuf,
        version: i64,
        name: String,
    },
    #[error("{path}: cannot read or write the file: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("application {id} is not in the journal")]
    ApplicationNotFound { id: String },
    #[error("document {id} is not in the journal")]
    DocumentNotFound { id: String },
    #[error("stored data is damaged: {what}")]
    Damaged { what: String },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotADatabase { .. } => "DB_NOT_A_DATABASE",
            Error::Corrupt { .. } => "DB_CORRUPT",
            Error::WrongKey { .. } => "DB_WRONG_KEY",
            Error::DatabaseNewer { .. } => "DB_NEWER_THAN_APP",
            Error::MigrationEdited { .. } => "DB_MIGRATION_EDITED",
            Error::Io { .. } => "DB_IO",
            Error::ApplicationNotFound { .. } => "APPLICATION_NOT_FOUND",
            Error::DocumentNotFound { .. } => "DOCUMENT_NOT_FOUND",
            Error::Damaged { .. } => "DB_DAMAGED",
            Error::Sqlite(e) if is_corrupt(e) => "DB_CORRUPT",
            Error::Sqlite(e) if is_disk_full(e) => "DB_DISK_FULL",
            Error::Sqlite(_) => "DB_ERROR",
        }
    }

    pub(crate) fn from_sqlite(path: &std::path::Path, e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Error::NotADatabase {
                path: path.to_path_buf(),
            },
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
            _ => Error::Sqlite(e),
        }
    }

    /// Another connection held the journal's write lock past the busy timeout, or wrote
    /// between this transaction's read and its write (WAL: `SQLITE_BUSY_SNAPSHOT`, which
    /// never waits). Nothing was written; the same work succeeds when tried again.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Error::Sqlite(e) if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            )
        )
    }

    pub(crate) fn with_path(self, path: &std::path::Path) -> Error {
        match self {
            Error::Sqlite(e) => Error::from_sqlite(path, e),
            Error::Corrupt { detail, .. } => Error::Corrupt {
                path: path.to_path_buf(),
                detail,
            },
            Error::DatabaseNewer { found, known, .. } => Error::DatabaseNewer {
                path: path.to_path_buf(),
                found,
                known,
            },
            Error::MigrationEdited { version, name, .. } => Error::MigrationEdited {
                path: path.to_path_buf(),
                version,
                name,
            },
            other => other,
        }
    }
}

/// SQLite's "database or disk is full": the write's transaction was rolled back and the
/// journal is as it was before it (issue 15, docs/bad-input.md).
fn is_disk_full(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_locked_by_another_connection_is_busy_and_nothing_else_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.sqlite");
        let holder = rusqlite::Connection::open(&path).unwrap();
        holder
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t(x); BEGIN IMMEDIATE;")
            .unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let e = Error::from(other.execute("INSERT INTO t VALUES (1)", []).unwrap_err());
        assert!(e.is_busy(), "{e}");
        holder.execute_batch("COMMIT").unwrap();
        let e = Error::from(
            other
                .execute("INSERT INTO nowhere VALUES (1)", [])
                .unwrap_err(),
        );
        assert!(!e.is_busy(), "{e}");
    }
}
