-- Wizard drafts (issue 16): what a clerk typed in the on-behalf wizard, kept in the
-- encrypted journal instead of the webview's storage; one per clerk and kind, resumable,
-- discarded after the submission or 30 days after the last change. The body is the UI's
-- JSON (the PIN is never part of it).
CREATE TABLE drafts (
    clerk_iin  TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('on_behalf')),
    body       TEXT NOT NULL CHECK (json_valid(body)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (clerk_iin, kind)
) STRICT;
CREATE INDEX drafts_updated ON drafts(updated_at);
