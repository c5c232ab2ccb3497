//! Schools with places and the reference lists.

use super::{Q, ok_json, result};
use crate::error::Error;
use crate::{AppState, Staff, db};
use axum::extract::{Query, State};
use axum::response::Response;
use domain::{DocumentKind, InstructionLanguage, Lang, RejectReasonCode};
use portal_api as wire;
use portal_api::convert;

// ---- schools and reference lists (R-3, R-7, R-12) ----

pub async fn schools(State(sim): State<AppState>, _staff: Staff, Query(q): Q) -> Response {
    result((|| {
        let language = match q.get("language") {
            Some(l) => Some(InstructionLanguage::parse(l).map_err(|e| {
                Error::Domain(convert::Error::Domain {
                    field: "language",
                    source: e,
                })
            })?),
            None => None,
        };
        let grade: Option<u8> = match q.get("grade") {
            Some(g) => Some(
                g.parse()
                    .map_err(|_| Error::InvalidField(format!("grade: {g:?}")))?,
            ),
            None => None,
        };
        let only_free = q.get("only_free").is_some_and(|v| v == "true");
        let conn = sim.db();
        let mut items = Vec::new();
        for s in &sim.region.schools {
            if q.get("district_id").is_some_and(|d| *d != s.district_id) {
                continue;
            }
            let mut places = Vec::new();
            for lang in InstructionLanguage::ALL {
                if language.is_some_and(|l| l != lang) || grade.is_some_and(|g| g != 1) {
                    continue;
                }
                let capacity = db::capacity(&conn, &s.id.0, lang.as_str())?.unwrap_or(0);
                let taken = db::taken(&conn, &s.id.0, lang.as_str())?;
                places.push(wire::Places {
                    grade: 1,
                    language: lang.as_str().to_string(),
                    capacity,
                    taken,
                    free: capacity.saturating_sub(taken),
                });
            }
            // a school without free places is not offered.
            if only_free && !places.iter().any(|p| p.free > 0) {
                continue;
            }
            if places.is_empty() {
                continue;
            }
            items.push(wire::School {
                id: s.id.0.clone(),
                district_id: s.district_id.clone(),
                name_kk: s.name_kk.clone(),
                name_ru: s.name_ru.clone(),
                address_kk: s.address_kk.clone(),
                address_ru: s.address_ru.clone(),
                places,
            });
        }
        Ok(ok_json(&wire::SchoolList { items }))
    })())
}

pub async fn reference(State(sim): State<AppState>, _staff: Staff) -> Response {
    let item = |code: &str, kk: &str, ru: &str| wire::ReferenceItem {
        code: code.to_string(),
        label_kk: kk.to_string(),
        label_ru: ru.to_string(),
    };
    ok_json(&wire::Reference {
        region_name_kk: sim.region.region_name_kk.clone(),
        region_name_ru: sim.region.region_name_ru.clone(),
        admission_year: sim.spec.admission_year,
        districts: sim
            .region
            .districts
            .iter()
            .map(|d| wire::District {
                id: d.id.clone(),
                name_kk: d.name_kk.clone(),
                name_ru: d.name_ru.clone(),
            })
            .collect(),
        reject_reasons: RejectReasonCode::ALL
            .iter()
            .map(|c| item(c.as_str(), c.label(Lang::Kk), c.label(Lang::Ru)))
            .collect(),
        languages: InstructionLanguage::ALL
            .iter()
            .map(|l| item(l.as_str(), l.label(Lang::Kk), l.label(Lang::Ru)))
            .collect(),
        document_kinds: DocumentKind::ALL
            .iter()
            .map(|k| item(k.as_str(), k.label(Lang::Kk), k.label(Lang::Ru)))
            .collect(),
        document_max_bytes: domain::rules::DOCUMENT_MAX_BYTES,
    })
}
