//! What the on-behalf wizard asks the desk between its steps (R-8… ):
//! the child known by IIN, the micro-districts to bind an address to, the schools with
//! free places, a chosen file's size, and the check of one step's fields before the
//! clerk goes on. The submission itself is [`Desk::submit_on_behalf`].

use crate::picked_files::{FilePurpose, PickedFiles};
use crate::views::{
    ChildInput, ChildLookupView, MicroDistrictView, OnBehalfInput, PersonInput, SchoolChoiceView,
};
use crate::wizard::fields::Fields;
use crate::{Desk, Error};
use domain::rules;
use domain::{Email, Grade, Iin, InstructionLanguage, MicroDistrictId, Phone};

/// The wizard's steps whose fields can be checked before signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardStep {
    /// Applicant, child, contacts, address and its micro-district or a temporary
    /// registration (R-9, R-15… ).
    Applicant,
    /// Class, language, school and documents (R-10… ).
    School,
    /// Consents and notifications, checked before the key is opened.
    Sign,
}

impl WizardStep {
    pub fn from_number(n: u8) -> Option<WizardStep> {
        match n {
            1 => Some(WizardStep::Applicant),
            2 => Some(WizardStep::School),
            3 => Some(WizardStep::Sign),
            _ => None,
        }
    }
}

impl Desk {
    /// "Check IIN" offline: the IIN is parsed (a wrong one is a field error of
    /// `child.person.iin`), and the child's data come from the latest application of
    /// this child in the journal, if any.
    pub fn child_lookup(&self, iin: &str) -> Result<ChildLookupView, Error> {
        let iin = Iin::parse(iin).map_err(|e| Error::Invalid {
            fields: vec![("child.person.iin".to_string(), e)],
        })?;
        let mut known = None;
        for (id, _) in self.store.statuses_of_child(&iin)? {
            let (app, _, _) = self.store.application(&id)?;
            if known
                .as_ref()
                .is_none_or(|k: &domain::Application| k.submitted_at < app.submitted_at)
            {
                known = Some(app);
            }
        }
        let names = match known
            .as_ref()
            .and_then(|a| a.child.registered_address.micro_district.clone())
        {
            Some(md) => self.store.micro_district_names(&md.0)?,
            None => None,
        };
        let child = known.map(|a| ChildInput {
            person: PersonInput::of(&a.child.iin, &a.child.name),
            birth_certificate: a.child.birth_certificate,
            registered_address: a.child.registered_address.full,
            registered_address_id: a.child.registered_address.id,
            micro_district_id: a.child.registered_address.micro_district.map(|m| m.0),
            binding: None,
        });
        Ok(ChildLookupView {
            shows_no_micro_district: child
                .as_ref()
                .is_some_and(|c| crate::wizard_form::shows_no_micro_district(c, false)),
            iin: iin.to_string(),
            birth_date: iin.birth_date().to_string(),
            sex: iin.sex().as_str().to_string(),
            child,
            micro_district_kk: names.as_ref().map(|(kk, _)| kk.clone()),
            micro_district_ru: names.map(|(_, ru)| ru),
        })
    }

    /// Who registers a walk-in application and signs it: the clerk signed in on
    /// this desk — the same rule as for decisions ([`Desk::current_clerk`]). Signing then
    /// refuses any key that is not theirs (`IIN_MISMATCH`), so an application is never
    /// registered in someone else's name.
    pub fn on_behalf_clerk(&self) -> Result<Iin, Error> {
        self.current_clerk()
    }

    /// The micro-districts of the reference list.
    pub fn micro_districts(&self) -> Result<Vec<MicroDistrictView>, Error> {
        Ok(self
            .store
            .micro_districts()?
            .into_iter()
            .map(|(id, school, name_kk, name_ru)| MicroDistrictView {
                id: id.0,
                school_id: school.0,
                name_kk,
                name_ru,
            })
            .collect())
    }

