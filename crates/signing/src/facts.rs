//! What a certificate says about its owner, read the way NCA (the National Certification
//! Authority of Kazakhstan) writes it, and the rules for signing a decision with it.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Encode, Tag, Tagged};
use domain::Iin;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::KeyUsage;
use x509_cert::name::Name;

use crate::Error;

const OID_CN: &str = "2.5.4.3";
const OID_SURNAME: &str = "2.5.4.4";
const OID_SERIAL_NUMBER: &str = "2.5.4.5";
const OID_O: &str = "2.5.4.10";
const OID_OU: &str = "2.5.4.11";
const OID_GIVEN_NAME: &str = "2.5.4.42";
pub(crate) const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";

/// Prefixes of GOST public-key algorithm OIDs: Kazakh GOST 34.310-2004 / 34.10-2015
/// (`1.2.398.3.10.1.1.*`, NCA) and Russian GOST R 34.10-2001/2012 (`1.2.643.2.2.*`,
/// `1.2.643.7.1.1.1.*`), which some tokens also carry.
const GOST_PREFIXES: &[&str] = &[
    "1.2.398.3.10.1.1.",
    "1.2.643.7.1.1.1.",
    "1.2.643.2.2.19",
    "1.2.643.2.2.20",
];

/// What the key of a certificate may be used for, from its KeyUsage extension. NCA issues
/// two RSA certificates to a person: `RSA_*` (signing: digitalSignature + nonRepudiation)
/// and `AUTH_RSA_*` (authentication: digitalSignature + keyEncipherment, no nonRepudiation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPurpose {
    /// nonRepudiation (contentCommitment) is set: a key for legally binding signatures.
    Signing,
    /// digitalSignature without nonRepudiation: a log-in key.
    Authentication,
    /// No KeyUsage extension, or neither bit: not accepted for decisions.
    Other,
}

/// The public-key algorithm of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAlgorithm {
    Rsa {
        bits: u32,
    },
    /// GOST 34.10 (Kazakh or Russian); recognised and refused for now.
    Gost {
        oid: String,
    },
    Other {
        oid: String,
    },
}

/// Facts read from one X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    /// The certificate itself, DER.
    pub der: Vec<u8>,
    /// The subject as `CN=…, SURNAME=…, SERIALNUMBER=IIN…, C=KZ, G=…` in certificate order.
    pub subject: String,
    pub issuer: String,
    /// Serial number, upper-case hex.
    pub serial_hex: String,
    /// From `SERIALNUMBER=IIN<12 digits>`; `None` when the subject has no IIN (a CA, a server).
    pub owner_iin: Option<Iin>,
    pub common_name: Option<String>,
    pub surname: Option<String>,
    /// `G=` (givenName); NCA puts the patronymic here.
    pub given_name: Option<String>,
    /// `O=`, organisation certificates only.
    pub organisation: Option<String>,
    /// From `OU=BIN<12 digits>`, organisation certificates only.
    pub bin: Option<String>,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub key_purpose: KeyPurpose,
    pub key_algorithm: KeyAlgorithm,
}

impl CertificateFacts {
    /// Reads a DER certificate. Fails on bytes that are not a certificate, or on a subject
    /// whose `SERIALNUMBER=IIN…` is not a valid IIN.
    pub fn from_der(der: &[u8]) -> Result<CertificateFacts, Error> {
        let invalid = |e: der::Error| Error::CertificateInvalid {
            detail: e.to_string(),
        };
        let cert = Certificate::from_der(der).map_err(invalid)?;
        let tbs = cert.tbs_certificate();
        let subject = tbs.subject();
        let first = |oid: &str| name_value(subject, oid);

        let owner_iin = match first(OID_SERIAL_NUMBER) {
            Some(serial) => match serial.strip_prefix("IIN") {
                Some(digits) => {
                    Some(
                        Iin::parse(digits).map_err(|_| Error::CertificateIinInvalid {
                            got: serial.clone(),
                        })?,
                    )
                }
                None => None,
            },
            None => None,
        };
        let bin = all_values(subject, OID_OU).into_iter().find_map(|ou| {
            let digits = ou.strip_prefix("BIN")?;
            (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.to_string())
        });

        let validity = tbs.validity();
        let to_time = |t: x509_cert::time::Time| {
            let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
            OffsetDateTime::from_unix_timestamp(secs).map_err(|e| Error::CertificateInvalid {
                detail: e.to_string(),
            })
        };
        let not_before = to_time(validity.not_before)?;
        let not_after = to_time(validity.not_after)?;

        let key_purpose = match tbs.get_extension::<KeyUsage>().map_err(invalid)? {
            Some((_, ku)) if ku.non_repudiation() => KeyPurpose::Signing,
            Some((_, ku)) if ku.digital_signature() => KeyPurpose::Authentication,
            _ => KeyPurpose::Other,
        };

        let spki = tbs.subject_public_key_info();
        let oid = spki.algorithm.oid.to_string();
        let key_algorithm = if oid == OID_RSA_ENCRYPTION {
            let spki_der = spki.to_der().map_err(invalid)?;
            let bits = openssl::pkey::PKey::public_key_from_der(&spki_der)
                .map(|k| k.bits())
                .map_err(|e| Error::CertificateInvalid {
                    detail: e.to_string(),
                })?;
            KeyAlgorithm::Rsa { bits }
        } else if is_gost(&oid) {
            KeyAlgorithm::Gost { oid }
        } else {
            KeyAlgorithm::Other { oid }
        };

        Ok(CertificateFacts {
            der: der.to_vec(),
            subject: name_string(subject),
            issuer: name_string(tbs.issuer()),
            serial_hex: tbs
                .serial_number()
                .as_bytes()
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect(),
            owner_iin,
            common_name: first(OID_CN),
            surname: first(OID_SURNAME),
            given_name: first(OID_GIVEN_NAME),
            organisation: first(OID_O),
            bin,
            not_before,
            not_after,
            key_purpose,
            key_algorithm,
        })
    }

