//! Issue 15 (docs/bad-input.md, «a full disk»): the encrypted journal on a really full
//! filesystem (`store::testkit::SmallDisk`, a tmpfs the test mounts). A write that does not fit is refused with `DB_DISK_FULL`, its
//! transaction rolls back whole, the journal stays readable and intact, and the same
//! write goes through once there is room again.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{acceptance, count, first_new_accepted, put};
use domain::Status;
use std::path::Path;
use store::testkit::SmallDisk;
use store::{JournalKey, Store};
use zeroize::Zeroizing;

fn key() -> JournalKey {
    JournalKey::from_bytes(Zeroizing::new([7u8; 32]))
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
    let app = first_new_accepted(&store);
    let before = store.history(&app.id.0).unwrap().len();
    let e = store
        .record_local_action(&acceptance(&app, "full-1"))
        .unwrap_err();
    assert_eq!(e.code(), "DB_DISK_FULL", "{e:?}");
    assert_eq!(store.application(&app.id.0).unwrap().0.status, Status::New);
    assert_eq!(store.history(&app.id.0).unwrap().len(), before);
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
        store.application(&app.id.0).unwrap().0.status,
        Status::Accepted
    );
    assert_eq!(store.pending_outbox(10).unwrap().len(), 1);
}
