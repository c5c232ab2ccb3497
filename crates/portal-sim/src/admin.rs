//! `/admin`: loopback-only endpoints for tests, the demo and external checks — stats
//! that prove exactly-once, demo accounts, sent codes, faults, and a moving world.

use crate::error::Error;
use crate::{AppState, RawBody, Sim, db, parse_json, respond};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;
use std::collections::BTreeMap;
use time::OffsetDateTime;

fn ok_json<T: serde::Serialize>(value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => respond(StatusCode::OK, "application/json", body),
        Err(e) => Error::from(e).into_response(),
    }
}

fn result(r: Result<Response, Error>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

pub async fn stats(State(sim): State<AppState>) -> Response {
    result((|| {
        let conn = sim.db();
        let count = |sql: &str| -> Result<u64, Error> {
            Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        let group = |sql: &str| -> Result<BTreeMap<String, u64>, Error> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(ok_json(&wire::Stats {
            applications: count("SELECT COUNT(*) FROM applications")?,
            applications_by_school: group(
                "SELECT school_id, COUNT(*) FROM applications GROUP BY school_id",
            )?,
            applications_by_status: group(
                "SELECT status, COUNT(*) FROM applications GROUP BY status",
            )?,
            decisions: count("SELECT COUNT(*) FROM decisions")?,
            on_behalf_submissions: count("SELECT COUNT(*) FROM applications WHERE on_behalf = 1")?,
            duplicate_writes_prevented: db::counter(&conn, "duplicate_writes_prevented")?,
            writes_committed: db::counter(&conn, "writes_committed")?,
            injected_5xx: db::counter(&conn, "injected_5xx")?,
            dropped_after_commit: db::counter(&conn, "dropped_after_commit")?,
            last_change_seq: count("SELECT COALESCE(MAX(change_seq), 0) FROM applications")?,
            duplicate_effects: count(
                "SELECT (SELECT COUNT(*) - COUNT(DISTINCT payload_base64) FROM decisions)
                      + (SELECT COUNT(*) - COUNT(DISTINCT json_extract(body, '$.child.iin') || '|' || json_extract(body, '$.submitted_at'))
                         FROM applications WHERE on_behalf = 1)",
            )?,
        }))
    })())
}

pub async fn demo_staff(State(sim): State<AppState>) -> Response {
    let staff: Vec<wire::DemoStaff> = sim
        .region
        .staff
        .iter()
        .map(|s| wire::DemoStaff {
            iin: s.iin.to_string(),
            password: s.password.clone(),
            school_id: s.school.0.clone(),
            name: s.name.display(),
        })
        .collect();
    ok_json(&staff)
}

pub async fn codes(State(sim): State<AppState>) -> Response {
    result((|| {
        let conn = sim.db();
        let mut stmt = conn.prepare(
            "SELECT id, channel, destination, code, sent_at, confirmed FROM codes ORDER BY CAST(substr(id, 6) AS INTEGER) DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(wire::SentCode {
                code_id: r.get(0)?,
                channel: r.get(1)?,
                destination: r.get(2)?,
                code: r.get(3)?,
                sent_at: r.get(4)?,
                confirmed: r.get(5)?,
            })
        })?;
        let codes: Vec<wire::SentCode> = rows.collect::<Result<_, _>>()?;
        Ok(ok_json(&codes))
    })())
}

/// The bindings of addresses to micro-districts the portal recorded, oldest first.
pub async fn bindings(State(sim): State<AppState>) -> Response {
    result((|| {
        let conn = sim.db();
        let mut stmt = conn.prepare(
            "SELECT id, staff_iin, child_iin, address_id, micro_district_id, previous_micro_district_id, bound_at, recorded_at
             FROM bindings ORDER BY rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(wire::RecordedBinding {
                binding_id: r.get(0)?,
                staff_iin: r.get(1)?,
                child_iin: r.get(2)?,
                address_id: r.get(3)?,
                micro_district_id: r.get(4)?,
                previous_micro_district_id: r.get(5)?,
                bound_at: r.get(6)?,
                recorded_at: r.get(7)?,
            })
        })?;
        let bindings: Vec<wire::RecordedBinding> = rows.collect::<Result<_, _>>()?;
        Ok(ok_json(&bindings))
    })())
}

pub async fn get_faults(State(sim): State<AppState>) -> Response {
    ok_json(&sim.faults())
}

pub async fn put_faults(State(sim): State<AppState>, RawBody(body): RawBody) -> Response {
    result((|| {
        let faults: wire::Faults = parse_json(&body)?;
        for (name, rate) in [
            ("fault_5xx_rate", faults.fault_5xx_rate),
            ("drop_after_commit_rate", faults.drop_after_commit_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(Error::InvalidField(format!("{name}: 0.0..1.0")));
            }
        }
        *crate::lock(&sim.faults) = faults.clone();
        Ok(ok_json(&faults))
    })())
}

pub async fn walk_ins(State(sim): State<AppState>) -> Response {
    result((|| {
        let conn = sim.db();
        let mut stmt = conn.prepare("SELECT body FROM walk_ins ORDER BY rowid")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out: Vec<wire::WalkIn> = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(ok_json(&out))
    })())
}

