//! `qabyldau restore --db <PATH> --from <FILE> --iin <IIN> --password-env <VAR>` (issue
//! 13): the backup (with its key file) is copied and opened on its own first — an
//! encrypted one with the clerk's password, which must open the backup's key file — so a
//! file that is not a sound journal, or that this clerk cannot open, changes nothing. The
//! journal it replaces is kept beside it as `<db>.before-restore-<time>` (its key file
//! too). Close the window first.

use clap::Args;
use desk::backup::RestoreCheck;
use desk::vault::{self, FileKind};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cmd::credentials::Credentials;

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The journal to replace.
    #[arg(long)]
    pub db: PathBuf,
    /// The backup to restore from (its key file beside it).
    #[arg(long)]
    pub from: PathBuf,
    #[command(flatten)]
    pub clerk: Credentials,
}

fn stamp(now: time::OffsetDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

pub fn run(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let now = time::OffsetDateTime::now_utc();
    let plaintext = matches!(vault::file_kind(&args.from), Ok(FileKind::Plaintext));
    let result = if plaintext {
        desk::backup::restore(&args.db, &args.from, &stamp(now), RestoreCheck::Plaintext)
    } else {
        let clerk = args.clerk.clerk(&args.from)?;
        let key_of = |copy: &std::path::Path| vault::unlock(copy, &clerk.iin, &clerk.password, now);
        desk::backup::restore(
            &args.db,
            &args.from,
            &stamp(now),
            RestoreCheck::Encrypted(&key_of),
        )
    };
    match result {
        Ok(kept) => {
            println!("restore: {} <- {}", args.db.display(), args.from.display());
            if let Some(kept) = kept {
                println!(
                    "restore: the journal it replaced is kept at {}",
                    kept.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!(
                "restore: {} [{}] — {}; the journal was not changed",
                e,
                e.code(),
                e.message(domain::Lang::Ru)
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
