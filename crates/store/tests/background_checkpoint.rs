//! A first pull's pages copied into the journal's file beside it (issue 12,
//! store::background_checkpoint): what the pull committed is in the main file, not only
//! in the WAL, when the copying stops, and the journal reads the same.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use crate::common;

use common::{count, demo_apps, key};
use store::{PulledApplication, Store};
use time::macros::datetime;

/// Pulls `n` applications as a first pull does, in pages of 50, indexes deferred and
/// built after; with the background copy when `beside`.
fn first_pull(store: &mut Store, n: u64, beside: bool) {
    store.defer_indexes().unwrap();
    if beside {
        store.start_background_checkpoints().unwrap();
    }
    let pulled: Vec<PulledApplication> = demo_apps(n)
        .into_iter()
        .map(|application| PulledApplication {
            application,
            portal_json: "{}".into(),
        })
        .collect();
    let now = datetime!(2026-04-01 09:00 UTC);
    for (i, page) in pulled.chunks(50).enumerate() {
        store
            .apply_first_pull_page(page, &[], &format!("page-{i}"), now)
            .unwrap();
    }
    store.build_deferred_indexes().unwrap();
    store.stop_background_checkpoints().unwrap();
}

/// The applications in the journal's main file alone, read from a copy without its WAL.
fn count_in_main_file(path: &std::path::Path) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("main-file-only.sqlite");
    std::fs::copy(path, &copy).unwrap();
    let store = Store::open_encrypted(&copy, &key(9)).unwrap();
    count(&store)
}

#[test]
fn the_pages_of_a_first_pull_are_in_the_main_file_when_the_copying_stops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut store = Store::open_encrypted(&path, &key(9)).unwrap();
    first_pull(&mut store, 300, true);
    assert_eq!(count(&store), 300);
    assert_eq!(count_in_main_file(&path), 300, "copied into the file");
    assert!(store.deferred_indexes().unwrap().is_empty());
    // The journal goes on as before: another connection writes and reads it.
    drop(store);
    let again = Store::open_encrypted(&path, &key(9)).unwrap();
    assert_eq!(count(&again), 300);
}

#[test]
fn without_the_background_copy_the_pages_wait_in_the_wal() {
    // The control of the test above: its pages (a few MB, under the automatic
    // checkpoint's 1 000 pages) stay in the WAL while the journal is open.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut store = Store::open_encrypted(&path, &key(9)).unwrap();
    first_pull(&mut store, 300, false);
    assert_eq!(count(&store), 300);
    assert_eq!(count_in_main_file(&path), 0, "still in the WAL");
}
