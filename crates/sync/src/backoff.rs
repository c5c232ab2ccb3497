//! Pauses between tries: exponential with **full jitter** (a random pause between zero and
//! the exponential cap) from a seeded generator, so that thousands of desks that failed
//! together never come back together (issue 12). The same seed gives the same pauses
//! (tests); production seeds from the clock and the process.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    rng: ChaCha8Rng,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration, seed: u64) -> Backoff {
        Backoff {
            base,
            max: max.max(base),
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The pause before try `attempt + 1` (attempt 0 is the first retry): uniformly
    /// random in `[0, min(max, base · 2^attempt)]`.
    pub fn delay(&mut self, attempt: u32) -> Duration {
        self.delay_capped(attempt, self.max)
    }

    /// [`Backoff::delay`] under another cap (the long one while the portal says it is
    /// overloaded).
    pub fn delay_capped(&mut self, attempt: u32, cap: Duration) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
        let ceiling = self.base.saturating_mul(factor).min(cap.max(self.base));
        self.uniform(ceiling)
    }

    /// The pause after the portal said "retry after `wait`": at least `wait`, plus a
    /// random part up to `wait` again (at most `cap`), so that everyone told the same
    /// `Retry-After` does not return in the same second.
    pub fn after(&mut self, wait: Duration, cap: Duration) -> Duration {
        wait + self.uniform(wait.min(cap))
    }

    /// Uniformly random in `[0, ceiling]`.
    pub fn uniform(&mut self, ceiling: Duration) -> Duration {
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(if nanos == 0 {
            0
        } else {
            self.rng.random_range(0..=nanos)
        })
    }

    /// `d` scaled by a random factor in `[1 - spread, 1 + spread]` (the idle interval).
    pub fn spread(&mut self, d: Duration, spread: f64) -> Duration {
        let s = spread.clamp(0.0, 1.0);
        d.mul_f64(self.rng.random_range((1.0 - s)..=(1.0 + s)))
    }

    pub fn max(&self) -> Duration {
        self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_full_jitter_bounded_by_the_cap_and_repeat_with_the_seed() {
        let mut a = Backoff::new(Duration::from_millis(100), Duration::from_secs(5), 7);
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(5), 7);
        let da: Vec<Duration> = (0..12).map(|i| a.delay(i)).collect();
        let db: Vec<Duration> = (0..12).map(|i| b.delay(i)).collect();
        assert_eq!(da, db, "same seed, same delays");
        for (i, d) in da.iter().enumerate() {
            let cap = (Duration::from_millis(100) * 2u32.pow(i as u32)).min(Duration::from_secs(5));
            assert!(*d <= cap, "attempt {i}: {d:?} within [0, {cap:?}]");
        }
        let mut c = Backoff::new(Duration::from_millis(100), Duration::from_secs(5), 8);
        assert_ne!(
            da,
            (0..12).map(|i| c.delay(i)).collect::<Vec<_>>(),
            "another seed, other jitter"
        );
        // Full jitter: over many draws the pauses fill the whole range, down to near zero.
        let mut d = Backoff::new(Duration::from_millis(100), Duration::from_secs(5), 9);
        let many: Vec<Duration> = (0..400).map(|_| d.delay(10)).collect();
        assert!(many.iter().any(|x| *x < Duration::from_millis(500)));
        assert!(many.iter().any(|x| *x > Duration::from_millis(4500)));
    }

    #[test]
    fn overload_uses_the_long_cap_and_retry_after_is_a_floor() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(30), 3);
        let long = Duration::from_secs(300);
        let many: Vec<Duration> = (0..400).map(|_| b.delay_capped(12, long)).collect();
        assert!(many.iter().all(|x| *x <= long));
        assert!(
            many.iter().any(|x| *x > Duration::from_secs(200)),
            "reaches past 30 s"
        );
        for _ in 0..100 {
            let p = b.after(Duration::from_secs(7), long);
            assert!(
                p >= Duration::from_secs(7) && p <= Duration::from_secs(14),
                "{p:?}"
            );
        }
        let spread: Vec<Duration> = (0..100)
            .map(|_| b.spread(Duration::from_secs(15), 0.5))
            .collect();
        assert!(
            spread
                .iter()
                .all(|x| x.as_secs_f64() >= 7.5 && x.as_secs_f64() <= 22.5)
        );
        assert!(spread.windows(2).any(|w| w[0] != w[1]), "jittered");
    }
}
