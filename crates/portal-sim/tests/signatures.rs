//! Real signatures on the portal's signed writes and EDS sign-in:
//! keys from `signing::testkit` — `.p12` key files and SoftHSM2 tokens made by the test —
//! over real HTTP on 127.0.0.1. Every refusal has its code and stores nothing.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use crate::common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use common::*;
use domain::Lang;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use signing::testkit::{CertSpec, SoftHsmToken, TestCa, write_p12};
use signing::{P12Signer, Pkcs11Signer, Zeroizing};
use time::macros::datetime;

const POST: Method = Method::POST;
/// Not a demo staff member (checked where it matters).
const STRANGER: &str = "900101300017";

fn d_path(id: &str) -> String {
    format!("/api/v1/applications/{id}/decisions")
}

fn iin(s: &str) -> domain::Iin {
    domain::Iin::parse(s).unwrap()
}

/// A SoftHSM2 token (in this process's SoftHSM2 home) holding a key generated on it and a
/// certificate from `spec`, opened with its PIN.
fn token(dir: &std::path::Path, label: &str, spec: &CertSpec) -> Pkcs11Signer {
    let token = SoftHsmToken::create_issued_by(dir, label, "1234", spec, test_ca());
    Pkcs11Signer::open(&token.target(), Zeroizing::new(token.pin.clone())).unwrap()
}

/// A `.p12` key of `owner` issued by a CA the portal does not know.
fn stranger_ca_key(dir: &std::path::Path, owner: &str) -> P12Signer {
    let ca = TestCa::new("Not the portal's CA");
    let path = dir.join("stranger-ca.p12");
    write_p12(
        &path,
        &ca,
        &CertSpec::signing(&iin(owner), "БӨТЕН КІСІ"),
        "pw",
        true,
    );
    P12Signer::open(&path, Zeroizing::new("pw".into())).unwrap()
}

