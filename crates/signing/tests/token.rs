#![allow(clippy::unwrap_used)]
//! Signing through PKCS#11 on real SoftHSM2 tokens made by the test (issue 6, R-6, R-7,
//! R-13, R-34). Every token has its own label in the process-wide SoftHSM2 home.

use std::process::Command;

use domain::{Iin, Lang};
use signing::testkit::{CertSpec, SoftHsmToken, TEST_IIN};
use signing::{
    Error, Pkcs11Signer, Signer, TokenTarget, Zeroizing, list_tokens, sign_decision,
    verify_detached,
};
use time::macros::datetime;

const NAME: &str = "ТЕСТОВ ТЕСТ ТЕСТОВИЧ";

fn iin() -> Iin {
    Iin::parse(TEST_IIN).unwrap()
}

fn pin(s: &str) -> Zeroizing<String> {
    Zeroizing::new(s.to_string())
}

#[test]
fn signature_made_on_the_token_verifies_with_our_code_and_with_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let token = SoftHsmToken::create(dir.path(), "sign-ok", "1234", &iin(), NAME);
    let signer = Pkcs11Signer::open(&token.target(), pin("1234")).unwrap();
    assert_eq!(signer.certificate().owner_iin, Some(iin()));

    let content = br#"{"application_id":"A-1","decision":"accept"}"#;
    let now = datetime!(2025-06-01 09:30 UTC);
    let cms = sign_decision(&signer, &iin(), content, now).unwrap();

    let verified = verify_detached(content, &cms, Some(&[token.ca.cert_der()])).unwrap();
    assert_eq!(verified.signer.owner_iin, Some(iin()));
    assert_eq!(verified.signing_time, Some(now));
    assert!(verified.chain_checked);
    assert_eq!(
        verified.signer.subject,
        "CN=ТЕСТОВ ТЕСТ, SURNAME=ТЕСТОВ, SERIALNUMBER=IIN900101300017, C=KZ, G=ТЕСТОВИЧ"
    );

    // The same bytes pass `openssl cms -verify` against the test CA.
    std::fs::write(dir.path().join("content.json"), content).unwrap();
    std::fs::write(dir.path().join("sig.p7s"), &cms).unwrap();
    let out = Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
        ])
        .arg("-in")
        .arg(dir.path().join("sig.p7s"))
        .arg("-content")
        .arg(dir.path().join("content.json"))
        .arg("-CAfile")
        .arg(&token.ca_pem)
        .args(["-out", "/dev/null"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Tampered content is refused by both.
    let tampered = br#"{"application_id":"A-1","decision":"reject"}"#;
    let err = verify_detached(tampered, &cms, Some(&[token.ca.cert_der()])).unwrap_err();
    assert_eq!(err.code(), "SIGNATURE_CONTENT_MISMATCH");
    std::fs::write(dir.path().join("content.json"), tampered).unwrap();
    let out = Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
        ])
        .arg("-in")
        .arg(dir.path().join("sig.p7s"))
        .arg("-content")
        .arg(dir.path().join("content.json"))
        .arg("-CAfile")
        .arg(&token.ca_pem)
        .args(["-out", "/dev/null"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn signer_serves_several_signatures_from_its_thread_and_other_threads() {
    let dir = tempfile::tempdir().unwrap();
    let token = SoftHsmToken::create(dir.path(), "sign-many", "1234", &iin(), NAME);
    let signer = Pkcs11Signer::open(&token.target(), pin("1234")).unwrap();
    let now = datetime!(2025-06-01 09:30 UTC);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|i| {
                let signer = &signer;
                s.spawn(move || {
                    let content = format!("decision {i}");
                    let cms = signer.sign_detached(content.as_bytes(), now).unwrap();
                    verify_detached(content.as_bytes(), &cms, None).unwrap()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap().signer.owner_iin, Some(iin()));
        }
    });
}

#[test]
fn token_list_shows_the_token_and_its_certificate_without_a_pin() {
    let dir = tempfile::tempdir().unwrap();
    let token = SoftHsmToken::create(dir.path(), "listed", "1234", &iin(), NAME);
    let tokens = list_tokens(&token.module).unwrap();
    let listed = tokens
        .iter()
        .find(|t| t.label == "listed")
        .expect("token listed");
    assert!(listed.flags.initialized && listed.flags.user_pin_initialized);
    assert!(!listed.serial.is_empty());
    assert_eq!(listed.certificates.len(), 1);
    let facts = listed.certificates[0].facts.as_ref().unwrap();
    assert_eq!(facts.owner_iin, Some(iin()));
    assert_eq!(listed.certificates[0].id_hex, "01020304");
}

#[test]
fn wrong_pin_is_refused_with_its_code_and_softhsm_keeps_no_retry_counter() {
    let dir = tempfile::tempdir().unwrap();
    let token = SoftHsmToken::create(dir.path(), "wrong-pin", "1234", &iin(), NAME);
    // SoftHSM2 2.6 sets CKF_USER_PIN_COUNT_LOW after a failed log-in and clears it after a
    // good one, but keeps no retry counter: it never reports FINAL_TRY or LOCKED and never
    // locks. So ten wrong tries all say PIN_INCORRECT with "few tries left", and the right
    // PIN still works. (FINAL_TRY / LOCKED → codes: unit test in pkcs11.rs.)
    for _ in 0..10 {
        let err = Pkcs11Signer::open(&token.target(), pin("0000")).unwrap_err();
        assert_eq!(err.code(), "PIN_INCORRECT");
        let Error::PinIncorrect { flags } = &err else {
            unreachable!()
        };
        assert_eq!(
            *flags,
            signing::PinFlags {
                count_low: true,
                final_try: false,
                locked: false
            }
        );
        assert!(
            err.message(Lang::Ru).contains("Осталось мало попыток"),
            "{}",
            err.message(Lang::Ru)
        );
    }
    assert!(Pkcs11Signer::open(&token.target(), pin("1234")).is_ok());
    let tokens = list_tokens(&token.module).unwrap();
    let listed = tokens.iter().find(|t| t.label == "wrong-pin").unwrap();
    assert_eq!(listed.flags.pin, signing::PinFlags::default());
}

#[test]
fn absent_token_and_missing_module_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let token = SoftHsmToken::create(dir.path(), "present", "1234", &iin(), NAME);
    let absent = TokenTarget {
        module: token.module.clone(),
        token_label: "not-inserted".into(),
    };
    let err = Pkcs11Signer::open(&absent, pin("1234")).unwrap_err();
    assert_eq!(err.code(), "TOKEN_NOT_FOUND");
    assert!(
        err.message(Lang::Kk)
            .contains("токенді компьютерге салыңыз")
    );

    let no_module = TokenTarget {
        module: dir.path().join("nope.so"),
        token_label: "x".into(),
    };
    let err = Pkcs11Signer::open(&no_module, pin("1234")).unwrap_err();
    assert_eq!(err.code(), "PKCS11_MODULE_LOAD_FAILED");
}

