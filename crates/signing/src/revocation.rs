//! Revocation of a certificate as NCA publishes it (issue 10): OCSP (RFC 6960) with a nonce
//! at the responder the certificate names (Authority Information Access), else the CRL of
//! its distribution point and the delta CRL of its Freshest CRL extension (RFC 5280).
//!
//! Every answer is checked before it is believed: the OCSP response or CRL must be signed
//! by the certificate's issuer (or, for OCSP, by a responder certificate the issuer gave
//! the OCSP-signing purpose), the OCSP nonce must be ours, and it must be current at `now`.
//! The transport is [`Fetch`]; [`HttpFetch`] is plain HTTP (OCSP and CRLs are served over
//! http by design: their answers are signed).

use std::time::Duration as StdDuration;

use der::asn1::{Any, BitString, GeneralizedTime, Null, ObjectIdentifier, OctetString};
use der::{Choice, Decode, Encode, Sequence, Tag, Tagged};
use spki::AlgorithmIdentifierOwned;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::Extensions;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use crate::public_key::{self, SignedWith};
use crate::{CertificateFacts, Error, raw_der};

const OID_SHA1: &str = "1.3.14.3.2.26";
const OID_OCSP_BASIC: &str = "1.3.6.1.5.5.7.48.1.1";
const OID_OCSP_NONCE: &str = "1.3.6.1.5.5.7.48.1.2";
const OID_KP_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
const OID_CRL_REASON: &str = "2.5.29.21";
const OID_DELTA_CRL_INDICATOR: &str = "2.5.29.27";
/// How far an answer's `thisUpdate` may be ahead of our clock.
const CLOCK_SLACK: time::Duration = time::Duration::minutes(5);

/// Where an answer about revocation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationSource {
    Ocsp,
    Crl,
}

impl RevocationSource {
    pub fn name(self) -> &'static str {
        match self {
            RevocationSource::Ocsp => "OCSP",
            RevocationSource::Crl => "CRL",
        }
    }
}

/// What was found out about a certificate's revocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    Good {
        by: RevocationSource,
    },
    Revoked {
        at: OffsetDateTime,
        reason: String,
        by: RevocationSource,
    },
    /// The certificate names no OCSP responder and no CRL (not an NCA certificate).
    NoSource,
    /// Neither the responder nor the CRLs gave a usable answer (offline, say).
    NotChecked {
        why: String,
    },
}

impl Revocation {
    /// `Revoked` is an error with the date; `NotChecked` is `REVOCATION_UNAVAILABLE`.
    pub fn into_result(self) -> Result<Revocation, Error> {
        match self {
            Revocation::Revoked { at, reason, .. } => Err(Error::CertificateRevoked {
                revoked_at: at,
                reason,
            }),
            Revocation::NotChecked { why } => Err(Error::RevocationUnavailable { detail: why }),
            other => Ok(other),
        }
    }
}

/// The transport of OCSP requests and CRL downloads.
pub trait Fetch: Send + Sync {
    /// GET `url`, or POST `body` with `content_type` when given; the response body.
    fn fetch(&self, url: &str, post: Option<(&str, &[u8])>) -> Result<Vec<u8>, String>;
}

/// Plain HTTP(S) with a timeout, on a thread of its own (so that it may be called from
/// inside an async runtime, as portal-sim does).
#[derive(Debug, Clone)]
pub struct HttpFetch {
    pub timeout: StdDuration,
}

impl Default for HttpFetch {
    fn default() -> Self {
        HttpFetch {
            timeout: StdDuration::from_secs(5),
        }
    }
}

impl Fetch for HttpFetch {
    fn fetch(&self, url: &str, post: Option<(&str, &[u8])>) -> Result<Vec<u8>, String> {
        std::thread::scope(|s| {
            s.spawn(|| {
                let client = reqwest::blocking::Client::builder()
                    .timeout(self.timeout)
                    .no_proxy()
                    .build()
                    .map_err(|e| e.to_string())?;
                let request = match post {
                    Some((content_type, body)) => client
                        .post(url)
                        .header("Content-Type", content_type)
                        .body(body.to_vec()),
                    None => client.get(url),
                };
                let response = request.send().map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("{url}: HTTP {}", response.status()));
                }
                response
                    .bytes()
                    .map(|b| b.to_vec())
                    .map_err(|e| e.to_string())
            })
            .join()
            .unwrap_or_else(|_| Err("the HTTP thread stopped".into()))
        })
    }
}

// ---- OCSP (RFC 6960) ----

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct CertId {
    hash_algorithm: AlgorithmIdentifierOwned,
    issuer_name_hash: OctetString,
    issuer_key_hash: OctetString,
    serial_number: SerialNumber,
}

#[derive(Clone, Debug, Sequence)]
struct Request {
    req_cert: CertId,
}

