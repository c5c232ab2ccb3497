//! `qabyldau backup --db <PATH> --out <FILE>` (issue 13): a consistent copy of a journal,
//! made with SQLite's online backup while the window may have it open; the copy keeps
//! the journal's encryption.

use anyhow::Context;
use clap::Args;
use desk::Desk;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The journal to copy.
    #[arg(long)]
    pub db: PathBuf,
    /// Where the copy goes (replaced if it exists).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: BackupArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.db.is_file(), "{}: no such journal", args.db.display());
    anyhow::ensure!(
        args.db.canonicalize().ok() != args.out.canonicalize().ok(),
        "--out is the journal itself"
    );
    let desk = Desk::open(&args.db).with_context(|| args.db.display().to_string())?;
    desk.backup_to(&args.out)
        .with_context(|| args.out.display().to_string())?;
    println!("backup: {} -> {}", args.db.display(), args.out.display());
    Ok(ExitCode::SUCCESS)
}
