-- Issue 16: several clerks on one desk. Each outbox entry records the clerk whose local
-- action made it (the actor of the action's history entry); it is pushed only under that
-- clerk's own portal session. Entries made before this migration belong to the clerk
-- the journal last synced as.
ALTER TABLE outbox ADD COLUMN clerk_iin TEXT;
UPDATE outbox SET clerk_iin = (SELECT value FROM sync_state WHERE key = 'clerk_iin')
 WHERE clerk_iin IS NULL;
CREATE INDEX outbox_clerk_pending ON outbox(state, clerk_iin, seq);
