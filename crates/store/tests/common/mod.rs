//! What the store's tests fill a journal with and do to it: demo applications with their
//! submission history, the first new one, and a clerk's acceptance as one local action.
//! Shared by store.rs, encrypted.rs, full_disk.rs and cipher_layout.rs.
#![allow(dead_code, clippy::unwrap_used)]

use domain::{Action, Status};
use store::{JournalFilter, JournalKey, LocalAction, NewHistory, NewOutbox, Store};
use time::macros::datetime;

/// A journal key of 32 bytes `byte`.
pub fn key(byte: u8) -> JournalKey {
    JournalKey::from_bytes(zeroize::Zeroizing::new([byte; 32]))
}

/// `n` applications of the demo region's first school.
pub fn demo_apps(n: u64) -> Vec<domain::Application> {
    let spec = demo::RegionSpec::default();
    let region = demo::region(&spec);
    demo::applications(&spec, &region, n).collect()
}

/// The applications in the journal (`journal_count` ignores the filter's limit).
pub fn count(store: &Store) -> u64 {
    store.journal_count(&JournalFilter::default()).unwrap()
}

/// The submission entry of a demo application's history.
pub fn submitted(a: &domain::Application) -> Vec<NewHistory> {
    vec![NewHistory {
        at: a.submitted_at,
        actor_iin: Some(a.applicant.iin.to_string()),
        actor_name: None,
        kind: "submitted".into(),
        details: serde_json::json!({}),
    }]
}

/// Writes `apps` with their submission history (one page, one transaction).
pub fn put(store: &mut Store, apps: &[domain::Application]) -> Result<usize, store::Error> {
    let history: Vec<Vec<NewHistory>> = apps.iter().map(submitted).collect();
    store.put_applications(apps.iter().zip(history.iter().map(Vec::as_slice)))
}

/// The first application of the journal in status `new`, accepted (not yet written).
pub fn first_new_accepted(store: &Store) -> domain::Application {
    let row = store
        .journal(&JournalFilter {
            status: Some(Status::New),
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    let (mut app, _, _) = store.application(&row.id).unwrap();
    app.status = app.status.apply(Action::Accept).unwrap();
    app
}

/// A clerk's acceptance of `app` as one local action: the change, its history entry and
/// the outbox entry under idempotency key `key`, signed.
pub fn acceptance<'a>(app: &'a domain::Application, key: &str) -> LocalAction<'a> {
    let at = datetime!(2026-04-20 10:00 +05:00);
    LocalAction {
        application: app,
        history: NewHistory {
            at,
            actor_iin: Some("900101300017".into()),
            actor_name: Some("Тестов Тест".into()),
            kind: "accepted".into(),
            details: serde_json::json!({"from": "new", "to": "accepted"}),
        },
        outbox: NewOutbox {
            idempotency_key: key.into(),
            kind: "decision".into(),
            payload: serde_json::json!({"decision": "accept"}),
            signature: Some(vec![1, 2, 3]),
            created_at: at,
        },
        attachments: vec![],
    }
}
