//! Exponential backoff with jitter from a seeded generator: the same seed gives the same
//! delays (tests), different desks spread their retries (production seeds from the clock).

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

    /// The pause before try `attempt + 1` (attempt 0 is the first retry): half of
    /// `min(max, base · 2^attempt)` plus a random part up to the other half.
    pub fn delay(&mut self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
        let cap = self.base.saturating_mul(factor).min(self.max);
        let half = cap / 2;
        let jitter_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(if jitter_nanos == 0 {
            0
        } else {
            self.rng.random_range(0..=jitter_nanos)
        })
    }

    pub fn max(&self) -> Duration {
        self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_stay_bounded_and_repeat_with_the_seed() {
        let mut a = Backoff::new(Duration::from_millis(100), Duration::from_secs(5), 7);
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(5), 7);
        let da: Vec<Duration> = (0..12).map(|i| a.delay(i)).collect();
        let db: Vec<Duration> = (0..12).map(|i| b.delay(i)).collect();
        assert_eq!(da, db, "same seed, same delays");
        for (i, d) in da.iter().enumerate() {
            let cap = (Duration::from_millis(100) * 2u32.pow(i as u32)).min(Duration::from_secs(5));
            assert!(
                *d >= cap / 2 && *d <= cap,
                "attempt {i}: {d:?} within [{:?}, {cap:?}]",
                cap / 2
            );
        }
        let mut c = Backoff::new(Duration::from_millis(100), Duration::from_secs(5), 8);
        assert_ne!(
            da,
            (0..12).map(|i| c.delay(i)).collect::<Vec<_>>(),
            "another seed, other jitter"
        );
    }
}
