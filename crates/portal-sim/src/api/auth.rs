//! Sign-in by password and by EDS, the staff member's e-mail at the first sign-in.

use super::codes::CODE_ATTEMPTS;
use super::{ok_json, result};
use crate::error::Error;
use crate::verification;
use crate::{AppState, RawBody, Sim, Staff, json_response, parse_json, respond};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use portal_api as wire;
use portal_api::convert;
use rusqlite::params;
use time::OffsetDateTime;

// ---- sign-in (R-1) ----

pub async fn sign_in(State(sim): State<AppState>, RawBody(body): RawBody) -> Response {
    result((|| {
        let req: wire::SignInRequest = parse_json(&body)?;
        let now = OffsetDateTime::now_utc();
        let iin = req.iin.trim();
        crate::accounts::check_open(&sim, iin, now)?;
        let Some(staff) = sim
            .region
            .staff
            .iter()
            .find(|s| s.iin.to_string() == iin && s.password == req.password)
        else {
            crate::accounts::record_wrong_password(&sim, iin, now);
            return Err(Error::CredentialsInvalid);
        };
        crate::accounts::record_sign_in(&sim, iin);
        Ok(open_session(&sim, staff, now))
    })())
}

/// A bearer token for `staff`, valid for the configured time, with all their schools.
fn open_session(sim: &Sim, staff: &demo::Staff, now: OffsetDateTime) -> Response {
    let schools: Vec<String> = sim
        .region
        .staff
        .iter()
        .filter(|s| s.iin == staff.iin)
        .map(|s| s.school.0.clone())
        .collect();
    let token = hex::encode(sim.random_bytes(24));
    let expires_at = now + sim.token_ttl;
    crate::lock(&sim.sessions).insert(
        token.clone(),
        crate::Session {
            staff_iin: staff.iin.to_string(),
            schools: schools.clone(),
            expires_at,
        },
    );
    let confirmed = confirmed_email(sim, &staff.iin.to_string());
    ok_json(&wire::SignInResponse {
        token,
        expires_at: convert::timestamp(expires_at),
        staff: wire::StaffMember {
            iin: staff.iin.to_string(),
            name: convert::name_to_wire(&staff.name),
            email: confirmed.clone().unwrap_or_else(|| staff.email.to_string()),
            school_ids: schools,
            email_confirmed: confirmed.is_some(),
        },
    })
}

/// The e-mail a staff member confirmed, if any.
fn confirmed_email(sim: &Sim, iin: &str) -> Option<String> {
    rusqlite::OptionalExtension::optional(sim.db().query_row(
        "SELECT email FROM staff_email WHERE iin = ?1",
        [iin],
        |r| r.get(0),
    ))
    .ok()
    .flatten()
}

// ---- the staff member's e-mail at the first sign-in (R-2) ----

/// The e-mail given at the first sign-in: a 4-digit code is sent to it (the simulator
/// shows it under `/admin/codes`).
pub async fn send_staff_email_code(
    State(sim): State<AppState>,
    _staff: Staff,
    RawBody(body): RawBody,
) -> Response {
    result((|| {
        let req: wire::StaffEmailRequest = parse_json(&body)?;
        let email = domain::Email::parse(&req.email)
            .map_err(|e| {
                Error::Domain(convert::Error::Domain {
                    field: "email",
                    source: e,
                })
            })?
            .to_string();
        let code = format!("{:04}", sim.random_range(0..10_000));
        let now = OffsetDateTime::now_utc();
        let expires = now + sim.code_ttl;
        let conn = sim.db();
        let n: i64 = conn.query_row("SELECT COUNT(*) + 1 FROM codes", [], |r| r.get(0))?;
        let id = format!("code-{n}");
        conn.execute(
            "INSERT INTO codes(id, channel, destination, code, sent_at, expires_at, attempts, confirmed)
             VALUES (?1, 'email', ?2, ?3, ?4, ?5, 0, 0)",
            params![id, email, code, convert::timestamp(now), expires.unix_timestamp()],
        )?;
        let (status, body) = json_response(
            StatusCode::CREATED,
            &wire::CodeSent {
                code_id: id,
                channel: "email".into(),
                destination: email,
                expires_at: convert::timestamp(expires),
            },
        )?;
        Ok(respond(status, "application/json", body))
    })())
}

