//! `qabyldau audit verify --db <PATH> --iin <IIN> --password-env <VAR>`: walks the
//! history's SHA-256 chain (issue 15, R-5) in the encrypted journal and prints the first
//! broken link (exit 1) or how many entries it checked (exit 0). The journal file must
//! exist: an audit never creates one.

use crate::cmd::credentials::Credentials;
use clap::{Args, Subcommand};
use desk::audit::{ChainFault, HistoryCheck};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check that no history entry was edited, removed or inserted around the app.
    Verify(AuditVerifyArgs),
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    /// The journal database.
    #[arg(long)]
    pub db: PathBuf,
    #[command(flatten)]
    pub clerk: Credentials,
}

pub fn run(c: AuditCommand) -> anyhow::Result<ExitCode> {
    match c {
        AuditCommand::Verify(args) => verify(args),
    }
}

fn verify(args: AuditVerifyArgs) -> anyhow::Result<ExitCode> {
    let desk = args.clerk.open(&args.db, time::OffsetDateTime::now_utc())?;
    match desk.verify_history()? {
        HistoryCheck::Intact { entries } => {
            println!("history intact: {entries} entries checked");
            Ok(ExitCode::SUCCESS)
        }
        HistoryCheck::Broken {
            checked,
            entry_id,
            application_id,
            kind,
            fault,
        } => {
            let what = match fault {
                ChainFault::Missing => "it has no hashes (written around the app)",
                ChainFault::ContentEdited => "its content does not match its hash (edited)",
                ChainFault::LinkBroken => {
                    "it does not follow from the entry before it (an entry removed, inserted or re-hashed)"
                }
            };
            println!(
                "history broken at entry {entry_id} (application {application_id}, {kind}): {what} [{}]",
                fault.code()
            );
            println!("{checked} entries before it are intact");
            Ok(ExitCode::FAILURE)
        }
    }
}
