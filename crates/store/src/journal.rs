//! The journal: filtered, searched, sorted, paged by keyset. Every query is an
//! index range (see migrations/0002) so a million rows answer in milliseconds.

use crate::records::SyncMark;
use crate::write::{damaged, format_time, parse_time};
use crate::{Error, Store};
use domain::{ApplicationNumber, Grade, InstructionLanguage, Status};
use rusqlite::types::Value;
use time::{Date, OffsetDateTime};

/// What the clerk typed in the search box, understood once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    /// 1–12 digits: the start of the child's IIN (12 digits: exactly that IIN).
    IinPrefix(String),
    /// The start of an application number (`2026-00…`, `L-2026-…`).
    NumberPrefix(String),
    /// The start of the child's "surname given patronymic", case-insensitive.
    NamePrefix(String),
}

impl SearchTerm {
    pub fn parse(text: &str) -> Option<SearchTerm> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() <= 12 && compact.chars().all(|c| c.is_ascii_digit()) {
            return Some(SearchTerm::IinPrefix(compact));
        }
        let upper = compact.to_uppercase();
        let number_like = upper.starts_with("L-")
            || (upper.chars().next().is_some_and(|c| c.is_ascii_digit())
                && upper.chars().all(|c| c.is_ascii_digit() || c == '-'));
        if number_like {
            return Some(SearchTerm::NumberPrefix(upper));
        }
        let key = domain::search_key(t);
        let folded = key.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(SearchTerm::NamePrefix(folded))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JournalSort {
    /// Newest first: what a clerk works through.
    #[default]
    SubmittedDesc,
    SubmittedAsc,
    ChildName,
}

/// Where the previous page ended: the sort key and the id of its last row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyset {
    pub key: String,
    pub id: String,
}

#[derive(Debug, Clone, Default)]
pub struct JournalFilter {
    pub search: Option<SearchTerm>,
    pub status: Option<Status>,
    pub sync_mark: Option<SyncMark>,
    pub grade: Option<Grade>,
    pub language: Option<InstructionLanguage>,
    pub micro_district: Option<String>,
    pub submitted_from: Option<Date>,
    pub submitted_to: Option<Date>,
    pub sort: JournalSort,
    pub after: Option<Keyset>,
    pub limit: u32,
}

/// One row of the journal table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow {
    pub id: String,
    pub number: String,
    pub provisional: bool,
    pub child_name: String,
    pub child_iin: String,
    pub submitted_at: OffsetDateTime,
    pub school_id: String,
    pub school_name_kk: Option<String>,
    pub school_name_ru: Option<String>,
    pub grade: u8,
    pub language: String,
    pub status: Status,
    pub sync_mark: SyncMark,
    pub micro_district_id: Option<String>,
    pub keyset: Keyset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusCounts {
    pub new: u64,
    pub under_review: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub withdrawn: u64,
    pub waiting: u64,
    pub refused: u64,
}

impl StatusCounts {
    pub fn all(&self) -> u64 {
        self.new + self.under_review + self.accepted + self.rejected + self.withdrawn
    }
}

/// Counting the rows that match stops here; the UI shows "10 000+".
pub const COUNT_CAP: u64 = 10_000;

struct Sql {
    conditions: Vec<String>,
    params: Vec<Value>,
}

impl Sql {
    fn push(&mut self, condition: &str, values: impl IntoIterator<Item = Value>) {
        let mut values = values.into_iter();
        let mut c = String::new();
        for (i, part) in condition.split('?').enumerate() {
            if i > 0 {
                self.params.push(values.next().unwrap_or(Value::Null));
                c.push_str(&format!("?{}", self.params.len()));
            }
            c.push_str(part);
        }
        self.conditions.push(c);
    }

    fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }
}

/// The smallest string greater than every string that starts with `prefix`.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn filters(f: &JournalFilter) -> Sql {
    let mut sql = Sql {
        conditions: Vec::new(),
        params: Vec::new(),
    };
    match &f.search {
        Some(SearchTerm::IinPrefix(p)) if p.len() == 12 => sql.push("a.child_iin = ?", [text(p)]),
        Some(SearchTerm::IinPrefix(p)) => sql.push(
            "a.child_iin >= ? AND a.child_iin < ?",
            [text(p), text(prefix_end(p))],
        ),
        Some(SearchTerm::NumberPrefix(p)) => sql.push(
            "a.number >= ? AND a.number < ?",
            [text(p), text(prefix_end(p))],
        ),
        Some(SearchTerm::NamePrefix(p)) => sql.push(
            "a.child_search >= ? AND a.child_search < ?",
            [text(p), text(prefix_end(p))],
        ),
        None => {}
    }
    if let Some(s) = f.status {
        sql.push("a.status = ?", [text(s.as_str())]);
    }
    if let Some(m) = f.sync_mark {
        sql.push("a.sync_mark = ?", [text(m.as_str())]);
    }
    if let Some(g) = f.grade {
        sql.push("a.grade = ?", [Value::Integer(i64::from(g.get()))]);
    }
    if let Some(l) = f.language {
        sql.push("a.language = ?", [text(l.as_str())]);
    }
    if let Some(m) = &f.micro_district {
        sql.push("a.micro_district_id = ?", [text(m)]);
    }
    // Days are the office's days; the bounds become UTC times so the range walks the
    // (status|language, submitted_at) indexes instead of every row.
    if let Some(d) = f.submitted_from {
        sql.push("a.submitted_at >= ?", [text(office_day_start(d))]);
    }
    if let Some(d) = f.submitted_to {
        sql.push(
            "a.submitted_at < ?",
            [text(office_day_start(d.next_day().unwrap_or(d)))],
        );
    }
    sql
}