#[derive(Clone, Debug, Sequence)]
struct TbsRequest {
    request_list: Vec<Request>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    request_extensions: Option<Extensions>,
}

#[derive(Clone, Debug, Sequence)]
struct OcspRequest {
    tbs_request: TbsRequest,
}

#[derive(Clone, Debug, Sequence)]
struct ResponseBytes {
    response_type: ObjectIdentifier,
    response: OctetString,
}

#[derive(Clone, Debug, Sequence)]
struct OcspResponse {
    response_status: Any,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    response_bytes: Option<ResponseBytes>,
}

#[derive(Clone, Debug, Choice)]
enum ResponderId {
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    ByName(Name),
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", constructed = "true")]
    ByKey(OctetString),
}

#[derive(Clone, Debug, Sequence)]
struct RevokedInfo {
    revocation_time: GeneralizedTime,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    revocation_reason: Option<Any>,
}

#[derive(Clone, Debug, Choice)]
enum CertStatus {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

#[derive(Clone, Debug, Sequence)]
struct SingleResponse {
    cert_id: CertId,
    cert_status: CertStatus,
    this_update: GeneralizedTime,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    next_update: Option<GeneralizedTime>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    single_extensions: Option<Extensions>,
}

#[derive(Clone, Debug, Sequence)]
struct ResponseData {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    version: Option<u8>,
    responder_id: ResponderId,
    produced_at: GeneralizedTime,
    responses: Vec<SingleResponse>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    response_extensions: Option<Extensions>,
}

#[derive(Clone, Debug, Sequence)]
struct BasicOcspResponse {
    tbs_response_data: ResponseData,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    certs: Option<Vec<Certificate>>,
}

fn der_err(e: der::Error) -> String {
    e.to_string()
}

fn to_time(t: &GeneralizedTime) -> OffsetDateTime {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn x509_time(t: &x509_cert::time::Time) -> OffsetDateTime {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn cert_id(leaf: &Certificate, issuer: &Certificate) -> Result<CertId, String> {
    let name = issuer
        .tbs_certificate()
        .subject()
        .to_der()
        .map_err(der_err)?;
    let key = issuer
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes();
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(OID_SHA1),
            parameters: Some(Any::null()),
        },
        issuer_name_hash: OctetString::new(openssl::sha::sha1(&name).to_vec()).map_err(der_err)?,
        issuer_key_hash: OctetString::new(openssl::sha::sha1(key).to_vec()).map_err(der_err)?,
        serial_number: leaf.tbs_certificate().serial_number().clone(),
    })
}

/// The DER of an OCSP request for `leaf` with `nonce` (exposed for tests and tools).
pub fn ocsp_request(leaf_der: &[u8], issuer_der: &[u8], nonce: &[u8]) -> Result<Vec<u8>, Error> {
    let failed = |d: String| Error::RevocationUnavailable { detail: d };
    let leaf = Certificate::from_der(leaf_der).map_err(|e| failed(e.to_string()))?;
    let issuer = Certificate::from_der(issuer_der).map_err(|e| failed(e.to_string()))?;
    let nonce_value = OctetString::new(nonce.to_vec())
        .and_then(|o| o.to_der())
        .map_err(|e| failed(e.to_string()))?;
    let request = OcspRequest {
        tbs_request: TbsRequest {
            request_list: vec![Request {
                req_cert: cert_id(&leaf, &issuer).map_err(failed)?,
            }],
            request_extensions: Some(vec![x509_cert::ext::Extension {
                extn_id: ObjectIdentifier::new_unwrap(OID_OCSP_NONCE),
                critical: false,
                extn_value: OctetString::new(nonce_value).map_err(|e| failed(e.to_string()))?,
            }]),
        },
    };
    request.to_der().map_err(|e| failed(e.to_string()))
}

/// The nonce inside a nonce extension value: RFC 8954 says an OCTET STRING; older
/// responders put the raw bytes.
fn nonce_of(value: &[u8]) -> Vec<u8> {
    OctetString::from_der(value)
        .map(|o| o.as_bytes().to_vec())
        .unwrap_or_else(|_| value.to_vec())
}

fn has_eku(cert: &Certificate, oid: &str) -> bool {
    cert.tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::ExtendedKeyUsage>()
        .ok()
        .flatten()
        .is_some_and(|(_, eku)| eku.0.iter().any(|o| o.to_string() == oid))
}

