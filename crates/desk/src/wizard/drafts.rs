//! The on-behalf wizard's draft (issue 16; UI.md "A draft is never lost"): what the
//! clerk typed, kept in the encrypted journal — not in the webview's storage — one per
//! clerk, resumable after a reload, a lock or a restart; discarded after the submission
//! ([`Desk::submit_on_behalf`]) or 30 days after its last change. The body is the UI's
//! JSON; the PIN is never part of it. The documents picked for it are kept beside it
//! (migration 0015): the bytes checked when picked, so they survive a restart too.

use crate::picked_files::{FilePurpose, PickedFile, sniff_media_type};
use crate::{Desk, Error};
use domain::Iin;
use domain::office_time::office_rfc3339;
use serde::Serialize;
use store::{DRAFT_ON_BEHALF, DraftDocument};
use time::OffsetDateTime;
use ts_rs::TS;

/// The clerk's draft as the window opens it again: the UI's JSON and when it was last
/// saved, in office time (`…+05:00`, `domain::office_time`) like every time the desk
/// sends, so the «saved at» line never follows the PC's zone (issue 17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WizardDraftView {
    pub body: String,
    pub saved_at: String,
}

/// Every string of a JSON value (the handles a draft's body names, wherever the UI keeps them).
fn strings_of<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(items) => items.iter().for_each(|i| strings_of(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| strings_of(i, out)),
        _ => {}
    }
}

/// A draft untouched this long is discarded.
pub const DRAFT_KEPT: time::Duration = time::Duration::days(30);
/// The largest draft body: the wizard's fields and file paths, never file contents.
pub const DRAFT_MAX_BYTES: usize = 256 * 1024;

impl Desk {
    /// `clerk`'s wizard draft (the UI's JSON) and when it was saved, or `None`. Drafts
    /// older than [`DRAFT_KEPT`] are discarded first.
    pub fn wizard_draft(
        &mut self,
        clerk: &Iin,
        now: OffsetDateTime,
    ) -> Result<Option<WizardDraftView>, Error> {
        self.store.delete_drafts_before(now - DRAFT_KEPT)?;
        let draft = self
            .store
            .draft(clerk, DRAFT_ON_BEHALF)?
            .map(|d| WizardDraftView {
                body: d.body,
                saved_at: office_rfc3339(d.updated_at),
            });
        // A kept document the draft no longer names (replaced, removed) goes now: not at
        // each save, where a save queued before a pick would drop the file just picked.
        let value = draft
            .as_ref()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(&d.body).ok())
            .unwrap_or_default();
        let mut named = Vec::new();
        strings_of(&value, &mut named);
        self.store.delete_draft_documents_except(clerk, &named)?;
        Ok(draft)
    }

    /// Saves `clerk`'s wizard draft, replacing the one before, and answers when, in
    /// office time (the window's «saved at» line). A body that is not a JSON object, or
    /// larger than [`DRAFT_MAX_BYTES`], is refused (`BAD_QUERY`).
    pub fn save_wizard_draft(
        &mut self,
        clerk: &Iin,
        body: &str,
        now: OffsetDateTime,
    ) -> Result<String, Error> {
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
        Ok(office_rfc3339(now))
    }

    /// Keeps a document picked for `clerk`'s wizard with the draft, under its `handle`
    /// (issue 11): the bytes checked when it was picked. A file that cannot be attached
    /// is not kept (`false`): the window shows why next to its row.
    pub fn keep_draft_document(
        &mut self,
        clerk: &Iin,
        handle: &str,
        file: &PickedFile,
        now: OffsetDateTime,
    ) -> Result<bool, Error> {
        if file.purpose != FilePurpose::Document || file.error().is_some() {
            return Ok(false);
        }
        self.store.put_draft_document(
            clerk,
            &DraftDocument {
                handle: handle.to_string(),
                file_name: file.file_name.clone(),
                content: file.bytes.clone(),
                reduced_from: file.reduced_from,
                readable_confirmed: file.readable_confirmed,
            },
            now,
        )?;
        Ok(true)
    }

    /// the clerk found the kept image made to fit readable.
    pub fn confirm_draft_document(&mut self, clerk: &Iin, handle: &str) -> Result<(), Error> {
        self.store.confirm_draft_document(clerk, handle)?;
        Ok(())
    }

    /// The documents kept with `clerk`'s draft, as picked files under their handles: the
    /// window puts them back in its table when the draft is opened after a restart.
    pub fn draft_documents(&self, clerk: &Iin) -> Result<Vec<(String, PickedFile)>, Error> {
        Ok(self
            .store
            .draft_documents(clerk)?
            .into_iter()
            .map(|d| {
                let media_type = sniff_media_type(&d.content).unwrap_or("application/octet-stream");
                (
                    d.handle,
                    PickedFile {
                        purpose: FilePurpose::Document,
                        file_name: d.file_name,
                        size: d.content.len() as u64,
                        bytes: d.content,
                        media_type,
                        problem: None,
                        reduced_from: d.reduced_from,
                        readable_confirmed: d.readable_confirmed,
                    },
                )
            })
            .collect())
    }

    /// Discards `clerk`'s wizard draft (nothing to discard is fine).
    pub fn discard_wizard_draft(&mut self, clerk: &Iin) -> Result<(), Error> {
        self.store.delete_draft(clerk, DRAFT_ON_BEHALF)?;
        self.store.delete_draft_documents_except(clerk, &[])?;
        Ok(())
    }
}
