//! The clerk's binding of a walk-in child's registered address to a micro-district
//! (R-15…R-17): which micro-district the submission goes by, the checks of the binding's
//! fields, and the signed act that reaches the portal before the submission that needs
//! it (`POST /micro-district-bindings`, outbox kind `binding`).

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

/// The signed binding, with its history entry and outbox entry, to be queued before the
/// submission (`idempotency_key`: the submission's, with `-binding`).
pub(crate) fn signed<S: signing::DecisionSigner + ?Sized>(
    clerk: &Iin,
    child_iin: &Iin,
    child: &ChildInput,
    signer: &S,
    now: OffsetDateTime,
    bound_at: &str,
    submission_key: &str,
) -> Result<Option<(NewHistory, NewOutbox)>, Error> {
    let Some(b) = &child.binding else {
        return Ok(None);
    };
    let payload = BindingPayload {
        child_iin: child_iin.to_string(),
        address_id: child
            .registered_address_id
            .clone()
            .filter(|a| !a.trim().is_empty()),
        micro_district_id: b.micro_district_id.trim().to_string(),
        responsibility_confirmed: b.responsibility_confirmed,
        clerk_iin: clerk.to_string(),
        bound_at: bound_at.to_string(),
    };
    let value = serde_json::to_value(&payload).map_err(|e| Error::BadQuery {
        field: "binding",
        reason: e.to_string(),
    })?;
    let bytes = signing::canonical_json(&value);
    let signed = signer.sign_decision(clerk, &bytes, now)?;
    let request = BindingRequest {
        child_iin: payload.child_iin.clone(),
        address_id: payload.address_id.clone(),
        micro_district_id: payload.micro_district_id.clone(),
        responsibility_confirmed: payload.responsibility_confirmed,
        bound_at: payload.bound_at.clone(),
        signature: Signature {
            payload_base64: BASE64.encode(&bytes),
            cms_base64: BASE64.encode(&signed.cms),
        },
    };
    let history = NewHistory {
        at: now,
        actor_iin: Some(clerk.to_string()),
        actor_name: signed.signer.common_name.clone(),
        kind: "micro_district_binding".into(),
        details: serde_json::json!({
            "micro_district_id": payload.micro_district_id,
            "address_id": payload.address_id,
            "address": child.registered_address.trim(),
            "responsibility_confirmed": true,
            "signed_by": signed.signer.subject,
            "revocation": crate::keys::revocation_text(signed.revocation.as_ref()),
            "payload_sha256": Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>(),
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
    Ok(Some((history, outbox)))
}
