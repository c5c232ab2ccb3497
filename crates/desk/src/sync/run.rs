//! Running the sync engine for the CLI and the window (R-33, issue 5): one round
//! ([`sync_once`]), a loop until Ctrl-C ([`run_until_interrupted`], `qabyldau sync`), and a
//! background worker with its own thread ([`spawn`], the window).
//!
//! The worker opens its own connection to the journal: SQLite serialises it with the
//! window's (WAL, busy timeout), and every write of the worker is one short transaction.

pub use sync::{RoundReport, SyncConfig, SyncEvent, SyncState, SyncStatus};

use domain::Iin;
use secrecy::{ExposeSecret, SecretString};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use store::Store;
use sync::{ClientConfig, PortalClient, SyncWorker};
use time::OffsetDateTime;
use tokio::sync::Notify;

/// Which journal syncs with which portal, as whom. The password stays in memory only,
/// zeroized when the target is dropped.
#[derive(Clone)]
pub struct SyncTarget {
    pub db_path: PathBuf,
    pub portal_url: String,
    pub iin: Iin,
    pub password: SecretString,
    pub client: ClientConfig,
    pub config: SyncConfig,
    /// The journal's key (issue 16): the worker opens the encrypted journal with it;
    /// `None` opens a plaintext journal (until the window signs in before opening).
    pub journal_key: Option<store::JournalKey>,
    /// A portal session an EDS sign-in made (issue 16): the worker calls with its token
    /// and, when the portal ends it, stops for a new sign-in (there is no password to
    /// sign in again with).
    pub portal_session: Option<PortalToken>,
}

/// The token and staff member of a portal session made by an EDS sign-in.
#[derive(Clone)]
pub struct PortalToken {
    pub token: SecretString,
    pub expires_at: String,
    pub staff: portal_api::StaffMember,
}

impl std::fmt::Debug for PortalToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalToken")
            .field("token", &"…")
            .field("expires_at", &self.expires_at)
            .field("staff", &self.staff.iin)
            .finish()
    }
}

impl PortalToken {
    pub fn from_answer(answer: portal_api::SignInResponse) -> PortalToken {
        PortalToken {
            token: SecretString::from(answer.token),
            expires_at: answer.expires_at,
            staff: answer.staff,
        }
    }

    fn answer(&self) -> portal_api::SignInResponse {
        portal_api::SignInResponse {
            token: self.token.expose_secret().to_string(),
            expires_at: self.expires_at.clone(),
            staff: self.staff.clone(),
        }
    }
}

impl std::fmt::Debug for SyncTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncTarget")
            .field("db_path", &self.db_path)
            .field("portal_url", &self.portal_url)
            .field("iin", &self.iin)
            .field("password", &"…")
            .field("journal_key", &self.journal_key)
            .field("portal_session", &self.portal_session.as_ref().map(|_| "…"))
            .finish()
    }
}

impl SyncTarget {
    pub fn new(db_path: &Path, portal_url: &str, iin: &Iin, password: &str) -> SyncTarget {
        SyncTarget {
            db_path: db_path.to_path_buf(),
            portal_url: portal_url.to_string(),
            iin: *iin,
            password: SecretString::from(password),
            client: ClientConfig::default(),
            config: SyncConfig::default(),
            journal_key: None,
            portal_session: None,
        }
    }

    /// The same target working under the portal session an EDS sign-in made.
    pub fn with_portal_session(mut self, session: PortalToken) -> SyncTarget {
        self.portal_session = Some(session);
        self
    }

    /// The same target on the encrypted journal opened with `key`.
    pub fn with_key(mut self, key: &store::JournalKey) -> SyncTarget {
        self.journal_key = Some(key.clone());
        self
    }

    fn open_store(&self) -> Result<Store, store::Error> {
        Store::open_keyed(&self.db_path, self.journal_key.as_ref(), store::MIGRATIONS)
    }
}

