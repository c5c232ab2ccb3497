//! A walk-in's held submission corrected and signed again (issue 11, R-13): the portal
//! refused the clerk's binding (R-15…R-17) and the clerk binds the address again, to the
//! micro-district the portal's message points to or another; or the population register
//! and the typed data differ and the clerk takes the register's version. Either
//! way the submission's signed content changes (it names the bound micro-district and
//! the names), so it is signed again — one signature for the binding and the submission —
//! and replaces the held entry, which stays in the outbox, finished and never sent
//! (migration 0014). Both versions are in the history; keeping what was typed stays
//! [`Desk::keep_typed_data`].

use crate::views::{BindingInput, ChildInput, PersonInput, SubmissionOutcome};
use crate::{Desk, Error};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use domain::{Iin, MicroDistrictId, PersonName};
use portal_api as wire;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use store::{Attachment, LocalAction, NewHistory, NewOutbox, OutboxEntry, REGISTER_UNCHECKED};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use ts_rs::TS;

/// What the clerk changes in the held submission, as the window sends it
/// (`{ kind: "rebind", binding }` or `{ kind: "register_version" }`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", content = "binding", rename_all = "snake_case")]
pub enum Correction {
    /// The portal refused the binding: the address bound again (R-15…R-17).
    Rebind(BindingInput),
    /// The register's version of every field where it differs from what was typed.
    RegisterVersion,
}

impl Correction {
    fn name(&self) -> &'static str {
        match self {
            Correction::Rebind(_) => "rebind",
            Correction::RegisterVersion => "register_version",
        }
    }
}

fn not_held() -> Error {
    Error::WalkIn {
        code: "HOLD_NOT_FOUND",
        seconds: 0,
    }
}

fn bad(field: &'static str, e: impl std::fmt::Display) -> Error {
    Error::BadQuery {
        field,
        reason: e.to_string(),
    }
}

/// The held submission: the application's pending on-behalf entry and its request.
struct Held {
    entry: OutboxEntry,
    request: wire::OnBehalfRequest,
}

