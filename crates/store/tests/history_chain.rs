//! Issue 15, R-5: the history is a SHA-256 chain; an edit made around the app (raw SQL
//! with the append-only triggers dropped) is found at the entry it touched.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use store::{ChainFault, HistoryCheck, MIGRATIONS, NewHistory, Store};

fn spec() -> demo::RegionSpec {
    demo::RegionSpec::default()
}

/// A journal of `n` applications with two history entries each.
fn filled(path: &std::path::Path, n: u64) -> Store {
    let mut store = Store::open(path).unwrap();
    let spec = spec();
    let region = demo::region(&spec);
    let apps: Vec<domain::Application> = demo::applications(&spec, &region, n).collect();
    let history: Vec<Vec<NewHistory>> = apps
        .iter()
        .map(|a| {
            vec![
                NewHistory {
                    at: a.submitted_at,
                    actor_iin: Some(a.applicant.iin.to_string()),
                    actor_name: None,
                    kind: "submitted".into(),
                    details: serde_json::json!({}),
                },
                NewHistory {
                    at: a.submitted_at,
                    actor_iin: None,
                    actor_name: Some("Портал".into()),
                    kind: "status".into(),
                    details: serde_json::json!({ "to": "new" }),
                },
            ]
        })
        .collect();
    store
        .put_applications(apps.iter().zip(history.iter().map(Vec::as_slice)))
        .unwrap();
    store
}

/// A raw connection with the append-only triggers dropped: what someone editing the
/// file with sqlite3 can do.
fn tamper(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER history_is_append_only_update;
         DROP TRIGGER history_is_append_only_delete;
         DROP TRIGGER history_entry_is_chained;",
    )
    .unwrap();
    conn
}

fn ids(conn: &rusqlite::Connection) -> Vec<i64> {
    conn.prepare("SELECT id FROM history ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn an_untouched_history_is_intact_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(&dir.path().join("j.sqlite"), 3);
    let n = store.status_counts().unwrap().all() * 2;
    assert_eq!(
        store.verify_history().unwrap(),
        HistoryCheck::Intact { entries: n }
    );
}

#[test]
fn an_edited_entry_is_found_at_that_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(filled(&path, 4));
    let conn = tamper(&path);
    let all = ids(&conn);
    let target = all[5];
    let app: String = conn
        .query_row(
            "SELECT application_id FROM history WHERE id = ?1",
            [target],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE history SET details = '{\"to\":\"accepted\"}' WHERE id = ?1",
        [target],
    )
    .unwrap();
    drop(conn);
    let check = Store::open(&path).unwrap().verify_history().unwrap();
    assert_eq!(
        check,
        HistoryCheck::Broken {
            checked: 5,
            entry_id: target,
            application_id: app,
            kind: "status".into(),
            fault: ChainFault::ContentEdited,
        }
    );
}

#[test]
fn an_edit_with_its_content_hash_rewritten_breaks_the_link_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(filled(&path, 4));
    let conn = tamper(&path);
    let target = ids(&conn)[3];
    // The forger recomputes the content hash of the edited row (any value stands in for
    // it here: the chain hash no longer follows from it).
    conn.execute(
        "UPDATE history SET kind = 'forged', content_sha256 = chain_sha256 WHERE id = ?1",
        [target],
    )
    .unwrap();
    drop(conn);
    let check = Store::open(&path).unwrap().verify_history().unwrap();
    match check {
        HistoryCheck::Broken {
            entry_id,
            checked,
            fault,
            ..
        } => {
            assert_eq!(entry_id, target);
            assert_eq!(checked, 3);
            assert!(
                matches!(fault, ChainFault::ContentEdited | ChainFault::LinkBroken),
                "{fault:?}"
            );
        }
        other => panic!("not found: {other:?}"),
    }
}

#[test]
fn a_removed_entry_breaks_the_link_of_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(filled(&path, 4));
    let conn = tamper(&path);
    let all = ids(&conn);
    conn.execute("DELETE FROM history WHERE id = ?1", [all[4]])
        .unwrap();
    drop(conn);
    let check = Store::open(&path).unwrap().verify_history().unwrap();
    assert!(
        matches!(
            check,
            HistoryCheck::Broken { entry_id, checked: 4, fault: ChainFault::LinkBroken, .. }
                if entry_id == all[5]
        ),
        "{check:?}"
    );
}

#[test]
fn an_entry_written_around_the_app_without_hashes_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let store = filled(&path, 1);
    let n = store.status_counts().unwrap().all() * 2;
    drop(store);
    let conn = tamper(&path);
    conn.execute(
        "INSERT INTO history (application_id, at, kind) SELECT id, '2026-06-01T00:00:00Z', 'forged' FROM application LIMIT 1",
        [],
    )
    .unwrap();
    drop(conn);
    let check = Store::open(&path).unwrap().verify_history().unwrap();
    assert!(
        matches!(check, HistoryCheck::Broken { checked, fault: ChainFault::Missing, .. } if checked == n),
        "{check:?}"
    );
}

#[test]
fn the_triggers_still_refuse_edits_and_unhashed_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    drop(filled(&path, 1));
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(
        conn.execute("UPDATE history SET kind = 'forged'", [])
            .is_err()
    );
    assert!(
        conn.execute("UPDATE history SET content_sha256 = NULL", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM history", []).is_err());
    assert!(
        conn.execute(
            "INSERT INTO history (application_id, at, kind) SELECT id, '2026-06-01T00:00:00Z', 'forged' FROM application LIMIT 1",
            [],
        )
        .is_err()
    );
}

#[test]
fn rows_written_before_0009_get_their_chain_in_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    // Every migration but 0009: today's writes need the later columns (0010's
    // notify_channel), and 0009 is the one whose filling of old rows is tested.
    let before: Vec<_> = MIGRATIONS
        .iter()
        .copied()
        .filter(|m| m.version != 9)
        .collect();
    {
        let mut old = Store::open_with(&path, &before).unwrap();
        let spec = spec();
        let region = demo::region(&spec);
        let apps: Vec<_> = demo::applications(&spec, &region, 3).collect();
        old.put_applications(apps.iter().map(|a| (a, &[][..])))
            .unwrap();
    }
    {
        // History as an older app wrote it: no hash columns yet.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let n = conn
            .execute(
                "INSERT INTO history (application_id, at, actor_iin, kind, details)
                 SELECT id, submitted_at, applicant_iin, 'submitted', '{}' FROM application",
                [],
            )
            .unwrap();
        assert!(n > 0);
    }
    let store = Store::open(&path).unwrap();
    let n = store.status_counts().unwrap().all();
    assert_eq!(
        store.verify_history().unwrap(),
        HistoryCheck::Intact { entries: n }
    );
}
