//! A first pull's bulk load (issue 12, store::bulk): the read-only indexes are dropped
//! for it and built again after it — also after a load that was cut short — and the
//! journal reads the same before, during and after.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use store::{
    BUILD_CACHE_BYTES, DEFERRABLE, DEFERRABLE_TABLES, DEFERRABLE_TRIGGER, JournalFilter,
    SORT_BYTES_PER_CELL, SORT_FIELDS_COMPARED_IN_PLACE, SearchTerm, Store, TableSize,
    sorts_in_one_buffer,
};

/// Name and SQL of every index and trigger of the journal, sorted.
fn indexes(path: &std::path::Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn fill(store: &mut Store, n: u64) -> Vec<domain::Application> {
    let spec = demo::RegionSpec::default();
    let region = demo::region(&spec);
    let apps: Vec<domain::Application> = demo::applications(&spec, &region, n).collect();
    store
        .put_applications(apps.iter().map(|a| (a, &[][..])))
        .unwrap();
    apps
}

fn search(store: &Store, iin: &str) -> Vec<String> {
    store
        .journal(&JournalFilter {
            search: Some(SearchTerm::IinPrefix(iin.into())),
            limit: 1000,
            ..JournalFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn deferred_indexes_are_built_again_with_their_own_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut store = Store::open(&path).unwrap();
    let before = indexes(&path);
    for name in DEFERRABLE {
        assert!(
            before.iter().any(|(n, _)| n == name),
            "{name} is one of the journal's indexes"
        );
    }

    assert_eq!(store.defer_indexes().unwrap(), DEFERRABLE.len());
    let during = indexes(&path);
    for name in DEFERRABLE.iter().chain([&DEFERRABLE_TRIGGER]) {
        assert!(!during.iter().any(|(n, _)| n == name), "{name} dropped");
    }
    assert!(
        during.iter().any(|(n, _)| n == "application_by_portal_id"),
        "unique indexes (constraints) stay"
    );
    let apps = fill(&mut store, 300);
    let iin = apps[17].child.iin.to_string();
    let found_during = search(&store, &iin[..6]);
    assert!(
        found_during.contains(&apps[17].id.0),
        "read without the index"
    );

    assert_eq!(store.build_deferred_indexes().unwrap(), DEFERRABLE.len());
    assert_eq!(
        indexes(&path),
        before,
        "the same indexes and trigger, the same SQL"
    );
    assert_eq!(
        counts_by_status(&store),
        counts_of(&apps),
        "the counts by status are counted from the rows when the trigger comes back"
    );
    assert!(store.deferred_indexes().unwrap().is_empty());
    assert_eq!(search(&store, &iin[..6]), found_during, "the same answer");
    assert_eq!(store.build_deferred_indexes().unwrap(), 0, "nothing left");
    let check: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn a_load_cut_short_leaves_what_to_build_in_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let before = {
        let mut store = Store::open(&path).unwrap();
        let before = indexes(&path);
        store.defer_indexes().unwrap();
        fill(&mut store, 50);
        before
        // dropped here without building: a crash in the middle of a first pull
    };
    let mut store = Store::open(&path).unwrap();
    let mut waiting = store.deferred_indexes().unwrap();
    waiting.sort();
    let mut expected: Vec<String> = DEFERRABLE.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(waiting, expected, "kept in the journal across the crash");
    assert_eq!(store.build_deferred_indexes().unwrap(), DEFERRABLE.len());
    assert_eq!(indexes(&path), before);
    assert_eq!(counts_by_status(&store).values().sum::<u64>(), 50);
}

fn counts_by_status(store: &Store) -> std::collections::BTreeMap<String, u64> {
    let c = store.status_counts().unwrap();
    [
        ("accepted", c.accepted),
        ("new", c.new),
        ("rejected", c.rejected),
        ("under_review", c.under_review),
        ("withdrawn", c.withdrawn),
    ]
    .into_iter()
    .map(|(s, n)| (s.to_string(), n))
    .collect()
}

fn counts_of(apps: &[domain::Application]) -> std::collections::BTreeMap<String, u64> {
    domain::Status::ALL
        .iter()
        .map(|s| {
            let n = apps.iter().filter(|a| a.status == *s).count() as u64;
            (s.as_str().to_string(), n)
        })
        .collect()
}

#[test]
fn every_deferred_index_is_on_a_table_whose_size_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut store = Store::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    for name in DEFERRABLE {
        let table: String = conn
            .query_row(
                "SELECT tbl_name FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            DEFERRABLE_TABLES.contains(&table.as_str()),
            "{name} on {table}"
        );
    }
    store.defer_indexes().unwrap();
    fill(&mut store, 300);
    let sizes = store.deferrable_table_sizes().unwrap();
    assert_eq!(sizes.len(), DEFERRABLE_TABLES.len(), "one size a table");
    let application = sizes[0];
    assert!(
        application.cells >= 300,
        "{application:?}: a cell a row at least"
    );
    assert!(
        application.bytes >= 300 * 100,
        "{application:?}: the rows' pages"
    );
    assert!(sorts_in_one_buffer(&sizes, BUILD_CACHE_BYTES));
    assert_eq!(store.build_deferred_indexes().unwrap(), DEFERRABLE.len());
}

/// Each index a first pull builds is sorted with the comparison in place (migration 0018):
/// its columns, expressions and rowid, as SQLite lists them, stay within the bound.
#[test]
fn every_deferred_index_sorts_with_its_first_field_compared_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    for name in DEFERRABLE {
        let fields: i64 = conn
            .query_row("SELECT count(*) FROM pragma_index_xinfo(?1)", [name], |r| {
                r.get(0)
            })
            .unwrap();
        let fields = usize::try_from(fields).unwrap();
        assert!(fields > 1, "{name}: a column and the rowid at least");
        assert!(
            fields <= SORT_FIELDS_COMPARED_IN_PLACE,
            "{name}: {fields} fields"
        );
    }
}

/// (table's pages, cells, cache, one buffer?): a sort that could reach the cache's size
/// is never given the buffer that spills into an unencrypted file.
#[test]
fn sorts_take_one_buffer_only_below_the_cache() {
    const MB: u64 = 1024 * 1024;
    const PER_CELL: u64 = SORT_BYTES_PER_CELL;
    type Case = (&'static [(u64, u64)], u64, bool);
    let cases: &[Case] = &[
        (&[], 192 * MB, true),
        (&[(91 * MB, 105_572), (42 * MB, 157_384)], 192 * MB, true),
        (&[(192 * MB, 0)], 192 * MB, false),
        (&[(192 * MB - PER_CELL, 1)], 192 * MB, false),
        (&[(192 * MB - PER_CELL - 1, 1)], 192 * MB, true),
        (&[(10 * MB, 0), (100 * MB, 2 * MB)], 192 * MB, false),
        (&[(1_900 * MB, 1_000_000)], 192 * MB, false),
        (&[(u64::MAX, u64::MAX)], u64::MAX, false),
    ];
    for (tables, cache, expected) in cases {
        let sizes: Vec<TableSize> = tables
            .iter()
            .map(|&(bytes, cells)| TableSize { bytes, cells })
            .collect();
        assert_eq!(
            sorts_in_one_buffer(&sizes, *cache),
            *expected,
            "{tables:?} under {cache}"
        );
    }
}
