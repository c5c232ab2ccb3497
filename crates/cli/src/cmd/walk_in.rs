//! `qabyldau walk-in submit`: a paper form collected while the portal was down, entered
//! headless (issue 11). The same desk use case and rules as the window's wizard
//! (`Desk::submit_on_behalf`): every wrong field is reported at once, the clerk's key
//! signs the binding (R-15…R-17) and the submission, and both wait in the outbox
//! for `qabyldau sync`. Input format: docs/walk-in-input.md.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{ArgGroup, Args, Subcommand};
use desk::keys::{CheckedKey, KeyTrust};
use desk::on_behalf::SubmissionIds;
use desk::picked_files::{FilePurpose, PickedFiles, read_picked};
use desk::signing::revocation::HttpFetch;
use desk::signing::{self, KeySource, TokenTarget, Zeroizing};
use desk::views::OnBehalfInput;
use domain::Lang;

use super::credentials::Credentials;

#[derive(Debug, Subcommand)]
pub enum WalkInCommand {
    /// Enter one walk-in application from a JSON file, signed with the clerk's key; it
    /// waits in the outbox with a provisional number until `qabyldau sync` sends it.
    Submit(SubmitArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("key").required(true).args(["pkcs11_module", "p12"])))]
#[command(
    after_help = "The input is the wizard's form as JSON (docs/walk-in-input.md): \
applicant, child (with its binding to a micro-district or a temporary registration), contacts \
and their confirmation codes, school, class, language, consents, notifications, and documents \
as file paths (relative to the input file). Contacts without a confirmed code and data not \
checked against the register make the submission wait (marked unconfirmed, unchecked) until \
they are confirmed or checked when the portal is back."
)]
pub struct SubmitArgs {
    /// The journal.
    #[arg(long)]
    pub db: PathBuf,
    #[command(flatten)]
    pub credentials: Credentials,
    /// The form, JSON (docs/walk-in-input.md).
    #[arg(long)]
    pub input: PathBuf,
    /// PKCS#11 module of the token, e.g. /usr/lib/softhsm/libsofthsm2.so.
    #[arg(long, requires_all = ["token_label", "pin_env"], conflicts_with = "p12")]
    pub pkcs11_module: Option<PathBuf>,
    /// Label of the token to sign with.
    #[arg(long, requires = "pkcs11_module")]
    pub token_label: Option<String>,
    /// Name of the environment variable that holds the token PIN.
    #[arg(long, requires = "pkcs11_module")]
    pub pin_env: Option<String>,
    /// NCA key file (RSA_*.p12, GOSTKNCA_*.p12).
    #[arg(long, requires = "p12_password_env")]
    pub p12: Option<PathBuf>,
    /// Name of the environment variable that holds the key file's password (the
    /// journal's is `--password-env`).
    #[arg(long, requires = "p12")]
    pub p12_password_env: Option<String>,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
    /// Language of the messages: kk or ru.
    #[arg(long, default_value = "kk")]
    pub lang: String,
}

pub fn run(command: WalkInCommand) -> anyhow::Result<ExitCode> {
    match command {
        WalkInCommand::Submit(args) => submit(args),
    }
}

fn secret(var: &str) -> anyhow::Result<Zeroizing<String>> {
    let value =
        std::env::var(var).with_context(|| format!("environment variable {var} is not set"))?;
    Ok(Zeroizing::new(value))
}

/// The documents of the form, each read once as the window's dialog reads a pick, under
/// its path as given (the handle), resolved against the input file's folder.
fn picked(input: &OnBehalfInput, base: &Path) -> PickedFiles {
    let mut files = PickedFiles::default();
    for d in &input.documents {
        let path = base.join(&d.file);
        files.insert(d.file.clone(), read_picked(&path, FilePurpose::Document));
    }
    files
}

fn submit(args: SubmitArgs) -> anyhow::Result<ExitCode> {
    let lang = Lang::from_code(&args.lang).unwrap_or(Lang::Kk);
    // The CLI is the edge: the clock and the ids are made here.
    let now = time::OffsetDateTime::now_utc();
    let text = std::fs::read_to_string(&args.input)
        .with_context(|| format!("cannot read {}", args.input.display()))?;
    let input: OnBehalfInput = serde_json::from_str(&text)
        .with_context(|| format!("{}: not the walk-in form's JSON", args.input.display()))?;
    let base = args
        .input
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let files = picked(&input, &base);
    let (source, var) = match (&args.pkcs11_module, &args.p12) {
        (Some(module), _) => (
            KeySource::Token(TokenTarget {
                module: module.clone(),
                token_label: args.token_label.clone().unwrap_or_default(),
            }),
            args.pin_env.clone().unwrap_or_default(),
        ),
        (None, Some(p12)) => (
            KeySource::KeyFile(p12.clone()),
            args.p12_password_env.clone().unwrap_or_default(),
        ),
        (None, None) => anyhow::bail!("give --pkcs11-module or --p12"),
    };
    let mut desk = args.credentials.open(&args.db, now)?;
    // Who registers and signs it: the clerk whose password opened the journal.
    let clerk = args.credentials.clerk(&args.db)?.iin;
    let signer = match signing::open_signer(&source, secret(&var)?) {
        Ok(s) => s,
        Err(e) => return Ok(super::sign::refuse(&e, lang)),
    };
    // The same trust checks as the window's keys: NCA's chain, revocation when reachable.
    let signer = CheckedKey::new(signer, KeyTrust::from_env(), Box::new(HttpFetch::default()));
    let ids = SubmissionIds::new(
        &uuid::Uuid::new_v4().to_string(),
        &uuid::Uuid::new_v4().to_string(),
    );
    match desk.submit_on_behalf(&clerk, &input, &files, &signer, now, &ids) {
        Ok(outcome) => {
            let holds: Vec<String> = desk
                .application(&outcome.application_id)
                .map(|a| a.holds.into_iter().map(|h| h.reason).collect())
                .unwrap_or_default();
            if args.json {
                println!(
                    "{}",
                    serde_json::json!({
                        "application_id": outcome.application_id,
                        "number": outcome.number,
                        "warnings": outcome.warnings,
                        "payload_sha256": outcome.payload_sha256,
                        "waits_for": holds,
                    })
                );
            } else {
                println!(
                    "entered {} ({}), waiting to be sent{}",
                    outcome.number,
                    outcome.application_id,
                    if holds.is_empty() {
                        String::new()
                    } else {
                        format!(" after: {}", holds.join(", "))
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let ui = desk::UiError::from(e);
            let text = match lang {
                Lang::Kk => &ui.kk,
                Lang::Ru => &ui.ru,
            };
            eprintln!("not entered: [{}] {text}", ui.code);
            for f in &ui.fields {
                eprintln!(
                    "  {}: [{}] {}",
                    f.field,
                    f.code,
                    desk::catalogue_error_text(&f.code, lang)
                );
            }
            Ok(ExitCode::FAILURE)
        }
    }
}
