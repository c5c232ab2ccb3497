//! The seam between a decision and whatever signs it (issue 14): a key the desk holds (a
//! [`Signer`]: PKCS#11 token, `.p12`) or NCALayer, which signs in its own window and
//! returns a CMS that is then verified like any other signature.

use domain::Iin;
use time::OffsetDateTime;

use crate::{CertificateFacts, Error, NcaLayerError, Signer};

/// A decision's detached CMS and the certificate of its signer, checked by
/// [`crate::check_for_decision`] against the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDecision {
    /// DER.
    pub cms: Vec<u8>,
    pub signer: CertificateFacts,
    /// What was found out about the certificate's revocation when it signed (`None`:
    /// not checked on this path, e.g. NCALayer's answers).
    pub revocation: Option<crate::revocation::Revocation>,
}

/// Why a decision was not signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Key(#[from] Error),
    #[error(transparent)]
    NcaLayer(#[from] NcaLayerError),
}

/// Signs a decision's canonical bytes for the signed-in clerk. Nothing is signed (or, for
/// NCALayer, nothing is accepted) when the certificate is not the clerk's signing key.
pub trait DecisionSigner {
    fn sign_decision(
        &self,
        clerk_iin: &Iin,
        canonical: &[u8],
        now: OffsetDateTime,
    ) -> Result<SignedDecision, SignError>;
}

impl<S: Signer + ?Sized> DecisionSigner for S {
    fn sign_decision(
        &self,
        clerk_iin: &Iin,
        canonical: &[u8],
        now: OffsetDateTime,
    ) -> Result<SignedDecision, SignError> {
        // crate::sign_decision, for unsized signers too.
        crate::check_for_decision(self.certificate(), clerk_iin, now)?;
        let cms = self.sign_detached(canonical, now)?;
        Ok(SignedDecision {
            cms,
            signer: self.certificate().clone(),
            revocation: self.revocation(),
        })
    }
}
