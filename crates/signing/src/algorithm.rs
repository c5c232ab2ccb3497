//! Key and signature algorithms as NCA (the National Certification Authority of
//! Kazakhstan) issues and writes them: RSA and GOST 34.10-2015 (256 and 512 bit) sign; GOST
//! 34.310-2004 is recognised and refused as retired (issue 10).

use der::asn1::ObjectIdentifier;

use crate::Error;

pub(crate) const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
/// NCA's GOST 34.10-2015 public keys: 512 and 256 bit (TC26 curves).
pub(crate) const OID_GOST2015_512_KEY: &str = "1.2.398.3.10.1.1.2.2";
pub(crate) const OID_GOST2015_256_KEY: &str = "1.2.398.3.10.1.1.2.1";
/// GOST 34.10-2015 signatures with GOST 34.11-2015 (Streebog) as NCA's software writes
/// them in certificates and CMS (`signatureAlgorithm`).
pub(crate) const OID_GOST2015_512_SIGNATURE: &str = "1.2.398.3.10.1.1.2.3.2";
pub(crate) const OID_GOST2015_256_SIGNATURE: &str = "1.2.398.3.10.1.1.2.3.1";
/// GOST 34.11-2015 (Streebog) digests in CMS `digestAlgorithm` (with NULL parameters).
pub(crate) const OID_STREEBOG_512: &str = "1.2.398.3.10.1.3.3";
pub(crate) const OID_STREEBOG_256: &str = "1.2.398.3.10.1.3.2";
/// The retired GOST 34.310-2004 key and its signature (GOST 34.311-95 digest).
pub(crate) const OID_GOST2004_KEY: &str = "1.2.398.3.10.1.1.1.1";
pub(crate) const OID_GOST2004_SIGNATURE: &str = "1.2.398.3.10.1.1.1.2";
pub(crate) const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
pub(crate) const OID_SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";
pub(crate) const OID_SHA1_WITH_RSA: &str = "1.2.840.113549.1.1.5";
pub(crate) const OID_SHA384_WITH_RSA: &str = "1.2.840.113549.1.1.12";
pub(crate) const OID_SHA512_WITH_RSA: &str = "1.2.840.113549.1.1.13";

/// The public-key algorithm of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAlgorithm {
    Rsa {
        bits: u32,
    },
    /// GOST 34.10-2015 on NCA's curves (`1.2.398.3.10.1.1.2.2` 512, `.2.1` 256): signs.
    Gost2015 {
        bits: u16,
    },
    /// GOST 34.310-2004 (`1.2.398.3.10.1.1.1.1`): retired by NCA, refused with that reason.
    Gost2004,
    /// Another GOST key (Russian GOST R 34.10 on a token, an unknown Kazakh arc): recognised
    /// and refused.
    GostOther {
        oid: String,
    },
    Other {
        oid: String,
    },
}

impl KeyAlgorithm {
    /// Reads the algorithm of a SubjectPublicKeyInfo; `rsa_bits` gives the modulus size.
    pub(crate) fn from_oid(oid: &str, rsa_bits: impl FnOnce() -> Option<u32>) -> KeyAlgorithm {
        match oid {
            OID_RSA_ENCRYPTION => match rsa_bits() {
                Some(bits) => KeyAlgorithm::Rsa { bits },
                None => KeyAlgorithm::Other { oid: oid.into() },
            },
            OID_GOST2015_512_KEY | OID_GOST2015_512_SIGNATURE => {
                KeyAlgorithm::Gost2015 { bits: 512 }
            }
            OID_GOST2015_256_KEY | OID_GOST2015_256_SIGNATURE => {
                KeyAlgorithm::Gost2015 { bits: 256 }
            }
            OID_GOST2004_KEY | OID_GOST2004_SIGNATURE => KeyAlgorithm::Gost2004,
            o if is_gost(o) => KeyAlgorithm::GostOther { oid: o.into() },
            o => KeyAlgorithm::Other { oid: o.into() },
        }
    }

    /// As `qabyldau cert check` and the signing dialog show it: `RSA-2048`,
    /// `GOST 34.10-2015 512`, `GOST 34.310-2004 (retired)`.
    pub fn name(&self) -> String {
        match self {
            KeyAlgorithm::Rsa { bits } => format!("RSA-{bits}"),
            KeyAlgorithm::Gost2015 { bits } => format!("GOST 34.10-2015 {bits}"),
            KeyAlgorithm::Gost2004 => "GOST 34.310-2004 (retired)".into(),
            KeyAlgorithm::GostOther { oid } => format!("GOST ({oid}, not supported)"),
            KeyAlgorithm::Other { oid } => format!("unsupported ({oid})"),
        }
    }

    /// The short family the window shows beside a key: `RSA` or `GOST 2015`.
    pub fn family(&self) -> &'static str {
        match self {
            KeyAlgorithm::Rsa { .. } => "RSA",
            KeyAlgorithm::Gost2015 { .. } => "GOST 2015",
            KeyAlgorithm::Gost2004 => "GOST 2004",
            KeyAlgorithm::GostOther { .. } => "GOST",
            KeyAlgorithm::Other { .. } => "other",
        }
    }
}

/// Prefixes of GOST public-key algorithm OIDs: Kazakh (`1.2.398.3.10.1.1.*`, NCA) and
/// Russian GOST R 34.10-2001/2012 (`1.2.643.2.2.19/20`, `1.2.643.7.1.1.1.*`).
pub(crate) fn is_gost(oid: &str) -> bool {
    [
        "1.2.398.3.10.1.1.",
        "1.2.643.7.1.1.1.",
        "1.2.643.7.1.1.3.",
        "1.2.643.2.2.19",
        "1.2.643.2.2.20",
        "1.2.643.2.2.3",
    ]
    .iter()
    .any(|p| oid.starts_with(p))
}

