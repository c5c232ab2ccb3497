//! `qabyldau sync --portal URL --db PATH --iin STAFF_IIN --password-env VAR [--once]`
//! (R-33, issue 5): signs in as the staff member, pulls their school's applications,
//! pushes the outbox, prints counts. With `--once`: one round, exit 0 when it completed,
//! 1 when the portal stopped it (the reason is printed; nothing is lost). Without: rounds
//! until Ctrl-C, with a bounded backoff while the portal is away.

use anyhow::{Context, bail};
use clap::Args;
use desk::sync_run::{self, Pace, RoundReport, SyncTarget};
use domain::{Iin, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The portal's base URL, e.g. http://127.0.0.1:8787
    #[arg(long)]
    pub portal: String,
    /// The journal database (created when missing).
    #[arg(long)]
    pub db: PathBuf,
    /// The staff member's IIN.
    #[arg(long)]
    pub iin: String,
    /// The environment variable that holds the password (never a command-line argument).
    #[arg(long)]
    pub password_env: String,
    /// One round, then exit.
    #[arg(long)]
    pub once: bool,
}

fn print_report(r: &RoundReport) {
    println!(
        "pulled {} (new {}, updated {}, kept local {}), pushed {}, refused {}, retried {}, documents {}; waiting {}, refused rows {}",
        r.pulled,
        r.inserted,
        r.updated,
        r.kept_local,
        r.pushed,
        r.refused,
        r.retried,
        r.documents_cached,
        r.pending_left,
        r.refused_rows
    );
    if let Some(e) = &r.stopped {
        println!(
            "stopped: {} — {} / {}",
            e.code(),
            e.message(Lang::Kk),
            e.message(Lang::Ru)
        );
    }
}

pub fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    let iin =
        Iin::parse(&args.iin).map_err(|e| anyhow::anyhow!("--iin: {}", e.message(Lang::Ru)))?;
    let password = std::env::var(&args.password_env).with_context(|| {
        format!(
            "--password-env: the environment variable {} is not set",
            args.password_env
        )
    })?;
    if password.is_empty() {
        bail!(
            "--password-env: the environment variable {} is empty",
            args.password_env
        );
    }
    let target = SyncTarget::new(&args.db, &args.portal, &iin, &password);
    if args.once {
        return match sync_run::sync_once_with(&target, time::OffsetDateTime::now_utc()) {
            Ok(report) => {
                print_report(&report);
                Ok(if report.completed() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                })
            }
            Err(e) => {
                eprintln!("error: {}: {e} — {}", e.code(), e.message(Lang::Ru));
                Ok(ExitCode::FAILURE)
            }
        };
    }
    match sync_run::run_until_interrupted(&target, Pace::default(), &mut print_report) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("error: {}: {e} — {}", e.code(), e.message(Lang::Ru));
            Ok(ExitCode::FAILURE)
        }
    }
}
