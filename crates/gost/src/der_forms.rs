//! Keys in their DER containers as NCA writes them: a PrivateKeyInfo (PKCS#8, the key
//! bag of an NCA `.p12`) and a SubjectPublicKeyInfo (a certificate's public key).
//!
//! Both carry `AlgorithmIdentifier { publicKeyOid, SEQUENCE { paramSetOid, digestOid } }`;
//! the key itself is a DER OCTET STRING inside (the private key's OCTET STRING, the public
//! key's BIT STRING), holding the little-endian bytes of `FORMAT.md`.

use der::asn1::{AnyRef, BitString, ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode, Sequence};
use pkcs8::PrivateKeyInfoRef;
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};

use crate::{Error, ParamSet, SigningKey, VerifyingKey};

/// The parameters of NCA's GOST `AlgorithmIdentifier`.
#[derive(Sequence)]
struct GostParams {
    param_set: ObjectIdentifier,
    digest: Option<ObjectIdentifier>,
}

fn der_error(e: der::Error) -> Error {
    Error::Encoding(e.to_string())
}

fn param_set_of(oid: &ObjectIdentifier, params: Option<&AnyRef<'_>>) -> Result<ParamSet, Error> {
    let oid = oid.to_string();
    if crate::is_gost_2004(&oid) {
        return Err(Error::Retired2004);
    }
    let param_oid = match params {
        Some(any) if !any.is_null() => Some(
            any.decode_as::<GostParams>()
                .map_err(der_error)?
                .param_set
                .to_string(),
        ),
        _ => None,
    };
    ParamSet::from_algorithm(&oid, param_oid.as_deref())
}

/// The key bytes of an OCTET STRING that NCA nests in the outer container; a bare value of
/// exactly `expected` bytes is taken as it is.
fn inner_octets(bytes: &[u8], expected: usize) -> Result<&[u8], Error> {
    if bytes.len() == expected {
        return Ok(bytes);
    }
    let inner = <&OctetStringRef>::from_der(bytes).map_err(der_error)?;
    Ok(inner.as_bytes())
}

impl SigningKey {
    /// A private key from the DER of a PrivateKeyInfo (what `signing::decode_pkcs12`
    /// returns for a GOST key file). GOST 34.310-2004 keys are [`Error::Retired2004`].
    pub fn from_pkcs8_der(der: &[u8]) -> Result<SigningKey, Error> {
        let info = PrivateKeyInfoRef::from_der(der).map_err(der_error)?;
        let set = param_set_of(&info.algorithm.oid, info.algorithm.parameters.as_ref())?;
        let key = inner_octets(info.private_key.as_bytes(), set.size().byte_len())
            .map_err(|_| Error::PrivateKey)?;
        SigningKey::from_nca_bytes(set, key)
    }
}

impl VerifyingKey {
    /// A public key from the DER of a SubjectPublicKeyInfo (a certificate's
    /// `subjectPublicKeyInfo`). GOST 34.310-2004 keys are [`Error::Retired2004`].
    pub fn from_spki_der(der: &[u8]) -> Result<VerifyingKey, Error> {
        let info = SubjectPublicKeyInfoRef::from_der(der).map_err(der_error)?;
        let set = param_set_of(&info.algorithm.oid, info.algorithm.parameters.as_ref())?;
        let bits = info.subject_public_key.as_bytes().ok_or(Error::PublicKey)?;
        let key = inner_octets(bits, 2 * set.size().byte_len()).map_err(|_| Error::PublicKey)?;
        VerifyingKey::from_nca_bytes(set, key)
    }

    /// The DER of this key's SubjectPublicKeyInfo as NCA writes it (public key OID;
    /// parameters: parameter set OID and digest OID; BIT STRING holding an OCTET STRING
    /// with `x‖y`). `None` for the standard's example curves, which have no NCA OIDs.
    pub fn to_spki_der(&self) -> Option<Vec<u8>> {
        let set = self.param_set();
        let size = set.size();
        let params = GostParams {
            param_set: ObjectIdentifier::new(set.parameter_set_oid()?).ok()?,
            digest: Some(ObjectIdentifier::new(size.digest_oid()).ok()?),
        };
        let params_der = params.to_der().ok()?;
        let key_octets = der::asn1::OctetString::new(self.to_nca_bytes())
            .ok()?
            .to_der()
            .ok()?;
        let spki = SubjectPublicKeyInfo {
            algorithm: AlgorithmIdentifier {
                oid: ObjectIdentifier::new(size.public_key_oid()).ok()?,
                parameters: Some(AnyRef::from_der(&params_der).ok()?),
            },
            subject_public_key: BitString::from_bytes(&key_octets).ok()?,
        };
        spki.to_der().ok()
    }
}
