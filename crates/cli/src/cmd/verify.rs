//! `qabyldau verify --in F --sig F.p7s [--ca F]... [--at RFC3339]`: checks a detached CMS
//! signature (DER or PEM, RSA or GOST 34.10-2015) over a file, and the signer's
//! certificate chain when CAs are given (issues 6, 10).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use desk::signing;
use domain::Lang;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The signed file.
    #[arg(long = "in")]
    pub input: PathBuf,
    /// The signature (.p7s), DER or PEM.
    #[arg(long)]
    pub sig: PathBuf,
    /// CA certificate(s), PEM (or one DER), repeatable; the signer's certificate must
    /// chain to one of them.
    #[arg(long)]
    pub ca: Vec<PathBuf>,
    /// The instant the chain is checked at (RFC 3339); default: the signing time.
    #[arg(long)]
    pub at: Option<String>,
    /// Language of explanations: kk or ru.
    #[arg(long, default_value = "kk")]
    pub lang: String,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let lang = Lang::from_code(&args.lang).unwrap_or(Lang::Kk);
    let content = std::fs::read(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let sig =
        std::fs::read(&args.sig).with_context(|| format!("cannot read {}", args.sig.display()))?;
    let cas = super::cert::read_cas(&args.ca)?;
    let trust = (!cas.is_empty()).then_some(cas.as_slice());
    let at = match &args.at {
        Some(at) => Some(super::cert::instant(Some(at))?),
        None => None,
    };
    match signing::verify_cms(&content, &sig, trust, at) {
        Ok(v) => {
            println!("valid signature");
            println!("algorithm: {}", v.algorithm.name());
            match &v.signer.owner_iin {
                Some(iin) => println!("signer IIN: {iin}"),
                None => println!("signer IIN: (none in certificate)"),
            }
            println!("subject: {}", v.signer.subject);
            println!("issuer: {}", v.signer.issuer);
            if let Some(t) = v.signing_time {
                let t = t
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
                println!("signing time: {t}");
            }
            if v.chain_checked {
                println!("certificate chain: checked against the given CA");
            } else {
                println!("certificate chain: not checked (no --ca)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("invalid signature: {e} [{}]", e.code());
            println!("{}", e.message(lang));
            Ok(ExitCode::FAILURE)
        }
    }
}
