//! `qabyldau receipt` renders a receipt PDF from the documented JSON input
//! (crates/receipts/FORMAT.md); `qabyldau verify-receipt` checks a scanned QR payload
//! against the signed decision bytes (issue 7, R-35).

use anyhow::Context;
use clap::Args;
use desk::receipts::{self, Error, ReceiptInput, ReceiptStyle};
use domain::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The receipt input, JSON (schema: crates/receipts/FORMAT.md).
    #[arg(long, value_name = "FILE.json")]
    pub input: PathBuf,
    /// Where to write the PDF (replaced if it exists).
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyReceiptArgs {
    /// The text read from the receipt's QR code, e.g. `QBL1|2026-0001234|A|20260601|7623b8738b81a55d`.
    #[arg(long, value_name = "QR TEXT")]
    pub payload: String,
    /// The signed decision bytes (the canonical JSON the clerk's EDS signed).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "db",
        conflicts_with = "db"
    )]
    pub signed: Option<PathBuf>,
    /// Or: check against this journal (number, decision, date and the signed bytes).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// With --db: the clerk who opens the encrypted journal.
    #[command(flatten)]
    pub clerk: crate::cmd::credentials::Credentials,
}

pub fn run(args: ReceiptArgs) -> anyhow::Result<ExitCode> {
    let json = std::fs::read_to_string(&args.input)
        .with_context(|| format!("cannot read the receipt input {}", args.input.display()))?;
    let receipt = match ReceiptInput::parse(&json) {
        Ok(r) => r,
        Err(e) => {
            print_error("invalid receipt input", &e);
            return Ok(ExitCode::FAILURE);
        }
    };
    let pdf = receipts::render(&receipt, &ReceiptStyle::default());
    write_replacing(&args.out, &pdf)?;
    println!(
        "wrote {} ({} bytes): {} receipt {} in {}{}",
        args.out.display(),
        pdf.len(),
        receipt.kind.as_str(),
        receipt.number,
        receipt.lang.code(),
        if receipt.is_provisional() {
            ", provisional"
        } else {
            ""
        }
    );
    println!("QR: {}", receipts::QrPayload::for_receipt(&receipt));
    Ok(ExitCode::SUCCESS)
}

pub fn run_verify(args: VerifyReceiptArgs) -> anyhow::Result<ExitCode> {
    if let Some(db) = &args.db {
        let desk = args.clerk.open(db, time::OffsetDateTime::now_utc())?;
        return Ok(match desk.verify_receipt(&args.payload) {
            Ok(c) => {
                println!(
                    "valid: application {} ({}), status {:?}, date {}",
                    c.number, c.application_id, c.status, c.date
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                println!("invalid receipt: {e} [{}]", e.code());
                println!("kk: {}", e.message(Lang::Kk));
                println!("ru: {}", e.message(Lang::Ru));
                ExitCode::FAILURE
            }
        });
    }
    let Some(signed_path) = &args.signed else {
        anyhow::bail!("give --signed <FILE> or --db <PATH>")
    };
    let signed = std::fs::read(signed_path)
        .with_context(|| format!("cannot read the signed decision {}", signed_path.display()))?;
    match receipts::verify(&args.payload, &signed) {
        Ok(p) => {
            println!(
                "valid: application {}, decision {}, date {}, digest matches the signed decision",
                p.number,
                p.decision.letter(),
                p.date
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            print_error("invalid receipt", &e);
            Ok(ExitCode::FAILURE)
        }
    }
}

/// English first (logs, scripts), then Kazakh and Russian for the clerk.
fn print_error(what: &str, e: &Error) {
    println!("{what}: {e} [{}]", e.code());
    for lang in Lang::ALL {
        println!("{}: {}", lang.code(), e.message(lang));
    }
}

/// Writes beside the target and renames, so a printer or viewer never sees half a PDF.
fn write_replacing(out: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp = out.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("cannot write {}", out.display()))?;
    Ok(())
}
