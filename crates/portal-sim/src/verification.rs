//! What the portal checks of every signature it is sent (issue 10; ),
//! at its own clock:
//!
//! 1. the CMS verifies over exactly the bytes sent (RSA or GOST 34.10-2015);
//! 2. the signer's certificate chains to a trusted certificate — **always**: NCA's bundled
//!    production roots, NCA's test PKI with `--nca-test-pki`, and `--trust-ca` files — valid
//!    at the portal's clock;
//! 3. the signing time is at most 5 minutes ahead of the portal's clock (a desk with a wrong
//!    clock). Earlier signing times are the offline case: the certificate is then
//!    checked both at the act's time and at arrival;
//! 4. the certificate's rules: a signing key of the signed-in staff member (decisions,
//!    submissions) or their authentication key (sign-in), a valid IIN;
//! 5. the organisation: a certificate that names an organisation (`OU=BIN…`) must name the
//!    BIN of the school the act concerns;
//! 6. revocation: OCSP (with a nonce) at the certificate's responder, else its CRL and delta
//!    CRL; revoked → refused with the date; neither reachable → 503, the desk retries.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use portal_api as wire;
use sha2::{Digest, Sha256};
use signing::{CertificateFacts, Error as S, VerifiedSignature};
use time::{Duration, OffsetDateTime};

use crate::error::Error;
use crate::{Sim, Staff};

/// How far ahead of the portal's clock a signing time may be.
pub const MAX_CLOCK_AHEAD: Duration = Duration::minutes(5);

/// The BIN (business identification number) of a school, as the portal knows it. The demo
/// region has no BINs of its own, so portal-sim gives each school a stable 12-digit one
/// made from its id; tests issue organisation certificates with it.
pub fn school_bin(school_id: &str) -> String {
    let digest = Sha256::digest(format!("qabyldau-school-bin:{school_id}").as_bytes());
    digest
        .iter()
        .take(12)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

/// Sorts a failure of `signing::verify_cms` into the portal's codes.
pub(crate) fn signature_error(e: S) -> Error {
    match e {
        S::SignatureUntrusted { .. } => Error::SignatureUntrusted(e),
        S::CertificateUntrusted { detail } => {
            Error::SignatureUntrusted(S::SignatureUntrusted { detail })
        }
        S::CertificateRevoked { .. } => Error::CertificateRevoked(e),
        S::RevocationUnavailable { .. } => Error::RevocationUnavailable(e),
        S::GostNotSupported
        | S::CertificateExpired { .. }
        | S::CertificateNotYetValid { .. }
        | S::Gost2004Retired
        | S::CertificateIinInvalid { .. }
        | S::KeyAlgorithmUnsupported { .. } => Error::CertificateRefused(e),
        e => Error::SignatureNotVerified(e),
    }
}

/// Steps 1–3 and 6: the signature, its chain at `now`, the clock, revocation.
fn verify(
    sim: &Sim,
    content: &[u8],
    cms: &[u8],
    now: OffsetDateTime,
) -> Result<VerifiedSignature, Error> {
    // The CMS without its chain, then the chain at `now` through the kept paths
    // (`chain_cache.rs`): what `verify_cms` with the trust anchors checks, in its order.
    let mut verified =
        signing::verify_cms(content, cms, None, Some(now)).map_err(signature_error)?;
    verified.chain = sim
        .chains
        .verify(
            &verified.signer.der,
            &verified.certificates,
            sim.trust(),
            now,
        )
        .map_err(|e| match e {
            S::CertificateUntrusted { detail } => S::SignatureUntrusted { detail },
            e => e,
        })
        .map_err(signature_error)?;
    verified.chain_checked = true;
    if let Some(t) = verified.signing_time
        && t > now + MAX_CLOCK_AHEAD
    {
        return Err(Error::SigningTimeSkew(
            t.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        ));
    }
    crate::revocation_check::check(sim, &verified, now)?;
    Ok(verified)
}

/// Step 5: an organisation certificate must be the school's.
fn check_organisation(facts: &CertificateFacts, school_id: &str) -> Result<(), Error> {
    if let Some(bin) = &facts.bin {
        let school = school_bin(school_id);
        if *bin != school {
            return Err(Error::OrganisationMismatch {
                certificate: bin.clone(),
                school,
            });
        }
    }
    Ok(())
}

/// What a signed write's signature came to before the database is looked at: the payload
/// bytes and their verified signature (steps 1–3 and 6). A pure function of the request,
/// the trust anchors and the clock, so the handlers run it before they take the
/// database's lock (issue 12: a decision's CMS, chain and revocation checks were the
/// portal's cost, and they held every other request up while under the lock).
pub(crate) struct CheckedSignature {
    payload: Vec<u8>,
    verified: VerifiedSignature,
}

/// Steps 1–3 and 6 of a signed write: base64, the CMS, its chain at `now`, the clock,
/// revocation. Its result is handed to [`signed_payload_checked`] where the write's
/// other rules are checked, so that the refusals keep their order.
pub(crate) fn check_signature(
    sim: &Sim,
    sig: &wire::Signature,
    now: OffsetDateTime,
) -> Result<CheckedSignature, Error> {
    let cms = B64
        .decode(sig.cms_base64.trim())
        .map_err(|_| Error::SignatureInvalid("cms_base64 is not base64".into()))?;
    let payload = B64
        .decode(sig.payload_base64.trim())
        .map_err(|_| Error::SignatureInvalid("payload_base64 is not base64".into()))?;
    let verified = verify(sim, &payload, &cms, now)?;
    Ok(CheckedSignature { payload, verified })
}

/// [`check_signature`] on the blocking pool (CPU, and a revocation check may ask an OCSP
/// responder over HTTP), outside every lock.
pub(crate) async fn check_signature_apart(
    sim: &crate::AppState,
    sig: &wire::Signature,
    now: OffsetDateTime,
) -> Result<CheckedSignature, Error> {
    let (sim, sig) = (sim.clone(), sig.clone());
    tokio::task::spawn_blocking(move || check_signature(&sim, &sig, now))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
}

/// Verifies a signed write for `school_id` and returns the signed payload
/// bytes: the CMS over exactly those bytes, and its certificate the signed-in staff
/// member's signing certificate, valid at `at` (the decision's `decided_at` / the
/// submission's `submitted_at`) and at `now`.
pub(crate) fn signed_payload(
    sim: &Sim,
    staff: &Staff,
    sig: &wire::Signature,
    at: OffsetDateTime,
    school_id: &str,
    now: OffsetDateTime,
) -> Result<Vec<u8>, Error> {
    signed_payload_checked(check_signature(sim, sig, now), staff, at, school_id)
}

/// [`signed_payload`] with steps 1–3 and 6 done already ([`check_signature`]): the
/// signer, the certificate's rules at `at`, the organisation.
pub(crate) fn signed_payload_checked(
    checked: Result<CheckedSignature, Error>,
    staff: &Staff,
    at: OffsetDateTime,
    school_id: &str,
) -> Result<Vec<u8>, Error> {
    let CheckedSignature { payload, verified } = checked?;
    if !verified.other_signers.is_empty() {
        return Err(Error::SignatureInvalid(
            "a decision is signed by one person".into(),
        ));
    }
    let clerk = domain::Iin::parse(&staff.iin).map_err(|e| Error::Internal(e.to_string()))?;
    signing::check_for_decision(&verified.signer, &clerk, at).map_err(|e| match e {
        S::IinMismatch { .. } => Error::SignerMismatch,
        e => Error::CertificateRefused(e),
    })?;
    check_organisation(&verified.signer, school_id)?;
    Ok(payload)
}

/// The signed payload of a decision, a submission or a binding read as `T`: the bytes must
/// be exactly the canonical JSON (RFC 8785, [`signing::canonical_json`]) of what they
/// decode to, which is what a desk signs. The portal rebuilds that form and compares
/// bytes, so the fields the caller then holds to the request are the signed ones in their
/// one form: no other member order, spacing, escaping, unknown or repeated member passes.
pub(crate) fn canonical_payload<T>(bytes: &[u8], what: &str) -> Result<T, Error>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let payload: T = serde_json::from_slice(bytes)
        .map_err(|e| Error::SignatureInvalid(format!("payload is not a {what}: {e}")))?;
    let rebuilt = serde_json::to_value(&payload)
        .map(|v| signing::canonical_json(&v))
        .map_err(|e| Error::Internal(e.to_string()))?;
    if rebuilt != bytes {
        return Err(Error::SignatureInvalid(format!(
            "the signed bytes are not the canonical JSON of a {what}"
        )));
    }
    Ok(payload)
}

