//! What the on-behalf wizard's form offers and when it says what (issue 11: the UI asks,
//! desk decides): the documents to attach and which are mandatory, the
//! admission grade, the school chosen for the clerk (R-24: the micro-district's),
//! that a temporary registration sets the micro-district aside, and when the
//! «no micro-district» message shows. Plain functions of the input: no journal,
//! no Tauri; [`Desk::school_choices`] adds the journal's schools.

use crate::views::{ChildInput, OnBehalfInput, SchoolChoiceView};
use crate::{Desk, Error};
use domain::{Consents, DocumentKind, Grade, Lang, NotificationChannel};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One document row of the wizard: its kind and whether it must be attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentSlotView {
    /// A key of the catalogue's `document_kinds`.
    pub kind: String,
    pub mandatory: bool,
    pub label_kk: String,
    pub label_ru: String,
}

/// What the wizard's form offers, asked once when it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WizardFormView {
    /// The documents a parent attaches, in the order shown: the mandatory ones first.
    pub documents: Vec<DocumentSlotView>,
    /// The grades a walk-in application is taken for (R-10: first grade).
    pub grades: Vec<u8>,
    pub default_grade: u8,
    /// The largest document attached, in bytes (R-23: 1 MB).
    pub document_max_bytes: u32,
}

/// The schools for the wizard's step 2 and which one is chosen for the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SchoolChoicesView {
    /// Only schools with free places, the micro-district's first.
    pub schools: Vec<SchoolChoiceView>,
    /// The school the system assigns: the micro-district's, when it has places;
    /// `None` when the clerk must choose (no micro-district, a temporary registration).
    pub assigned: Option<String>,
    /// the child has a micro-district (no temporary registration) but its school
    /// has no free places: the clerk chooses another and the message says so.
    pub own_school_missing: bool,
}

/// The documents a parent attaches: the mandatory ones first.
pub fn document_slots() -> Vec<DocumentSlotView> {
    let mut kinds: Vec<DocumentKind> = DocumentKind::ALL
        .into_iter()
        .filter(|k| !k.is_generated() && *k != DocumentKind::Other)
        .collect();
    kinds.sort_by_key(|k| !DocumentKind::MANDATORY.contains(k));
    kinds
        .into_iter()
        .map(|k| DocumentSlotView {
            kind: k.as_str().to_string(),
            mandatory: DocumentKind::MANDATORY.contains(&k),
            label_kk: k.label(Lang::Kk).to_string(),
            label_ru: k.label(Lang::Ru).to_string(),
        })
        .collect()
}

/// What the form offers.
pub fn wizard_form() -> WizardFormView {
    WizardFormView {
        documents: document_slots(),
        grades: vec![Grade::FIRST.get()],
        default_grade: Grade::FIRST.get(),
        document_max_bytes: u32::try_from(domain::rules::DOCUMENT_MAX_BYTES).unwrap_or(u32::MAX),
    }
}

/// The grade an input applies for: none given (0) is the first.
pub fn grade_of(input: &OnBehalfInput) -> Result<Grade, domain::Error> {
    Grade::new(if input.grade == 0 {
        Grade::FIRST.get()
    } else {
        input.grade
    })
}

/// The micro-district the school is chosen by, or `None`. A temporary
/// registration ignores the registered address's micro-district: the school is
/// then the clerk's choice among all with free places.
pub fn micro_district_for_school(input: &OnBehalfInput) -> Option<&str> {
    if input.temporary_registration.is_some() {
        return None;
    }
    input
        .child
        .micro_district_id
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
}

/// Whether the «registered address in no micro-district» message shows: the
/// child's address is known (looked up or typed) and has no micro-district, and no
/// temporary registration sets it aside. Acknowledged with «OK»; «Редакциялау» follows.
pub fn shows_no_micro_district(child: &ChildInput, temporary: bool) -> bool {
    !temporary
        && !child.registered_address.trim().is_empty()
        && child
            .micro_district_id
            .as_deref()
            .is_none_or(|m| m.trim().is_empty())
}

/// The consents and notifications of an input; an unknown channel is none.
pub fn consents_of(input: &OnBehalfInput) -> Consents {
    let notifications = Lang::from_code(&input.notifications);
    Consents {
        admission_rules: input.consent_admission_rules,
        portal_terms: input.consent_portal_terms,
        personal_data: input.consent_personal_data,
        notifications,
        notification_channel: notifications
            .and(NotificationChannel::parse(&input.notification_channel)),
    }
}

/// The wizard's last step before signing: all three consents, and a
/// channel for the notifications wanted (an e-mail for e-mail). Field errors by name:
/// `consents`, `notification_channel`.
pub fn check_consents(input: &OnBehalfInput) -> Vec<(String, domain::Error)> {
    let consents = consents_of(input);
    let mut out = Vec::new();
    if let Err(e) = consents.check() {
        out.push(("consents".to_string(), e));
    }
    if let Err(e) = consents.check_notifications(!input.email.trim().is_empty()) {
        out.push(("notification_channel".to_string(), e));
    }
    out
}

impl Desk {
    /// The schools of step 2 for this input and the one the
    /// system assigns.
    pub fn school_choices(&self, input: &OnBehalfInput) -> Result<SchoolChoicesView, Error> {
        let grade = grade_of(input)?;
        let micro_district = micro_district_for_school(input);
        let schools = self.schools_with_places(grade.get(), &input.language, micro_district)?;
        let assigned = schools
            .iter()
            .find(|s| s.of_micro_district)
            .map(|s| s.id.clone());
        Ok(SchoolChoicesView {
            own_school_missing: micro_district.is_some() && assigned.is_none(),
            assigned,
            schools,
        })
    }
}
