#![allow(clippy::unwrap_used)]
//! Issue 15: the migration runner on odd schemas. A journal file someone made or
//! edited by hand — a `schema_migration` table with strange rows, an odd
//! `user_version`, our table names taken by other tables, arbitrary bytes in place of
//! the file — is either opened and migrated, or refused with a coded error; never a
//! panic, and a refused migration leaves the tables as they were (one transaction).

use proptest::prelude::*;
use store::Store;

const KNOWN_CODES: &[&str] = &[
    "DB_NOT_A_DATABASE",
    "DB_CORRUPT",
    "DB_NEWER_THAN_APP",
    "DB_MIGRATION_EDITED",
    "DB_IO",
    "DB_DAMAGED",
    "DB_ERROR",
];

fn tables(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[derive(Debug, Clone)]
enum Odd {
    MigrationRow {
        version: i64,
        name: String,
        checksum: String,
    },
    UserVersion(i64),
    TakenTable(&'static str),
    ExtraTable(String),
}

fn odd() -> impl Strategy<Value = Odd> {
    prop_oneof![
        (
            prop_oneof![-3i64..15, any::<i64>()],
            "[0-9a-z_.]{0,20}",
            prop_oneof!["[0-9a-f]{64}".boxed(), ".{0,8}".boxed()]
        )
            .prop_map(|(version, name, checksum)| Odd::MigrationRow {
                version,
                name,
                checksum
            }),
        prop_oneof![-3i64..15, any::<i64>()].prop_map(Odd::UserVersion),
        proptest::sample::select(vec![
            "application",
            "history",
            "outbox",
            "sync_state",
            "staff"
        ])
        .prop_map(Odd::TakenTable),
        "[a-z]{1,12}".prop_map(Odd::ExtraTable),
    ]
}

fn make(path: &std::path::Path, odd: &[Odd]) {
    let conn = rusqlite::Connection::open(path).unwrap();
    for o in odd {
        let _ = match o {
            Odd::MigrationRow { version, name, checksum } => conn
                .execute_batch(
                    "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '')",
                )
                .and_then(|()| {
                    conn.execute(
                        "INSERT OR REPLACE INTO schema_migration(version, name, checksum) VALUES (?1, ?2, ?3)",
                        rusqlite::params![version, name, checksum],
                    )
                    .map(drop)
                }),
            Odd::UserVersion(v) => conn.pragma_update(None, "user_version", v),
            Odd::TakenTable(t) => conn.execute_batch(&format!("CREATE TABLE IF NOT EXISTS {t} (x)")),
            Odd::ExtraTable(t) => {
                conn.execute_batch(&format!("CREATE TABLE IF NOT EXISTS \"{t}\" (y)"))
            }
        };
    }
}

proptest! {
    // Each case makes a real SQLite file: fewer by default, PROPTEST_CASES for long runs.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
    ))]

    #[test]
    fn an_odd_schema_is_migrated_or_refused_never_half_done(odd in proptest::collection::vec(odd(), 0..5)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("odd.sqlite");
        make(&path, &odd);
        let before = tables(&path);
        match Store::open(&path) {
            Ok(store) => {
                drop(store);
                let after = tables(&path);
                prop_assert!(after.contains(&"history".to_string()));
                // Opening again is a no-op.
                prop_assert!(Store::open(&path).is_ok());
            }
            Err(e) => {
                prop_assert!(KNOWN_CODES.contains(&e.code()), "{}", e.code());
                prop_assert_eq!(tables(&path), before, "a refused migration changes nothing");
            }
        }
    }

    #[test]
    fn arbitrary_bytes_as_a_journal_are_refused_and_kept(bytes in proptest::collection::vec(any::<u8>(), 1..2048)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.sqlite");
        std::fs::write(&path, &bytes).unwrap();
        match Store::open(&path) {
            Ok(_) => prop_assert!(false, "junk opened as a journal"),
            Err(e) => {
                prop_assert!(KNOWN_CODES.contains(&e.code()), "{}", e.code());
                prop_assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file is not touched");
            }
        }
    }
}

/// A real journal whose header survives but whose pages are damaged: refused, kept.
#[test]
fn a_journal_with_damaged_pages_is_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(Store::open(&path).unwrap());
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192);
    for b in &mut bytes[4096..8192] {
        *b ^= 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("j.sqlite-wal"));
    let err = Store::open(&path).unwrap_err();
    assert!(KNOWN_CODES.contains(&err.code()), "{}", err.code());
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}
