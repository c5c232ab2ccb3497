//! `qabyldau` — the headless face of the desk API. Each subcommand lives in its own
//! module under `cmd/`, parses its arguments into desk types once, calls desk, and
//! prints. Exit codes: 0 success, 1 the input or the check failed (reason printed),
//! 2 usage error (clap).

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cmd;

/// `0.1.0 (commit 1a2b3c4d5e, built 2026-12-01)`: the same line as the window's about box.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("QABYLDAU_COMMIT"),
    ", built ",
    env!("QABYLDAU_BUILD_DATE"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "qabyldau",
    version = VERSION,
    about = "Qabyldau: school admissions desk, headless commands"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Individual identification numbers.
    #[command(subcommand)]
    Iin(cmd::iin::IinCommand),
    /// Create or fill a local database with deterministic demo data.
    Demo(cmd::demo::DemoArgs),
    /// Print the journal of applications.
    Journal(cmd::journal::JournalArgs),
    /// Render a receipt PDF (acceptance, documents, rejection) from its JSON input.
    Receipt(cmd::receipt::ReceiptArgs),
    /// Check a receipt's QR payload against the signed decision bytes.
    VerifyReceipt(cmd::receipt::VerifyReceiptArgs),
    /// Sign a file with a PKCS#11 token or a .p12 key file: a detached CMS signature.
    Sign(cmd::sign::SignArgs),
    /// Verify a detached CMS signature (DER or PEM) of a file.
    Verify(cmd::verify::VerifyArgs),
    /// Certificates: what one says and whether it is valid and NCA-issued.
    #[command(subcommand)]
    Cert(cmd::cert::CertCommand),
    /// PKCS#11 tokens.
    #[command(subcommand)]
    Token(cmd::token::TokenCommand),
    /// Sync the journal with the portal: pull the school's applications, push the outbox.
    Sync(cmd::sync::SyncArgs),
    /// The history's tamper evidence.
    #[command(subcommand)]
    Audit(cmd::audit::AuditCommand),
    /// Measure the speed targets (journal search, signing, receipts, sync) and print the
    /// figures beside them (BENCHMARKS.md).
    Bench(cmd::bench::BenchArgs),
    /// Copy a journal (SQLite online backup; the copy keeps its encryption).
    Backup(cmd::backup::BackupArgs),
    /// Replace a journal by a backup, after checking the backup; the old one is kept.
    Restore(cmd::restore::RestoreArgs),
    /// Walk-in applications entered headless (paper forms from while the portal was down).
    #[command(subcommand)]
    WalkIn(cmd::walk_in::WalkInCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Iin(c) => cmd::iin::run(c),
        Command::Demo(a) => cmd::demo::run(a),
        Command::Journal(a) => cmd::journal::run(a),
        Command::Receipt(a) => cmd::receipt::run(a),
        Command::VerifyReceipt(a) => cmd::receipt::run_verify(a),
        Command::Sign(a) => cmd::sign::run(a),
        Command::Verify(a) => cmd::verify::run(a),
        Command::Cert(c) => cmd::cert::run(c),
        Command::Token(c) => cmd::token::run(c),
        Command::Sync(a) => cmd::sync::run(a),
        Command::Audit(c) => cmd::audit::run(c),
        Command::Bench(a) => cmd::bench::run(a),
        Command::Backup(a) => cmd::backup::run(a),
        Command::Restore(a) => cmd::restore::run(a),
        Command::WalkIn(c) => cmd::walk_in::run(c),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
