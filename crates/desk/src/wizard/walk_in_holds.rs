//! What a walk-in's submission waits for (issue 11) and the clerk's ways to let it go:
//! a contact confirmed by code after the portal came back, or — when the register
//! and the typed data differ — the clerk's decision to keep what was typed (R-22; the
//! other choice, the register's data, means signing a corrected submission).

use crate::views::{DifferenceView, HoldView};
use crate::{Desk, Error};
use store::{EMAIL_UNCONFIRMED, NewHistory, PHONE_UNCONFIRMED, REGISTER_UNCHECKED, Store};
use time::OffsetDateTime;

/// What holds a submission whose binding the portal refused (R-15…R-17).
pub const BINDING_REFUSED: &str = "binding_refused";

/// The open holds of an application, for its view: a refused binding first (its
/// submission waits for the clerk to bind again), then the outbox's holds.
pub(crate) fn holds_view(store: &Store, application_id: &str) -> Result<Vec<HoldView>, Error> {
    let mut views = Vec::new();
    let entries = store.outbox_for(application_id)?;
    let waiting = entries
        .iter()
        .any(|e| e.kind == "on_behalf" && e.state == "pending");
    let last_binding = entries
        .iter()
        .rev()
        .find(|e| e.kind == crate::walk_in_binding::OUTBOX_KIND);
    if let Some(b) = last_binding.filter(|b| waiting && b.state == "refused") {
        let (_, _, refusal) = store.application(application_id)?;
        views.push(HoldView {
            reason: BINDING_REFUSED.into(),
            differences: Vec::new(),
            message: refusal.map(|(_, message)| message),
            micro_district_id: b.payload["micro_district_id"].as_str().map(str::to_string),
        });
    }
    views.extend(store.open_holds(application_id)?.into_iter().map(|h| {
        HoldView {
            differences: h
                .details
                .as_ref()
                .and_then(|d| d["differences"].as_array().cloned())
                .unwrap_or_default()
                .iter()
                .map(|d| DifferenceView {
                    field: d["field"].as_str().unwrap_or_default().to_string(),
                    typed: d["typed"].as_str().map(str::to_string),
                    register: d["register"].as_str().map(str::to_string),
                })
                .collect(),
            reason: h.reason,
            message: None,
            micro_district_id: None,
        }
    }));
    Ok(views)
}

impl Desk {
    /// a contact of a held submission was confirmed by code with the portal
    /// ([`crate::walk_in_portal::check_code`] answered); the submission no longer waits
    /// for it. `channel`: `sms` (the main phone) or `email`.
    pub fn contact_confirmed(
        &mut self,
        application_id: &str,
        channel: &str,
        code_id: &str,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        let clerk = self.current_clerk()?;
        let reason = match channel {
            "sms" => PHONE_UNCONFIRMED,
            "email" => EMAIL_UNCONFIRMED,
            other => {
                return Err(Error::BadQuery {
                    field: "channel",
                    reason: format!("sms or email, not {other:?}"),
                });
            }
        };
        let released = self.store_mut().release_hold(
            application_id,
            reason,
            &clerk.to_string(),
            &NewHistory {
                at: now,
                actor_iin: Some(clerk.to_string()),
                actor_name: None,
                kind: "contact_confirmed".into(),
                details: serde_json::json!({ "channel": channel, "code_id": code_id }),
            },
            now,
        )?;
        if released {
            Ok(())
        } else {
            Err(Error::WalkIn {
                code: "HOLD_NOT_FOUND",
                seconds: 0,
            })
        }
    }

    /// the register and the typed data differ (both shown on the application);
    /// the clerk keeps what was typed and the submission goes as it was signed.
    pub fn keep_typed_data(
        &mut self,
        application_id: &str,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        let clerk = self.current_clerk()?;
        let found = self
            .store()
            .open_holds(application_id)?
            .into_iter()
            .find(|h| h.reason == REGISTER_UNCHECKED && h.details.is_some());
        let Some(hold) = found else {
            return Err(Error::WalkIn {
                code: "HOLD_NOT_FOUND",
                seconds: 0,
            });
        };
        self.store_mut().release_hold(
            application_id,
            REGISTER_UNCHECKED,
            &clerk.to_string(),
            &NewHistory {
                at: now,
                actor_iin: Some(clerk.to_string()),
                actor_name: None,
                kind: "register_difference_kept".into(),
                details: hold.details.unwrap_or_default(),
            },
            now,
        )?;
        Ok(())
    }
}
