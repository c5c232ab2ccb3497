//! Staff accounts the portal refuses (issue 16, bad input): a lockout after wrong
//! passwords in a row, and an account revoked by the portal's administrator
//! (`POST /admin/staff/{iin}/revoke`, loopback only). A revoked account's tokens end at
//! once; its EDS sign-ins are refused too.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use time::{Duration, OffsetDateTime};

use crate::error::Error;
use crate::{AppState, Sim};

/// Wrong passwords in a row before the lockout.
pub const WRONG_TRIES_BEFORE_LOCK: u32 = 5;
/// How long a locked account waits.
pub const LOCK_FOR: Duration = Duration::minutes(15);

/// What the portal holds against one staff account.
#[derive(Debug, Clone, Default)]
pub(crate) struct Account {
    wrong_tries: u32,
    locked_until: Option<OffsetDateTime>,
    revoked: bool,
}

pub(crate) type Accounts = HashMap<String, Account>;

/// Refuses a sign-in of `iin` while the account is revoked or locked.
pub(crate) fn check_open(sim: &Sim, iin: &str, now: OffsetDateTime) -> Result<(), Error> {
    let accounts = crate::lock(&sim.accounts);
    let Some(a) = accounts.get(iin) else {
        return Ok(());
    };
    if a.revoked {
        return Err(Error::AccountRevoked);
    }
    match a.locked_until {
        Some(until) if until > now => Err(Error::AccountLocked {
            minutes: ((until - now).whole_seconds() + 59) / 60,
        }),
        _ => Ok(()),
    }
}

/// A wrong password for `iin`: the fifth in a row locks the account.
pub(crate) fn record_wrong_password(sim: &Sim, iin: &str, now: OffsetDateTime) {
    let mut accounts = crate::lock(&sim.accounts);
    let a = accounts.entry(iin.to_string()).or_default();
    a.wrong_tries = a.wrong_tries.saturating_add(1);
    if a.wrong_tries >= WRONG_TRIES_BEFORE_LOCK {
        a.wrong_tries = 0;
        a.locked_until = Some(now + LOCK_FOR);
    }
}

/// A successful sign-in forgets the wrong tries.
pub(crate) fn record_sign_in(sim: &Sim, iin: &str) {
    if let Some(a) = crate::lock(&sim.accounts).get_mut(iin) {
        a.wrong_tries = 0;
    }
}

/// `POST /admin/staff/{iin}/revoke`: the account can no longer sign in and its sessions end.
pub async fn revoke(State(sim): State<AppState>, Path(iin): Path<String>) -> Response {
    let known = sim.region.staff.iter().any(|s| s.iin.to_string() == iin);
    if !known {
        return Error::NotFound(format!("staff {iin}")).into_response();
    }
    crate::lock(&sim.accounts)
        .entry(iin.clone())
        .or_default()
        .revoked = true;
    crate::lock(&sim.sessions).retain(|_, s| s.staff_iin != iin);
    let body = serde_json::json!({ "iin": iin, "revoked": true }).to_string();
    crate::respond(axum::http::StatusCode::OK, "application/json", body)
}
