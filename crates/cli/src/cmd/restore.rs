//! `qabyldau restore --db <PATH> --from <FILE>` (issue 13): the backup is checked on its
//! own first (a file that is not a sound journal changes nothing); the journal it
//! replaces is kept beside it as `<db>.before-restore-<time>`. Close the window first.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The journal to replace.
    #[arg(long)]
    pub db: PathBuf,
    /// The backup to restore from.
    #[arg(long)]
    pub from: PathBuf,
}

pub fn run(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    match desk::backup::restore(&args.db, &args.from, &stamp) {
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
