//! `qabyldau bench`: measures the product's speed targets through the real public APIs
//! (desk, store, signing, receipts, sync) on real files, a real SoftHSM2 token and real
//! HTTP on 127.0.0.1, and prints the figures beside their targets. The marks (PASS / OVER)
//! are information only: the command exits 0 unless a measurement itself failed.
//!
//! Targets: issue 3 (journal search p95 ≤ 5 ms on 1 M applications), issue 6 (one PKCS#11
//! signature within 1.3× of `openssl cms -sign` with the same key), issue 7 (a receipt
//! ≤ 20 ms and ≤ 100 KB), issue 5 (first pull of 100 000 applications ≤ 10 s and within
//! 1.5× of fetching the same pages raw; push of 10 000 queued decisions ≤ 20 s).
//! How to run and the figures of this machine: BENCHMARKS.md at the top of the repository.

//!
//! One file per section; `figures` holds the shared timing and printing, `results` the
//! figures written to `target/bench/results.json` that any section appends to.

mod april_first;
mod figures;
mod journal;
mod keys;
mod receipts;
mod results;
mod signing;
mod sync;

use anyhow::Context;
use clap::{Args, ValueEnum};
use results::Results;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Section {
    Journal,
    Signing,
    Receipts,
    Sync,
    /// The many-desk simulation of 1 April (issue 12).
    AprilFirst,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Tiny sizes (seconds, for CI): 1 000 applications, 20 runs, a 300-application portal.
    #[arg(long, conflicts_with = "full")]
    pub quick: bool,
    /// The targets' full sizes: a journal of 1 000 000 applications.
    #[arg(long)]
    pub full: bool,
    /// Applications in the journal (default 100 000; 1 000 000 with --full).
    #[arg(long)]
    pub applications: Option<u64>,
    /// The journal to fill (default: in the work directory, removed afterwards).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Measure the journal at --db as it is when it exists, without filling it (build a
    /// big journal once, measure it many times).
    #[arg(long, requires = "db")]
    pub reuse: bool,
    /// Measure a PLAINTEXT journal (the comparison for BENCHMARKS.md); by default the
    /// journal is encrypted like the product's (SQLCipher, issue 16).
    #[arg(long)]
    pub plaintext: bool,
    /// Runs of each journal query kind (default 200).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Signatures per signer (default 200).
    #[arg(long)]
    pub signatures: Option<usize>,
    /// Applications of the one school on the simulated portal (default 100 000).
    #[arg(long)]
    pub sync_applications: Option<u64>,
    /// Decisions queued at the desk and pushed (default 10 000).
    #[arg(long)]
    pub push_decisions: Option<u64>,
    /// Measure against this running portal (its first demo clerk) instead of starting
    /// `portal-sim`.
    #[arg(long, value_name = "URL")]
    pub portal: Option<String>,
    /// The portal-sim binary (default: next to this executable).
    #[arg(long, value_name = "PATH")]
    pub portal_sim: Option<PathBuf>,
    /// The SoftHSM2 PKCS#11 module.
    #[arg(long, default_value = "/usr/lib/softhsm/libsofthsm2.so")]
    pub softhsm_module: PathBuf,
    /// Only these sections (repeatable); all by default.
    #[arg(long, value_enum)]
    pub only: Vec<Section>,
    /// Where keys, tokens and temporary databases go (default: a fresh directory under
    /// the system temp directory, removed afterwards).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// Keep the work directory.
    #[arg(long)]
    pub keep: bool,
    /// 1 April: desks in the simulation, two per school (default 300).
    #[arg(long)]
    pub desks: Option<usize>,
    /// 1 April: the portal's capacity in requests per second (default 60).
    #[arg(long, value_name = "RPS")]
    pub capacity: Option<f64>,
    /// 1 April: decisions each desk makes during the activity (default 6).
    #[arg(long)]
    pub decisions_per_desk: Option<u32>,
    /// 1 April: seconds of activity (arrivals, decisions, an outage in the middle;
    /// default 90).
    #[arg(long)]
    pub activity_secs: Option<u64>,
    /// Where the figures go as JSON, merged with the figures already there by name
    /// (default: `bench/results.json` in the cargo target directory of this executable).
    #[arg(long, value_name = "PATH")]
    pub results: Option<PathBuf>,
    /// Internal: the PKCS#11 half of the signing section, run in a child process that has
    /// `SOFTHSM2_CONF` pointing at the bench token.
    #[arg(long, hide = true, value_name = "DIR")]
    pub signing_worker: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Sizes {
    pub(super) applications: u64,
    pub(super) runs: usize,
    pub(super) signatures: usize,
    pub(super) openssl_runs: usize,
    pub(super) receipt_runs: usize,
    pub(super) sync_applications: u64,
    pub(super) push_decisions: u64,
}

impl Sizes {
    fn of(a: &BenchArgs) -> Sizes {
        let base = if a.quick {
            Sizes {
                applications: 1_000,
                runs: 20,
                signatures: 10,
                openssl_runs: 5,
                receipt_runs: 5,
                sync_applications: 300,
                push_decisions: 20,
            }
        } else {
            Sizes {
                applications: if a.full { 1_000_000 } else { 100_000 },
                runs: 200,
                signatures: 200,
                openssl_runs: 50,
                receipt_runs: 50,
                sync_applications: 100_000,
                push_decisions: 10_000,
            }
        };
        Sizes {
            applications: a.applications.unwrap_or(base.applications),
            runs: a.runs.unwrap_or(base.runs).max(1),
            signatures: a.signatures.unwrap_or(base.signatures).max(1),
            openssl_runs: a.signatures.map_or(base.openssl_runs, |s| s.clamp(1, 50)),
            receipt_runs: base.receipt_runs,
            sync_applications: a.sync_applications.unwrap_or(base.sync_applications),
            push_decisions: a.push_decisions.unwrap_or(base.push_decisions),
        }
    }
}

// ---- the command ----

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.signing_worker {
        return signing::signing_worker(dir, &args.softhsm_module, Sizes::of(&args).signatures);
    }
    let sizes = Sizes::of(&args);
    let work = match &args.work_dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("qabyldau-bench-{}", std::process::id())),
    };
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    let wanted = |s: Section| args.only.is_empty() || args.only.contains(&s);

    println!(
        "qabyldau bench: {} build, {} CPU(s), work directory {}",
        if cfg!(debug_assertions) {
            "DEBUG (figures not representative; use scripts/bench)"
        } else {
            "release"
        },
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        work.display()
    );
    let mut failed = Vec::new();
    let mut results = Results::default();
    let mut section = |name: Section, f: &mut dyn FnMut(&mut Results) -> anyhow::Result<()>| {
        if !wanted(name) {
            return;
        }
        if let Err(e) = f(&mut results) {
            println!("{name:?}: FAILED: {e:#}");
            failed.push(name);
        }
    };
    section(Section::Journal, &mut |r| {
        journal::journal(&args, &sizes, &work, r)
    });
    section(Section::Signing, &mut |r| {
        signing::signing(&args, &sizes, &work, r)
    });
    section(Section::Receipts, &mut |r| {
        receipts::receipts(&args, &sizes, &work, r)
    });
    section(Section::Sync, &mut |r| sync::sync(&args, &sizes, &work, r));
    section(Section::AprilFirst, &mut |r| {
        april_first::april_first(&args, &sizes, &work, r)
    });

    let file = args.results.clone().unwrap_or_else(Results::default_path);
    let written = results.write(&file);
    match &written {
        Ok(n) => println!("bench: {n} figure(s) in {}", file.display()),
        Err(e) => println!("bench: cannot write {}: {e:#}", file.display()),
    }
    if !args.keep && args.work_dir.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
    println!();
    if failed.is_empty() && written.is_ok() {
        println!("bench: done (marks are information; speed is never a test failure)");
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "bench: {} section(s) could not be measured: {failed:?}",
            failed.len()
        );
        Ok(ExitCode::FAILURE)
    }
}
