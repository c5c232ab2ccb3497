-- 0003: what the sync engine keeps beside the replica (R-33, issue 5).
-- Never edit once landed: add a new numbered file instead.

-- The portal's id of a row entered here on behalf of a parent (its local id stays the
-- row's key: history is append-only and points at it). NULL for rows pulled from the
-- portal, whose id is the portal's.
ALTER TABLE application ADD COLUMN portal_id TEXT;
CREATE UNIQUE INDEX application_by_portal_id ON application(portal_id) WHERE portal_id IS NOT NULL;

-- The portal's version of a row that has a pending local change: a pull does not
-- overwrite what the clerk did, it keeps the portal's state here as the new base
-- (the JSON of the wire application, and its version).
ALTER TABLE application ADD COLUMN portal_base TEXT;
ALTER TABLE application ADD COLUMN portal_base_version INTEGER;

-- When the portal answered an outbox entry (sent or refused).
ALTER TABLE outbox ADD COLUMN finished_at TEXT;
CREATE INDEX outbox_by_application ON outbox(application_id, state);

-- Documents still to download into the offline cache, newest applications first.
CREATE INDEX document_uncached ON document(application_id) WHERE content IS NULL;
