//! Fills a journal with the deterministic demo region (crates/demo): the school of the
//! first demo clerk, its reference data, and its applications with their history. The
//! same seed gives the same journal, and the portal simulator serves the same region.

use crate::views::DemoSummary;
use crate::{Desk, Error};
use domain::{Application, Status};
use std::path::Path;
use store::{NewHistory, Reference, SchoolRecord, StaffRecord};
use time::Duration;

/// Rows written per transaction while filling.
const BATCH: usize = 5_000;

/// What to fill.
#[derive(Debug, Clone)]
pub struct DemoFill {
    pub seed: u64,
    pub applications: u64,
}

/// The history a portal application arrives with: its submission and, when decided,
/// the decision by a clerk of the school.
fn history_of(a: &Application, clerk: &demo::Staff) -> Vec<NewHistory> {
    let mut h = vec![NewHistory {
        at: a.submitted_at,
        actor_iin: Some(a.applicant.iin.to_string()),
        actor_name: Some(a.applicant.name.display()),
        kind: if a.on_behalf {
            "submitted_on_behalf"
        } else {
            "submitted"
        }
        .to_string(),
        details: serde_json::json!({ "to": "new" }),
    }];
    let later = a.submitted_at + Duration::hours(2 + i64::from(a.child.iin.birth_date().day()));
    let decision = |kind: &str, to: Status, note: Option<String>| NewHistory {
        at: later,
        actor_iin: Some(clerk.iin.to_string()),
        actor_name: Some(clerk.name.display()),
        kind: kind.to_string(),
        details: serde_json::json!({ "from": "new", "to": to.as_str(), "note": note }),
    };
    match a.status {
        Status::New => {}
        Status::UnderReview => h.push(decision("taken_for_review", Status::UnderReview, None)),
        Status::Accepted => h.push(decision("accepted", Status::Accepted, None)),
        Status::Rejected => h.push(decision(
            "rejected",
            Status::Rejected,
            a.reject_reason
                .as_ref()
                .and_then(|r| r.text().map(str::to_string)),
        )),
        Status::Withdrawn => h.push(NewHistory {
            at: later,
            actor_iin: Some(a.applicant.iin.to_string()),
            actor_name: Some(a.applicant.name.display()),
            kind: "withdrawn".into(),
            details: serde_json::json!({ "from": "new", "to": "withdrawn" }),
        }),
    }
    h
}

/// Creates (or adds to) the PLAINTEXT journal at `db_path` with `applications` demo
/// applications of one school (the window's first start until it signs in first; an
/// encrypted journal: [`fill_desk`] on [`Desk::open_encrypted`]).
pub fn fill(db_path: &Path, what: &DemoFill) -> Result<DemoSummary, Error> {
    fill_desk(&mut Desk::open(db_path)?, what)
}

/// Adds `applications` demo applications of one school to an open journal.
pub fn fill_desk(desk: &mut Desk, what: &DemoFill) -> Result<DemoSummary, Error> {
    let spec = demo::RegionSpec {
        seed: what.seed,
        ..demo::RegionSpec::default()
    };
    let region = demo::region(&spec);
    let clerk = region
        .staff
        .first()
        .ok_or_else(|| Error::BadQuery {
            field: "seed",
            reason: "no staff".into(),
        })?
        .clone();
    let school_id = clerk.school.clone();

    let mut accepted: std::collections::HashMap<(u8, &'static str), u32> = Default::default();
    let mut batch: Vec<(Application, Vec<NewHistory>)> = Vec::with_capacity(BATCH);
    let mut written = 0u64;
    let store = &mut desk.store;
    for a in demo::applications(&spec, &region, u64::MAX).filter(|a| a.school == school_id) {
        if written >= what.applications {
            break;
        }
        if a.status == Status::Accepted {
            *accepted
                .entry((a.grade.get(), a.language.as_str()))
                .or_default() += 1;
        }
        let h = history_of(&a, &clerk);
        batch.push((a, h));
        written += 1;
        if batch.len() == BATCH {
            store.put_applications(batch.iter().map(|(a, h)| (a, h.as_slice())))?;
            batch.clear();
        }
    }
    store.put_applications(batch.iter().map(|(a, h)| (a, h.as_slice())))?;

    let reference = Reference {
        districts: region
            .districts
            .iter()
            .map(|d| (d.id.clone(), d.name_kk.clone(), d.name_ru.clone()))
            .collect(),
        schools: region
            .schools
            .iter()
            .map(|s| SchoolRecord {
                id: s.id.clone(),
                district_id: Some(s.district_id.clone()),
                name_kk: s.name_kk.clone(),
                name_ru: s.name_ru.clone(),
                address_kk: s.address_kk.clone(),
                address_ru: s.address_ru.clone(),
                places: s
                    .places
                    .iter()
                    .map(|p| {
                        let mut p = p.clone();
                        if s.id == school_id {
                            p.taken = accepted
                                .get(&(p.grade.get(), p.language.as_str()))
                                .copied()
                                .unwrap_or(0);
                        }
                        p
                    })
                    .collect(),
            })
            .collect(),
        micro_districts: region
            .micro_districts
            .iter()
            .map(|m| {
                (
                    m.id.clone(),
                    m.school.clone(),
                    m.name_kk.clone(),
                    m.name_ru.clone(),
                )
            })
            .collect(),
        staff: region
            .staff
            .iter()
            .filter(|s| s.school == school_id)
            .map(|s| StaffRecord {
                iin: s.iin,
                name: s.name.clone(),
                school: s.school.clone(),
                email: Some(s.email.to_string()),
            })
            .collect(),
    };
    store.put_reference(&reference)?;
    store.set_sync_value("clerk_iin", &clerk.iin.to_string())?;
    store.optimize()?;
    Ok(DemoSummary {
        applications: u32::try_from(written).unwrap_or(u32::MAX),
        school_id: school_id.0,
        clerk_iin: clerk.iin.to_string(),
        clerk_name: clerk.name.display(),
    })
}

/// Children of the demo population register with no application yet (the walk-in
/// parents of R-8…R-18), with their address and micro-district (none: the R-15 case).
pub fn walk_ins(seed: u64, count: usize) -> Vec<crate::views::WalkInView> {
    let spec = demo::RegionSpec {
        seed,
        ..demo::RegionSpec::default()
    };
    let region = demo::region(&spec);
    let name = |n: &domain::FullName| crate::views::NameView {
        surname: n.surname.to_string(),
        given: n.given.to_string(),
        patronymic: n.patronymic.as_ref().map(ToString::to_string),
    };
    demo::walk_in_children(&spec, &region, count)
        .iter()
        .map(|c| {
            let address = region.address(&c.address_id);
            let md = address.and_then(|a| a.micro_district.as_ref());
            let md_entry = md.and_then(|id| region.micro_districts.iter().find(|m| &m.id == id));
            crate::views::WalkInView {
                iin: c.iin.to_string(),
                name: name(&c.name),
                birth_certificate: c.birth_certificate.clone(),
                address_id: c.address_id.clone(),
                address_kk: address.map(|a| a.full_kk.clone()),
                address_ru: address.map(|a| a.full_ru.clone()),
                micro_district_id: md.map(|m| m.0.clone()),
                micro_district_kk: md_entry.map(|m| m.name_kk.clone()),
                micro_district_ru: md_entry.map(|m| m.name_ru.clone()),
                school_id: md.and_then(|m| region.school_of(m)).map(|s| s.id.0.clone()),
                parent_iin: c.parent_iin.to_string(),
                parent_name: name(&c.parent_name),
            }
        })
        .collect()
}
