//! Checking a signature under a certificate's public key, whatever signs: RSA (OpenSSL)
//! or GOST 34.10-2015 (the `gost` crate). One place for CMS signer infos, certificates,
//! CRLs and OCSP responses (issue 10).

use der::{Decode, Encode};
use openssl::hash::MessageDigest;
use x509_cert::Certificate;

use crate::algorithm::{
    OID_GOST2004_SIGNATURE, OID_GOST2015_256_SIGNATURE, OID_GOST2015_512_SIGNATURE,
    OID_SHA1_WITH_RSA, OID_SHA256_WITH_RSA, OID_SHA384_WITH_RSA, OID_SHA512_WITH_RSA,
};
use crate::{Error, SignatureAlgorithm};

/// What a signature is made with: a digest and a public-key algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignedWith {
    Rsa(RsaDigest),
    Gost2015 { bits: u16 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RsaDigest {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl SignedWith {
    /// The algorithm named by a certificate's, CRL's or OCSP response's `signatureAlgorithm`.
    pub(crate) fn from_oid(oid: &str) -> Result<SignedWith, Error> {
        Ok(match oid {
            OID_SHA256_WITH_RSA => SignedWith::Rsa(RsaDigest::Sha256),
            OID_SHA384_WITH_RSA => SignedWith::Rsa(RsaDigest::Sha384),
            OID_SHA512_WITH_RSA => SignedWith::Rsa(RsaDigest::Sha512),
            OID_SHA1_WITH_RSA => SignedWith::Rsa(RsaDigest::Sha1),
            OID_GOST2015_512_SIGNATURE => SignedWith::Gost2015 { bits: 512 },
            OID_GOST2015_256_SIGNATURE => SignedWith::Gost2015 { bits: 256 },
            OID_GOST2004_SIGNATURE => return Err(Error::Gost2004Retired),
            other => {
                return Err(Error::SignatureUnsupported {
                    detail: format!("signature algorithm {other}"),
                });
            }
        })
    }

    pub(crate) fn from_cms(alg: SignatureAlgorithm) -> SignedWith {
        match alg {
            SignatureAlgorithm::RsaSha256 => SignedWith::Rsa(RsaDigest::Sha256),
            SignatureAlgorithm::Gost2015_256 => SignedWith::Gost2015 { bits: 256 },
            SignatureAlgorithm::Gost2015_512 => SignedWith::Gost2015 { bits: 512 },
        }
    }
}

/// The DER SubjectPublicKeyInfo of a DER certificate.
pub(crate) fn spki_of(cert_der: &[u8]) -> Result<Vec<u8>, Error> {
    let cert = Certificate::from_der(cert_der).map_err(|e| Error::CertificateInvalid {
        detail: e.to_string(),
    })?;
    cert.tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| Error::CertificateInvalid {
            detail: e.to_string(),
        })
}

/// Whether `signature` over `message` verifies under the key `spki_der`. `Ok(false)` for a
/// wrong signature; an error for a key or algorithm that cannot be checked here.
pub(crate) fn verify(
    spki_der: &[u8],
    with: SignedWith,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, Error> {
    match with {
        SignedWith::Rsa(digest) => {
            let unsupported = |e: openssl::error::ErrorStack| Error::SignatureUnsupported {
                detail: e.to_string(),
            };
            let key = openssl::pkey::PKey::public_key_from_der(spki_der).map_err(unsupported)?;
            if key.id() != openssl::pkey::Id::RSA {
                return Ok(false);
            }
            let md = match digest {
                RsaDigest::Sha1 => MessageDigest::sha1(),
                RsaDigest::Sha256 => MessageDigest::sha256(),
                RsaDigest::Sha384 => MessageDigest::sha384(),
                RsaDigest::Sha512 => MessageDigest::sha512(),
            };
            let mut verifier = openssl::sign::Verifier::new(md, &key).map_err(unsupported)?;
            verifier.update(message).map_err(unsupported)?;
            Ok(verifier.verify(signature).unwrap_or(false))
        }
        SignedWith::Gost2015 { bits } => {
            crate::gost_keys::verify(spki_der, bits, message, signature)
        }
    }
}
