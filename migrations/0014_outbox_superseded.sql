-- 0014: a walk-in's held submission signed again with a correction (issue 11).
-- Never edit once landed: add a new numbered file instead.
--
-- The clerk corrects a submission the outbox holds back — another micro-district after
-- the portal refused the binding (R-15…R-17), or the population register's version of
-- the data where it differs from what was typed (R-22) — and signs it again (R-13). The
-- entry it replaces is never sent and never deleted: it is finished (`state` 'refused',
-- `last_error` 'SUPERSEDED', its open holds released) and names the entry that replaced
-- it here. Both versions stay, with the history entry of the correction.
ALTER TABLE outbox ADD COLUMN superseded_by INTEGER REFERENCES outbox(seq);
