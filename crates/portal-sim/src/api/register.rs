//! The population register, the address register and micro-districts (R-15… ).

use super::{Q, ok_json, result};
use crate::error::Error;
use crate::verification;
use crate::{AppState, Sim, Staff, WriteRequest, db, json_response};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;
use time::OffsetDateTime;

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

pub async fn bind_address(Path(id): Path<String>, w: WriteRequest) -> Response {
    let identity = format!("PUT /api/v1/addresses/{id}/micro-district");
    w.json(
        &identity,
        |tx, sim, _now, _staff, req: &wire::BindAddressRequest| {
            binding_to(sim, req.responsibility_confirmed, &req.micro_district_id)?;
            let mut address =
                db::address(tx, &id)?.ok_or_else(|| Error::NotFound(format!("address {id}")))?;
            if address.version != req.base_version {
                return Err(Error::VersionConflict {
                    current: Box::new(None),
                    current_address: Box::new(Some(address)),
                });
            }
            set_micro_district(tx, &mut address, &req.micro_district_id)?;
            json_response(StatusCode::OK, &address)
        },
    )
    .await
}

/// What every binding of an address to a micro-district checks first: the clerk took
/// responsibility for it, and the micro-district is one of the region's.
fn binding_to<'a>(
    sim: &'a Sim,
    responsibility_confirmed: bool,
    micro_district_id: &str,
) -> Result<&'a demo::MicroDistrict, Error> {
    if !responsibility_confirmed {
        return Err(Error::InvalidField(
            "responsibility_confirmed: must be true (R-16)".into(),
        ));
    }
    sim.region
        .micro_districts
        .iter()
        .find(|m| m.id.0 == micro_district_id)
        .ok_or_else(|| {
            Error::InvalidField(format!("micro_district_id: unknown {micro_district_id:?}"))
        })
}

/// `address` bound to `micro_district_id` in the register: its version goes up and the
/// row is stored.
fn set_micro_district(
    tx: &rusqlite::Connection,
    address: &mut wire::RegisterAddress,
    micro_district_id: &str,
) -> Result<(), Error> {
    address.micro_district_id = Some(micro_district_id.to_string());
    address.version += 1;
    tx.execute(
        "UPDATE addresses SET micro_district_id = ?2, version = ?3 WHERE id = ?1",
        params![address.id, address.micro_district_id, address.version],
    )?;
    Ok(())
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

/// A clerk's signed binding of a walk-in child's registered address to a micro-district
/// (R-15…R-17): the signature is checked as for a submission (the clerk's signing key,
/// valid at `bound_at`; the payload a `BindingPayload`, or the `SubmissionPayload` that
/// carries it, one signature for both acts), the address is the child's in the register, and the binding is
/// recorded with who made it (`bindings`, `/admin/bindings`). An address already in this
/// micro-district is answered as bound (nothing changes); one in another is refused
/// (`ADDRESS_BOUND_ELSEWHERE`, with the address as the portal holds it).
pub async fn bind_micro_district(w: WriteRequest) -> Response {
    w.json("POST /api/v1/micro-district-bindings", bind_in)
        .await
}

fn bind_in(
    tx: &rusqlite::Connection,
    sim: &Sim,
    now: OffsetDateTime,
    staff: &Staff,
    req: &wire::BindingRequest,
) -> Result<(StatusCode, String), Error> {
    let child_iin = convert::iin("child_iin", &req.child_iin)?;
    let micro_district = binding_to(sim, req.responsibility_confirmed, &req.micro_district_id)?;
    let bound_at = convert::parse_timestamp("bound_at", &req.bound_at)?;
    let school = staff
        .schools
        .first()
        .cloned()
        .unwrap_or_else(|| micro_district.school.0.clone());
    let signed = verification::signed_payload(sim, staff, &req.signature, bound_at, &school, now)?;
    // The binding signed on its own, or signed with the submission that depends on it
    // (one signature for both: the submission's payload carries the binding). Either way
    // the signed bytes must be the canonical JSON of what they decode to.
    let payload: wire::BindingPayload =
        match verification::canonical_payload::<wire::BindingPayload>(&signed, "binding") {
            Ok(p) => p,
            Err(on_its_own) => match verification::canonical_payload::<wire::SubmissionPayload>(
                &signed,
                "submission",
            ) {
                Ok(wire::SubmissionPayload {
                    binding: Some(b), ..
                }) => b,
                _ => return Err(on_its_own),
            },
        };
    if payload.clerk_iin != staff.iin {
        return Err(Error::SignerMismatch);
    }
    if payload.child_iin != req.child_iin
        || payload.address_id != req.address_id
        || payload.micro_district_id != req.micro_district_id
        || payload.responsibility_confirmed != req.responsibility_confirmed
        || payload.bound_at != req.bound_at
    {
        return Err(Error::SignatureInvalid(
            "the signed payload is not this binding".into(),
        ));
    }
    let (_, address_id) = db::person(tx, &child_iin.to_string())?.ok_or(Error::PersonNotFound)?;
    if req.address_id.as_ref().is_some_and(|a| *a != address_id) {
        return Err(Error::InvalidField(format!(
            "address_id: {:?} is not the child's registered address",
            req.address_id
        )));
    }
    let mut address = db::address(tx, &address_id)?.ok_or(Error::PersonNotFound)?;
    let previous = address.micro_district_id.clone();
    match previous.as_deref() {
        Some(md) if md == req.micro_district_id => {}
        Some(_) => {
            return Err(Error::AddressBoundElsewhere {
                current_address: Box::new(address),
            });
        }
        None => set_micro_district(tx, &mut address, &req.micro_district_id)?,
    }
    let n: i64 = tx.query_row("SELECT COUNT(*) + 1 FROM bindings", [], |r| r.get(0))?;
    let binding_id = format!("bind-{n}");
    tx.execute(
        "INSERT INTO bindings(id, staff_iin, child_iin, address_id, micro_district_id, previous_micro_district_id,
           bound_at, recorded_at, payload_base64, cms_base64)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            binding_id,
            staff.iin,
            req.child_iin,
            address.id,
            req.micro_district_id,
            previous,
            req.bound_at,
            convert::timestamp(now),
            req.signature.payload_base64,
            req.signature.cms_base64
        ],
    )?;
    json_response(
        StatusCode::CREATED,
        &wire::BindingResponse {
            binding_id,
            address,
        },
    )
}
