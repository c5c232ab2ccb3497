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
        self.write_conn()?.execute(
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
        Ok(self.write_conn()?.execute(
            "DELETE FROM drafts WHERE clerk_iin = ?1 AND kind = ?2",
            params![clerk.to_string(), kind],
        )? > 0)
    }

    /// Deletes every draft last changed before `cutoff`; how many went.
    pub fn delete_drafts_before(&mut self, cutoff: OffsetDateTime) -> Result<u64, Error> {
        Ok(self.write_conn()?.execute(
            "DELETE FROM drafts WHERE updated_at < ?1",
            params![format_time(cutoff)],
        )? as u64)
    }
}

/// A document picked in the wizard, kept with the clerk's draft (migration 0015): the
/// bytes checked when it was picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftDocument {
    /// The handle the draft names it by.
    pub handle: String,
    pub file_name: String,
    pub content: Vec<u8>,
    pub reduced_from: Option<u64>,
    pub readable_confirmed: bool,
}

impl Store {
    /// Keeps (replaces) a document of `clerk`'s draft.
    pub fn put_draft_document(
        &mut self,
        clerk: &Iin,
        doc: &DraftDocument,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        self.write_conn()?.execute(
            "INSERT INTO draft_document(clerk_iin, handle, file_name, content, reduced_from,
               readable_confirmed, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(clerk_iin, handle) DO UPDATE SET file_name = excluded.file_name,
               content = excluded.content, reduced_from = excluded.reduced_from,
               readable_confirmed = excluded.readable_confirmed",
            params![
                clerk.to_string(),
                doc.handle,
                doc.file_name,
                doc.content,
                doc.reduced_from.and_then(|s| i64::try_from(s).ok()),
                doc.readable_confirmed,
                format_time(now)
            ],
        )?;
        Ok(())
    }

    /// the clerk found the image made to fit readable; `false` when not kept.
    pub fn confirm_draft_document(&mut self, clerk: &Iin, handle: &str) -> Result<bool, Error> {
        Ok(self.write_conn()?.execute(
            "UPDATE draft_document SET readable_confirmed = 1 WHERE clerk_iin = ?1 AND handle = ?2",
            params![clerk.to_string(), handle],
        )? > 0)
    }

    /// The documents of `clerk`'s draft, oldest first.
    pub fn draft_documents(&self, clerk: &Iin) -> Result<Vec<DraftDocument>, Error> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT handle, file_name, content, reduced_from, readable_confirmed
             FROM draft_document WHERE clerk_iin = ?1 ORDER BY created_at, handle",
        )?;
        let rows = stmt.query_map(params![clerk.to_string()], |r| {
            Ok(DraftDocument {
                handle: r.get(0)?,
                file_name: r.get(1)?,
                content: r.get(2)?,
                reduced_from: r
                    .get::<_, Option<i64>>(3)?
                    .and_then(|s| u64::try_from(s).ok()),
                readable_confirmed: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes the documents of `clerk`'s draft except those under `keep`; how many went.
    pub fn delete_draft_documents_except(
        &mut self,
        clerk: &Iin,
        keep: &[&str],
    ) -> Result<usize, Error> {
        let tx = self.write_transaction()?;
        let handles: Vec<String> = {
            let mut stmt = tx.prepare("SELECT handle FROM draft_document WHERE clerk_iin = ?1")?;
            let rows = stmt.query_map(params![clerk.to_string()], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut n = 0;
        for h in handles.iter().filter(|h| !keep.contains(&h.as_str())) {
            n += tx.execute(
                "DELETE FROM draft_document WHERE clerk_iin = ?1 AND handle = ?2",
                params![clerk.to_string(), h],
            )?;
        }
        tx.commit()?;
        Ok(n)
    }
}
