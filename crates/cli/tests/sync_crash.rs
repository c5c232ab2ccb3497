//! R-33 under crashes (issues 5, 12): `qabyldau sync` is killed with SIGKILL at random
//! moments of its round — start-up, requests, writes, answers lost after the portal's
//! commit (`sync_crash/moment.rs`) — while the desk keeps deciding and entering walk-in
//! applications; after a restart the portal holds every action exactly once and the
//! journal is intact. A run of [`HARD_PATH_AT`] kills or more fails unless some kills left
//! a write the portal had committed unmarked and its replay was answered from the store.
//!
//! `QABYLDAU_CRASH_KILLS` sets the number of kills (50 by default; `scripts/crash-soak`
//! runs 500), `QABYLDAU_CRASH_SEED` the schedule.
#![allow(clippy::unwrap_used)]

#[path = "../../sync/tests/common/mod.rs"]
mod common;
#[path = "sync_crash/moment.rs"]
mod moment;

use common::{Office, Portal, decidable, faults, walk_ins};
use moment::{Phase, Schedule, Seen, Tally, usual_faults};
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Instant;

/// From this many kills on, the run must have exercised the hard path (a kill between
/// the portal's commit and the desk's mark, then the replay): the phases come in blocks
/// of four, so such a run has at least five kills in lost answers.
const HARD_PATH_AT: u64 = 20;

/// Fewer decidable rows than this and new parent applications arrive on the portal, so
/// that a long soak keeps deciding (Session 7's 500 kills ran out after ~100).
const LOW_SUPPLY: usize = 6;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The journal is encrypted (issue 16): the first `qabyldau sync` enrolled the clerk;
/// the test opens it as the clerk does offline.
fn key_of(office: &Office) -> desk::vault::JournalKey {
    desk::vault::unlock(
        &office.db,
        &office.clerk,
        &desk::vault::SecretString::from(office.password.clone()),
        time::OffsetDateTime::now_utc(),
    )
    .unwrap()
}

fn open_store(office: &Office) -> store::Store {
    store::Store::open_encrypted(&office.db, &key_of(office)).unwrap()
}

/// Entries the portal answered (sent) in the journal.
fn sent_entries(store: &store::Store) -> u64 {
    store
        .outbox()
        .unwrap()
        .iter()
        .filter(|e| e.state == "sent")
        .count() as u64
}

fn sync_command(portal: &Portal, office: &Office, once: bool) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qabyldau"));
    c.args(["sync", "--portal", &portal.url, "--db"])
        .arg(&office.db)
        .args([
            "--iin",
            &office.clerk.to_string(),
            "--password-env",
            "QABYLDAU_TEST_PASSWORD",
        ])
        .env("QABYLDAU_TEST_PASSWORD", &office.password)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if once {
        c.arg("--once");
    }
    c
}

/// `qabyldau sync --once` until a round completes with nothing left to send.
fn finish(portal: &Portal, office: &Office) {
    for _ in 0..20 {
        let ok = sync_command(portal, office, true)
            .status()
            .unwrap()
            .success();
        let store = open_store(office);
        if ok && store.outbox_counts().unwrap().pending == 0 {
            return;
        }
    }
    panic!("sync did not finish in 20 rounds");
}

