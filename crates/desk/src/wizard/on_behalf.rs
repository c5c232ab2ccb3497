//! Submitting an application on behalf of a walk-in parent (R-8…R-18), online or
//! offline: every field is parsed and every wrong one reported at once; the rules
//! are checked; the clerk signs; the application appears in the journal at once
//! with a provisional number, its documents cached, and the signed request waits in the
//! outbox until the portal gives its number.

use crate::picked_files::{FilePurpose, PickedFiles};
use crate::views::{OnBehalfInput, SubmissionOutcome};
use crate::wizard::fields::Fields;
use crate::{Desk, Error};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use domain::rules::{self, AgeCheck};
use domain::{
    Address, Applicant, Application, ApplicationId, ApplicationNumber, Child, Contacts,
    DocumentKind, DocumentMeta, Email, Iin, InstructionLanguage, MicroDistrictId, Phone, SchoolId,
    Status,
};
use portal_api::{OnBehalfRequest, Signature, SubmissionPayload};
use sha2::{Digest, Sha256};
use store::{Attachment, LocalAction, NewHistory, NewOutbox};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Ids the caller makes (so tests are deterministic): the application's id and the
/// outbox entry's idempotency key.
#[derive(Debug, Clone)]
pub struct SubmissionIds {
    pub application_id: String,
    pub idempotency_key: String,
}