/// How the loop paces its rounds (issue 12: thousands of desks must never act in step).
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Between completed rounds, spread by ±`jitter` at random each time.
    pub interval: Duration,
    /// The cap of the full-jitter pause after failed rounds (no connection, 5xx, a 503
    /// without `Retry-After`: the portal is down, not overloaded).
    pub max_pause: Duration,
    /// The cap while the portal says it is overloaded (429, `Retry-After`, its
    /// `OVERLOADED` problem); the pause is never shorter than the portal's `Retry-After`.
    pub overload_max: Duration,
    /// The idle interval's spread: 0.5 = between half and one and a half intervals.
    pub jitter: f64,
    /// "Sync now" and the rounds after a decision wait this long for more of the same
    /// (ten decisions in a minute make one round, not ten).
    pub debounce: Duration,
    /// Rounds started on demand are at least this far apart.
    pub min_gap: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            interval: Duration::from_secs(15),
            max_pause: Duration::from_secs(60),
            overload_max: Duration::from_secs(5 * 60),
            jitter: 0.5,
            debounce: Duration::from_secs(2),
            min_gap: Duration::from_secs(5),
        }
    }
}

/// What to wait after a round (`stopped`: why it stopped early, `None` when it
/// completed), and the least time before an on-demand round (the portal's Retry-After).
fn pause_after(
    stopped: Option<&sync::Error>,
    failures: u32,
    pace: &Pace,
    backoff: &mut sync::Backoff,
) -> (Duration, Duration) {
    let Some(e) = stopped else {
        return (backoff.spread(pace.interval, pace.jitter), Duration::ZERO);
    };
    let cap = if says_overloaded(e) {
        pace.overload_max.max(pace.max_pause)
    } else {
        pace.max_pause
    };
    let Some(wait) = e.retry_after() else {
        return (backoff.delay_capped(failures, cap), Duration::ZERO);
    };
    // The portal's Retry-After says how long its backlog lasts (portal-sim: what it turned
    // away in the last 10 s ÷ its capacity), so it also bounds how far the failures'
    // growth may take the pause: at most RETRY_AFTER_SPAN times it (issue 12). Tried: the
    // Retry-After alone, without the growth, brought the desks back too soon together
    // (1 April: peak 1.57×, convergence 2.82×); the growth bounded by the long cap alone
    // left desks in pauses of minutes after an overload of seconds (converged 1.59×).
    let bounded = cap.min(wait.saturating_mul(RETRY_AFTER_SPAN)).max(wait);
    let pause = backoff
        .delay_capped(failures, bounded)
        .max(backoff.after(wait, cap));
    (pause, wait)
}

/// How many times the portal's `Retry-After` the failures' growth may reach.
const RETRY_AFTER_SPAN: u32 = 16;

/// The portal says it is overloaded: a 429, an answer with `Retry-After`, or its
/// `OVERLOADED` problem — then the pauses may grow to the long cap. A portal that is
/// down (no connection, a 5xx or a 503 without a hint) grows them only to the usual cap
/// (issue 12, 1 April: during the 18-s outage, answered 503 `OUTAGE` without
/// `Retry-After`, the pauses grew toward 5 minutes, and the desks that converged last
/// had drawn 103–115 s just before the portal came back, which held convergence at
/// 1.05–2.15× the bound).
fn says_overloaded(e: &sync::Error) -> bool {
    e.is_overload()
        && (matches!(e, sync::Error::Busy { .. })
            || e.retry_after().is_some()
            || matches!(e, sync::Error::Unavailable { code, .. }
                if code == portal_api::codes::OVERLOADED))
}

/// The sync state of the journal at `db_path`, for the status bar (`key`: the encrypted
/// journal's; `None`: a plaintext one).
pub fn status(db_path: &Path, key: Option<&store::JournalKey>) -> Result<SyncStatus, sync::Error> {
    sync::status(&Store::open_keyed(db_path, key, store::MIGRATIONS)?)
}

fn seed_of(now: OffsetDateTime) -> u64 {
    (now.unix_timestamp_nanos() as u64) ^ u64::from(std::process::id())
}

/// Two workers: the pull reads the next page on one while the round applies the
/// previous one, and several outbox requests are in flight at once.
fn runtime() -> Result<tokio::runtime::Runtime, sync::Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            sync::Error::Store(store::Error::Io {
                path: PathBuf::from("tokio runtime"),
                source: e,
            })
        })
}

/// One round as `iin`: sign in, pull the school's applications, push the outbox, cache
/// documents. `Ok` with `report.stopped` set when the portal stopped the round early.
pub fn sync_once(
    db_path: &Path,
    portal_url: &str,
    iin: &Iin,
    password: &str,
    now: OffsetDateTime,
) -> Result<RoundReport, sync::Error> {
    sync_once_with(&SyncTarget::new(db_path, portal_url, iin, password), now)
}