fn office_day_start(d: Date) -> String {
    format_time(domain::office_time::office_day_start(d))
}

/// (key column, comparison for "after", order). Search results come in the order of
/// what was searched — names alphabetically, IINs and numbers ascending — so a search
/// is one index range read in order, never a sort of every match (BENCHMARKS.md).
fn sort_parts(f: &JournalFilter) -> (&'static str, &'static str, &'static str) {
    match (&f.search, f.sort) {
        (Some(SearchTerm::NamePrefix(_)), _) | (None, JournalSort::ChildName) => {
            ("a.child_search", ">", "ASC")
        }
        (Some(SearchTerm::IinPrefix(_)), _) => ("a.child_iin", ">", "ASC"),
        (Some(SearchTerm::NumberPrefix(_)), _) => ("a.number", ">", "ASC"),
        (None, JournalSort::SubmittedDesc) => ("a.submitted_at", "<", "DESC"),
        (None, JournalSort::SubmittedAsc) => ("a.submitted_at", ">", "ASC"),
    }
}

/// The child's name as a journal row shows it, exactly as migration 0018 indexes it: the
/// page reads it from the covering indexes instead of the table (a test checks the plan).
const CHILD_NAME: &str =
    "a.child_surname || ' ' || a.child_given || coalesce(' ' || a.child_patronymic, '')";

/// The page query of `f` and its parameters. The keyset is a row-value comparison,
/// `(key, id) < (?, ?)`, which SQLite reads as a seek into the index; the equivalent
/// `key < ? OR (key = ? AND id < ?)` made it walk the index from its start, every row of
/// the pages before (issue 16: the deep pages' p95, BENCHMARKS.md).
fn page_sql(f: &JournalFilter) -> (String, Vec<Value>) {
    let mut sql = filters(f);
    let (key, cmp, order) = sort_parts(f);
    if let Some(after) = &f.after {
        sql.push(
            &format!("({key}, a.id) {cmp} (?, ?)"),
            [text(&after.key), text(&after.id)],
        );
    }
    let query = format!(
        "SELECT a.id, a.number, {CHILD_NAME},
                a.child_iin, a.submitted_at, a.school_id, s.name_kk, s.name_ru, a.grade, a.language,
                a.status, a.sync_mark, a.micro_district_id, {key}
         FROM application a LEFT JOIN school s ON s.id = a.school_id
         {}
         ORDER BY {key} {order}, a.id {order}
         LIMIT {}",
        sql.where_clause(),
        f.limit.clamp(1, 1000)
    );
    (query, sql.params)
}

/// The capped count of `f` (ignoring `after`) and its parameters.
fn count_sql(f: &JournalFilter) -> (String, Vec<Value>) {
    let sql = filters(f);
    let query = format!(
        "SELECT count(*) FROM (SELECT 1 FROM application a {} LIMIT {})",
        sql.where_clause(),
        COUNT_CAP + 1
    );
    (query, sql.params)
}

