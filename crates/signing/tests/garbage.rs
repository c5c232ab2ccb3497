#![allow(clippy::unwrap_used)]
//! Issue 15: what comes from outside into `signing` survives garbage: certificates and
//! the IIN in them, detached CMS signatures, RSA and GOST 34.10-2015 (arbitrary bytes,
//! and a real signature and certificate damaged byte by byte), PKCS#12 key files, RSA
//! and NCA's GOST test file (arbitrary bytes and a real one damaged), and NCALayer's
//! answers (arbitrary bytes and JSON of its shape). Each is decoded or refused with a
//! coded error, never a panic, and a damaged signature never verifies as the original
//! signer over other content.

use std::sync::OnceLock;

use domain::Iin;
use proptest::prelude::*;
use signing::testkit::{CertSpec, TEST_IIN, TestCa, write_p12};
use signing::{
    CertificateFacts, P12Signer, Signer, Zeroizing, certificates_from_pem_or_der, verify_detached,
};
use time::macros::datetime;

const CONTENT: &[u8] = br#"{"application_id":"a-1","decision":"accept"}"#;

struct Real {
    p12: Vec<u8>,
    cert: Vec<u8>,
    cms: Vec<u8>,
    /// NCA's GOST 2015 test key file (crates/gost/tests/data), and a signature by it.
    gost_p12: Vec<u8>,
    gost_cert: Vec<u8>,
    gost_cms: Vec<u8>,
}

const GOST_PASSWORD: &str = "Aa123456";

fn gost_data(name: &str) -> Vec<u8> {
    let path = format!("{}/../gost/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn real() -> &'static Real {
    static REAL: OnceLock<Real> = OnceLock::new();
    REAL.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let ca = TestCa::new("Garbage test CA");
        let path = dir.path().join("RSA_garbage.p12");
        let iin = Iin::parse(TEST_IIN).unwrap();
        write_p12(
            &path,
            &ca,
            &CertSpec::signing(&iin, "ТЕСТОВ ТЕСТ"),
            "pw",
            false,
        );
        let p12 = std::fs::read(&path).unwrap();
        let signer = P12Signer::from_bytes(&p12, Zeroizing::new("pw".into())).unwrap();
        let cms = signer
            .sign_detached(CONTENT, datetime!(2026-04-21 6:00 UTC))
            .unwrap();
        let gost_p12 = gost_data("gost2015_individual.p12");
        let gost = P12Signer::from_bytes(&gost_p12, Zeroizing::new(GOST_PASSWORD.into())).unwrap();
        let gost_cms = gost
            .sign_detached(CONTENT, datetime!(2023-01-10 09:00 UTC))
            .unwrap();
        Real {
            cert: signer.certificate().der.clone(),
            p12,
            cms,
            gost_cert: gost.certificate().der.clone(),
            gost_p12,
            gost_cms,
        }
    })
}

fn damaged(mut bytes: Vec<u8>, edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    for (i, b) in edits {
        if !bytes.is_empty() {
            let at = i % bytes.len();
            bytes[at] ^= b | 1;
        }
    }
    if let Some(c) = cut {
        let len = bytes.len().max(1);
        bytes.truncate(c % len);
    }
    bytes
}

fn edits() -> impl Strategy<Value = (Vec<(usize, u8)>, Option<usize>)> {
    (
        proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4),
        proptest::option::of(any::<usize>()),
    )
}

proptest! {
    #[test]
    fn certificates_from_arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = CertificateFacts::from_pem_or_der(&bytes).map(|f| f.owner_iin);
        let _ = certificates_from_pem_or_der(&bytes);
    }

    #[test]
    fn a_damaged_certificate_is_refused_or_read_never_panics((e, cut) in edits()) {
        let bytes = damaged(real().cert.clone(), &e, cut);
        let _ = CertificateFacts::from_der(&bytes).map(|f| (f.owner_iin, f.key_purpose, f.not_after));
    }

    #[test]
    fn cms_verification_of_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert!(verify_detached(CONTENT, &bytes, None).is_err());
    }

    #[test]
    fn a_damaged_signature_never_panics_and_never_verifies_other_content((e, cut) in edits(), other in proptest::collection::vec(any::<u8>(), 0..64)) {
        let cms = damaged(real().cms.clone(), &e, cut);
        let _ = verify_detached(CONTENT, &cms, None);
        if other != CONTENT {
            prop_assert!(verify_detached(&other, &cms, None).is_err());
        }
    }

    #[test]
    fn pkcs12_from_arbitrary_bytes_is_refused(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert!(P12Signer::from_bytes(&bytes, Zeroizing::new("pw".into())).is_err());
    }

    #[test]
    fn a_damaged_key_file_never_panics((e, cut) in edits()) {
        let bytes = damaged(real().p12.clone(), &e, cut);
        let _ = P12Signer::from_bytes(&bytes, Zeroizing::new("pw".into()));
    }

    #[test]
    fn a_damaged_gost_certificate_is_refused_or_read_never_panics((e, cut) in edits()) {
        let bytes = damaged(real().gost_cert.clone(), &e, cut);
        let _ = CertificateFacts::from_der(&bytes).map(|f| (f.owner_iin, f.key_algorithm, f.not_after));
    }

    #[test]
    fn a_damaged_gost_signature_never_panics_and_never_verifies_other_content((e, cut) in edits(), other in proptest::collection::vec(any::<u8>(), 0..64)) {
        let cms = damaged(real().gost_cms.clone(), &e, cut);
        let _ = verify_detached(CONTENT, &cms, None);
        if other != CONTENT {
            prop_assert!(verify_detached(&other, &cms, None).is_err());
        }
    }

    #[test]
    fn a_damaged_gost_key_file_never_panics((e, cut) in edits()) {
        let bytes = damaged(real().gost_p12.clone(), &e, cut);
        let _ = P12Signer::from_bytes(&bytes, Zeroizing::new(GOST_PASSWORD.into()));
        let _ = signing::decode_pkcs12(&bytes, &Zeroizing::new(GOST_PASSWORD.into()));
    }

    #[test]
    fn ncalayer_answers_of_arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = signing::ncalayer::protocol::parse_answer(&bytes);
        let _ = signing::ncalayer::protocol::parse_version(&bytes);
    }

    #[test]
    fn ncalayer_answers_of_its_own_shape_never_panic(
        status in prop_oneof![Just("true"), Just("false"), Just("null"), Just("1"), Just("\"x\"")],
        result in prop_oneof![Just("null".to_string()), "\"[ -~]{0,40}\"", Just("[]".to_string()), Just("[1,\"a\"]".to_string()), Just("{}".to_string())],
        code in "[ -~]{0,12}",
    ) {
        let code = serde_json::to_string(&code).unwrap();
        let answer = format!(r#"{{"status":{status},"code":{code},"message":{code},"body":{{"result":{result}}}}}"#);
        let _ = signing::ncalayer::protocol::parse_answer(answer.as_bytes());
        let version = format!(r#"{{"result":{{"version":{result}}}}}"#);
        let _ = signing::ncalayer::protocol::parse_version(version.as_bytes());
    }
}

#[test]
fn the_real_gost_signature_verifies() {
    let v = verify_detached(CONTENT, &real().gost_cms, None).unwrap();
    assert_eq!(v.algorithm, signing::SignatureAlgorithm::Gost2015_512);
}

#[test]
fn the_real_signature_verifies_and_names_its_signer() {
    let v = verify_detached(CONTENT, &real().cms, None).unwrap();
    assert_eq!(
        v.signer.owner_iin.map(|i| i.to_string()).as_deref(),
        Some(TEST_IIN)
    );
}
