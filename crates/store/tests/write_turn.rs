//! A clerk's decisions while the sync loop writes back to back (issue 12, R-33: a
//! decision is one transaction, and it must not fail because the journal syncs).
//!
//! The sync loop's connection commits a pulled page and begins the next at once, for
//! the whole test; the window's connection of the same encrypted journal makes its
//! decisions meanwhile. Both connections are set to never wait at SQLite's lock (a busy
//! timeout of zero): a write that finds it taken fails at once. With the journal's write
//! turn every decision waits for the sync loop's current page and then finds the lock
//! free, so all of them succeed whatever the scheduling; without it (the same test with
//! `testkit::as_if_another_process`) nearly every decision fails (status: gate.md).
//! Real SQLCipher file, no sleeps, nothing timed; the sync loop stops when the window is
//! done.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::Path;
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use store::{PulledApplication, Store, testkit};
use time::macros::datetime;

/// The clerk's decisions, one transaction each.
const DECISIONS: usize = 40;
/// Applications of a pulled page.
const PAGE: usize = 20;
/// Distinct pages a first pull inserts before the loop writes them again.
const PAGES: usize = 30;

fn pulled(apps: &[domain::Application]) -> Vec<PulledApplication> {
    apps.iter()
        .map(|a| PulledApplication {
            application: a.clone(),
            portal_json: "{}".into(),
        })
        .collect()
}

/// The sync loop: the pages of a first pull, then the same pages written again, back to
/// back, from the moment the window may start until it is done. Returns the pages
/// written.
fn sync_loop(
    store: &mut Store,
    pages: &[Vec<domain::Application>],
    started: &Barrier,
    done: &AtomicBool,
) -> usize {
    let now = datetime!(2026-04-01 09:00 +05:00);
    let first: Vec<Vec<PulledApplication>> = pages.iter().map(|p| pulled(p)).collect();
    let mut written = 0;
    loop {
        match first.get(written) {
            Some(page) => {
                store
                    .apply_first_pull_page(page, &[], &format!("page-{written:03}"), now)
                    .unwrap();
            }
            None => {
                common::put(store, &pages[written % pages.len()]).unwrap();
            }
        }
        written += 1;
        if written == 1 {
            started.wait();
        }
        if done.load(Ordering::Acquire) {
            return written;
        }
    }
}

/// The window: the clerk accepts each of `decided`, one local action each. Returns the
/// failures.
fn window(store: &mut Store, decided: &[domain::Application], started: &Barrier) -> Vec<String> {
    started.wait();
    decided
        .iter()
        .enumerate()
        .filter_map(|(n, a)| {
            let mut a = a.clone();
            a.status = domain::Status::Accepted;
            store
                .record_local_action(&common::acceptance(&a, &format!("decision-{n}")))
                .err()
                .map(|e| format!("decision {n}: {e}"))
        })
        .collect()
}

/// The journal at `path` with `decided` in it, and the two connections of one process,
/// neither waiting at SQLite's lock.
fn connections(path: &Path, decided: &[domain::Application]) -> (Store, Store) {
    let key = common::key(0x42);
    let mut sync = Store::open_encrypted(path, &key).unwrap();
    common::put(&mut sync, decided).unwrap();
    let window = Store::open_encrypted(path, &key).unwrap();
    testkit::sqlite_busy_timeout(&sync, Duration::ZERO);
    testkit::sqlite_busy_timeout(&window, Duration::ZERO);
    (sync, window)
}

#[test]
fn every_decision_made_while_the_sync_loop_commits_back_to_back_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let apps = common::demo_apps((DECISIONS + PAGE * PAGES) as u64);
    let (decided, new) = apps.split_at(DECISIONS);
    let pages: Vec<Vec<domain::Application>> = new.chunks(PAGE).map(<[_]>::to_vec).collect();
    let (mut sync, mut window_store) = connections(&path, decided);

    let (started, done) = (Barrier::new(2), AtomicBool::new(false));
    let (written, failed) = std::thread::scope(|s| {
        let sync = s.spawn(|| sync_loop(&mut sync, &pages, &started, &done));
        let failed = window(&mut window_store, decided, &started);
        done.store(true, Ordering::Release);
        (sync.join().unwrap(), failed)
    });

    assert_eq!(failed, Vec::<String>::new());
    assert!(written >= 1);
    let store = Store::open_encrypted(&path, &common::key(0x42)).unwrap();
    assert_eq!(store.outbox_counts().unwrap().pending as usize, DECISIONS);
    assert_eq!(
        common::count(&store) as usize,
        apps.len().min(DECISIONS + PAGE * written)
    );
    assert!(matches!(
        store.verify_history().unwrap(),
        store::HistoryCheck::Intact { .. }
    ));
}