    /// Reads a PEM (`-----BEGIN CERTIFICATE-----`) or DER certificate.
    pub fn from_pem_or_der(bytes: &[u8]) -> Result<CertificateFacts, Error> {
        let der = certificates_from_pem_or_der(bytes)?
            .into_iter()
            .next()
            .ok_or_else(|| Error::CertificateInvalid {
                detail: "no certificate".into(),
            })?;
        CertificateFacts::from_der(&der)
    }
}

fn is_gost(oid: &str) -> bool {
    GOST_PREFIXES
        .iter()
        .any(|p| oid.starts_with(p) || oid == p.trim_end_matches('.'))
}

/// Refuses a certificate that must not sign anything: a GOST or other non-RSA key, a
/// validity period that does not contain `now`, an authentication-only key (`AUTH_RSA_*`).
/// A certificate without KeyUsage or without an IIN passes (a plain file signature);
/// decisions need [`check_for_decision`].
pub fn check_for_signing(facts: &CertificateFacts, now: OffsetDateTime) -> Result<(), Error> {
    match &facts.key_algorithm {
        KeyAlgorithm::Rsa { .. } => {}
        KeyAlgorithm::Gost { .. } => return Err(Error::GostNotSupported),
        KeyAlgorithm::Other { oid } => {
            return Err(Error::KeyAlgorithmUnsupported { oid: oid.clone() });
        }
    }
    if now < facts.not_before {
        return Err(Error::CertificateNotYetValid {
            not_before: facts.not_before,
        });
    }
    if now > facts.not_after {
        return Err(Error::CertificateExpired {
            not_after: facts.not_after,
        });
    }
    if facts.key_purpose == KeyPurpose::Authentication {
        return Err(Error::KeyNotForSigning);
    }
    Ok(())
}

/// Refuses a certificate that must not sign a decision, in this order: a
/// GOST key, a validity period that does not contain `now`, a key that is not a signing key
/// (nonRepudiation missing: `AUTH_RSA_*`, or no KeyUsage), a subject without an IIN, an IIN
/// that is not the signed-in clerk's.
pub fn check_for_decision(
    facts: &CertificateFacts,
    clerk_iin: &Iin,
    now: OffsetDateTime,
) -> Result<(), Error> {
    check_for_signing(facts, now)?;
    if facts.key_purpose != KeyPurpose::Signing {
        return Err(Error::KeyNotForSigning);
    }
    let owner = facts.owner_iin.as_ref().ok_or(Error::CertificateNoIin)?;
    if owner != clerk_iin {
        return Err(Error::IinMismatch {
            certificate: owner.to_string(),
            clerk: clerk_iin.to_string(),
        });
    }
    Ok(())
}

/// Splits PEM text into DER certificates, or returns DER input as the one certificate.
pub fn certificates_from_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    if !bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
        return Ok(vec![bytes.to_vec()]);
    }
    let certs =
        openssl::x509::X509::stack_from_pem(bytes).map_err(|e| Error::CertificateInvalid {
            detail: e.to_string(),
        })?;
    certs
        .iter()
        .map(|c| {
            c.to_der().map_err(|e| Error::CertificateInvalid {
                detail: e.to_string(),
            })
        })
        .collect()
}

fn short_name(oid: &ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        OID_CN => "CN".into(),
        OID_SURNAME => "SURNAME".into(),
        OID_SERIAL_NUMBER => "SERIALNUMBER".into(),
        "2.5.4.6" => "C".into(),
        "2.5.4.7" => "L".into(),
        "2.5.4.8" => "ST".into(),
        OID_O => "O".into(),
        OID_OU => "OU".into(),
        OID_GIVEN_NAME => "G".into(),
        "1.2.840.113549.1.9.1" => "E".into(),
        "0.9.2342.19200300.100.1.25" => "DC".into(),
        other => other.to_string(),
    }
}

fn name_string(name: &Name) -> String {
    name.iter()
        .map(|atv| {
            let value = any_to_string((&atv.value).into()).unwrap_or_else(|| "#…".into());
            format!("{}={}", short_name(&atv.oid), value)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn all_values(name: &Name, oid: &str) -> Vec<String> {
    name.iter()
        .filter(|atv| atv.oid.to_string() == oid)
        .filter_map(|atv| any_to_string((&atv.value).into()))
        .collect()
}

fn name_value(name: &Name, oid: &str) -> Option<String> {
    all_values(name, oid).into_iter().next()
}

fn any_to_string(any: AnyRef<'_>) -> Option<String> {
    match any.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::TeletexString
        | Tag::VisibleString => String::from_utf8(any.value().to_vec()).ok(),
        Tag::BmpString => {
            let units: Vec<u16> = any
                .value()
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gost_oids_are_recognised() {
        for (oid, gost) in [
            ("1.2.398.3.10.1.1.2.3.1", true),
            ("1.2.398.3.10.1.1.1.1", true),
            ("1.2.643.7.1.1.1.1", true),
            ("1.2.643.7.1.1.1.2", true),
            ("1.2.643.2.2.19", true),
            ("1.2.840.113549.1.1.1", false),
            ("1.2.840.10045.2.1", false),
        ] {
            assert_eq!(is_gost(oid), gost, "{oid}");
        }
    }
}
