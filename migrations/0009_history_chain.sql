-- 0009: the history proves it was not edited (issue 15, R-5).
-- Never edit once landed: add a new numbered file instead.
--
-- Each entry carries the SHA-256 of its content (`content_sha256`) and the chain hash
-- `chain_sha256` = SHA-256(previous entry's chain_sha256 || this content_sha256), in id
-- order over the whole table (the first entry's "previous" is 32 zero bytes). The
-- exact encoding is in crates/store/src/history_chain.rs. Rows that exist when this
-- migration runs get their hashes computed by the migration runner, in the same
-- transaction, right after this file (store::migrate, `then`).
ALTER TABLE history ADD COLUMN content_sha256 TEXT;
ALTER TABLE history ADD COLUMN chain_sha256 TEXT;

-- Still append-only: the one update allowed is giving a row that has no hashes yet its
-- hashes (the runner above), and nothing else of the row may change with it.
DROP TRIGGER history_is_append_only_update;
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
WHEN OLD.chain_sha256 IS NOT NULL
  OR OLD.content_sha256 IS NOT NULL
  OR NEW.id IS NOT OLD.id
  OR NEW.application_id IS NOT OLD.application_id
  OR NEW.at IS NOT OLD.at
  OR NEW.actor_iin IS NOT OLD.actor_iin
  OR NEW.actor_name IS NOT OLD.actor_name
  OR NEW.kind IS NOT OLD.kind
  OR NEW.details IS NOT OLD.details
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- A new entry always comes with its hashes.
CREATE TRIGGER history_entry_is_chained BEFORE INSERT ON history
WHEN NEW.content_sha256 IS NULL OR NEW.chain_sha256 IS NULL
BEGIN SELECT RAISE(ABORT, 'history entry without its hashes'); END;
