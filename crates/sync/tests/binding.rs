//! The clerk's binding of a walk-in child's address to a micro-district (R-15…R-17)
//! against a real portal-sim: sent as its own signed act before the submission; a binding
//! the portal refuses holds the submission back, with the portal's message on the
//! application.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Office, Portal, first_sync, round, walk_in_child, worker};
use store::{Store, SyncMark};

/// Binds `address_id` to `micro_district` through the register's own (unsigned) route,
/// as another office would have: the desk's binding then meets an address bound elsewhere.
async fn bind_elsewhere(portal: &Portal, office: &Office, address_id: &str, micro_district: &str) {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let signed_in: portal_api::SignInResponse = http
        .post(format!("{}/api/v1/auth/sign-in", portal.url))
        .json(&serde_json::json!({"iin": office.clerk.to_string(), "password": office.password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let status = http
        .put(format!(
            "{}/api/v1/addresses/{address_id}/micro-district",
            portal.url
        ))
        .bearer_auth(&signed_in.token)
        .header(portal_api::IDEMPOTENCY_KEY, "elsewhere-1")
        .json(&serde_json::json!({"micro_district_id": micro_district, "base_version": 1, "responsibility_confirmed": true}))
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success(), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_binding_holds_the_submission_back_with_the_portals_message() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 21, 200).await;
    let office = Office::new(dir.path(), &portal).await;
    let mut store = Store::open(&office.db).unwrap();
    let mut desk = office.desk();
    let mut w = worker(&portal, 21);
    first_sync(&mut w, &mut store, &office).await;
    let (region, child) = walk_in_child(&portal, false);
    let child = &child;
    let elsewhere = region
        .micro_districts
        .iter()
        .find(|m| m.school.0 != office.school_id)
        .unwrap();
    bind_elsewhere(&portal, &office, &child.address_id, &elsewhere.id.0).await;
    let before = portal.stats().await;

    // The desk binds the same address to its own school's micro-district (n = 1: binding).
    let id = office.submit_walk_in(&mut desk, &region, child, 1).unwrap();
    let report = round(&mut w, &mut store, &office).await;
    assert_eq!(report.refused, 1, "{report:?}");
    let entries = store.outbox_for(&id).unwrap();
    let states: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.kind.as_str(), e.state.as_str()))
        .collect();
    assert_eq!(states, [("binding", "refused"), ("on_behalf", "pending")]);
    let (_, mark, refusal) = store.application(&id).unwrap();
    assert_eq!(mark, SyncMark::Refused);
    let (code, message) = refusal.unwrap();
    assert_eq!(code, "ADDRESS_BOUND_ELSEWHERE");
    assert!(message.contains(&elsewhere.id.0), "{message}");

    // Later rounds do not send the submission that needed the binding.
    let again = round(&mut w, &mut store, &office).await;
    assert_eq!((again.pushed, again.refused), (0, 0), "{again:?}");
    assert_eq!(
        store.outbox_for(&id).unwrap()[1].state,
        "pending",
        "held back"
    );
    let after = portal.stats().await;
    assert_eq!(after.on_behalf_submissions, before.on_behalf_submissions);
    assert!(portal.bindings().await.is_empty(), "nothing recorded");
    assert!(
        store
            .history(&id)
            .unwrap()
            .iter()
            .any(|h| h.kind == "refused_by_portal" && h.details["action"] == "binding")
    );

    // The clerk sees the portal's message next to the held submission (issue 11)…
    let view = desk.application(&id).unwrap();
    let hold = view
        .holds
        .iter()
        .find(|h| h.reason == "binding_refused")
        .unwrap();
    assert!(
        hold.message.as_deref().unwrap().contains(&elsewhere.id.0),
        "{hold:?}"
    );
    let own = hold.micro_district_id.clone().unwrap();
    assert_ne!(own, elsewhere.id.0);
    // …a binding without the clerk's responsibility, or to no micro-district of the
    // list, is refused before anything is signed…
    let now = time::OffsetDateTime::now_utc();
    let rebind = |desk: &mut desk::Desk, md: &str, confirmed: bool, key: &str| {
        let binding = desk::views::BindingInput {
            micro_district_id: md.into(),
            responsibility_confirmed: confirmed,
        };
        desk.correct_held_submission(
            &office.clerk,
            &id,
            &desk::walk_in_correction::Correction::Rebind(binding),
            &office.signer,
            now,
            key,
        )
    };
    let fields = |e: desk::Error| match e {
        desk::Error::Invalid { fields } => fields.into_iter().map(|(f, _)| f).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let wrong = rebind(&mut desk, "md-none", false, "rebind-0").unwrap_err();
    assert_eq!(
        fields(wrong),
        [
            "child.binding.responsibility_confirmed",
            "child.binding.micro_district_id"
        ]
    );
    // …and binds the address to the micro-district the portal holds it in, signing the
    // binding and the submission again: the held submission then goes.
    let outcome = rebind(&mut desk, &elsewhere.id.0, true, "rebind-1").unwrap();
    assert_eq!(outcome.application_id, id);
    assert!(
        desk.application(&id).unwrap().holds.is_empty(),
        "no longer held"
    );
    let again = rebind(&mut desk, &elsewhere.id.0, true, "rebind-2").unwrap_err();
    assert_eq!(again.code(), "HOLD_NOT_FOUND");
    let report = round(&mut w, &mut store, &office).await;
    assert_eq!((report.pushed, report.refused), (2, 0), "{report:?}");
    let states: Vec<(String, String)> = store
        .outbox_for(&id)
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.state))
        .collect();
    let states: Vec<(&str, &str)> = states
        .iter()
        .map(|(k, s)| (k.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("binding", "refused"),
            ("on_behalf", "refused"),
            ("binding", "sent"),
            ("on_behalf", "sent")
        ]
    );
    let replaced = store.outbox_for(&id).unwrap()[1].clone();
    assert_eq!(replaced.last_error.as_deref(), Some(store::SUPERSEDED));
    assert_eq!(
        store.superseded_by(replaced.seq).unwrap(),
        Some(store.outbox_for(&id).unwrap()[3].seq)
    );
    let recorded = portal.bindings().await;
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].micro_district_id, elsewhere.id.0);
    let view = desk.application(&id).unwrap();
    assert!(!view.provisional && view.refusal.is_none(), "{view:?}");
    let portal_id = store.portal_id(&id).unwrap();
    let on_portal = w.client().application(&portal_id).await.unwrap();
    assert_eq!(
        on_portal
            .child
            .registered_address
            .micro_district_id
            .as_deref(),
        Some(elsewhere.id.0.as_str())
    );
    // Both versions are in the history.
    let history = store.history(&id).unwrap();
    let corrected = history
        .iter()
        .find(|h| h.kind == "submission_corrected")
        .unwrap();
    assert_eq!(corrected.details["correction"], "rebind");
    assert_eq!(
        corrected.details["before"]["micro_district_id"],
        own.as_str()
    );
    assert_eq!(
        corrected.details["after"]["micro_district_id"],
        elsewhere.id.0.as_str()
    );
    assert_eq!(
        history
            .iter()
            .filter(|h| h.kind == "micro_district_binding")
            .count(),
        2
    );
}
