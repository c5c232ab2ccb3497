//! A portal without the decision batches (issue 12), against a real portal-sim on
//! 127.0.0.1: an older portal (`decision_batches: false`, 404 `NOT_FOUND` on the route)
//! or a proxy that does not know the route (its own HTML 404 / 405). The desk sends the
//! queued decisions one by one — each reaches the portal exactly once, even when answers
//! are lost, the entries of one application keep their order — and it asks for batches
//! once a round, not once per decision.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Office, Portal, decidable, faults, round, walk_ins};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use store::Store;
use sync::SyncWorker;

/// Small batches, two in flight: a round's decisions would make several batches, so a
/// desk that asked per batch (or per decision) shows in the portal's count.
fn batching_worker(portal: &Portal, seed: u64) -> SyncWorker {
    SyncWorker::new(
        sync::PortalClient::new(&portal.url, &sync::ClientConfig::default()).unwrap(),
        sync::SyncConfig {
            decisions_per_request: 5,
            batches_in_flight: 2,
            ..common::quick_config()
        },
        seed,
    )
}

/// Decides `n` of the rows the clerk can still decide; returns what each became.
fn decide_some(
    office: &Office,
    store: &Store,
    n: usize,
    tag: &str,
) -> BTreeMap<String, domain::Status> {
    let mut desk = office.desk();
    let mut intent = BTreeMap::new();
    // Rejections: always allowed while pending, so nothing depends on free places.
    for (i, (id, _)) in decidable(store).into_iter().take(n).enumerate() {
        office
            .decide(&mut desk, &id, false, format!("{tag}-{i}"))
            .unwrap();
        intent.insert(id, domain::Status::Rejected);
    }
    assert_eq!(intent.len(), n, "rows left to decide");
    intent
}

/// Every decision entry was answered and accepted, and the portal holds what the desk
/// decided.
async fn all_sent_as_decided(
    w: &SyncWorker,
    store: &Store,
    intent: &BTreeMap<String, domain::Status>,
) {
    for (id, to) in intent {
        let entries = store.outbox_for(id).unwrap();
        assert!(
            entries.iter().all(|e| e.state == "sent"),
            "{id}: {entries:#?}"
        );
        let on_portal = w.client().application(id).await.unwrap();
        assert_eq!(on_portal.status, to.as_str(), "{id}");
    }
}

