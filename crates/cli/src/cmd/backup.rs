//! `qabyldau backup --db <PATH> --out <FILE> --iin <IIN> --password-env <VAR>` (issue 13):
//! a consistent copy of a journal, also while the window has it open. The copy of an
//! encrypted journal is encrypted with the journal's own key, and the journal's key file
//! is copied beside it (`<out stem>.keys`), so the clerks who open the journal open the
//! backup and nobody else does. A plaintext journal (before its first sign-in) needs no
//! credentials.

use anyhow::Context;
use clap::Args;
use desk::Desk;
use desk::vault::{self, FileKind};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cmd::credentials::{self, Credentials};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The journal to copy.
    #[arg(long)]
    pub db: PathBuf,
    /// Where the copy goes (replaced if it exists); its key file goes beside it.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub clerk: Credentials,
}

pub fn run(args: BackupArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.db.is_file(), "{}: no such journal", args.db.display());
    anyhow::ensure!(
        args.db.canonicalize().ok() != args.out.canonicalize().ok()
            && vault::keys_path(&args.db) != vault::keys_path(&args.out),
        "--out is the journal itself (or shares its key file)"
    );
    let now = time::OffsetDateTime::now_utc();
    let (desk, key) = match vault::file_kind(&args.db)
        .map_err(|e| credentials::desk_error(&args.db, &e.into()))?
    {
        FileKind::Plaintext => (
            Desk::open(&args.db).map_err(|e| credentials::desk_error(&args.db, &e))?,
            None,
        ),
        _ => {
            let clerk = args.clerk.clerk(&args.db)?;
            let key = credentials::unlock(&args.db, &clerk, now)?;
            let desk = Desk::open_encrypted(&args.db, &key)
                .map_err(|e| credentials::desk_error(&args.db, &e))?;
            (desk, Some(key))
        }
    };
    desk.backup_to(&args.out, key.as_ref())
        .map_err(|e| credentials::desk_error(&args.out, &e))
        .with_context(|| format!("backup of {}", args.db.display()))?;
    println!("backup: {} -> {}", args.db.display(), args.out.display());
    if key.is_some() {
        println!(
            "backup: encrypted with the journal's key; its key file: {}",
            vault::keys_path(&args.out).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
