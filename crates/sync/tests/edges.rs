//! Nothing lost on the edges (issue 12, R-33), against a real portal-sim on 127.0.0.1: an
//! unreadable pulled item is quarantined and read after an update, a lower version never
//! overwrites, `next_attempt_at` holds across a restart, a 2xx that cannot be read does
//! not block the outbox, a replay after an upgrade sends the same bytes, a proxy's HTML
//! 403 / 404 / 405 / 413 on the push is not a refusal, an overloaded portal stops the round with its Retry-After, two
//! desks deciding one application, and the network edge (https, caps, conditional reads).
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Office, Portal, decidable, quick_config, round, round_at, worker};
use std::time::{Duration, Instant};
use store::Store;
use sync::{ClientConfig, PortalClient, SyncWorker};
use time::OffsetDateTime;

/// The portal's own database, to damage one application's JSON as a newer portal might
/// send it (an IIN this app cannot read) and put it at the head of the change feed.
fn damage_on_portal(dir: &std::path::Path, id: &str) {
    let c = rusqlite::Connection::open(dir.join("portal.sqlite")).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    c.execute(
        "UPDATE applications SET body = json_set(body, '$.child.iin', '12345'),
             change_seq = (SELECT max(change_seq) + 1 FROM applications)
         WHERE id = ?1",
        [id],
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_pulled_application_is_quarantined_never_dropped_and_read_after_an_update() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 21, 200).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 1);
    let first = round(&mut w, &mut store, &office).await;
    assert!(first.completed(), "{first:?}");
    let (victim, _) = decidable(&store).into_iter().next().unwrap();
    let before = store.application(&victim).unwrap().0.version;
    let readable = portal_json(&portal, &office, &victim).await;

    damage_on_portal(dir.path(), &victim);
    let second = round(&mut w, &mut store, &office).await;
    assert!(second.completed(), "{second:?}");
    assert_eq!(second.malformed, 1, "{second:?}");
    assert_eq!(second.quarantined, 1, "kept raw: {second:?}");
    assert_eq!(store.quarantined_count().unwrap(), 1);
    assert_eq!(sync::status(&store).unwrap().unreadable, 1);
    // «could not be read, 1» in the status bar and over the journal, as the desk shows them
    let desk = office.desk();
    assert_eq!(desk.status_bar().unwrap().unreadable, 1);
    let journal = desk.journal(&desk::views::JournalQuery::default()).unwrap();
    assert_eq!(journal.counts.unreadable, 1);
    drop(desk);
    // the row the journal had stays as it was; the cursor moved on past the bad item
    assert_eq!(store.application(&victim).unwrap().0.version, before);
    assert!(round(&mut w, &mut store, &office).await.completed());
    assert_eq!(
        store.quarantined_count().unwrap(),
        1,
        "not lost by a later round"
    );

    // An updated app reads what the older one could not: here the older one is played by
    // a quarantine entry written under another version with a body that reads fine.
    store
        .retry_quarantine(
            &[],
            &[store::Unreadable {
                portal_id: victim.clone(),
                raw: readable.clone(),
                error: "unknown field in 0.0.1".into(),
                app_version: "0.0.1".into(),
            }],
            OffsetDateTime::now_utc(),
        )
        .unwrap();
    // (and the portal sends it readable again, unchanged in the feed)
    {
        let c = rusqlite::Connection::open(dir.path().join("portal.sqlite")).unwrap();
        c.busy_timeout(Duration::from_secs(5)).unwrap();
        c.execute(
            "UPDATE applications SET body = ?2 WHERE id = ?1",
            [&victim, &readable],
        )
        .unwrap();
    }
    let third = round(&mut w, &mut store, &office).await;
    assert_eq!(third.unquarantined, 1, "{third:?}");
    assert_eq!(store.quarantined_count().unwrap(), 0);
    assert_eq!(office.desk().status_bar().unwrap().unreadable, 0);
    assert_eq!(store.application(&victim).unwrap().0.version, before);
}