/// Reads and checks an OCSP response for `leaf` (issued by `issuer`) asked with `nonce`.
fn ocsp_answer(
    response: &[u8],
    leaf: &Certificate,
    issuer_der: &[u8],
    nonce: &[u8],
    now: OffsetDateTime,
) -> Result<Revocation, String> {
    let issuer = Certificate::from_der(issuer_der).map_err(der_err)?;
    let outer = OcspResponse::from_der(response).map_err(der_err)?;
    if outer.response_status.tag() != Tag::Enumerated || outer.response_status.value() != [0] {
        return Err(format!(
            "the responder answered status {:?}",
            outer.response_status.value()
        ));
    }
    let bytes = outer.response_bytes.ok_or("no response bytes")?;
    if bytes.response_type.to_string() != OID_OCSP_BASIC {
        return Err("not a basic OCSP response".into());
    }
    let raw = bytes.response.as_bytes();
    let basic = BasicOcspResponse::from_der(raw).map_err(der_err)?;
    let tbs = raw_der::first_child(raw).ok_or("tbsResponseData")?;
    let with = SignedWith::from_oid(&basic.signature_algorithm.oid.to_string())
        .map_err(|e| e.to_string())?;
    let signature = basic.signature.raw_bytes();
    // Signed by the issuer itself, or by a responder certificate the issuer gave the
    // OCSP-signing purpose.
    let mut signed = public_key::verify(
        &public_key::spki_of(issuer_der).map_err(|e| e.to_string())?,
        with,
        &tbs,
        signature,
    )
    .unwrap_or(false);
    if !signed {
        for responder in basic.certs.iter().flatten() {
            let der = responder.to_der().map_err(der_err)?;
            let issued = crate::chain::signed_by(&der, issuer_der).unwrap_or(false);
            let valid = {
                let v = responder.tbs_certificate().validity();
                x509_time(&v.not_before) <= now && now <= x509_time(&v.not_after)
            };
            if issued
                && valid
                && has_eku(responder, OID_KP_OCSP_SIGNING)
                && public_key::verify(
                    &public_key::spki_of(&der).map_err(|e| e.to_string())?,
                    with,
                    &tbs,
                    signature,
                )
                .unwrap_or(false)
            {
                signed = true;
                break;
            }
        }
    }
    if !signed {
        return Err("the OCSP response is not signed by the issuer or its responder".into());
    }
    let data = &basic.tbs_response_data;
    let answered_nonce = data
        .response_extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id.to_string() == OID_OCSP_NONCE)
        .map(|e| nonce_of(e.extn_value.as_bytes()));
    if answered_nonce.as_deref() != Some(nonce) {
        return Err("the OCSP response does not carry our nonce (replayed?)".into());
    }
    let wanted = cert_id(leaf, &issuer)?;
    let single = data
        .responses
        .iter()
        .find(|r| r.cert_id == wanted)
        .ok_or("the OCSP response is about another certificate")?;
    if to_time(&single.this_update) > now + CLOCK_SLACK {
        return Err("the OCSP response is from the future".into());
    }
    if let Some(next) = &single.next_update
        && to_time(next) < now
    {
        return Err("the OCSP response is out of date".into());
    }
    Ok(match &single.cert_status {
        CertStatus::Good(_) => Revocation::Good {
            by: RevocationSource::Ocsp,
        },
        CertStatus::Revoked(info) => Revocation::Revoked {
            at: to_time(&info.revocation_time),
            reason: info
                .revocation_reason
                .as_ref()
                .and_then(|r| r.value().first().copied())
                .map(crl_reason)
                .unwrap_or("unspecified")
                .to_string(),
            by: RevocationSource::Ocsp,
        },
        CertStatus::Unknown(_) => return Err("the responder does not know the certificate".into()),
    })
}

fn crl_reason(code: u8) -> &'static str {
    match code {
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "unspecified",
    }
}

// ---- CRL (RFC 5280) ----

/// A CRL read and checked against its issuer; `entries` are (serial, date, reason code).
struct CheckedCrl {
    delta: bool,
    entries: Vec<(Vec<u8>, OffsetDateTime, u8)>,
}

fn crl_der(bytes: &[u8]) -> Vec<u8> {
    if bytes.trim_ascii_start().starts_with(b"-----BEGIN")
        && let Ok(text) = std::str::from_utf8(bytes)
        && let Ok((_, der)) = der::pem::decode_vec(text.trim().as_bytes())
    {
        return der;
    }
    bytes.to_vec()
}

