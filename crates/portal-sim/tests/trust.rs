#![allow(clippy::unwrap_used)]
//! What portal-sim checks of every signature beyond the CMS itself (issue 10): the chain
//! always (NCA's roots, the test PKI behind a setting, `--trust-ca`), the signing time
//! against its own clock, and the organisation (BIN) of the school the act concerns.

use crate::common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use signing::testkit::CertSpec;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const POST: Method = Method::POST;

fn d_path(id: &str) -> String {
    format!("/api/v1/applications/{id}/decisions")
}

fn iin(s: &str) -> domain::Iin {
    domain::Iin::parse(s).unwrap()
}

/// The same decision with its CMS signed at `signing_time` instead.
fn signed_at(body: &Value, key: &dyn signing::Signer, signing_time: OffsetDateTime) -> Value {
    let mut body = body.clone();
    let payload = B64
        .decode(body["signature"]["payload_base64"].as_str().unwrap())
        .unwrap();
    let at = signing_time.format(&Rfc3339).unwrap();
    body["signature"]["cms_base64"] = Value::String(sign(key, &payload, &at));
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_is_always_checked_even_without_trust_ca() {
    // No --trust-ca: only NCA's bundled roots are trusted, so the tests' own CA is not.
    let p = start(300, |c| c.trust_ca.clear()).await;
    let (token, me) = p.sign_in("sch-001").await;
    let a = &p.pending_of("sch-001", 300)[0];
    let r = p
        .write(
            POST,
            &d_path(&a.id.0),
            &token,
            "no-trust",
            &decision(&a.id.0, a.version, "accept", None, &me.iin),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "SIGNATURE_UNTRUSTED"),
        "{}",
        r.json()
    );
    assert_eq!(p.stats().await.decisions, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signing_time_more_than_five_minutes_ahead_of_the_portals_clock_is_refused() {
    let p = start(300, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let pending = p.pending_of("sch-001", 300);
    let key = signing_key(&me.iin);
    let now = OffsetDateTime::now_utc();

    let a = &pending[0];
    let ahead = signed_at(
        &decision(&a.id.0, a.version, "accept", None, &me.iin),
        &*key,
        now + time::Duration::minutes(10),
    );
    let r = p
        .write(POST, &d_path(&a.id.0), &token, "ahead", &ahead)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "SIGNING_TIME_SKEW"),
        "{}",
        r.json()
    );
    assert!(
        r.json()["messages"]["ru"]
            .as_str()
            .unwrap()
            .contains("5 минут")
    );

    // Within five minutes (a clock a little fast) it is accepted; so is a signature made
    // hours earlier, offline: its certificate is checked at arrival too.
    let b = &pending[1];
    let near = signed_at(
        &decision(&b.id.0, b.version, "accept", None, &me.iin),
        &*key,
        now + time::Duration::minutes(3),
    );
    let r = p.write(POST, &d_path(&b.id.0), &token, "near", &near).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let c = &pending[2];
    let offline = signed_at(
        &decision(&c.id.0, c.version, "accept", None, &me.iin),
        &*key,
        now - time::Duration::hours(6),
    );
    let r = p
        .write(POST, &d_path(&c.id.0), &token, "offline", &offline)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_signed_with_another_organisations_certificate_is_refused() {
    let p = start(300, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let pending = p.pending_of("sch-001", 300);
    let school_bin = portal_sim::verification::school_bin("sch-001");
    let employee = |bin: &str| CertSpec {
        organisation: Some(("КММ №1 мектеп".into(), bin.into())),
        ..CertSpec::signing(&iin(&me.iin), "ТЕСТОВ ТЕСТ ТЕСТОВИЧ")
    };

    let other = key_file("RSA_other_org", employee("123456789021"));
    let a = &pending[0];
    let body = decision_signed(&a.id.0, a.version, "accept", None, &me.iin, &*other);
    let r = p
        .write(POST, &d_path(&a.id.0), &token, "other-org", &body)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::FORBIDDEN, "ORGANISATION_MISMATCH"),
        "{}",
        r.json()
    );
    assert!(
        r.json()["messages"]["kk"]
            .as_str()
            .unwrap()
            .contains("123456789021")
    );

    // The school's own employee certificate, and a personal one, are accepted.
    let own = key_file("RSA_own_org", employee(&school_bin));
    let body = decision_signed(&a.id.0, a.version, "accept", None, &me.iin, &*own);
    let r = p
        .write(POST, &d_path(&a.id.0), &token, "own-org", &body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let b = &pending[1];
    let r = p
        .write(
            POST,
            &d_path(&b.id.0),
            &token,
            "personal",
            &decision(&b.id.0, b.version, "accept", None, &me.iin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
}

/// Revocation on arrival against a real `openssl ocsp` responder and `openssl ca` CRLs: a
/// good certificate passes, a revoked one is refused with its date, and when no service
/// answers the portal says 503 so that the desk keeps the entry and retries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_certificates_are_refused_on_arrival_with_their_date() {
    use signing::testkit::revocation::TestPki;
    let dir = tempfile::tempdir().unwrap();
    let pki = TestPki::new(&dir.path().join("pki"), "Qabyldau OCSP test CA");
    let trusted = pki.ca.cert_der();
    let p = start(300, move |c| c.trust_ca.push(trusted)).await;
    let (token, me) = p.sign_in("sch-001").await;
    let pending = p.pending_of("sch-001", 300);
    let spec = CertSpec::signing(&iin(&me.iin), "ТЕСТОВ ТЕСТ ТЕСТОВИЧ");
    let open = |name: &str| {
        let path = dir.path().join(name);
        let der = pki.write_p12(&path, &spec, "pw");
        let key = signing::P12Signer::open(&path, signing::Zeroizing::new("pw".into())).unwrap();
        (der, key)
    };
    let (_, good) = open("good.p12");
    let (revoked_der, revoked) = open("revoked.p12");
    pki.revoke(
        &revoked_der,
        time::macros::datetime!(2026-05-20 07:00 UTC),
        "keyCompromise",
    );
    let ocsp = pki.start_ocsp();

    let a = &pending[0];
    let body = decision_signed(&a.id.0, a.version, "accept", None, &me.iin, &good);
    let r = p.write(POST, &d_path(&a.id.0), &token, "good", &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());

    let b = &pending[1];
    let body = decision_signed(&b.id.0, b.version, "accept", None, &me.iin, &revoked);
    let r = p
        .write(POST, &d_path(&b.id.0), &token, "revoked", &body)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "CERTIFICATE_REVOKED"),
        "{}",
        r.json()
    );
    assert!(
        r.json()["messages"]["ru"]
            .as_str()
            .unwrap()
            .contains("2026-05-20"),
        "{}",
        r.json()
    );

    // Neither the responder nor a CRL answers: 503, nothing stored; with the CRL back,
    // the revoked certificate is refused by it too.
    drop(ocsp);
    let r = p
        .write(POST, &d_path(&b.id.0), &token, "unreachable", &body)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "REVOCATION_UNAVAILABLE"),
        "{}",
        r.json()
    );
    pki.publish_crl();
    let r = p.write(POST, &d_path(&b.id.0), &token, "crl", &body).await;
    assert_eq!(r.code(), "CERTIFICATE_REVOKED", "{}", r.json());
    assert_eq!(p.stats().await.decisions, 1);
}

