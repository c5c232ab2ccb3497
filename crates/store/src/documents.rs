//! An application's documents: the list in its row, the bytes kept for offline use
//! (R-5 «Жалпы құжаттар» opens offline; issue 12, migration 0016).
//!
//! - The list is what the portal (or the local action) says the application holds, in
//!   its order, kept as JSON in `application.documents` ([`encode`]); it is written with
//!   the row, so a pulled row costs no document rows at all.
//! - A `document` row holds bytes: a listed document's, downloaded (kept under the same
//!   id *and* hash — when the portal changes a document's hash the old bytes no longer
//!   count and it is downloaded again), or a document made here (a decision's `.p7s`),
//!   which the portal's list need not name.
//! - `application.documents_waiting` is the number of listed documents to download
//!   ([`downloadable`]) without kept bytes; every write of a row or of bytes sets it
//!   ([`take_over_and_count`], [`waiting_new`], [`recount`]), and the document cache
//!   reads the rows with a count above zero through `application_documents_waiting`,
//!   newest first.
//! - Bytes kept under another id of the same application with the listed hash are taken
//!   over by the listed id ([`take_over_and_count`]): an on-behalf row's uploads, once
//!   the portal has them under its own ids, are not downloaded again.

use crate::records::DocumentRecord;
use crate::sync::UncachedDocument;
use crate::{Error, Store};
use domain::{DocumentKind, DocumentMeta};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashMap;

/// One listed document as stored: id, kind, file name, media type, size, SHA-256.
type Stored<'a> = (&'a str, &'a str, &'a str, &'a str, u64, &'a str);
type StoredOwned = (String, String, String, String, u64, String);

/// A stored kind read back (a damaged one is an error, not trusted).
fn parse_kind(kind: &str) -> Result<DocumentKind, Error> {
    DocumentKind::parse(kind).ok_or_else(|| Error::Damaged {
        what: format!("document kind {kind:?}"),
    })
}

/// The list as stored in `application.documents`.
pub(crate) fn encode(documents: &[DocumentMeta]) -> String {
    let stored: Vec<Stored<'_>> = documents
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.kind.as_str(),
                d.file_name.as_str(),
                d.media_type.as_str(),
                d.size,
                d.sha256.as_str(),
            )
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into())
}

/// The list [`encode`] wrote.
pub(crate) fn decode(json: &str) -> Result<Vec<DocumentMeta>, Error> {
    let damaged = || Error::Damaged {
        what: "document list".into(),
    };
    let stored: Vec<StoredOwned> = serde_json::from_str(json).map_err(|_| damaged())?;
    stored
        .into_iter()
        .map(|(id, kind, file_name, media_type, size, sha256)| {
            Ok(DocumentMeta {
                kind: parse_kind(&kind)?,
                id,
                file_name,
                media_type,
                size,
                sha256,
            })
        })
        .collect()
}

/// A document the sync downloads into the cache: the parent's and the portal's files,
/// not the documents made by an action (those come with their bytes).
pub(crate) fn downloadable(d: &DocumentMeta) -> bool {
    !d.kind.is_generated()
}

