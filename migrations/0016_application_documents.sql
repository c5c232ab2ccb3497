-- 0016: an application's list of documents kept in its own row (issue 12: the first pull
-- of 100 000 applications, ~3 documents each, wrote ~300 000 document rows into three
-- B-trees; the list is now one more column of a row that is written anyway).
--
-- `documents` is the list the portal (or the local action) gives, as JSON
-- `[[id, kind, file_name, media_type, size, sha256], …]` (crates/store/src/documents.rs);
-- `documents_waiting` counts its documents to download whose bytes are not kept. The
-- `document` table keeps bytes only: a document of the list whose bytes were downloaded
-- (same id and hash), a document made here (the `.p7s` of a decision). Rows without bytes
-- are moved into the lists by the Rust part of this migration and deleted.
ALTER TABLE application ADD COLUMN documents TEXT NOT NULL DEFAULT '[]';
ALTER TABLE application ADD COLUMN documents_waiting INTEGER NOT NULL DEFAULT 0;

DROP INDEX IF EXISTS document_uncached;
DELETE FROM sync_state WHERE key = 'deferred index document_uncached';

-- The applications with documents to download, newest first (the sync's document cache).
CREATE INDEX application_documents_waiting ON application(submitted_at DESC, id DESC)
    WHERE documents_waiting > 0;
