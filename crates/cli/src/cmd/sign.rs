//! `qabyldau sign`: a detached CMS signature of a file with a PKCS#11 token or a `.p12`
//! key file (issue 6, R-34). The PIN / password is read from the environment variable
//! named on the command line, never from an argument, and kept in zeroizing memory.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{ArgGroup, Args};
use desk::signing::{self, KeySource, TokenTarget, Zeroizing};
use domain::{Iin, Lang};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("key").required(true).args(["pkcs11_module", "p12"])))]
#[command(
    after_help = "Output is DER (binary .p7s) unless --pem is given; `qabyldau verify` \
accepts both. RSA and GOST 34.10-2015 keys sign. The certificate must be valid at the signing \
time (--at, default now) and not an authentication-only key (AUTH_RSA); with --clerk-iin the \
decision rules apply: a signing key (nonRepudiation) whose owner IIN is that clerk's."
)]
pub struct SignArgs {
    /// PKCS#11 module of the token, e.g. /usr/lib/softhsm/libsofthsm2.so.
    #[arg(long, requires_all = ["token_label", "pin_env"], conflicts_with = "p12")]
    pub pkcs11_module: Option<PathBuf>,
    /// Label of the token to sign with.
    #[arg(long, requires = "pkcs11_module")]
    pub token_label: Option<String>,
    /// Name of the environment variable that holds the token PIN.
    #[arg(long, requires = "pkcs11_module")]
    pub pin_env: Option<String>,
    /// NCA key file (RSA_*.p12, GOSTKNCA_*.p12), modern or legacy encryption.
    #[arg(long, requires = "password_env")]
    pub p12: Option<PathBuf>,
    /// Name of the environment variable that holds the key file password.
    #[arg(long, requires = "p12")]
    pub password_env: Option<String>,
    /// The file to sign (its bytes as they are).
    #[arg(long = "in")]
    pub input: PathBuf,
    /// Where to write the signature (.p7s).
    #[arg(long)]
    pub out: PathBuf,
    /// Write PEM (-----BEGIN CMS-----) instead of DER.
    #[arg(long)]
    pub pem: bool,
    /// IIN of the signed-in clerk; the certificate's owner IIN must equal it.
    #[arg(long)]
    pub clerk_iin: Option<String>,
    /// The signing time (RFC 3339), also the instant the certificate is checked at (for
    /// archives and tests); default: now.
    #[arg(long)]
    pub at: Option<String>,
    /// Language of error explanations: kk or ru.
    #[arg(long, default_value = "kk")]
    pub lang: String,
}

fn secret_from_env(var: &str) -> anyhow::Result<Zeroizing<String>> {
    let value =
        std::env::var(var).with_context(|| format!("environment variable {var} is not set"))?;
    Ok(Zeroizing::new(value))
}

pub fn run(args: SignArgs) -> anyhow::Result<ExitCode> {
    let lang = Lang::from_code(&args.lang).unwrap_or(Lang::Kk);
    let content = std::fs::read(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let clerk = match &args.clerk_iin {
        Some(s) => Some(Iin::parse(s).map_err(|e| anyhow::anyhow!("--clerk-iin: {e}"))?),
        None => None,
    };
    let (source, secret_var) = match (&args.pkcs11_module, &args.p12) {
        (Some(module), _) => (
            KeySource::Token(TokenTarget {
                module: module.clone(),
                token_label: args.token_label.clone().unwrap_or_default(),
            }),
            args.pin_env.as_deref().unwrap_or_default(),
        ),
        (None, Some(p12)) => (
            KeySource::KeyFile(p12.clone()),
            args.password_env.as_deref().unwrap_or_default(),
        ),
        (None, None) => anyhow::bail!("give --pkcs11-module or --p12"),
    };
    let signer = match signing::open_signer(&source, secret_from_env(secret_var)?) {
        Ok(s) => s,
        Err(e) => return Ok(refuse(&e, lang)),
    };
    let facts = signer.certificate();
    // The CLI is the edge of the program: the clock is read here and passed in.
    let now = super::cert::instant(args.at.as_deref())?;
    let signed = match &clerk {
        // A decision: the clerk's own valid signing certificate only.
        Some(clerk) => signing::sign_decision(signer.as_ref(), clerk, &content, now),
        // A plain file: valid, RSA, not an authentication-only key.
        None => signing::check_for_signing(facts, now)
            .and_then(|()| signer.sign_detached(&content, now)),
    };
    let cms = match signed {
        Ok(cms) => cms,
        Err(e) => return Ok(refuse(&e, lang)),
    };
    let (bytes, form) = if args.pem {
        (
            signing::signature_pem(&cms)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .into_bytes(),
            "PEM",
        )
    } else {
        (cms, "DER")
    };
    std::fs::write(&args.out, bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "signed {} -> {} (CMS, {form})",
        args.input.display(),
        args.out.display()
    );
    match &facts.owner_iin {
        Some(iin) => println!("signer IIN: {iin}"),
        None => println!("signer IIN: (none in certificate)"),
    }
    println!("subject: {}", facts.subject);
    println!("algorithm: {}", facts.key_algorithm.name());
    Ok(ExitCode::SUCCESS)
}

/// Prints why signing did not happen (English, code, and the user's language); exit 1.
pub fn refuse(e: &signing::Error, lang: Lang) -> ExitCode {
    eprintln!("not signed: {e} [{}]", e.code());
    eprintln!("{}", e.message(lang));
    ExitCode::FAILURE
}
