//! A journal the sign-in found damaged (issue 13): the clerk's key opened the key file,
//! the journal did not. Nothing is overwritten; the window offers the latest backup,
//! which the same key must open before it replaces the journal.

use std::path::{Path, PathBuf};

use super::Session;
use crate::Error;

impl Session {
    /// Whether the last sign-in found the journal damaged (the window offers a backup).
    pub fn journal_damaged(&self) -> bool {
        self.inner().damaged.is_some()
    }

    /// Replaces the damaged journal by the backup `from` (issue 13): only after a sign-in
    /// found it damaged, and only when the clerk's journal key opens the backup; the
    /// damaged journal is kept beside it (`<journal>.before-restore-<stamp>`).
    pub fn restore_damaged(&self, from: &Path, stamp: &str) -> Result<Option<PathBuf>, Error> {
        let Some(key) = self.inner().damaged.clone() else {
            return Err(Error::RestoreNotNeeded);
        };
        let key_of = move |_: &Path| Ok(key.clone());
        let kept = crate::backup::restore(
            &self.config.journal,
            from,
            stamp,
            crate::backup::RestoreCheck::Encrypted(&key_of),
        )?;
        self.inner().damaged = None;
        Ok(kept)
    }
}

/// A journal file that is there but cannot be read with the right key: damaged (the key
/// file proved the key is the journal's).
pub(super) fn is_damage(e: &Error) -> bool {
    matches!(
        e.code(),
        "DB_CORRUPT" | "DB_NOT_A_DATABASE" | "DB_DAMAGED" | "DB_WRONG_KEY"
    )
}
