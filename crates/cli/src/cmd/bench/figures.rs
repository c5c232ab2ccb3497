//! Timing and printing shared by every section: spreads of timings, the PASS / OVER
//! mark, section titles.

use std::time::Duration;

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50, p95 and max of a set of timings, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spread {
    pub(super) p50: f64,
    pub(super) p95: f64,
    pub(super) max: f64,
}

pub(super) fn spread(times: &[Duration]) -> Spread {
    let mut v: Vec<f64> = times.iter().map(|d| ms(*d)).collect();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return Spread {
            p50: 0.0,
            p95: 0.0,
            max: 0.0,
        };
    }
    let at = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
    Spread {
        p50: at(0.50),
        p95: at(0.95),
        max: v[v.len() - 1],
    }
}

pub(super) fn mark(ok: bool) -> &'static str {
    if ok { "PASS" } else { "OVER" }
}

pub(super) fn section_title(title: &str) {
    println!();
    println!("== {title} ==");
}
