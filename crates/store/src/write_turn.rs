//! The write turn of one journal file (issue 12, R-33: a clerk's decision never fails
//! because the sync loop writes).
//!
//! The window and its sync worker are one process with two connections to one journal,
//! each writing in `BEGIN IMMEDIATE` transactions. SQLite lets a connection that finds
//! the write lock taken wait only by polling (its busy handler sleeps, backing off to
//! 100 ms); a sync loop that commits and begins its next transaction at once (a first
//! pull's pages back to back, an index build) leaves gaps of microseconds that the
//! polls keep missing, so the clerk's transaction ran out of its 5 s and failed "busy".
//!
//! Here every write of a journal first takes that journal's turn, in the order asked
//! (a queue of tickets on a `Mutex` and `Condvar`), and gives it back once its
//! transaction committed or rolled back. A writer that asks while another holds the
//! turn goes next when it is given back, ahead of the holder's next transaction, so it
//! waits for one transaction at most and then finds SQLite's lock free.
//!
//! - One turn per journal file, found by its canonical path (SQLite names the file's WAL
//!   by its path too); two journals never share one.
//! - Given back by [`Held`]'s `Drop`: after a commit, a rollback, an error, or a panic
//!   that unwinds through the transaction.
//! - Waiting is bounded ([`WAIT`]) and answers `SQLITE_BUSY` when exceeded, so
//!   [`crate::Error::is_busy`] says it, as it does for SQLite's own busy timeout; a waiter
//!   that gives up leaves the queue, and those behind it move up.
//! - A thread that holds a journal's turn and asks for it again (a second connection's
//!   transaction while its own is open) is answered busy at once: waiting would be for
//!   itself, and SQLite would answer busy after its timeout anyway.
//! - Other processes (`qabyldau sync --db` beside the window) do not see the turn; for
//!   them SQLite's lock and the busy handler remain (`cipher::fine_busy_wait`).

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// How long a writer waits for its turn. Generous: the wait is bounded by the
/// transactions ahead of it in the queue (one, normally), and an index build after a
/// first pull of 100 000 applications holds the turn for seconds.
pub(crate) const WAIT: Duration = Duration::from_secs(30);

/// The turn of one journal file, shared by every `Store` of the process on that file.
#[derive(Debug, Default)]
pub(crate) struct WriteTurn {
    queue: Mutex<Queue>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Queue {
    /// The next ticket given out.
    next: u64,
    /// The tickets waiting, in the order they were given.
    waiting: VecDeque<u64>,
    /// The thread whose transaction holds the turn.
    holder: Option<ThreadId>,
}

/// The turn, held; given back when dropped.
#[derive(Debug)]
pub(crate) struct Held {
    turn: Arc<WriteTurn>,
}

impl WriteTurn {
    /// The turn of the journal at `path` (which exists: the store opened or created it).
    pub(crate) fn of(path: &Path) -> Arc<WriteTurn> {
        static TURNS: OnceLock<Mutex<HashMap<PathBuf, Weak<WriteTurn>>>> = OnceLock::new();
        let key = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .unwrap_or_else(|_| path.to_path_buf());
        let mut turns = TURNS
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(turn) = turns.get(&key).and_then(Weak::upgrade) {
            return turn;
        }
        // The turns of journals no store has open any more go.
        turns.retain(|_, t| t.strong_count() > 0);
        let turn = Arc::new(WriteTurn::default());
        turns.insert(key, Arc::downgrade(&turn));
        turn
    }

    /// Waits for the turn, up to [`WAIT`].
    pub(crate) fn take(self: &Arc<Self>) -> rusqlite::Result<Held> {
        self.take_within(WAIT)
    }

