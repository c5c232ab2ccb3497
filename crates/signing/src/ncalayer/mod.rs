//! Signing through NCALayer (issue 14; ), NCA's signing agent that
//! every clerk's PC already has: it reaches key storages a PKCS#11 module may not (NCA
//! tokens over PC/SC, ID cards, Kaztoken, eToken, JaCarta, aKey), RSA and GOST, and asks
//! for the storage and PIN in its own window.
//!
//! [`NcaLayer`] talks to its local WebSocket (`wss://127.0.0.1:13579`, module
//! `kz.gov.pki.knca.basics`, method `sign`; shapes in [`protocol`] and `FORMAT.md`).
//! Whatever answers on that port is not trusted: the TLS certificate must chain to the
//! given roots (NCA's), and the CMS that comes back is verified over exactly the bytes
//! that were sent, with its chain, at the desk's clock, and for a decision against the
//! clerk ([`crate::check_for_decision`]) and the school's BIN. Nothing here reads a clock.

mod client;
mod error;
pub mod protocol;

use std::time::Duration;

use domain::{Iin, Lang};
use time::OffsetDateTime;

pub use error::NcaLayerError;
pub use protocol::{Answer, KeyUse, SignRequest};

use crate::{DecisionSigner, SignError, SignedDecision, VerifiedSignature};

/// NCALayer's port on every PC.
pub const DEFAULT_PORT: u16 = 13579;

/// Where NCALayer is and what its TLS certificate must chain to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NcaLayer {
    /// 127.0.0.1:`port`; [`DEFAULT_PORT`] except in tests.
    pub port: u16,
    /// The only roots NCALayer's TLS certificate may chain to (DER): NCA's RSA roots.
    pub tls_roots: Vec<Vec<u8>>,
    /// Connecting and the version message (the probe of the signing dialog).
    pub connect_timeout: Duration,
    /// How long the person may take in NCALayer's window (storage, PIN).
    pub answer_timeout: Duration,
}

/// A CMS NCALayer made, verified over the bytes that were sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAnswer {
    /// The CMS as NCALayer returned it, in DER.
    pub cms: Vec<u8>,
    pub signature: VerifiedSignature,
    /// NCALayer's version from its connect message.
    pub version: String,
}

impl NcaLayer {
    /// NCALayer on its standard port, trusting `tls_roots`; 2 s to connect, 5 minutes for
    /// the person to choose a key and type the PIN.
    pub fn new(tls_roots: Vec<Vec<u8>>) -> NcaLayer {
        NcaLayer {
            port: DEFAULT_PORT,
            tls_roots,
            connect_timeout: Duration::from_secs(2),
            answer_timeout: Duration::from_secs(300),
        }
    }

    /// NCALayer's version when it answers (within `connect_timeout`), else `None`: what the
    /// signing dialog asks when it opens.
    pub fn available(&self) -> Option<String> {
        self.version().ok()
    }

    /// Connects, checks the certificate, reads the version message.
    pub fn version(&self) -> Result<String, NcaLayerError> {
        let connection =
            client::Connection::open(self.port, &self.tls_roots, self.connect_timeout)?;
        Ok(connection.version.clone())
    }

    /// Sends one `basics.sign` and returns the CMS in DER, unverified. Cancel in
    /// NCALayer's window is [`NcaLayerError::Cancelled`].
    pub fn sign_unverified(
        &self,
        request: &SignRequest<'_>,
    ) -> Result<(Vec<u8>, String), NcaLayerError> {
        let mut connection =
            client::Connection::open(self.port, &self.tls_roots, self.connect_timeout)?;
        let answer = connection.request(&request.to_json(), self.answer_timeout)?;
        match protocol::parse_answer(&answer) {
            Ok(Answer::Signed(pems)) => {
                let pem = pems.into_iter().next().unwrap_or_default();
                let der = crate::signature_der(pem.as_bytes()).map_err(|e| {
                    NcaLayerError::AnswerMalformed {
                        detail: e.to_string(),
                    }
                })?;
                Ok((der, connection.version.clone()))
            }
            Ok(Answer::Cancelled) => Err(NcaLayerError::Cancelled),
            Ok(Answer::Refused { code, message, .. }) => {
                Err(NcaLayerError::Refused { code, message })
            }
            Err(e) => Err(NcaLayerError::AnswerMalformed {
                detail: e.to_string(),
            }),
        }
    }

