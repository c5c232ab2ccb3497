#![allow(clippy::unwrap_used)]
//! `qabyldau sign / verify / cert check` with NCA's own GOST 34.10-2015 test key file and
//! test CA (issue 10), as the external checks run them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn qabyldau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args(args)
        .env("NCA_TEST_PASSWORD", "Aa123456")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn an_nca_gost_key_file_signs_and_the_signature_verifies_under_ncas_test_ca() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("decision.json");
    std::fs::write(&input, br#"{"decision":"accept"}"#).unwrap();
    let sig = dir.path().join("decision.p7s");
    let p12 = repo("crates/gost/tests/data/gost2015_individual.p12");
    let ca = repo("assets/pki/test/nca_gost_test_2022.cer");
    let at = "2023-01-10T09:00:00Z";
    let (input, sig, p12, ca) = (
        input.to_str().unwrap(),
        sig.to_str().unwrap(),
        p12.to_str().unwrap(),
        ca.to_str().unwrap(),
    );

    let out = qabyldau(&[
        "sign",
        "--p12",
        p12,
        "--password-env",
        "NCA_TEST_PASSWORD",
        "--in",
        input,
        "--out",
        sig,
        "--at",
        at,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("algorithm: GOST 34.10-2015 512"),
        "{}",
        text(&out)
    );

    let out = qabyldau(&[
        "verify", "--in", input, "--sig", sig, "--ca", ca, "--at", at,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("valid signature"), "{t}");
    assert!(t.contains("GOST 34.10-2015 512"), "{t}");
    assert!(t.contains("certificate chain: checked"), "{t}");

    // After the certificate's validity, or with the wrong CA: refused.
    let out = qabyldau(&[
        "verify",
        "--in",
        input,
        "--sig",
        sig,
        "--ca",
        ca,
        "--at",
        "2024-01-01T00:00:00Z",
    ]);
    assert!(!out.status.success(), "{}", text(&out));
    let rsa_ca = repo("assets/pki/test/nca_rsa_test_3.0.cer");
    let out = qabyldau(&[
        "verify",
        "--in",
        input,
        "--sig",
        sig,
        "--ca",
        rsa_ca.to_str().unwrap(),
    ]);
    assert!(!out.status.success(), "{}", text(&out));

    // cert check on NCA's test certificate: the test IIN as written and flagged.
    let cert = repo("crates/gost/tests/data/gost2015_ceo_revoked.cer");
    let out = qabyldau(&[
        "cert",
        "check",
        "--cert",
        cert.to_str().unwrap(),
        "--ca",
        ca,
        "--at",
        at,
    ]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("owner IIN: 123456789011 (as written; not a valid IIN)"),
        "{t}"
    );
    assert!(t.contains("BIN: 123456789021"), "{t}");
    assert!(t.contains("algorithm: GOST 34.10-2015 512"), "{t}");
    assert!(
        t.contains("role: head of a legal entity") || t.contains("role: legal entity"),
        "{t}"
    );
    let out = qabyldau(&[
        "cert",
        "check",
        "--cert",
        cert.to_str().unwrap(),
        "--ca",
        ca,
    ]);
    assert!(!out.status.success(), "expired today: {}", text(&out));
}