impl Store {
    /// A page of the journal. Pass the last row's [`JournalRow::keyset`] as `after` for
    /// the next page.
    pub fn journal(&self, f: &JournalFilter) -> Result<Vec<JournalRow>, Error> {
        let (query, params) = page_sql(f);
        let mut stmt = self.conn().prepare_cached(&query)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, u8>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, String>(11)?,
                r.get::<_, Option<String>>(12)?,
                r.get::<_, String>(13)?,
            ))
        })?;
        rows.map(|r| {
            let (
                id,
                number,
                child_name,
                child_iin,
                submitted,
                school_id,
                kk,
                ru,
                grade,
                language,
                status,
                mark,
                md,
                key,
            ) = r?;
            // Not in the covering indexes (0018): a provisional number is one of this
            // office's own, "L-…".
            let provisional = ApplicationNumber::parse(&number)
                .map_err(damaged("number"))?
                .is_provisional();
            Ok(JournalRow {
                keyset: Keyset {
                    key,
                    id: id.clone(),
                },
                id,
                number,
                provisional,
                child_name,
                child_iin,
                submitted_at: parse_time(&submitted)?,
                school_id,
                school_name_kk: kk,
                school_name_ru: ru,
                grade,
                language,
                status: Status::parse(&status).map_err(|_| Error::Damaged {
                    what: format!("status {status:?}"),
                })?,
                sync_mark: SyncMark::parse(&mark).ok_or_else(|| Error::Damaged {
                    what: "sync mark".into(),
                })?,
                micro_district_id: md,
            })
        })
        .collect()
    }

    /// How many rows match the filter (ignoring `after`), counted up to [`COUNT_CAP`] + 1.
    pub fn journal_count(&self, f: &JournalFilter) -> Result<u64, Error> {
        let (query, params) = count_sql(f);
        let n: i64 = self
            .conn()
            .prepare_cached(&query)?
            .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Counts per status for the filter panel, kept by triggers (migration 0002).
    pub fn status_counts(&self) -> Result<StatusCounts, Error> {
        let mut c = StatusCounts::default();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT status, count FROM status_count")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (status, n) = row?;
            let n = u64::try_from(n).unwrap_or(0);
            match status.as_str() {
                "new" => c.new = n,
                "under_review" => c.under_review = n,
                "accepted" => c.accepted = n,
                "rejected" => c.rejected = n,
                "withdrawn" => c.withdrawn = n,
                _ => {}
            }
        }
        let mut marks = self.conn().prepare_cached(
            "SELECT sync_mark, count(*) FROM application WHERE sync_mark <> 'none' GROUP BY sync_mark",
        )?;
        for row in marks.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (mark, n) = row?;
            let n = u64::try_from(n).unwrap_or(0);
            match mark.as_str() {
                "waiting" => c.waiting = n,
                "refused" => c.refused = n,
                _ => {}
            }
        }
        Ok(c)
    }

    /// Lets SQLite's planner learn the data after a large load.
    pub fn optimize(&self) -> Result<(), Error> {
        self.write_conn()?
            .execute_batch("PRAGMA optimize; ANALYZE;")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's plan of the page query of `f` in a journal with every migration.
    fn plan(f: &JournalFilter) -> String {
        plan_of(page_sql(f))
    }

    fn plan_of((query, params): (String, Vec<Value>)) -> String {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&tmp.path().join("plan.sqlite")).expect("open");
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {query}"))
            .expect("explain");
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                r.get::<_, String>(3)
            })
            .expect("plan");
        rows.map(|r| r.expect("row")).collect::<Vec<_>>().join("; ")
    }

    #[test]
    fn the_iin_search_and_the_deep_pages_are_one_seek_into_a_covering_index() {
        // Issue 16 (BENCHMARKS.md): the rows of a page come from the index alone, in its
        // order, and the next page seeks to where the last one ended.
        let iin = plan(&JournalFilter {
            search: Some(SearchTerm::IinPrefix("150101".into())),
            after: Some(Keyset {
                key: "150101500011".into(),
                id: "app-1".into(),
            }),
            limit: 100,
            ..JournalFilter::default()
        });
        assert!(
            iin.contains("SEARCH a USING COVERING INDEX application_by_child_iin"),
            "{iin}"
        );
        assert!(!iin.contains("TEMP B-TREE"), "no sort: {iin}");
        // Its capped count (up to 10 001 rows of a birth date) reads the narrow index.
        let count = plan_of(count_sql(&JournalFilter {
            search: Some(SearchTerm::IinPrefix("150101".into())),
            ..JournalFilter::default()
        }));
        assert!(
            count.contains("COVERING INDEX application_by_child_iin_key"),
            "{count}"
        );
        let next = plan(&JournalFilter {
            after: Some(Keyset {
                key: "2026-04-01T05:00:00Z".into(),
                id: "app-1".into(),
            }),
            limit: 100,
            ..JournalFilter::default()
        });
        assert!(
            next.contains(
                "SEARCH a USING COVERING INDEX application_by_submitted ((submitted_at,id)<(?,?))"
            ),
            "{next}"
        );
        assert!(!next.contains("TEMP B-TREE"), "{next}");
        let status_next = plan(&JournalFilter {
            status: Some(Status::New),
            after: Some(Keyset {
                key: "2026-04-01T05:00:00Z".into(),
                id: "app-1".into(),
            }),
            limit: 100,
            ..JournalFilter::default()
        });
        assert!(
            status_next.contains("application_by_status (status=? AND (submitted_at,id)<(?,?))"),
            "{status_next}"
        );
    }

    #[test]
    fn search_term_table() {
        let cases: &[(&str, Option<SearchTerm>)] = &[
            ("", None),
            ("   ", None),
            ("2003", Some(SearchTerm::IinPrefix("2003".into()))),
            (
                "200301 500010",
                Some(SearchTerm::IinPrefix("200301500010".into())),
            ),
            (
                "2026-00012",
                Some(SearchTerm::NumberPrefix("2026-00012".into())),
            ),
            ("l-2026", Some(SearchTerm::NumberPrefix("L-2026".into()))),
            ("ӘЛІМ", Some(SearchTerm::NamePrefix("әлім".into()))),
            (
                "  Иванов   Пётр ",
                Some(SearchTerm::NamePrefix("иванов петр".into())),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(&SearchTerm::parse(input), want, "input {input:?}");
        }
    }
}
