//! The window's connection and the sync loop's write the same encrypted WAL journal
//! (issue 12): a transaction that reads before it writes begins `IMMEDIATE`, so when both
//! run at once one waits for the other's write lock instead of failing with
//! `SQLITE_BUSY` / `SQLITE_BUSY_SNAPSHOT` (which a deferred transaction gets at its first
//! write once it has read: SQLite never lets it wait). Real SQLCipher file, two `Store`s
//! on two threads, every call made to succeed; no sleeps, nothing timed. (With the
//! deferred transactions this test failed in 10 runs of 10, at the first overlap.)
#![allow(clippy::unwrap_used)]

mod common;

use domain::Iin;
use std::path::Path;
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, Ordering};
use store::{DraftDocument, JournalKey, Store};
use time::macros::datetime;
use zeroize::Zeroizing;

/// The window's rounds (at least; it goes on while the sync loop runs), and the sync
/// loop's pages of `PAGE` applications.
const ROUNDS: usize = 60;
const PAGES: usize = 100;
const PAGE: usize = 20;

fn key() -> JournalKey {
    JournalKey::from_bytes(Zeroizing::new([0x42; 32]))
}

fn clerk(n: usize) -> Iin {
    Iin::parse(["900101300017", "950615400017"][n]).unwrap()
}

fn document(handle: String, n: usize) -> DraftDocument {
    DraftDocument {
        handle,
        file_name: format!("scan-{n}.pdf"),
        content: vec![n as u8; 2048],
        reduced_from: None,
        readable_confirmed: false,
    }
}

/// A read-then-write transaction of each kind this crate has, as connection `n` does
/// them: a draft's documents pruned (`delete_draft_documents_except`) and the register's
/// differences noted on a held entry (`note_hold`). Returns the handle kept.
fn read_then_write(store: &mut Store, n: usize, held: i64, round: usize) -> String {
    let who = clerk(n);
    let at = datetime!(2026-04-01 09:00 +05:00);
    let keep = format!("keep-{round}");
    store
        .put_draft_document(&who, &document(keep.clone(), round), at)
        .unwrap();
    store
        .put_draft_document(&who, &document(format!("drop-{round}"), round), at)
        .unwrap();
    let gone = store
        .delete_draft_documents_except(&who, &[keep.as_str()])
        .unwrap();
    assert_eq!(gone, if round == 0 { 1 } else { 2 }, "{n}: round {round}");
    let details = serde_json::json!({"desk": n, "round": round});
    store
        .note_hold(
            held,
            store::REGISTER_UNCHECKED,
            &details,
            "REGISTER_DIFFERS",
            "differs",
            at,
        )
        .unwrap();
    keep
}

/// The window: the clerk's read-then-write work, and the journal opened again now and
/// then (the migrations' check reads, then writes `user_version`). Both connections are
/// opened at once, as the window and the sync loop are at start.
fn window(path: &Path, held: i64, start: &Barrier, synced: &AtomicBool) -> (String, usize) {
    start.wait();
    let mut store = Store::open_encrypted(path, &key()).unwrap();
    let mut kept = String::new();
    let mut round = 0;
    while round < ROUNDS || !synced.load(Ordering::Acquire) {
        kept = read_then_write(&mut store, 1, held, round);
        if round % 10 == 0 {
            drop(Store::open_encrypted(path, &key()).unwrap());
        }
        round += 1;
    }
    (kept, round)
}

/// The sync loop: long write transactions (a pulled page each), and read-then-write
/// work of its own between them.
fn sync_loop(
    path: &Path,
    held: i64,
    pages: &[Vec<domain::Application>],
    start: &Barrier,
    synced: &AtomicBool,
) -> (String, usize) {
    start.wait();
    let _ended = Ended(synced);
    let mut store = Store::open_encrypted(path, &key()).unwrap();
    let mut kept = String::new();
    for (round, page) in pages.iter().enumerate() {
        assert_eq!(common::put(&mut store, page).unwrap(), page.len());
        kept = read_then_write(&mut store, 0, held, round);
    }
    (kept, pages.len())
}

/// Tells the window that the sync loop ended, however it ended.
struct Ended<'a>(&'a AtomicBool);

impl Drop for Ended<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

#[test]
fn two_connections_reading_then_writing_at_once_both_succeed_one_waiting_for_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let spec = demo::RegionSpec::default();
    let region = demo::region(&spec);
    let mut apps = demo::applications(&spec, &region, (2 + PAGE * PAGES) as u64);
    let first: Vec<domain::Application> = apps.by_ref().take(2).collect();
    let pages: Vec<Vec<domain::Application>> = (0..PAGES)
        .map(|_| apps.by_ref().take(PAGE).collect())
        .collect();
    // Two held entries, one for each connection's register notes.
    let held: Vec<i64> = {
        let mut store = Store::open_encrypted(&path, &key()).unwrap();
        common::put(&mut store, &first).unwrap();
        first
            .iter()
            .enumerate()
            .map(|(n, a)| {
                let mut a = a.clone();
                a.status = domain::Status::Accepted;
                store
                    .record_local_action_after(
                        &common::acceptance(&a, &format!("held-{n}")),
                        &[],
                        &[store::REGISTER_UNCHECKED],
                    )
                    .unwrap()
            })
            .collect()
    };

    let (start, synced) = (Barrier::new(2), AtomicBool::new(false));
    let done: Vec<(String, usize)> = std::thread::scope(|s| {
        let sync = s.spawn(|| sync_loop(&path, held[0], &pages, &start, &synced));
        let window = s.spawn(|| window(&path, held[1], &start, &synced));
        vec![sync.join().unwrap(), window.join().unwrap()]
    });

    // Nothing lost and nothing half-written: every page is in, each connection's last
    // kept document is all that remains of its draft, each held entry carries its
    // connection's last note, and the history got one entry per note.
    let store = Store::open_encrypted(&path, &key()).unwrap();
    let all = store
        .journal_count(&store::JournalFilter::default())
        .unwrap();
    assert_eq!(all, (2 + PAGE * PAGES) as u64);
    let holds = store.open_holds_for(store::REGISTER_UNCHECKED).unwrap();
    for (n, (kept, rounds)) in done.iter().enumerate() {
        let handles: Vec<String> = store
            .draft_documents(&clerk(n))
            .unwrap()
            .into_iter()
            .map(|d| d.handle)
            .collect();
        assert_eq!(handles, std::slice::from_ref(kept));
        let hold = holds.iter().find(|h| h.seq == held[n]).unwrap();
        assert_eq!(
            hold.details,
            Some(serde_json::json!({"desk": n, "round": rounds - 1}))
        );
        let notes = store
            .history(&hold.application_id)
            .unwrap()
            .into_iter()
            .filter(|h| h.kind == "register_differs")
            .count();
        assert_eq!(notes, *rounds);
    }
    assert!(
        matches!(
            store.verify_history().unwrap(),
            store::HistoryCheck::Intact { .. }
        ),
        "the history chain holds"
    );
}
