//! `qabyldau token list`: the tokens a PKCS#11 module sees and the certificates on them;
//! no PIN is asked (issue 6).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use desk::signing::{self, KeyAlgorithm, KeyPurpose};
use domain::Lang;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// List slots with a token, the token's label, serial and flags, and its certificates.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so.
    #[arg(long)]
    pub pkcs11_module: PathBuf,
    /// Language of explanations: kk or ru.
    #[arg(long, default_value = "kk")]
    pub lang: String,
}

pub fn run(command: TokenCommand) -> anyhow::Result<ExitCode> {
    match command {
        TokenCommand::List(args) => Ok(list(&args)),
    }
}

fn list(args: &ListArgs) -> ExitCode {
    let lang = Lang::from_code(&args.lang).unwrap_or(Lang::Kk);
    let tokens = match signing::list_tokens(&args.pkcs11_module) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot list tokens: {e} [{}]", e.code());
            eprintln!("{}", e.message(lang));
            return ExitCode::FAILURE;
        }
    };
    if tokens.is_empty() {
        println!("no tokens");
    }
    for t in tokens {
        let mut flags = Vec::new();
        if !t.flags.initialized {
            flags.push("not initialized");
        }
        if t.flags.login_required {
            flags.push("login required");
        }
        if t.flags.pin.count_low {
            flags.push("PIN count low");
        }
        if t.flags.pin.final_try {
            flags.push("PIN final try");
        }
        if t.flags.pin.locked {
            flags.push("PIN locked");
        }
        println!(
            "token {:?} serial {} slot {} ({} {})",
            t.label, t.serial, t.slot_id, t.manufacturer, t.model
        );
        println!(
            "  flags: {}",
            if flags.is_empty() {
                "-".to_string()
            } else {
                flags.join(", ")
            }
        );
        if let Some(e) = &t.problem {
            println!("  certificates not read: {e} [{}]", e.code());
        } else if t.certificates.is_empty() {
            println!("  no certificates");
        }
        for c in t.certificates {
            println!("  certificate {:?} id {}", c.label, c.id_hex);
            match c.facts {
                Ok(f) => {
                    let iin = f.owner_iin_written.clone().unwrap_or_else(|| "-".into());
                    let purpose = match f.key_purpose {
                        KeyPurpose::Signing => "signing",
                        KeyPurpose::Authentication => "authentication",
                        KeyPurpose::Other => "other",
                    };
                    let algorithm = match &f.key_algorithm {
                        KeyAlgorithm::Rsa { .. } => f.key_algorithm.name(),
                        other => format!(
                            "{} (not reachable through this PKCS#11 module)",
                            other.name()
                        ),
                    };
                    println!("    subject: {}", f.subject);
                    println!("    owner IIN: {iin}");
                    println!(
                        "    valid: {} .. {}",
                        f.not_before.date(),
                        f.not_after.date()
                    );
                    println!("    key: {algorithm}, {purpose}");
                }
                Err(e) => println!("    unreadable: {e} [{}]", e.code()),
            }
        }
    }
    ExitCode::SUCCESS
}
