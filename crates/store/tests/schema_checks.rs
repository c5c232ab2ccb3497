//! The checks of a row's closed sets of values without `IN` lists (migration 0017, issue
//! 12): the same values allowed and refused, no temporary B-tree built to check a row,
//! and a journal migrated from 0016 keeps its rows.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use crate::common;

use rusqlite::Connection;
use store::Store;

/// The statements each check guards, written as a first pull and a push write them.
const CHECKED_WRITES: &[&str] = &[
    "INSERT INTO application (id, number, status, version, submitted_at, submitted_day, school_id,
        grade, language, child_iin, child_surname, child_given, child_search, child_birth_cert,
        registered_address, applicant_iin, applicant_surname, applicant_given, phone,
        consent_rules, consent_terms, consent_personal, sync_mark)
     VALUES (?1, ?2, ?3, 1, '2026-04-01T04:00:00Z', '2026-04-01', 'sch-001', 1, 'kk',
        '200101500017', 'А', 'Б', 'а б', 'I-КО 1', 'адрес', '800101300011', 'В', 'Г',
        '+77001234567', 1, 1, 1, ?4)",
    "UPDATE outbox SET state = ?1 WHERE seq = ?2",
];

/// Each table's check as 0017 writes it, and as 0001 wrote it.
const OF_0001: &[(&str, &str, &str)] = &[
    (
        "application",
        "CHECK (status = 'new' OR status = 'under_review' OR status = 'accepted' OR status = 'rejected' OR status = 'withdrawn')",
        "CHECK (status IN ('new', 'under_review', 'accepted', 'rejected', 'withdrawn'))",
    ),
    (
        "application",
        "CHECK (sync_mark = 'none' OR sync_mark = 'waiting' OR sync_mark = 'refused')",
        "CHECK (sync_mark IN ('none', 'waiting', 'refused'))",
    ),
    (
        "outbox",
        "CHECK (state = 'pending' OR state = 'sent' OR state = 'refused')",
        "CHECK (state IN ('pending', 'sent', 'refused'))",
    ),
];

/// Opcodes of the statement `sql` that open a temporary B-tree.
fn temporary_btrees(conn: &Connection, sql: &str) -> usize {
    let mut stmt = conn.prepare(&format!("EXPLAIN {sql}")).unwrap();
    // Unbound: EXPLAIN only compiles the statement.
    let mut rows = stmt.raw_query();
    let mut found = 0;
    while let Some(row) = rows.next().unwrap() {
        if row.get::<_, String>(1).unwrap() == "OpenEphemeral" {
            found += 1;
        }
    }
    found
}

fn table_text(conn: &Connection, table: &str) -> String {
    conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )
    .unwrap()
}

fn insert(conn: &Connection, id: &str, status: &str, mark: &str) -> rusqlite::Result<usize> {
    conn.execute(CHECKED_WRITES[0], rusqlite::params![id, id, status, mark])
}

/// What 0001's checks allowed and refused, asked of `conn`'s journal.
fn allows_what_0001_allowed(conn: &Connection) {
    for (i, status) in ["new", "under_review", "accepted", "rejected", "withdrawn"]
        .iter()
        .enumerate()
    {
        insert(conn, &format!("ok-{i}"), status, "none").unwrap();
    }
    for (i, mark) in ["waiting", "refused"].iter().enumerate() {
        insert(conn, &format!("mark-{i}"), "new", mark).unwrap();
    }
    for (id, status, mark) in [
        ("bad-status", "approved", "none"),
        ("bad-case", "New", "none"),
        ("bad-mark", "new", "sent"),
    ] {
        let refused = insert(conn, id, status, mark).unwrap_err();
        assert_eq!(
            refused.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ConstraintViolation),
            "{id}"
        );
    }
}

#[test]
fn a_new_journal_checks_each_row_in_place_and_allows_what_0001_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    for table in ["application", "outbox"] {
        let text = table_text(&conn, table);
        assert!(!text.contains("status IN ("), "{text}");
        assert!(!text.contains("sync_mark IN ("), "{text}");
        assert!(!text.contains("state IN ("), "{text}");
    }
    for sql in CHECKED_WRITES {
        assert_eq!(temporary_btrees(&conn, sql), 0, "{sql}");
    }
    allows_what_0001_allowed(&conn);
}

#[test]
fn a_journal_of_migration_0016_gets_the_new_checks_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let apps = common::demo_apps(5);
    {
        let mut store = Store::open(&path).unwrap();
        common::put(&mut store, &apps).unwrap();
    }
    // The journal as 0016 left it: 0001's `IN` lists, 0017 not applied.
    {
        let conn = Connection::open(&path).unwrap();
        let cookie: i64 = conn
            .query_row("PRAGMA schema_version", [], |r| r.get(0))
            .unwrap();
        conn.execute_batch("PRAGMA writable_schema = ON").unwrap();
        for (table, now, before) in OF_0001 {
            conn.execute(
                "UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3) WHERE type = 'table' AND name = ?1",
                [table, now, before],
            )
            .unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA writable_schema = OFF; PRAGMA schema_version = {};
             DELETE FROM schema_migration WHERE version = 17; PRAGMA user_version = 16;",
            cookie + 1
        ))
        .unwrap();
    }
    {
        let conn = Connection::open(&path).unwrap();
        assert!(table_text(&conn, "application").contains("status IN ("));
        assert_eq!(temporary_btrees(&conn, CHECKED_WRITES[0]), 2);
        assert_eq!(temporary_btrees(&conn, CHECKED_WRITES[1]), 1);
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(common::count(&store), 5, "every row kept");
    drop(store);
    let conn = Connection::open(&path).unwrap();
    for sql in CHECKED_WRITES {
        assert_eq!(temporary_btrees(&conn, sql), 0, "{sql}");
    }
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    allows_what_0001_allowed(&conn);
}