async fn portal_json(portal: &Portal, office: &Office, id: &str) -> String {
    let mut c = PortalClient::new(&portal.url, &ClientConfig::default()).unwrap();
    c.sign_in(&office.clerk, &office.password).await.unwrap();
    serde_json::to_string(&c.application(id).await.unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pulled_row_with_a_lower_version_never_overwrites_a_newer_one() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 22, 120).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 2);
    assert!(round(&mut w, &mut store, &office).await.completed());
    let (id, _) = decidable(&store).into_iter().next().unwrap();
    let old = portal_json(&portal, &office, &id).await;
    portal.edit(&id).await;
    assert!(round(&mut w, &mut store, &office).await.completed());
    let newer = store.application(&id).unwrap().0;

    // The old page comes again (a slow duplicate page, a replayed answer): nothing moves.
    let wire: portal_api::Application = serde_json::from_str(&old).unwrap();
    assert!(wire.version < newer.version);
    let stale = store::PulledApplication {
        application: portal_api::convert::application_from_wire(&wire).unwrap(),
        portal_json: old,
    };
    let cursor = store.sync_cursor().unwrap().unwrap();
    let applied = store
        .apply_pulled_page(
            std::slice::from_ref(&stale),
            &[],
            &cursor,
            OffsetDateTime::now_utc(),
        )
        .unwrap();
    assert_eq!((applied.updated, applied.unchanged), (0, 1));
    assert_eq!(store.application(&id).unwrap().0, newer);
    // nor on the first pull's path of plain inserts (a row there after all takes the full
    // path), nor as a quarantined item read again
    let applied = store
        .apply_first_pull_page(
            std::slice::from_ref(&stale),
            &[],
            &cursor,
            OffsetDateTime::now_utc(),
        )
        .unwrap();
    assert_eq!((applied.inserted, applied.updated), (0, 0), "{applied:?}");
    let applied = store
        .retry_quarantine(&[stale], &[], OffsetDateTime::now_utc())
        .unwrap();
    assert_eq!(applied.updated, 0, "{applied:?}");
    assert_eq!(store.application(&id).unwrap().0, newer);
    assert!(round(&mut w, &mut store, &office).await.completed());
    assert_eq!(
        store.application(&id).unwrap().0,
        newer,
        "and the next pull agrees"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_attempt_at_is_honoured_after_a_restart_and_holds_back_only_its_application() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 23, 200).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 3);
    assert!(round(&mut w, &mut store, &office).await.completed());
    let mut desk = office.desk();
    let rows = decidable(&store);
    let (a, b) = (rows[0].0.clone(), rows[1].0.clone());
    office
        .decide(&mut desk, &a, false, "later-a".into())
        .unwrap();
    office
        .decide(&mut desk, &b, false, "later-b".into())
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let seq_a = store.outbox_for(&a).unwrap()[0].seq;
    store
        .record_attempt(seq_a, "PORTAL_BUSY", now + time::Duration::hours(1))
        .unwrap();
    drop(store);

    // A new process (a restart): entry a is not due, b goes.
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 4);
    let decisions = portal.stats().await.decisions;
    let r = round_at(&mut w, &mut store, &office, now).await;
    assert_eq!((r.pushed, r.pending_left), (1, 1), "{r:?}");
    assert_eq!(portal.stats().await.decisions, decisions + 1);
    assert_eq!(store.outbox_for(&a).unwrap()[0].state, "pending");
    let r = round_at(&mut w, &mut store, &office, now + time::Duration::hours(2)).await;
    assert_eq!((r.pushed, r.pending_left), (1, 0), "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2xx_that_cannot_be_read_is_marked_after_n_tries_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 24, 200).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 5);
    assert!(round(&mut w, &mut store, &office).await.completed());
    let mut desk = office.desk();
    let rows = decidable(&store);
    let (a, b) = (rows[0].0.clone(), rows[1].0.clone());
    office
        .decide(&mut desk, &a, false, "garbled-a".into())
        .unwrap();
    let decisions = portal.stats().await.decisions;

    portal
        .set_overload(serde_json::json!({"capacity_rps": null, "mode": "reject", "garble_write_answers": true}))
        .await;
    let tries = quick_config().answer_unreadable_tries;
    for _ in 0..tries - 1 {
        let r = round(&mut w, &mut store, &office).await;
        assert_eq!(r.pending_left, 1, "{r:?}");
    }
    let last = round(&mut w, &mut store, &office).await;
    assert_eq!(last.pending_left, 0, "marked after {tries} tries: {last:?}");
    let entry = &store.outbox_for(&a).unwrap()[0];
    assert_eq!(entry.state, "sent");
    assert_eq!(entry.last_error.as_deref(), Some(store::ANSWER_UNREADABLE));
    assert!(entry.response.as_deref().unwrap().contains("<html>"));
    assert!(
        store
            .history(&a)
            .unwrap()
            .iter()
            .any(|h| h.kind == "sent_answer_unreadable")
    );
    // one effect at the portal, the replays answered from its store
    let stats = portal.stats().await;
    assert_eq!(stats.decisions, decisions + 1);
    assert_eq!(
        stats.duplicate_writes_prevented,
        u64::from(tries as u32) - 1
    );

    // the rest goes on, and the next pull shows the portal's state of the row
    portal
        .set_overload(serde_json::json!({"capacity_rps": null, "mode": "reject"}))
        .await;
    office
        .decide(&mut desk, &b, false, "after-b".into())
        .unwrap();
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!((r.pushed, r.pending_left), (1, 0), "{r:?}");
    assert_eq!(
        store.application(&a).unwrap().0.status,
        domain::Status::Rejected
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_after_an_upgrade_sends_the_bytes_kept_with_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 25, 200).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 6);
    assert!(round(&mut w, &mut store, &office).await.completed());
    let mut desk = office.desk();
    let (id, _) = decidable(&store).into_iter().next().unwrap();
    office
        .decide(&mut desk, &id, false, "upgrade-1".into())
        .unwrap();

    // The portal commits the decision but the answer is lost.
    portal.set_faults(common::faults(0.0, 1.0, 0)).await;
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!(r.pending_left, 1, "{r:?}");
    portal.set_faults(common::faults(0.0, 0.0, 0)).await;

    // An upgraded app would write the payload differently (key order, spacing, a new
    // optional field): the stored request bytes are what is sent again.
    {
        let c = rusqlite::Connection::open(&office.db).unwrap();
        let payload: String = c
            .query_row(
                "SELECT payload FROM outbox WHERE application_id = ?1",
                [&id],
                |r| r.get(0),
            )
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
        let rewritten = serde_json::to_string_pretty(&v).unwrap();
        assert_ne!(rewritten, payload);
        c.execute(
            "UPDATE outbox SET payload = ?2 WHERE application_id = ?1",
            [&id, &rewritten],
        )
        .unwrap();
    }
    let before = portal.stats().await;
    let mut w = worker(&portal, 7);
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!((r.pushed, r.refused, r.pending_left), (1, 0, 0), "{r:?}");
    let after = portal.stats().await;
    assert_eq!(after.decisions, before.decisions, "no second effect");
    assert_eq!(
        after.duplicate_writes_prevented,
        before.duplicate_writes_prevented + 1,
        "answered from the portal's store, not IDEMPOTENCY_KEY_REUSED"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxys_html_answer_to_the_push_is_not_a_refusal_and_an_overloaded_portal_stops_the_round()
 {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 26, 200).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 8);
    assert!(round(&mut w, &mut store, &office).await.completed());
    let mut desk = office.desk();
    let (id, _) = decidable(&store).into_iter().next().unwrap();
    office
        .decide(&mut desk, &id, false, "proxy-1".into())
        .unwrap();

    // The proxy answers the writes only: the round's reads pass, the push meets it (a
    // 404 / 405 of the batch route first sends the decision alone, which meets it too).
    // Each round an hour later than the last, past the entry's `next_attempt_at`.
    let mut at = OffsetDateTime::now_utc();
    for status in [403, 404, 405, 413] {
        portal
            .set_overload(serde_json::json!({"capacity_rps": null, "mode": "reject", "gateway_status": status, "gateway_scope": "writes"}))
            .await;
        at += time::Duration::hours(1);
        let r = round_at(&mut w, &mut store, &office, at).await;
        let e = r.stopped.as_ref().expect("stopped");
        assert_eq!(e.code(), "PORTAL_GATEWAY", "{status}: {r:?}");
        assert!(e.is_transient());
        assert!(
            r.retried > 0,
            "{status}: tried again within the round: {r:?}"
        );
        assert_eq!((r.refused, r.pending_left, r.refused_rows), (0, 1, 0));
        let entry = &store.outbox_for(&id).unwrap()[0];
        assert_eq!(
            (entry.state.as_str(), entry.last_error.as_deref()),
            ("pending", Some("PORTAL_GATEWAY"))
        );
    }
    // A proxy in front of every request stops the round at its first read.
    portal
        .set_overload(
            serde_json::json!({"capacity_rps": null, "mode": "reject", "gateway_status": 403}),
        )
        .await;
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!(r.stopped.as_ref().map(|e| e.code()), Some("PORTAL_GATEWAY"));
    assert_eq!((r.refused, r.pending_left), (0, 1));

    // Overloaded: 429 with Retry-After; the round stops at once (no retries within it).
    portal
        .set_overload(serde_json::json!({"capacity_rps": 0.5, "mode": "reject"}))
        .await;
    let started = Instant::now();
    let r = round(&mut w, &mut store, &office).await;
    let e = r.stopped.as_ref().expect("stopped");
    assert!(e.is_overload(), "{e:?}");
    assert!(e.retry_after().is_some_and(|d| d >= Duration::from_secs(1)));
    assert_eq!(r.retried, 0);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        sync::status(&store).unwrap().last_error.as_deref(),
        Some("PORTAL_BUSY")
    );

    portal
        .set_overload(serde_json::json!({"capacity_rps": null, "mode": "reject"}))
        .await;
    let r = round_at(&mut w, &mut store, &office, at + time::Duration::hours(1)).await;
    assert_eq!((r.pushed, r.refused, r.pending_left), (1, 0, 0), "{r:?}");
    assert!(
        !store
            .history(&id)
            .unwrap()
            .iter()
            .any(|h| h.kind == "refused_by_portal"),
        "never taken for the portal's refusal"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_deciding_one_application_the_second_sees_the_first_clerks_decision() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 27, 200).await;
    let first = Office::nth(&dir.path().join("desk-1"), &portal, 0).await;
    let second = Office::nth(&dir.path().join("desk-2"), &portal, 1).await;
    assert_eq!(first.school_id, second.school_id);
    let (mut s1, mut s2) = (
        Store::open(&first.db).unwrap(),
        Store::open(&second.db).unwrap(),
    );
    let (mut w1, mut w2) = (worker(&portal, 9), worker(&portal, 10));
    assert!(round(&mut w1, &mut s1, &first).await.completed());
    assert!(round(&mut w2, &mut s2, &second).await.completed());
    let (id, _) = decidable(&s1).into_iter().next().unwrap();

    first
        .decide(&mut first.desk(), &id, true, "desk-1-accept".into())
        .unwrap();
    second
        .decide(&mut second.desk(), &id, false, "desk-2-reject".into())
        .unwrap();
    let r1 = round(&mut w1, &mut s1, &first).await;
    assert_eq!(r1.pushed, 1, "{r1:?}");
    let r2 = round(&mut w2, &mut s2, &second).await;
    assert_eq!((r2.pushed, r2.refused), (0, 1), "{r2:?}");

    let (app, mark, refusal) = s2.application(&id).unwrap();
    assert_eq!(mark, store::SyncMark::Refused);
    assert_eq!(
        app.status,
        domain::Status::Accepted,
        "the first clerk's decision is what the second desk shows"
    );
    let (code, message) = refusal.unwrap();
    assert!(
        ["VERSION_CONFLICT", "TRANSITION_NOT_ALLOWED"].contains(&code.as_str()),
        "{code}"
    );
    assert!(!message.is_empty());
    assert!(
        s2.history(&id)
            .unwrap()
            .iter()
            .any(|h| h.kind == "refused_by_portal")
    );
    assert_eq!(
        s1.application(&id).unwrap().0.status,
        domain::Status::Accepted
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_network_edge_https_caps_and_conditional_reference_reads() {
    // https is required, except for a portal on this machine.
    for (url, ok) in [
        ("http://portal.edu.kz", false),
        ("http://10.0.0.5:8080", false),
        ("https://portal.edu.kz", true),
        ("http://127.0.0.1:9", true),
        ("http://localhost:9", true),
        ("http://[::1]:9", true),
    ] {
        let r = PortalClient::new(url, &ClientConfig::default());
        assert_eq!(r.is_ok(), ok, "{url}: {r:?}");
        if !ok {
            assert_eq!(r.unwrap_err().code(), "SYNC_INSECURE_URL");
        }
    }
    let proxied = ClientConfig {
        proxy: Some("not a url".into()),
        ..ClientConfig::default()
    };
    assert_eq!(
        PortalClient::new("https://portal.edu.kz", &proxied)
            .unwrap_err()
            .code(),
        "SYNC_BAD_PROXY"
    );

    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 28, 300).await;
    let office = Office::new(dir.path(), &portal).await;

    // A JSON answer over the cap is refused while it streams in, never buffered whole.
    let small = ClientConfig {
        json_max_bytes: 4096,
        ..ClientConfig::default()
    };
    let mut c = PortalClient::new(&portal.url, &small).unwrap();
    c.sign_in(&office.clerk, &office.password).await.unwrap();
    let e = c.changes(None, 100).await.unwrap_err();
    assert_eq!(e.code(), "PORTAL_PROTOCOL", "{e:?}");
    assert!(e.to_string().contains("4096"), "{e}");

    // Reference lists: read whole once, then 304 while unchanged.
    let mut store = Store::open(&office.db).unwrap();
    let mut w = worker(&portal, 11);
    let r1 = round(&mut w, &mut store, &office).await;
    assert_eq!((r1.reference_fetched, r1.reference_unchanged), (3, 0));
    let r2 = round(&mut w, &mut store, &office).await;
    assert_eq!(
        (r2.reference_fetched, r2.reference_unchanged),
        (0, 3),
        "{r2:?}"
    );
    assert!(!store.schools().unwrap().is_empty(), "kept as it was");
    // The desk's pacing asks at most every `reference_every`.
    let mut paced = SyncWorker::new(
        PortalClient::new(&portal.url, &ClientConfig::default()).unwrap(),
        sync::SyncConfig {
            reference_every: Duration::from_secs(600),
            ..quick_config()
        },
        12,
    );
    let p1 = round(&mut paced, &mut store, &office).await;
    let p2 = round(&mut paced, &mut store, &office).await;
    assert_eq!(p1.reference_fetched + p1.reference_unchanged, 3);
    assert_eq!(p2.reference_fetched + p2.reference_unchanged, 0, "{p2:?}");
}
