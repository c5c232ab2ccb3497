//! Deciding an application (R-6 accept, R-7 reject): checked against the rules, signed
//! with the clerk's key, and written locally as one action — the change, its
//! history entry, the outbox entry that carries the signed request to the portal, and the
//! `.p7s` in the documents tab (R-33: visible at once, "waiting to send").

use crate::views::{DecisionInput, DecisionOutcome};
use crate::{Desk, Error};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use domain::{Action, Iin, RejectReason, RejectReasonCode};
use portal_api::{DecisionPayload, DecisionRequest, Signature};
use sha2::{Digest, Sha256};
use store::{Attachment, LocalAction, NewHistory, NewOutbox};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A decision as the rules see it, parsed once from what the UI or CLI sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Reject(RejectReason),
}

impl Decision {
    pub fn parse(input: &DecisionInput) -> Result<Decision, Error> {
        match input.decision.as_str() {
            "accept" => Ok(Decision::Accept),
            "reject" => {
                let code = RejectReasonCode::parse(input.reason_code.as_deref().unwrap_or(""))?;
                Ok(Decision::Reject(RejectReason::new(
                    code,
                    input.reason_text.as_deref(),
                )?))
            }
            other => Err(Error::BadQuery {
                field: "decision",
                reason: format!("{other:?} is not accept or reject"),
            }),
        }
    }

    fn action(&self) -> Action {
        match self {
            Decision::Accept => Action::Accept,
            Decision::Reject(_) => Action::Reject,
        }
    }

    fn wire(&self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Reject(_) => "reject",
        }
    }
}

/// The exact bytes a clerk signs for a decision: the canonical JSON (RFC 8785: sorted
/// keys, no spaces) of the portal's `DecisionPayload`. The portal checks the CMS over these
/// bytes, rebuilds the canonical JSON of the payload they decode to and compares bytes
/// (any other form is `SIGNATURE_INVALID`), then holds each field to the request's.
pub fn decision_bytes(payload: &DecisionPayload) -> Result<Vec<u8>, Error> {
    let value = serde_json::to_value(payload).map_err(|e| Error::BadQuery {
        field: "payload",
        reason: e.to_string(),
    })?;
    Ok(signing::canonical_json(&value))
}

impl Desk {
    /// Decides one application. `clerk` is the signed-in staff member; the certificate of
    /// `signer` must be theirs (checked by `signing::DecisionSigner`). Nothing is written
    /// when any check or the signature fails.
    pub fn decide<S: signing::DecisionSigner + ?Sized>(
        &mut self,
        clerk: &Iin,
        input: &DecisionInput,
        signer: &S,
        now: OffsetDateTime,
        idempotency_key: String,
    ) -> Result<DecisionOutcome, Error> {
        let decision = Decision::parse(input)?;
        let (mut application, _, _) = self.store.application(&input.application_id)?;
        let to = application.status.apply(decision.action())?;
        // A walk-in application entered offline is decided once the portal has it: the
        // signature names the portal's id, which it does not have yet.
        if application.number.is_provisional() {
            return Err(Error::ApplicationProvisional);
        }
        let portal_id = self.store.portal_id(&application.id.0)?;

        if decision == Decision::Accept {
            // a school accepts only while it has free places for the class and language.
            let places: Vec<domain::rules::Places> = self
                .store
                .schools()?
                .into_iter()
                .filter(|s| s.id == application.school)
                .flat_map(|s| s.places)
                .collect();
            if !domain::rules::has_free_place(
                &places,
                &application.school,
                application.grade,
                application.language,
            ) {
                return Err(Error::NoFreePlaces);
            }
        }

        let decided_at = now
            .to_offset(time::UtcOffset::UTC)
            .format(&Rfc3339)
            .unwrap_or_default();
        let reason = match &decision {
            Decision::Reject(r) => Some(r.clone()),
            Decision::Accept => None,
        };
        let payload = DecisionPayload {
            application_id: portal_id,
            base_version: application.version,
            decision: decision.wire().to_string(),
            reason_code: reason.as_ref().map(|r| r.code().as_str().to_string()),
            reason_text: reason.as_ref().and_then(|r| r.text().map(str::to_string)),
            clerk_iin: clerk.to_string(),
            decided_at: decided_at.clone(),
        };
        let bytes = decision_bytes(&payload)?;
        // A key the desk holds or NCALayer (verified there): the certificate is the clerk's.
        let signing::SignedDecision {
            cms,
            signer: certificate,
            revocation,
        } = signer.sign_decision(clerk, &bytes, now)?;
        let request = DecisionRequest {
            decision: payload.decision.clone(),
            base_version: payload.base_version,
            reason: reason.as_ref().map(|r| portal_api::RejectReason {
                code: r.code().as_str().to_string(),
                text: r.text().map(str::to_string),
            }),
            decided_at,
            signature: Signature {
                payload_base64: BASE64.encode(&bytes),
                cms_base64: BASE64.encode(&cms),
            },
        };

        let from = application.status;
        application.status = to;
        application.reject_reason = reason;
        let signer_name = certificate
            .common_name
            .clone()
            .unwrap_or_else(|| clerk.to_string());
        let signature_doc = super::documents::signature_document(
            format!("{}-decision-{}", application.id.0, idempotency_key),
            format!("{}-{}.p7s", application.number, decision.wire()),
            &cms,
        );
        let action = LocalAction {
            application: &application,
            history: NewHistory {
                at: now,
                actor_iin: Some(clerk.to_string()),
                actor_name: Some(signer_name.clone()),
                kind: decision
                    .wire()
                    .replace("accept", "accepted")
                    .replace("reject", "rejected"),
                details: serde_json::json!({
                    "from": from.as_str(),
                    "to": to.as_str(),
                    "note": application.reject_reason.as_ref().and_then(|r| r.text().map(str::to_string)),
                    "reason_code": application.reject_reason.as_ref().map(|r| r.code().as_str()),
                    "signed_by": certificate.subject.clone(),
                    "algorithm": certificate.key_algorithm.name(),
                    // Offline the key signs without an answer from NCA's OCSP/CRL: the
                    // decision says so, and the portal checks on arrival (issue 10).
                    "revocation": crate::keys::revocation_text(revocation.as_ref()),
                    "signature_sha256": hex::encode(Sha256::digest(&cms)),
                    "payload_sha256": hex::encode(Sha256::digest(&bytes)),
                }),
            },
            outbox: NewOutbox {
                idempotency_key: idempotency_key.clone(),
                kind: "decision".to_string(),
                payload: serde_json::to_value(&request).map_err(|e| Error::BadQuery {
                    field: "request",
                    reason: e.to_string(),
                })?,
                signature: Some(cms.clone()),
                created_at: now,
            },
            attachments: vec![Attachment {
                meta: signature_doc,
                content: cms,
            }],
        };
        let seq = self.store.record_local_action(&action)?;
        Ok(DecisionOutcome {
            application_id: application.id.0.clone(),
            status: to.into(),
            outbox_seq: u32::try_from(seq).unwrap_or(u32::MAX),
            signer_name,
            signer_iin: clerk.to_string(),
            payload_sha256: hex::encode(Sha256::digest(&bytes)),
        })
    }
}
