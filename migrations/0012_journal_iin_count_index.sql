-- 0012: the capped count of an IIN search reads a narrow index (issue 16).
-- Never edit once landed: add a new numbered file instead.
--
-- Measured at 1 000 000 encrypted (BENCHMARKS.md): a 6-digit IIN prefix (a birth date)
-- matches up to 10 001 counted rows; through 0011's covering index, whose entries carry
-- every column of a journal row, the count read ~7× the pages it reads here (IIN prefix
-- p95 2.1–5.4 ms). The page of rows still comes from 0011's covering index.
CREATE INDEX application_by_child_iin_key ON application(child_iin);