/// What the request carries in the form the clerk signs it, documents by SHA-256.
fn signed_content(req: &wire::OnBehalfRequest) -> Result<wire::SignedContent, Error> {
    let child = req.child.clone().ok_or_else(not_held)?;
    let documents = req
        .documents
        .iter()
        .map(|d| {
            let bytes = BASE64
                .decode(d.content_base64.trim())
                .map_err(|e| bad("documents", e))?;
            Ok(wire::SignedDocument {
                kind: d.kind.clone(),
                file_name: d.file_name.clone(),
                size: bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&bytes)),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(wire::SignedContent::of_request(req, child, documents))
}

/// A name field of the register's version (`surname`, `given`, `patronymic`).
fn set_name(name: &mut wire::PersonName, part: &str, value: Option<&str>) -> Result<(), Error> {
    let parsed = |v: Option<&str>| -> Result<String, Error> {
        let v = v.ok_or_else(not_held)?;
        PersonName::parse(v).map_err(|e| Error::Invalid {
            fields: vec![(part.to_string(), e)],
        })?;
        Ok(v.trim().to_string())
    };
    match part {
        "surname" => name.surname = parsed(value)?,
        "given" => name.given = parsed(value)?,
        "patronymic" => {
            name.patronymic = match value.map(str::trim).filter(|v| !v.is_empty()) {
                Some(v) => Some(parsed(Some(v))?),
                None => None,
            }
        }
        _ => return Err(bad("field", format!("{part:?} is not a name's part"))),
    }
    Ok(())
}

/// The register's version applied to the request; `REGISTER_PERSON_MISSING` when the
/// register has no such person (nothing to take: keep what was typed or start again).
fn take_register(
    req: &mut wire::OnBehalfRequest,
    differences: &[serde_json::Value],
) -> Result<(), Error> {
    for d in differences {
        let field = d["field"].as_str().unwrap_or_default();
        let register = d["register"].as_str();
        let child = req.child.as_mut().ok_or_else(not_held)?;
        match field.split_once('.') {
            Some(("applicant" | "child", "iin")) => {
                return Err(Error::WalkIn {
                    code: "REGISTER_PERSON_MISSING",
                    seconds: 0,
                });
            }
            Some(("applicant", part)) => set_name(&mut req.applicant.name, part, register)?,
            Some(("child", "birth_certificate")) => {
                child.birth_certificate = register.unwrap_or_default().trim().to_string();
            }
            Some(("child", "registered_address")) => {
                child.registered_address = register.unwrap_or_default().trim().to_string();
            }
            Some(("child", part)) => set_name(&mut child.name, part, register)?,
            _ => return Err(bad("field", format!("{field:?} is not a register field"))),
        }
    }
    Ok(())
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

impl Desk {
    /// The application's held submission, and what the correction needs of it: for
    /// [`Correction::Rebind`] its latest binding refused by the portal, for
    /// [`Correction::RegisterVersion`] the register's findings. `HOLD_NOT_FOUND` else.
    fn held(
        &self,
        application_id: &str,
        correction: &Correction,
    ) -> Result<(Held, Vec<serde_json::Value>), Error> {
        let entries = self.store.outbox_for(application_id)?;
        let entry = entries
            .iter()
            .rev()
            .find(|e| e.kind == "on_behalf" && e.state == "pending")
            .cloned()
            .ok_or_else(not_held)?;
        let differences = match correction {
            Correction::Rebind(_) => {
                let last = entries
                    .iter()
                    .rev()
                    .find(|e| e.kind == crate::walk_in_binding::OUTBOX_KIND);
                if last.is_none_or(|b| b.state != "refused") {
                    return Err(not_held());
                }
                Vec::new()
            }
            Correction::RegisterVersion => self
                .store
                .open_holds(application_id)?
                .into_iter()
                .find(|h| h.seq == entry.seq && h.reason == REGISTER_UNCHECKED)
                .and_then(|h| h.details)
                .and_then(|d| d["differences"].as_array().cloned())
                .filter(|d| !d.is_empty())
                .ok_or_else(not_held)?,
        };
        let request = match self.store.outbox_request(entry.seq)? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| bad("request", e))?,
            None => serde_json::from_value(entry.payload.clone()).map_err(|e| bad("request", e))?,
        };
        Ok((Held { entry, request }, differences))
    }

    /// The correction's fields checked before the key is opened (a wrong field must not
    /// cost a PIN try): the held submission is there, a new binding's responsibility is
    /// confirmed and its micro-district is of the reference list.
    pub fn check_correction(
        &self,
        application_id: &str,
        correction: &Correction,
    ) -> Result<(), Error> {
        let (held, _) = self.held(application_id, correction)?;
        if let Correction::Rebind(binding) = correction {
            let wrong = crate::walk_in_binding::check(self, &child_of(&held.request, binding))?;
            if !wrong.is_empty() {
                return Err(Error::Invalid { fields: wrong });
            }
        }
        Ok(())
    }

    /// Corrects the held submission of `application_id` and signs it again with
    /// `signer`: a new binding first when re-bound (R-15…R-17), then the
    /// submission with the corrected content; the held entry is replaced (it stays,
    /// finished, migration 0014) and what it still waited for carries over, except the
    /// register check the register's version answers. `idempotency_key`: the new
    /// submission's (the binding's is it with `-binding`).
    pub fn correct_held_submission<S: signing::DecisionSigner + ?Sized>(
        &mut self,
        clerk: &Iin,
        application_id: &str,
        correction: &Correction,
        signer: &S,
        now: OffsetDateTime,
        idempotency_key: &str,
    ) -> Result<SubmissionOutcome, Error> {
        self.check_correction(application_id, correction)?;
        let (Held { entry, request }, differences) = self.held(application_id, correction)?;
        let (mut application, _, _) = self.store.application(application_id)?;
        let mut corrected = request.clone();
        let child_iin = Iin::parse(&request.child_iin).map_err(|e| Error::Invalid {
            fields: vec![("child.person.iin".into(), e)],
        })?;
        let mut binding = None;
        let details_before;
        let details_after;
        match correction {
            Correction::Rebind(rebind) => {
                let md = rebind.micro_district_id.trim().to_string();
                details_before =
                    serde_json::json!({ "micro_district_id": request.bound_micro_district_id });
                details_after = serde_json::json!({ "micro_district_id": md });
                corrected.bound_micro_district_id = Some(md.clone());
                application.child.registered_address.micro_district = Some(MicroDistrictId(md));
                let child = child_of(&request, rebind);
                binding = crate::walk_in_binding::payload(clerk, &child_iin, &child, &rfc3339(now))
                    .map(|p| (p, child));
            }
            Correction::RegisterVersion => {
                take_register(&mut corrected, &differences)?;
                details_before = serde_json::json!({ "differences": differences });
                details_after = serde_json::json!({ "taken": "register" });
                let name = |n: &wire::PersonName, field: &str| {
                    portal_api::convert::name_from_wire("name", n)
                        .map_err(|e| bad("name", format!("{field}: {e}")))
                };
                application.applicant.name = name(&corrected.applicant.name, "applicant")?;
                if let Some(c) = &corrected.child {
                    application.child.name = name(&c.name, "child")?;
                    application.child.birth_certificate = c.birth_certificate.clone();
                    application.child.registered_address.full = c.registered_address.clone();
                }
            }
        }

        // the corrected content, signed again (the parent's submission time stays),
        // with the new binding in the same signature (the key asked once).
        let payload = wire::SubmissionPayload {
            child_iin: corrected.child_iin.clone(),
            applicant_iin: corrected.applicant.iin.clone(),
            school_id: corrected.school_id.clone(),
            language: corrected.language.clone(),
            clerk_iin: clerk.to_string(),
            submitted_at: corrected.submitted_at.clone(),
            content: Some(signed_content(&corrected)?),
            binding: binding.as_ref().map(|(p, _)| p.clone()),
        };
        let value = serde_json::to_value(&payload).map_err(|e| bad("payload", e))?;
        let bytes = signing::canonical_json(&value);
        let signed = signer.sign_decision(clerk, &bytes, now)?;
        corrected.signature = wire::Signature {
            payload_base64: BASE64.encode(&bytes),
            cms_base64: BASE64.encode(&signed.cms),
        };
        let mut before = Vec::new();
        if let Some((p, child)) = &binding {
            before.push(crate::walk_in_binding::queued(
                p,
                child,
                &corrected.signature,
                &signed,
                now,
                idempotency_key,
            )?);
        }
        let payload_sha256 = hex::encode(Sha256::digest(&bytes));

        // What the held entry still waited for carries over.
        let holds: Vec<String> = self
            .store
            .open_holds(application_id)?
            .into_iter()
            .filter(|h| h.seq == entry.seq)
            .filter(|h| {
                !(h.reason == REGISTER_UNCHECKED && *correction == Correction::RegisterVersion)
            })
            .map(|h| h.reason)
            .collect();
        let holds: Vec<&str> = holds.iter().map(String::as_str).collect();
        let number = application.number.to_string();
        let short_key: String = idempotency_key.chars().take(8).collect();
        let cms = signed.cms.clone();
        let attachment = Attachment {
            meta: crate::decisions::documents::signature_document(
                format!("{application_id}-submission-signature-{short_key}"),
                format!("{number}-submission-corrected.p7s"),
                &cms,
            ),
            content: cms,
        };
        let recorded = self.store.record_correction(
            entry.seq,
            &LocalAction {
                application: &application,
                history: NewHistory {
                    at: now,
                    actor_iin: Some(clerk.to_string()),
                    actor_name: signed.signer.common_name.clone(),
                    kind: "submission_corrected".into(),
                    details: serde_json::json!({
                        "correction": correction.name(),
                        "before": details_before,
                        "after": details_after,
                        "replaces": entry.idempotency_key,
                        "number": number,
                        "signed_by": signed.signer.subject,
                        "revocation": crate::keys::revocation_text(signed.revocation.as_ref()),
                        "payload_sha256": payload_sha256,
                    }),
                },
                outbox: NewOutbox {
                    idempotency_key: idempotency_key.to_string(),
                    kind: "on_behalf".into(),
                    payload: serde_json::to_value(&corrected).map_err(|e| bad("request", e))?,
                    signature: None,
                    created_at: now,
                },
                attachments: vec![attachment],
            },
            &before,
            &holds,
        )?;
        if recorded.is_none() {
            // Sent meanwhile: the portal has the submission as it was.
            return Err(not_held());
        }
        Ok(SubmissionOutcome {
            application_id: application_id.to_string(),
            number,
            warnings: Vec::new(),
            payload_sha256,
        })
    }
}

/// The child of a held request as the binding needs it (the registered address).
fn child_of(req: &wire::OnBehalfRequest, binding: &BindingInput) -> ChildInput {
    let typed = req.child.as_ref();
    ChildInput {
        person: PersonInput {
            iin: req.child_iin.clone(),
            ..PersonInput::default()
        },
        birth_certificate: typed
            .map(|c| c.birth_certificate.clone())
            .unwrap_or_default(),
        registered_address: typed
            .map(|c| c.registered_address.clone())
            .unwrap_or_default(),
        registered_address_id: typed.and_then(|c| c.registered_address_id.clone()),
        micro_district_id: None,
        binding: Some(binding.clone()),
    }
}