/// The batch route served again as it should: 10 new decisions go in 2 batches of 5 in
/// the next round of the same worker.
async fn batches_again(portal: &Portal, office: &Office, store: &mut Store, w: &mut SyncWorker) {
    portal
        .set_overload(serde_json::json!({"capacity_rps": null, "mode": "reject"}))
        .await;
    let intent = decide_some(office, store, 10, "again");
    let asked = portal.batch_requests().await;
    let r = round(w, store, office).await;
    assert_eq!(
        (r.pushed, r.pending_left),
        (intent.len() as u64, 0),
        "{r:?}"
    );
    assert_eq!(portal.batch_requests().await - asked, 2, "in batches again");
    all_sent_as_decided(w, store, &intent).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_portal_gets_every_decision_once_one_by_one_asked_for_batches_once_a_round() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 41, 1500).await;
    portal
        .set_overload(
            serde_json::json!({"capacity_rps": null, "mode": "reject", "decision_batches": false}),
        )
        .await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = batching_worker(&portal, 41);
    assert!(round(&mut w, &mut store, &office).await.completed());

    // 20 decisions (4 batches of 5) and walk-ins, each a binding then the submission
    // that needs it: two entries of one application, in that order.
    let mut intent = decide_some(&office, &store, 20, "older");
    // Children at addresses in no micro-district, each at its own address: the clerk binds
    // it to a micro-district of the school (numbers not a multiple of 3: a binding, not a
    // temporary registration).
    let (region, children) = walk_ins(&portal);
    let mut addresses = std::collections::HashSet::new();
    let unbound = children.iter().filter(|c| {
        region
            .address(&c.address_id)
            .unwrap()
            .micro_district
            .is_none()
            && addresses.insert(c.address_id.clone())
    });
    let mut desk = office.desk();
    let submitted: Vec<String> = unbound
        .zip([1u32, 2, 4, 5])
        .map(|(child, n)| office.submit_walk_in(&mut desk, &region, child, n).unwrap())
        .collect();
    assert_eq!(submitted.len(), 4);
    let before = portal.stats().await;
    let asked = portal.batch_requests().await;

    let r = round(&mut w, &mut store, &office).await;
    assert!(r.completed(), "{r:?}");
    assert_eq!((r.pending_left, r.refused), (0, 0), "{r:?}");
    let probes = portal.batch_requests().await - asked;
    assert!(
        (1..=2).contains(&probes),
        "asked for batches {probes} times: at most the two batches already on their way when the first answer came, never per batch or decision"
    );
    let after = portal.stats().await;
    assert_eq!(after.decisions - before.decisions, intent.len() as u64);
    assert_eq!(after.duplicate_effects, 0);
    all_sent_as_decided(&w, &store, &intent).await;
    // Order per application: every binding reached the portal before its submission (the
    // portal refuses a submission at an address in no micro-district without one).
    let outbox = store.outbox().unwrap();
    let sent = |kind: &str| {
        outbox
            .iter()
            .filter(|e| e.kind == kind && e.state == "sent")
            .count()
    };
    assert_eq!(sent("on_behalf"), submitted.len(), "{outbox:#?}");
    assert_eq!(sent("binding"), submitted.len());
    assert_eq!(portal.bindings().await.len(), submitted.len());

    // Answers lost after the portal's commit: the one-by-one replays are answered from
    // the portal's store, never done twice. Each round asks for batches again (the portal
    // may have been updated), once.
    portal.set_faults(faults(0.0, 0.3, 0)).await;
    let more = decide_some(&office, &store, 15, "lossy");
    let before = portal.stats().await;
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let asked = portal.batch_requests().await;
        let r = round(&mut w, &mut store, &office).await;
        let probes = portal.batch_requests().await - asked;
        assert!(probes <= 2, "{probes} in one round: {r:?}");
        assert_eq!(r.refused, 0, "{r:?}");
        if r.completed() && r.pending_left == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "no convergence: {r:?}");
    }
    portal.set_faults(faults(0.0, 0.0, 0)).await;
    let after = portal.stats().await;
    assert!(after.dropped_after_commit > before.dropped_after_commit);
    assert_eq!(after.decisions - before.decisions, more.len() as u64);
    assert_eq!(
        after.duplicate_writes_prevented - before.duplicate_writes_prevented,
        after.dropped_after_commit - before.dropped_after_commit,
        "every lost answer replayed, answered from the portal's store"
    );
    assert_eq!(after.duplicate_effects, 0);
    intent.extend(more);
    all_sent_as_decided(&w, &store, &intent).await;

    // Once the portal takes batches, the next round uses them.
    batches_again(&portal, &office, &mut store, &mut w).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxys_html_404_or_405_on_the_batch_route_sends_the_decisions_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 42, 1200).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = batching_worker(&portal, 42);
    assert!(round(&mut w, &mut store, &office).await.completed());
    for status in [404, 405] {
        portal
            .set_overload(serde_json::json!({"capacity_rps": null, "mode": "reject", "gateway_status": status, "gateway_scope": "decision_batches"}))
            .await;
        let intent = decide_some(&office, &store, 12, &format!("proxy-{status}"));
        let decisions = portal.stats().await.decisions;
        let asked = portal.batch_requests().await;
        let r = round(&mut w, &mut store, &office).await;
        assert!(r.completed(), "{status}: {r:?}");
        assert_eq!(
            (r.pushed, r.refused, r.pending_left),
            (intent.len() as u64, 0, 0),
            "{status}: {r:?}"
        );
        assert!((1..=2).contains(&(portal.batch_requests().await - asked)));
        assert_eq!(
            portal.stats().await.decisions - decisions,
            intent.len() as u64
        );
        all_sent_as_decided(&w, &store, &intent).await;
    }
    // The proxy gone: the same worker's next round sends batches again (a proxy's
    // passing 404 does not leave the desk without them).
    batches_again(&portal, &office, &mut store, &mut w).await;
}
