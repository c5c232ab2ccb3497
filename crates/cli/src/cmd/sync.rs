//! `qabyldau sync --portal URL --db PATH --iin STAFF_IIN --password-env VAR [--once]`
//! (R-33, issue 5): signs in as the staff member, pulls their school's applications,
//! pushes the outbox, prints counts. With `--once`: one round, exit 0 when it completed,
//! 1 when the portal stopped it (the reason is printed; nothing is lost). Without: rounds
//! until Ctrl-C, with a bounded backoff while the portal is away.
//!
//! The journal is encrypted (issue 16): a clerk enrolled on it opens it offline first (a
//! wrong password stops here, nothing changed); a clerk new to it (or a new journal) is
//! signed in online first and then enrolled.

use crate::cmd::credentials::{self, Credentials};
use clap::Args;
use desk::ExposeSecret;
use desk::sync_run::{self, Pace, RoundReport, SyncTarget};
use domain::Lang;
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
    /// The staff member who signs in to the portal and opens the journal.
    #[command(flatten)]
    pub clerk: Credentials,
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
    let clerk = args.clerk.clerk(&args.db)?;
    let now = time::OffsetDateTime::now_utc();
    let key = match desk::vault::unlock(&args.db, &clerk.iin, &clerk.password, now) {
        Ok(key) => key,
        Err(desk::Error::ClerkNotEnrolled) => {
            if let Err(e) = desk::sync_signin::check_sign_in(
                &args.portal,
                &clerk.iin,
                clerk.password.expose_secret(),
            ) {
                eprintln!("error: {}: {e} — {}", e.code(), e.message(Lang::Ru));
                return Ok(ExitCode::FAILURE);
            }
            desk::vault::enroll(&args.db, &clerk.iin, &clerk.password, None, now)
                .map_err(|e| credentials::desk_error(&args.db, &e))?
        }
        Err(e) => return Err(credentials::desk_error(&args.db, &e)),
    };
    let target = SyncTarget::new(
        &args.db,
        &args.portal,
        &clerk.iin,
        clerk.password.expose_secret(),
    )
    .with_key(&key);
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