/// EDS sign-in: the CMS over the challenge, checked as a signed write, by an
/// authentication key whose certificate names an owner IIN. Returns that IIN.
pub(crate) fn signed_in_owner(
    sim: &Sim,
    challenge: &[u8],
    cms: &[u8],
    now: OffsetDateTime,
) -> Result<domain::Iin, Error> {
    let verified = verify(sim, challenge, cms, now)?;
    check_for_sign_in(&verified.signer, now)
}

/// The certificate rules of EDS sign-in, in the order of `signing::check_for_decision`:
/// an algorithm that signs, valid `now`, an authentication key (not the signing one), a
/// valid owner IIN.
fn check_for_sign_in(facts: &CertificateFacts, now: OffsetDateTime) -> Result<domain::Iin, Error> {
    use signing::{KeyPurpose, SignatureAlgorithm};
    let refused = |e: S| Error::CertificateRefused(e);
    SignatureAlgorithm::for_key(&facts.key_algorithm).map_err(refused)?;
    if now < facts.not_before {
        return Err(refused(S::CertificateNotYetValid {
            not_before: facts.not_before,
        }));
    }
    if now > facts.not_after {
        return Err(refused(S::CertificateExpired {
            not_after: facts.not_after,
        }));
    }
    if facts.key_purpose != KeyPurpose::Authentication {
        return Err(Error::NotAnAuthenticationKey);
    }
    match (&facts.owner_iin, &facts.owner_iin_written) {
        (Some(iin), _) => Ok(*iin),
        (None, Some(written)) => Err(refused(S::CertificateIinInvalid {
            got: format!("IIN{written}"),
        })),
        (None, None) => Err(refused(S::CertificateNoIin)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_school_has_a_stable_twelve_digit_bin() {
        let a = school_bin("sch-001");
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(a, school_bin("sch-001"));
        assert_ne!(a, school_bin("sch-002"));
    }
}