pub fn sync_once_with(
    target: &SyncTarget,
    now: OffsetDateTime,
) -> Result<RoundReport, sync::Error> {
    runtime()?.block_on(async {
        let mut store = target.open_store()?;
        let client = PortalClient::new(&target.portal_url, &target.client)?;
        let mut worker = SyncWorker::new(client, target.config.clone(), seed_of(now));
        let mut ignore = |_: SyncEvent| {};
        worker
            .sign_in(
                &mut store,
                &target.iin,
                target.password.expose_secret(),
                now,
                &mut ignore,
            )
            .await?;
        worker.run_round(&mut store, now, &mut ignore).await
    })
}

/// Rounds until `stop` resolves: after a completed round wait `pace.interval` (jittered),
/// after a failed one a full-jitter pause that grows with the failures up to
/// `pace.max_pause` (`pace.overload_max` while the portal says it is overloaded, never
/// less than its `Retry-After`); `wake` starts a round soon, debounced and never before
/// what the portal asked. Signs in again when the portal asks (401). A wrong password ends the
/// loop.
pub async fn run_loop(
    target: &SyncTarget,
    pace: Pace,
    clock: &(dyn Fn() -> OffsetDateTime + Send + Sync),
    stop: impl Future<Output = ()>,
    wake: Arc<Notify>,
    events: &mut (dyn FnMut(SyncEvent) + Send),
    on_round: &mut (dyn FnMut(&RoundReport) + Send),
) -> Result<(), sync::Error> {
    let mut ignore = |_: &Paused| {};
    run_loop_noting(
        target,
        pace,
        clock,
        stop,
        wake,
        events,
        on_round,
        &mut ignore,
    )
    .await
}

/// What the loop chose after a round (the 1 April bench measures the pauses with it).
#[derive(Debug, Clone)]
pub struct Paused {
    /// Rounds failed in a row, this one included (0: it completed).
    pub failures: u32,
    /// Why the round stopped early (the error's code), `None` when it completed.
    pub stopped: Option<&'static str>,
    /// The portal's `Retry-After` with that answer.
    pub retry_after: Option<Duration>,
    /// The pause before the next round (a wake may start it sooner, never before
    /// `retry_after`).
    pub pause: Duration,
}

