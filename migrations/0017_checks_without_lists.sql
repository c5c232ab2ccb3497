-- 0017: the checks of `application.status`, `application.sync_mark` and `outbox.state` as
-- chains of `=` instead of `IN` lists (issue 12: the first pull of 100 000 applications,
-- the push of 10 000 decisions).
-- Never edit once landed: add a new numbered file instead.
--
-- SQLite codes a `CHECK (x IN (…))` of three or more values as a temporary B-tree built
-- each time the row is checked (`OpenEphemeral`: its page allocated and zeroed); with the
-- two lists of 0001, each inserted application built two, and a first pull's applier
-- spent about a fifth of its time in `malloc`, `memset` and these B-trees (`perf`).
-- `x = 'a' OR x = 'b' …` allows the same values and compares in place.
--
-- Only the text of the checks changes, not a stored byte: SQLite's documented procedure
-- for a change that leaves the content as it is (writable_schema; the Rust part of this
-- migration moves the schema cookie on, so every connection reads the new text). The rows
-- already there satisfy the new checks, which allow exactly what the old ones did.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(replace(sql,
    'CHECK (status IN (''new'', ''under_review'', ''accepted'', ''rejected'', ''withdrawn''))',
    'CHECK (status = ''new'' OR status = ''under_review'' OR status = ''accepted'' OR status = ''rejected'' OR status = ''withdrawn'')'),
    'CHECK (sync_mark IN (''none'', ''waiting'', ''refused''))',
    'CHECK (sync_mark = ''none'' OR sync_mark = ''waiting'' OR sync_mark = ''refused'')')
WHERE type = 'table' AND name = 'application';
UPDATE sqlite_schema
SET sql = replace(sql,
    'CHECK (state IN (''pending'', ''sent'', ''refused''))',
    'CHECK (state = ''pending'' OR state = ''sent'' OR state = ''refused'')')
WHERE type = 'table' AND name = 'outbox';
PRAGMA writable_schema = OFF;
