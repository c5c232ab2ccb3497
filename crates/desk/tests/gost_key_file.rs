//! A clerk whose key is an NCA GOST 34.10-2015 key file (NCA's default for new keys, issue
//! 10) decides at the desk, and the decision reaches a real portal-sim,
//! which verifies the GOST signature and its chain on arrival and accepts it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::time::Instant;

use common::{Portal, first_sign_in, now, round_completed, session};
use desk::keys::{CheckedKey, KeyTrust};
use desk::signing::revocation::HttpFetch;
use desk::signing::testkit::CertSpec;
use desk::signing::testkit::gost::GostTestCa;
use desk::signing::{P12Signer, Zeroizing};
use desk::views::{DecisionInput, JournalQuery, StatusKey};

#[test]
fn a_decision_signed_with_a_gost_key_file_is_verified_and_accepted_by_the_portal() {
    let ca = GostTestCa::new("Qabyldau GOST test CA");
    let portal = Portal::start_trusting(120, vec![ca.cert_der()]);
    let tmp = tempfile::tempdir().unwrap();
    let (s, events) = session(tmp.path(), Some(&portal.url));
    first_sign_in(&s, &portal, 0);
    round_completed(&events);

    let clerk = &portal.region.staff[0];
    let key_file = tmp.path().join(format!("GOST512_{}.p12", clerk.iin));
    ca.issue(&CertSpec::signing(
        &clerk.iin,
        &clerk.name.display().to_uppercase(),
    ))
    .write_p12(&key_file, "Qwerty12");
    // The desk opens the key as it does for the window: the chain is checked to the trusted
    // GOST CA before anything is signed.
    let signer = CheckedKey::new(
        Box::new(P12Signer::open(&key_file, Zeroizing::new("Qwerty12".into())).unwrap()),
        KeyTrust {
            anchors: vec![ca.cert_der()],
        },
        Box::new(HttpFetch::default()),
    );

    let at = Instant::now();
    let id = s
        .with_desk(at, |d| {
            d.journal(&JournalQuery {
                limit: 200,
                ..JournalQuery::default()
            })
        })
        .unwrap()
        .rows
        .into_iter()
        .find(|r| matches!(r.status, StatusKey::New))
        .unwrap()
        .id;
    let input = DecisionInput {
        application_id: id.clone(),
        decision: "accept".into(),
        reason_code: None,
        reason_text: None,
    };
    s.with_desk_mut(at, |d| {
        let me = d.current_clerk()?;
        d.decide(&me, &input, &signer, now(), "gost-decision".into())
    })
    .unwrap();
    let view = s.with_desk(at, |d| d.application(&id)).unwrap();
    assert_eq!(
        view.history.last().unwrap().signed_with.as_deref(),
        Some("GOST 34.10-2015 512")
    );

    // The next round pushes it; the portal verifies the GOST CMS and its chain.
    events.lock().unwrap().clear();
    s.sync_now();
    round_completed(&events);
    let at = Instant::now();
    assert!(
        s.with_desk(at, |d| Ok(d.store().pending_outbox(10)?))
            .unwrap()
            .is_empty(),
        "the decision left the outbox"
    );
    assert_eq!(portal.stats().decisions, 1, "the portal accepted it");
    let view = s.with_desk(at, |d| d.application(&id)).unwrap();
    assert_eq!(view.status, StatusKey::Accepted);
    assert!(view.refusal.is_none(), "not refused: {:?}", view.refusal);
}
