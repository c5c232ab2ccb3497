-- 0002: indexes and counters for a journal of a million applications (R-4): every
-- journal query is an index range scan in submitted order, and the status counts
-- shown beside the filters are kept by triggers instead of counted on each refresh.

CREATE INDEX application_by_submitted ON application(submitted_at DESC, id DESC);
CREATE INDEX application_by_status ON application(status, submitted_at DESC, id DESC);
CREATE INDEX application_by_child_search ON application(child_search);
CREATE INDEX application_by_child_iin ON application(child_iin);
CREATE INDEX application_by_sync_mark ON application(sync_mark) WHERE sync_mark <> 'none';

CREATE TABLE status_count (
    status TEXT PRIMARY KEY,
    count  INTEGER NOT NULL
) STRICT;
INSERT INTO status_count(status, count)
    SELECT s.status, (SELECT count(*) FROM application a WHERE a.status = s.status)
    FROM (SELECT 'new' AS status UNION ALL SELECT 'under_review' UNION ALL SELECT 'accepted'
          UNION ALL SELECT 'rejected' UNION ALL SELECT 'withdrawn') s;

CREATE TRIGGER status_count_insert AFTER INSERT ON application
BEGIN UPDATE status_count SET count = count + 1 WHERE status = NEW.status; END;
CREATE TRIGGER status_count_delete AFTER DELETE ON application
BEGIN UPDATE status_count SET count = count - 1 WHERE status = OLD.status; END;
CREATE TRIGGER status_count_update AFTER UPDATE OF status ON application WHEN OLD.status <> NEW.status
BEGIN
    UPDATE status_count SET count = count - 1 WHERE status = OLD.status;
    UPDATE status_count SET count = count + 1 WHERE status = NEW.status;
END;
