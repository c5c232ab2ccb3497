//! What is kept of an outbox entry the portal accepted (issue 16): its payload without
//! the documents' bytes. An on-behalf submission carries its files base64 inside; once
//! the portal has them, the copy in the outbox is only a second copy of children's
//! documents at rest (the `document` table keeps the one the documents tab shows). The
//! signature is over the submission payload (the files' hashes), so it stays verifiable.

use rusqlite::{OptionalExtension, Transaction, params};

/// Empties `documents[].content_base64` of entry `seq`'s payload (the field stays, as
/// `""`, so the payload still parses as the request it was).
pub(crate) fn drop_document_bytes(tx: &Transaction<'_>, seq: i64) -> rusqlite::Result<()> {
    let Some(payload): Option<String> = tx
        .query_row(
            "SELECT payload FROM outbox WHERE seq = ?1",
            params![seq],
            |r| r.get(0),
        )
        .optional()?
    else {
        return Ok(());
    };
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&payload) else {
        return Ok(());
    };
    let mut changed = false;
    if let Some(docs) = value.get_mut("documents").and_then(|d| d.as_array_mut()) {
        for d in docs {
            if let Some(content) = d.get_mut("content_base64")
                && content.as_str().is_some_and(|s| !s.is_empty())
            {
                *content = serde_json::Value::String(String::new());
                changed = true;
            }
        }
    }
    if changed {
        tx.execute(
            "UPDATE outbox SET payload = ?2 WHERE seq = ?1",
            params![seq, value.to_string()],
        )?;
    }
    Ok(())
}