#[test]
fn certificates_that_must_not_sign_a_decision_are_refused_before_signing() {
    let dir = tempfile::tempdir().unwrap();
    let now = datetime!(2025-06-01 09:30 UTC);
    let other =
        Iin::from_parts(time::macros::date!(1985 - 06 - 15), domain::Sex::Female, 42).unwrap();
    assert_ne!(other, iin());
    let cases = [
        (
            "auth-only",
            CertSpec::authentication(&iin(), NAME),
            "KEY_NOT_FOR_SIGNING",
        ),
        (
            "expired",
            CertSpec {
                not_before: datetime!(2022-01-01 0:00 UTC),
                not_after: datetime!(2023-01-01 0:00 UTC),
                ..CertSpec::signing(&iin(), NAME)
            },
            "CERTIFICATE_EXPIRED",
        ),
        (
            "not-yet",
            CertSpec {
                not_before: datetime!(2026-01-01 0:00 UTC),
                ..CertSpec::signing(&iin(), NAME)
            },
            "CERTIFICATE_NOT_YET_VALID",
        ),
        (
            "someone-else",
            CertSpec::signing(&other, "БАСҚА АДАМ"),
            "IIN_MISMATCH",
        ),
    ];
    for (label, spec, code) in cases {
        let token_dir = dir.path().join(label);
        std::fs::create_dir_all(&token_dir).unwrap();
        let token = SoftHsmToken::create_with(&token_dir, label, "1234", &spec);
        let signer = Pkcs11Signer::open(&token.target(), pin("1234")).unwrap();
        let err = sign_decision(&signer, &iin(), b"decision", now).unwrap_err();
        assert_eq!(err.code(), code, "{label}");
    }

    // A token whose only certificate is GOST, behind a module without a GOST mechanism
    // (SoftHSM2 here; NCA's GOST tokens are driven over PC/SC by NCALayer): its key cannot
    // be reached, and the message says what to use instead (issue 10).
    let token_dir = dir.path().join("gost");
    std::fs::create_dir_all(&token_dir).unwrap();
    let spec = CertSpec {
        gost: true,
        ..CertSpec::signing(&iin(), NAME)
    };
    let token = SoftHsmToken::create_with(&token_dir, "gost", "1234", &spec);
    let err = Pkcs11Signer::open(&token.target(), pin("1234")).unwrap_err();
    assert_eq!(err.code(), "TOKEN_KEY_UNREACHABLE");
    assert!(
        err.message(Lang::Ru).contains("GOST 34.10-2015 512"),
        "{}",
        err.message(Lang::Ru)
    );
    assert!(err.message(Lang::Kk).contains("NCALayer"));
}

#[test]
fn token_pulled_out_mid_session_is_a_clear_error_and_nothing_is_signed() {
    let dir = tempfile::tempdir().unwrap();
    let token = SoftHsmToken::create(dir.path(), "pulled-out", "1234", &iin(), NAME);
    let signer = Pkcs11Signer::open(&token.target(), pin("1234")).unwrap();
    let now = datetime!(2025-06-01 09:30 UTC);
    assert!(sign_decision(&signer, &iin(), b"before", now).is_ok());

    token.pull_out();
    let err = sign_decision(&signer, &iin(), b"after", now).unwrap_err();
    assert_eq!(err.code(), "TOKEN_REMOVED");
    assert!(
        err.message(Lang::Ru)
            .contains("решение не подписано и не отправлено")
    );
    drop(signer);

    // Opening it again says it is not there; the listing leaves it out.
    let err = Pkcs11Signer::open(&token.target(), pin("1234")).unwrap_err();
    assert_eq!(err.code(), "TOKEN_NOT_FOUND");
    let tokens = list_tokens(&token.module).unwrap();
    assert!(tokens.iter().all(|t| t.label != "pulled-out"));
}
