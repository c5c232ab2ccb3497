//! NCA's byte encodings, established from NCA's own test PKI (see `FORMAT.md`): the test
//! CA's GOST signature over each test user certificate verifies, and the public key
//! derived from each test key file's private key is its certificate's.

use std::path::PathBuf;

use der::{Decode, Encode};
use gost::{Error, KeySize, ParamSet, Signature, SigningKey, VerifyingKey};
use x509_cert::Certificate;

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn test_ca(name: &str) -> Certificate {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/pki/test")
        .join(name);
    let der = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Certificate::from_der(&der).expect("CA certificate DER")
}

fn cert(name: &str) -> Certificate {
    Certificate::from_der(&data(name)).expect("certificate DER")
}

fn public_key(cert: &Certificate) -> Result<VerifyingKey, Error> {
    VerifyingKey::from_spki_der(
        &cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .expect("SPKI DER"),
    )
}

/// The GOST 2015 test key files: certificate, PrivateKeyInfo.
const GOST_2015: &[(&str, &str)] = &[
    ("gost2015_individual.cer", "gost2015_individual.pk8"),
    ("gost2015_ceo_revoked.cer", "gost2015_ceo_revoked.pk8"),
];

#[test]
fn the_test_cas_signature_over_each_test_user_certificate_verifies() {
    let ca = test_ca("nca_gost_test_2022.cer");
    let ca_key = public_key(&ca).expect("the CA's GOST 512 key");
    assert_eq!(ca_key.param_set(), ParamSet::Tc26A512);
    for (cert_file, _) in GOST_2015 {
        let user = cert(cert_file);
        assert_eq!(
            user.signature_algorithm().oid.to_string(),
            gost::oid::SIGNATURE_512,
            "{cert_file}"
        );
        let tbs = user.tbs_certificate().to_der().expect("TBS DER");
        let bits = user.signature().raw_bytes();
        let signature = Signature::from_nca_bytes(KeySize::Bits512, bits).expect(cert_file);
        assert_eq!(ca_key.verify(&tbs, &signature), Ok(()), "{cert_file}");
        assert_eq!(
            signature.to_nca_bytes(),
            bits,
            "{cert_file}: r‖s round-trips"
        );

        let mut changed = tbs.clone();
        let middle = changed.len() / 2;
        changed[middle] ^= 0x01;
        assert_eq!(
            ca_key.verify(&changed, &signature),
            Err(Error::BadSignature),
            "{cert_file}: a changed certificate does not verify"
        );
        // Read big-endian (the other byte order), the same bytes do not verify.
        let mut reversed = bits.to_vec();
        reversed.reverse();
        let other_order = Signature::from_nca_bytes(KeySize::Bits512, &reversed).expect("len");
        assert!(ca_key.verify(&tbs, &other_order).is_err(), "{cert_file}");
    }
}

#[test]
fn the_public_key_derived_from_each_test_key_file_is_its_certificates() {
    for (cert_file, key_file) in GOST_2015 {
        let user = cert(cert_file);
        let key = SigningKey::from_pkcs8_der(&data(key_file)).expect(key_file);
        assert_eq!(key.param_set(), ParamSet::Tc26A512, "{key_file}");
        let from_cert = public_key(&user).expect(cert_file);
        assert_eq!(key.verifying_key(), &from_cert, "{key_file}");
        // NCA's SubjectPublicKeyInfo, byte for byte.
        let spki = user
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .expect("SPKI DER");
        assert_eq!(key.verifying_key().to_spki_der(), Some(spki), "{key_file}");
    }
}

#[test]
fn a_test_key_signs_and_its_certificates_key_verifies() {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(10);
    let key = SigningKey::from_pkcs8_der(&data("gost2015_individual.pk8")).expect("key");
    let certificate_key = public_key(&cert("gost2015_individual.cer")).expect("cert key");
    let message = "Қабылдау: өтініш қабылданды / заявление принято".as_bytes();
    let signature = key.sign(message, &mut rng).expect("sign");
    assert_eq!(signature.to_nca_bytes().len(), 128);
    assert_eq!(certificate_key.verify(message, &signature), Ok(()));
    assert_eq!(
        certificate_key.verify(b"another decision", &signature),
        Err(Error::BadSignature)
    );
    let other = public_key(&cert("gost2015_ceo_revoked.cer")).expect("other key");
    assert_eq!(other.verify(message, &signature), Err(Error::BadSignature));
}

#[test]
fn gost_2004_keys_and_certificates_are_recognised_as_retired() {
    let certificate = cert("gost2004_ceo_revoked.cer");
    assert_eq!(
        public_key(&certificate).map_err(|e| e.code()),
        Err("GOST_2004_RETIRED")
    );
    assert!(gost::is_gost_2004(
        &certificate.signature_algorithm().oid.to_string()
    ));
    assert_eq!(
        SigningKey::from_pkcs8_der(&data("gost2004_ceo_revoked.pk8"))
            .err()
            .map(|e| e.code()),
        Some("GOST_2004_RETIRED")
    );
}

#[test]
fn an_rsa_key_is_not_a_gost_key() {
    let error = SigningKey::from_pkcs8_der(&data("rsa_individual_sign.pk8"))
        .expect_err("an RSA key is refused");
    assert_eq!(error.code(), "GOST_UNKNOWN_ALGORITHM");
    assert_eq!(
        error,
        Error::UnknownAlgorithm {
            oid: "1.2.840.113549.1.1.1".into()
        }
    );
}
