//! NCA key files (PKCS#12 `.p12`): RSA (`RSA_*.p12`, `AUTH_RSA_*.p12`; modern PBES2/AES and
//! legacy RC2/3DES encryption) and GOST 34.10-2015 (`GOSTKNCA_*.p12`, `GOST512_*.p12`).
//!
//! Every file is opened in Rust by [`crate::decode_pkcs12`] (OpenSSL cannot read the GOST
//! key bag). The RSA key then signs through OpenSSL (constant-time, already the verifier
//! of RSA signatures here; the RustCrypto `rsa` crate has an open timing advisory,
//! RUSTSEC-2023-0071); the GOST key signs through the `gost` crate. A file the Rust decoder
//! does not know is tried once more with OpenSSL (legacy provider) before it is refused.

use std::path::Path;
use std::sync::OnceLock;

use openssl::hash::MessageDigest;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{Id, PKey, Private};
use openssl::provider::Provider;
use zeroize::Zeroizing;

use crate::gost_keys::GostKey;
use crate::{CertificateFacts, Error, KeyAlgorithm, KeyFileAlgorithm, Signer, public_key};

/// Loads OpenSSL's legacy provider (RC2, 3DES with SHA-1 MACs: what older NCA files use)
/// next to the default one, once per process. Without it OpenSSL 3 refuses those files.
pub(crate) fn load_legacy_provider() {
    static PROVIDERS: OnceLock<Option<(Provider, Provider)>> = OnceLock::new();
    PROVIDERS.get_or_init(|| {
        let legacy = Provider::try_load(None, "legacy", true).ok()?;
        let default = Provider::try_load(None, "default", true).ok()?;
        Some((legacy, default))
    });
}

#[derive(Debug)]
enum Key {
    Rsa(PKey<Private>),
    Gost(Box<GostKey>),
}

/// A signer whose key comes from a `.p12` key file. The password is used to open the file
/// and dropped (zeroized); the key stays in memory until the signer is dropped.
#[derive(Debug)]
pub struct P12Signer {
    facts: CertificateFacts,
    key: Key,
}

fn invalid(e: impl std::fmt::Display) -> Error {
    Error::KeyFileInvalid {
        detail: e.to_string(),
    }
}

impl P12Signer {
    pub fn open(path: &Path, password: Zeroizing<String>) -> Result<P12Signer, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::FileReadFailed {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        P12Signer::from_bytes(&bytes, password)
    }

    pub fn from_bytes(bytes: &[u8], password: Zeroizing<String>) -> Result<P12Signer, Error> {
        let decoded = match crate::decode_pkcs12(bytes, &password) {
            Ok(d) => d,
            Err(Error::KeyFileUnsupported { .. }) => return from_openssl(bytes, password),
            Err(e) => return Err(e),
        };
        drop(password);
        let cert = decoded
            .certificates
            .first()
            .ok_or_else(|| invalid("no certificate"))?;
        let facts = CertificateFacts::from_der(cert)?;
        let key = match decoded.algorithm {
            KeyFileAlgorithm::Rsa => {
                Key::Rsa(PKey::private_key_from_pkcs8(&decoded.private_key).map_err(invalid)?)
            }
            KeyFileAlgorithm::Gost2015Bits256 | KeyFileAlgorithm::Gost2015Bits512 => {
                Key::Gost(Box::new(GostKey::from_pkcs8(&decoded.private_key)?))
            }
        };
        check_pair(&facts, &key)?;
        Ok(P12Signer { facts, key })
    }
}

/// The key must be the certificate's: a GOST key's public half equals the certificate's
/// key, an RSA key is of the certificate's algorithm (the signature made later is checked
/// against the certificate in any case).
fn check_pair(facts: &CertificateFacts, key: &Key) -> Result<(), Error> {
    match (key, &facts.key_algorithm) {
        (Key::Rsa(k), KeyAlgorithm::Rsa { .. }) if k.id() == Id::RSA => Ok(()),
        (Key::Gost(k), KeyAlgorithm::Gost2015 { .. }) => {
            let cert_spki = public_key::spki_of(&facts.der)?;
            let same = match (
                gost::VerifyingKey::from_spki_der(&cert_spki),
                k.public_spki(),
            ) {
                (Ok(cert_key), Some(own)) => gost::VerifyingKey::from_spki_der(&own)
                    .map(|own| own.to_nca_bytes() == cert_key.to_nca_bytes())
                    .unwrap_or(false),
                _ => false,
            };
            if same {
                Ok(())
            } else {
                Err(Error::KeyCertificateMismatch)
            }
        }
        (_, KeyAlgorithm::Gost2004) => Err(Error::KeyFileGost2004),
        _ => Err(Error::KeyCertificateMismatch),
    }
}

/// The OpenSSL path for files the Rust decoder does not know (RSA only).
fn from_openssl(bytes: &[u8], password: Zeroizing<String>) -> Result<P12Signer, Error> {
    load_legacy_provider();
    let p12 = Pkcs12::from_der(bytes).map_err(invalid)?;
    let parsed = p12.parse2(password.as_str()).map_err(|e| {
        let detail = e.to_string();
        if detail.contains("mac verify failure") || detail.contains("bad decrypt") {
            Error::PasswordIncorrect
        } else {
            Error::KeyFileUnsupported { detail }
        }
    })?;
    drop(password);
    let cert = parsed.cert.ok_or_else(|| invalid("no certificate"))?;
    let der = cert.to_der().map_err(|e| Error::CertificateInvalid {
        detail: e.to_string(),
    })?;
    let facts = CertificateFacts::from_der(&der)?;
    let key = Key::Rsa(parsed.pkey.ok_or_else(|| invalid("no key"))?);
    check_pair(&facts, &key)?;
    Ok(P12Signer { facts, key })
}

impl Signer for P12Signer {
    fn certificate(&self) -> &CertificateFacts {
        &self.facts
    }

    fn sign_signed_attributes(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        match &self.key {
            Key::Rsa(key) => {
                let failed = |e: openssl::error::ErrorStack| Error::SigningFailed {
                    detail: e.to_string(),
                };
                let mut signer =
                    openssl::sign::Signer::new(MessageDigest::sha256(), key).map_err(failed)?;
                signer.update(message).map_err(failed)?;
                signer.sign_to_vec().map_err(failed)
            }
            Key::Gost(key) => key.sign(message),
        }
    }
}
