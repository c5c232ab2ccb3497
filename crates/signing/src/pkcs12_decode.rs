//! NCA key files (PKCS#12 `.p12`) decoded in Rust, for RSA and GOST keys alike (issue 10,
//! OpenSSL cannot parse the PrivateKeyInfo of NCA's GOST keys, so the bags are
//! decrypted here with RustCrypto primitives: the PKCS#12 KDF (`pkcs12`), 3DES/RC2-CBC
//! (`des`, `rc2`, `cbc`) for the legacy PKCS#12 PBE that NCA's files use
//! (`pbeWithSHAAnd3-KeyTripleDES-CBC` for the key, `pbeWithSHAAnd40BitRC2-CBC` for the
//! certificates, SHA-1 MAC, 1024 iterations), and PBES2 (`pkcs5`: PBKDF2 + AES/3DES) for
//! files written by newer tools. NCA's files are BER with indefinite lengths; `der` reads
//! them in BER mode.
//!
//! Pure: bytes and a password in, the key and certificates out. The password never appears
//! in an error, and every decrypted buffer holding key material is zeroized.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, InnerIvInit, KeyIvInit};
use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use hmac::Mac;
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attributes;
use zeroize::Zeroizing;

use crate::Error;

/// The key algorithm of a decoded key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFileAlgorithm {
    /// RSA (`1.2.840.113549.1.1.1`): NCA's `RSA_*.p12` / `AUTH_RSA*.p12`.
    Rsa,
    /// GOST 34.10-2015 256-bit (`1.2.398.3.10.1.1.2.1`).
    Gost2015Bits256,
    /// GOST 34.10-2015 512-bit (`1.2.398.3.10.1.1.2.2`): NCA's default `GOST512_*.p12`.
    Gost2015Bits512,
}

/// What an NCA key file holds. GOST 34.310-2004 files are refused
/// ([`Error::KeyFileGost2004`]), never decoded into this.
pub struct DecodedKeyFile {
    /// The PrivateKeyInfo (PKCS#8) DER of the file's key, zeroized on drop. For GOST, read
    /// it with `gost::SigningKey::from_pkcs8_der`.
    pub private_key: Zeroizing<Vec<u8>>,
    /// The key's algorithm, from the PrivateKeyInfo.
    pub algorithm: KeyFileAlgorithm,
    /// The certificates (DER): the key's own first (matched by `localKeyId`), then any
    /// others in the file's order.
    pub certificates: Vec<Vec<u8>>,
}

impl std::fmt::Debug for DecodedKeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedKeyFile")
            .field("algorithm", &self.algorithm)
            .field("certificates", &self.certificates.len())
            .finish_non_exhaustive()
    }
}

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const ID_LOCAL_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.21");
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";

const KEY_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.1");
const SHROUDED_KEY_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
const CERT_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
const SAFE_CONTENTS_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.6");
const X509_CERTIFICATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");
const PBE_SHA1_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
const PBE_SHA1_2DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.4");
const PBE_SHA1_RC2_128: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.5");
const PBE_SHA1_RC2_40: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.6");