/// [`run_loop`], telling `on_pause` after every round (completed or not) what it waits.
#[allow(clippy::too_many_arguments)]
pub async fn run_loop_noting(
    target: &SyncTarget,
    pace: Pace,
    clock: &(dyn Fn() -> OffsetDateTime + Send + Sync),
    stop: impl Future<Output = ()>,
    wake: Arc<Notify>,
    events: &mut (dyn FnMut(SyncEvent) + Send),
    on_round: &mut (dyn FnMut(&RoundReport) + Send),
    on_pause: &mut (dyn FnMut(&Paused) + Send),
) -> Result<(), sync::Error> {
    let mut store = target.open_store()?;
    let client = PortalClient::new(&target.portal_url, &target.client)?;
    let seed = seed_of(clock());
    let mut worker = SyncWorker::new(client, target.config.clone(), seed);
    let mut backoff = sync::Backoff::new(Duration::from_secs(1), pace.max_pause, seed ^ 0x6c6f6f70);
    if let Some(session) = &target.portal_session {
        worker.resume(&mut store, &session.answer())?;
    }
    let mut failures: u32 = 0;
    tokio::pin!(stop);
    loop {
        let started = tokio::time::Instant::now();
        let round = async {
            if !worker.client().signed_in() {
                if target.portal_session.is_some() {
                    // The EDS session ended: only the clerk can sign in again.
                    return Err(sync::Error::SignInRequired {
                        code: portal_api::codes::TOKEN_EXPIRED.to_string(),
                    });
                }
                worker
                    .sign_in(
                        &mut store,
                        &target.iin,
                        target.password.expose_secret(),
                        clock(),
                        events,
                    )
                    .await?;
            }
            worker.run_round(&mut store, clock(), events).await
        };
        let mut report = tokio::select! {
            _ = &mut stop => return Ok(()),
            result = round => match result {
                Ok(report) => {
                    on_round(&report);
                    report
                }
                Err(sync::Error::CredentialsInvalid) => return Err(sync::Error::CredentialsInvalid),
                Err(e @ sync::Error::SignInRequired { .. }) if target.portal_session.is_some() => {
                    return Err(e);
                }
                // The portal refuses the account itself: retrying cannot help.
                Err(e) if account_refused(&e) => return Err(e),
                // Another connection of this journal (the window's, deciding) had it
                // locked: nothing was written, the round is tried again after a pause.
                // 1 April: two desks' loops ended here for good and their clerks'
                // later decisions never left (issue 12).
                Err(sync::Error::Store(e)) if e.is_busy() => RoundReport {
                    stopped: Some(sync::Error::Store(e)),
                    ..RoundReport::default()
                },
                Err(sync::Error::Store(e)) => return Err(sync::Error::Store(e)),
                // the sign-in did not get through (no connection, overloaded portal)
                Err(e) => RoundReport {
                    stopped: Some(e),
                    ..RoundReport::default()
                },
            },
        };
        if report.completed() {
            failures = 0;
        } else {
            failures = failures.saturating_add(1);
        }
        let stopped = report.stopped.take();
        let (pause, floor) = pause_after(stopped.as_ref(), failures, &pace, &mut backoff);
        on_pause(&Paused {
            failures,
            stopped: stopped.as_ref().map(sync::Error::code),
            retry_after: stopped.as_ref().and_then(sync::Error::retry_after),
            pause,
        });
        let resume = tokio::time::Instant::now() + pause;
        let earliest = (started + pace.min_gap).max(tokio::time::Instant::now() + floor);
        tokio::select! {
            _ = &mut stop => return Ok(()),
            _ = tokio::time::sleep_until(resume) => {}
            _ = wake.notified() => {
                // Debounce: more wakes within the window after the first make the same
                // round — the window does not move with each wake, so "Sync now" pressed
                // over and over still gets its round (issue 12) — and never sooner than
                // the gap, nor than the portal's Retry-After.
                let window_ends = tokio::time::Instant::now() + pace.debounce;
                loop {
                    tokio::select! {
                        _ = &mut stop => return Ok(()),
                        _ = wake.notified() => continue,
                        _ = tokio::time::sleep_until(window_ends) => break,
                    }
                }
                tokio::select! {
                    _ = &mut stop => return Ok(()),
                    _ = tokio::time::sleep_until(earliest.min(resume)) => {}
                }
            }
        }
    }
}

/// The portal refuses the staff account (locked out, revoked).
pub fn account_refused(e: &sync::Error) -> bool {
    matches!(e, sync::Error::Refused { problem, .. }
        if problem.code == portal_api::codes::ACCOUNT_LOCKED
            || problem.code == portal_api::codes::ACCOUNT_REVOKED)
}

/// `qabyldau sync` without `--once`: rounds until Ctrl-C, `on_round` after each.
pub fn run_until_interrupted(
    target: &SyncTarget,
    pace: Pace,
    on_round: &mut (dyn FnMut(&RoundReport) + Send),
) -> Result<(), sync::Error> {
    runtime()?.block_on(async {
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let clock = OffsetDateTime::now_utc;
        let mut ignore = |_: SyncEvent| {};
        run_loop(
            target,
            pace,
            &clock,
            stop,
            Arc::new(Notify::new()),
            &mut ignore,
            on_round,
        )
        .await
    })
}

/// The window's background worker: its own thread and runtime; events go to `on_event`
/// (the shell turns them into Tauri events). Dropping the handle stops it.
#[derive(Debug)]
pub struct SyncHandle {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    wake: Arc<Notify>,
    thread: Option<std::thread::JoinHandle<Result<(), sync::Error>>>,
}

impl SyncHandle {
    /// Starts a round now ("Sync now", or right after the clerk decided).
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }

    /// Stops after the current step (every step is a transaction; nothing is half done)
    /// and waits for the thread.
    pub fn stop(mut self) -> Result<(), sync::Error> {
        self.finish()
    }

    fn finish(&mut self) -> Result<(), sync::Error> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Ok(()),
        }
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

