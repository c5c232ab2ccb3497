//! Revocation of the signer's certificate, checked on arrival at the portal's clock
//! (issue 10): OCSP with a nonce, else CRL and delta CRL, at the services the certificate
//! names. Revoked → refused with the date; no service answered → 503, so that the desk
//! keeps the entry and retries (a decision signed offline is checked here, R-33).

use signing::VerifiedSignature;
use signing::revocation::{HttpFetch, Revocation, check_revocation};
use time::OffsetDateTime;

use crate::Sim;
use crate::error::Error;
use crate::verification::signature_error;

pub(crate) fn check(
    _sim: &Sim,
    verified: &VerifiedSignature,
    now: OffsetDateTime,
) -> Result<(), Error> {
    // The issuer is the chain's second certificate; a self-issued trusted signer has none.
    let Some(issuer) = verified.chain.get(1) else {
        return Ok(());
    };
    match check_revocation(&verified.signer, &issuer.der, now, &HttpFetch::default()) {
        Revocation::NoSource => Ok(()),
        other => other.into_result().map(|_| ()).map_err(signature_error),
    }
}