/// The hashes of the bytes kept for `application_id`, by document id.
fn kept(tx: &rusqlite::Connection, application_id: &str) -> Result<HashMap<String, String>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, sha256 FROM document WHERE application_id = ?1 AND content IS NOT NULL",
    )?;
    let rows = stmt.query_map(params![application_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn is_kept(kept: &HashMap<String, String>, d: &DocumentMeta) -> bool {
    // Not even hashed when nothing is kept (every row of a first pull, issue 12).
    !kept.is_empty() && kept.get(&d.id).is_some_and(|sha| *sha == d.sha256)
}

fn count_waiting(kept: &HashMap<String, String>, documents: &[DocumentMeta]) -> i64 {
    let n = documents
        .iter()
        .filter(|d| downloadable(d) && !is_kept(kept, d))
        .count();
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// How many of a new row's documents wait: all that are downloaded (nothing is kept for
/// an application the journal did not hold).
pub(crate) fn waiting_new(documents: &[DocumentMeta]) -> i64 {
    count_waiting(&HashMap::new(), documents)
}

/// Keeps `content` as the bytes of document `d` of `application_id` (listed, or made
/// here); the caller sets the waiting count again ([`recount`]).
pub(crate) fn keep(
    tx: &Transaction<'_>,
    application_id: &str,
    d: &DocumentMeta,
    content: &[u8],
) -> Result<(), Error> {
    tx.prepare_cached(
        "INSERT INTO document (id, application_id, kind, file_name, media_type, size, sha256, content, generated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, file_name = excluded.file_name,
           media_type = excluded.media_type, size = excluded.size, sha256 = excluded.sha256,
           content = excluded.content, generated = excluded.generated",
    )?
    .execute(params![
        d.id,
        application_id,
        d.kind.as_str(),
        d.file_name,
        d.media_type,
        i64::try_from(d.size).unwrap_or(i64::MAX),
        d.sha256,
        content,
        d.kind.is_generated()
    ])?;
    Ok(())
}

/// Before a row is written with `documents` as its list: listed documents without kept
/// bytes take over bytes kept for the same row under another id with their hash (see the
/// module's text); returns how many of them then wait for their bytes.
pub(crate) fn take_over_and_count(
    tx: &Transaction<'_>,
    application_id: &str,
    documents: &[DocumentMeta],
) -> Result<i64, Error> {
    if documents.is_empty() {
        return Ok(0);
    }
    let mut kept = kept(tx, application_id)?;
    if !kept.is_empty() {
        for d in documents {
            if is_kept(&kept, d) {
                continue;
            }
            let same_hash = kept
                .iter()
                .find(|(id, sha)| **sha == d.sha256 && **id != d.id)
                .map(|(id, _)| id.clone());
            if let Some(other) = same_hash {
                let content: Vec<u8> = tx.query_row(
                    "SELECT content FROM document WHERE id = ?1",
                    params![other],
                    |r| r.get(0),
                )?;
                keep(tx, application_id, d, &content)?;
                kept.insert(d.id.clone(), d.sha256.clone());
            }
        }
    }
    Ok(count_waiting(&kept, documents))
}

/// Sets the row's waiting count again from its list and the bytes kept.
pub(crate) fn recount(tx: &Transaction<'_>, application_id: &str) -> Result<(), Error> {
    let n = count_waiting(&kept(tx, application_id)?, &listed(tx, application_id)?);
    tx.prepare_cached("UPDATE application SET documents_waiting = ?2 WHERE id = ?1")?
        .execute(params![application_id, n])?;
    Ok(())
}

/// The application's list (empty when the journal has no such application).
fn listed(conn: &rusqlite::Connection, application_id: &str) -> Result<Vec<DocumentMeta>, Error> {
    let json: Option<String> = conn
        .prepare_cached("SELECT documents FROM application WHERE id = ?1")?
        .query_row(params![application_id], |r| r.get(0))
        .optional()?;
    json.map_or(Ok(Vec::new()), |j| decode(&j))
}

/// A `document` row as the documents tab lists it.
struct Row {
    meta: DocumentMeta,
    cached: bool,
}

/// A document's metadata from the six columns `id, kind, file_name, media_type, size,
/// sha256` of a `document` row, starting at column `first`.
fn meta_at(r: &rusqlite::Row<'_>, first: usize) -> Result<DocumentMeta, Error> {
    Ok(DocumentMeta {
        id: r.get(first)?,
        kind: parse_kind(&r.get::<_, String>(first + 1)?)?,
        file_name: r.get(first + 2)?,
        media_type: r.get(first + 3)?,
        size: u64::try_from(r.get::<_, i64>(first + 4)?).unwrap_or(0),
        sha256: r.get(first + 5)?,
    })
}

fn rows(conn: &rusqlite::Connection, application_id: &str) -> Result<Vec<Row>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, file_name, media_type, size, sha256, content IS NOT NULL
         FROM document WHERE application_id = ?1 ORDER BY generated, rowid",
    )?;
    let mut rows = stmt.query(params![application_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(Row {
            meta: meta_at(r, 0)?,
            cached: r.get(6)?,
        });
    }
    Ok(out)
}

fn record(application_id: &str, d: DocumentMeta, cached: bool) -> DocumentRecord {
    DocumentRecord {
        generated: d.kind.is_generated(),
        id: d.id,
        application_id: application_id.to_string(),
        kind: d.kind,
        file_name: d.file_name,
        media_type: d.media_type,
        size: d.size,
        sha256: d.sha256,
        cached,
    }
}

/// Newest applications with documents waiting, of rows the portal knows.
const UNCACHED: &str = "SELECT id, coalesce(portal_id, id), documents FROM application
     WHERE documents_waiting > 0 AND provisional = 0
     ORDER BY submitted_at DESC, id DESC";

impl Store {
    /// An application's documents: its list in order, then documents made here that the
    /// list does not name; those to download first, as before migration 0016.
    pub fn documents(&self, application_id: &str) -> Result<Vec<DocumentRecord>, Error> {
        let conn = self.conn();
        let listed = listed(conn, application_id)?;
        let mut rows = rows(conn, application_id)?;
        let mut out: Vec<DocumentRecord> = Vec::with_capacity(listed.len() + rows.len());
        for d in listed {
            let cached = rows
                .iter()
                .any(|r| r.cached && r.meta.id == d.id && r.meta.sha256 == d.sha256);
            rows.retain(|r| r.meta.id != d.id);
            out.push(record(application_id, d, cached));
        }
        out.extend(
            rows.into_iter()
                .map(|r| record(application_id, r.meta, r.cached)),
        );
        out.sort_by_key(|d| d.generated);
        Ok(out)
    }

    /// Keeps a document's bytes so it opens offline.
    pub fn cache_document(
        &mut self,
        application_id: &str,
        document_id: &str,
        content: &[u8],
    ) -> Result<(), Error> {
        let tx = self.write_transaction()?;
        let listed = listed(&tx, application_id)?;
        if let Some(d) = listed.iter().find(|d| d.id == document_id) {
            keep(&tx, application_id, d, content)?;
            recount(&tx, application_id)?;
        } else {
            let n = tx.execute(
                "UPDATE document SET content = ?3 WHERE id = ?1 AND application_id = ?2",
                params![document_id, application_id, content],
            )?;
            if n == 0 {
                return Err(Error::DocumentNotFound {
                    id: document_id.to_string(),
                });
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A document's bytes: `None` while they are not kept (or were kept for another hash
    /// than the one listed now); `DocumentNotFound` when the application has no such
    /// document.
    pub fn document_content(
        &self,
        application_id: &str,
        document_id: &str,
    ) -> Result<Option<Vec<u8>>, Error> {
        let conn = self.conn();
        let listed = listed(conn, application_id)?;
        let row: Option<(String, Option<Vec<u8>>)> = conn
            .prepare_cached(
                "SELECT sha256, content FROM document WHERE id = ?1 AND application_id = ?2",
            )?
            .query_row(params![document_id, application_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match (listed.iter().find(|d| d.id == document_id), row) {
            (Some(d), Some((sha, content))) if sha == d.sha256 => Ok(content),
            (Some(_), _) => Ok(None),
            (None, Some((_, content))) => Ok(content),
            (None, None) => Err(Error::DocumentNotFound {
                id: document_id.to_string(),
            }),
        }
    }

    /// Documents not cached yet, newest applications first (each one's by id), of rows
    /// the portal knows.
    pub fn uncached_documents(&self, limit: u32) -> Result<Vec<UncachedDocument>, Error> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(UNCACHED)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while out.len() < limit {
            let Some(r) = rows.next()? else { break };
            let application_id: String = r.get(0)?;
            let portal_id: String = r.get(1)?;
            let mut listed = decode(&r.get::<_, String>(2)?)?;
            listed.sort_by(|a, b| a.id.cmp(&b.id));
            let kept = kept(conn, &application_id)?;
            for d in listed {
                if out.len() == limit {
                    break;
                }
                if downloadable(&d) && !is_kept(&kept, &d) {
                    out.push(UncachedDocument {
                        application_id: application_id.clone(),
                        portal_application_id: portal_id.clone(),
                        document_id: d.id,
                        size: d.size,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Bytes of documents kept for offline use.
    pub fn cached_document_bytes(&self) -> Result<u64, Error> {
        let n: i64 = self.conn().query_row(
            "SELECT coalesce(sum(length(content)), 0) FROM document WHERE content IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// Migration 0016's Rust part: every application's document rows become its list (in
/// the order the documents tab showed them), the waiting counts are set, and the rows
/// without bytes go. Documents made here with their bytes stay rows only.
pub(crate) fn fill(tx: &Transaction<'_>) -> Result<(), Error> {
    // One application at a time, as the rows come in its order: the memory is one list,
    // whatever the journal's size.
    let mut update =
        tx.prepare("UPDATE application SET documents = ?2, documents_waiting = ?3 WHERE id = ?1")?;
    let mut write = |(application_id, list, kept): &Listing| -> Result<(), Error> {
        update.execute(params![
            application_id,
            encode(list),
            count_waiting(kept, list)
        ])?;
        Ok(())
    };
    let mut stmt = tx.prepare(
        "SELECT application_id, id, kind, file_name, media_type, size, sha256,
                content IS NOT NULL, generated
         FROM document ORDER BY application_id, generated, rowid",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: Option<Listing> = None;
    while let Some(r) = rows.next()? {
        let application_id: String = r.get(0)?;
        let has_content: bool = r.get(7)?;
        let generated: bool = r.get(8)?;
        if generated && has_content {
            continue;
        }
        let d = meta_at(r, 1)?;
        if let Some(done) = current.take_if(|(id, _, _)| *id != application_id) {
            write(&done)?;
        }
        let (_, list, kept) =
            current.get_or_insert_with(|| (application_id, Vec::new(), HashMap::new()));
        if has_content {
            kept.insert(d.id.clone(), d.sha256.clone());
        }
        list.push(d);
    }
    if let Some(done) = current.take() {
        write(&done)?;
    }
    drop(rows);
    drop(stmt);
    tx.execute("DELETE FROM document WHERE content IS NULL", [])?;
    Ok(())
}

/// One application's list being gathered by [`fill`]: its id, its documents, the hashes
/// of the bytes kept by document id.
type Listing = (String, Vec<DocumentMeta>, HashMap<String, String>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_cache_reads_its_partial_index_without_a_sort() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("j.sqlite")).unwrap();
        let plan: Vec<String> = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {UNCACHED}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("application_documents_waiting")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
    }
}
