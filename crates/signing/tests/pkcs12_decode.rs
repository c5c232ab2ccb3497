//! NCA key files decoded in Rust (`decode_pkcs12`, issue 10, R-34): NCA's published test
//! `.p12` files (GOST 2015, RSA, GOST 2004), a file OpenSSL 3 writes (PBES2/AES), wrong
//! passwords and broken files. Data: `crates/gost/tests/data` (see its README).

use std::path::PathBuf;

use der::{Decode, Encode};
use signing::{Error, KeyFileAlgorithm, Zeroizing, decode_pkcs12};

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../gost/tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn password(text: &str) -> Zeroizing<String> {
    Zeroizing::new(text.to_string())
}

/// (key file, password, algorithm, the PrivateKeyInfo and certificate inside it)
const NCA_FILES: &[(&str, &str, KeyFileAlgorithm, &str, &str)] = &[
    (
        "gost2015_individual.p12",
        "Aa123456",
        KeyFileAlgorithm::Gost2015Bits512,
        "gost2015_individual.pk8",
        "gost2015_individual.cer",
    ),
    (
        "gost2015_ceo_revoked.p12",
        "Aa123456",
        KeyFileAlgorithm::Gost2015Bits512,
        "gost2015_ceo_revoked.pk8",
        "gost2015_ceo_revoked.cer",
    ),
    (
        "rsa_individual_sign.p12",
        "Qwerty12",
        KeyFileAlgorithm::Rsa,
        "rsa_individual_sign.pk8",
        "rsa_individual_sign.cer",
    ),
];

#[test]
fn nca_test_key_files_give_their_key_and_certificate() {
    for (file, pass, algorithm, key, cert) in NCA_FILES {
        let decoded = decode_pkcs12(&data(file), &password(pass)).expect(file);
        assert_eq!(decoded.algorithm, *algorithm, "{file}");
        assert_eq!(
            decoded.private_key.as_slice(),
            data(key).as_slice(),
            "{file}"
        );
        assert_eq!(decoded.certificates, vec![data(cert)], "{file}");
        assert!(!format!("{decoded:?}").contains(pass));
    }
}

#[test]
fn a_gost_key_files_key_is_its_certificates() {
    for (file, pass, _, _, _) in NCA_FILES.iter().filter(|f| f.2 != KeyFileAlgorithm::Rsa) {
        let decoded = decode_pkcs12(&data(file), &password(pass)).expect(file);
        let key = gost::SigningKey::from_pkcs8_der(&decoded.private_key).expect(file);
        let cert = x509_cert::Certificate::from_der(&decoded.certificates[0]).expect("cert");
        let spki = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .expect("SPKI");
        assert_eq!(
            key.verifying_key(),
            &gost::VerifyingKey::from_spki_der(&spki).expect("GOST SPKI"),
            "{file}"
        );
    }
}

#[test]
fn an_rsa_key_files_key_is_its_certificates() {
    let decoded = decode_pkcs12(&data("rsa_individual_sign.p12"), &password("Qwerty12"))
        .expect("RSA key file");
    let key = openssl::pkey::PKey::private_key_from_pkcs8(&decoded.private_key).expect("RSA");
    let cert = openssl::x509::X509::from_der(&decoded.certificates[0]).expect("cert");
    assert!(key.public_eq(&cert.public_key().expect("public key")));
}

