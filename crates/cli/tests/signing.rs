#![allow(clippy::unwrap_used)]
//! `qabyldau sign / verify / token list` as the external checks run them, against a real
//! SoftHSM2 token and real .p12 files, cross-checked with `openssl cms -verify` (issue 6).

use std::path::Path;
use std::process::{Command, Output};

use domain::Iin;
use signing::testkit::{CertSpec, SoftHsmToken, TEST_IIN, TestCa, write_p12};

const NAME: &str = "ТЕСТОВ ТЕСТ ТЕСТОВИЧ";

fn qabyldau(token: Option<&SoftHsmToken>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qabyldau"));
    if let Some(t) = token {
        cmd.env("SOFTHSM2_CONF", &t.softhsm_conf);
    }
    cmd
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn openssl_verify(content: &Path, sig: &Path, ca: &Path, form: &str) -> Output {
    Command::new("openssl")
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            form,
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ])
        .arg("-in")
        .arg(sig)
        .arg("-content")
        .arg(content)
        .arg("-CAfile")
        .arg(ca)
        .output()
        .unwrap()
}

#[test]
fn token_sign_verify_and_openssl_agree_and_tampering_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let iin = Iin::parse(TEST_IIN).unwrap();
    let token = SoftHsmToken::create(dir.path(), "cli-token", "4321", &iin, NAME);
    let decision = dir.path().join("decision.json");
    let sig = dir.path().join("decision.p7s");
    std::fs::write(&decision, br#"{"decision":"accept"}"#).unwrap();

    let out = qabyldau(Some(&token))
        .args(["token", "list", "--pkcs11-module"])
        .arg(&token.module)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let listing = text(&out);
    assert!(listing.contains("\"cli-token\""), "{listing}");
    assert!(listing.contains("owner IIN: 900101300017"), "{listing}");
    assert!(listing.contains("RSA-2048, signing"), "{listing}");

    let out = qabyldau(Some(&token))
        .env("QABYLDAU_TEST_PIN", "4321")
        .args(["sign", "--pkcs11-module"])
        .arg(&token.module)
        .args([
            "--token-label",
            "cli-token",
            "--pin-env",
            "QABYLDAU_TEST_PIN",
            "--in",
        ])
        .arg(&decision)
        .arg("--out")
        .arg(&sig)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));

    let out = qabyldau(None)
        .args(["verify", "--in"])
        .arg(&decision)
        .arg("--sig")
        .arg(&sig)
        .arg("--ca")
        .arg(&token.ca_pem)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("signer IIN: 900101300017"), "{shown}");
    assert!(shown.contains("subject: CN=ТЕСТОВ ТЕСТ, SURNAME=ТЕСТОВ, SERIALNUMBER=IIN900101300017, C=KZ, G=ТЕСТОВИЧ"), "{shown}");
    let out = openssl_verify(&decision, &sig, &token.ca_pem, "DER");
    assert!(out.status.success(), "{}", text(&out));

    std::fs::write(&decision, br#"{"decision":"reject"}"#).unwrap();
    let out = qabyldau(None)
        .args(["verify", "--in"])
        .arg(&decision)
        .arg("--sig")
        .arg(&sig)
        .args(["--lang", "ru"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("SIGNATURE_CONTENT_MISMATCH"),
        "{}",
        text(&out)
    );
    assert!(
        !openssl_verify(&decision, &sig, &token.ca_pem, "DER")
            .status
            .success()
    );
}

#[test]
fn wrong_pin_signs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let iin = Iin::parse(TEST_IIN).unwrap();
    let token = SoftHsmToken::create(dir.path(), "cli-wrong-pin", "4321", &iin, NAME);
    let input = dir.path().join("in.txt");
    let sig = dir.path().join("out.p7s");
    std::fs::write(&input, b"x").unwrap();
    let out = qabyldau(Some(&token))
        .env("QABYLDAU_TEST_PIN", "9999")
        .args(["sign", "--pkcs11-module"])
        .arg(&token.module)
        .args([
            "--token-label",
            "cli-wrong-pin",
            "--pin-env",
            "QABYLDAU_TEST_PIN",
            "--in",
        ])
        .arg(&input)
        .arg("--out")
        .arg(&sig)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("PIN_INCORRECT"), "{}", text(&out));
    assert!(
        !text(&out).contains("9999"),
        "the PIN must never be printed"
    );
    assert!(!sig.exists());
}

