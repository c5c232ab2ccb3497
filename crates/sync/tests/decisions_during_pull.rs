//! A clerk decides at the desk while the sync loop's first pull applies page after page
//! (issue 12, R-33): the window's connection and the sync worker's write one journal,
//! and each decision waits for the page being applied (the journal's write turn,
//! store/src/write_turn.rs), never failing "busy". Real portal-sim on 127.0.0.1, real
//! journal file; the clerk's thread decides a row of each page as the pull reports it,
//! so its decisions overlap the pages that follow. Nothing timed, no sleeps.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Office, Portal, worker};
use std::sync::Arc;
use std::sync::mpsc;
use store::Store;
use sync::SyncEvent;
use time::OffsetDateTime;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_decision_made_during_a_first_pull_of_many_pages_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 21, 8000).await;
    let office = Arc::new(Office::new(dir.path(), &portal).await);
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 5);
    common::sign_in(&mut w, &mut store, &office, OffsetDateTime::now_utc()).await;

    // The window: for each page the pull reports, the clerk accepts its first new row.
    let (pages, reported) = mpsc::channel::<Vec<String>>();
    let clerk = {
        let office = Arc::clone(&office);
        std::thread::spawn(move || {
            let mut desk = office.desk();
            let mut outcomes = Vec::new();
            for ids in reported {
                let new = ids.into_iter().find(|id| {
                    desk.store().application(id).unwrap().0.status == domain::Status::New
                });
                if let Some(id) = new {
                    let done = office.decide(&mut desk, &id, true, format!("during-{id}"));
                    outcomes.push(done.map_err(|e| format!("{id}: {e}")));
                }
            }
            outcomes
        })
    };
    let mut report = move |e: SyncEvent| {
        if let SyncEvent::RowsChanged { ids } = e {
            pages.send(ids).unwrap();
        }
    };
    let first = w
        .run_round(&mut store, OffsetDateTime::now_utc(), &mut report)
        .await
        .unwrap();
    drop(report);
    let outcomes = tokio::task::spawn_blocking(move || clerk.join().unwrap())
        .await
        .unwrap();

    assert!(first.completed(), "{first:?}");
    assert!(first.pages > 10, "many pages: {first:?}");
    let failed: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    assert_eq!(failed, Vec::<&String>::new());
    assert!(outcomes.len() > 1, "{} decisions", outcomes.len());
    let counts = store.outbox_counts().unwrap();
    assert_eq!(
        (counts.pending + counts.sent + counts.refused) as usize,
        outcomes.len(),
        "every decision is in the outbox: {counts:?}"
    );
    assert!(store.deferred_indexes().unwrap().is_empty());
    assert!(matches!(
        store.verify_history().unwrap(),
        store::HistoryCheck::Intact { .. }
    ));
}
