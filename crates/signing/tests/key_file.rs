#![allow(clippy::unwrap_used)]
//! NCA key files (.p12) in modern and legacy encryption, certificate facts, the decision
//! checks, and verification of tampered or untrusted signatures (issue 6, R-34).

use std::path::Path;
use std::process::Command;

use domain::{Iin, Lang};
use signing::testkit::{CertSpec, TEST_IIN, TestCa, write_p12};
use signing::{
    CertificateFacts, KeyAlgorithm, KeyPurpose, P12Signer, Signer, Zeroizing, check_for_decision,
    check_for_signing, sign_decision, signature_pem, verify_detached,
};
use time::macros::datetime;

const NAME: &str = "ТЕСТОВ ТЕСТ ТЕСТОВИЧ";

fn iin() -> Iin {
    Iin::parse(TEST_IIN).unwrap()
}

fn password(s: &str) -> Zeroizing<String> {
    Zeroizing::new(s.to_string())
}

fn openssl_says_encrypted_with(p12: &Path, pass: &str) -> String {
    let out = Command::new("openssl")
        .args(["pkcs12", "-info", "-noout", "-legacy", "-passin"])
        .arg(format!("pass:{pass}"))
        .arg("-in")
        .arg(p12)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn p12_files_in_modern_and_legacy_encryption_sign_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Qabyldau test CA");
    let now = datetime!(2025-06-01 09:30 UTC);
    for (legacy, expect_in_info) in [(false, "AES-256-CBC"), (true, "RC2")] {
        let path = dir.path().join(format!("RSA_legacy_{legacy}.p12"));
        write_p12(
            &path,
            &ca,
            &CertSpec::signing(&iin(), NAME),
            "Qwerty12",
            legacy,
        );
        let info = openssl_says_encrypted_with(&path, "Qwerty12");
        assert!(info.contains(expect_in_info), "legacy={legacy}: {info}");

        let signer = P12Signer::open(&path, password("Qwerty12")).unwrap();
        let content = format!("decision signed with legacy={legacy}");
        let cms = sign_decision(&signer, &iin(), content.as_bytes(), now).unwrap();
        let verified = verify_detached(content.as_bytes(), &cms, Some(&[ca.cert_der()])).unwrap();
        assert_eq!(verified.signer.owner_iin, Some(iin()));
        assert_eq!(verified.signing_time, Some(now));

        // PEM form verifies as well.
        let pem = signature_pem(&cms).unwrap();
        assert!(pem.starts_with("-----BEGIN CMS-----"));
        verify_detached(content.as_bytes(), pem.as_bytes(), Some(&[ca.cert_der()])).unwrap();
    }
}

#[test]
fn wrong_password_and_not_a_key_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Qabyldau test CA");
    for legacy in [false, true] {
        let path = dir.path().join(format!("RSA_{legacy}.p12"));
        write_p12(
            &path,
            &ca,
            &CertSpec::signing(&iin(), NAME),
            "right",
            legacy,
        );
        let err = P12Signer::open(&path, password("wrong")).unwrap_err();
        assert_eq!(err.code(), "PASSWORD_INCORRECT", "legacy={legacy}: {err}");
        assert!(err.message(Lang::Kk).contains("құпиясөзі қате"));
    }
    std::fs::write(dir.path().join("junk.p12"), b"not a key file").unwrap();
    let err = P12Signer::open(&dir.path().join("junk.p12"), password("x")).unwrap_err();
    assert_eq!(err.code(), "KEY_FILE_INVALID");
    let err = P12Signer::open(&dir.path().join("missing.p12"), password("x")).unwrap_err();
    assert_eq!(err.code(), "FILE_READ_FAILED");
}