pub fn spawn(
    target: SyncTarget,
    pace: Pace,
    mut on_event: impl FnMut(SyncEvent) + Send + 'static,
) -> Result<SyncHandle, sync::Error> {
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let wake = Arc::new(Notify::new());
    let wake_loop = wake.clone();
    let thread = std::thread::Builder::new()
        .name("qabyldau-sync".into())
        .spawn(move || {
            runtime()?.block_on(async move {
                let stop = async {
                    let _ = stop_rx.await;
                };
                let clock = OffsetDateTime::now_utc;
                let mut ignore_round = |_: &RoundReport| {};
                run_loop(
                    &target,
                    pace,
                    &clock,
                    stop,
                    wake_loop,
                    &mut on_event,
                    &mut ignore_round,
                )
                .await
            })
        })
        .map_err(|e| {
            sync::Error::Store(store::Error::Io {
                path: PathBuf::from("sync thread"),
                source: e,
            })
        })?;
    Ok(SyncHandle {
        stop: Some(stop_tx),
        wake,
        thread: Some(thread),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 300 pauses after the 12th failure in a row with `e`.
    fn draws(e: &sync::Error, pace: &Pace, backoff: &mut sync::Backoff) -> Vec<Duration> {
        (0..300)
            .map(|_| pause_after(Some(e), 12, pace, backoff).0)
            .collect()
    }

    /// Within `cap`, reaching past its half, and down to its tenth (full jitter).
    fn full_jitter_up_to(pauses: &[Duration], cap: Duration) {
        assert!(pauses.iter().all(|p| *p <= cap), "within {cap:?}");
        assert!(pauses.iter().any(|p| *p > cap / 2), "grows to {cap:?}");
        assert!(pauses.iter().any(|p| *p < cap / 10), "full jitter");
    }

    #[test]
    fn a_pause_is_never_shorter_than_retry_after_and_never_past_the_long_cap() {
        // Issue 12: full jitter that grows with the failures, the portal's Retry-After
        // as a floor, the 5-minute cap while it is overloaded.
        let pace = Pace::default();
        let mut backoff = sync::Backoff::new(Duration::from_secs(1), pace.max_pause, 5);
        let told = sync::Error::Busy {
            retry_after: Some(Duration::from_secs(4)),
        };
        for failures in [1, 8, 20] {
            for _ in 0..50 {
                let (pause, floor) = pause_after(Some(&told), failures, &pace, &mut backoff);
                assert_eq!(floor, Duration::from_secs(4));
                assert!(
                    pause >= Duration::from_secs(4) && pause <= pace.overload_max,
                    "{failures} failures: {pause:?}"
                );
                // The growth stays within RETRY_AFTER_SPAN times what the portal asked.
                assert!(pause <= Duration::from_secs(4 * 16), "{pause:?}");
            }
        }
        // ... and still grows with the failures (full jitter up to that bound).
        let many = draws(&told, &pace, &mut backoff);
        assert!(many.iter().any(|p| *p > Duration::from_secs(40)), "grows");
        // Overloaded without a Retry-After: full jitter growing up to the long cap.
        let busy = sync::Error::Busy { retry_after: None };
        let pauses = draws(&busy, &pace, &mut backoff);
        full_jitter_up_to(&pauses, pace.overload_max);
        assert!(
            pauses.iter().any(|p| *p > pace.max_pause),
            "past the usual cap"
        );
        // The portal down, saying nothing of a backlog (503 without Retry-After): the
        // usual cap, not the long one — full jitter growing to it.
        let down = sync::Error::Unavailable {
            status: 503,
            code: portal_api::codes::OUTAGE.to_string(),
            retry_after: None,
        };
        full_jitter_up_to(&draws(&down, &pace, &mut backoff), pace.max_pause);
        // ... but its own overload answer, a 503 with OVERLOADED, is an overload.
        let overloaded = sync::Error::Unavailable {
            status: 503,
            code: portal_api::codes::OVERLOADED.to_string(),
            retry_after: None,
        };
        assert!(
            draws(&overloaded, &pace, &mut backoff)
                .iter()
                .any(|p| *p > pace.max_pause),
            "the long cap"
        );
        // A completed round: the idle interval, spread.
        let (idle, floor) = pause_after(None, 0, &pace, &mut backoff);
        assert_eq!(floor, Duration::ZERO);
        assert!(idle >= pace.interval.mul_f64(0.5) && idle <= pace.interval.mul_f64(1.5));
    }
}
