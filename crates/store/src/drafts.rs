//! Drafts of the on-behalf wizard (issue 16, migration 0005): in the encrypted journal,
//! one per clerk and kind.

use crate::write::{format_time, parse_time};
use crate::{Error, Store};
use domain::Iin;
use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

/// What a draft is of (the table's CHECK lists them).
pub const DRAFT_ON_BEHALF: &str = "on_behalf";

/// One stored draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRecord {
    /// The UI's JSON, as it was saved.
    pub body: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Store {
    /// Saves (replaces) `clerk`'s draft of `kind`; its creation time is kept.
    pub fn put_draft(
        &mut self,
        clerk: &Iin,
        kind: &str,
        body: &str,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        let at = format_time(now);
        self.conn().execute(
            "INSERT INTO drafts(clerk_iin, kind, body, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT(clerk_iin, kind) DO UPDATE SET body = excluded.body,
                 updated_at = excluded.updated_at",
            params![clerk.to_string(), kind, body, at],
        )?;
        Ok(())
    }

    pub fn draft(&self, clerk: &Iin, kind: &str) -> Result<Option<DraftRecord>, Error> {
        let row: Option<(String, String, String)> = self
            .conn()
            .query_row(
                "SELECT body, created_at, updated_at FROM drafts WHERE clerk_iin = ?1 AND kind = ?2",
                params![clerk.to_string(), kind],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(body, created, updated)| {
            Ok(DraftRecord {
                body,
                created_at: parse_time(&created)?,
                updated_at: parse_time(&updated)?,
            })
        })
        .transpose()
    }

    /// `true` when there was a draft.
    pub fn delete_draft(&mut self, clerk: &Iin, kind: &str) -> Result<bool, Error> {
        Ok(self.conn().execute(
            "DELETE FROM drafts WHERE clerk_iin = ?1 AND kind = ?2",
            params![clerk.to_string(), kind],
        )? > 0)
    }

    /// Deletes every draft last changed before `cutoff`; how many went.
    pub fn delete_drafts_before(&mut self, cutoff: OffsetDateTime) -> Result<u64, Error> {
        Ok(self.conn().execute(
            "DELETE FROM drafts WHERE updated_at < ?1",
            params![format_time(cutoff)],
        )? as u64)
    }
}