    /// Signs `request.data` in NCALayer and verifies what comes back over exactly those
    /// bytes: the digest, the signature, and the signer's chain to `trust` at `now`. The
    /// caller then checks who signed (for decisions: [`NcaLayerSigner`]; for sign-in by
    /// EDS: an authentication key of the person, [`KeyUse::Authentication`]).
    pub fn sign_verified(
        &self,
        request: &SignRequest<'_>,
        trust: &[Vec<u8>],
        now: OffsetDateTime,
    ) -> Result<VerifiedAnswer, NcaLayerError> {
        let (cms, version) = self.sign_unverified(request)?;
        let signature = crate::verify_cms(request.data, &cms, Some(trust), Some(now))
            .map_err(NcaLayerError::SignatureRefused)?;
        Ok(VerifiedAnswer {
            cms,
            signature,
            version,
        })
    }

    /// Sign-in by EDS (issue 16): `challenge` signed with an authentication key
    /// (`extKeyUsageOids` clientAuth), verified, the key checked to be an authentication
    /// key valid at `now` and, when given, the person's.
    pub fn authenticate(
        &self,
        challenge: &[u8],
        iin: Option<&Iin>,
        locale: Lang,
        trust: &[Vec<u8>],
        now: OffsetDateTime,
    ) -> Result<VerifiedAnswer, NcaLayerError> {
        let request = SignRequest {
            data: challenge,
            key_use: KeyUse::Authentication,
            iin,
            bin: None,
            locale,
        };
        let answer = self.sign_verified(&request, trust, now)?;
        let facts = &answer.signature.signer;
        let refused = NcaLayerError::SignatureRefused;
        if now < facts.not_before {
            return Err(refused(crate::Error::CertificateNotYetValid {
                not_before: facts.not_before,
            }));
        }
        if now > facts.not_after {
            return Err(refused(crate::Error::CertificateExpired {
                not_after: facts.not_after,
            }));
        }
        if !facts
            .extended_key_usage
            .iter()
            .any(|o| o == protocol::OID_CLIENT_AUTH)
            && facts.key_purpose != crate::KeyPurpose::Authentication
        {
            return Err(refused(crate::Error::KeyNotForSigning));
        }
        if let Some(iin) = iin {
            match &facts.owner_iin {
                Some(owner) if owner == iin => {}
                Some(owner) => {
                    return Err(refused(crate::Error::IinMismatch {
                        certificate: owner.to_string(),
                        clerk: iin.to_string(),
                    }));
                }
                None => return Err(refused(crate::Error::CertificateNoIin)),
            }
        }
        Ok(answer)
    }
}

/// NCALayer as the signer of decisions and on-behalf submissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NcaLayerSigner {
    pub layer: NcaLayer,
    /// The CA certificates (DER) a returned signature must chain to.
    pub trust: Vec<Vec<u8>>,
    /// The language of NCALayer's window.
    pub locale: Lang,
    /// The school's BIN: an organisation certificate must be the school's.
    pub school_bin: Option<String>,
}

impl DecisionSigner for NcaLayerSigner {
    fn sign_decision(
        &self,
        clerk_iin: &Iin,
        canonical: &[u8],
        now: OffsetDateTime,
    ) -> Result<SignedDecision, SignError> {
        let request = SignRequest {
            data: canonical,
            key_use: KeyUse::Signing,
            iin: Some(clerk_iin),
            bin: self.school_bin.as_deref(),
            locale: self.locale,
        };
        let answer = self.layer.sign_verified(&request, &self.trust, now)?;
        let signer = answer.signature.signer;
        // The same rules as a key the desk holds: validity, a signing key, the clerk's IIN.
        crate::check_for_decision(&signer, clerk_iin, now)
            .map_err(NcaLayerError::SignatureRefused)?;
        if let (Some(expected), Some(bin)) = (&self.school_bin, &signer.bin)
            && expected != bin
        {
            return Err(
                NcaLayerError::SignatureRefused(crate::Error::CertificateUntrusted {
                    detail: format!("BIN {bin} is not the school's {expected}"),
                })
                .into(),
            );
        }
        Ok(SignedDecision {
            cms: answer.cms,
            signer,
            revocation: None,
        })
    }
}
