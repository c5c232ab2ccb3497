//! The background worker's pacing against a real portal-sim (issue 12): «Sync now»
//! pressed over and over still gets its round — the debounce window starts at the first
//! press and does not move with the next ones.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::Portal;
use desk::sync_run::{self, Pace, SyncEvent, SyncState, SyncTarget};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Rounds started so far (each round begins by saying it is syncing).
fn rounds_counter() -> (Arc<AtomicU32>, impl FnMut(SyncEvent) + Send + 'static) {
    let rounds = Arc::new(AtomicU32::new(0));
    let seen = rounds.clone();
    let on_event = move |e: SyncEvent| {
        if e == SyncEvent::State(SyncState::Syncing) {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    };
    (rounds, on_event)
}

/// Polls `done` until it holds or `limit` passes; whether it held.
fn within(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    done()
}

#[test]
fn sync_now_pressed_in_a_tight_loop_still_starts_a_round() {
    let mut portal = Portal::start_trusting(20, Vec::new());
    let tmp = tempfile::tempdir().unwrap();
    let (iin, password, _, _) = portal.staff(0);
    let target = SyncTarget::new(
        &tmp.path().join("journal.sqlite"),
        &portal.url,
        &iin,
        &password,
    );
    // Idle rounds an hour apart: any second round here is one «Sync now» started.
    let pace = Pace {
        interval: Duration::from_secs(3600),
        jitter: 0.0,
        debounce: Duration::from_millis(300),
        min_gap: Duration::ZERO,
        ..Pace::default()
    };
    let (rounds, on_event) = rounds_counter();
    let handle = sync_run::spawn(target, pace, on_event).unwrap();
    assert!(
        within(Duration::from_secs(60), || rounds.load(Ordering::SeqCst)
            >= 1),
        "the first round starts by itself"
    );
    assert!(
        within(Duration::from_secs(60), || {
            rounds.load(Ordering::SeqCst) == 1 && sync_run_idle(&tmp)
        }),
        "the first round ends"
    );

    // Pressed without a pause, far more often than the debounce window: before the fix
    // each press restarted the window and the round never came.
    let pressed_until = Instant::now() + Duration::from_secs(20);
    let mut presses = 0u64;
    while rounds.load(Ordering::SeqCst) < 2 && Instant::now() < pressed_until {
        handle.sync_now();
        presses += 1;
        std::thread::yield_now();
    }
    assert_eq!(
        rounds.load(Ordering::SeqCst),
        2,
        "a round started while «Sync now» was pressed {presses} times"
    );
    assert!(presses > 1, "pressed again and again ({presses})");
    handle.stop().unwrap();
    portal.stop();
}

/// The journal's sync state is no longer «syncing» (the round wrote its outcome).
fn sync_run_idle(tmp: &tempfile::TempDir) -> bool {
    sync_run::status(&tmp.path().join("journal.sqlite"), None)
        .is_ok_and(|s| s.state != SyncState::Syncing)
}
