//! The store on a real SQLite file: migrations, journal queries, the one-transaction rule.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use crate::common;

use domain::{Action, Status};
use store::{
    Error, JournalFilter, JournalSort, LocalAction, MIGRATIONS, Migration, NewHistory, NewOutbox,
    SearchTerm, Store, SyncMark,
};
use time::macros::datetime;

fn spec() -> demo::RegionSpec {
    demo::RegionSpec::default()
}

/// A store with `n` demo applications of every school and their submission history.
fn filled(dir: &tempfile::TempDir, n: u64) -> Store {
    let mut store = Store::open(&dir.path().join("journal.sqlite")).unwrap();
    let spec = spec();
    let region = demo::region(&spec);
    let apps: Vec<domain::Application> = demo::applications(&spec, &region, n).collect();
    common::put(&mut store, &apps).unwrap();
    store
}

#[test]
fn a_fresh_database_gets_every_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let versions: Vec<i64> = conn
        .prepare("SELECT version FROM schema_migration ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        versions,
        MIGRATIONS.iter().map(|m| m.version).collect::<Vec<_>>()
    );
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn an_older_schema_is_upgraded_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    {
        // 0001 and the columns today's writes need (0010's notify_channel, 0016's lists
        // of documents).
        let first: Vec<_> = MIGRATIONS
            .iter()
            .copied()
            .filter(|m| [1, 10, 16].contains(&m.version))
            .collect();
        let mut old = Store::open_with(&path, &first).unwrap();
        let spec = spec();
        let region = demo::region(&spec);
        let apps: Vec<_> = demo::applications(&spec, &region, 50).collect();
        old.put_applications(apps.iter().map(|a| (a, &[][..])))
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let counts = store.status_counts().unwrap();
    assert_eq!(
        counts.all(),
        50,
        "0002 counted the rows that were already there"
    );
    let rows = store
        .journal(&JournalFilter {
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 50);
}

#[test]
fn an_edited_landed_migration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(Store::open(&path).unwrap());
    let mut edited: Vec<Migration> = MIGRATIONS.to_vec();
    edited[0].sql = "CREATE TABLE x(y);";
    let err = Store::open_with(&path, &edited).unwrap_err();
    assert_eq!(err.code(), "DB_MIGRATION_EDITED");
    assert!(matches!(err, Error::MigrationEdited { version: 1, .. }));
}

#[test]
fn a_database_from_a_newer_app_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute("INSERT INTO schema_migration(version, name, checksum) VALUES (99, '0099_future.sql', 'x')", []).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "DB_NEWER_THAN_APP");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is not touched"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        (
            "text.sqlite",
            b"these are a clerk's notes, not a database".to_vec(),
        ),
        ("garbage.sqlite", vec![0xAB; 8192]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &content).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert_eq!(err.code(), "DB_NOT_A_DATABASE", "{name}");
        assert_eq!(std::fs::read(&path).unwrap(), content, "{name} untouched");
    }
}

#[test]
fn a_damaged_database_page_is_reported_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    drop(filled(&dir, 300));
    // Checkpoint the WAL into the main file, then damage pages after the header.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    let half = bytes.len() / 2;
    for b in bytes.iter_mut().skip(4096).take(half) {
        *b = 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    let result = Store::open(&path).and_then(|s| {
        s.journal(&JournalFilter {
            limit: 1000,
            ..Default::default()
        })
    });
    let err = result.unwrap_err();
    assert_eq!(err.code(), "DB_CORRUPT", "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the damaged file is left as it was"
    );
}

