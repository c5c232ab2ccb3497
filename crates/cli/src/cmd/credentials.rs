//! The clerk's credentials that open an encrypted journal (issue 16): one clap struct
//! for every `--db` subcommand — `--iin <IIN> --password-env <VAR>`; the password is read
//! from that environment variable, never from the command line.

use anyhow::{Context, bail};
use clap::Args;
use desk::Desk;
use desk::vault::{self, JournalKey, SecretString};
use domain::{Iin, Lang};
use std::path::Path;

#[derive(Debug, Clone, Args)]
pub struct Credentials {
    /// The clerk's IIN: whose key opens the encrypted journal.
    #[arg(long, value_name = "IIN")]
    pub iin: Option<String>,
    /// The name of the environment variable that holds the clerk's password.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
}

/// A clerk's IIN and password, parsed once.
#[derive(Debug)]
pub struct Clerk {
    pub iin: Iin,
    pub password: SecretString,
}

impl Credentials {
    /// Both given, the IIN valid, the variable set and not empty; else a clear error.
    pub fn clerk(&self, db: &Path) -> anyhow::Result<Clerk> {
        let (Some(iin), Some(var)) = (&self.iin, &self.password_env) else {
            bail!(
                "{}: the journal is encrypted; give the clerk's --iin <IIN> and --password-env <VAR> \
                 (the name of an environment variable that holds the password)",
                db.display()
            );
        };
        clerk(iin, "--iin", var)
    }

    /// The OFFLINE sign-in: the clerk's envelope unwrapped with the password, the
    /// encrypted journal opened. A wrong password changes nothing in the journal.
    pub fn open(&self, db: &Path, now: time::OffsetDateTime) -> anyhow::Result<Desk> {
        if !db.exists() {
            bail!(
                "{}: no such journal (create one with `qabyldau demo --db {} --clerk-iin <IIN> --password-env <VAR>` or `qabyldau sync`)",
                db.display(),
                db.display()
            );
        }
        let clerk = self.clerk(db)?;
        let key = unlock(db, &clerk, now)?;
        Desk::open_encrypted(db, &key).map_err(|e| desk_error(db, &e))
    }
}

pub fn clerk(iin: &str, flag: &str, var: &str) -> anyhow::Result<Clerk> {
    let iin = Iin::parse(iin).map_err(|e| anyhow::anyhow!("{flag}: {}", e.message(Lang::Ru)))?;
    let password = std::env::var(var)
        .with_context(|| format!("--password-env: the environment variable {var} is not set"))?;
    if password.is_empty() {
        bail!("--password-env: the environment variable {var} is empty");
    }
    Ok(Clerk {
        iin,
        password: SecretString::from(password),
    })
}

/// `vault::unlock` with the error in words.
pub fn unlock(db: &Path, clerk: &Clerk, now: time::OffsetDateTime) -> anyhow::Result<JournalKey> {
    vault::unlock(db, &clerk.iin, &clerk.password, now).map_err(|e| desk_error(db, &e))
}

/// A desk error for a person at a terminal: code, English, Russian.
pub fn desk_error(db: &Path, e: &desk::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: {} [{}] — {}",
        db.display(),
        e,
        e.code(),
        e.message(Lang::Ru)
    )
}
