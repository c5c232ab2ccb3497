//! x509-cert's builder issues certificates with GOST keys through the RustCrypto traits: a
//! test CA signs an end-entity certificate; both carry NCA's SubjectPublicKeyInfo and
//! signature algorithm, and the CA's signature verifies like NCA's own.

use std::str::FromStr;
use std::time::Duration;

use der::asn1::UtcTime;
use der::{Decode, Encode};
use gost::{KeySize, ParamSet, Signature, SigningKey, VerifyingKey, oid};
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder, profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

/// A bare end-entity profile: issuer and subject, no extensions (tests add what they need).
struct Leaf {
    issuer: Name,
    subject: Name,
}

impl profile::BuilderProfile for Leaf {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }
    fn get_subject(&self) -> Name {
        self.subject.clone()
    }
    fn build_extensions(
        &self,
        _spk: x509_cert::spki::SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: x509_cert::spki::SubjectPublicKeyInfoRef<'_>,
        _tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<x509_cert::ext::Extension>> {
        Ok(Vec::new())
    }
}

fn validity() -> Validity {
    let at =
        |secs| Time::UtcTime(UtcTime::from_unix_duration(Duration::from_secs(secs)).expect("time"));
    // 2026-01-01 … 2031-01-01: fixed, no clock.
    Validity::new(at(1_767_225_600), at(1_924_992_000))
}

fn spki(key: &SigningKey) -> SubjectPublicKeyInfoOwned {
    let der = key.verifying_key().to_spki_der().expect("NCA SPKI");
    SubjectPublicKeyInfoOwned::from_der(&der).expect("SPKI")
}

#[test]
fn a_gost_ca_issues_a_gost_certificate_that_verifies() {
    let ca_key = SigningKey::from_nca_bytes(ParamSet::Tc26A512, &[0x0c; 64]).expect("CA key");
    let ca_name = Name::from_str("CN=QABYLDAU GOST TEST CA,O=QABYLDAU TEST,C=KZ").expect("name");
    let ca_profile = profile::cabf::Root::new(false, ca_name.clone()).expect("root profile");
    let ca: Certificate = CertificateBuilder::new(
        ca_profile,
        SerialNumber::from(1u32),
        validity(),
        spki(&ca_key),
    )
    .expect("CA builder")
    .build::<_, Signature>(&ca_key)
    .expect("CA certificate");

    let user_key = SigningKey::from_nca_bytes(ParamSet::Tc26A512, &[0x0e; 64]).expect("key");
    let user_profile = Leaf {
        issuer: ca_name,
        subject: Name::from_str("CN=TESTOV TEST,SERIALNUMBER=IIN900101300017,C=KZ").expect("name"),
    };
    let user: Certificate = CertificateBuilder::new(
        user_profile,
        SerialNumber::from(2u32),
        validity(),
        spki(&user_key),
    )
    .expect("leaf builder")
    .build::<_, Signature>(&ca_key)
    .expect("user certificate");

    for (cert, issuer_key) in [(&ca, &ca_key), (&user, &ca_key)] {
        assert_eq!(
            cert.signature_algorithm().oid.to_string(),
            oid::SIGNATURE_512
        );
        assert_eq!(cert.signature_algorithm().parameters, None);
        let tbs = cert.tbs_certificate().to_der().expect("TBS");
        let signature =
            Signature::from_nca_bytes(KeySize::Bits512, cert.signature().raw_bytes()).expect("r‖s");
        assert_eq!(issuer_key.verifying_key().verify(&tbs, &signature), Ok(()));
    }
    let user_spki = user
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .expect("SPKI");
    assert_eq!(
        &VerifyingKey::from_spki_der(&user_spki).expect("read back"),
        user_key.verifying_key()
    );
    // The whole certificate reads back as DER.
    let again = Certificate::from_der(&user.to_der().expect("DER")).expect("parse");
    assert_eq!(again, user);
}

#[test]
fn the_signature_traits_sign_deterministically_and_verify() {
    use signature::{Signer, Verifier};
    let key = SigningKey::from_nca_bytes(ParamSet::Tc26A256, &[0x05; 32]).expect("key");
    let a: Signature = key.try_sign(b"m").expect("sign");
    let b: Signature = key.try_sign(b"m").expect("sign");
    assert_eq!(a, b);
    assert!(Verifier::verify(key.verifying_key(), b"m", &a).is_ok());
    assert!(Verifier::verify(key.verifying_key(), b"n", &a).is_err());
    let bytes: Vec<u8> = a.clone().into();
    assert_eq!(Signature::try_from(bytes.as_slice()).expect("64 bytes"), a);
    assert!(Signature::try_from(&bytes[..63]).is_err());
}
