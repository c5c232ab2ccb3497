//! NCA key files (PKCS#12 `.p12`), modern (PBES2/AES) and legacy (RC2/3DES) encryption.

use std::path::Path;
use std::sync::OnceLock;

use openssl::hash::MessageDigest;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{Id, PKey, Private};
use openssl::provider::Provider;
use zeroize::Zeroizing;

use crate::{CertificateFacts, Error, KeyAlgorithm, Signer};

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

/// A signer whose key comes from a `.p12` key file. The password is used to open the file
/// and dropped (zeroized); the key stays in OpenSSL memory until the signer is dropped.
#[derive(Debug)]
pub struct P12Signer {
    facts: CertificateFacts,
    key: PKey<Private>,
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
        load_legacy_provider();
        let p12 = Pkcs12::from_der(bytes).map_err(|e| Error::KeyFileInvalid {
            detail: e.to_string(),
        })?;
        let parsed = p12.parse2(password.as_str()).map_err(|e| {
            let detail = e.to_string();
            if detail.contains("mac verify failure") || detail.contains("bad decrypt") {
                Error::PasswordIncorrect
            } else if detail.contains("unsupported") {
                Error::KeyFileUnsupported { detail }
            } else {
                Error::KeyFileInvalid { detail }
            }
        })?;
        drop(password);
        let cert = parsed.cert.ok_or_else(|| Error::KeyFileInvalid {
            detail: "no certificate".into(),
        })?;
        let der = cert.to_der().map_err(|e| Error::CertificateInvalid {
            detail: e.to_string(),
        })?;
        let facts = CertificateFacts::from_der(&der)?;
        match &facts.key_algorithm {
            KeyAlgorithm::Rsa { .. } => {}
            other => {
                crate::SignatureAlgorithm::for_key(other)?;
                return Err(Error::GostNotSupported);
            }
        }
        let key = parsed.pkey.ok_or_else(|| Error::KeyFileInvalid {
            detail: "no key".into(),
        })?;
        if key.id() != Id::RSA {
            return Err(Error::KeyAlgorithmUnsupported {
                oid: format!("{:?}", key.id()),
            });
        }
        Ok(P12Signer { facts, key })
    }
}

impl Signer for P12Signer {
    fn certificate(&self) -> &CertificateFacts {
        &self.facts
    }

    fn sign_signed_attributes(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let failed = |e: openssl::error::ErrorStack| Error::SigningFailed {
            detail: e.to_string(),
        };
        let mut signer =
            openssl::sign::Signer::new(MessageDigest::sha256(), &self.key).map_err(failed)?;
        signer.update(message).map_err(failed)?;
        signer.sign_to_vec().map_err(failed)
    }
}
