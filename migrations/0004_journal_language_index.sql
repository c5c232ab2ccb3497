-- 0004: the language filter of the journal (R-4) walks an index in submitted order
-- instead of the whole table (measured: BENCHMARKS.md, 1 M applications).

CREATE INDEX application_by_language ON application(language, submitted_at DESC, id DESC);
