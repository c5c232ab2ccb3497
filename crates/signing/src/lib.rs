//! Electronic digital signatures of decisions (issue 6; R-6 accept, R-7 reject, R-13
//! on-behalf submission, R-34 tokens and key files).
//!
//! A decision is turned into canonical bytes ([`canonical_json`]), checked against the
//! clerk ([`check_for_decision`]) and signed by a [`Signer`] — a PKCS#11 token
//! ([`Pkcs11Signer`]) or an NCA key file ([`P12Signer`]) — into a detached CMS SignedData
//! that [`verify_detached`] and `openssl cms -verify` accept. Formats: `FORMAT.md`.
//!
//! Invariants: no PIN or password is ever stored, logged or put into an error; no clock is
//! read here (signing time and "now" are parameters).

mod canonical;
mod error;
mod facts;
mod p12;
mod pkcs11;
mod pkcs12_decode;
mod signature;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use canonical::canonical_json;
pub use error::{Error, PinFlags};
pub use facts::{
    CertificateFacts, KeyAlgorithm, KeyPurpose, certificates_from_pem_or_der, check_for_decision,
    check_for_signing,
};
/// GOST 34.10-2015 keys and signatures (issue 10), for the crates above `signing`.
pub use gost;
pub use p12::P12Signer;
pub use pkcs11::{
    Pkcs11Signer, TokenCertificate, TokenFlags, TokenListing, TokenTarget, installed_module_paths,
    known_module_paths, list_tokens,
};
pub use pkcs12_decode::{DecodedKeyFile, KeyFileAlgorithm, decode_pkcs12};
pub use signature::{VerifiedSignature, signature_der, signature_pem, verify_detached};
pub use zeroize::Zeroizing;

use domain::Iin;
use time::OffsetDateTime;

/// The seam between a decision and a key: a PKCS#11 token or a `.p12` key file.
pub trait Signer: Send + Sync {
    /// The signer's certificate.
    fn certificate(&self) -> &CertificateFacts;

    /// An RSA PKCS#1 v1.5 signature with SHA-256 over `message` (for CMS: the DER of the
    /// signed attributes).
    fn sign_rsa_sha256(&self, message: &[u8]) -> Result<Vec<u8>, Error>;

    /// A detached CMS SignedData (DER) over `content`, with `signing_time` as the signed
    /// signing-time attribute.
    fn sign_detached(
        &self,
        content: &[u8],
        signing_time: OffsetDateTime,
    ) -> Result<Vec<u8>, Error> {
        signature::sign_detached(self, content, signing_time)
    }
}

/// Where the clerk's key is: what the signing dialog asks for (R-34: tokens and key files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A hardware token through its PKCS#11 module; the secret is the PIN.
    Token(TokenTarget),
    /// An NCA key file (`RSA_*.p12`); the secret is its password.
    KeyFile(std::path::PathBuf),
}

/// Opens the signer for one signing session; `secret` is the PIN or the password, asked
/// for this session only and zeroized when no longer needed.
pub fn open_signer(
    source: &KeySource,
    secret: Zeroizing<String>,
) -> Result<Box<dyn Signer>, Error> {
    Ok(match source {
        KeySource::Token(target) => Box::new(Pkcs11Signer::open(target, secret)?),
        KeySource::KeyFile(path) => Box::new(P12Signer::open(path, secret)?),
    })
}

/// Signs a decision: refuses a certificate that [`check_for_decision`] refuses (expired,
/// authentication-only, another person's IIN, GOST), then makes the detached CMS over
/// `canonical` with `now` as signing time. Nothing is signed when it fails.
pub fn sign_decision(
    signer: &dyn Signer,
    clerk_iin: &Iin,
    canonical: &[u8],
    now: OffsetDateTime,
) -> Result<Vec<u8>, Error> {
    check_for_decision(signer.certificate(), clerk_iin, now)?;
    signer.sign_detached(canonical, now)
}
