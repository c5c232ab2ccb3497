//! A small timing of GOST-512 signing and verification for `qabyldau bench` (issue 10's
//! target: each ≤ 5 ms in release). Figures are printed by the caller, never asserted.

use std::time::{Duration, Instant};

use crate::{ParamSet, SigningKey};

/// Median times of one signature and one verification.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timings {
    /// Median time of [`SigningKey::sign`] over a short message.
    pub sign: Duration,
    /// Median time of [`crate::VerifyingKey::verify`] of that signature.
    pub verify: Duration,
}

/// Signs and verifies `rounds` times (at least 1) with a fixed 512-bit key on
/// [`ParamSet::Tc26A512`], nonces from `rng`, and returns the medians.
pub fn gost512(rounds: usize, rng: &mut impl rand_core::CryptoRng) -> Timings {
    let mut d = [0x5au8; 64];
    d[63] = 0x0f;
    let key = SigningKey::from_nca_bytes(ParamSet::Tc26A512, &d).expect("a valid fixed key");
    let message = b"qabyldau bench: one decision's canonical bytes";
    let rounds = rounds.max(1);
    let mut sign = Vec::with_capacity(rounds);
    let mut verify = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        let signature = key.sign(message, rng).expect("signing a fixed message");
        sign.push(start.elapsed());
        let start = Instant::now();
        let verified = key.verifying_key().verify(message, &signature);
        verify.push(start.elapsed());
        assert!(verified.is_ok(), "a fresh signature verifies");
    }
    Timings {
        sign: median(sign),
        verify: median(verify),
    }
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}