#[test]
fn p12_signs_in_der_and_pem_and_both_verify() {
    let dir = tempfile::tempdir().unwrap();
    let iin = Iin::parse(TEST_IIN).unwrap();
    let ca = TestCa::new("Qabyldau test CA");
    let ca_pem = dir.path().join("ca.pem");
    ca.write_pem(&ca_pem);
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "шешім".as_bytes()).unwrap();
    for (legacy, pem) in [(false, false), (true, true)] {
        let p12 = dir.path().join(format!("RSA_{legacy}.p12"));
        write_p12(&p12, &ca, &CertSpec::signing(&iin, NAME), "Secret1", legacy);
        let sig = dir.path().join(format!("out_{legacy}.p7s"));
        let mut cmd = qabyldau(None);
        cmd.env("QABYLDAU_TEST_PASSWORD", "Secret1")
            .args(["sign", "--p12"])
            .arg(&p12)
            .args([
                "--password-env",
                "QABYLDAU_TEST_PASSWORD",
                "--clerk-iin",
                TEST_IIN,
                "--in",
            ])
            .arg(&input)
            .arg("--out")
            .arg(&sig);
        if pem {
            cmd.arg("--pem");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let bytes = std::fs::read(&sig).unwrap();
        assert_eq!(bytes.starts_with(b"-----BEGIN CMS-----"), pem);
        let out = qabyldau(None)
            .args(["verify", "--in"])
            .arg(&input)
            .arg("--sig")
            .arg(&sig)
            .arg("--ca")
            .arg(&ca_pem)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let out = openssl_verify(&input, &sig, &ca_pem, if pem { "PEM" } else { "DER" });
        assert!(out.status.success(), "{}", text(&out));
    }

    // Another clerk's key file is refused (R-6/R-7: the clerk's own signature only).
    let other =
        Iin::from_parts(time::macros::date!(1985 - 06 - 15), domain::Sex::Female, 42).unwrap();
    let out = qabyldau(None)
        .env("QABYLDAU_TEST_PASSWORD", "Secret1")
        .args(["sign", "--p12"])
        .arg(dir.path().join("RSA_false.p12"))
        .args(["--password-env", "QABYLDAU_TEST_PASSWORD", "--clerk-iin"])
        .arg(other.to_string())
        .arg("--in")
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("other.p7s"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("IIN_MISMATCH"), "{}", text(&out));
}