#[test]
fn killing_the_syncing_process_at_random_moments_loses_nothing_and_doubles_nothing() {
    let kills = env_number("QABYLDAU_CRASH_KILLS", 50);
    let seed = env_number("QABYLDAU_CRASH_SEED", 7);
    let started = Instant::now();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let portal = rt.block_on(Portal::start(dir.path(), 21, 3000));
    let office = rt.block_on(Office::new(dir.path(), &portal));
    // Places for every walk-in and accept of a long soak (500 kills enter ~60 walk-ins,
    // more than the demo school's free places): a walk-in refused here is then a lost one.
    for language in ["kk", "ru"] {
        rt.block_on(portal.set_capacity(&office.school_id, language, 10_000));
    }
    finish(&portal, &office);
    let before = rt.block_on(portal.stats());
    // Latency, 5xx and lost answers, so that kills land before, during and after writes.
    rt.block_on(portal.set_faults(usual_faults()));

    let (region, children) = walk_ins(&portal);
    let mut walk_ins = children.iter();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut schedule = Schedule::new(seed);
    let mut tally = Tally::default();
    let mut intent: BTreeMap<String, domain::Status> = BTreeMap::new();
    let mut submitted = Vec::new();
    let mut killed_with_pending = 0;
    let mut arrived = 0;
    // The key file is read again at the end; between the kills the journal is opened
    // with the key (an unlock is an Argon2id of 64 MiB: most of the time of a kill).
    let key = key_of(&office);
    for k in 0..kills {
        let pending = {
            // The clerk works between crashes (the journal is opened after a SIGKILL).
            let mut desk = desk::Desk::open_encrypted(&office.db, &key).unwrap();
            let store = store::Store::open_encrypted(&office.db, &key).unwrap();
            let rows = decidable(&store);
            if rows.len() < LOW_SUPPLY {
                arrived += rt.block_on(portal.arrivals(40)).ids.len();
            }
            for _ in 0..rng.random_range(1..=2) {
                if rows.is_empty() {
                    break;
                }
                let (id, _) = &rows[rng.random_range(0..rows.len())];
                if intent.contains_key(id) {
                    continue;
                }
                let accept = rng.random_bool(0.5);
                if office
                    .decide(&mut desk, id, accept, format!("crash-{k}-{id}"))
                    .is_ok()
                {
                    intent.insert(
                        id.clone(),
                        if accept {
                            domain::Status::Accepted
                        } else {
                            domain::Status::Rejected
                        },
                    );
                }
            }
            if rng.random_bool(0.15)
                && let Some(child) = walk_ins.next()
                && let Ok(id) = office.submit_walk_in(&mut desk, &region, child, k as u32)
            {
                submitted.push(id);
            }
            store.outbox_counts().unwrap().pending > 0
        };
        let moment = schedule.next(pending);
        moment.prepare(&rt, &portal);
        let base = Seen::now(&rt, &portal);
        let mut child = sync_command(&portal, &office, false).spawn().unwrap();
        let came = moment.wait(&rt, &portal, &mut child, base);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        moment.restore(&rt, &portal);
        let store = store::Store::open_encrypted(&office.db, &key).unwrap();
        if store.outbox_counts().unwrap().pending > 0 {
            killed_with_pending += 1;
        }
        // Writes the portal committed that the journal does not hold as sent; a new one
        // is this process's.
        let stats = rt.block_on(portal.stats());
        let committed = stats.writes_committed - before.writes_committed;
        let left_unmarked =
            stats.writes_committed > base.committed && committed > sent_entries(&store);
        tally.record(moment.phase, came, left_unmarked);
        if (k + 1) % 50 == 0 && k + 1 < kills {
            // A long soak's progress (scripts/crash-soak shows it with --nocapture).
            eprintln!(
                "kill {}: {killed_with_pending} with entries pending, {} left a committed write unmarked ({tally}), {:.1} s",
                k + 1,
                tally.unmarked(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    rt.block_on(portal.set_faults(faults(0.0, 0.0, 0)));
    finish(&portal, &office);
    let after = rt.block_on(portal.stats());

    // The database survived every kill.
    let conn = store::testkit::raw_keyed_connection(&office.db, &key_of(&office));
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
    drop(conn);

    let store = open_store(&office);
    let outbox = store.outbox().unwrap();
    // 0 lost: every action got the portal's answer.
    let lost = outbox
        .iter()
        .filter(|e| e.state != "sent" && e.state != "refused")
        .count();
    assert_eq!(lost, 0, "entries without the portal's answer");
    // One entry per decision and walk-in, and one more per walk-in whose address the
    // clerk bound first (R-15…R-17).
    let bindings = outbox.iter().filter(|e| e.kind == "binding").count();
    assert_eq!(outbox.len(), intent.len() + submitted.len() + bindings);
    let sent = |kind: &str| {
        outbox
            .iter()
            .filter(|e| e.kind == kind && e.state == "sent")
            .count() as u64
    };
    // 0 duplicated: one effect on the portal per sent entry.
    assert_eq!(after.decisions - before.decisions, sent("decision"));
    assert_eq!(
        after.on_behalf_submissions - before.on_behalf_submissions,
        sent("on_behalf")
    );
    assert_eq!(
        after.writes_committed - before.writes_committed,
        sent_entries(&store),
        "one committed write per sent entry"
    );
    let duplicated = after.duplicate_effects - before.duplicate_effects;
    assert_eq!(duplicated, 0, "effects twice on the portal");
    let replays = after.duplicate_writes_prevented - before.duplicate_writes_prevented;
    let dropped = after.dropped_after_commit - before.dropped_after_commit;
    // Every answer lost after its commit was asked for again and answered from the store.
    assert!(
        replays >= dropped,
        "{replays} replays, {dropped} answers lost"
    );
    // Every binding reached the portal once, before its submission.
    assert_eq!(
        rt.block_on(portal.bindings()).len() as u64,
        sent("binding"),
        "one binding recorded per sent entry"
    );
    assert_eq!(sent("binding") as usize, bindings, "no binding refused");
    // Most decisions got through (the rest the portal refused, e.g. no free places).
    assert!(
        sent("decision") as usize > intent.len() / 2,
        "most decisions went through: {} of {}",
        sent("decision"),
        intent.len()
    );
    assert!(killed_with_pending > 0, "some kills interrupted a push");
    // The hard path of R-33 (issue 12): a kill after the portal committed a write and
    // before the desk marked its entry sent, then the write sent again and answered from
    // the store. Kills timed by the clock alone missed it on a loaded machine (Session 7:
    // 0 replays in 500 kills, every kill still unlocking the key or signing in).
    if kills >= HARD_PATH_AT {
        assert!(
            tally.unmarked() > 0 && replays > 0 && dropped > 0,
            "the kills never exercised the hard path of R-33: {} kills left a committed write \
             unmarked, {replays} replays, {dropped} answers lost after the commit ({tally}); \
             the process did not reach its push within the polls",
            tally.unmarked()
        );
        assert!(
            tally.kills(Phase::Write) + tally.kills(Phase::LostAnswer) > 0,
            "no kill in a push phase: nothing was pending ({tally})"
        );
    }
    // Every walk-in entered between the kills reached the portal: valid children, free
    // places, no refusal expected — a refused one is a lost application here.
    assert!(!submitted.is_empty(), "the run entered walk-ins");
    assert_eq!(
        sent("on_behalf"),
        submitted.len() as u64,
        "every walk-in was registered: {:?}",
        outbox
            .iter()
            .filter(|e| e.kind == "on_behalf" && e.state != "sent")
            .map(|e| (&e.application_id, &e.state, &e.last_error))
            .collect::<Vec<_>>()
    );

    let mut client = rt
        .block_on(async {
            let mut c =
                desk::sync::PortalClient::new(&portal.url, &desk::sync::ClientConfig::default())?;
            c.sign_in(&office.clerk, &office.password).await?;
            Ok::<_, desk::sync::Error>(c)
        })
        .unwrap();
    for e in outbox
        .iter()
        .filter(|e| e.kind == "decision" && e.state == "sent")
    {
        let on_portal = rt.block_on(client.application(&e.application_id)).unwrap();
        assert_eq!(
            on_portal.status,
            intent[&e.application_id].as_str(),
            "{}",
            e.application_id
        );
        let (local, mark, _) = store.application(&e.application_id).unwrap();
        assert_eq!(
            (local.status.as_str(), mark),
            (on_portal.status.as_str(), store::SyncMark::None)
        );
    }
    for id in &submitted {
        let number = store.application(id).unwrap().0.number.to_string();
        let filter = store::JournalFilter {
            search: store::SearchTerm::parse(&number),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(
            store.journal(&filter).unwrap().len(),
            1,
            "one row for {number}"
        );
    }
    client.sign_out();
    eprintln!(
        "{kills} kills ({killed_with_pending} with entries pending; {} left a committed write unmarked; by phase: {tally}), \
         {lost} lost, {duplicated} duplicated, integrity {verdict}, {} decisions and {} walk-ins sent, {} refused, \
         {replays} replays (duplicate writes prevented), {dropped} answers dropped after commit; \
         {arrived} applications arrived on the portal meanwhile; {:.1} s",
        tally.unmarked(),
        sent("decision"),
        sent("on_behalf"),
        outbox.iter().filter(|e| e.state == "refused").count(),
        started.elapsed().as_secs_f64()
    );
}
