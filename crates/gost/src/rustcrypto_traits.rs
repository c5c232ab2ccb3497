//! The RustCrypto traits (`signature`, `spki`), so that RustCrypto's builders — x509-cert's
//! certificate and CRL builders among them — sign and verify with GOST keys. Signing
//! through [`signature::Signer`] uses the deterministic nonce
//! ([`SigningKey::sign_deterministic`]): that trait has no RNG.

use der::asn1::{BitString, ObjectIdentifier};
use spki::{AlgorithmIdentifierOwned, Document};

use crate::{KeySize, Signature, SigningKey, VerifyingKey};

impl signature::Signer<Signature> for SigningKey {
    fn try_sign(&self, message: &[u8]) -> Result<Signature, signature::Error> {
        self.sign_deterministic(message)
            .map_err(|_| signature::Error::new())
    }
}

impl signature::Verifier<Signature> for VerifyingKey {
    fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), signature::Error> {
        VerifyingKey::verify(self, message, signature).map_err(|_| signature::Error::new())
    }
}

impl signature::Keypair for SigningKey {
    type VerifyingKey = VerifyingKey;

    fn verifying_key(&self) -> VerifyingKey {
        SigningKey::verifying_key(self).clone()
    }
}

impl signature::SignatureEncoding for Signature {
    type Repr = Vec<u8>;
}

/// NCA's `r‖s` bytes; the length (64 or 128) tells the key size.
impl TryFrom<&[u8]> for Signature {
    type Error = signature::Error;

    fn try_from(bytes: &[u8]) -> Result<Signature, signature::Error> {
        let size = match bytes.len() {
            64 => KeySize::Bits256,
            128 => KeySize::Bits512,
            _ => return Err(signature::Error::new()),
        };
        Signature::from_nca_bytes(size, bytes).map_err(|_| signature::Error::new())
    }
}

impl From<Signature> for Vec<u8> {
    fn from(signature: Signature) -> Vec<u8> {
        signature.to_nca_bytes()
    }
}

impl spki::SignatureBitStringEncoding for Signature {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(&self.to_nca_bytes())
    }
}

/// The certificate's `signatureAlgorithm` as NCA writes it: the signature OID of the key
/// size, no parameters.
impl spki::DynSignatureAlgorithmIdentifier for SigningKey {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new(self.param_set().size().signature_oid())
                .map_err(|_| spki::Error::KeyMalformed)?,
            parameters: None,
        })
    }
}

/// NCA's SubjectPublicKeyInfo ([`VerifyingKey::to_spki_der`]); the standard's example
/// curves have none.
impl spki::EncodePublicKey for VerifyingKey {
    fn to_public_key_der(&self) -> spki::Result<Document> {
        let der = self.to_spki_der().ok_or(spki::Error::KeyMalformed)?;
        Ok(Document::try_from(der)?)
    }
}
