//! The clerk's binding of a walk-in child's registered address to a micro-district
//! (R-15…R-17): which micro-district the submission goes by, the checks of the binding's
//! fields, and the act that reaches the portal before the submission that needs it
//! (`POST /micro-district-bindings`, outbox kind `binding`), signed with that
//! submission: one signature over the submission's payload, which carries the binding.

use crate::views::ChildInput;
use crate::{Desk, Error};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use domain::Iin;
use portal_api::{BindingPayload, BindingRequest, Signature};
use sha2::{Digest, Sha256};
use store::{NewHistory, NewOutbox};
use time::OffsetDateTime;

/// The outbox kind of a binding.
pub const OUTBOX_KIND: &str = "binding";

/// The micro-district the child's school goes by: the clerk's binding, else the one the
/// register (or an earlier application) gave the address. `None`: the R-15 case.
pub fn micro_district_of(child: &ChildInput) -> Option<String> {
    match &child.binding {
        Some(b) => Some(b.micro_district_id.trim().to_string()).filter(|m| !m.is_empty()),
        None => child
            .micro_district_id
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_string),
    }
}

/// The binding's field errors (R-16: responsibility confirmed; a micro-district of the
/// reference list), as `(field, error)`.
pub(crate) fn check(
    desk: &Desk,
    child: &ChildInput,
) -> Result<Vec<(String, domain::Error)>, Error> {
    let Some(b) = &child.binding else {
        return Ok(Vec::new());
    };
    let mut wrong = Vec::new();
    if !b.responsibility_confirmed {
        wrong.push((
            "child.binding.responsibility_confirmed".to_string(),
            domain::Error::ResponsibilityNotConfirmed,
        ));
    }
    let known = desk
        .store()
        .micro_districts()?
        .into_iter()
        .any(|(id, _, _, _)| id.0 == b.micro_district_id.trim());
    if !known {
        wrong.push((
            "child.binding.micro_district_id".to_string(),
            domain::Error::MicroDistrictMissing,
        ));
    }
    Ok(wrong)
}

/// What the clerk signs for the binding (R-15…R-17), `None` without one. It goes into
/// the submission's signed payload (`SubmissionPayload.binding`): one signature covers
/// both acts, so the key — NCALayer's window, a token's PIN — is asked once.
pub(crate) fn payload(
    clerk: &Iin,
    child_iin: &Iin,
    child: &ChildInput,
    bound_at: &str,
) -> Option<BindingPayload> {
    let b = child.binding.as_ref()?;
    Some(BindingPayload {
        child_iin: child_iin.to_string(),
        address_id: child
            .registered_address_id
            .clone()
            .filter(|a| !a.trim().is_empty()),
        micro_district_id: b.micro_district_id.trim().to_string(),
        responsibility_confirmed: b.responsibility_confirmed,
        clerk_iin: clerk.to_string(),
        bound_at: bound_at.to_string(),
    })
}

/// The binding's history entry and outbox entry, to be queued before the submission
/// whose signature (`signature`, by `signed`) covers it (`idempotency_key`: the
/// submission's, with `-binding`).
pub(crate) fn queued(
    payload: &BindingPayload,
    child: &ChildInput,
    signature: &Signature,
    signed: &signing::SignedDecision,
    now: OffsetDateTime,
    submission_key: &str,
) -> Result<(NewHistory, NewOutbox), Error> {
    let request = BindingRequest {
        child_iin: payload.child_iin.clone(),
        address_id: payload.address_id.clone(),
        micro_district_id: payload.micro_district_id.clone(),
        responsibility_confirmed: payload.responsibility_confirmed,
        bound_at: payload.bound_at.clone(),
        signature: signature.clone(),
    };
    let signed_bytes = BASE64
        .decode(signature.payload_base64.as_bytes())
        .map_err(|e| Error::BadQuery {
            field: "binding",
            reason: e.to_string(),
        })?;
    let history = NewHistory {
        at: now,
        actor_iin: Some(payload.clerk_iin.clone()),
        actor_name: signed.signer.common_name.clone(),
        kind: "micro_district_binding".into(),
        details: serde_json::json!({
            "micro_district_id": payload.micro_district_id,
            "address_id": payload.address_id,
            "address": child.registered_address.trim(),
            "responsibility_confirmed": true,
            "signed_by": signed.signer.subject,
            "signed_with_submission": true,
            "revocation": crate::keys::revocation_text(signed.revocation.as_ref()),
            "payload_sha256": hex::encode(Sha256::digest(&signed_bytes)),
        }),
    };
    let outbox = NewOutbox {
        idempotency_key: format!("{submission_key}-binding"),
        kind: OUTBOX_KIND.into(),
        payload: serde_json::to_value(&request).map_err(|e| Error::BadQuery {
            field: "binding",
            reason: e.to_string(),
        })?,
        signature: None,
        created_at: now,
    };
    Ok((history, outbox))
}
