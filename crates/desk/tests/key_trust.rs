#![allow(clippy::unwrap_used)]
//! The key a clerk opens to sign is checked when it signs (issue 10): its chain to a
//! trusted CA, and its revocation at a real `openssl ocsp` responder (or the CA's CRLs).
//! Revoked: refused with the date, nothing written. Offline: signed, and the decision's
//! history says "revocation not checked yet".

use desk::Desk;
use desk::demo_data::{DemoFill, fill};
use desk::keys::{CheckedKey, KeyTrust};
use desk::signing::revocation::HttpFetch;
use desk::signing::testkit::CertSpec;
use desk::signing::testkit::revocation::TestPki;
use desk::signing::{P12Signer, Signer, Zeroizing};
use desk::views::{DecisionInput, JournalQuery, StatusKey};
use domain::Iin;

fn accept(id: &str) -> DecisionInput {
    DecisionInput {
        application_id: id.into(),
        decision: "accept".into(),
        reason_code: None,
        reason_text: None,
    }
}

fn new_ids(desk: &Desk, n: usize) -> Vec<String> {
    desk.journal(&JournalQuery {
        status: Some(StatusKey::New),
        limit: n as u32,
        ..Default::default()
    })
    .unwrap()
    .rows
    .into_iter()
    .map(|r| r.id)
    .collect()
}

#[test]
fn a_revoked_key_is_refused_with_its_date_and_offline_the_decision_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let summary = fill(
        &db,
        &DemoFill {
            seed: 5,
            applications: 60,
        },
    )
    .unwrap();
    let mut desk = Desk::open(&db).unwrap();
    let clerk = Iin::parse(&summary.clerk_iin).unwrap();
    let pki = TestPki::new(&dir.path().join("pki"), "Qabyldau desk OCSP CA");
    let spec = CertSpec::signing(&clerk, &summary.clerk_name.to_uppercase());
    let key = |name: &str| {
        let path = dir.path().join(name);
        let der = pki.write_p12(&path, &spec, "pw");
        let bare = P12Signer::open(&path, Zeroizing::new("pw".into())).unwrap();
        let trust = KeyTrust {
            anchors: vec![pki.ca.cert_der()],
        };
        (
            der,
            CheckedKey::new(Box::new(bare), trust, Box::new(HttpFetch::default())),
        )
    };
    let (_, good) = key("good.p12");
    let (revoked_der, revoked) = key("revoked.p12");
    pki.revoke(
        &revoked_der,
        time::macros::datetime!(2026-02-10 06:00 UTC),
        "keyCompromise",
    );
    let now = time::OffsetDateTime::now_utc();
    let ids = new_ids(&desk, 3);

    {
        let _ocsp = pki.start_ocsp();
        // Online, good: decided, history says it was checked.
        desk.decide(&clerk, &accept(&ids[0]), &good, now, "k-good".into())
            .unwrap();
        let history = desk.store().history(&ids[0]).unwrap();
        assert_eq!(
            history.last().unwrap().details["revocation"],
            "checked (OCSP)"
        );
        let shown = desk.application(&ids[0]).unwrap().history;
        let last = shown.last().unwrap();
        assert_eq!(last.signed_with.as_deref(), Some("RSA-2048"));
        assert!(!last.revocation_unchecked, "checked online: no mark");
        // Revoked: refused with the date, nothing written.
        let e = desk
            .decide(&clerk, &accept(&ids[1]), &revoked, now, "k-revoked".into())
            .unwrap_err();
        let ui = desk::UiError::from(e);
        assert_eq!(ui.code, "CERTIFICATE_REVOKED");
        assert!(ui.ru.contains("2026-02-10"), "{}", ui.ru);
        assert_eq!(
            desk.application(&ids[1]).unwrap().status,
            StatusKey::New,
            "nothing written"
        );
    }

    // Offline (no responder, no CRL): the key still signs, the decision is marked.
    desk.decide(&clerk, &accept(&ids[2]), &good, now, "k-offline".into())
        .unwrap();
    let history = desk.store().history(&ids[2]).unwrap();
    assert_eq!(
        history.last().unwrap().details["revocation"],
        "not checked yet"
    );
    // The window shows the mark beside the decision in the history tab (issue 10).
    let shown = desk.application(&ids[2]).unwrap().history;
    assert!(shown.last().unwrap().revocation_unchecked);
    assert_eq!(
        good.revocation()
            .map(|r| matches!(r, desk::signing::revocation::Revocation::NotChecked { .. })),
        Some(true)
    );

    // A key of a CA nobody trusts is refused before anything is signed.
    let stranger = CheckedKey::new(
        Box::new(
            P12Signer::open(&dir.path().join("good.p12"), Zeroizing::new("pw".into())).unwrap(),
        ),
        KeyTrust::default(),
        Box::new(HttpFetch::default()),
    );
    let e = desk
        .decide(
            &clerk,
            &accept(&ids[1]),
            &stranger,
            now,
            "k-stranger".into(),
        )
        .unwrap_err();
    assert_eq!(desk::UiError::from(e).code, "CERTIFICATE_UNTRUSTED");
}