/// New parent applications arrive (next generated ones, status new, submitted now).
pub(crate) fn arrive(sim: &Sim, count: u32, now: OffsetDateTime) -> Result<Vec<String>, Error> {
    let mut conn = sim.db();
    let tx = conn.transaction()?;
    let mut ids = Vec::new();
    for _ in 0..count {
        let n: u64 = db::meta(&tx, "next_demo_n")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        db::set_meta(&tx, "next_demo_n", &(n + 1).to_string())?;
        let mut app = demo::application(&sim.spec, &sim.region, n);
        app.status = domain::Status::New;
        app.version = 1;
        app.reject_reason = None;
        app.submitted_at = now;
        let seq = db::next_number(&tx)?;
        app.number = domain::ApplicationNumber::Portal {
            year: sim.spec.admission_year as u16,
            seq,
        };
        let wire = convert::application_to_wire(&app, db::next_change_seq(&tx)?, now);
        db::insert_application(&tx, &wire)?;
        let child = demo::application_child(&sim.spec, &sim.region, n);
        let parent = wire::Person {
            iin: child.parent_iin.to_string(),
            name: convert::name_to_wire(&child.parent_name),
        };
        let person = db::StoredPerson {
            iin: child.iin.to_string(),
            name: convert::name_to_wire(&child.name),
            birth_certificate: Some(child.birth_certificate.clone()),
            parents: vec![parent],
        };
        tx.execute(
            "INSERT OR IGNORE INTO persons(iin, body, address_id) VALUES (?1, ?2, ?3)",
            params![
                person.iin,
                serde_json::to_string(&person)?,
                child.address_id
            ],
        )?;
        ids.push(wire.id);
    }
    tx.commit()?;
    Ok(ids)
}

pub async fn arrivals(State(sim): State<AppState>, RawBody(body): RawBody) -> Response {
    result((|| {
        let req: wire::ArrivalsRequest = parse_json(&body)?;
        if req.count > 10_000 {
            return Err(Error::InvalidField("count: at most 10000".into()));
        }
        Ok(ok_json(&wire::ApplicationIds {
            ids: arrive(&sim, req.count, OffsetDateTime::now_utc())?,
        }))
    })())
}

/// A portal-side change of one application: withdrawal by the parent or an edit.
fn change(
    sim: &Sim,
    id: &str,
    withdraw: bool,
    now: OffsetDateTime,
) -> Result<wire::Application, Error> {
    let mut conn = sim.db();
    let tx = conn.transaction()?;
    let mut app =
        db::application(&tx, id)?.ok_or_else(|| Error::NotFound(format!("application {id}")))?;
    let status = domain::Status::parse(&app.status).map_err(|e| Error::Internal(e.to_string()))?;
    if withdraw {
        let Ok(next) = status.apply(domain::Action::Withdraw) else {
            return Err(Error::TransitionNotAllowed {
                status: app.status.clone(),
                current: Box::new(app),
            });
        };
        app.status = next.as_str().to_string();
    } else {
        if !status.is_pending() {
            return Err(Error::TransitionNotAllowed {
                status: app.status.clone(),
                current: Box::new(app),
            });
        }
        // The parent corrected their contacts on the portal.
        app.contacts.extra_phone = Some("+77770000000".to_string());
    }
    app.version += 1;
    app.change_seq = db::next_change_seq(&tx)?;
    app.updated_at = convert::timestamp(now);
    db::update_application(&tx, &app)?;
    tx.commit()?;
    Ok(app)
}

pub(crate) fn withdraw_random(sim: &Sim, now: OffsetDateTime) -> Result<(), Error> {
    let id: Option<String> = {
        let conn = sim.db();
        let total: i64 = conn.query_row(
            "SELECT COUNT(*) FROM applications WHERE status IN ('new','under_review')",
            [],
            |r| r.get(0),
        )?;
        if total == 0 {
            return Ok(());
        }
        let offset = sim.random_range(0..total as u64) as i64;
        Some(conn.query_row(
            "SELECT id FROM applications WHERE status IN ('new','under_review') ORDER BY change_seq LIMIT 1 OFFSET ?1",
            [offset],
            |r| r.get(0),
        )?)
    };
    if let Some(id) = id {
        change(sim, &id, true, now)?;
    }
    Ok(())
}

pub async fn withdraw(State(sim): State<AppState>, Path(id): Path<String>) -> Response {
    result(change(&sim, &id, true, OffsetDateTime::now_utc()).map(|a| ok_json(&a)))
}

pub async fn edit(State(sim): State<AppState>, Path(id): Path<String>) -> Response {
    result(change(&sim, &id, false, OffsetDateTime::now_utc()).map(|a| ok_json(&a)))
}

pub async fn put_places(State(sim): State<AppState>, RawBody(body): RawBody) -> Response {
    result((|| {
        let req: wire::PlacesUpdate = parse_json(&body)?;
        let conn = sim.db();
        let n = conn.execute(
            "UPDATE places SET capacity = ?3 WHERE school_id = ?1 AND language = ?2",
            params![req.school_id, req.language, req.capacity],
        )?;
        if n == 0 {
            return Err(Error::NotFound(format!(
                "places {} {}",
                req.school_id, req.language
            )));
        }
        Ok(ok_json(&req))
    })())
}
