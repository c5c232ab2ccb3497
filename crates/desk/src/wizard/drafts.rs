//! The on-behalf wizard's draft (issue 16; UI.md "A draft is never lost"): what the
//! clerk typed, kept in the encrypted journal — not in the webview's storage — one per
//! clerk, resumable after a reload, a lock or a restart; discarded after the submission
//! ([`Desk::submit_on_behalf`]) or 30 days after its last change. The body is the UI's
//! JSON; the PIN is never part of it.

use crate::{Desk, Error};
use domain::Iin;
use store::DRAFT_ON_BEHALF;
use time::OffsetDateTime;

/// A draft untouched this long is discarded.
pub const DRAFT_KEPT: time::Duration = time::Duration::days(30);
/// The largest draft body: the wizard's fields and file paths, never file contents.
pub const DRAFT_MAX_BYTES: usize = 256 * 1024;

impl Desk {
    /// `clerk`'s wizard draft (the UI's JSON), or `None`. Drafts older than
    /// [`DRAFT_KEPT`] are discarded first.
    pub fn wizard_draft(
        &mut self,
        clerk: &Iin,
        now: OffsetDateTime,
    ) -> Result<Option<String>, Error> {
        self.store.delete_drafts_before(now - DRAFT_KEPT)?;
        Ok(self.store.draft(clerk, DRAFT_ON_BEHALF)?.map(|d| d.body))
    }

    /// Saves `clerk`'s wizard draft, replacing the one before. A body that is not a JSON
    /// object, or larger than [`DRAFT_MAX_BYTES`], is refused (`BAD_QUERY`).
    pub fn save_wizard_draft(
        &mut self,
        clerk: &Iin,
        body: &str,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        if body.len() > DRAFT_MAX_BYTES {
            return Err(Error::BadQuery {
                field: "draft",
                reason: format!("{} bytes, at most {DRAFT_MAX_BYTES}", body.len()),
            });
        }
        match serde_json::from_str::<serde_json::Value>(body) {
            Ok(serde_json::Value::Object(_)) => {}
            _ => {
                return Err(Error::BadQuery {
                    field: "draft",
                    reason: "not a JSON object".into(),
                });
            }
        }
        self.store.put_draft(clerk, DRAFT_ON_BEHALF, body, now)?;
        Ok(())
    }

    /// Discards `clerk`'s wizard draft (nothing to discard is fine).
    pub fn discard_wizard_draft(&mut self, clerk: &Iin) -> Result<(), Error> {
        self.store.delete_draft(clerk, DRAFT_ON_BEHALF)?;
        Ok(())
    }
}