#[test]
fn nca_certificate_facts_are_read() {
    let ca = TestCa::new("Qabyldau test CA");
    let key = openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let spec = CertSpec {
        organisation: Some(("ТОО \"МЕКТЕП\"".into(), "123456789012".into())),
        ..CertSpec::signing(&iin(), NAME)
    };
    let facts = CertificateFacts::from_der(&ca.issue(&key, &spec)).unwrap();
    assert_eq!(facts.owner_iin, Some(iin()));
    assert_eq!(facts.common_name.as_deref(), Some("ТЕСТОВ ТЕСТ"));
    assert_eq!(facts.surname.as_deref(), Some("ТЕСТОВ"));
    assert_eq!(facts.given_name.as_deref(), Some("ТЕСТОВИЧ"));
    assert_eq!(facts.organisation.as_deref(), Some("ТОО \"МЕКТЕП\""));
    assert_eq!(facts.bin.as_deref(), Some("123456789012"));
    assert_eq!(facts.key_purpose, KeyPurpose::Signing);
    assert_eq!(facts.key_algorithm, KeyAlgorithm::Rsa { bits: 2048 });
    assert_eq!(facts.not_before, datetime!(2020-01-01 0:00 UTC));
    assert_eq!(facts.not_after, datetime!(2049-12-31 0:00 UTC));
    assert_eq!(
        facts.subject,
        "CN=ТЕСТОВ ТЕСТ, SURNAME=ТЕСТОВ, SERIALNUMBER=IIN900101300017, C=KZ, G=ТЕСТОВИЧ, O=ТОО \"МЕКТЕП\", OU=BIN123456789012"
    );
    let auth = CertificateFacts::from_der(&ca.issue(&key, &CertSpec::authentication(&iin(), NAME)))
        .unwrap();
    assert_eq!(auth.key_purpose, KeyPurpose::Authentication);
    let ca_facts = CertificateFacts::from_der(&ca.cert_der()).unwrap();
    assert_eq!(ca_facts.owner_iin, None);
}

#[test]
fn decision_checks_refuse_each_unfit_certificate_with_its_code() {
    let ca = TestCa::new("Qabyldau test CA");
    let key = openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let now = datetime!(2025-06-01 09:30 UTC);
    let other =
        Iin::from_parts(time::macros::date!(1985 - 06 - 15), domain::Sex::Female, 42).unwrap();
    let gost =
        CertificateFacts::from_der(&ca.issue_gost(&key, &CertSpec::signing(&iin(), NAME))).unwrap();
    assert_eq!(gost.key_algorithm, KeyAlgorithm::Gost2015 { bits: 512 });
    assert_eq!(gost.key_algorithm.name(), "GOST 34.10-2015 512");
    let facts = |spec: CertSpec| CertificateFacts::from_der(&ca.issue(&key, &spec)).unwrap();
    let cases = [
        ("fit", facts(CertSpec::signing(&iin(), NAME)), None),
        (
            "expired",
            facts(CertSpec {
                not_after: datetime!(2025-05-31 0:00 UTC),
                ..CertSpec::signing(&iin(), NAME)
            }),
            Some("CERTIFICATE_EXPIRED"),
        ),
        (
            "not yet valid",
            facts(CertSpec {
                not_before: datetime!(2025-06-02 0:00 UTC),
                ..CertSpec::signing(&iin(), NAME)
            }),
            Some("CERTIFICATE_NOT_YET_VALID"),
        ),
        (
            "auth only",
            facts(CertSpec::authentication(&iin(), NAME)),
            Some("KEY_NOT_FOR_SIGNING"),
        ),
        (
            "no key usage",
            facts(CertSpec {
                purpose: KeyPurpose::Other,
                ..CertSpec::signing(&iin(), NAME)
            }),
            Some("KEY_NOT_FOR_SIGNING"),
        ),
        (
            "other person",
            facts(CertSpec::signing(&other, "БАСҚА АДАМ")),
            Some("IIN_MISMATCH"),
        ),
        (
            "no IIN",
            facts(CertSpec {
                iin: None,
                ..CertSpec::signing(&iin(), NAME)
            }),
            Some("CERTIFICATE_NO_IIN"),
        ),
        // GOST 34.10-2015 keys sign decisions like RSA ones (issue 10).
        ("GOST 2015", gost, None),
        (
            // NCA's test certificates write SERIALNUMBER=IIN123456789011: read as written,
            // flagged, and refused only by the decision rules.
            "test IIN",
            facts(CertSpec {
                iin: Some("123456789011".into()),
                ..CertSpec::signing(&iin(), NAME)
            }),
            Some("CERTIFICATE_IIN_INVALID"),
        ),
    ];
    for (name, facts, expected) in cases {
        let got = check_for_decision(&facts, &iin(), now)
            .err()
            .map(|e| e.code());
        assert_eq!(got, expected, "{name}");
        // A plain file signature does not need an IIN, the clerk's IIN or KeyUsage.
        let plain = check_for_signing(&facts, now).err().map(|e| e.code());
        let plain_expected = match expected {
            Some("IIN_MISMATCH" | "CERTIFICATE_NO_IIN" | "CERTIFICATE_IIN_INVALID") => None,
            Some("KEY_NOT_FOR_SIGNING") if name == "no key usage" => None,
            other => other,
        };
        assert_eq!(plain, plain_expected, "{name} (plain)");
    }
    let retired = signing::Error::Gost2004Retired.message(Lang::Ru);
    assert!(retired.contains("ГОСТ 34.310-2004"), "{retired}");
    let test_iin = facts(CertSpec {
        iin: Some("123456789011".into()),
        ..CertSpec::signing(&iin(), NAME)
    });
    assert_eq!(test_iin.owner_iin, None);
    assert_eq!(test_iin.owner_iin_written.as_deref(), Some("123456789011"));
    assert!(test_iin.iin_invalid());
}

