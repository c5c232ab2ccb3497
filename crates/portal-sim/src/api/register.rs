//! The population register, the address register and micro-districts (R-15… ).

use super::{Q, ok_json, result};
use crate::error::Error;
use crate::{
    AppState, ConnectionKill, RawBody, Staff, db, idempotent_write, json_response, parse_json,
};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;

// ---- population register (R-20, R-22) ----

pub async fn register_person(
    State(sim): State<AppState>,
    _staff: Staff,
    Path(iin): Path<String>,
) -> Response {
    result((|| {
        let iin = convert::iin("iin", &iin)?;
        let conn = sim.db();
        let (p, address_id) = db::person(&conn, &iin.to_string())?.ok_or(Error::PersonNotFound)?;
        let address = db::address(&conn, &address_id)?.ok_or(Error::PersonNotFound)?;
        Ok(ok_json(&wire::RegisterPerson {
            iin: p.iin,
            name: p.name,
            birth_date: convert::date(iin.birth_date()),
            sex: convert::sex(iin.sex()),
            birth_certificate: p.birth_certificate,
            registered_address: address,
            parents: p.parents,
        }))
    })())
}

// ---- addresses and micro-districts (R-15…) ----

pub async fn search_addresses(State(sim): State<AppState>, _staff: Staff, Query(q): Q) -> Response {
    result((|| {
        let street = domain::search_key(q.get("street").map(String::as_str).unwrap_or(""));
        let house = q
            .get("house")
            .map(|h| h.trim().to_string())
            .unwrap_or_default();
        let limit: i64 = q
            .get("limit")
            .and_then(|l| l.parse().ok())
            .filter(|l| (1..=100).contains(l))
            .unwrap_or(20);
        let district = q.get("district_id").cloned().unwrap_or_default();
        let conn = sim.db();
        let mut stmt = conn.prepare_cached(
            "SELECT id, district_id, street_kk, street_ru, house, full_kk, full_ru, micro_district_id, version FROM addresses
             WHERE instr(search, ?1) > 0 AND (?2 = '' OR house LIKE ?2 || '%') AND (?3 = '' OR district_id = ?3)
             ORDER BY id LIMIT ?4",
        )?;
        let items = stmt
            .query_map(params![street, house, district, limit], db::address_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ok_json(&wire::AddressList { items }))
    })())
}

pub async fn bind_address(
    State(sim): State<AppState>,
    staff: Staff,
    kill: Option<Extension<ConnectionKill>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> Response {
    let req: wire::BindAddressRequest = match parse_json(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let identity = format!("PUT /api/v1/addresses/{id}/micro-district");
    idempotent_write(
        &sim,
        &staff.iin,
        &headers,
        kill.as_ref().map(|k| &k.0),
        &identity,
        &body,
        |tx, sim, _now| {
            // the clerk takes responsibility for the change.
            if !req.responsibility_confirmed {
                return Err(Error::InvalidField(
                    "responsibility_confirmed: must be true (R-16)".into(),
                ));
            }
            if !sim
                .region
                .micro_districts
                .iter()
                .any(|m| m.id.0 == req.micro_district_id)
            {
                return Err(Error::InvalidField(format!(
                    "micro_district_id: unknown {:?}",
                    req.micro_district_id
                )));
            }
            let mut address =
                db::address(tx, &id)?.ok_or_else(|| Error::NotFound(format!("address {id}")))?;
            if address.version != req.base_version {
                return Err(Error::VersionConflict {
                    current: Box::new(None),
                    current_address: Box::new(Some(address)),
                });
            }
            address.micro_district_id = Some(req.micro_district_id.clone());
            address.version += 1;
            tx.execute(
                "UPDATE addresses SET micro_district_id = ?2, version = ?3 WHERE id = ?1",
                params![address.id, address.micro_district_id, address.version],
            )?;
            json_response(StatusCode::OK, &address)
        },
    )
    .await
}

pub async fn micro_districts(State(sim): State<AppState>, _staff: Staff, Query(q): Q) -> Response {
    let items = sim
        .region
        .micro_districts
        .iter()
        .filter_map(|m| {
            let school = sim.region.schools.iter().find(|s| s.id == m.school)?;
            Some(wire::MicroDistrict {
                id: m.id.0.clone(),
                school_id: m.school.0.clone(),
                district_id: school.district_id.clone(),
                name_kk: m.name_kk.clone(),
                name_ru: m.name_ru.clone(),
            })
        })
        .filter(|m| q.get("school_id").is_none_or(|s| *s == m.school_id))
        .filter(|m| q.get("district_id").is_none_or(|d| *d == m.district_id))
        .collect();
    ok_json(&wire::MicroDistrictList { items })
}
