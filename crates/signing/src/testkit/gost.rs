//! GOST 34.10-2015 test certificates (issue 10): a GOST CA and NCA-shaped GOST 512
//! certificates with any subject (a clerk's valid IIN, a school's BIN), and a [`Signer`]
//! over such a key. OpenSSL cannot make GOST certificates, so each is made from an
//! OpenSSL-built template: its public key and signature algorithm are replaced and the
//! TBSCertificate is signed with the CA's GOST key, in NCA's encodings.

use std::path::Path;

use gost::{ParamSet, SigningKey};
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use zeroize::Zeroizing;

use super::{CertSpec, TestCa, children, ok, tlv};
use crate::{CertificateFacts, Error, Signer};

/// GOST 34.10-2015 512 signature, as NCA writes it in certificates.
const SIGNATURE_512: [u8; 12] = [
    0x06, 0x0a, 0x2a, 0x83, 0x0e, 0x03, 0x0a, 0x01, 0x01, 0x02, 0x03, 0x02,
];

/// A fresh GOST 512 key and its scalar as NCA writes it (little-endian).
fn fresh_key_and_scalar() -> (SigningKey, Zeroizing<[u8; 64]>) {
    loop {
        let bytes = Zeroizing::new(rand::random::<[u8; 64]>());
        if let Ok(key) = SigningKey::from_nca_bytes(ParamSet::Tc26A512, bytes.as_ref()) {
            return (key, bytes);
        }
    }
}

fn fresh_key() -> SigningKey {
    fresh_key_and_scalar().0
}

fn spki(key: &SigningKey) -> Vec<u8> {
    key.verifying_key()
        .to_spki_der()
        .unwrap_or_else(|| panic!("testkit: GOST SubjectPublicKeyInfo"))
}

/// `template` with `subject_spki` as its key, re-signed by `issuer` with GOST 512.
fn regost(template: &[u8], subject_spki: &[u8], issuer: &SigningKey) -> Vec<u8> {
    let cert = children(template);
    let tbs = children(cert[0]);
    let alg = tlv(0x30, &SIGNATURE_512);
    let mut new_tbs = Vec::new();
    for (i, field) in tbs.iter().enumerate() {
        match i {
            // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, spki, …
            2 => new_tbs.extend_from_slice(&alg),
            6 => new_tbs.extend_from_slice(subject_spki),
            _ => new_tbs.extend_from_slice(field),
        }
    }
    let tbs_der = tlv(0x30, &new_tbs);
    let signature = ok(issuer.sign(&tbs_der, &mut rand::rng()), "GOST sign").to_nca_bytes();
    let mut bits = vec![0u8];
    bits.extend(signature);
    let mut body = tbs_der;
    body.extend_from_slice(&alg);
    body.extend(tlv(0x03, &bits));
    tlv(0x30, &body)
}

/// A self-signed GOST 34.10-2015 512 test CA.
pub struct GostTestCa {
    template: TestCa,
    key: SigningKey,
    cert: Vec<u8>,
}

impl std::fmt::Debug for GostTestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GostTestCa")
    }
}

impl GostTestCa {
    pub fn new(common_name: &str) -> GostTestCa {
        let template = TestCa::new(common_name);
        let key = fresh_key();
        let cert = regost(&template.cert_der(), &spki(&key), &key);
        GostTestCa {
            template,
            key,
            cert,
        }
    }

    pub fn cert_der(&self) -> Vec<u8> {
        self.cert.clone()
    }

    /// A GOST 512 key and its certificate issued as `spec` says.
    pub fn issue(&self, spec: &CertSpec) -> GostTestSigner {
        let (key, scalar) = fresh_key_and_scalar();
        let placeholder = ok(PKey::from_rsa(ok(Rsa::generate(2048), "key")), "key");
        let template = self.template.issue(&placeholder, spec);
        let der = regost(&template, &spki(&key), &self.key);
        GostTestSigner {
            facts: ok(CertificateFacts::from_der(&der), "GOST certificate"),
            key,
            scalar,
            der,
        }
    }
}

/// A GOST 34.10-2015 512 key in memory with its certificate (what an NCA `GOSTKNCA_*.p12`
/// holds, opened).
pub struct GostTestSigner {
    facts: CertificateFacts,
    key: SigningKey,
    scalar: Zeroizing<[u8; 64]>,
    der: Vec<u8>,
}

impl GostTestSigner {
    /// The certificate (DER).
    pub fn cert_der(&self) -> Vec<u8> {
        self.der.clone()
    }

    /// Writes this key and certificate as an NCA `GOST512_*.p12` is written (see
    /// [`super::gost_p12`]), openable with `password`.
    pub fn write_p12(&self, path: &Path, password: &str) {
        let spki_der = spki(&self.key);
        let algorithm = children(&spki_der)
            .first()
            .map(|a| a.to_vec())
            .unwrap_or_else(|| panic!("testkit: GOST AlgorithmIdentifier"));
        let bytes = super::gost_p12::encode(&algorithm, self.scalar.as_ref(), &self.der, password);
        ok(std::fs::write(path, bytes), "write GOST p12");
    }
}

impl std::fmt::Debug for GostTestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.facts.subject)
    }
}

impl Signer for GostTestSigner {
    fn certificate(&self) -> &CertificateFacts {
        &self.facts
    }

    fn sign_signed_attributes(&self, signed_attributes: &[u8]) -> Result<Vec<u8>, Error> {
        self.key
            .sign(signed_attributes, &mut rand::rng())
            .map(|s| s.to_nca_bytes())
            .map_err(|e| Error::SigningFailed {
                detail: e.to_string(),
            })
    }
}
