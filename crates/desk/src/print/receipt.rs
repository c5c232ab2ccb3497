//! Printing for the parent at the desk: the receipt that fits the application's
//! state — acceptance receipt, rejection notice, or the document receipt of an
//! on-behalf submission — from what the journal holds, with the QR proof of the
//! signed decision. A receipt printed before the portal confirmed is provisional.

use crate::views::{ReceiptCheck, ReceiptFile};
use crate::{Desk, Error};
use domain::{Lang, Status};
use receipts::{
    ApplicantInput, ChildInput, ClerkInput, ReasonInput, ReceiptInput, ReceiptStyle, SchoolInput,
};
use store::HistoryRecord;
use time::format_description::well_known::Rfc3339;

fn kind_of(status: Status, on_behalf: bool) -> Option<(&'static str, &'static [&'static str])> {
    match status {
        Status::Accepted => Some(("acceptance", &["accepted"])),
        Status::Rejected => Some(("rejection", &["rejected"])),
        Status::New | Status::UnderReview if on_behalf => {
            Some(("documents", &["submitted_on_behalf"]))
        }
        _ => None,
    }
}

impl Desk {
    /// Which receipt the application's state has (`acceptance`, `rejection`, `documents`),
    /// or `None` — so the window shows "Print receipt" only where [`Desk::receipt`] works.
    pub fn receipt_kind(&self, application_id: &str) -> Result<Option<String>, Error> {
        let (app, _, _) = self.store.application(application_id)?;
        Ok(kind_of(app.status, app.on_behalf).map(|(kind, _)| kind.to_string()))
    }

    /// The receipt PDF for an application, in `lang` (default: its language of
    /// instruction). Refused (`RECEIPT_NOT_AVAILABLE`) when the state has none: a new
    /// application from a parent at home, or a withdrawn one.
    pub fn receipt(&self, application_id: &str, lang: Option<Lang>) -> Result<ReceiptFile, Error> {
        let (app, _, _) = self.store.application(application_id)?;
        let (kind, entry_kinds) =
            kind_of(app.status, app.on_behalf).ok_or(Error::ReceiptNotAvailable {
                status: app.status.as_str(),
            })?;
        let history = self.store.history(application_id)?;
        let entry: Option<&HistoryRecord> = history
            .iter()
            .rev()
            .find(|h| entry_kinds.contains(&h.kind.as_str()));
        let clerk_record = match self
            .store
            .sync_value("clerk_iin")?
            .as_deref()
            .map(domain::Iin::parse)
        {
            Some(Ok(iin)) => self.store.staff(&iin)?,
            _ => self.store.any_staff()?,
        };
        let (clerk_name, clerk_iin) =
            match entry.and_then(|e| e.actor_iin.clone().zip(e.actor_name.clone())) {
                Some((iin, name))
                    if domain::Iin::parse(&iin).is_ok() && iin != app.applicant.iin.to_string() =>
                {
                    (name, iin)
                }
                _ => clerk_record
                    .map(|c| (c.name.display(), c.iin.to_string()))
                    .ok_or(Error::ReceiptNotAvailable {
                        status: app.status.as_str(),
                    })?,
            };
        let decided_at = entry.map_or(app.submitted_at, |e| e.at);
        let school = self
            .store
            .schools()?
            .into_iter()
            .find(|s| s.id == app.school);
        let lang = lang.unwrap_or(match app.language {
            domain::InstructionLanguage::Kk => Lang::Kk,
            domain::InstructionLanguage::Ru => Lang::Ru,
        });
        let (school_name, school_address) = match (&school, lang) {
            (Some(s), Lang::Kk) => (s.name_kk.clone(), s.address_kk.clone()),
            (Some(s), Lang::Ru) => (s.name_ru.clone(), s.address_ru.clone()),
            (None, _) => (app.school.0.clone(), app.school.0.clone()),
        };
        let patronymic = |n: &domain::FullName| n.patronymic.as_ref().map(ToString::to_string);
        let input = ReceiptInput {
            kind: Some(kind.to_string()),
            lang: Some(lang.code().to_string()),
            application_number: Some(app.number.to_string()),
            school: Some(SchoolInput {
                name: Some(school_name),
                address: Some(school_address),
            }),
            child: Some(ChildInput {
                surname: Some(app.child.name.surname.to_string()),
                name: Some(app.child.name.given.to_string()),
                patronymic: patronymic(&app.child.name),
                iin: Some(app.child.iin.to_string()),
                birth_date: Some(app.child.iin.birth_date().to_string()),
            }),
            applicant: Some(ApplicantInput {
                surname: Some(app.applicant.name.surname.to_string()),
                name: Some(app.applicant.name.given.to_string()),
                patronymic: patronymic(&app.applicant.name),
                iin: Some(app.applicant.iin.to_string()),
                phone: Some(app.contacts.phone.e164()),
            }),
            class: Some(app.grade.get()),
            language_of_instruction: Some(app.language.as_str().to_string()),
            decided_at: Some(
                domain::office_time::in_office(decided_at)
                    .format(&Rfc3339)
                    .unwrap_or_default(),
            ),
            clerk: Some(ClerkInput {
                name: Some(clerk_name),
                iin: Some(clerk_iin),
            }),
            documents: Some(
                app.documents
                    .iter()
                    .filter(|d| !d.kind.is_generated())
                    .map(|d| format!("{} ({})", d.kind.label(lang), d.file_name))
                    .collect(),
            ),
            reason: app
                .reject_reason
                .as_ref()
                .filter(|_| kind == "rejection")
                .map(|r| ReasonInput {
                    code: Some(r.code().as_str().to_string()),
                    text: r.text().map(str::to_string),
                }),
            provisional: None,
            signature_digest: entry
                .and_then(|e| e.details.get("payload_sha256"))
                .and_then(|v| v.as_str())
                .map(str::to_string),
        };
        let receipt = input.validate()?;
        let pdf = receipts::render(&receipt, &ReceiptStyle::default());
        Ok(ReceiptFile {
            file_name: format!("{}-{}-{}.pdf", app.number, kind, lang.code()),
            kind: kind.to_string(),
            provisional: receipt.is_provisional(),
            qr: receipts::QrPayload::for_receipt(&receipt).to_string(),
            pdf,
        })
    }

    /// Checks a receipt's QR text against this journal: the application exists, the
    /// decision and its date match, and the digest is that of the bytes the clerk signed.
    pub fn verify_receipt(&self, qr: &str) -> Result<ReceiptCheck, Error> {
        let payload = receipts::QrPayload::parse(qr)?;
        let number = payload.number.to_string();
        let rows = self.store.journal(&store::JournalFilter {
            search: Some(store::SearchTerm::NumberPrefix(number.clone())),
            limit: 2,
            ..Default::default()
        })?;
        let row = rows
            .into_iter()
            .find(|r| r.number == number)
            .ok_or(Error::ReceiptMismatch { what: "number" })?;
        let (app, _, _) = self.store.application(&row.id)?;
        let expected = match app.status {
            Status::Accepted => receipts::Decision::Accepted,
            Status::Rejected => receipts::Decision::Rejected,
            _ => receipts::Decision::DocumentsReceived,
        };
        if payload.decision != expected {
            return Err(Error::ReceiptMismatch { what: "decision" });
        }
        let signed = self
            .store
            .outbox_for(&row.id)?
            .into_iter()
            .rev()
            .find_map(|e| {
                e.payload["signature"]["payload_base64"]
                    .as_str()
                    .map(str::to_string)
            });
        let signed = signed
            .and_then(|b| {
                base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).ok()
            })
            .ok_or(Error::ReceiptMismatch { what: "signature" })?;
        receipts::verify(qr, &signed)?;
        Ok(ReceiptCheck {
            application_id: row.id,
            number,
            status: app.status.into(),
            date: payload.date.to_string(),
        })
    }
}
