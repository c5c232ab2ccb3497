//! A walk-in typed offline waits before it is sent (issue 11) against a real portal-sim:
//! for its contacts to be confirmed by code and for the register check (R-20,
//! Where the register and the typed data differ, the clerk is shown both and
//! decides; the portal keeps what was typed, never the register's silently.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Office, Portal, first_sync, round, walk_in_child, worker};
use store::Store;
use time::OffsetDateTime;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unchecked_data_and_unconfirmed_contacts_hold_the_submission_until_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 23, 200).await;
    let mut office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut desk = office.desk();
    let mut w = worker(&portal, 23);
    first_sync(&mut w, &mut store, &office).await;
    let (region, child) = walk_in_child(&portal, true);
    let child = &child;
    // Typed offline with another surname than the register's, contacts not confirmed
    // (n = 2: register_checked false).
    let mut typed = child.clone();
    typed.name.surname = domain::PersonName::parse("Басқатегі").unwrap();
    let confirmed = (office.phone_code_id.clone(), office.email_code_id.clone());
    office.phone_code_id.clear();
    office.email_code_id.clear();
    let id = office
        .submit_walk_in(&mut desk, &region, &typed, 2)
        .unwrap();
    (office.phone_code_id, office.email_code_id) = confirmed.clone();
    let reasons = |desk: &desk::Desk| -> Vec<String> {
        desk.application(&id)
            .unwrap()
            .holds
            .into_iter()
            .map(|h| h.reason)
            .collect()
    };
    assert_eq!(
        reasons(&desk),
        [
            "email_unconfirmed",
            "phone_unconfirmed",
            "register_unchecked"
        ]
    );

    // The round checks the register: the surname differs; both versions are shown.
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!(r.pushed, 0, "{r:?}");
    let view = desk.application(&id).unwrap();
    assert_eq!(view.refusal.as_ref().unwrap().code, "REGISTER_DIFFERS");
    let check = view
        .holds
        .iter()
        .find(|h| h.reason == "register_unchecked")
        .unwrap();
    assert_eq!(check.differences.len(), 1, "{:?}", check.differences);
    assert_eq!(check.differences[0].field, "child.surname");
    assert_eq!(check.differences[0].typed.as_deref(), Some("Басқатегі"));
    assert_eq!(
        check.differences[0].register.as_deref(),
        Some(child.name.surname.as_str())
    );

    // The clerk keeps what was typed; the contacts are confirmed (the parent read the
    // codes out: here the office's codes confirmed with the portal).
    desk.keep_typed_data(&id, OffsetDateTime::now_utc())
        .unwrap();
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!(r.pushed, 0, "still waits for the contacts: {r:?}");
    desk.contact_confirmed(&id, "sms", &confirmed.0, OffsetDateTime::now_utc())
        .unwrap();
    assert_eq!(
        desk.contact_confirmed(&id, "sms", &confirmed.0, OffsetDateTime::now_utc())
            .map_err(|e| e.code())
            .unwrap_err(),
        "HOLD_NOT_FOUND"
    );
    desk.contact_confirmed(&id, "email", &confirmed.1, OffsetDateTime::now_utc())
        .unwrap();
    assert!(reasons(&desk).is_empty());
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!(r.pushed, 1, "{r:?}");

    // The portal registered what the clerk typed.
    let portal_id = store.portal_id(&id).unwrap();
    let on_portal = w.client().application(&portal_id).await.unwrap();
    assert_eq!(on_portal.child.name.surname, "Басқатегі");
    let view = desk.application(&id).unwrap();
    assert!(!view.provisional && view.refusal.is_none(), "{view:?}");
    let kinds: Vec<String> = view.history.iter().map(|h| h.kind.clone()).collect();
    for kind in [
        "register_differs",
        "register_difference_kept",
        "contact_confirmed",
        "number_assigned",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind}: {kinds:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registers_version_taken_is_a_corrected_submission_signed_again() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 24, 200).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut desk = office.desk();
    let mut w = worker(&portal, 24);
    first_sync(&mut w, &mut store, &office).await;
    let (region, child) = walk_in_child(&portal, true);
    let child = &child;
    // Typed offline with another surname and given name than the register's (n = 4:
    // register_checked false; the contacts were confirmed by code).
    let mut typed = child.clone();
    typed.name.surname = domain::PersonName::parse("Басқатегі").unwrap();
    typed.name.given = domain::PersonName::parse("Басқааты").unwrap();
    let id = office
        .submit_walk_in(&mut desk, &region, &typed, 4)
        .unwrap();
    let now = OffsetDateTime::now_utc();
    // Nothing to take before the register check ran.
    let take = desk::walk_in_correction::Correction::RegisterVersion;
    let early = desk
        .correct_held_submission(&office.clerk, &id, &take, &office.signer, now, "take-0")
        .unwrap_err();
    assert_eq!(early.code(), "HOLD_NOT_FOUND");
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!(r.pushed, 0, "{r:?}");
    let held = desk.application(&id).unwrap();
    assert_eq!(held.refusal.as_ref().unwrap().code, "REGISTER_DIFFERS");

    // The clerk takes the register's version: signed again, the held entry replaced.
    desk.correct_held_submission(&office.clerk, &id, &take, &office.signer, now, "take-1")
        .unwrap();
    let view = desk.application(&id).unwrap();
    assert!(view.holds.is_empty(), "{:?}", view.holds);
    assert!(view.refusal.is_none(), "{view:?}");
    assert_eq!(view.child.person.surname, child.name.surname.as_str());
    let r = round(&mut w, &mut store, &office).await;
    assert_eq!((r.pushed, r.refused), (1, 0), "{r:?}");

    // The portal registered the register's version, signed with it.
    let portal_id = store.portal_id(&id).unwrap();
    let on_portal = w.client().application(&portal_id).await.unwrap();
    assert_eq!(on_portal.child.name.surname, child.name.surname.as_str());
    assert_eq!(on_portal.child.name.given, child.name.given.as_str());
    let entries = store.outbox_for(&id).unwrap();
    let states: Vec<(&str, &str, Option<&str>)> = entries
        .iter()
        .map(|e| (e.kind.as_str(), e.state.as_str(), e.last_error.as_deref()))
        .collect();
    assert_eq!(
        states,
        [
            ("on_behalf", "refused", Some(store::SUPERSEDED)),
            ("on_behalf", "sent", None)
        ]
    );
    // Nothing typed is lost: both versions are in the history, and the replaced entry
    // keeps the request as it was typed and signed.
    let history = store.history(&id).unwrap();
    let corrected = history
        .iter()
        .find(|h| h.kind == "submission_corrected")
        .unwrap();
    assert_eq!(corrected.details["correction"], "register_version");
    let before = corrected.details["before"]["differences"]
        .as_array()
        .unwrap();
    let typed_of = |field: &str| {
        before
            .iter()
            .find(|d| d["field"] == field)
            .map(|d| (d["typed"].clone(), d["register"].clone()))
            .unwrap()
    };
    assert_eq!(
        typed_of("child.surname"),
        (
            serde_json::json!("Басқатегі"),
            serde_json::json!(child.name.surname.as_str())
        )
    );
    assert_eq!(typed_of("child.given").0, serde_json::json!("Басқааты"));
    assert_eq!(entries[0].payload["child"]["name"]["surname"], "Басқатегі");
    let view = desk.application(&id).unwrap();
    assert!(!view.provisional && view.refusal.is_none(), "{view:?}");
}