    /// Waits for the turn, up to `bound`; past it, or when this thread holds the turn
    /// already, `SQLITE_BUSY`.
    pub(crate) fn take_within(self: &Arc<Self>, bound: Duration) -> rusqlite::Result<Held> {
        let me = std::thread::current().id();
        let mut q = self.lock();
        if q.holder == Some(me) {
            return Err(busy(
                "this thread's own transaction holds the journal's write turn",
            ));
        }
        let ticket = q.next;
        q.next += 1;
        q.waiting.push_back(ticket);
        self.changed.notify_all();
        let deadline = Instant::now() + bound;
        loop {
            if q.holder.is_none() && q.waiting.front() == Some(&ticket) {
                q.waiting.pop_front();
                q.holder = Some(me);
                return Ok(Held {
                    turn: Arc::clone(self),
                });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                q.waiting.retain(|t| *t != ticket);
                // The one behind may be first now.
                self.changed.notify_all();
                return Err(busy(&format!(
                    "waited {} s for the journal's write turn",
                    bound.as_secs()
                )));
            }
            q = self
                .changed
                .wait_timeout(q, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Nothing is done under this lock that could panic, so a poisoned one (never
    /// expected) holds a consistent queue and is used as it is.
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `n` writers wait for the turn (tests: "the other one is queued").
    #[cfg(test)]
    fn until_waiting(&self, n: usize) {
        let mut q = self.lock();
        while q.waiting.len() != n {
            q = self.changed.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.turn.lock().holder = None;
        self.turn.changed.notify_all();
    }
}

fn busy(why: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some(format!("journal busy: {why}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn journal(dir: &tempfile::TempDir, name: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, b"").unwrap();
        path
    }

    #[test]
    fn writers_take_the_turn_in_the_order_they_asked() {
        let dir = tempfile::tempdir().unwrap();
        let turn = WriteTurn::of(&journal(&dir, "journal.sqlite"));
        let first = turn.take().unwrap();
        let (order, taken) = mpsc::channel();
        std::thread::scope(|s| {
            for n in 0..4 {
                turn.until_waiting(n);
                let (turn, order) = (Arc::clone(&turn), order.clone());
                s.spawn(move || {
                    let held = turn.take().unwrap();
                    order.send(n).unwrap();
                    drop(held);
                });
            }
            turn.until_waiting(4);
            drop(first);
        });
        drop(order);
        assert_eq!(taken.iter().collect::<Vec<_>>(), [0, 1, 2, 3]);
    }

    #[test]
    fn a_writer_that_gives_the_turn_back_and_asks_again_goes_after_those_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let turn = WriteTurn::of(&journal(&dir, "journal.sqlite"));
        let held = turn.take().unwrap();
        let (order, taken) = mpsc::channel();
        std::thread::scope(|s| {
            let clerk = order.clone();
            let other = Arc::clone(&turn);
            s.spawn(move || {
                let _held = other.take().unwrap();
                clerk.send("clerk").unwrap();
            });
            turn.until_waiting(1);
            drop(held);
            let _again = turn.take().unwrap();
            order.send("sync").unwrap();
        });
        drop(order);
        assert_eq!(taken.iter().collect::<Vec<_>>(), ["clerk", "sync"]);
    }

    #[test]
    fn the_same_path_is_one_turn_and_two_journals_are_two() {
        let dir = tempfile::tempdir().unwrap();
        let a = journal(&dir, "a.sqlite");
        let b = journal(&dir, "b.sqlite");
        let same = dir.path().join(".").join("a.sqlite");
        assert!(Arc::ptr_eq(&WriteTurn::of(&a), &WriteTurn::of(&same)));
        let turn_a = WriteTurn::of(&a);
        let _held_a = turn_a.take().unwrap();
        // Another thread takes b's turn while a's is held, without waiting.
        std::thread::scope(|s| {
            s.spawn(|| WriteTurn::of(&b).take_within(Duration::ZERO).unwrap())
                .join()
                .unwrap();
        });
    }

    #[test]
    fn a_waiter_past_its_bound_is_busy_and_leaves_the_queue() {
        let dir = tempfile::tempdir().unwrap();
        let turn = WriteTurn::of(&journal(&dir, "journal.sqlite"));
        let held = turn.take().unwrap();
        std::thread::scope(|s| {
            let e = s
                .spawn(|| turn.take_within(Duration::ZERO).unwrap_err())
                .join()
                .unwrap();
            assert!(crate::Error::from(e).is_busy());
        });
        assert_eq!(turn.lock().waiting.len(), 0);
        drop(held);
        std::thread::scope(|s| {
            s.spawn(|| turn.take_within(Duration::ZERO).unwrap());
        });
    }

    #[test]
    fn a_thread_asking_for_the_turn_it_holds_is_busy_at_once_not_waiting_for_itself() {
        let dir = tempfile::tempdir().unwrap();
        let turn = WriteTurn::of(&journal(&dir, "journal.sqlite"));
        let _held = turn.take().unwrap();
        let e = turn.take().unwrap_err();
        assert!(crate::Error::from(e).is_busy());
    }

    #[test]
    fn a_panic_while_holding_the_turn_gives_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let turn = WriteTurn::of(&journal(&dir, "journal.sqlite"));
        let panicked = std::thread::scope(|s| {
            s.spawn(|| {
                let _held = turn.take().unwrap();
                panic!("a bug in a transaction");
            })
            .join()
        });
        assert!(panicked.is_err());
        turn.take_within(Duration::ZERO).unwrap();
    }

    /// A plaintext store at `dir/name` whose connection never waits at SQLite's lock:
    /// a write that meets it fails at once.
    fn store(dir: &tempfile::TempDir, name: &str) -> crate::Store {
        let store = crate::Store::open(&dir.path().join(name)).unwrap();
        store.conn.busy_timeout(Duration::ZERO).unwrap();
        store
    }

    #[test]
    fn a_store_waits_for_the_other_stores_transaction_and_never_meets_its_lock() {
        let dir = tempfile::tempdir().unwrap();
        let (mut sync, mut window) = (store(&dir, "j.sqlite"), store(&dir, "j.sqlite"));
        let turn = Arc::clone(&sync.turn);
        let tx = sync.write_transaction().unwrap();
        tx.execute(
            "INSERT INTO sync_state(key, value) VALUES ('page', '1')",
            [],
        )
        .unwrap();
        std::thread::scope(|s| {
            let decided = s.spawn(|| window.set_sync_value("decided", "yes"));
            turn.until_waiting(1);
            tx.commit().unwrap();
            decided.join().unwrap().unwrap();
        });
        assert_eq!(window.sync_value("page").unwrap().as_deref(), Some("1"));
    }

    #[test]
    fn a_transaction_that_panics_is_rolled_back_and_gives_the_turn_back() {
        let dir = tempfile::tempdir().unwrap();
        let (mut sync, mut window) = (store(&dir, "j.sqlite"), store(&dir, "j.sqlite"));
        let panicked = std::thread::scope(|s| {
            s.spawn(|| {
                let tx = sync.write_transaction().unwrap();
                tx.execute(
                    "INSERT INTO sync_state(key, value) VALUES ('half', '1')",
                    [],
                )
                .unwrap();
                panic!("a bug in the middle of a transaction");
            })
            .join()
        });
        assert!(panicked.is_err());
        window.set_sync_value("decided", "yes").unwrap();
        assert_eq!(window.sync_value("half").unwrap(), None);
        sync.set_sync_value("next", "page").unwrap();
    }

    #[test]
    fn a_thread_in_a_transaction_writing_through_another_store_of_the_journal_is_busy_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut sync = store(&dir, "j.sqlite");
        let mut window = store(&dir, "j.sqlite");
        let mut other = store(&dir, "other.sqlite");
        let tx = sync.write_transaction().unwrap();
        // Without the turn SQLite would keep this thread waiting for its own lock until
        // the busy timeout; with it the answer is at once, and the same as SQLite's.
        assert!(
            window
                .set_sync_value("decided", "yes")
                .unwrap_err()
                .is_busy()
        );
        let opened = crate::Store::open(&dir.path().join("j.sqlite")).unwrap_err();
        assert!(opened.is_busy(), "{opened}");
        // Another journal has a turn of its own.
        other.set_sync_value("decided", "yes").unwrap();
        drop(tx);
        window.set_sync_value("decided", "yes").unwrap();
    }
}