#[test]
fn a_file_openssl_writes_with_pbes2_and_aes_is_read_too() {
    let nca = decode_pkcs12(&data("rsa_individual_sign.p12"), &password("Qwerty12"))
        .expect("RSA key file");
    let key = openssl::pkey::PKey::private_key_from_pkcs8(&nca.private_key).expect("RSA");
    let cert = openssl::x509::X509::from_der(&nca.certificates[0]).expect("cert");
    // OpenSSL 3's defaults: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), MAC HMAC-SHA256.
    let p12 = openssl::pkcs12::Pkcs12::builder()
        .name("clerk")
        .pkey(&key)
        .cert(&cert)
        .build2("пароль-2026")
        .expect("build")
        .to_der()
        .expect("DER");
    let decoded = decode_pkcs12(&p12, &password("пароль-2026")).expect("PBES2 file");
    assert_eq!(decoded.algorithm, KeyFileAlgorithm::Rsa);
    let again = openssl::pkey::PKey::private_key_from_pkcs8(&decoded.private_key).expect("RSA");
    assert!(again.public_eq(&key));
    assert_eq!(decoded.certificates, vec![cert.to_der().expect("DER")]);
    assert_eq!(
        decode_pkcs12(&p12, &password("пароль-2025")).err(),
        Some(Error::PasswordIncorrect)
    );
}

#[test]
fn a_wrong_password_is_its_own_error_and_never_in_a_message() {
    for (file, pass, _, _, _) in NCA_FILES {
        for wrong in ["", "aa123456", "Qwerty1", "invalidpassword000"] {
            if wrong == *pass {
                continue;
            }
            let error = decode_pkcs12(&data(file), &password(wrong)).expect_err(file);
            assert_eq!(error, Error::PasswordIncorrect, "{file} with {wrong:?}");
            assert_eq!(error.code(), "PASSWORD_INCORRECT");
        }
    }
    // The right password appears in no error of a broken file either.
    let mut broken = data("gost2015_individual.p12");
    broken.truncate(broken.len() / 2);
    let error = decode_pkcs12(&broken, &password("Aa123456")).expect_err("truncated");
    for text in [
        error.to_string(),
        format!("{error:?}"),
        error.message(domain::Lang::Kk),
        error.message(domain::Lang::Ru),
    ] {
        assert!(!text.contains("Aa123456"), "{text}");
    }
}

#[test]
fn a_truncated_or_foreign_file_is_not_a_key_file() {
    let whole = data("gost2015_individual.p12");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("first 100 bytes", whole[..100].to_vec()),
        ("all but the last byte", whole[..whole.len() - 1].to_vec()),
        ("half", whole[..whole.len() / 2].to_vec()),
        ("a certificate", data("gost2015_individual.cer")),
        ("text", b"-----BEGIN CERTIFICATE-----\n".to_vec()),
    ];
    for (what, bytes) in cases {
        let error = decode_pkcs12(&bytes, &password("Aa123456")).expect_err(what);
        assert_eq!(error.code(), "KEY_FILE_INVALID", "{what}: {error}");
    }
}

#[test]
fn a_gost_2004_key_file_is_refused_as_retired() {
    let error = decode_pkcs12(&data("gost2004_ceo_revoked.p12"), &password("Qwerty12"))
        .expect_err("GOST 2004");
    assert_eq!(error, Error::KeyFileGost2004);
    assert_eq!(error.code(), "KEY_FILE_GOST_2004");
    assert!(error.message(domain::Lang::Ru).contains("34.310-2004"));
    assert!(error.message(domain::Lang::Kk).contains("34.310-2004"));
}

#[test]
fn every_truncation_and_many_changed_bytes_are_refused_without_a_panic() {
    for (file, pass, _, _, _) in NCA_FILES {
        let whole = data(file);
        for len in 0..whole.len() {
            let error = decode_pkcs12(&whole[..len], &password(pass)).expect_err(file);
            assert_eq!(
                error.code(),
                "KEY_FILE_INVALID",
                "{file} cut at {len}: {error}"
            );
        }
        for at in (0..whole.len()).step_by(13) {
            let mut changed = whole.clone();
            changed[at] ^= 0x5a;
            let error = decode_pkcs12(&changed, &password(pass)).expect_err(file);
            assert!(
                matches!(
                    error.code(),
                    "KEY_FILE_INVALID" | "PASSWORD_INCORRECT" | "KEY_FILE_UNSUPPORTED"
                ),
                "{file} changed at {at}: {error}"
            );
        }
    }
}
