//! Issue 15 (docs/bad-input.md): the change feed's answers damaged on the way — a proxy's
//! HTML page with 200, JSON cut in the middle, bytes that are not JSON — from a running
//! portal-sim (fault `damaged_changes`), through the real client and sync round. The
//! round stops with a coded error, nothing of the damaged answer reaches the journal,
//! the clerk's queued decision goes exactly once, and the next clean round catches up.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Office, Portal, decidable, faults, round, worker};
use portal_api::DamagedAnswer;
use store::{JournalFilter, Store};

fn rows(store: &Store) -> u64 {
    store
        .journal_count(&JournalFilter {
            limit: 0,
            ..Default::default()
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_change_feed_stops_the_round_applies_nothing_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 31, 120).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 31);
    assert!(round(&mut w, &mut store, &office).await.completed());
    let (id, _) = decidable(&store).into_iter().next().unwrap();
    office
        .decide(&mut office.desk(), &id, true, "damaged-1".into())
        .unwrap();

    let decisions_before = portal.stats().await.decisions;
    for how in [
        DamagedAnswer::Html,
        DamagedAnswer::Truncated,
        DamagedAnswer::Garbage,
    ] {
        assert!(!portal.arrivals(20).await.ids.is_empty());
        let before = rows(&store);
        let mut f = faults(0.0, 0.0, 0);
        f.damaged_changes = Some(how);
        portal.set_faults(f).await;

        let r = round(&mut w, &mut store, &office).await;
        let e = r
            .stopped
            .as_ref()
            .unwrap_or_else(|| panic!("{how:?}: {r:?}"));
        assert_eq!(e.code(), "PORTAL_PROTOCOL", "{how:?}: {e:?}");
        assert_eq!((r.inserted, r.updated), (0, 0), "{how:?}: {r:?}");
        assert_eq!(
            rows(&store),
            before,
            "{how:?}: nothing of it in the journal"
        );
        assert_eq!(
            sync::status(&store).unwrap().last_error.as_deref(),
            Some("PORTAL_PROTOCOL"),
            "{how:?}: the status bar says why"
        );
    }

    portal.set_faults(faults(0.0, 0.0, 0)).await;
    let r = round(&mut w, &mut store, &office).await;
    assert!(r.completed(), "{r:?}");
    assert_eq!(r.pending_left, 0, "{r:?}");
    let stats = portal.stats().await;
    assert_eq!(
        rows(&store),
        stats.applications_by_school[&office.school_id],
        "the arrivals caught up: {r:?}"
    );
    assert_eq!(
        (stats.decisions, stats.duplicate_effects),
        (decisions_before + 1, 0),
        "the queued decision went exactly once"
    );
    assert_eq!(sync::status(&store).unwrap().last_error, None);
}
