-- 0018: the journal's two covering indexes (0011) carry what a journal row shows in 11
-- columns instead of 14 (issue 12: a first pull of 100 000 applications builds them at
-- its end; issue 16: they still answer a journal page alone).
-- Never edit once landed: add a new numbered file instead.
--
-- SQLite's sorter compares the records of an index of fewer than 13 fields (its columns and
-- the rowid) by their first field in place, and unpacks the whole record only on a tie; an
-- index of 15 fields, as 0011's were, had every comparison of its build unpack both records
-- (`perf` of a first pull: the sorts of its index build ~40 % shorter; BENCHMARKS.md,
-- session 13). The three parts of the child's name become the one name the
-- journal shows (an indexed expression, read from the index by the page query), and
-- `provisional` is left out: it is the number's "L-" (domain::ApplicationNumber).
-- `IF EXISTS`: a journal whose first pull was cut short may have them dropped for the bulk
-- load (crates/store/src/bulk.rs); they are built again after it.
DROP INDEX IF EXISTS application_by_child_iin;
CREATE INDEX application_by_child_iin ON application(
    child_iin, id, number,
    (child_surname || ' ' || child_given || coalesce(' ' || child_patronymic, '')),
    submitted_at, school_id, grade, language, status, sync_mark, micro_district_id);

DROP INDEX IF EXISTS application_by_submitted;
CREATE INDEX application_by_submitted ON application(
    submitted_at DESC, id DESC, number,
    (child_surname || ' ' || child_given || coalesce(' ' || child_patronymic, '')),
    child_iin, school_id, grade, language, status, sync_mark, micro_district_id);
