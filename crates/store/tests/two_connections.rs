//! The window's connection and the sync loop's write the same encrypted WAL journal
//! (issue 12): a transaction that reads before it writes begins `IMMEDIATE`, so when both
//! run at once one waits for the other's write lock instead of failing with
//! `SQLITE_BUSY` / `SQLITE_BUSY_SNAPSHOT` (which a deferred transaction gets at its first
//! write once it has read: SQLite never lets it wait). Real SQLCipher file, two `Store`s
//! on two threads, every call made to succeed; no sleeps, nothing timed. (With the
//! deferred transactions this test failed in 10 runs of 10, at the first overlap.) The
//! waiting is the journal's write turn's, in the order asked (store/src/write_turn.rs):
//! with SQLite's polling waiter alone a connection could miss the other's gaps for its
//! whole busy timeout (3 runs of 10 failed under load); `write_turn.rs` tests that.
#![allow(clippy::unwrap_used)]

use crate::common;

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

// Each path of the sync engine and the window that reads before it writes, raced on its
// own (issue 12): the two connections start every round together (a barrier per round,
// not a sleep), so their transactions overlap from the first round. With a deferred
// transaction each case fails: the path reads, the other connection takes the write
// lock, and the path's first write is `SQLITE_BUSY` at once (with the deferred
// transactions of before, each of these failed in 10 runs of 10). The barrier also
// keeps the race fair: one transaction a round each, so neither connection can take the
// lock back before the other had it.

/// Rounds of each race.
const RACE: usize = 40;

const NOW: time::OffsetDateTime = datetime!(2026-04-01 09:00 +05:00);

/// What one connection does in round `r` of a race.
type Call<'a> = &'a (dyn Fn(&mut Store, usize) -> Result<(), store::Error> + Sync);

