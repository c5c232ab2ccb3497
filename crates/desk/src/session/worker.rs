//! The background sync worker of a signed-in clerk, supervised: when its loop ends with
//! an error (the journal unreachable, the portal refusing the clerk's password) the
//! window is told, and a worker that can recover is started again after a pause — it is
//! never silently gone (issue 16).

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::Notify;

use crate::sync_run::{self, Pace, RoundReport, SyncEvent, SyncTarget};

/// What the session tells the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// From the sync worker (state changes, rows changed).
    Sync(SyncEvent),
    /// The worker's loop ended with `code`; `restarting` when it starts again by itself
    /// (a revoked or changed password does not: the clerk signs in again).
    WorkerStopped { code: String, restarting: bool },
}

pub type EventSink = Arc<dyn Fn(SessionEvent) + Send + Sync>;

/// The pause before the `n`-th restart: 2 s doubling, at most a minute.
pub(crate) fn restart_pause(n: u32) -> Duration {
    let factor = 1u32.checked_shl(n.min(5)).unwrap_or(32);
    Duration::from_secs(1)
        .saturating_mul(factor)
        .min(Duration::from_secs(60))
}

/// The code the window is told when a round panicked (the loop is started again).
pub const WORKER_PANICKED: &str = "SYNC_WORKER_PANICKED";

/// Runs `work` to its end, or to the panic that ends it early (`Err`), so that a bug in
/// a round is reported and the loop restarted instead of the thread silently gone.
async fn caught<T>(work: impl std::future::Future<Output = T>) -> Result<T, ()> {
    let mut work = Box::pin(work);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(_) => std::task::Poll::Ready(Err(())),
        }
    })
    .await
}

