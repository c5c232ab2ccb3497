-- 0013: the journal's IIN search and its newest-first pages answer from an index alone
-- (issue 16: p95 ≤ 2 ms at 1 000 000 applications in the encrypted journal).
-- Never edit once landed: add a new numbered file instead.
--
-- Measured (BENCHMARKS.md): a page of 100 rows read through the narrow indexes of 0002
-- fetched each row from the table, ~100 table pages scattered over the file, and in an
-- encrypted journal every page that is not in the page cache is decrypted and
-- authenticated again (IIN prefix p95 3.6 ms, deep keyset pages 2.6 ms). These two
-- indexes carry every column a journal row shows, in the order the page is read, so a
-- page is a few consecutive index leaves: no table lookup, no sort. `IF EXISTS`: a
-- journal whose first pull was cut short may have them dropped for the bulk load
-- (crates/store/src/bulk.rs); they are built again after it.
DROP INDEX IF EXISTS application_by_child_iin;
CREATE INDEX application_by_child_iin ON application(
    child_iin, id, number, provisional, child_surname, child_given, child_patronymic,
    submitted_at, school_id, grade, language, status, sync_mark, micro_district_id);

DROP INDEX IF EXISTS application_by_submitted;
CREATE INDEX application_by_submitted ON application(
    submitted_at DESC, id DESC, number, provisional, child_surname, child_given,
    child_patronymic, child_iin, school_id, grade, language, status, sync_mark,
    micro_district_id);
