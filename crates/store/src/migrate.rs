use crate::Error;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Rust that completes a migration inside its transaction.
pub type AfterSql = fn(&rusqlite::Transaction<'_>) -> Result<(), Error>;

/// One numbered `.sql` file of `migrations/`.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    /// What runs in Rust right after the SQL, in the same transaction (what SQL cannot
    /// do, e.g. hashing the rows that are already there).
    pub then: Option<AfterSql>,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../../migrations/", $name)),
            then: None,
        }
    };
    ($version:literal, $name:literal, then $then:path) => {
        Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../../migrations/", $name)),
            then: Some($then),
        }
    };
}

/// Every migration, in order. A test checks that this list and the folder agree.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_initial.sql"),
    migration!(2, "0002_journal_indexes.sql"),
    migration!(3, "0003_sync.sql"),
    migration!(4, "0004_journal_language_index.sql"),
    migration!(5, "0005_drafts.sql"),
    migration!(6, "0006_outbox_clerk.sql"),
    migration!(7, "0007_sync_edges.sql"),
    migration!(8, "0008_settings_audit.sql"),
    migration!(9, "0009_history_chain.sql", then crate::history_chain::fill),
    migration!(10, "0010_notify_channel.sql"),
    migration!(11, "0011_journal_covering_indexes.sql"),
    migration!(12, "0012_journal_iin_count_index.sql"),
    migration!(13, "0013_outbox_holds.sql"),
    migration!(14, "0014_outbox_superseded.sql"),
    migration!(15, "0015_draft_documents.sql"),
    migration!(16, "0016_application_documents.sql", then crate::documents::fill),
    migration!(17, "0017_checks_without_lists.sql", then schema_text_changed),
    migration!(18, "0018_journal_covering_indexes_narrower.sql"),
];

/// The Rust part of a migration that rewrote a table's text in `sqlite_schema` (0017):
/// the schema cookie moves on, so this connection and every other one read the schema
/// again before their next statement.
fn schema_text_changed(tx: &rusqlite::Transaction<'_>) -> Result<(), Error> {
    let cookie: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "schema_version", cookie + 1)?;
    Ok(())
}

pub(crate) fn checksum(sql: &str) -> String {
    let digest = Sha256::digest(sql.as_bytes());
    hex::encode(digest)
}

fn placeholder() -> PathBuf {
    PathBuf::new()
}

/// Applies the pending migrations in one transaction, after checking that those
/// already applied are the same text and that the database is not newer than us.
pub(crate) fn apply(conn: &mut Connection, migrations: &[Migration]) -> Result<(), Error> {
    // Immediate: a second connection opening the journal meanwhile waits here and then
    // finds the migrations applied; it never reads the versions and fails on the write.
    let tx = crate::begin_write(conn)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migration (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ) STRICT;",
    )?;
    let known = migrations.last().map_or(0, |m| m.version);
    let found: i64 = tx.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migration",
        [],
        |r| r.get(0),
    )?;
    let user_version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let found = found.max(user_version);
    if found > known {
        return Err(Error::DatabaseNewer {
            path: placeholder(),
            found,
            known,
        });
    }
    for m in migrations {
        let applied: Option<String> = tx
            .query_row(
                "SELECT checksum FROM schema_migration WHERE version = ?1",
                params![m.version],
                |r| r.get(0),
            )
            .optional()?;
        match applied {
            Some(sum) if sum == checksum(m.sql) => {}
            Some(_) => {
                return Err(Error::MigrationEdited {
                    path: placeholder(),
                    version: m.version,
                    name: m.name.into(),
                });
            }
            None => {
                tx.execute_batch(m.sql)?;
                if let Some(then) = m.then {
                    then(&tx)?;
                }
                tx.execute(
                    "INSERT INTO schema_migration(version, name, checksum) VALUES (?1, ?2, ?3)",
                    params![m.version, m.name, checksum(m.sql)],
                )?;
            }
        }
    }
    // user_version lets even a build that predates this table see it is too old.
    tx.pragma_update(None, "user_version", known)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_and_the_folder_agree() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|m| m.name).collect();
        assert_eq!(files, listed);
        // Numbers are handed out per piece of work, so one may land before a lower one
        // (a missing version is applied whenever it arrives): ascending and unique.
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version, "versions ascend");
        }
        for m in MIGRATIONS {
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }
}
