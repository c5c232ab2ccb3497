//! What a certificate says about its owner, read the way NCA (the National Certification
//! Authority of Kazakhstan) writes it, and the rules for signing a decision with it.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Encode, Tag, Tagged};
use domain::Iin;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, BasicConstraints, CrlDistributionPoints, ExtendedKeyUsage,
    FreshestCrl, KeyUsage,
};
use x509_cert::name::Name;

use crate::{Error, KeyAlgorithm, SignatureAlgorithm};

const OID_CN: &str = "2.5.4.3";
const OID_SURNAME: &str = "2.5.4.4";
const OID_SERIAL_NUMBER: &str = "2.5.4.5";
const OID_O: &str = "2.5.4.10";
const OID_OU: &str = "2.5.4.11";
const OID_GIVEN_NAME: &str = "2.5.4.42";
const OID_AD_OCSP: &str = "1.3.6.1.5.5.7.48.1";

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

/// Who the certificate's owner is, from NCA's extended key usage OIDs
/// (`1.2.398.3.3.4.1.1` individual, `1.2.398.3.3.4.1.2[.x]` a legal entity's people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CertificateRole {
    /// `1.2.398.3.3.4.1.1`: a private person.
    Individual,
    /// `1.2.398.3.3.4.1.2`: on behalf of a legal entity (organisation).
    LegalEntity,
    /// `.2.1`: the first head of the organisation.
    Head,
    /// `.2.2`: a person with the right to sign.
    Signatory,
    /// `.2.3`: a person with the right to sign financial documents.
    FinancialSignatory,
    /// `.2.4`: an HR officer.
    HrOfficer,
    /// `.2.5`: an employee of the organisation.
    Employee,
}

impl CertificateRole {
    fn from_oid(oid: &str) -> Option<CertificateRole> {
        Some(match oid {
            "1.2.398.3.3.4.1.1" => CertificateRole::Individual,
            "1.2.398.3.3.4.1.2" => CertificateRole::LegalEntity,
            "1.2.398.3.3.4.1.2.1" => CertificateRole::Head,
            "1.2.398.3.3.4.1.2.2" => CertificateRole::Signatory,
            "1.2.398.3.3.4.1.2.3" => CertificateRole::FinancialSignatory,
            "1.2.398.3.3.4.1.2.4" => CertificateRole::HrOfficer,
            "1.2.398.3.3.4.1.2.5" => CertificateRole::Employee,
            _ => return None,
        })
    }

    /// English, as `qabyldau cert check` prints it.
    pub fn name(self) -> &'static str {
        match self {
            CertificateRole::Individual => "individual",
            CertificateRole::LegalEntity => "legal entity",
            CertificateRole::Head => "head of a legal entity",
            CertificateRole::Signatory => "person with the right to sign for a legal entity",
            CertificateRole::FinancialSignatory => {
                "person with the right to sign financial documents"
            }
            CertificateRole::HrOfficer => "HR officer of a legal entity",
            CertificateRole::Employee => "employee of a legal entity",
        }
    }

    /// Whether the role speaks for an organisation (everything but `Individual`).
    pub fn of_organisation(self) -> bool {
        self != CertificateRole::Individual
    }
}

/// Facts read from one X.509 certificate. Reading never fails on an odd subject: what a
/// field says is reported as written (an IIN that is not valid is flagged, not refused);
/// only the decision rules ([`check_for_decision`]) refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    /// The certificate itself, DER.
    pub der: Vec<u8>,
    /// The subject as `CN=…, SURNAME=…, SERIALNUMBER=IIN…, C=KZ, G=…` in certificate order.
    pub subject: String,
    pub issuer: String,
    /// Serial number, upper-case hex.
    pub serial_hex: String,
    /// From `SERIALNUMBER=IIN<12 digits>` when those are a valid IIN.
    pub owner_iin: Option<Iin>,
    /// What follows `SERIALNUMBER=IIN` as written, valid or not (NCA's test certificates
    /// carry `IIN123456789011`); `None` when the subject has no IIN (a CA, a server).
    pub owner_iin_written: Option<String>,
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
    /// KeyUsage bits set, by RFC 5280 name (`digitalSignature`, `nonRepudiation`, …).
    pub key_usage: Vec<String>,
    /// Extended key usage OIDs as written.
    pub extended_key_usage: Vec<String>,
    /// NCA roles read from the extended key usage.
    pub roles: Vec<CertificateRole>,
    pub key_algorithm: KeyAlgorithm,
    /// The issuer's signature algorithm over this certificate (OID).
    pub signature_algorithm: String,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// OCSP responders from Authority Information Access.
    pub ocsp_urls: Vec<String>,
    /// CRL distribution points (URLs).
    pub crl_urls: Vec<String>,
    /// Delta CRLs (Freshest CRL extension).
    pub delta_crl_urls: Vec<String>,
}