/// How a CMS signer signs: the digest and signature algorithm pair NCA's software writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum SignatureAlgorithm {
    /// SHA-256, RSA PKCS#1 v1.5.
    RsaSha256,
    /// GOST 34.11-2015 256 (Streebog-256), GOST 34.10-2015 256.
    Gost2015_256,
    /// GOST 34.11-2015 512 (Streebog-512), GOST 34.10-2015 512 — NCA's default for new keys.
    Gost2015_512,
}

impl SignatureAlgorithm {
    /// The algorithm a key of `key` signs with; refuses the retired and unknown ones.
    pub fn for_key(key: &KeyAlgorithm) -> Result<SignatureAlgorithm, Error> {
        match key {
            KeyAlgorithm::Rsa { .. } => Ok(SignatureAlgorithm::RsaSha256),
            KeyAlgorithm::Gost2015 { bits: 512 } => Ok(SignatureAlgorithm::Gost2015_512),
            KeyAlgorithm::Gost2015 { .. } => Ok(SignatureAlgorithm::Gost2015_256),
            KeyAlgorithm::Gost2004 => Err(Error::Gost2004Retired),
            KeyAlgorithm::GostOther { oid } | KeyAlgorithm::Other { oid } => {
                Err(Error::KeyAlgorithmUnsupported { oid: oid.clone() })
            }
        }
    }

    pub(crate) fn digest_oid(self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(match self {
            SignatureAlgorithm::RsaSha256 => OID_SHA256,
            SignatureAlgorithm::Gost2015_256 => OID_STREEBOG_256,
            SignatureAlgorithm::Gost2015_512 => OID_STREEBOG_512,
        })
    }

    /// `signatureAlgorithm` of the SignerInfo: `rsaEncryption` for RSA (what `openssl cms`
    /// and NCALayer accept), NCA's GOST signature OIDs for GOST.
    pub(crate) fn signature_oid(self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(match self {
            SignatureAlgorithm::RsaSha256 => OID_RSA_ENCRYPTION,
            SignatureAlgorithm::Gost2015_256 => OID_GOST2015_256_SIGNATURE,
            SignatureAlgorithm::Gost2015_512 => OID_GOST2015_512_SIGNATURE,
        })
    }

    /// NCA writes NULL parameters beside its GOST digest OIDs; SHA-256 goes without.
    pub(crate) fn digest_has_null(self) -> bool {
        !matches!(self, SignatureAlgorithm::RsaSha256)
    }

    /// The message digest of `content` for the messageDigest attribute.
    pub fn digest(self, content: &[u8]) -> Result<Vec<u8>, Error> {
        match self {
            SignatureAlgorithm::RsaSha256 => Ok(openssl::sha::sha256(content).to_vec()),
            SignatureAlgorithm::Gost2015_256 => crate::gost_keys::streebog(256, content),
            SignatureAlgorithm::Gost2015_512 => crate::gost_keys::streebog(512, content),
        }
    }

    /// Which algorithm a SignerInfo's `digestAlgorithm` and `signatureAlgorithm` name.
    pub(crate) fn from_signer_oids(digest: &str, signature: &str) -> Result<Self, Error> {
        let unsupported = |d: String| Error::SignatureUnsupported { detail: d };
        match (digest, signature) {
            (OID_SHA256, OID_RSA_ENCRYPTION | OID_SHA256_WITH_RSA) => {
                Ok(SignatureAlgorithm::RsaSha256)
            }
            (OID_STREEBOG_512, OID_GOST2015_512_SIGNATURE) => Ok(SignatureAlgorithm::Gost2015_512),
            (OID_STREEBOG_256, OID_GOST2015_256_SIGNATURE) => Ok(SignatureAlgorithm::Gost2015_256),
            (_, OID_GOST2004_SIGNATURE) => Err(Error::Gost2004Retired),
            (d, s) => Err(unsupported(format!(
                "digest {d} with signature algorithm {s}"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::RsaSha256 => "RSA with SHA-256",
            SignatureAlgorithm::Gost2015_256 => "GOST 34.10-2015 256 with GOST 34.11-2015 256",
            SignatureAlgorithm::Gost2015_512 => "GOST 34.10-2015 512 with GOST 34.11-2015 512",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_map_to_nca_algorithms_and_names() {
        let rsa = || Some(2048);
        for (oid, name) in [
            ("1.2.840.113549.1.1.1", "RSA-2048"),
            ("1.2.398.3.10.1.1.2.2", "GOST 34.10-2015 512"),
            ("1.2.398.3.10.1.1.2.1", "GOST 34.10-2015 256"),
            ("1.2.398.3.10.1.1.1.1", "GOST 34.310-2004 (retired)"),
            (
                "1.2.643.7.1.1.1.2",
                "GOST (1.2.643.7.1.1.1.2, not supported)",
            ),
            ("1.2.840.10045.2.1", "unsupported (1.2.840.10045.2.1)"),
        ] {
            assert_eq!(KeyAlgorithm::from_oid(oid, rsa).name(), name, "{oid}");
        }
        assert_eq!(
            SignatureAlgorithm::for_key(&KeyAlgorithm::Gost2004).unwrap_err(),
            Error::Gost2004Retired
        );
        assert_eq!(
            SignatureAlgorithm::from_signer_oids(OID_STREEBOG_512, OID_GOST2015_512_SIGNATURE)
                .unwrap(),
            SignatureAlgorithm::Gost2015_512
        );
    }
}