#[test]
fn refused_certificate_signs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Qabyldau test CA");
    let path = dir.path().join("AUTH_RSA.p12");
    write_p12(
        &path,
        &ca,
        &CertSpec::authentication(&iin(), NAME),
        "pw",
        false,
    );
    let signer = P12Signer::open(&path, password("pw")).unwrap();
    let err = sign_decision(&signer, &iin(), b"x", datetime!(2025-06-01 0:00 UTC)).unwrap_err();
    assert_eq!(err.code(), "KEY_NOT_FOR_SIGNING");
}

#[test]
fn tampered_untrusted_and_malformed_signatures_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Qabyldau test CA");
    let stranger_ca = TestCa::new("Some other CA");
    let path = dir.path().join("RSA.p12");
    write_p12(&path, &ca, &CertSpec::signing(&iin(), NAME), "pw", false);
    let signer = P12Signer::open(&path, password("pw")).unwrap();
    let cms = signer
        .sign_detached(b"original", datetime!(2025-06-01 0:00 UTC))
        .unwrap();

    let err = verify_detached(b"originaL", &cms, None).unwrap_err();
    assert_eq!(err.code(), "SIGNATURE_CONTENT_MISMATCH");
    let err = verify_detached(b"original", &cms, Some(&[stranger_ca.cert_der()])).unwrap_err();
    assert_eq!(err.code(), "SIGNATURE_UNTRUSTED");
    let err = verify_detached(b"original", b"garbage", None).unwrap_err();
    assert_eq!(err.code(), "SIGNATURE_MALFORMED");

    // A flipped bit in the RSA signature value (the last byte of the DER).
    let mut broken = cms.clone();
    let last = broken.len() - 1;
    broken[last] ^= 0x01;
    let err = verify_detached(b"original", &broken, None).unwrap_err();
    assert_eq!(err.code(), "SIGNATURE_INVALID");
}

#[test]
fn a_signature_made_by_openssl_cms_verifies_with_our_code() {
    // The other direction of the cross-check: openssl makes the CMS, we verify it.
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Qabyldau test CA");
    let p12 = dir.path().join("RSA.p12");
    write_p12(&p12, &ca, &CertSpec::signing(&iin(), NAME), "pw", false);
    let pem = dir.path().join("key_and_cert.pem");
    let out = Command::new("openssl")
        .args(["pkcs12", "-nodes", "-passin", "pass:pw", "-in"])
        .arg(&p12)
        .arg("-out")
        .arg(&pem)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(dir.path().join("content"), b"made by openssl").unwrap();
    let out = Command::new("openssl")
        .args([
            "cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-signer",
        ])
        .arg(&pem)
        .arg("-in")
        .arg(dir.path().join("content"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verified =
        verify_detached(b"made by openssl", &out.stdout, Some(&[ca.cert_der()])).unwrap();
    assert_eq!(verified.signer.owner_iin, Some(iin()));
    assert!(verified.signing_time.is_some());
}
