//! Issue 15 (docs/bad-input.md, «a full disk»): the encrypted journal on a really full
//! filesystem (`store::testkit::SmallDisk`, a tmpfs the test mounts). A write that does not fit is refused with `DB_DISK_FULL`, its
//! transaction rolls back whole, the journal stays readable and intact, and the same
//! write goes through once there is room again.
#![allow(clippy::unwrap_used)]

use domain::{Action, Status};
use std::path::Path;
use store::testkit::SmallDisk;
use store::{JournalFilter, JournalKey, LocalAction, NewHistory, NewOutbox, Store};
use time::macros::datetime;
use zeroize::Zeroizing;

fn key() -> JournalKey {
    JournalKey::from_bytes(Zeroizing::new([7u8; 32]))
}

fn submitted(a: &domain::Application) -> Vec<NewHistory> {
    vec![NewHistory {
        at: a.submitted_at,
        actor_iin: Some(a.applicant.iin.to_string()),
        actor_name: None,
        kind: "submitted".into(),
        details: serde_json::json!({}),
    }]
}

fn put(store: &mut Store, apps: &[domain::Application]) -> Result<usize, store::Error> {
    let history: Vec<Vec<NewHistory>> = apps.iter().map(submitted).collect();
    store.put_applications(apps.iter().zip(history.iter().map(Vec::as_slice)))
}

fn count(store: &Store) -> u64 {
    store
        .journal_count(&JournalFilter {
            limit: 0,
            ..Default::default()
        })
        .unwrap()
}

fn acceptance<'a>(app: &'a domain::Application, key: &str) -> LocalAction<'a> {
    let at = datetime!(2026-04-20 10:00 +05:00);
    LocalAction {
        application: app,
        history: NewHistory {
            at,
            actor_iin: Some("900101300017".into()),
            actor_name: Some("Тестов Тест".into()),
            kind: "accepted".into(),
            details: serde_json::json!({"from": "new", "to": "accepted"}),
        },
        outbox: NewOutbox {
            idempotency_key: key.into(),
            kind: "decision".into(),
            payload: serde_json::json!({"decision": "accept"}),
            signature: Some(vec![1, 2, 3]),
            created_at: at,
        },
        attachments: vec![],
    }
}

fn reopen(path: &Path) -> Store {
    Store::open_encrypted(path, &key()).unwrap()
}

#[test]
fn a_full_disk_refuses_the_write_whole_and_keeps_the_journal_as_it_was() {
    let disk = SmallDisk::mount(64);
    let path = disk.path().join("journal.sqlite");
    let spec = demo::RegionSpec::default();
    let region = demo::region(&spec);
    let apps: Vec<domain::Application> = demo::applications(&spec, &region, 3_000).collect();
    let (first, page) = apps.split_at(200);

    let mut store = Store::open_encrypted(&path, &key()).unwrap();
    put(&mut store, first).unwrap();
    assert_eq!(count(&store), 200);
    let filler = disk.fill();

    // A pulled page of 2 800 applications does not fit: refused with its code, nothing of
    // it in the journal.
    let e = put(&mut store, page).unwrap_err();
    assert_eq!(e.code(), "DB_DISK_FULL", "{e:?}");
    assert_eq!(
        count(&store),
        200,
        "the page's transaction rolled back whole"
    );

    // A clerk's decision on the full disk: the change, its history and its outbox entry
    // go together or not at all.
    let row = store
        .journal(&JournalFilter {
            status: Some(Status::New),
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    let (mut app, _, _) = store.application(&row.id).unwrap();
    let before = store.history(&row.id).unwrap().len();
    app.status = app.status.apply(Action::Accept).unwrap();
    let e = store
        .record_local_action(&acceptance(&app, "full-1"))
        .unwrap_err();
    assert_eq!(e.code(), "DB_DISK_FULL", "{e:?}");
    assert_eq!(store.application(&row.id).unwrap().0.status, Status::New);
    assert_eq!(store.history(&row.id).unwrap().len(), before);
    assert!(store.pending_outbox(10).unwrap().is_empty());
    drop(store);

    // Opened again on the still full disk (a new WAL needs room): it either opens with
    // what it held or says the disk is full — never a damaged or emptied journal.
    match Store::open_encrypted(&path, &key()) {
        Ok(store) => assert_eq!(count(&store), 200),
        Err(e) => assert_eq!(e.code(), "DB_DISK_FULL", "{e:?}"),
    }

    // Room again: the journal opens with what it held and the same page goes in.
    std::fs::remove_file(&filler).unwrap();
    let mut store = reopen(&path);
    assert_eq!(count(&store), 200);
    put(&mut store, page).unwrap();
    assert_eq!(count(&store), 3_000);
    store
        .record_local_action(&acceptance(&app, "full-1"))
        .unwrap();
    assert_eq!(
        store.application(&row.id).unwrap().0.status,
        Status::Accepted
    );
    assert_eq!(store.pending_outbox(10).unwrap().len(), 1);
}
