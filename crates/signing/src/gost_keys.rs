//! GOST 34.10-2015 through the `gost` crate: digests, signature checks and key-file keys,
//! in NCA's byte encodings (issue 10; `crates/gost/FORMAT.md`).
//!
//! The one source of randomness in this crate is here: the nonce `k` of a GOST signature
//! comes from the operating system's CSPRNG (`rand::rng()`), never from the caller — a
//! nonce that is repeated or guessable gives the private key away.

use gost::{KeySize, Signature, SigningKey, VerifyingKey};

use crate::Error;

fn size(bits: u16) -> KeySize {
    if bits == 256 {
        KeySize::Bits256
    } else {
        KeySize::Bits512
    }
}

/// GOST 34.11-2015 (Streebog) of `data`, 256 or 512 bit.
pub(crate) fn streebog(bits: u16, data: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(gost::digest(size(bits), data))
}

/// Whether `signature` (NCA's `r‖s` little-endian layout) over `message` verifies under
/// the GOST public key of `spki_der` (a SubjectPublicKeyInfo). A key of another size than
/// the signature's does not verify.
pub(crate) fn verify(
    spki_der: &[u8],
    bits: u16,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, Error> {
    let key = match VerifyingKey::from_spki_der(spki_der) {
        Ok(k) => k,
        Err(gost::Error::Retired2004) => return Err(Error::Gost2004Retired),
        // An RSA (or any non-GOST) key cannot have made a GOST signature.
        Err(_) => return Ok(false),
    };
    if key.param_set().size() != size(bits) {
        return Ok(false);
    }
    let Ok(signature) = Signature::from_nca_bytes(size(bits), signature) else {
        return Ok(false);
    };
    Ok(key.verify(message, &signature).is_ok())
}

/// A GOST private key from a key file (PKCS#8 DER, as `decode_pkcs12` gives it).
pub(crate) struct GostKey(SigningKey);

impl std::fmt::Debug for GostKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GostKey(…)")
    }
}

impl GostKey {
    pub(crate) fn from_pkcs8(der: &[u8]) -> Result<GostKey, Error> {
        SigningKey::from_pkcs8_der(der)
            .map(GostKey)
            .map_err(|e| match e {
                gost::Error::Retired2004 => Error::KeyFileGost2004,
                e => Error::KeyFileInvalid {
                    detail: e.to_string(),
                },
            })
    }

    /// The DER SubjectPublicKeyInfo of the key's public half, to compare with the
    /// certificate's.
    pub(crate) fn public_spki(&self) -> Option<Vec<u8>> {
        self.0.verifying_key().to_spki_der()
    }

    /// Signs `message` (Streebog of the key's size, then GOST 34.10-2015) and returns NCA's
    /// `r‖s` bytes.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let mut rng = rand::rng();
        self.0
            .sign(message, &mut rng)
            .map(|s| s.to_nca_bytes())
            .map_err(|e| Error::SigningFailed {
                detail: e.to_string(),
            })
    }
}
