//! A first pull into an empty journal against a real portal-sim (issue 12): the journal's
//! read-only indexes are built once after the last page (store::bulk), a pull cut short
//! leaves them to the next round, and the journal answers the same either way.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Office, Portal, worker};
use store::{DEFERRABLE, JournalFilter, SearchTerm, Store};
use sync::SyncEvent;
use time::OffsetDateTime;

fn index_names(store_path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(store_path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn iin_search(store: &Store, prefix: &str) -> usize {
    store
        .journal(&JournalFilter {
            search: Some(SearchTerm::IinPrefix(prefix.into())),
            limit: 1000,
            ..JournalFilter::default()
        })
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_pull_builds_the_journal_indexes_after_its_last_page() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 12, 2000).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let before = index_names(&office.db);
    let mut w = worker(&portal, 3);
    let mut ignore = |_: SyncEvent| {};
    w.sign_in(
        &mut store,
        &office.clerk,
        &office.password,
        OffsetDateTime::now_utc(),
        &mut ignore,
    )
    .await
    .unwrap();
    let first = w
        .run_round(&mut store, OffsetDateTime::now_utc(), &mut ignore)
        .await
        .unwrap();
    assert!(first.completed(), "{first:?}");
    assert!(first.pages > 1, "several pages: {first:?}");
    assert!(first.inserted > 0);
    assert!(store.deferred_indexes().unwrap().is_empty(), "all built");
    assert_eq!(
        index_names(&office.db),
        before,
        "the same indexes as before"
    );
    // The rows' lists of documents (each listed document waiting for its bytes but those
    // the round's document cache kept) and their history entries, written many to a
    // statement, are all there, linked in one chain; the counts by status come from the
    // rows.
    assert_eq!(store.status_counts().unwrap().all(), first.inserted);
    let conn = rusqlite::Connection::open(&office.db).unwrap();
    let (with_documents, documents, waiting, kept): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), sum(json_array_length(documents)), sum(documents_waiting),
                    (SELECT count(*) FROM document WHERE content IS NOT NULL)
             FROM application WHERE json_array_length(documents) > 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let inserted = i64::try_from(first.inserted).unwrap();
    assert_eq!(with_documents, inserted, "every row has its documents");
    assert!(documents >= 3 * inserted, "{documents} documents");
    assert_eq!(kept, i64::try_from(first.documents_cached).unwrap());
    assert_eq!(
        waiting,
        documents - kept,
        "every other document waits for its bytes"
    );
    match store.verify_history().unwrap() {
        store::HistoryCheck::Intact { entries } => {
            assert!(entries >= first.inserted, "{entries} entries")
        }
        broken => panic!("the history chain after a first pull: {broken:?}"),
    }
    for name in DEFERRABLE {
        assert!(before.contains(&name.to_string()), "{name}");
    }
    let some_iin = store
        .journal(&JournalFilter {
            limit: 1,
            ..JournalFilter::default()
        })
        .unwrap()[0]
        .child_iin
        .clone();
    let found = iin_search(&store, &some_iin[..6]);
    assert!(found >= 1);

    // A pull killed between its pages leaves its indexes dropped and listed: the next
    // round builds them before it pulls.
    store.defer_indexes().unwrap();
    assert!(!store.deferred_indexes().unwrap().is_empty());
    assert_eq!(
        iin_search(&store, &some_iin[..6]),
        found,
        "read without them"
    );
    let next = w
        .run_round(&mut store, OffsetDateTime::now_utc(), &mut ignore)
        .await
        .unwrap();
    assert!(next.completed(), "{next:?}");
    assert_eq!(next.inserted, 0, "nothing new: {next:?}");
    assert!(store.deferred_indexes().unwrap().is_empty());
    assert_eq!(index_names(&office.db), before);
    assert_eq!(iin_search(&store, &some_iin[..6]), found);
}