/// The code sent to the e-mail confirms it for this staff member: the same rules as any
/// confirmation code (3 wrong tries burn it, it expires).
pub async fn confirm_staff_email(
    State(sim): State<AppState>,
    staff: Staff,
    RawBody(body): RawBody,
) -> Response {
    result((|| {
        let req: wire::StaffEmailConfirm = parse_json(&body)?;
        let now = OffsetDateTime::now_utc();
        let email = {
            let conn = sim.db();
            let row: Option<(String, String, String, i64, i64)> =
                rusqlite::OptionalExtension::optional(conn.query_row(
                    "SELECT channel, destination, code, expires_at, attempts FROM codes WHERE id = ?1",
                    [&req.code_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                ))?;
            let (channel, destination, code, expires_at, attempts) = row
                .filter(|r| r.0 == "email")
                .ok_or_else(|| Error::NotFound(format!("confirmation code {}", req.code_id)))?;
            let _ = channel;
            if now.unix_timestamp() >= expires_at {
                return Err(Error::CodeExpired);
            }
            if attempts >= CODE_ATTEMPTS {
                return Err(Error::CodeAttemptsExceeded);
            }
            if req.code.trim() != code {
                conn.execute(
                    "UPDATE codes SET attempts = attempts + 1 WHERE id = ?1",
                    [&req.code_id],
                )?;
                return Err(Error::CodeIncorrect);
            }
            conn.execute(
                "UPDATE codes SET confirmed = 1 WHERE id = ?1",
                [&req.code_id],
            )?;
            conn.execute(
                "INSERT INTO staff_email(iin, email, confirmed_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(iin) DO UPDATE SET email = excluded.email, confirmed_at = excluded.confirmed_at",
                params![staff.iin, destination, convert::timestamp(now)],
            )?;
            destination
        };
        let member = sim
            .region
            .staff
            .iter()
            .find(|s| s.iin.to_string() == staff.iin)
            .ok_or_else(|| Error::NotFound(format!("staff {}", staff.iin)))?;
        Ok(ok_json(&wire::StaffMember {
            iin: staff.iin.clone(),
            name: convert::name_to_wire(&member.name),
            email,
            school_ids: staff.schools.clone(),
            email_confirmed: true,
        }))
    })())
}

/// How long an EDS sign-in challenge may be signed and sent back.
const CHALLENGE_TTL: time::Duration = time::Duration::minutes(5);

pub async fn eds_challenge(State(sim): State<AppState>) -> Response {
    let now = OffsetDateTime::now_utc();
    let challenge = B64.encode(sim.random_bytes(32));
    let expires_at = now + CHALLENGE_TTL;
    {
        let mut challenges = crate::lock(&sim.challenges);
        challenges.retain(|_, expires| *expires > now);
        challenges.insert(challenge.clone(), expires_at);
    }
    ok_json(&wire::EdsChallenge {
        challenge,
        expires_at: convert::timestamp(expires_at),
    })
}

/// EDS sign-in: a detached CMS over the challenge's bytes (base64-decoded), signed
/// with an authentication key (`AUTH_RSA_*`) whose certificate names a staff member's IIN.
/// A challenge is used once, whatever the outcome.
pub async fn eds_sign_in(State(sim): State<AppState>, RawBody(body): RawBody) -> Response {
    result((|| {
        let req: wire::EdsSignInRequest = parse_json(&body)?;
        let now = OffsetDateTime::now_utc();
        let expires_at = crate::lock(&sim.challenges).remove(req.challenge.trim());
        if expires_at.is_none_or(|t| t <= now) {
            return Err(Error::ChallengeInvalid);
        }
        let challenge = B64
            .decode(req.challenge.trim())
            .map_err(|_| Error::ChallengeInvalid)?;
        let cms = B64
            .decode(req.cms_base64.trim())
            .map_err(|_| Error::SignatureInvalid("cms_base64 is not base64".into()))?;
        let owner = verification::signed_in_owner(&sim, &challenge, &cms, now)?;
        let staff = sim
            .region
            .staff
            .iter()
            .find(|s| s.iin == owner)
            .ok_or_else(|| Error::SignerUnknown(owner.to_string()))?;
        crate::accounts::check_open(&sim, &owner.to_string(), now)?;
        Ok(open_session(&sim, staff, now))
    })())
}
