//! GOST R 34.10-2012 signatures — "GOST 34.10-2015" in NCA's (Kazakhstan's National
//! Certification Authority) terms — on the TC26 curves NCA issues keys on, with NCA's
//! byte encodings (issue 10; R-6 accept, R-7 reject, R-13 on-behalf submission, R-34 key
//! files and tokens).
//!
//! - [`ParamSet`] names a curve; [`KeySize`] its size, which fixes the public key,
//!   signature and digest OIDs ([`oid`]). GOST 34.310-2004 OIDs are recognised and
//!   refused with [`Error::Retired2004`].
//! - [`SigningKey`] (private scalar; from NCA's bytes or a PrivateKeyInfo DER) signs a
//!   message ([`SigningKey::sign`], Streebog then sign) or a digest
//!   ([`SigningKey::sign_digest`]); the nonce comes from the caller's [`rand_core::CryptoRng`],
//!   or is derived RFC 6979-style ([`SigningKey::sign_deterministic`]).
//! - [`VerifyingKey`] (from NCA's `x‖y` bytes or a SubjectPublicKeyInfo DER) verifies.
//! - [`Signature`] is `r‖s` in NCA's bytes.
//! - [`digest`] is Streebog-256/512.
//! - The RustCrypto traits (`signature::{Signer, Verifier, Keypair, SignatureEncoding}`,
//!   `spki::{EncodePublicKey, DynSignatureAlgorithmIdentifier, SignatureBitStringEncoding}`)
//!   are implemented, so x509-cert's certificate and CRL builders issue GOST certificates
//!   (test CAs; `tests/x509_builder.rs`). `Signer` signs with the deterministic nonce.
//!
//! Byte orders (all little-endian, established from NCA's test PKI): `FORMAT.md`.
//!
//! ```
//! use gost::{KeySize, ParamSet, Signature, SigningKey, VerifyingKey};
//!
//! // A key as NCA stores it (in a key file: `SigningKey::from_pkcs8_der`).
//! let key = SigningKey::from_nca_bytes(ParamSet::Tc26A512, &[0x2a; 64])?;
//! // Any CryptoRng gives the nonce; the application passes the OS's.
//! let mut rng = rand::rng();
//! let signature = key.sign(b"signed attributes, DER", &mut rng)?;
//! let bytes = signature.to_nca_bytes(); // r‖s, 128 bytes: a CMS SignerInfo's signature
//!
//! // The verifier has the certificate's SubjectPublicKeyInfo (`VerifyingKey::from_spki_der`)
//! // and the signature bytes; the algorithm OIDs tell the size.
//! let public = VerifyingKey::from_spki_der(&key.verifying_key().to_spki_der().unwrap())?;
//! let size = KeySize::from_signature_oid(gost::oid::SIGNATURE_512)?;
//! public.verify(b"signed attributes, DER", &Signature::from_nca_bytes(size, &bytes)?)?;
//! # Ok::<(), gost::Error>(())
//! ```
//!
//! Arithmetic is crypto-bigint's constant-time Montgomery form; scalar multiplication is a
//! fixed window with constant-time selection over complete projective formulas, so its
//! timing does not depend on the private key or the nonce. No clock, no global RNG, no
//! `unsafe`.

mod curve;
mod der_forms;
mod error;
mod keys;
mod params;
mod rustcrypto_traits;
pub mod timing;

pub use error::Error;
pub use keys::{Signature, SigningKey, VerifyingKey, digest};
pub use params::{KeySize, ParamSet, is_gost_2004, oid};
pub use rand_core;
