//! Detached CMS SignedData (RFC 5652) as NCA's software writes it: RSA (SHA-256, PKCS#1
//! v1.5) or GOST 34.10-2015 (GOST 34.11-2015 digest), signed attributes content-type,
//! signing-time and message-digest, the signer's certificate included, signer identified by
//! issuer and serial number. RSA signatures are what `openssl cms -verify` accepts.

use cms::cert::IssuerAndSerialNumber;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, GeneralizedTime, ObjectIdentifier, OctetString, SetOfVec, UtcTime};
use der::{Decode, Encode, Tagged};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::spki::AlgorithmIdentifierOwned;

use crate::public_key::{self, SignedWith};
use crate::raw_der::children;
use crate::{CertificateFacts, Error, SignatureAlgorithm, Signer, chain};

const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const OID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const OID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const OID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const OID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");

/// One SignerInfo that verified: its certificate (read and DER), signing time, algorithm
/// and identifier.
type VerifiedSigner = (
    CertificateFacts,
    Vec<u8>,
    Option<OffsetDateTime>,
    SignatureAlgorithm,
    SignerIdentifier,
);

/// A signature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSignature {
    /// The signer's certificate, read.
    pub signer: CertificateFacts,
    /// The signing-time signed attribute (the signer's claim), when present.
    pub signing_time: Option<OffsetDateTime>,
    /// The signer's algorithm.
    pub algorithm: SignatureAlgorithm,
    /// The other certificates the signature carries (intermediates, maybe), DER.
    pub certificates: Vec<Vec<u8>>,
    /// Whether the certificate was checked against CA certificates (`trust` was given).
    pub chain_checked: bool,
    /// The path to a trust anchor (leaf first) when it was checked.
    pub chain: Vec<CertificateFacts>,
    /// Further signers of the same content, each verified (their chains are not checked).
    pub other_signers: Vec<CertificateFacts>,
}

fn build_error(e: impl std::fmt::Display) -> Error {
    Error::SigningFailed {
        detail: e.to_string(),
    }
}

/// Makes a detached CMS SignedData (DER) over `content` with `signer`.
pub fn sign_detached<S: Signer + ?Sized>(
    signer: &S,
    content: &[u8],
    signing_time: OffsetDateTime,
) -> Result<Vec<u8>, Error> {
    let facts = signer.certificate();
    let cert = Certificate::from_der(&facts.der).map_err(|e| Error::CertificateInvalid {
        detail: e.to_string(),
    })?;
    let algorithm = signer.algorithm()?;
    let digest = algorithm.digest(content)?;

    let signed_attrs = SetOfVec::try_from(vec![
        attribute(
            OID_CONTENT_TYPE,
            Any::encode_from(&OID_DATA).map_err(build_error)?,
        ),
        attribute(OID_SIGNING_TIME, time_any(signing_time)?),
        attribute(
            OID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest).map_err(build_error)?)
                .map_err(build_error)?,
        ),
    ])
    .map_err(build_error)?;
    // RFC 5652 §5.4: the signature covers the DER of the attributes as a SET OF.
    let to_be_signed = signed_attrs.to_der().map_err(build_error)?;
    let signature = signer.sign_signed_attributes(&to_be_signed)?;

    // A key that does not belong to the certificate would make a signature nobody can
    // verify: refuse it here rather than send it.
    let spki = public_key::spki_of(&facts.der)?;
    if !public_key::verify(
        &spki,
        SignedWith::from_cms(algorithm),
        &to_be_signed,
        &signature,
    )? {
        return Err(Error::KeyCertificateMismatch);
    }

    let tbs = cert.tbs_certificate();
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: digest_algorithm(algorithm),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: algorithm.signature_oid(),
            parameters: Some(Any::null()),
        },
        signature: OctetString::new(signature).map_err(build_error)?,
        unsigned_attrs: None,
    };
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![digest_algorithm(algorithm)])
            .map_err(build_error)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: OID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(
            SetOfVec::try_from(vec![cms::cert::CertificateChoices::Certificate(
                cert.clone(),
            )])
            .map_err(build_error)?,
        )),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(build_error)?),
    };
    let content_info = ContentInfo {
        content_type: OID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(build_error)?,
    };
    content_info.to_der().map_err(build_error)
}

fn digest_algorithm(algorithm: SignatureAlgorithm) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: algorithm.digest_oid(),
        parameters: algorithm.digest_has_null().then(Any::null),
    }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Attribute {
    let mut values = SetOfVec::new();
    // A set with one element cannot be out of order.
    let _ = values.insert(value);
    Attribute { oid, values }
}

/// RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime otherwise.
fn time_any(t: OffsetDateTime) -> Result<Any, Error> {
    let since_epoch = std::time::Duration::from_secs(
        u64::try_from(t.unix_timestamp()).map_err(|_| build_error("signing time before 1970"))?,
    );
    if t.year() < 2050 {
        Any::encode_from(&UtcTime::from_unix_duration(since_epoch).map_err(build_error)?)
    } else {
        Any::encode_from(&GeneralizedTime::from_unix_duration(since_epoch).map_err(build_error)?)
    }
    .map_err(build_error)
}

/// Turns `-----BEGIN CMS-----` / `-----BEGIN PKCS7-----` PEM into DER; DER passes through.
pub fn signature_der(cms_der_or_pem: &[u8]) -> Result<Vec<u8>, Error> {
    if cms_der_or_pem.trim_ascii_start().starts_with(b"-----BEGIN") {
        let text = std::str::from_utf8(cms_der_or_pem).map_err(|e| Error::SignatureMalformed {
            detail: e.to_string(),
        })?;
        let (_label, der) = der::pem::decode_vec(text.trim().as_bytes()).map_err(|e| {
            Error::SignatureMalformed {
                detail: e.to_string(),
            }
        })?;
        Ok(der)
    } else {
        Ok(cms_der_or_pem.to_vec())
    }
}

/// Encodes a DER signature as PEM (`-----BEGIN CMS-----`, as `openssl cms -outform PEM`).
pub fn signature_pem(cms_der: &[u8]) -> Result<String, Error> {
    der::pem::encode_string("CMS", der::pem::LineEnding::LF, cms_der).map_err(build_error)
}

/// Verifies a detached CMS signature (DER or PEM) over `content`: the message digest, the
/// RSA or GOST signature over the signed attributes, and — when `trust` (DER CA
/// certificates) is given — the signer's certificate chain to one of them, valid at the
/// signing time (at its notBefore when the signature names no time).
pub fn verify_detached(
    content: &[u8],
    cms_der_or_pem: &[u8],
    trust: Option<&[Vec<u8>]>,
) -> Result<VerifiedSignature, Error> {
    verify_cms(content, cms_der_or_pem, trust, None)
}

