#![allow(clippy::unwrap_used)]
//! GOST 34.10-2015 key files and CMS with NCA's own data (issue 10): NCA's published test
//! key files sign, their signatures verify through the same API as RSA ones, a CMS made by
//! NCA's Kalkan verifies, chains to NCA's test CA are checked in Rust, and GOST 2004 files,
//! wrong passwords and test IINs get their codes.

use signing::{
    CertificateFacts, KeyAlgorithm, P12Signer, SignatureAlgorithm, Signer, Zeroizing,
    check_for_decision, verify_cms, verify_detached,
};
use time::macros::datetime;

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/../gost/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn test_ca(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../assets/pki/test/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn open(name: &str, password: &str) -> Result<P12Signer, signing::Error> {
    P12Signer::from_bytes(&data(name), Zeroizing::new(password.to_string()))
}

#[test]
fn an_nca_gost_2015_key_file_signs_and_the_signature_verifies_with_its_chain() {
    let signer = open("gost2015_individual.p12", "Aa123456").unwrap();
    let facts = signer.certificate();
    assert_eq!(facts.key_algorithm, KeyAlgorithm::Gost2015 { bits: 512 });
    assert_eq!(
        signer.algorithm().unwrap(),
        SignatureAlgorithm::Gost2015_512
    );
    // NCA's test IIN is read as written and flagged; only the decision rules refuse it.
    assert_eq!(facts.owner_iin_written.as_deref(), Some("123456789012"));
    assert!(facts.iin_invalid());
    let at = datetime!(2023-01-10 09:00 UTC);
    let err = check_for_decision(facts, &domain::Iin::parse("900101300017").unwrap(), at);
    assert_eq!(err.unwrap_err().code(), "CERTIFICATE_IIN_INVALID");

    let content = "шешім: қабылдау".as_bytes();
    let cms = signer.sign_detached(content, at).unwrap();
    let trust = vec![test_ca("nca_gost_test_2022.cer")];
    let verified = verify_detached(content, &cms, Some(&trust)).unwrap();
    assert_eq!(verified.algorithm, SignatureAlgorithm::Gost2015_512);
    assert_eq!(verified.signing_time, Some(at));
    assert!(verified.chain_checked);
    assert_eq!(verified.chain.len(), 2);
    assert_eq!(verified.signer.der, facts.der);

    // Two signatures of the same bytes differ (a fresh nonce each time) and both verify.
    let again = signer.sign_detached(content, at).unwrap();
    assert_ne!(again, cms);
    verify_detached(content, &again, None).unwrap();

    // Changed content, a changed signature byte, another CA, the chain after the
    // certificate expired: each refused with its code.
    let err = verify_detached(b"other", &cms, None).unwrap_err();
    assert_eq!(err.code(), "SIGNATURE_CONTENT_MISMATCH");
    let mut bad = cms.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(
        verify_detached(content, &bad, None).unwrap_err().code(),
        "SIGNATURE_INVALID"
    );
    let rsa_ca = vec![test_ca("nca_rsa_test_3.0.cer")];
    assert_eq!(
        verify_detached(content, &cms, Some(&rsa_ca))
            .unwrap_err()
            .code(),
        "SIGNATURE_UNTRUSTED"
    );
    let late = datetime!(2024-01-01 0:00 UTC);
    assert_eq!(
        verify_cms(content, &cms, Some(&trust), Some(late))
            .unwrap_err()
            .code(),
        "CERTIFICATE_EXPIRED"
    );
}

#[test]
fn a_cms_made_by_ncas_kalkan_with_a_gost_and_an_rsa_signer_verifies() {
    let content = data("nca_cms_content.txt");
    let trust = vec![
        test_ca("nca_gost_test_2022.cer"),
        test_ca("nca_rsa_test_3.0.cer"),
    ];
    for file in [
        "nca_cms_gost_and_rsa_detached.p7s",
        "nca_cms_gost_and_rsa_attached.p7s",
    ] {
        let cms = data(file);
        let verified = verify_detached(&content, &cms, Some(&trust)).unwrap();
        let algorithms = [verified.signer.key_algorithm.family()]
            .into_iter()
            .chain(
                verified
                    .other_signers
                    .iter()
                    .map(|s| s.key_algorithm.family()),
            )
            .collect::<Vec<_>>();
        assert!(algorithms.contains(&"GOST 2015"), "{file}: {algorithms:?}");
        assert!(algorithms.contains(&"RSA"), "{file}: {algorithms:?}");
        assert_eq!(
            verify_detached(b"test124", &cms, None).unwrap_err().code(),
            "SIGNATURE_CONTENT_MISMATCH"
        );
    }
}

#[test]
fn the_test_cas_signature_over_a_test_user_certificate_verifies_in_rust() {
    let leaf = data("gost2015_individual.cer");
    let ca = test_ca("nca_gost_test_2022.cer");
    let path = signing::verify_chain(
        &leaf,
        &[],
        std::slice::from_ref(&ca),
        datetime!(2023-01-01 0:00 UTC),
    )
    .unwrap();
    assert_eq!(path.len(), 2);
    // Not under the RSA test CA, and not after the certificate's validity.
    let rsa = test_ca("nca_rsa_test_3.0.cer");
    assert!(signing::verify_chain(&leaf, &[], &[rsa], datetime!(2023-01-01 0:00 UTC)).is_err());
    assert!(signing::verify_chain(&leaf, &[], &[ca], datetime!(2023-08-01 0:00 UTC)).is_err());
    let facts = CertificateFacts::from_der(&leaf).unwrap();
    assert_eq!(facts.key_algorithm.name(), "GOST 34.10-2015 512");
}

#[test]
fn nca_rsa_test_key_file_opens_in_rust_and_signs() {
    let signer = open("rsa_individual_sign.p12", "Qwerty12").unwrap();
    assert!(matches!(
        signer.certificate().key_algorithm,
        KeyAlgorithm::Rsa { .. }
    ));
    let at = datetime!(2021-06-01 9:00 UTC);
    let cms = signer.sign_detached(b"decision", at).unwrap();
    let trust = vec![test_ca("nca_rsa_test_3.0.cer")];
    let v = verify_detached(b"decision", &cms, Some(&trust)).unwrap();
    assert_eq!(v.algorithm, SignatureAlgorithm::RsaSha256);
}

#[test]
fn gost_2004_files_and_wrong_passwords_are_refused_with_their_codes() {
    let err = open("gost2004_ceo_revoked.p12", "Qwerty12").unwrap_err();
    assert_eq!(err.code(), "KEY_FILE_GOST_2004");
    assert!(err.message(domain::Lang::Ru).contains("ГОСТ 34.310-2004"));
    let err = open("gost2015_individual.p12", "wrong").unwrap_err();
    assert_eq!(err.code(), "PASSWORD_INCORRECT");
    let err = P12Signer::from_bytes(b"not a key file", Zeroizing::new("x".into())).unwrap_err();
    assert_eq!(err.code(), "KEY_FILE_INVALID");
    for lang in [domain::Lang::Kk, domain::Lang::Ru] {
        assert!(!err.message(lang).contains("OpenSSL"));
    }
}

/// A GOST key file as NCA writes one, for a clerk with a valid IIN (the testkit's
/// `GostTestSigner::write_p12`, what the window's end-to-end tests sign with): it opens
/// with its password only, its key is its certificate's, and it signs decisions whose
/// chain is checked to the GOST CA that issued it.
#[test]
fn a_gost_key_file_for_a_clerk_opens_signs_and_chains_to_its_ca() {
    use signing::testkit::CertSpec;
    use signing::testkit::gost::GostTestCa;
    let dir = tempfile::tempdir().unwrap();
    let clerk = domain::Iin::parse("900101300017").unwrap();
    let ca = GostTestCa::new("Qabyldau GOST test CA");
    let issued = ca.issue(&CertSpec::signing(&clerk, "ТЕСТОВ ТЕСТ ТЕСТОВИЧ"));
    let path = dir.path().join("GOST512_900101300017.p12");
    issued.write_p12(&path, "Qwerty12");

    let decoded = signing::decode_pkcs12(
        &std::fs::read(&path).unwrap(),
        &Zeroizing::new("Qwerty12".into()),
    )
    .unwrap();
    assert_eq!(
        decoded.algorithm,
        signing::KeyFileAlgorithm::Gost2015Bits512
    );
    assert_eq!(decoded.certificates, vec![issued.cert_der()]);

    let signer = P12Signer::open(&path, Zeroizing::new("Qwerty12".into())).unwrap();
    assert_eq!(signer.certificate().der, issued.cert_der());
    assert_eq!(
        signer.algorithm().unwrap(),
        SignatureAlgorithm::Gost2015_512
    );
    let at = datetime!(2026-04-01 09:00 UTC);
    check_for_decision(signer.certificate(), &clerk, at).unwrap();
    let content = "шешім: қабылдау".as_bytes();
    let cms = signer.sign_detached(content, at).unwrap();
    let verified = verify_detached(content, &cms, Some(&[ca.cert_der()])).unwrap();
    assert!(verified.chain_checked);
    assert_eq!(verified.algorithm, SignatureAlgorithm::Gost2015_512);

    let wrong = P12Signer::open(&path, Zeroizing::new("Qwerty13".into())).unwrap_err();
    assert_eq!(wrong.code(), "PASSWORD_INCORRECT");
}