// RFC 7292's structures (the ones CMS does not define), read in BER mode.

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`
#[derive(Sequence)]
struct Pfx {
    version: u8,
    auth_safe: ContentInfo,
    mac_data: Option<MacData>,
}

/// `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`
#[derive(Sequence)]
struct MacData {
    mac: DigestInfo,
    mac_salt: OctetString,
    #[asn1(default = "one")]
    iterations: i32,
}

fn one() -> i32 {
    1
}

/// `DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier, digest OCTET STRING }`
#[derive(Sequence)]
struct DigestInfo {
    algorithm: AlgorithmIdentifierOwned,
    digest: OctetString,
}

/// `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF … OPTIONAL }`
#[derive(Sequence)]
struct SafeBag {
    bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    bag_value: Any,
    bag_attributes: Option<Attributes>,
}

/// `CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING }`
#[derive(Sequence)]
struct CertBag {
    cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    cert_value: OctetString,
}

/// `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }`
#[derive(Sequence)]
struct EncryptedPrivateKeyInfo {
    encryption_algorithm: AlgorithmIdentifierOwned,
    encrypted_data: OctetString,
}

/// `pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`
#[derive(Sequence)]
struct Pkcs12PbeParams {
    salt: OctetString,
    iterations: i32,
}

/// Decodes an NCA key file: checks its MAC with `password`, decrypts its bags and returns
/// the key's PrivateKeyInfo, algorithm and certificates.
///
/// Errors: [`Error::PasswordIncorrect`] (the MAC or, without one, the decryption fails),
/// [`Error::KeyFileInvalid`] (not PKCS#12, truncated, no key), [`Error::KeyFileUnsupported`]
/// (an encryption or key algorithm this build cannot read), [`Error::KeyFileGost2004`]
/// (a GOST 34.310-2004 key, retired by NCA).
pub fn decode_pkcs12(der: &[u8], password: &Zeroizing<String>) -> Result<DecodedKeyFile, Error> {
    let pfx = Pfx::from_ber(der).map_err(|e| invalid(format!("not a PKCS#12 file: {e}")))?;
    if pfx.version != 3 {
        return Err(invalid(format!("PKCS#12 version {}", pfx.version)));
    }
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(unsupported(format!(
            "authenticated safe of type {} (only password integrity is supported)",
            pfx.auth_safe.content_type
        )));
    }
    let auth_safe = octets_of(&pfx.auth_safe.content)?;
    let mac_checked = match &pfx.mac_data {
        Some(mac) => {
            verify_mac(mac, &auth_safe, password)?;
            true
        }
        None => false,
    };
    // A failure to decrypt after a good MAC is a broken file; without a MAC it is most
    // likely the password.
    let decrypt_error = |detail: String| {
        if mac_checked {
            invalid(detail)
        } else {
            Error::PasswordIncorrect
        }
    };

    let contents = Vec::<ContentInfo>::from_ber(&auth_safe)
        .map_err(|e| invalid(format!("authenticated safe: {e}")))?;
    let mut keys: KeyList = Vec::new();
    let mut certificates: CertList = Vec::new();
    for info in contents {
        let bags_der: Zeroizing<Vec<u8>> = if info.content_type == ID_DATA {
            Zeroizing::new(octets_of(&info.content)?)
        } else if info.content_type == ID_ENCRYPTED_DATA {
            let data = EncryptedData::from_ber(&to_der(&info.content)?)
                .map_err(|e| invalid(format!("encrypted data: {e}")))?;
            let enc = data.enc_content_info;
            let ciphertext = enc
                .encrypted_content
                .ok_or_else(|| invalid("encrypted data without content".into()))?;
            decrypt(&enc.content_enc_alg, ciphertext.as_bytes(), password)
                .map_err(|e| e.or_else_with(&decrypt_error))?
        } else {
            return Err(unsupported(format!(
                "content of type {} (public-key protected bags)",
                info.content_type
            )));
        };
        let bags = Vec::<SafeBag>::from_ber(&bags_der)
            .map_err(|e| decrypt_error(format!("safe contents: {e}")))?;
        for bag in bags {
            collect_bag(bag, password, &decrypt_error, &mut keys, &mut certificates)?;
        }
    }

    let Some((private_key, key_id)) = keys.into_iter().next() else {
        return Err(invalid("the file holds no private key".into()));
    };
    let algorithm = algorithm_of(&private_key)?;
    // The key's own certificate first.
    let mut ordered: Vec<Vec<u8>> = Vec::with_capacity(certificates.len());
    if let Some(i) = key_id.as_ref().and_then(|id| {
        certificates
            .iter()
            .position(|(_, cid)| cid.as_ref() == Some(id))
    }) {
        ordered.push(certificates.remove(i).0);
    }
    ordered.extend(certificates.into_iter().map(|(der, _)| der));
    Ok(DecodedKeyFile {
        private_key,
        algorithm,
        certificates: ordered,
    })
}

type KeyList = Vec<(Zeroizing<Vec<u8>>, Option<Vec<u8>>)>;
type CertList = Vec<(Vec<u8>, Option<Vec<u8>>)>;

fn collect_bag(
    bag: SafeBag,
    password: &Zeroizing<String>,
    decrypt_error: &dyn Fn(String) -> Error,
    keys: &mut KeyList,
    certificates: &mut CertList,
) -> Result<(), Error> {
    let key_id = local_key_id(&bag);
    // bagValue is `[0] EXPLICIT`; what is inside depends on the bag type.
    let value = Zeroizing::new(
        bag.bag_value
            .to_der()
            .map_err(|e| invalid(format!("bag value: {e}")))?,
    );
    if bag.bag_id == KEY_BAG {
        keys.push((value, key_id));
    } else if bag.bag_id == SHROUDED_KEY_BAG {
        let encrypted = EncryptedPrivateKeyInfo::from_ber(&value)
            .map_err(|e| invalid(format!("shrouded key bag: {e}")))?;
        let key = decrypt(
            &encrypted.encryption_algorithm,
            encrypted.encrypted_data.as_bytes(),
            password,
        )
        .map_err(|e| e.or_else_with(decrypt_error))?;
        // Re-encode as DER: the PrivateKeyInfo callers parse is DER.
        let key = reencode_private_key(&key)?;
        keys.push((key, key_id));
    } else if bag.bag_id == CERT_BAG {
        let cert = CertBag::from_ber(&value).map_err(|e| invalid(format!("cert bag: {e}")))?;
        if cert.cert_id == X509_CERTIFICATE {
            certificates.push((cert.cert_value.as_bytes().to_vec(), key_id));
        }
    } else if bag.bag_id == SAFE_CONTENTS_BAG {
        let nested =
            Vec::<SafeBag>::from_ber(&value).map_err(|e| invalid(format!("nested bags: {e}")))?;
        for inner in nested {
            collect_bag(inner, password, decrypt_error, keys, certificates)?;
        }
    }
    // CRL and secret bags carry nothing a signer needs.
    Ok(())
}

/// A PrivateKeyInfo as DER (a BER one is re-encoded), zeroized.
fn reencode_private_key(key: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    if pkcs8::PrivateKeyInfoRef::from_der(key).is_ok() {
        return Ok(Zeroizing::new(key.to_vec()));
    }
    let info = pkcs8::PrivateKeyInfoOwned::from_ber(key)
        .map_err(|e| invalid(format!("private key: {e}")))?;
    Ok(Zeroizing::new(
        info.to_der()
            .map_err(|e| invalid(format!("private key: {e}")))?,
    ))
}

fn local_key_id(bag: &SafeBag) -> Option<Vec<u8>> {
    let attributes = bag.bag_attributes.as_ref()?;
    let attribute = attributes.iter().find(|a| a.oid == ID_LOCAL_KEY_ID)?;
    let value = attribute.values.iter().next()?;
    value.to_der().ok()
}

fn algorithm_of(private_key: &[u8]) -> Result<KeyFileAlgorithm, Error> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(private_key)
        .map_err(|e| invalid(format!("private key: {e}")))?;
    let oid = info.algorithm.oid.to_string();
    if oid == RSA_ENCRYPTION {
        return Ok(KeyFileAlgorithm::Rsa);
    }
    match gost::ParamSet::from_public_key_oid(&oid) {
        Ok(set) => Ok(match set.size() {
            gost::KeySize::Bits256 => KeyFileAlgorithm::Gost2015Bits256,
            gost::KeySize::Bits512 => KeyFileAlgorithm::Gost2015Bits512,
        }),
        Err(gost::Error::Retired2004) => Err(Error::KeyFileGost2004),
        Err(_) => Err(unsupported(format!("key algorithm {oid}"))),
    }
}

/// The MAC over the authenticated safe (RFC 7292 §5: PKCS#12 KDF with ID 3, HMAC).
fn verify_mac(mac: &MacData, data: &[u8], password: &Zeroizing<String>) -> Result<(), Error> {
    let salt = mac.mac_salt.as_bytes();
    let rounds = checked_rounds(mac.iterations).map_err(|e| e.or_else_with(&invalid))?;
    let expected = mac.mac.digest.as_bytes();
    let algorithm = &mac.mac.algorithm.oid;
    let ok = if *algorithm == ID_SHA1 {
        let key = Zeroizing::new(
            derive_key_utf8::<sha1::Sha1>(password, salt, Pkcs12KeyType::Mac, rounds, 20)
                .map_err(|e| invalid(format!("password: {e}")))?,
        );
        let mut hmac = hmac::Hmac::<sha1::Sha1>::new_from_slice(&key)
            .map_err(|_| invalid("MAC key".into()))?;
        hmac.update(data);
        hmac.verify_slice(expected).is_ok()
    } else if *algorithm == ID_SHA256 {
        let key = Zeroizing::new(
            derive_key_utf8::<sha2::Sha256>(password, salt, Pkcs12KeyType::Mac, rounds, 32)
                .map_err(|e| invalid(format!("password: {e}")))?,
        );
        let mut hmac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key)
            .map_err(|_| invalid("MAC key".into()))?;
        hmac.update(data);
        hmac.verify_slice(expected).is_ok()
    } else {
        return Err(unsupported(format!("MAC digest {algorithm}")));
    };
    if ok {
        Ok(())
    } else {
        Err(Error::PasswordIncorrect)
    }
}

/// A decryption failure: the file is unsupported, or the bytes did not decrypt (which the
/// caller turns into "wrong password" or "broken file").
enum DecryptError {
    Unsupported(String),
    Failed(String),
}

impl DecryptError {
    fn or_else_with(self, failed: &dyn Fn(String) -> Error) -> Error {
        match self {
            DecryptError::Unsupported(detail) => unsupported(detail),
            DecryptError::Failed(detail) => failed(detail),
        }
    }
}

/// Decrypts with a PKCS#12 PBE (3DES, RC2) or a PBES2 scheme.
fn decrypt(
    algorithm: &AlgorithmIdentifierOwned,
    ciphertext: &[u8],
    password: &Zeroizing<String>,
) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    let failed = |what: &str| DecryptError::Failed(format!("{what} did not decrypt"));
    if algorithm.oid == ID_PBES2 {
        let der = algorithm
            .to_der()
            .map_err(|e| DecryptError::Failed(e.to_string()))?;
        let scheme = pkcs5::EncryptionScheme::try_from(der.as_slice())
            .map_err(|e| DecryptError::Unsupported(format!("PBES2 parameters: {e}")))?;
        return scheme
            .decrypt(password.as_bytes(), ciphertext)
            .map(Zeroizing::new)
            .map_err(|_| failed("PBES2 content"));
    }
    let params = algorithm
        .parameters
        .as_ref()
        .ok_or_else(|| DecryptError::Failed("PBE without parameters".into()))?
        .decode_as::<Pkcs12PbeParams>()
        .map_err(|e| DecryptError::Failed(format!("PBE parameters: {e}")))?;
    let salt = params.salt.as_bytes();
    let rounds = checked_rounds(params.iterations)?;
    let derive = |id, len| {
        derive_key_utf8::<sha1::Sha1>(password, salt, id, rounds, len)
            .map(Zeroizing::new)
            .map_err(|e| DecryptError::Failed(format!("password: {e}")))
    };
    let oid = algorithm.oid;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let len = if oid == PBE_SHA1_3DES {
        let (key, iv) = (
            derive(Pkcs12KeyType::EncryptionKey, 24)?,
            derive(Pkcs12KeyType::Iv, 8)?,
        );
        cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .map_err(|_| failed("3DES key"))?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(|_| failed("3DES content"))?
            .len()
    } else if oid == PBE_SHA1_2DES {
        let (key, iv) = (
            derive(Pkcs12KeyType::EncryptionKey, 16)?,
            derive(Pkcs12KeyType::Iv, 8)?,
        );
        cbc::Decryptor::<des::TdesEde2>::new_from_slices(&key, &iv)
            .map_err(|_| failed("2-key 3DES key"))?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(|_| failed("2-key 3DES content"))?
            .len()
    } else if oid == PBE_SHA1_RC2_40 || oid == PBE_SHA1_RC2_128 {
        let len = if oid == PBE_SHA1_RC2_40 { 5 } else { 16 };
        let (key, iv) = (
            derive(Pkcs12KeyType::EncryptionKey, len)?,
            derive(Pkcs12KeyType::Iv, 8)?,
        );
        let cipher = rc2::Rc2::new_with_eff_key_len(&key, len * 8);
        cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, &iv)
            .map_err(|_| failed("RC2 IV"))?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .map_err(|_| failed("RC2 content"))?
            .len()
    } else {
        return Err(DecryptError::Unsupported(format!("encryption {oid}")));
    };
    buf.truncate(len);
    Ok(buf)
}

/// Iteration counts NCA and common tools write are in the thousands; a file asking for more
/// than this is refused rather than left to hang the window.
const MAX_ROUNDS: i32 = 10_000_000;

fn checked_rounds(rounds: i32) -> Result<i32, DecryptError> {
    if (1..=MAX_ROUNDS).contains(&rounds) {
        Ok(rounds)
    } else {
        Err(DecryptError::Unsupported(format!(
            "{rounds} key derivation iterations (1 to {MAX_ROUNDS} are read)"
        )))
    }
}

/// The bytes of an OCTET STRING held in a ContentInfo's `content` (BER allowed).
fn octets_of(content: &Any) -> Result<Vec<u8>, Error> {
    let der = to_der(content)?;
    Ok(OctetString::from_ber(&der)
        .map_err(|e| invalid(format!("content: {e}")))?
        .into_bytes()
        .into())
}

fn to_der(any: &Any) -> Result<Vec<u8>, Error> {
    any.to_der().map_err(|e| invalid(format!("content: {e}")))
}

fn invalid(detail: String) -> Error {
    Error::KeyFileInvalid { detail }
}

fn unsupported(detail: String) -> Error {
    Error::KeyFileUnsupported { detail }
}