/// [`verify_detached`] with the chain checked at `chain_at` (the verifier's clock, or
/// `--at`) instead of the signing time.
pub fn verify_cms(
    content: &[u8],
    cms_der_or_pem: &[u8],
    trust: Option<&[Vec<u8>]>,
    chain_at: Option<OffsetDateTime>,
) -> Result<VerifiedSignature, Error> {
    let malformed = |e: der::Error| Error::SignatureMalformed {
        detail: e.to_string(),
    };
    let unsupported = |d: &str| Error::SignatureUnsupported {
        detail: d.to_string(),
    };
    let der_bytes = signature_der(cms_der_or_pem)?;
    let content_info = ContentInfo::from_der(&der_bytes).map_err(malformed)?;
    if content_info.content_type != OID_SIGNED_DATA {
        return Err(Error::SignatureMalformed {
            detail: "not SignedData".into(),
        });
    }
    let signed_data: SignedData = content_info.content.decode_as().map_err(malformed)?;
    let raw_signers = raw_signer_infos(&der_bytes).ok_or_else(|| Error::SignatureMalformed {
        detail: "signer infos".into(),
    })?;
    if raw_signers.is_empty() {
        return Err(unsupported("no signer"));
    }
    if let Some(econtent) = &signed_data.encap_content_info.econtent {
        // An attached signature: the given content must be the one inside.
        let inner: OctetString = econtent.decode_as().map_err(malformed)?;
        if inner.as_bytes() != content {
            return Err(Error::SignatureContentMismatch);
        }
    }
    let certs: Vec<&Certificate> = signed_data
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    // Every signer must verify (NCA's documents may carry several); the first is the one
    // this signature is reported for.
    let mut verified: Vec<VerifiedSigner> = Vec::new();
    for raw in &raw_signers {
        let signer_info = SignerInfo::from_der(raw).map_err(malformed)?;
        let signer_info = &signer_info;
        let algorithm = SignatureAlgorithm::from_signer_oids(
            &signer_info.digest_alg.oid.to_string(),
            &signer_info.signature_algorithm.oid.to_string(),
        )?;
        let attrs = signer_info
            .signed_attrs
            .as_ref()
            .ok_or_else(|| unsupported("no signed attributes"))?;
        let single_value = |oid: ObjectIdentifier| -> Option<&Any> {
            attrs
                .iter()
                .find(|a| a.oid == oid)
                .and_then(|a| a.values.get(0))
        };
        let digest_any =
            single_value(OID_MESSAGE_DIGEST).ok_or_else(|| unsupported("no message digest"))?;
        let digest: OctetString = digest_any.decode_as().map_err(malformed)?;
        if digest.as_bytes() != algorithm.digest(content)?.as_slice() {
            return Err(Error::SignatureContentMismatch);
        }
        let signing_time = match single_value(OID_SIGNING_TIME) {
            Some(any) => Some(decode_time(any)?),
            None => None,
        };

        let signer_cert = certs
            .iter()
            .find(|c| identifies(&signer_info.sid, c))
            .ok_or_else(|| unsupported("the signer's certificate is not in the signature"))?;
        let signer_der = signer_cert.to_der().map_err(malformed)?;

        // The bytes the signer signed: the signed attributes exactly as sent, with the
        // IMPLICIT [0] tag replaced by SET (RFC 5652 §5.4). Taken from the input rather than
        // re-encoded, so that a producer that did not sort the set still verifies.
        let mut to_be_signed = raw_signed_attrs(raw).ok_or_else(|| Error::SignatureMalformed {
            detail: "signed attributes".into(),
        })?;
        to_be_signed[0] = 0x31;
        let facts = CertificateFacts::from_der(&signer_der)?;
        if !public_key::verify(
            &public_key::spki_of(&signer_der)?,
            SignedWith::from_cms(algorithm),
            &to_be_signed,
            signer_info.signature.as_bytes(),
        )? {
            return Err(Error::SignatureInvalid);
        }
        verified.push((
            facts,
            signer_der,
            signing_time,
            algorithm,
            signer_info.sid.clone(),
        ));
    }
    let (facts, signer_der, signing_time, algorithm, sid) = verified.swap_remove(0);
    let others: Vec<&Certificate> = certs
        .iter()
        .copied()
        .filter(|c| !identifies(&sid, c))
        .collect();
    let others = chain::to_der_all(&others);
    let other_signers = verified.into_iter().map(|v| v.0).collect();

    let chain = match trust {
        Some(cas) => {
            let at = chain_at.or(signing_time).unwrap_or(facts.not_before);
            chain::verify_chain(&signer_der, &others, cas, at).map_err(|e| match e {
                Error::CertificateUntrusted { detail } => Error::SignatureUntrusted { detail },
                e => e,
            })?
        }
        None => Vec::new(),
    };
    Ok(VerifiedSignature {
        signer: facts,
        signing_time,
        algorithm,
        certificates: others,
        chain_checked: trust.is_some(),
        chain,
        other_signers,
    })
}

fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            isn.issuer == *tbs.issuer() && isn.serial_number == *tbs.serial_number()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            matches!(
                tbs.get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>(),
                Ok(Some((_, own))) if own == *ski
            )
        }
    }
}

fn decode_time(any: &Any) -> Result<OffsetDateTime, Error> {
    let malformed = |e: der::Error| Error::SignatureMalformed {
        detail: e.to_string(),
    };
    let since_epoch = match any.tag() {
        der::Tag::UtcTime => any
            .decode_as::<UtcTime>()
            .map_err(malformed)?
            .to_unix_duration(),
        _ => any
            .decode_as::<GeneralizedTime>()
            .map_err(malformed)?
            .to_unix_duration(),
    };
    let secs = i64::try_from(since_epoch.as_secs()).map_err(|e| Error::SignatureMalformed {
        detail: e.to_string(),
    })?;
    OffsetDateTime::from_unix_timestamp(secs).map_err(|e| Error::SignatureMalformed {
        detail: e.to_string(),
    })
}

/// The SignerInfos of a ContentInfo { SignedData }, each as sent.
fn raw_signer_infos(content_info: &[u8]) -> Option<Vec<&[u8]>> {
    let ci = children(content_info)?;
    let explicit = ci.get(1)?;
    let signed_data = children(explicit)?.into_iter().next()?;
    let signer_infos = children(signed_data)?
        .into_iter()
        .rev()
        .find(|c| c[0] == 0x31)?;
    children(signer_infos)
}

/// The raw `[0] IMPLICIT SignedAttributes` TLV of a SignerInfo.
fn raw_signed_attrs(signer_info: &[u8]) -> Option<Vec<u8>> {
    let attrs = children(signer_info)?.into_iter().find(|c| c[0] == 0xA0)?;
    Some(attrs.to_vec())
}