#[test]
fn sign_help_says_which_output_form() {
    let out = qabyldau(None).args(["sign", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = text(&out);
    assert!(help.contains("DER") && help.contains("--pem"), "{help}");
}

#[test]
fn plain_file_signature_needs_no_iin_but_refuses_an_authentication_key() {
    let dir = tempfile::tempdir().unwrap();
    let iin = Iin::parse(TEST_IIN).unwrap();
    let ca = TestCa::new("Qabyldau test CA");
    let input = dir.path().join("in.txt");
    std::fs::write(&input, b"file").unwrap();
    let plain = CertSpec {
        iin: None,
        purpose: signing::KeyPurpose::Other,
        ..CertSpec::signing(&iin, NAME)
    };
    let cases = [
        ("plain", plain, None),
        (
            "auth",
            CertSpec::authentication(&iin, NAME),
            Some("KEY_NOT_FOR_SIGNING"),
        ),
    ];
    for (name, spec, refused) in cases {
        let p12 = dir.path().join(format!("{name}.p12"));
        write_p12(&p12, &ca, &spec, "pw", false);
        let sig = dir.path().join(format!("{name}.p7s"));
        let out = qabyldau(None)
            .env("QABYLDAU_TEST_PASSWORD", "pw")
            .args(["sign", "--p12"])
            .arg(&p12)
            .args(["--password-env", "QABYLDAU_TEST_PASSWORD", "--in"])
            .arg(&input)
            .arg("--out")
            .arg(&sig)
            .output()
            .unwrap();
        match refused {
            None => assert!(out.status.success(), "{name}: {}", text(&out)),
            Some(code) => {
                assert_eq!(out.status.code(), Some(1), "{name}");
                assert!(text(&out).contains(code), "{name}: {}", text(&out));
                assert!(!sig.exists());
            }
        }
    }
}

/// `qabyldau cert check` as the external checks run it: facts printed (an NCA test IIN as
/// written and flagged, BIN, organisation, algorithm, key usage, validity), exit 0 when valid
/// at --at and issued by one of the --ca, non-zero with the reason otherwise (issue 10).
#[test]
fn cert_check_prints_the_facts_and_says_whether_it_is_valid_and_issued_by_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Qabyldau cert-check CA");
    let other_ca = TestCa::new("Another CA");
    let key = openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let spec = CertSpec {
        iin: Some("123456789011".into()),
        organisation: Some(("ТОО ТЕСТ".into(), "123456789021".into())),
        ..CertSpec::signing(&Iin::parse(TEST_IIN).unwrap(), NAME)
    };
    let der = ca.issue(&key, &spec);
    let cert = dir.path().join("user.cer");
    std::fs::write(&cert, &der).unwrap();
    let pem_cert = dir.path().join("user.pem");
    let pem = openssl::x509::X509::from_der(&der)
        .unwrap()
        .to_pem()
        .unwrap();
    std::fs::write(&pem_cert, pem).unwrap();
    let ca_pem = dir.path().join("ca.pem");
    ca.write_pem(&ca_pem);
    let other_pem = dir.path().join("other.pem");
    other_ca.write_pem(&other_pem);

    let run = |args: &[&str]| qabyldau(None).args(args).output().unwrap();
    let path = |p: &Path| p.to_str().unwrap().to_string();
    let (cert, pem_cert, ca_pem, other_pem) = (
        path(&cert),
        path(&pem_cert),
        path(&ca_pem),
        path(&other_pem),
    );

    for file in [&cert, &pem_cert] {
        let out = run(&[
            "cert",
            "check",
            "--cert",
            file,
            "--ca",
            &other_pem,
            "--ca",
            &ca_pem,
            "--at",
            "2025-06-01T09:30:00Z",
        ]);
        let t = text(&out);
        assert!(out.status.success(), "{t}");
        assert!(
            t.contains("owner IIN: 123456789011 (as written; not a valid IIN)"),
            "{t}"
        );
        assert!(t.contains("BIN: 123456789021"), "{t}");
        assert!(t.contains("organisation: ТОО ТЕСТ"), "{t}");
        assert!(t.contains("algorithm: RSA-2048"), "{t}");
        assert!(
            t.contains("key usage: digitalSignature, nonRepudiation (signing)"),
            "{t}"
        );
        assert!(
            t.contains("validity: 2020-01-01T00:00:00Z … 2049-12-31T00:00:00Z"),
            "{t}"
        );
        assert!(t.contains("status: valid at 2025-06-01T09:30:00Z"), "{t}");
    }
    // Without --ca only the validity is checked.
    assert!(run(&["cert", "check", "--cert", &cert]).status.success());
    // Outside its validity.
    let out = run(&[
        "cert",
        "check",
        "--cert",
        &cert,
        "--at",
        "2050-01-01T00:00:00Z",
    ]);
    assert!(!out.status.success());
    assert!(text(&out).contains("CERTIFICATE_EXPIRED"), "{}", text(&out));
    // Issued by a CA that is not given.
    let out = run(&["cert", "check", "--cert", &cert, "--ca", &other_pem]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("CERTIFICATE_UNTRUSTED"),
        "{}",
        text(&out)
    );
    // Not a certificate.
    let out = run(&[
        "cert",
        "check",
        "--cert",
        &ca_pem.replace("ca.pem", "nothing"),
    ]);
    assert!(!out.status.success());
}