fn checked_crl(bytes: &[u8], issuer_der: &[u8], now: OffsetDateTime) -> Result<CheckedCrl, String> {
    let der = crl_der(bytes);
    let crl =
        CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&der).map_err(der_err)?;
    let issuer = Certificate::from_der(issuer_der).map_err(der_err)?;
    let tbs_list = &crl.tbs_cert_list;
    if tbs_list.issuer != *issuer.tbs_certificate().subject() {
        return Err("the CRL is of another issuer".into());
    }
    let tbs = raw_der::first_child(&der).ok_or("tbsCertList")?;
    let with = SignedWith::from_oid(&crl.signature_algorithm.oid.to_string())
        .map_err(|e| e.to_string())?;
    let spki = public_key::spki_of(issuer_der).map_err(|e| e.to_string())?;
    if !public_key::verify(&spki, with, &tbs, crl.signature.raw_bytes()).unwrap_or(false) {
        return Err("the CRL's signature does not verify under its issuer".into());
    }
    if x509_time(&tbs_list.this_update) > now + CLOCK_SLACK {
        return Err("the CRL is from the future".into());
    }
    if let Some(next) = &tbs_list.next_update
        && x509_time(next) < now
    {
        return Err("the CRL is out of date".into());
    }
    let delta = tbs_list
        .crl_extensions
        .iter()
        .flatten()
        .any(|e| e.extn_id.to_string() == OID_DELTA_CRL_INDICATOR);
    let entries = tbs_list
        .revoked_certificates
        .iter()
        .flatten()
        .map(|r| {
            let reason = r
                .crl_entry_extensions
                .iter()
                .flatten()
                .find(|e| e.extn_id.to_string() == OID_CRL_REASON)
                .and_then(|e| Any::from_der(e.extn_value.as_bytes()).ok())
                .and_then(|a| a.value().first().copied())
                .unwrap_or(0);
            (
                r.serial_number.as_bytes().to_vec(),
                x509_time(&r.revocation_date),
                reason,
            )
        })
        .collect();
    Ok(CheckedCrl { delta, entries })
}

fn crl_answer(
    leaf: &Certificate,
    facts: &CertificateFacts,
    issuer_der: &[u8],
    now: OffsetDateTime,
    fetch: &dyn Fetch,
) -> Result<Revocation, String> {
    let serial = leaf.tbs_certificate().serial_number().as_bytes().to_vec();
    let mut last_error = String::from("no CRL");
    let mut base = None;
    for url in &facts.crl_urls {
        match fetch
            .fetch(url, None)
            .and_then(|b| checked_crl(&b, issuer_der, now))
        {
            Ok(crl) if !crl.delta => {
                base = Some(crl);
                break;
            }
            Ok(_) => last_error = format!("{url} is a delta CRL"),
            Err(e) => last_error = format!("{url}: {e}"),
        }
    }
    let base = base.ok_or(last_error)?;
    let mut status = base
        .entries
        .iter()
        .find(|(s, _, _)| *s == serial)
        .map(|(_, at, reason)| (*at, *reason));
    // The delta CRL, when the certificate names one and it answers: newer revocations, and
    // `removeFromCRL` for a certificate taken off hold.
    for url in &facts.delta_crl_urls {
        if let Ok(delta) = fetch
            .fetch(url, None)
            .and_then(|b| checked_crl(&b, issuer_der, now))
            && delta.delta
        {
            if let Some((_, at, reason)) = delta.entries.iter().find(|(s, _, _)| *s == serial) {
                status = if *reason == 8 {
                    None
                } else {
                    Some((*at, *reason))
                };
            }
            break;
        }
    }
    Ok(match status {
        Some((at, reason)) => Revocation::Revoked {
            at,
            reason: crl_reason(reason).to_string(),
            by: RevocationSource::Crl,
        },
        None => Revocation::Good {
            by: RevocationSource::Crl,
        },
    })
}

/// Asks whether `leaf` (issued by `issuer_der`) is revoked at `now`: OCSP first (with a
/// fresh nonce from the OS CSPRNG), then the CRL and delta CRL. Never fails: what could
/// not be found out is [`Revocation::NotChecked`] with the reasons.
pub fn check_revocation(
    leaf: &CertificateFacts,
    issuer_der: &[u8],
    now: OffsetDateTime,
    fetch: &dyn Fetch,
) -> Revocation {
    if leaf.ocsp_urls.is_empty() && leaf.crl_urls.is_empty() {
        return Revocation::NoSource;
    }
    let Ok(cert) = Certificate::from_der(&leaf.der) else {
        return Revocation::NotChecked {
            why: "the certificate does not read".into(),
        };
    };
    let mut why = Vec::new();
    let nonce: [u8; 16] = rand::random();
    for url in &leaf.ocsp_urls {
        let answer = ocsp_request(&leaf.der, issuer_der, &nonce)
            .map_err(|e| e.to_string())
            .and_then(|req| fetch.fetch(url, Some(("application/ocsp-request", &req))))
            .and_then(|resp| ocsp_answer(&resp, &cert, issuer_der, &nonce, now));
        match answer {
            Ok(r) => return r,
            Err(e) => why.push(format!("OCSP {url}: {e}")),
        }
    }
    if !leaf.crl_urls.is_empty() {
        match crl_answer(&cert, leaf, issuer_der, now, fetch) {
            Ok(r) => return r,
            Err(e) => why.push(format!("CRL: {e}")),
        }
    }
    Revocation::NotChecked {
        why: why.join("; "),
    }
}
