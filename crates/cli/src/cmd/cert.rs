//! `qabyldau cert check --cert <FILE> [--ca <FILE>]... [--at <RFC3339>]`: what a
//! certificate says (owner IIN as written, name, BIN, organisation, algorithm, key usage,
//! role, validity) and whether it is valid at `--at` and issued by one of the `--ca`
//! certificates (issue 10). Exit 0 when it is; 1 with the reason otherwise. PEM or DER.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use desk::signing::{self, CertificateFacts, KeyPurpose};
use domain::Lang;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Print a certificate's facts and check it (validity at --at, issuer among --ca).
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The certificate, PEM or DER.
    #[arg(long)]
    pub cert: PathBuf,
    /// CA certificate(s), PEM (one or more) or DER; repeatable. The certificate's
    /// signature must verify under one of them (through the others when they chain).
    #[arg(long)]
    pub ca: Vec<PathBuf>,
    /// The instant to check validity at (RFC 3339); default: now.
    #[arg(long)]
    pub at: Option<String>,
    /// Language of explanations: kk or ru.
    #[arg(long, default_value = "kk")]
    pub lang: String,
}

pub fn run(command: CertCommand) -> anyhow::Result<ExitCode> {
    match command {
        CertCommand::Check(args) => check(args),
    }
}

/// Parses `--at` (RFC 3339); the CLI is the edge where the clock is read.
pub fn instant(at: Option<&str>) -> anyhow::Result<OffsetDateTime> {
    match at {
        Some(s) => OffsetDateTime::parse(s.trim(), &Rfc3339)
            .map_err(|e| anyhow::anyhow!("--at {s:?} is not an RFC 3339 time: {e}")),
        None => Ok(OffsetDateTime::now_utc()),
    }
}

/// Reads CA certificate files (each PEM with one or more certificates, or one DER).
pub fn read_cas(paths: &[PathBuf]) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for path in paths {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let certs = signing::certificates_from_pem_or_der(&bytes)
            .map_err(|e| anyhow::anyhow!("--ca {}: {e}", path.display()))?;
        out.extend(certs);
    }
    Ok(out)
}

fn time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Prints the facts every command that shows a certificate shares.
pub fn print_facts(f: &CertificateFacts) {
    match (&f.owner_iin_written, f.iin_invalid()) {
        (Some(written), false) => println!("owner IIN: {written}"),
        (Some(written), true) => println!("owner IIN: {written} (as written; not a valid IIN)"),
        (None, _) => println!("owner IIN: (none in certificate)"),
    }
    let name = match (&f.common_name, &f.given_name) {
        (Some(cn), Some(g)) => format!("{cn} {g}"),
        (Some(cn), None) => cn.clone(),
        (None, _) => "(none)".into(),
    };
    println!("name: {name}");
    println!("BIN: {}", f.bin.as_deref().unwrap_or("(none)"));
    println!(
        "organisation: {}",
        f.organisation.as_deref().unwrap_or("(none)")
    );
    println!("algorithm: {}", f.key_algorithm.name());
    let purpose = match f.key_purpose {
        KeyPurpose::Signing => "signing",
        KeyPurpose::Authentication => "authentication",
        KeyPurpose::Other => "other",
    };
    let usage = if f.key_usage.is_empty() {
        "(none)".to_string()
    } else {
        f.key_usage.join(", ")
    };
    println!("key usage: {usage} ({purpose})");
    println!(
        "role: {}",
        f.role().map(|r| r.name()).unwrap_or("(not stated)")
    );
    println!("validity: {} … {}", time(f.not_before), time(f.not_after));
    println!("subject: {}", f.subject);
    println!("issuer: {}", f.issuer);
    println!("serial: {}", f.serial_hex);
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let lang = Lang::from_code(&args.lang).unwrap_or(Lang::Kk);
    let at = instant(args.at.as_deref())?;
    let bytes = std::fs::read(&args.cert)
        .with_context(|| format!("cannot read {}", args.cert.display()))?;
    let facts = match CertificateFacts::from_pem_or_der(&bytes) {
        Ok(f) => f,
        Err(e) => return Ok(refuse(&e, lang)),
    };
    print_facts(&facts);
    let cas = read_cas(&args.ca)?;
    if at < facts.not_before {
        return Ok(refuse(
            &signing::Error::CertificateNotYetValid {
                not_before: facts.not_before,
            },
            lang,
        ));
    }
    if at > facts.not_after {
        return Ok(refuse(
            &signing::Error::CertificateExpired {
                not_after: facts.not_after,
            },
            lang,
        ));
    }
    if !cas.is_empty() {
        match signing::verify_chain(&facts.der, &cas, &cas, at) {
            Ok(path) => {
                let issuer = path.get(1).map(|c| c.subject.as_str()).unwrap_or("itself");
                println!("issued by: {issuer} (signature verified)");
            }
            Err(e) => return Ok(refuse(&e, lang)),
        }
    }
    println!("status: valid at {}", time(at));
    Ok(ExitCode::SUCCESS)
}

fn refuse(e: &signing::Error, lang: Lang) -> ExitCode {
    println!("status: not valid: {e} [{}]", e.code());
    println!("{}", e.message(lang));
    ExitCode::FAILURE
}
