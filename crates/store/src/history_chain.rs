//! The history proves it was not edited (issue 15, R-5): a SHA-256 chain over every
//! entry, in id order (migration 0009).
//!
//! - `content_sha256` = SHA-256 of the entry's content: for each of `application_id`,
//!   `at`, `actor_iin`, `actor_name`, `kind`, `details` (the stored text, exactly), one
//!   byte 0 for NULL, or byte 1, the length as 8 bytes big-endian and the UTF-8 bytes;
//! - `chain_sha256` = SHA-256(previous entry's `chain_sha256` as 32 bytes ||
//!   this `content_sha256` as 32 bytes); the first entry's previous is 32 zero bytes.
//!
//! Both are stored as lowercase hex. An entry edited in place fails its content hash; an
//! entry removed, inserted or moved fails the next chain hash. What the chain cannot
//! show on its own: someone who edits the file, drops the triggers and recomputes every
//! hash after the edit, or who removes the newest entries; the portal's own history is
//! the witness for those.

use crate::{Error, Store};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

pub(crate) type Hash = [u8; 32];

const GENESIS: Hash = [0; 32];

/// The content of one history entry as stored, the fields the hash covers.
pub(crate) struct Content<'a> {
    pub application_id: &'a str,
    pub at: &'a str,
    pub actor_iin: Option<&'a str>,
    pub actor_name: Option<&'a str>,
    pub kind: &'a str,
    pub details: &'a str,
}

impl Content<'_> {
    pub(crate) fn sha256(&self) -> Hash {
        let mut h = Sha256::new();
        for field in [
            Some(self.application_id),
            Some(self.at),
            self.actor_iin,
            self.actor_name,
            Some(self.kind),
            Some(self.details),
        ] {
            match field {
                None => h.update([0u8]),
                Some(s) => {
                    h.update([1u8]);
                    h.update((s.len() as u64).to_be_bytes());
                    h.update(s.as_bytes());
                }
            }
        }
        h.finalize().into()
    }
}

pub(crate) fn link(previous: &Hash, content: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update(previous);
    h.update(content);
    h.finalize().into()
}

pub(crate) fn hex(h: &Hash) -> String {
    // Two per history row written (issue 12's profile): the hex crate's table, not a
    // `format!` per byte.
    hex::encode(h)
}

fn from_hex(s: &str) -> Option<Hash> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(out)
}

/// The chain hash of the newest entry (zeros for an empty history): what the next
/// entry links to. Called inside the writing transaction, after its first write, so the
/// write lock is held and no other writer can slip an entry in between.
pub(crate) fn head(conn: &Connection) -> Result<Hash, Error> {
    let last: Option<Option<String>> = conn
        .prepare_cached("SELECT chain_sha256 FROM history ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    match last {
        None => Ok(GENESIS),
        Some(Some(s)) => from_hex(&s).ok_or_else(|| Error::Damaged {
            what: "history chain hash".into(),
        }),
        Some(None) => Err(Error::Damaged {
            what: "history entry without its hashes".into(),
        }),
    }
}

const SELECT_CONTENT: &str = "SELECT id, application_id, at, actor_iin, actor_name, kind, details, content_sha256, chain_sha256 FROM history ORDER BY id";

type Row = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn content(row: &Row) -> Content<'_> {
    Content {
        application_id: &row.1,
        at: &row.2,
        actor_iin: row.3.as_deref(),
        actor_name: row.4.as_deref(),
        kind: &row.5,
        details: &row.6,
    }
}

/// Migration 0009's second half: gives every entry that exists when it runs its hashes,
/// in id order, inside the migration's transaction.
pub(crate) fn fill(tx: &rusqlite::Transaction<'_>) -> Result<(), Error> {
    let rows: Vec<Row> = tx
        .prepare(SELECT_CONTENT)?
        .query_map([], read_row)?
        .collect::<Result<_, _>>()?;
    let mut update =
        tx.prepare("UPDATE history SET content_sha256 = ?2, chain_sha256 = ?3 WHERE id = ?1")?;
    let mut previous = GENESIS;
    for row in &rows {
        let c = content(row).sha256();
        let chained = link(&previous, &c);
        update.execute(params![row.0, hex(&c), hex(&chained)])?;
        previous = chained;
    }
    Ok(())
}

/// What a walk of the history chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryCheck {
    /// Every entry matches its hashes and links to the one before it.
    Intact { entries: u64 },
    /// The first entry that does not: entries before it (`checked`) are intact.
    Broken {
        checked: u64,
        entry_id: i64,
        application_id: String,
        kind: String,
        fault: ChainFault,
    },
}

/// How an entry breaks the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainFault {
    /// The entry has no hashes (written around the app, or the triggers were dropped).
    Missing,
    /// Its content does not match its content hash: the entry was edited.
    ContentEdited,
    /// Its chain hash does not follow from the entry before it: an entry before it
    /// was removed, inserted or moved, or the hashes were rewritten.
    LinkBroken,
}

impl ChainFault {
    /// A stable code for the fault.
    pub fn code(self) -> &'static str {
        match self {
            ChainFault::Missing => "HISTORY_HASH_MISSING",
            ChainFault::ContentEdited => "HISTORY_CONTENT_EDITED",
            ChainFault::LinkBroken => "HISTORY_LINK_BROKEN",
        }
    }
}

impl Store {
    /// Walks the whole history chain in id order and reports the first broken link.
    pub fn verify_history(&self) -> Result<HistoryCheck, Error> {
        let mut stmt = self.conn().prepare(SELECT_CONTENT)?;
        let mut rows = stmt.query([])?;
        let mut previous = GENESIS;
        let mut checked = 0u64;
        while let Some(r) = rows.next()? {
            let row = read_row(r)?;
            let broken = |fault| HistoryCheck::Broken {
                checked,
                entry_id: row.0,
                application_id: row.1.clone(),
                kind: row.5.clone(),
                fault,
            };
            let (Some(stored_content), Some(stored_chain)) = (
                row.7.as_deref().and_then(from_hex),
                row.8.as_deref().and_then(from_hex),
            ) else {
                return Ok(broken(ChainFault::Missing));
            };
            if content(&row).sha256() != stored_content {
                return Ok(broken(ChainFault::ContentEdited));
            }
            if link(&previous, &stored_content) != stored_chain {
                return Ok(broken(ChainFault::LinkBroken));
            }
            previous = stored_chain;
            checked += 1;
        }
        Ok(HistoryCheck::Intact { entries: checked })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_a_hash() {
        let h = link(&GENESIS, &GENESIS);
        assert_eq!(from_hex(&hex(&h)), Some(h));
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex(&"é".repeat(32)), None);
        assert_eq!(from_hex(&"g".repeat(64)), None);
    }

    #[test]
    fn a_null_and_an_empty_field_hash_differently() {
        let a = Content {
            application_id: "a",
            at: "t",
            actor_iin: None,
            actor_name: Some(""),
            kind: "k",
            details: "{}",
        };
        let b = Content {
            actor_iin: Some(""),
            actor_name: None,
            ..a
        };
        assert_ne!(a.sha256(), b.sha256());
        // Field boundaries count: "ab"+"c" is not "a"+"bc".
        let c = Content {
            application_id: "ab",
            at: "c",
            ..a
        };
        let d = Content {
            application_id: "a",
            at: "bc",
            ..a
        };
        assert_ne!(c.sha256(), d.sha256());
    }
}