/// Stops the loop when dropped or stopped.
#[derive(Debug)]
pub(crate) struct Worker {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    wake: Arc<Notify>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    pub(crate) fn spawn(
        target: SyncTarget,
        pace: Pace,
        sink: EventSink,
    ) -> Result<Worker, sync::Error> {
        let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
        let wake = Arc::new(Notify::new());
        let wake_loop = wake.clone();
        let io = |e: std::io::Error| {
            sync::Error::Store(store::Error::Io {
                path: std::path::PathBuf::from("sync thread"),
                source: e,
            })
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(io)?;
        let thread = std::thread::Builder::new()
            .name("qabyldau-sync".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let clock = OffsetDateTime::now_utc;
                    let mut restarts = 0u32;
                    loop {
                        let events = sink.clone();
                        let mut on_event = move |e: SyncEvent| events(SessionEvent::Sync(e));
                        let mut ignore_round = |_: &RoundReport| {};
                        let stop = async {
                            let _ = (&mut stop_rx).await;
                        };
                        let result = caught(sync_run::run_loop(
                            &target,
                            pace,
                            &clock,
                            stop,
                            wake_loop.clone(),
                            &mut on_event,
                            &mut ignore_round,
                        ))
                        .await;
                        let (code, restarting) = match result {
                            Ok(Ok(())) => return,
                            Ok(Err(e)) => {
                                // A refused password, or an EDS session the portal ended:
                                // the clerk signs in again.
                                let restarting = !matches!(
                                    e,
                                    sync::Error::CredentialsInvalid
                                        | sync::Error::SignInRequired { .. }
                                ) && !sync_run::account_refused(&e);
                                let code = match &e {
                                    sync::Error::Refused { problem, .. } => problem.code.clone(),
                                    other => other.code().to_string(),
                                };
                                (code, restarting)
                            }
                            // A bug in a round (a panic) ends that loop, not the worker:
                            // everything it did is in transactions, so it starts again.
                            Err(()) => (WORKER_PANICKED.to_string(), true),
                        };
                        sink(SessionEvent::WorkerStopped { code, restarting });
                        if !restarting {
                            return;
                        }
                        restarts = restarts.saturating_add(1);
                        tokio::select! {
                            _ = &mut stop_rx => return,
                            _ = tokio::time::sleep(restart_pause(restarts)) => {}
                        }
                    }
                })
            })
            .map_err(io)?;
        Ok(Worker {
            stop: Some(stop_tx),
            wake,
            thread: Some(thread),
        })
    }

    pub(crate) fn sync_now(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Stops after the current step (each is a transaction) and waits for the thread.
    pub(crate) fn stop(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn restarts_pause_longer_each_time_up_to_a_minute() {
        assert_eq!(restart_pause(1), Duration::from_secs(2));
        assert_eq!(restart_pause(2), Duration::from_secs(4));
        assert_eq!(restart_pause(30), Duration::from_secs(32));
        assert!(restart_pause(u32::MAX) <= Duration::from_secs(60));
    }

    /// A sink that hands every event to the returned receiver, as the window's would.
    fn events() -> (EventSink, mpsc::Receiver<SessionEvent>) {
        let (tx, rx) = mpsc::channel();
        let sink: EventSink = Arc::new(move |e| {
            let _ = tx.send(e);
        });
        (sink, rx)
    }

    /// The next event that `want` takes, waiting for each at most `limit` (blocking on
    /// the channel, no polling); `None` when none came in time.
    fn next_event(
        rx: &mpsc::Receiver<SessionEvent>,
        limit: Duration,
        want: impl Fn(&SessionEvent) -> bool,
    ) -> Option<SessionEvent> {
        let until = std::time::Instant::now() + limit;
        loop {
            let left = until.checked_duration_since(std::time::Instant::now())?;
            match rx.recv_timeout(left) {
                Ok(e) if want(&e) => return Some(e),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    fn stopped(e: &SessionEvent) -> bool {
        matches!(e, SessionEvent::WorkerStopped { .. })
    }

    fn synced(e: &SessionEvent) -> bool {
        matches!(e, SessionEvent::Sync(_))
    }

    /// Generous: the first restart pause is 2 s, and a loaded test machine is slow.
    const LIMIT: Duration = Duration::from_secs(120);

    #[test]
    fn a_worker_whose_journal_cannot_be_opened_says_so_and_tries_again() {
        let tmp = tempfile::tempdir().expect("tempdir");
        // A folder where the journal file should be: every open fails for real.
        let db = tmp.path().join("journal.sqlite");
        std::fs::create_dir(&db).expect("dir");
        let iin = domain::Iin::parse("900101300017").expect("iin");
        let (sink, rx) = events();
        let target = SyncTarget::new(&db, "http://127.0.0.1:9", &iin, "pw");
        let worker = Worker::spawn(target, Pace::default(), sink).expect("spawn");
        let Some(SessionEvent::WorkerStopped { code, restarting }) =
            next_event(&rx, LIMIT, stopped)
        else {
            panic!("the window is told the worker stopped");
        };
        assert!(code.starts_with("DB_"), "{code}");
        assert!(restarting, "a store failure is tried again");
        assert!(worker.running(), "waiting to restart, not gone");
        // The journal can be opened again: the restarted loop runs rounds (it reports
        // its state; the portal at port 9 is not there, so it is offline).
        std::fs::remove_dir(&db).expect("rmdir");
        assert!(
            next_event(&rx, LIMIT, synced).is_some(),
            "restarted after the pause"
        );
        assert!(db.is_file(), "the restarted loop opened the journal");
        assert!(worker.running());
        worker.stop();
    }

    #[test]
    fn a_worker_whose_round_panics_is_reported_and_started_again() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let db = tmp.path().join("journal.sqlite");
        let iin = domain::Iin::parse("900101300017").expect("iin");
        let (report, rx) = events();
        let panicked = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sink_panicked = panicked.clone();
        // The window's side of the first event panics (a bug in a round): the loop dies
        // in the middle of its first round.
        let sink: EventSink = Arc::new(move |e| {
            if synced(&e) && !sink_panicked.swap(true, std::sync::atomic::Ordering::SeqCst) {
                panic!("a bug in the round");
            }
            report(e);
        });
        let target = SyncTarget::new(&db, "http://127.0.0.1:9", &iin, "pw");
        let worker = Worker::spawn(target, Pace::default(), sink).expect("spawn");
        let first_stop = next_event(&rx, LIMIT, stopped);
        assert!(panicked.load(std::sync::atomic::Ordering::SeqCst));
        assert!(
            matches!(
                &first_stop,
                Some(SessionEvent::WorkerStopped { code, restarting: true }) if code == WORKER_PANICKED
            ),
            "reported as a panic, restarting: {first_stop:?}"
        );
        assert!(
            next_event(&rx, LIMIT, synced).is_some(),
            "started again after the pause"
        );
        assert!(worker.running(), "the thread is alive");
        worker.stop();
    }
}
