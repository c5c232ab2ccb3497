-- 0007: what the sync engine keeps so that nothing is lost on its edges (R-33, issue 12).
-- Never edit once landed: add a new numbered file instead.

-- The exact bytes of the request an outbox entry sends, written with the entry and never
-- changed: every try, before and after an app upgrade, sends these bytes, so the portal
-- answers a replay from its store (never a false IDEMPOTENCY_KEY_REUSED). NULL for
-- entries made before this migration: those are sent as the earlier app sent them (the
-- typed request serialised from `payload`).
ALTER TABLE outbox ADD COLUMN request BLOB;

-- Pulled applications this app could not read: kept raw, never dropped. Shown as
-- "could not be read, N"; tried again when the app has been updated (`app_version`
-- differs) and removed once read, or once the portal sends the application readable.
CREATE TABLE pulled_quarantine (
    portal_id     TEXT PRIMARY KEY,   -- the item's "id" when it has one, else "sha256:<hex>"
    raw           TEXT NOT NULL,      -- the item exactly as the portal sent it
    error         TEXT NOT NULL,      -- why it could not be read
    app_version   TEXT NOT NULL,      -- the app version that could not read it
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 1
) STRICT;