impl SubmissionIds {
    /// The ids of a submission entered at this desk, from two fresh random values the
    /// caller makes (uuid v4): the application is `local-<application>` in the journal
    /// until the portal gives its own id; the outbox entry is sent under
    /// `idempotency_key`.
    pub fn new(application: &str, idempotency_key: &str) -> SubmissionIds {
        SubmissionIds {
            application_id: format!("local-{application}"),
            idempotency_key: idempotency_key.to_string(),
        }
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// A document read from disk and checked.
struct Loaded {
    meta: DocumentMeta,
    content: Vec<u8>,
}

impl Desk {
    /// Submits on behalf of the applicant. `clerk` signs with `signer`; `now` is
    /// the submission time.
    pub fn submit_on_behalf<S: signing::DecisionSigner + ?Sized>(
        &mut self,
        clerk: &Iin,
        input: &OnBehalfInput,
        files: &PickedFiles,
        signer: &S,
        now: OffsetDateTime,
        ids: &SubmissionIds,
    ) -> Result<SubmissionOutcome, Error> {
        let mut f = Fields::default();
        let (applicant_iin, applicant_name) = f.person("applicant", &input.applicant);
        let (child_iin, child_name) = f.person("child.person", &input.child.person);
        let phone = f.take("phone", Phone::parse(&input.phone));
        let extra_phone = f.optional("extra_phone", &input.extra_phone, Phone::parse);
        let email = f.optional("email", &input.email, Email::parse);
        let grade = f.take("grade", crate::wizard_form::grade_of(input));
        let language = f.take("language", InstructionLanguage::parse(&input.language));
        let temporary = f.temporary_registration(input.temporary_registration.as_ref());
        let consents = crate::wizard_form::consents_of(input);
        f.take("consents", consents.check());
        f.take(
            "notification_channel",
            consents.check_notifications(!input.email.trim().is_empty()),
        );
        if input.child.birth_certificate.trim().is_empty() {
            f.0.push(("child.birth_certificate".into(), domain::Error::NameEmpty));
        }
        // a school is chosen by the micro-district of the registered address;
        // without one the address must be bound first, or a temporary registration given.
        let micro_district = crate::walk_in_binding::micro_district_of(&input.child);
        f.0.extend(crate::walk_in_binding::check(self, &input.child)?);
        if micro_district.is_none() && input.temporary_registration.is_none() {
            f.0.push((
                "child.micro_district_id".into(),
                domain::Error::MicroDistrictMissing,
            ));
        }
        let mut documents = Vec::new();
        for (i, d) in input.documents.iter().enumerate() {
            let field = format!("documents[{i}]");
            let Some(kind) = DocumentKind::parse(&d.kind).filter(|k| !k.is_generated()) else {
                return Err(Error::BadQuery {
                    field: "documents",
                    reason: format!("{:?} is not a document kind", d.kind),
                });
            };
            // Issue 15: the bytes the dialog's pick read and checked, never a path.
            let picked = files.get(&d.file, FilePurpose::Document)?;
            let content = match picked.usable() {
                Ok(bytes) => bytes.to_vec(),
                Err(Error::Domain(e)) => {
                    f.0.push((field, e));
                    continue;
                }
                Err(e) => return Err(e),
            };
            documents.push(Loaded {
                meta: DocumentMeta {
                    id: format!("{}-doc-{i}", ids.application_id),
                    kind,
                    file_name: picked.file_name.clone(),
                    media_type: picked.media_type.to_string(),
                    size: content.len() as u64,
                    sha256: hex::encode(Sha256::digest(&content)),
                },
                content,
            });
        }
        let kinds: Vec<DocumentKind> = documents.iter().map(|d| d.meta.kind).collect();
        f.take("documents", rules::check_mandatory_documents(&kinds));

        let mut warnings = Vec::new();
        if let Some(iin) = &child_iin {
            // against what this journal knows; the portal checks the region.
            let statuses: Vec<Status> = self
                .store
                .statuses_of_child(iin)?
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            f.take("child.person.iin", rules::check_can_submit(statuses));
            if let Some(AgeCheck::OlderThanUsual { .. }) = f.take(
                "child.person.iin",
                rules::check_age(iin.birth_date(), now.year()),
            ) {
                warnings.push("CHILD_OLDER_THAN_USUAL".to_string());
            }
        }

        let (
            Some(applicant_iin),
            Some(applicant_name),
            Some(child_iin),
            Some(child_name),
            Some(phone),
            Some(extra_phone),
            Some(email),
            Some(grade),
            Some(language),
            Some(temporary),
        ) = (
            applicant_iin,
            applicant_name,
            child_iin,
            child_name,
            phone,
            extra_phone,
            email,
            grade,
            language,
            temporary,
        )
        else {
            return Err(Error::Invalid { fields: f.0 });
        };
        if !f.0.is_empty() {
            return Err(Error::Invalid { fields: f.0 });
        }

        // only a school with free places for the class and language.
        let school = SchoolId(input.school_id.trim().to_string());
        let places = self
            .store
            .schools()?
            .into_iter()
            .find(|s| s.id == school)
            .ok_or_else(|| Error::SchoolUnknown {
                id: school.0.clone(),
            })?;
        if !domain::rules::has_free_place(&places.places, &school, grade, language) {
            return Err(Error::NoFreePlaces);
        }

        let submitted_at = rfc3339(now);
        let applicant_wire = portal_api::Person {
            iin: applicant_iin.to_string(),
            name: portal_api::convert::name_to_wire(&applicant_name),
        };
        let child_wire = portal_api::ChildSubmitted {
            name: portal_api::convert::name_to_wire(&child_name),
            birth_certificate: input.child.birth_certificate.trim().to_string(),
            registered_address: input.child.registered_address.trim().to_string(),
            registered_address_id: input
                .child
                .registered_address_id
                .clone()
                .filter(|a| !a.trim().is_empty()),
        };
        let contacts_wire = portal_api::Contacts {
            phone: phone.e164(),
            extra_phone: extra_phone.as_ref().map(Phone::e164),
            email: email.as_ref().map(ToString::to_string),
        };
        let code_id = |s: &str| Some(s.trim().to_string()).filter(|c| !c.is_empty());
        let confirmations = portal_api::Confirmations {
            phone_code_id: code_id(&input.phone_code_id),
            email_code_id: email.as_ref().and_then(|_| code_id(&input.email_code_id)),
        };
        // what the submission waits for before it is sent.
        let mut holds = Vec::new();
        if confirmations.phone_code_id.is_none() {
            holds.push(store::PHONE_UNCONFIRMED);
        }
        if email.is_some() && confirmations.email_code_id.is_none() {
            holds.push(store::EMAIL_UNCONFIRMED);
        }
        if !input.register_checked {
            holds.push(store::REGISTER_UNCHECKED);
        }
        let temporary_wire = temporary
            .as_ref()
            .map(|t| portal_api::TemporaryRegistration {
                address: t.address().to_string(),
                from: t.from().to_string(),
                until: t.until().to_string(),
            });
        let consents_wire = portal_api::Consents {
            admission_rules: consents.admission_rules,
            portal_terms: consents.portal_terms,
            personal_data: consents.personal_data,
            notifications: consents.notifications.map(|l| l.code().to_string()),
            notification_channel: consents
                .notification_channel
                .map(|n| n.as_str().to_string()),
        };
        let actual_address =
            Some(input.actual_address.trim().to_string()).filter(|a| !a.is_empty());
        let bound_micro_district_id = input
            .child
            .binding
            .as_ref()
            .map(|b| b.micro_district_id.trim().to_string());
        // everything the parent applied with is signed, documents by SHA-256.
        let content = portal_api::SignedContent {
            applicant: applicant_wire.clone(),
            child: child_wire.clone(),
            contacts: contacts_wire.clone(),
            confirmations: confirmations.clone(),
            actual_address: actual_address.clone(),
            temporary_registration: temporary_wire.clone(),
            bound_micro_district_id: bound_micro_district_id.clone(),
            grade: grade.get(),
            consents: consents_wire.clone(),
            documents: documents
                .iter()
                .map(|d| portal_api::SignedDocument {
                    kind: d.meta.kind.as_str().to_string(),
                    file_name: d.meta.file_name.clone(),
                    size: d.meta.size,
                    sha256: d.meta.sha256.clone(),
                })
                .collect(),
        };
        // R-15…R-17: the binding is its own act, queued before the submission, and
        // signed with it: one signature over the payload that carries both (the key is
        // asked once, NCALayer's window opens once).
        let binding_payload =
            crate::walk_in_binding::payload(clerk, &child_iin, &input.child, &submitted_at);
        let payload = SubmissionPayload {
            child_iin: child_iin.to_string(),
            applicant_iin: applicant_iin.to_string(),
            school_id: school.0.clone(),
            language: language.as_str().to_string(),
            clerk_iin: clerk.to_string(),
            submitted_at: submitted_at.clone(),
            content: Some(content),
            binding: binding_payload.clone(),
        };
        let value = serde_json::to_value(&payload).map_err(|e| Error::BadQuery {
            field: "payload",
            reason: e.to_string(),
        })?;
        let bytes = signing::canonical_json(&value);
        let signed = signer.sign_decision(clerk, &bytes, now)?;
        let signature = Signature {
            payload_base64: BASE64.encode(&bytes),
            cms_base64: BASE64.encode(&signed.cms),
        };
        let binding = match &binding_payload {
            Some(b) => Some(crate::walk_in_binding::queued(
                b,
                &input.child,
                &signature,
                &signed,
                now,
                &ids.idempotency_key,
            )?),
            None => None,
        };
        let signing::SignedDecision {
            cms,
            signer: signed_by,
            revocation,
        } = signed;

        let seq = self.store.next_provisional_seq()?;
        let year = u16::try_from(now.year()).unwrap_or(2026);
        let number = ApplicationNumber::Provisional { year, seq };
        let application = Application {
            id: ApplicationId(ids.application_id.clone()),
            number: number.clone(),
            submitted_at: now,
            applicant: Applicant {
                iin: applicant_iin,
                name: applicant_name.clone(),
            },
            child: Child {
                iin: child_iin,
                name: child_name,
                birth_certificate: input.child.birth_certificate.trim().to_string(),
                registered_address: Address {
                    id: input.child.registered_address_id.clone(),
                    full: input.child.registered_address.trim().to_string(),
                    micro_district: micro_district.map(MicroDistrictId),
                },
            },
            contacts: Contacts {
                phone: phone.clone(),
                extra_phone: extra_phone.clone(),
                email: email.clone(),
            },
            actual_address: Some(input.actual_address.trim().to_string()).filter(|a| !a.is_empty()),
            temporary_registration: temporary.clone(),
            school: school.clone(),
            grade,
            language,
            documents: documents.iter().map(|d| d.meta.clone()).collect(),
            consents,
            status: Status::New,
            version: 0,
            reject_reason: None,
            on_behalf: true,
        };
        let request = OnBehalfRequest {
            applicant: applicant_wire,
            child_iin: child_iin.to_string(),
            contacts: contacts_wire,
            actual_address,
            temporary_registration: temporary_wire,
            school_id: school.0.clone(),
            grade: grade.get(),
            language: language.as_str().to_string(),
            documents: documents
                .iter()
                .map(|d| portal_api::DocumentUpload {
                    kind: d.meta.kind.as_str().to_string(),
                    file_name: d.meta.file_name.clone(),
                    media_type: d.meta.media_type.clone(),
                    content_base64: BASE64.encode(&d.content),
                })
                .collect(),
            consents: consents_wire,
            submitted_at,
            signature,
            child: Some(child_wire),
            confirmations: Some(confirmations),
            bound_micro_district_id,
        };
        let certificate = &signed_by;
        let signer_name = certificate
            .common_name
            .clone()
            .unwrap_or_else(|| clerk.to_string());
        let mut attachments: Vec<Attachment> = documents
            .into_iter()
            .map(|d| Attachment {
                meta: d.meta,
                content: d.content,
            })
            .collect();
        attachments.push(Attachment {
            meta: crate::decisions::documents::signature_document(
                format!("{}-submission-signature", ids.application_id),
                format!("{number}-submission.p7s"),
                &cms,
            ),
            content: cms,
        });
        let payload_sha256 = hex::encode(Sha256::digest(&bytes));
        let before: Vec<_> = binding.into_iter().collect();
        self.store.record_local_action_after(
            &LocalAction {
                application: &application,
                history: NewHistory {
                    at: now,
                    actor_iin: Some(clerk.to_string()),
                    actor_name: Some(signer_name),
                    kind: "submitted_on_behalf".into(),
                    details: serde_json::json!({
                        "to": "new",
                        "number": number.to_string(),
                        "signed_by": certificate.subject.clone(),
                        "algorithm": certificate.key_algorithm.name(),
                        // Offline the key signs without an answer from NCA's OCSP/CRL: the
                        // decision says so, and the portal checks on arrival (issue 10).
                        "revocation": crate::keys::revocation_text(revocation.as_ref()),
                        "payload_sha256": payload_sha256.clone(),
                    }),
                },
                outbox: NewOutbox {
                    idempotency_key: ids.idempotency_key.clone(),
                    kind: "on_behalf".into(),
                    payload: serde_json::to_value(&request).map_err(|e| Error::BadQuery {
                        field: "request",
                        reason: e.to_string(),
                    })?,
                    signature: None,
                    created_at: now,
                },
                attachments,
            },
            &before,
            &holds,
        )?;
        // The draft and its kept documents are done with (issue 16, issue 11). The
        // submission stands even if this fails: a draft left behind is discarded by the
        // window, or after 30 days.
        let _ = self.store.delete_draft(clerk, store::DRAFT_ON_BEHALF);
        let _ = self.store.delete_draft_documents_except(clerk, &[]);
        Ok(SubmissionOutcome {
            application_id: ids.application_id.clone(),
            number: number.to_string(),
            warnings,
            payload_sha256,
        })
    }
}