fn refused_message(e: portal_sim::Error) -> String {
    e.message(Lang::Ru)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decisions_and_submissions_signed_with_a_key_file_or_a_softhsm_token_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let p = start(300, |_| {}).await;
    let (token_, me) = p.sign_in("sch-001").await;
    let pending = p.pending_of("sch-001", 300);

    // .p12 key file (RSA_*.p12)
    let a = &pending[0];
    let r = p
        .write(
            POST,
            &d_path(&a.id.0),
            &token_,
            "p12",
            &decision(&a.id.0, a.version, "accept", None, &me.iin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());

    // a SoftHSM2 token with a key generated on it (PKCS#11)
    let on_token = token(
        dir.path(),
        "portal-sim-clerk",
        &CertSpec::signing(&iin(&me.iin), "ТОКЕНОВ ТОКЕН ТОКЕНҰЛЫ"),
    );
    let b = &pending[1];
    let body = decision_signed(
        &b.id.0,
        b.version,
        "reject",
        Some(("other", Some("Құжаттар толық емес"))),
        &me.iin,
        &on_token,
    );
    let r = p
        .write(POST, &d_path(&b.id.0), &token_, "pkcs11", &body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    assert_eq!(
        r.json()["application"]["reject_reason"],
        json!({"code": "other", "text": "Құжаттар толық емес"})
    );

    // an on-behalf submission signed on the token
    let walk_ins = walk_ins(&p).await;
    let w = walk_ins
        .iter()
        .find(|w| w.address_has_micro_district)
        .unwrap();
    let r = p
        .write(
            POST,
            "/api/v1/applications",
            &token_,
            "sub",
            &submission_signed(w, "sch-001", "kk", &me.iin, false, &on_token),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());

    let stats = p.stats().await;
    assert_eq!((stats.decisions, stats.on_behalf_submissions), (2, 1));
}

type BodyMaker = Box<dyn Fn(&str, u32, &str) -> Value>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_signatures_on_a_decision_are_refused_with_their_code_and_store_nothing() {
    let p = start(300, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    assert!(p.staff().await.iter().all(|s| s.iin != STRANGER));
    let a = p.pending_of("sch-001", 300)[0].clone();
    let mine = iin(&me.iin);

    let expired = CertSpec {
        not_after: datetime!(2025-12-31 0:00 UTC),
        ..CertSpec::signing(&mine, "ЕСКІ КІЛТ ИЕСІ")
    };
    let not_yet = CertSpec {
        not_before: datetime!(2026-07-01 0:00 UTC),
        ..CertSpec::signing(&mine, "ЖАҢА КІЛТ ИЕСІ")
    };
    let no_iin = CertSpec {
        iin: None,
        ..CertSpec::signing(&mine, "ЖСНСІЗ КІЛТ")
    };
    let cases: Vec<(&str, BodyMaker, StatusCode, &str, Option<String>)> = vec![
        (
            "payload changed after signing",
            Box::new(|id, v, clerk| {
                // the clerk signed an acceptance; the request carries a rejection whose
                // payload matches the request but not the signature
                let signed = decision(id, v, "accept", None, clerk);
                let mut body = decision(id, v, "reject", Some(("age", None)), clerk);
                body["signature"]["cms_base64"] = signed["signature"]["cms_base64"].clone();
                body
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "SIGNATURE_INVALID",
            Some(refused_message(portal_sim::Error::SignatureNotVerified(
                signing::Error::SignatureContentMismatch,
            ))),
        ),
        (
            "the right payload signed in another form than its canonical JSON",
            Box::new(|id, v, clerk| {
                // the clerk's key over the decision's fields, members in struct order with
                // spaces: every field is the request's, the bytes are not the canonical ones
                let payload = decision_payload(id, v, "accept", None, clerk);
                let bytes = serde_json::to_vec_pretty(&payload).unwrap();
                assert_ne!(bytes, canonical(&payload));
                let mut body = decision(id, v, "accept", None, clerk);
                body["signature"] = json!({
                    "payload_base64": B64.encode(&bytes),
                    "cms_base64": sign(&*signing_key(clerk), &bytes, DECIDED_AT),
                });
                body
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "SIGNATURE_INVALID",
            Some(refused_message(portal_sim::Error::SignatureInvalid(
                "the signed bytes are not the canonical JSON of a decision".into(),
            ))),
        ),
        (
            "not a signature",
            Box::new(|id, v, clerk| {
                let mut body = decision(id, v, "accept", None, clerk);
                body["signature"]["cms_base64"] = json!(fake_cms());
                body
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "SIGNATURE_INVALID",
            None,
        ),
        (
            "another person's key, payload naming the clerk",
            Box::new(|id, v, clerk| {
                decision_signed(id, v, "accept", None, clerk, &*signing_key(STRANGER))
            }),
            StatusCode::FORBIDDEN,
            "SIGNER_MISMATCH",
            None,
        ),
        (
            "another person's key and payload",
            Box::new(|id, v, _clerk| decision(id, v, "accept", None, STRANGER)),
            StatusCode::FORBIDDEN,
            "SIGNER_MISMATCH",
            None,
        ),
        (
            "the clerk's key, payload naming another person",
            Box::new(|id, v, clerk| {
                decision_signed(id, v, "accept", None, STRANGER, &*signing_key(clerk))
            }),
            StatusCode::FORBIDDEN,
            "SIGNER_MISMATCH",
            None,
        ),
        (
            "expired certificate",
            Box::new(move |id, v, clerk| {
                decision_signed(
                    id,
                    v,
                    "accept",
                    None,
                    clerk,
                    &*key_file(&format!("expired-{clerk}"), expired.clone()),
                )
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "CERTIFICATE_REFUSED",
            Some(refused_message(portal_sim::Error::CertificateRefused(
                signing::Error::CertificateExpired {
                    not_after: datetime!(2025-12-31 0:00 UTC),
                },
            ))),
        ),
        (
            "certificate not valid yet at decided_at",
            Box::new(move |id, v, clerk| {
                decision_signed(
                    id,
                    v,
                    "accept",
                    None,
                    clerk,
                    &*key_file(&format!("not-yet-{clerk}"), not_yet.clone()),
                )
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "CERTIFICATE_REFUSED",
            Some(refused_message(portal_sim::Error::CertificateRefused(
                signing::Error::CertificateNotYetValid {
                    not_before: datetime!(2026-07-01 0:00 UTC),
                },
            ))),
        ),
        (
            "authentication-only key (AUTH_RSA)",
            Box::new(|id, v, clerk| {
                decision_signed(id, v, "accept", None, clerk, &*auth_key(clerk))
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "CERTIFICATE_REFUSED",
            Some(refused_message(portal_sim::Error::CertificateRefused(
                signing::Error::KeyNotForSigning,
            ))),
        ),
        (
            "certificate without an owner IIN",
            Box::new(move |id, v, clerk| {
                decision_signed(
                    id,
                    v,
                    "accept",
                    None,
                    clerk,
                    &*key_file(&format!("no-iin-{clerk}"), no_iin.clone()),
                )
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "CERTIFICATE_REFUSED",
            Some(refused_message(portal_sim::Error::CertificateRefused(
                signing::Error::CertificateNoIin,
            ))),
        ),
    ];
    for (name, make, status, code, message) in &cases {
        let body = make(&a.id.0, a.version, &me.iin);
        let r = p
            .write(
                POST,
                &d_path(&a.id.0),
                &token,
                &format!("bad-{name}"),
                &body,
            )
            .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (*status, *code),
            "{name}: {}",
            r.json()
        );
        assert_eq!(r.content_type, portal_api::PROBLEM_JSON, "{name}");
        let messages = &r.json()["messages"];
        assert!(
            !messages["kk"].as_str().unwrap().is_empty()
                && !messages["ru"].as_str().unwrap().is_empty(),
            "{name}"
        );
        if let Some(m) = message {
            assert_eq!(messages["ru"].as_str().unwrap(), m, "{name}");
        }
    }
    let stats = p.stats().await;
    assert_eq!((stats.decisions, stats.writes_committed), (0, 0));
    let now = p.application(&token, &a.id.0).await;
    assert_eq!(
        (now.version, now.status.as_str()),
        (a.version, a.status.as_str())
    );

    // the clerk's own signing key still decides it
    let r = p
        .write(
            POST,
            &d_path(&a.id.0),
            &token,
            "good",
            &decision(&a.id.0, a.version, "accept", None, &me.iin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_signatures_on_a_submission_are_refused_and_store_nothing() {
    let p = start(100, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let walk_ins = walk_ins(&p).await;
    let w = walk_ins
        .iter()
        .find(|w| w.address_has_micro_district)
        .unwrap();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "another person's key",
            submission_signed(w, "sch-001", "kk", &me.iin, false, &*signing_key(STRANGER)),
            "SIGNER_MISMATCH",
        ),
        (
            "authentication key",
            submission_signed(w, "sch-001", "kk", &me.iin, false, &*auth_key(&me.iin)),
            "CERTIFICATE_REFUSED",
        ),
        (
            "payload changed after signing",
            {
                let signed = submission(w, "sch-001", "ru", &me.iin, false);
                let mut body = submission(w, "sch-001", "kk", &me.iin, false);
                body["signature"]["cms_base64"] = signed["signature"]["cms_base64"].clone();
                body
            },
            "SIGNATURE_INVALID",
        ),
        (
            "the signed payload's members in another order than the canonical one",
            {
                // the same payload, re-ordered and signed by the clerk: the portal compares
                // the bytes with the canonical JSON it rebuilds, not only the fields
                let mut body = submission(w, "sch-001", "kk", &me.iin, false);
                let signed = B64
                    .decode(body["signature"]["payload_base64"].as_str().unwrap())
                    .unwrap();
                let payload: portal_api::SubmissionPayload =
                    serde_json::from_slice(&signed).unwrap();
                let bytes = serde_json::to_vec(&payload).unwrap();
                assert_ne!(bytes, signed);
                body["signature"] = json!({
                    "payload_base64": B64.encode(&bytes),
                    "cms_base64": sign(&*signing_key(&me.iin), &bytes, SUBMITTED_AT),
                });
                body
            },
            "SIGNATURE_INVALID",
        ),
    ];
    for (name, body, code) in &cases {
        let r = p
            .write(POST, "/api/v1/applications", &token, name, body)
            .await;
        assert_eq!(r.code(), *code, "{name}: {}", r.json());
    }
    let stats = p.stats().await;
    assert_eq!(
        (stats.on_behalf_submissions, stats.writes_committed),
        (0, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_trusted_cas_only_certificates_they_issued_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let p = start(300, |c| c.trust_ca = vec![test_ca_der()]).await;
    let (token, me) = p.sign_in("sch-001").await;
    let pending = p.pending_of("sch-001", 300);
    let (a, b) = (&pending[0], &pending[1]);
    let stranger_ca = stranger_ca_key(dir.path(), &me.iin);
    let r = p
        .write(
            POST,
            &d_path(&a.id.0),
            &token,
            "untrusted",
            &decision_signed(&a.id.0, a.version, "accept", None, &me.iin, &stranger_ca),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "SIGNATURE_UNTRUSTED"),
        "{}",
        r.json()
    );
    assert_eq!(p.stats().await.decisions, 0);
    // EDS sign-in is held to the same CAs
    let r = p.eds_sign_in(&stranger_ca).await;
    assert_eq!(r.code(), "SIGNATURE_UNTRUSTED");
    for (app, key) in [(a, "trusted-1"), (b, "trusted-2")] {
        let r = p
            .write(
                POST,
                &d_path(&app.id.0),
                &token,
                key,
                &decision(&app.id.0, app.version, "accept", None, &me.iin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eds_sign_in_takes_the_staff_members_authentication_key_once_per_challenge() {
    let dir = tempfile::tempdir().unwrap();
    let p = start(50, |_| {}).await;
    let (password_token, me) = p.sign_in("sch-003").await;
    let staff = p.staff().await;
    assert!(staff.iter().all(|s| s.iin != STRANGER));

    // an AUTH_RSA key file
    let (challenge, bytes) = p.challenge().await;
    let cms = sign(&*auth_key(&me.iin), &bytes, "2026-06-01T10:00:00+05:00");
    let r = p.eds_sign_in_with(&challenge, &cms).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let signed_in: portal_api::SignInResponse = serde_json::from_slice(&r.bytes).unwrap();
    assert_eq!(signed_in.staff.iin, me.iin);
    assert!(signed_in.staff.school_ids.contains(&"sch-003".to_string()));
    let by_password = p
        .get("/api/v1/changes?limit=3", Some(&password_token))
        .await;
    let by_eds = p
        .get("/api/v1/changes?limit=3", Some(&signed_in.token))
        .await;
    assert_eq!(by_eds.status, StatusCode::OK);
    assert_eq!(by_eds.bytes, by_password.bytes);
    // a challenge is used once
    let r = p.eds_sign_in_with(&challenge, &cms).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNAUTHORIZED, "CHALLENGE_INVALID")
    );

    // an AUTH_RSA key on a SoftHSM2 token
    let on_token = token(
        dir.path(),
        "portal-sim-auth",
        &CertSpec::authentication(&iin(&me.iin), "ТОКЕНОВ ТОКЕН ТОКЕНҰЛЫ"),
    );
    let r = p.eds_sign_in(&on_token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());

    let expired_auth = key_file(
        "expired-auth",
        CertSpec {
            not_after: datetime!(2021-01-01 0:00 UTC),
            ..CertSpec::authentication(&iin(&me.iin), "ЕСКІ КІЛТ")
        },
    );
    type Attempt<'a> = Box<dyn Fn(&[u8]) -> String + 'a>;
    let cases: Vec<(&str, Attempt<'_>, StatusCode, &str)> = vec![
        (
            "signing key instead of the authentication key",
            Box::new(|b| sign(&*signing_key(&me.iin), b, DECIDED_AT)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "CERTIFICATE_REFUSED",
        ),
        (
            "someone who is not staff",
            Box::new(|b| sign(&*auth_key(STRANGER), b, DECIDED_AT)),
            StatusCode::UNAUTHORIZED,
            "SIGNER_UNKNOWN",
        ),
        (
            "other bytes signed",
            Box::new(|_| sign(&*auth_key(&me.iin), b"not the challenge", DECIDED_AT)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "SIGNATURE_INVALID",
        ),
        (
            "the base64 text signed instead of the bytes",
            Box::new(|b| sign(&*auth_key(&me.iin), B64.encode(b).as_bytes(), DECIDED_AT)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "SIGNATURE_INVALID",
        ),
        (
            "expired authentication certificate",
            Box::new(move |b| sign(&*expired_auth, b, "2020-06-01T10:00:00Z")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "CERTIFICATE_REFUSED",
        ),
        (
            "not a signature",
            Box::new(|_| fake_cms()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "SIGNATURE_INVALID",
        ),
    ];
    for (name, attempt, status, code) in &cases {
        let (challenge, bytes) = p.challenge().await;
        let cms = attempt(&bytes);
        let r = p.eds_sign_in_with(&challenge, &cms).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (*status, *code),
            "{name}: {}",
            r.json()
        );
        // the failed attempt used the challenge up
        let good = sign(&*auth_key(&me.iin), &bytes, DECIDED_AT);
        assert_eq!(
            p.eds_sign_in_with(&challenge, &good).await.code(),
            "CHALLENGE_INVALID",
            "{name}"
        );
    }
    let r = p.eds_sign_in_with("bm90LWlzc3VlZA==", &cms).await;
    assert_eq!(r.code(), "CHALLENGE_INVALID");
}

#[test]
fn the_binary_takes_trust_ca_files() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    write_test_ca(&ca);

    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_portal-sim"))
        .args(["--listen", "127.0.0.1:0", "--applications", "5"])
        .args(["--trust-ca", dir.path().join("nope.pem").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("--trust-ca"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );

    let (mut child, base) = spawn_binary(&[
        "--seed",
        "3",
        "--applications",
        "60",
        "--trust-ca",
        ca.to_str().unwrap(),
    ]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcome = rt.block_on(async {
        let p = Portal {
            addr: base.trim_start_matches("http://").parse().unwrap(),
            base: base.clone(),
            http: reqwest::Client::new(),
            handle: None,
            spec: demo::RegionSpec {
                seed: 3,
                ..demo::RegionSpec::default()
            },
        };
        let (token, me) = p.sign_in("sch-001").await;
        let pending = p.pending_of("sch-001", 60);
        let a = &pending[0];
        let stranger_ca = stranger_ca_key(dir.path(), &me.iin);
        let untrusted = p
            .write(
                POST,
                &d_path(&a.id.0),
                &token,
                "1",
                &decision_signed(&a.id.0, a.version, "accept", None, &me.iin, &stranger_ca),
            )
            .await
            .code();
        let trusted = p
            .write(
                POST,
                &d_path(&a.id.0),
                &token,
                "2",
                &decision(&a.id.0, a.version, "accept", None, &me.iin),
            )
            .await
            .status;
        (untrusted, trusted)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(outcome, ("SIGNATURE_UNTRUSTED".to_string(), StatusCode::OK));
}