/// Connections 0 and 1 on `path` make their call of each of `RACE` rounds, released
/// together at every round. A failure is kept, not panicked on (the other connection
/// would wait at the barrier for ever); returns them all.
fn race(path: &Path, calls: [Call<'_>; 2]) -> Vec<String> {
    let round = Barrier::new(2);
    std::thread::scope(|s| {
        let runs: Vec<_> = calls
            .into_iter()
            .enumerate()
            .map(|(n, call)| {
                let round = &round;
                s.spawn(move || {
                    let mut store = Store::open_encrypted(path, &key());
                    let mut failed = Vec::new();
                    for r in 0..RACE {
                        round.wait();
                        let done = match &mut store {
                            Ok(store) => call(store, r),
                            Err(_) => Ok(()),
                        };
                        if let Err(e) = done {
                            failed.push(format!("connection {n}, round {r}: {e}"));
                        }
                    }
                    if let Err(e) = store {
                        failed.push(format!("connection {n} did not open: {e}"));
                    }
                    failed
                })
            })
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    })
}

/// `n` demo applications, the first `written` of them in a fresh journal.
fn journal(n: usize, written: usize) -> (tempfile::TempDir, Vec<domain::Application>) {
    let dir = tempfile::tempdir().unwrap();
    let spec = demo::RegionSpec::default();
    let apps: Vec<_> = demo::applications(&spec, &demo::region(&spec), n as u64).collect();
    let mut store = Store::open_encrypted(&dir.path().join("journal.sqlite"), &key()).unwrap();
    common::put(&mut store, &apps[..written]).unwrap();
    (dir, apps)
}

/// The clerk accepts `a`: one local action.
fn accept(store: &mut Store, a: &domain::Application, key: &str) -> Result<i64, store::Error> {
    let mut a = a.clone();
    a.status = domain::Status::Accepted;
    store.record_local_action(&common::acceptance(&a, key))
}

fn pulled(apps: &[domain::Application]) -> Vec<store::PulledApplication> {
    apps.iter()
        .map(|a| store::PulledApplication {
            application: a.clone(),
            portal_json: "{}".into(),
        })
        .collect()
}

fn opened(dir: &tempfile::TempDir) -> Store {
    Store::open_encrypted(&dir.path().join("journal.sqlite"), &key()).unwrap()
}

fn intact(store: &Store) {
    assert!(
        matches!(
            store.verify_history().unwrap(),
            store::HistoryCheck::Intact { .. }
        ),
        "the history chain holds"
    );
}

#[test]
fn a_page_pulled_while_the_clerk_decides_is_applied_with_its_cursor() {
    const PAGE: usize = 10;
    let (dir, apps) = journal(RACE + RACE * PAGE, RACE);
    let (decided, new) = apps.split_at(RACE);
    let pages: Vec<_> = new.chunks(PAGE).map(pulled).collect();
    let sync = |store: &mut Store, r: usize| {
        store
            .apply_pulled_page(&pages[r], &[], &format!("page-{r:02}"), NOW)
            .map(drop)
    };
    let window =
        |store: &mut Store, r: usize| accept(store, &decided[r], &format!("d-{r}")).map(drop);
    let failed = race(&dir.path().join("journal.sqlite"), [&sync, &window]);
    assert_eq!(failed, Vec::<String>::new());

    let store = opened(&dir);
    let all = store
        .journal_count(&store::JournalFilter::default())
        .unwrap();
    assert_eq!(all as usize, apps.len());
    assert_eq!(
        store.sync_cursor().unwrap().as_deref(),
        Some(format!("page-{}", RACE - 1).as_str())
    );
    assert_eq!(store.outbox_counts().unwrap().pending as usize, RACE);
    intact(&store);
}

/// The sync loop marks answered entries (`mark`) while the clerk decides other
/// applications; returns the outbox's counts after.
fn marks_while_the_clerk_decides(
    mark: &(dyn Fn(&mut Store, i64) -> Result<(), store::Error> + Sync),
) -> store::OutboxCounts {
    let (dir, apps) = journal(2 * RACE, 2 * RACE);
    let (answered, decided) = apps.split_at(RACE);
    let seqs: Vec<i64> = {
        let mut store = opened(&dir);
        answered
            .iter()
            .enumerate()
            .map(|(r, a)| accept(&mut store, a, &format!("sent-{r}")).unwrap())
            .collect()
    };
    let sync = |store: &mut Store, r: usize| mark(store, seqs[r]);
    let window =
        |store: &mut Store, r: usize| accept(store, &decided[r], &format!("d-{r}")).map(drop);
    let failed = race(&dir.path().join("journal.sqlite"), [&sync, &window]);
    assert_eq!(failed, Vec::<String>::new());
    let store = opened(&dir);
    intact(&store);
    store.outbox_counts().unwrap()
}

#[test]
fn answers_marked_sent_while_the_clerk_decides_are_all_kept() {
    let counts = marks_while_the_clerk_decides(&|store, seq| {
        let answer = store::SentAnswer {
            response_json: "{}",
            application: None,
            unreadable: false,
        };
        store.mark_sent_batch(&[(seq, answer)], NOW)
    });
    assert_eq!((counts.pending, counts.sent), (RACE as u64, RACE as u64));
}

#[test]
fn refusals_marked_while_the_clerk_decides_are_all_kept() {
    let counts = marks_while_the_clerk_decides(&|store, seq| {
        let refusal = store::Refusal {
            code: "TRANSITION_NOT_ALLOWED",
            message: "not allowed",
            response_json: "{}",
            current: None,
        };
        store.mark_refused(seq, &refusal, NOW)
    });
    assert_eq!((counts.pending, counts.refused), (RACE as u64, RACE as u64));
}

#[test]
fn provisional_numbers_taken_while_the_sync_loop_writes_never_repeat() {
    let (dir, _) = journal(0, 0);
    let taken = std::sync::Mutex::new(Vec::new());
    let sync = |store: &mut Store, r: usize| {
        let district = (format!("district-{r}"), "аудан".into(), "район".into());
        store.put_reference(&store::Reference {
            districts: vec![district],
            ..Default::default()
        })
    };
    let window = |store: &mut Store, _: usize| {
        taken.lock().unwrap().push(store.next_provisional_seq()?);
        Ok(())
    };
    let failed = race(&dir.path().join("journal.sqlite"), [&sync, &window]);
    assert_eq!(failed, Vec::<String>::new());
    let expected: Vec<u32> = (1..=RACE as u32).collect();
    assert_eq!(taken.into_inner().unwrap(), expected);
    assert_eq!(opened(&dir).districts().unwrap().len(), RACE);
}

/// Two sync loops on one journal (the window's and `qabyldau sync --db`): one applies
/// pages, the other retries the quarantine at its round's start.
#[test]
fn a_quarantine_retried_while_pages_are_applied_never_moves_the_cursor_back() {
    const PAGE: usize = 5;
    let (dir, apps) = journal(RACE * PAGE, 0);
    let pages: Vec<_> = apps.chunks(PAGE).map(pulled).collect();
    let pull = |store: &mut Store, r: usize| {
        store
            .apply_pulled_page(&pages[r], &[], &format!("page-{r:02}"), NOW)
            .map(drop)
    };
    let retry = |store: &mut Store, r: usize| {
        let unreadable = store::Unreadable {
            portal_id: format!("sha256:{r:02}"),
            raw: "{\"id\":".into(),
            error: "EOF".into(),
            app_version: "0.1.0".into(),
        };
        store.retry_quarantine(&[], &[unreadable], NOW).map(drop)
    };
    let failed = race(&dir.path().join("journal.sqlite"), [&pull, &retry]);
    assert_eq!(failed, Vec::<String>::new());
    let store = opened(&dir);
    assert_eq!(
        store.sync_cursor().unwrap().as_deref(),
        Some(format!("page-{}", RACE - 1).as_str())
    );
    assert_eq!(store.quarantined_count().unwrap() as usize, RACE);
    intact(&store);
}
