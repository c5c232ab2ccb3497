//! When the crash soak's kills land (R-33, issue 12): timed from what the portal has seen
//! of the process, not from the clock alone. On a loaded machine `qabyldau sync` spends
//! its first hundreds of milliseconds unlocking the key (Argon2id) and signing in, so
//! kills at a random 5–250 ms after the spawn never met a push (Session 7: 0 replays in
//! 500 kills). Here each kill waits for a moment of the round — the n-th request, the
//! first write, an answer lost after the portal's commit — by a bounded poll of
//! portal-sim's counters, then comes after a further random delay.

use super::common::{Portal, faults};
use rand::Rng;
use rand::seq::SliceRandom;
use std::collections::BTreeMap;
use std::process::Child;
use std::time::Duration;

/// The portal's faults between the phases: latency, 5xx and lost answers.
pub fn usual_faults() -> portal_api::Faults {
    faults(0.1, 0.1, 4)
}

/// Where in the process's life a kill lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// A random moment after the spawn, by the clock: mostly the key's unlocking and the
    /// sign-in on a slow machine, anywhere on a fast one.
    StartUp,
    /// Just after the process's n-th API request reached the portal: sign-in, reference
    /// data, the pull.
    Request,
    /// Just after the portal committed (or replayed) the process's first write, before or
    /// while the desk marks the entry sent.
    Write,
    /// The portal commits the process's writes and loses every answer
    /// (`drop_after_commit_rate` 1 for this process): the kill comes while the desk
    /// waits to try again, so it cannot have marked the entry sent.
    LostAnswer,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::StartUp => "start-up",
            Phase::Request => "request",
            Phase::Write => "write",
            Phase::LostAnswer => "lost answer",
        }
    }

    /// Whether the process must have something to push to reach this phase.
    fn needs_pending(self) -> bool {
        matches!(self, Phase::Write | Phase::LostAnswer)
    }
}

/// One kill's moment, drawn before the spawn: its phase, the request it waits for
/// (`Request`), and the delay after the moment (`StartUp`: after the spawn).
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    pub phase: Phase,
    nth_request: u64,
    delay: Duration,
}

/// The phases in shuffled blocks of four, each phase once per block, so that every run
/// of a few kills has kills in each; from its own seed, so that the schedule does not
/// depend on what the desk had to decide.
pub struct Schedule {
    rng: rand_chacha::ChaCha8Rng,
    block: Vec<Phase>,
}

impl Schedule {
    pub fn new(seed: u64) -> Schedule {
        Schedule {
            rng: rand::SeedableRng::seed_from_u64(seed ^ 0x6b69_6c6c),
            block: Vec::new(),
        }
    }

    /// The next kill's moment; a push phase becomes a request when nothing is pending
    /// (the process would make no write to wait for).
    pub fn next(&mut self, pending: bool) -> Moment {
        if self.block.is_empty() {
            self.block = vec![
                Phase::StartUp,
                Phase::Request,
                Phase::Write,
                Phase::LostAnswer,
            ];
            self.block.shuffle(&mut self.rng);
        }
        let mut phase = self.block.pop().unwrap();
        if phase.needs_pending() && !pending {
            phase = Phase::Request;
        }
        // Drawn whatever the phase, so that one kill's phase does not shift the next's.
        let nth_request = self.rng.random_range(1..=5);
        let ms = match phase {
            Phase::StartUp => self.rng.random_range(5..250),
            Phase::Request => self.rng.random_range(0..=20),
            Phase::Write => self.rng.random_range(0..=5),
            Phase::LostAnswer => self.rng.random_range(0..=40),
        };
        Moment {
            phase,
            nth_request,
            delay: Duration::from_millis(ms),
        }
    }
}

/// The portal's counters a moment is read from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    /// API requests that reached the portal.
    pub requests: u64,
    /// Writes committed.
    pub committed: u64,
    /// Writes answered again from the store (replays).
    pub replays: u64,
    /// Answers lost after the commit (fault `drop_after_commit_rate`).
    pub dropped: u64,
}

impl Seen {
    pub fn now(rt: &tokio::runtime::Runtime, portal: &Portal) -> Seen {
        let stats = rt.block_on(portal.stats());
        Seen {
            requests: rt.block_on(portal.api_requests()),
            committed: stats.writes_committed,
            replays: stats.duplicate_writes_prevented,
            dropped: stats.dropped_after_commit,
        }
    }
}

/// Polls before a moment counts as not come: with the backoff capped at 8 ms, some
/// seconds — far more than a round takes; only a process stuck before its push (or
/// one whose writes the portal all refused) runs out of them.
const POLLS: u32 = 2_000;

impl Moment {
    /// Before the spawn: the faults this phase needs.
    pub fn prepare(&self, rt: &tokio::runtime::Runtime, portal: &Portal) {
        if self.phase == Phase::LostAnswer {
            rt.block_on(portal.set_faults(faults(0.1, 1.0, 4)));
        }
    }

    /// Waits for the moment of `child`, spawned when the portal had seen `base`: a
    /// bounded poll of the portal's counters with a short backoff, then the random
    /// delay (the kill's moment itself). Whether the moment came; `false`: the process
    /// ended, or did not get there within [`POLLS`].
    pub fn wait(
        &self,
        rt: &tokio::runtime::Runtime,
        portal: &Portal,
        child: &mut Child,
        base: Seen,
    ) -> bool {
        let reached = |portal: &Portal| match self.phase {
            Phase::StartUp => true,
            Phase::Request => {
                rt.block_on(portal.api_requests()) >= base.requests + self.nth_request
            }
            Phase::Write => {
                let s = rt.block_on(portal.stats());
                s.writes_committed + s.duplicate_writes_prevented > base.committed + base.replays
            }
            Phase::LostAnswer => rt.block_on(portal.stats()).dropped_after_commit > base.dropped,
        };
        let mut pause = Duration::from_millis(1);
        let mut came = false;
        for _ in 0..POLLS {
            if reached(portal) {
                came = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(8));
        }
        std::thread::sleep(self.delay);
        came
    }

    /// After the kill: the usual faults again.
    pub fn restore(&self, rt: &tokio::runtime::Runtime, portal: &Portal) {
        if self.phase == Phase::LostAnswer {
            rt.block_on(portal.set_faults(usual_faults()));
        }
    }
}

/// Per phase: kills, moments that did not come, and kills that left a write the portal
/// had committed unmarked in the journal (the hard path of R-33: the next process must
/// send it again and get the stored answer).
#[derive(Debug, Default)]
pub struct Tally {
    by_phase: BTreeMap<Phase, [u64; 3]>,
}

impl Tally {
    pub fn record(&mut self, phase: Phase, came: bool, left_unmarked: bool) {
        let t = self.by_phase.entry(phase).or_default();
        t[0] += 1;
        t[1] += u64::from(!came);
        t[2] += u64::from(left_unmarked);
    }

    /// Kills that left a committed write unmarked.
    pub fn unmarked(&self) -> u64 {
        self.by_phase.values().map(|t| t[2]).sum()
    }

    /// Kills that landed in `phase`.
    pub fn kills(&self, phase: Phase) -> u64 {
        self.by_phase.get(&phase).map_or(0, |t| t[0])
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .by_phase
            .iter()
            .map(|(phase, [kills, missed, unmarked])| {
                format!(
                    "{} {kills} ({missed} moments not come, {unmarked} left a commit unmarked)",
                    phase.name()
                )
            })
            .collect();
        f.write_str(&parts.join(", "))
    }
}
