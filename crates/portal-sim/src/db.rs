//! The simulator's own SQLite: schema, seeding from `demo`, and the queries the
//! handlers share. Application rows keep the wire JSON beside the indexed columns.

use crate::error::Error;
use demo::{Region, RegionSpec};
use portal_api::convert;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use time::OffsetDateTime;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applications(
  id TEXT PRIMARY KEY, school_id TEXT NOT NULL, child_iin TEXT NOT NULL, language TEXT NOT NULL,
  status TEXT NOT NULL, version INTEGER NOT NULL, change_seq INTEGER NOT NULL UNIQUE,
  on_behalf INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS app_school_seq ON applications(school_id, change_seq);
CREATE INDEX IF NOT EXISTS app_child ON applications(child_iin);
CREATE INDEX IF NOT EXISTS app_places ON applications(school_id, language, status);
CREATE TABLE IF NOT EXISTS documents(id TEXT PRIMARY KEY, application_id TEXT NOT NULL,
  media_type TEXT NOT NULL, file_name TEXT NOT NULL, bytes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS persons(iin TEXT PRIMARY KEY, body TEXT NOT NULL, address_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS walk_ins(child_iin TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS addresses(id TEXT PRIMARY KEY, district_id TEXT NOT NULL, street_kk TEXT NOT NULL,
  street_ru TEXT NOT NULL, house TEXT NOT NULL, full_kk TEXT NOT NULL, full_ru TEXT NOT NULL,
  micro_district_id TEXT, version INTEGER NOT NULL, search TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS places(school_id TEXT NOT NULL, language TEXT NOT NULL, capacity INTEGER NOT NULL,
  PRIMARY KEY(school_id, language));
CREATE TABLE IF NOT EXISTS decisions(id TEXT PRIMARY KEY, application_id TEXT NOT NULL, staff_iin TEXT NOT NULL,
  decision TEXT NOT NULL, base_version INTEGER NOT NULL, payload_base64 TEXT NOT NULL, cms_base64 TEXT NOT NULL,
  decided_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency(principal TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
  status INTEGER NOT NULL, content_type TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY(principal, key));
CREATE TABLE IF NOT EXISTS codes(id TEXT PRIMARY KEY, channel TEXT NOT NULL, destination TEXT NOT NULL,
  code TEXT NOT NULL, sent_at TEXT NOT NULL, expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL,
  confirmed INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bindings(id TEXT PRIMARY KEY, staff_iin TEXT NOT NULL, child_iin TEXT NOT NULL,
  address_id TEXT NOT NULL, micro_district_id TEXT NOT NULL, previous_micro_district_id TEXT,
  bound_at TEXT NOT NULL, recorded_at TEXT NOT NULL, payload_base64 TEXT NOT NULL, cms_base64 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS staff_email(iin TEXT PRIMARY KEY, email TEXT NOT NULL, confirmed_at TEXT NOT NULL);
";

pub fn open(path: Option<&std::path::Path>) -> Result<Connection, Error> {
    let conn = match path {
        Some(p) => Connection::open(p)?,
        None => Connection::open_in_memory()?,
    };
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
        [key, value],
    )?;
    Ok(())
}

pub fn bump(conn: &Connection, name: &str, by: u64) -> Result<(), Error> {
    conn.execute(
        "INSERT INTO counters(name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = value + ?2",
        params![name, by as i64],
    )?;
    Ok(())
}

pub fn counter(conn: &Connection, name: &str) -> Result<u64, Error> {
    let v: Option<i64> = conn
        .query_row("SELECT value FROM counters WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(v.unwrap_or(0) as u64)
}

pub fn next_change_seq(conn: &Connection) -> Result<u64, Error> {
    let v: i64 = conn.query_row(
        "SELECT COALESCE(MAX(change_seq), 0) + 1 FROM applications",
        [],
        |r| r.get(0),
    )?;
    Ok(v as u64)
}

/// Next portal number sequence (`YYYY-NNNNNNN`), persisted.
pub fn next_number(conn: &Connection) -> Result<u32, Error> {
    let n: u32 = meta(conn, "next_number")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    set_meta(conn, "next_number", &(n + 1).to_string())?;
    Ok(n)
}

pub fn insert_application(tx: &Connection, app: &portal_api::Application) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO applications(id, school_id, child_iin, language, status, version, change_seq, on_behalf, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            app.id,
            app.school_id,
            app.child.iin,
            app.language,
            app.status,
            app.version,
            app.change_seq as i64,
            app.on_behalf,
            serde_json::to_string(app)?
        ],
    )?;
    Ok(())
}

pub fn update_application(tx: &Connection, app: &portal_api::Application) -> Result<(), Error> {
    tx.execute(
        "UPDATE applications SET status = ?2, version = ?3, change_seq = ?4, body = ?5 WHERE id = ?1",
        params![app.id, app.status, app.version, app.change_seq as i64, serde_json::to_string(app)?],
    )?;
    Ok(())
}

pub fn application(conn: &Connection, id: &str) -> Result<Option<portal_api::Application>, Error> {
    let body: Option<String> = conn
        .query_row("SELECT body FROM applications WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(match body {
        Some(b) => Some(serde_json::from_str(&b)?),
        None => None,
    })
}

pub fn applications_of_child(
    conn: &Connection,
    child_iin: &str,
) -> Result<Vec<portal_api::Application>, Error> {
    let mut stmt = conn
        .prepare_cached("SELECT body FROM applications WHERE child_iin = ?1 ORDER BY change_seq")?;
    let rows = stmt.query_map([child_iin], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(serde_json::from_str(&row?)?);
    }
    Ok(out)
}

pub fn capacity(conn: &Connection, school_id: &str, language: &str) -> Result<Option<u32>, Error> {
    Ok(conn
        .query_row(
            "SELECT capacity FROM places WHERE school_id = ?1 AND language = ?2",
            [school_id, language],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn taken(conn: &Connection, school_id: &str, language: &str) -> Result<u32, Error> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM applications WHERE school_id = ?1 AND language = ?2 AND status = 'accepted'",
        [school_id, language],
        |r| r.get(0),
    )?)
}

pub fn address(conn: &Connection, id: &str) -> Result<Option<portal_api::RegisterAddress>, Error> {
    Ok(conn
        .query_row(
            "SELECT id, district_id, street_kk, street_ru, house, full_kk, full_ru, micro_district_id, version
             FROM addresses WHERE id = ?1",
            [id],
            address_row,
        )
        .optional()?)
}

pub fn address_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<portal_api::RegisterAddress> {
    Ok(portal_api::RegisterAddress {
        id: r.get(0)?,
        district_id: r.get(1)?,
        street_kk: r.get(2)?,
        street_ru: r.get(3)?,
        house: r.get(4)?,
        full_kk: r.get(5)?,
        full_ru: r.get(6)?,
        micro_district_id: r.get(7)?,
        version: r.get(8)?,
    })
}

/// The stored register entry (address filled in at read time, it may be re-bound).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct StoredPerson {
    pub iin: String,
    pub name: portal_api::PersonName,
    pub birth_certificate: Option<String>,
    pub parents: Vec<portal_api::Person>,
}

pub fn person(conn: &Connection, iin: &str) -> Result<Option<(StoredPerson, String)>, Error> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT body, address_id FROM persons WHERE iin = ?1",
            [iin],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        Some((body, addr)) => Some((serde_json::from_str(&body)?, addr)),
        None => None,
    })
}

fn insert_person(tx: &Transaction<'_>, p: &StoredPerson, address_id: &str) -> Result<(), Error> {
    tx.execute(
        "INSERT OR IGNORE INTO persons(iin, body, address_id) VALUES (?1, ?2, ?3)",
        params![p.iin, serde_json::to_string(p)?, address_id],
    )?;
    Ok(())
}

fn register_child(tx: &Transaction<'_>, child: &demo::RegisterPerson) -> Result<(), Error> {
    let parent = portal_api::Person {
        iin: child.parent_iin.to_string(),
        name: convert::name_to_wire(&child.parent_name),
    };
    insert_person(
        tx,
        &StoredPerson {
            iin: child.iin.to_string(),
            name: convert::name_to_wire(&child.name),
            birth_certificate: Some(child.birth_certificate.clone()),
            parents: vec![parent.clone()],
        },
        &child.address_id,
    )?;
    insert_person(
        tx,
        &StoredPerson {
            iin: parent.iin.clone(),
            name: parent.name.clone(),
            birth_certificate: None,
            parents: vec![],
        },
        &child.address_id,
    )
}

/// How many walk-in children the register holds besides the applicants' children.
pub fn walk_in_count(applications: u64) -> usize {
    (applications / 10).clamp(40, 5_000) as usize
}

/// Fills an empty database from the region and `applications` generated applications.
/// A database seeded before keeps its state (restarts with `--db` continue the world).
pub fn seed(
    conn: &mut Connection,
    spec: &RegionSpec,
    region: &Region,
    applications: u64,
    now: OffsetDateTime,
) -> Result<(), Error> {
    if let Some(seed) = meta(conn, "seed")? {
        if seed != spec.seed.to_string() {
            return Err(Error::Internal(format!(
                "database was seeded with seed {seed}, not {}",
                spec.seed
            )));
        }
        return Ok(());
    }
    let tx = conn.transaction()?;
    for a in &region.addresses {
        tx.execute(
            "INSERT INTO addresses(id, district_id, street_kk, street_ru, house, full_kk, full_ru, micro_district_id, version, search)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)",
            params![
                a.id,
                a.district_id,
                a.street,
                a.street_ru,
                a.house,
                a.full_kk,
                a.full_ru,
                a.micro_district.as_ref().map(|m| m.0.clone()),
                domain::search_key(&format!("{} {}", a.street, a.street_ru))
            ],
        )?;
    }
    let mut accepted: std::collections::HashMap<(String, String), u32> =
        std::collections::HashMap::new();
    for (n, app) in demo::applications(spec, region, applications).enumerate() {
        if app.status == domain::Status::Accepted {
            *accepted
                .entry((app.school.0.clone(), app.language.as_str().to_string()))
                .or_default() += 1;
        }
        let wire = convert::application_to_wire(&app, n as u64 + 1, app.submitted_at);
        insert_application(&tx, &wire)?;
        register_child(
            &tx,
            &demo::RegisterPerson {
                iin: app.child.iin,
                name: app.child.name.clone(),
                birth_certificate: app.child.birth_certificate.clone(),
                address_id: app.child.registered_address.id.clone().unwrap_or_default(),
                parent_iin: app.applicant.iin,
                parent_name: app.applicant.name.clone(),
            },
        )?;
    }
    for child in demo::walk_in_children(spec, region, walk_in_count(applications)) {
        register_child(&tx, &child)?;
        let addr = region.address(&child.address_id);
        let walk_in = portal_api::WalkIn {
            child_iin: child.iin.to_string(),
            child_name: child.name.display(),
            parent_iin: child.parent_iin.to_string(),
            parent_name: child.parent_name.display(),
            address_id: child.address_id.clone(),
            address_has_micro_district: addr.is_some_and(|a| a.micro_district.is_some()),
        };
        tx.execute(
            "INSERT INTO walk_ins(child_iin, body) VALUES (?1, ?2)",
            params![walk_in.child_iin, serde_json::to_string(&walk_in)?],
        )?;
    }
    for school in &region.schools {
        for p in &school.places {
            let lang = p.language.as_str().to_string();
            let taken = accepted
                .get(&(school.id.0.clone(), lang.clone()))
                .copied()
                .unwrap_or(0);
            // Generated data may accept more than the demo capacity: keep the world consistent.
            let capacity = p.capacity.max(taken + 5);
            tx.execute(
                "INSERT INTO places(school_id, language, capacity) VALUES (?1, ?2, ?3)",
                params![school.id.0, lang, capacity],
            )?;
        }
    }
    set_meta(&tx, "next_number", &(applications + 1).to_string())?;
    set_meta(&tx, "next_demo_n", &applications.to_string())?;
    set_meta(&tx, "seeded_at", &convert::timestamp(now))?;
    set_meta(&tx, "seed", &spec.seed.to_string())?;
    tx.commit()?;
    Ok(())
}
