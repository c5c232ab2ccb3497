-- 0013: what holds a walk-in's submission back before it may be sent (issue 11).
-- Never edit once landed: add a new numbered file instead.
--
-- An on-behalf submission entered while the portal was out of reach waits until its
-- contacts are confirmed by code (R-21: `phone_unconfirmed`, `email_unconfirmed`) and
-- the typed data were checked against the population register (R-20, R-22:
-- `register_unchecked`). The push skips an entry with an open hold; a hold is released
-- (never deleted) when the code is confirmed, when the register agrees, or when the
-- clerk, shown both versions, keeps what was typed.
CREATE TABLE outbox_hold (
    seq         INTEGER NOT NULL REFERENCES outbox(seq),
    reason      TEXT NOT NULL,      -- phone_unconfirmed | email_unconfirmed | register_unchecked
    details     TEXT,               -- JSON: the register's differences, once found
    created_at  TEXT NOT NULL,
    released_at TEXT,
    released_by TEXT,               -- the clerk's IIN, or 'register' / 'portal'
    PRIMARY KEY (seq, reason)
) STRICT;
CREATE INDEX outbox_hold_open ON outbox_hold(reason) WHERE released_at IS NULL;