impl CertificateFacts {
    /// Reads a DER certificate. Fails only on bytes that are not a certificate.
    pub fn from_der(der: &[u8]) -> Result<CertificateFacts, Error> {
        let invalid = |e: der::Error| Error::CertificateInvalid {
            detail: e.to_string(),
        };
        let cert = Certificate::from_der(der).map_err(invalid)?;
        let tbs = cert.tbs_certificate();
        let subject = tbs.subject();
        let first = |oid: &str| name_value(subject, oid);

        let owner_iin_written = first(OID_SERIAL_NUMBER)
            .and_then(|serial| serial.strip_prefix("IIN").map(|d| d.trim().to_string()));
        let owner_iin = owner_iin_written
            .as_deref()
            .and_then(|digits| Iin::parse(digits).ok());
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

        // An extension that does not decode is treated as absent: facts never fail on it.
        let ku = tbs
            .get_extension::<KeyUsage>()
            .ok()
            .flatten()
            .map(|(_, k)| k);
        let key_purpose = match &ku {
            Some(ku) if ku.non_repudiation() => KeyPurpose::Signing,
            Some(ku) if ku.digital_signature() => KeyPurpose::Authentication,
            _ => KeyPurpose::Other,
        };
        let key_usage = ku.map(|ku| key_usage_names(&ku)).unwrap_or_default();
        let extended_key_usage: Vec<String> = tbs
            .get_extension::<ExtendedKeyUsage>()
            .ok()
            .flatten()
            .map(|(_, eku)| eku.0.iter().map(|o| o.to_string()).collect())
            .unwrap_or_default();
        let mut roles: Vec<CertificateRole> = extended_key_usage
            .iter()
            .filter_map(|o| CertificateRole::from_oid(o))
            .collect();
        roles.sort();
        roles.dedup();
        let is_ca = tbs
            .get_extension::<BasicConstraints>()
            .ok()
            .flatten()
            .is_some_and(|(_, bc)| bc.ca);
        let ocsp_urls = tbs
            .get_extension::<AuthorityInfoAccessSyntax>()
            .ok()
            .flatten()
            .map(|(_, aia)| {
                aia.0
                    .iter()
                    .filter(|ad| ad.access_method.to_string() == OID_AD_OCSP)
                    .filter_map(|ad| uri(&ad.access_location))
                    .collect()
            })
            .unwrap_or_default();
        let crl_urls = tbs
            .get_extension::<CrlDistributionPoints>()
            .ok()
            .flatten()
            .map(|(_, cdp)| distribution_urls(&cdp.0))
            .unwrap_or_default();
        let delta_crl_urls = tbs
            .get_extension::<FreshestCrl>()
            .ok()
            .flatten()
            .map(|(_, f)| distribution_urls(&f.0))
            .unwrap_or_default();

        let spki = tbs.subject_public_key_info();
        let oid = spki.algorithm.oid.to_string();
        let key_algorithm = KeyAlgorithm::from_oid(&oid, || {
            let spki_der = spki.to_der().ok()?;
            openssl::pkey::PKey::public_key_from_der(&spki_der)
                .ok()
                .map(|k| k.bits())
        });

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
            owner_iin_written,
            common_name: first(OID_CN),
            surname: first(OID_SURNAME),
            given_name: first(OID_GIVEN_NAME),
            organisation: first(OID_O),
            bin,
            not_before,
            not_after,
            key_purpose,
            key_usage,
            extended_key_usage,
            roles,
            key_algorithm,
            signature_algorithm: cert.signature_algorithm().oid.to_string(),
            is_ca,
            ocsp_urls,
            crl_urls,
            delta_crl_urls,
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

    /// The subject writes an IIN that is not a valid one (NCA's test certificates do).
    pub fn iin_invalid(&self) -> bool {
        self.owner_iin_written.is_some() && self.owner_iin.is_none()
    }

    /// The most specific NCA role, for display (`employee of a legal entity`, …).
    pub fn role(&self) -> Option<CertificateRole> {
        self.roles.iter().copied().max()
    }
}

fn key_usage_names(ku: &KeyUsage) -> Vec<String> {
    [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "nonRepudiation"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
    ]
    .into_iter()
    .filter(|(set, _)| *set)
    .map(|(_, name)| name.to_string())
    .collect()
}

fn uri(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::UniformResourceIdentifier(u) => Some(u.as_str().to_string()),
        _ => None,
    }
}

fn distribution_urls(points: &[DistributionPoint]) -> Vec<String> {
    points
        .iter()
        .filter_map(|p| match &p.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(names),
            _ => None,
        })
        .flat_map(|names| names.iter().filter_map(uri))
        .collect()
}

/// Refuses a certificate that must not sign anything: an algorithm that does not sign
/// (GOST 2004, unknown), a validity period that does not contain `now`, an
/// authentication-only key (`AUTH_RSA_*`). A certificate without KeyUsage or without an IIN
/// passes (a plain file signature); decisions need [`check_for_decision`].
pub fn check_for_signing(facts: &CertificateFacts, now: OffsetDateTime) -> Result<(), Error> {
    SignatureAlgorithm::for_key(&facts.key_algorithm)?;
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

/// Refuses a certificate that must not sign a decision, in this order: an
/// algorithm that does not sign, a validity period that does not contain `now`, a key that
/// is not a signing key (nonRepudiation missing: `AUTH_RSA_*`, or no KeyUsage), a subject
/// without an IIN, an IIN that is not valid (`CERTIFICATE_IIN_INVALID`, NCA's test
/// certificates), an IIN that is not the signed-in clerk's.
pub fn check_for_decision(
    facts: &CertificateFacts,
    clerk_iin: &Iin,
    now: OffsetDateTime,
) -> Result<(), Error> {
    check_for_signing(facts, now)?;
    if facts.key_purpose != KeyPurpose::Signing {
        return Err(Error::KeyNotForSigning);
    }
    let written = facts
        .owner_iin_written
        .as_ref()
        .ok_or(Error::CertificateNoIin)?;
    let owner = facts
        .owner_iin
        .as_ref()
        .ok_or_else(|| Error::CertificateIinInvalid {
            got: format!("IIN{written}"),
        })?;
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