    /// The schools to choose from: only those with free places for the class
    /// and language, the school of `micro_district` first, then most free
    /// places first.
    pub fn schools_with_places(
        &self,
        grade: u8,
        language: &str,
        micro_district: Option<&str>,
    ) -> Result<Vec<SchoolChoiceView>, Error> {
        let grade = Grade::new(grade)?;
        let language = InstructionLanguage::parse(language)?;
        let schools = self.store.schools()?;
        let places: Vec<rules::Places> = schools
            .iter()
            .flat_map(|s| s.places.iter().cloned())
            .collect();
        let own_school = match micro_district.filter(|m| !m.trim().is_empty()) {
            Some(md) => {
                let md = MicroDistrictId(md.trim().to_string());
                self.store
                    .micro_districts()?
                    .into_iter()
                    .find(|(id, _, _, _)| *id == md)
                    .map(|(_, school, _, _)| school)
            }
            None => None,
        };
        let mut out: Vec<SchoolChoiceView> =
            rules::schools_with_free_places(&places, grade, language)
                .into_iter()
                .filter_map(|p| {
                    let s = schools.iter().find(|s| s.id == p.school)?;
                    Some(SchoolChoiceView {
                        id: s.id.0.clone(),
                        name_kk: s.name_kk.clone(),
                        name_ru: s.name_ru.clone(),
                        address_kk: s.address_kk.clone(),
                        address_ru: s.address_ru.clone(),
                        free: p.free(),
                        of_micro_district: own_school.as_ref() == Some(&s.id),
                    })
                })
                .collect();
        // Stable: keeps the rule's order (most free places first) within each group.
        out.sort_by_key(|s| !s.of_micro_district);
        Ok(out)
    }

    /// Checks the fields of one step before the clerk goes on, every wrong one at
    /// once (`Error::Invalid`, the same field names as [`Desk::submit_on_behalf`]).
    /// Nothing is written.
    pub fn check_on_behalf_step(
        &self,
        step: WizardStep,
        input: &OnBehalfInput,
        files: &PickedFiles,
        now: time::OffsetDateTime,
    ) -> Result<(), Error> {
        let mut f = Fields::default();
        match step {
            WizardStep::Applicant => {
                f.person("applicant", &input.applicant);
                let (child, _) = f.person("child.person", &input.child.person);
                if input.child.birth_certificate.trim().is_empty() {
                    f.0.push(("child.birth_certificate".into(), domain::Error::NameEmpty));
                }
                if input.child.registered_address.trim().is_empty() {
                    f.0.push(("child.registered_address".into(), domain::Error::NameEmpty));
                }
                f.take("phone", Phone::parse(&input.phone));
                f.optional("extra_phone", &input.extra_phone, Phone::parse);
                f.optional("email", &input.email, Email::parse);
                match &input.temporary_registration {
                    Some(t) => {
                        f.temporary_registration(Some(t));
                    }
                    None => {
                        f.0.extend(crate::walk_in_binding::check(self, &input.child)?);
                        if crate::walk_in_binding::micro_district_of(&input.child).is_none() {
                            f.0.push((
                                "child.micro_district_id".into(),
                                domain::Error::MicroDistrictMissing,
                            ));
                        }
                    }
                }
                if let Some(iin) = child {
                    let statuses = self
                        .store
                        .statuses_of_child(&iin)?
                        .into_iter()
                        .map(|(_, s)| s);
                    f.take("child.person.iin", rules::check_can_submit(statuses));
                    f.take(
                        "child.person.iin",
                        rules::check_age(iin.birth_date(), now.year()),
                    );
                }
            }
            WizardStep::Sign => f.0.extend(crate::wizard_form::check_consents(input)),
            WizardStep::School => {
                f.take("grade", crate::wizard_form::grade_of(input));
                f.take("language", InstructionLanguage::parse(&input.language));
                let mut kinds = Vec::new();
                for (i, d) in input.documents.iter().enumerate() {
                    let Some(kind) =
                        domain::DocumentKind::parse(&d.kind).filter(|k| !k.is_generated())
                    else {
                        return Err(Error::BadQuery {
                            field: "documents",
                            reason: format!("{:?} is not a document kind", d.kind),
                        });
                    };
                    // Issue 15: checked when picked (regular file, size, type from bytes).
                    let picked = files.get(&d.file, FilePurpose::Document)?;
                    match picked.attach_error() {
                        None => kinds.push(kind),
                        Some(Error::Domain(e)) => f.0.push((format!("documents[{i}]"), e)),
                        Some(e) => return Err(e),
                    }
                }
                f.take("documents", rules::check_mandatory_documents(&kinds));
                if f.0.is_empty() {
                    let grade = crate::wizard_form::grade_of(input)?;
                    let language = InstructionLanguage::parse(&input.language)?;
                    let school = self
                        .store
                        .schools()?
                        .into_iter()
                        .find(|s| s.id.0 == input.school_id.trim());
                    let Some(school) = school else {
                        return Err(Error::SchoolUnknown {
                            id: input.school_id.clone(),
                        });
                    };
                    if !rules::has_free_place(&school.places, &school.id, grade, language) {
                        return Err(Error::NoFreePlaces);
                    }
                }
            }
        }
        if f.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid { fields: f.0 })
        }
    }
}