/// A clerk whose key is GOST 34.10-2015 (NCA's default for new keys) signs a decision and a
/// walk-in submission; the portal verifies both, the chain to a GOST CA checked in Rust.
/// NCA's own test key file is refused as a certificate, not as a signature.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gost_2015_signatures_are_verified_with_their_chain() {
    use signing::testkit::gost::GostTestCa;
    let gost_ca = GostTestCa::new("Qabyldau GOST test CA");
    let trusted = gost_ca.cert_der();
    let p = start(300, move |c| {
        c.trust_ca.push(trusted);
        c.nca_test_pki = true;
    })
    .await;
    let (token, me) = p.sign_in("sch-001").await;
    let pending = p.pending_of("sch-001", 300);
    let clerk_key = gost_ca.issue(&CertSpec::signing(&iin(&me.iin), "ТЕСТОВ ТЕСТ ТЕСТОВИЧ"));
    assert_eq!(
        signing::Signer::algorithm(&clerk_key).unwrap(),
        signing::SignatureAlgorithm::Gost2015_512
    );

    let a = &pending[0];
    let body = decision_signed(&a.id.0, a.version, "accept", None, &me.iin, &clerk_key);
    let r = p.write(POST, &d_path(&a.id.0), &token, "gost", &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());

    let walk_ins = walk_ins(&p).await;
    let w = walk_ins
        .iter()
        .find(|w| w.address_has_micro_district)
        .unwrap();
    let body = submission_signed(w, "sch-001", "kk", &me.iin, false, &clerk_key);
    let r = p
        .write(POST, "/api/v1/applications", &token, "gost-sub", &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());

    // NCA's published GOST test key file (trusted with --nca-test-pki): refused as a
    // certificate (it expired in 2023, and its SERIALNUMBER=IIN123456789012 is not a valid
    // IIN), not as a signature.
    let nca = signing::P12Signer::from_bytes(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../gost/tests/data/gost2015_individual.p12"
        ))
        .unwrap(),
        signing::Zeroizing::new("Aa123456".into()),
    )
    .unwrap();
    let b = &pending[1];
    let payload = canonical(&decision_payload(
        &b.id.0, b.version, "accept", None, &me.iin,
    ));
    let mut body = decision_signed(&b.id.0, b.version, "accept", None, &me.iin, &clerk_key);
    // Signed while NCA's test certificate was valid.
    body["signature"]["cms_base64"] = Value::String(sign(&nca, &payload, "2023-01-10T09:00:00Z"));
    let r = p
        .write(POST, &d_path(&b.id.0), &token, "nca-test", &body)
        .await;
    assert_eq!(r.code(), "CERTIFICATE_REFUSED", "{}", r.json());
    let stats = p.stats().await;
    assert_eq!((stats.decisions, stats.on_behalf_submissions), (1, 1));
}
