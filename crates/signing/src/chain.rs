//! Certificate chains to NCA's roots, checked here rather than by OpenSSL because NCA's
//! GOST chains are signed with GOST 34.10-2015, which OpenSSL does not know (issue 10).
//!
//! From the certificate, each issuer is looked for among the given intermediates and trust
//! anchors by name (and key identifier when both sides carry one); its signature over the
//! TBSCertificate as sent must verify under the issuer's key; every certificate of the path
//! must be valid at `at` and every issuer a CA (basicConstraints cA). The path ends at a
//! trust anchor; at most 8 certificates long.

use der::{Decode, Encode};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};

use crate::public_key::{self, SignedWith};
use crate::{CertificateFacts, Error, raw_der};

const MAX_PATH: usize = 8;

fn untrusted(detail: impl Into<String>) -> Error {
    Error::CertificateUntrusted {
        detail: detail.into(),
    }
}

struct Parsed {
    der: Vec<u8>,
    cert: Certificate,
}

impl Parsed {
    fn new(der: &[u8]) -> Option<Parsed> {
        Some(Parsed {
            der: der.to_vec(),
            cert: Certificate::from_der(der).ok()?,
        })
    }

    fn subject_key_id(&self) -> Option<Vec<u8>> {
        let (_, ski) = self
            .cert
            .tbs_certificate()
            .get_extension::<SubjectKeyIdentifier>()
            .ok()??;
        Some(ski.0.as_bytes().to_vec())
    }

    fn authority_key_id(&self) -> Option<Vec<u8>> {
        let (_, aki) = self
            .cert
            .tbs_certificate()
            .get_extension::<AuthorityKeyIdentifier>()
            .ok()??;
        aki.key_identifier.map(|k| k.as_bytes().to_vec())
    }

    fn could_issue(&self, child: &Parsed) -> bool {
        if self.cert.tbs_certificate().subject() != child.cert.tbs_certificate().issuer() {
            return false;
        }
        match (child.authority_key_id(), self.subject_key_id()) {
            (Some(aki), Some(ski)) => aki == ski,
            _ => true,
        }
    }

    fn self_issued(&self) -> bool {
        self.cert.tbs_certificate().subject() == self.cert.tbs_certificate().issuer()
    }

    fn name(&self) -> String {
        CertificateFacts::from_der(&self.der)
            .map(|f| f.subject)
            .unwrap_or_default()
    }
}

/// Whether `issuer` signed `child` (the TBSCertificate exactly as sent).
pub(crate) fn signed_by(child_der: &[u8], issuer_der: &[u8]) -> Result<bool, Error> {
    let child = Certificate::from_der(child_der).map_err(|e| Error::CertificateInvalid {
        detail: e.to_string(),
    })?;
    let tbs = raw_der::first_child(child_der).ok_or_else(|| Error::CertificateInvalid {
        detail: "TBSCertificate".into(),
    })?;
    let with = SignedWith::from_oid(&child.signature_algorithm().oid.to_string())?;
    let signature = child.signature().raw_bytes();
    public_key::verify(&public_key::spki_of(issuer_der)?, with, &tbs, signature)
}

fn valid_at(facts: &CertificateFacts, at: OffsetDateTime) -> Result<(), Error> {
    if at < facts.not_before || at > facts.not_after {
        let when = |t: OffsetDateTime| t.date().to_string();
        return Err(untrusted(format!(
            "{} is valid {} … {}, not at {}",
            facts.subject,
            when(facts.not_before),
            when(facts.not_after),
            when(at)
        )));
    }
    Ok(())
}

/// Checks the path from `leaf_der` to one of `anchors` (DER) through `intermediates`, at
/// `at`. Returns the path, leaf first, anchor last.
pub fn verify_chain(
    leaf_der: &[u8],
    intermediates: &[Vec<u8>],
    anchors: &[Vec<u8>],
    at: OffsetDateTime,
) -> Result<Vec<CertificateFacts>, Error> {
    let anchors: Vec<Parsed> = anchors.iter().filter_map(|d| Parsed::new(d)).collect();
    let intermediates: Vec<Parsed> = intermediates
        .iter()
        .filter_map(|d| Parsed::new(d))
        .collect();
    let mut current = Parsed::new(leaf_der).ok_or_else(|| Error::CertificateInvalid {
        detail: "not a certificate".into(),
    })?;
    let mut path = vec![CertificateFacts::from_der(leaf_der)?];
    // The certificate itself outside its validity is said as such, not as "untrusted".
    if at < path[0].not_before {
        return Err(Error::CertificateNotYetValid {
            not_before: path[0].not_before,
        });
    }
    if at > path[0].not_after {
        return Err(Error::CertificateExpired {
            not_after: path[0].not_after,
        });
    }
    loop {
        if anchors.iter().any(|a| a.der == current.der) {
            return Ok(path);
        }
        if path.len() > MAX_PATH {
            return Err(untrusted("the certificate path is too long"));
        }
        let mut found: Option<(&Parsed, bool)> = None;
        let mut wrong_signature = false;
        let candidates = anchors
            .iter()
            .map(|a| (a, true))
            .chain(intermediates.iter().map(|i| (i, false)));
        for (candidate, is_anchor) in candidates {
            if candidate.der == current.der || !candidate.could_issue(&current) {
                continue;
            }
            match signed_by(&current.der, &candidate.der) {
                Ok(true) => {
                    found = Some((candidate, is_anchor));
                    break;
                }
                Ok(false) => wrong_signature = true,
                Err(e @ Error::Gost2004Retired) => return Err(e),
                Err(_) => wrong_signature = true,
            }
        }
        let Some((issuer, is_anchor)) = found else {
            let detail = if wrong_signature {
                format!("the signature over {} does not verify", current.name())
            } else if current.self_issued() {
                format!("{} is not a trusted root", current.name())
            } else {
                let issuer = CertificateFacts::from_der(&current.der)
                    .map(|f| f.issuer)
                    .unwrap_or_default();
                format!("no trusted certificate of its issuer {issuer}")
            };
            return Err(untrusted(detail));
        };
        let facts = CertificateFacts::from_der(&issuer.der)?;
        valid_at(&facts, at)?;
        if !facts.is_ca {
            return Err(untrusted(format!("{} is not a CA", facts.subject)));
        }
        path.push(facts);
        if is_anchor {
            return Ok(path);
        }
        current = Parsed {
            der: issuer.der.clone(),
            cert: issuer.cert.clone(),
        };
    }
}

/// The DER of each certificate in a CMS's certificate set other than the signer's.
pub(crate) fn to_der_all(certs: &[&Certificate]) -> Vec<Vec<u8>> {
    certs.iter().filter_map(|c| c.to_der().ok()).collect()
}