#[test]
fn search_finds_by_surname_prefix_iin_and_number() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(&dir, 400);
    let all = store
        .journal(&JournalFilter {
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 400);
    let target = &all[123];

    let by_iin = store
        .journal(&JournalFilter {
            search: SearchTerm::parse(&target.child_iin),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(by_iin.iter().all(|r| r.child_iin == target.child_iin));
    assert!(by_iin.iter().any(|r| r.id == target.id));

    let by_number = store
        .journal(&JournalFilter {
            search: SearchTerm::parse(&target.number),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0].id, target.id);

    // Upper-case Kazakh/Russian prefix of the surname finds the row: case-insensitive.
    let surname = target.child_name.split(' ').next().unwrap();
    let prefix: String = surname.chars().take(3).collect::<String>().to_uppercase();
    let by_name = store
        .journal(&JournalFilter {
            search: SearchTerm::parse(&prefix),
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    assert!(
        by_name.iter().any(|r| r.id == target.id),
        "{prefix} finds {}",
        target.child_name
    );
    let key = domain::search_key(&prefix);
    assert!(
        by_name
            .iter()
            .all(|r| domain::search_key(&r.child_name).starts_with(&key))
    );
}

#[test]
fn keyset_pages_cover_every_row_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(&dir, 250);
    for sort in [
        JournalSort::SubmittedDesc,
        JournalSort::SubmittedAsc,
        JournalSort::ChildName,
    ] {
        let mut seen = Vec::new();
        let mut after = None;
        for _ in 0..100 {
            let page = store
                .journal(&JournalFilter {
                    sort,
                    after: after.clone(),
                    limit: 37,
                    ..Default::default()
                })
                .unwrap();
            after = page.last().map(|r| r.keyset.clone());
            let done = page.len() < 37;
            seen.extend(page);
            if done {
                break;
            }
        }
        assert_eq!(seen.len(), 250, "{sort:?}");
        let ids: std::collections::BTreeSet<_> = seen.iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids.len(), 250, "{sort:?}: no row twice");
        let keys: Vec<(String, String)> = seen
            .iter()
            .map(|r| (r.keyset.key.clone(), r.id.clone()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        if sort == JournalSort::SubmittedDesc {
            sorted.reverse();
        }
        assert_eq!(keys, sorted, "{sort:?}");
    }
}

#[test]
fn search_results_page_in_the_order_of_what_was_searched() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(&dir, 300);
    for text in ["а", "к", "20", "2026-000"] {
        let term = SearchTerm::parse(text);
        let all = store
            .journal(&JournalFilter {
                search: term.clone(),
                limit: 1000,
                ..Default::default()
            })
            .unwrap();
        assert!(!all.is_empty(), "{text}");
        let mut paged = Vec::new();
        let mut after = None;
        for _ in 0..100 {
            let page = store
                .journal(&JournalFilter {
                    search: term.clone(),
                    after: after.clone(),
                    limit: 7,
                    ..Default::default()
                })
                .unwrap();
            after = page.last().map(|r| r.keyset.clone());
            let done = page.len() < 7;
            paged.extend(page);
            if done {
                break;
            }
        }
        assert_eq!(
            paged, all,
            "{text}: pages join up to the whole result, once each"
        );
        let keys: Vec<(String, String)> = all
            .iter()
            .map(|r| (r.keyset.key.clone(), r.id.clone()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{text}: ascending by the searched column");
    }
}

#[test]
fn filters_and_counts_agree() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(&dir, 300);
    let counts = store.status_counts().unwrap();
    assert_eq!(counts.all(), 300);
    for (status, expected) in [
        (Status::New, counts.new),
        (Status::UnderReview, counts.under_review),
        (Status::Accepted, counts.accepted),
        (Status::Rejected, counts.rejected),
        (Status::Withdrawn, counts.withdrawn),
    ] {
        let f = JournalFilter {
            status: Some(status),
            limit: 1000,
            ..Default::default()
        };
        let rows = store.journal(&f).unwrap();
        assert_eq!(rows.len() as u64, expected, "{status:?}");
        assert_eq!(store.journal_count(&f).unwrap(), expected);
        assert!(rows.iter().all(|r| r.status == status));
    }
    let kk = store
        .journal(&JournalFilter {
            language: Some(domain::InstructionLanguage::Kk),
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    assert!(!kk.is_empty() && kk.iter().all(|r| r.language == "kk"));
    let day = time::macros::date!(2026 - 04 - 15);
    let one_day = store
        .journal(&JournalFilter {
            submitted_from: Some(day),
            submitted_to: Some(day),
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    assert!(
        one_day
            .iter()
            .all(|r| domain::office_day(r.submitted_at) == day)
    );
}

#[test]
fn a_local_action_writes_change_history_and_outbox_together() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = filled(&dir, 20);
    let app = common::first_new_accepted(&store);
    let row_id = app.id.0.clone();
    assert_eq!(store.application(&row_id).unwrap().1, SyncMark::None);
    let action = common::acceptance(&app, "key-1");
    store.record_local_action(&action).unwrap();
    let (after, mark, _) = store.application(&row_id).unwrap();
    assert_eq!(after.status, Status::Accepted);
    assert_eq!(mark, SyncMark::Waiting);
    assert_eq!(
        store.history(&row_id).unwrap().last().unwrap().kind,
        "accepted"
    );
    let outbox = store.pending_outbox(10).unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].idempotency_key, "key-1");
    assert_eq!(store.status_counts().unwrap().waiting, 1);

    // The same idempotency key twice: the whole action is refused, nothing half-written.
    let mut again = app.clone();
    again.status = Status::Rejected;
    let duplicate = LocalAction {
        application: &again,
        ..action.clone()
    };
    assert!(store.record_local_action(&duplicate).is_err());
    let (unchanged, _, _) = store.application(&row_id).unwrap();
    assert_eq!(
        unchanged.status,
        Status::Accepted,
        "the change rolled back with the outbox entry"
    );
    assert_eq!(
        store
            .history(&row_id)
            .unwrap()
            .iter()
            .filter(|h| h.kind == "accepted")
            .count(),
        1
    );
}

#[test]
fn each_outbox_entry_names_its_clerk_and_is_pushed_only_for_them() {
    // Issue 16: several clerks on one desk; an entry waits for its own clerk's session.
    let dir = tempfile::tempdir().unwrap();
    let mut store = filled(&dir, 10);
    let rows = store
        .journal(&JournalFilter {
            limit: 2,
            ..Default::default()
        })
        .unwrap();
    let at = datetime!(2026-04-20 10:00 +05:00);
    for (row, (clerk, key)) in rows
        .iter()
        .zip([("900101300017", "key-a"), ("850505400018", "key-b")])
    {
        let (mut app, _, _) = store.application(&row.id).unwrap();
        app.status = app.status.apply(Action::Accept).unwrap();
        store
            .record_local_action(&LocalAction {
                application: &app,
                history: NewHistory {
                    at,
                    actor_iin: Some(clerk.into()),
                    actor_name: Some("Тестов Тест".into()),
                    kind: "accepted".into(),
                    details: serde_json::json!({"from": "new", "to": "accepted"}),
                },
                outbox: NewOutbox {
                    idempotency_key: key.into(),
                    kind: "decision".into(),
                    payload: serde_json::json!({"decision": "accept"}),
                    signature: None,
                    created_at: at,
                },
                attachments: vec![],
            })
            .unwrap();
    }
    let a = store.pending_outbox_of("900101300017", 10).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].idempotency_key, "key-a");
    assert_eq!(a[0].clerk_iin.as_deref(), Some("900101300017"));
    let b = store.pending_outbox_of("850505400018", 10).unwrap();
    assert_eq!(
        b.iter()
            .map(|e| e.idempotency_key.as_str())
            .collect::<Vec<_>>(),
        ["key-b"]
    );
    assert!(
        store
            .pending_outbox_of("880101300016", 10)
            .unwrap()
            .is_empty()
    );
    // Every entry still waits in the one outbox, in order, with its key.
    assert_eq!(store.pending_outbox(10).unwrap().len(), 2);
}

#[test]
fn history_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    drop(filled(&dir, 5));
    let conn = rusqlite::Connection::open(dir.path().join("journal.sqlite")).unwrap();
    assert!(
        conn.execute("UPDATE history SET kind = 'forged'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM history", []).is_err());
}

#[test]
fn applications_read_back_equal_to_what_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(&dir, 60);
    let spec = spec();
    let region = demo::region(&spec);
    for a in demo::applications(&spec, &region, 60) {
        let (back, _, _) = store.application(&a.id.0).unwrap();
        assert_eq!(back, a);
    }
}

/// A journal row's name and provisional mark, read from the covering indexes (migration
/// 0018: the name is one indexed expression, `provisional` is the number's), are the
/// application's own, in the date order and in an IIN search alike.
#[test]
fn a_journal_row_shows_the_name_and_number_of_its_application() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("journal.sqlite")).unwrap();
    let spec = spec();
    let region = demo::region(&spec);
    let mut apps: Vec<domain::Application> = demo::applications(&spec, &region, 40).collect();
    for (i, a) in apps.iter_mut().enumerate() {
        if i % 3 == 0 {
            a.child.name.patronymic = None;
        }
        if i % 4 == 0 {
            a.number = domain::ApplicationNumber::Provisional {
                year: 2026,
                seq: u32::try_from(i + 1).unwrap(),
            };
        }
    }
    common::put(&mut store, &apps).unwrap();
    let check = |row: &store::JournalRow| {
        let a = apps.iter().find(|a| a.id.0 == row.id).unwrap();
        assert_eq!(row.child_name, a.child.name.display(), "{}", row.id);
        assert_eq!(row.number, a.number.to_string());
        assert_eq!(row.provisional, a.number.is_provisional(), "{}", row.number);
    };
    let by_date = store
        .journal(&JournalFilter {
            limit: 1000,
            ..JournalFilter::default()
        })
        .unwrap();
    assert_eq!(by_date.len(), apps.len());
    by_date.iter().for_each(check);
    assert!(by_date.iter().any(|r| r.provisional) && by_date.iter().any(|r| !r.provisional));
    for a in &apps {
        let found = store
            .journal(&JournalFilter {
                search: Some(SearchTerm::IinPrefix(a.child.iin.to_string())),
                limit: 10,
                ..JournalFilter::default()
            })
            .unwrap();
        assert!(found.iter().any(|r| r.id == a.id.0), "{}", a.id.0);
        found.iter().for_each(check);
    }
}
