//! The signed-in clerk a decision is signed for, and saving a document of the documents
//! tab to disk (R-5 «Жүктеу», R-6, R-7, R-34), on a real demo journal and a real `.p12`.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use desk::Desk;
use desk::demo_data::{DemoFill, fill};
use desk::signing::testkit::{CertSpec, TestCa, write_p12};
use desk::signing::{P12Signer, Zeroizing};
use desk::views::{DecisionInput, JournalQuery, StatusKey};
use domain::Iin;
use time::macros::datetime;

fn demo(dir: &std::path::Path) -> (Desk, desk::views::DemoSummary) {
    let db = dir.join("journal.sqlite");
    let summary = fill(
        &db,
        &DemoFill {
            seed: 5,
            applications: 40,
        },
    )
    .unwrap();
    (Desk::open(&db).unwrap(), summary)
}

#[test]
fn the_current_clerk_is_the_signed_in_one_and_nobody_else() {
    let dir = tempfile::tempdir().unwrap();
    let (mut desk, summary) = demo(dir.path());
    assert_eq!(desk.current_clerk().unwrap().to_string(), summary.clerk_iin);
    assert_eq!(
        desk.status_bar().unwrap().clerk_iin.as_deref(),
        Some(summary.clerk_iin.as_str())
    );

    // Signed out (or a journal nobody signed in to yet): no guess among the staff.
    desk_store_set(&mut desk, "clerk_iin", "");
    assert_eq!(desk.current_clerk().unwrap_err().code(), "NOT_SIGNED_IN");
    let empty = Desk::open(&dir.path().join("empty.sqlite")).unwrap();
    let err = empty.current_clerk().unwrap_err();
    assert_eq!(err.code(), "NOT_SIGNED_IN");
    assert!(
        err.message(domain::Lang::Kk).contains("ЭЦҚ")
            && err.message(domain::Lang::Ru).contains("ЭЦП")
    );

    desk_store_set(&mut desk, "clerk_iin", "123");
    assert_eq!(
        desk.current_clerk().unwrap_err().code(),
        "IIN_LENGTH",
        "a damaged value is not a clerk"
    );
}

fn desk_store_set(desk: &mut Desk, key: &str, value: &str) {
    // The journal file is shared by design (sync worker, CLI): a second connection writes.
    let path = desk.store().path().to_path_buf();
    let mut other = store::Store::open(&path).unwrap();
    other.set_sync_value(key, value).unwrap();
}

#[test]
fn a_cached_document_comes_back_byte_for_byte_and_an_uncached_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut desk, summary) = demo(dir.path());
    let clerk = Iin::parse(&summary.clerk_iin).unwrap();
    let ca = TestCa::new("Test NCA");
    let p12 = dir.path().join("RSA_clerk.p12");
    write_p12(
        &p12,
        &ca,
        &CertSpec::signing(&clerk, &summary.clerk_name.to_uppercase()),
        "Qwerty12",
        true,
    );
    let signer = P12Signer::open(&p12, Zeroizing::new("Qwerty12".into())).unwrap();
    let id = desk
        .journal(&JournalQuery {
            status: Some(StatusKey::New),
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .rows[0]
        .id
        .clone();
    let input = DecisionInput {
        application_id: id.clone(),
        decision: "accept".into(),
        reason_code: None,
        reason_text: None,
    };
    desk.decide(
        &clerk,
        &input,
        &signer,
        datetime!(2026-04-20 10:30 +05:00),
        "save-1".into(),
    )
    .unwrap();

    let app = desk.application(&id).unwrap();
    let listed = app
        .documents
        .iter()
        .find(|d| d.kind == "signature")
        .unwrap();
    let (view, bytes) = desk.document(&id, &listed.id).unwrap();
    assert_eq!(&view, listed, "the same view as the documents tab");
    let cms = desk
        .store()
        .pending_outbox(1)
        .unwrap()
        .remove(0)
        .signature
        .unwrap();
    assert_eq!(
        bytes, cms,
        "the .p7s saved is the signature sent to the portal"
    );
    assert_eq!(view.size as usize, bytes.len());
    assert!(view.file_name.ends_with("-accept.p7s"));

    // Documents the portal has not sent yet, a document of another application, a made-up id.
    let all = desk
        .journal(&JournalQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .rows;
    let not_cached = all
        .iter()
        .flat_map(|r| {
            desk.application(&r.id)
                .unwrap()
                .documents
                .into_iter()
                .map(move |d| (r.id.clone(), d))
        })
        .find(|(_, d)| !d.cached);
    let (app_id, d) =
        not_cached.expect("the demo journal has documents the portal has not sent yet");
    let err = desk.document(&app_id, &d.id).unwrap_err();
    assert_eq!(err.code(), "DOCUMENT_NOT_CACHED");
    assert!(err.to_string().contains(&d.file_name));
    let other = all.iter().find(|r| r.id != id).unwrap();
    assert_eq!(
        desk.document(&other.id, &listed.id).unwrap_err().code(),
        "DOCUMENT_NOT_FOUND"
    );
    assert_eq!(
        desk.document(&id, "no-such-document").unwrap_err().code(),
        "DOCUMENT_NOT_FOUND"
    );
}

#[test]
fn the_receipt_kind_says_where_printing_works() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = demo(dir.path());
    for (status, kind) in [
        (StatusKey::Accepted, Some("acceptance")),
        (StatusKey::Rejected, Some("rejection")),
        (StatusKey::Withdrawn, None),
    ] {
        let rows = desk
            .journal(&JournalQuery {
                status: Some(status),
                limit: 5,
                ..Default::default()
            })
            .unwrap()
            .rows;
        let row = rows.first().expect("the demo journal has every status");
        assert_eq!(
            desk.receipt_kind(&row.id).unwrap().as_deref(),
            kind,
            "{status:?}"
        );
        match kind {
            Some(k) => assert_eq!(desk.receipt(&row.id, None).unwrap().kind, k),
            None => assert_eq!(
                desk.receipt(&row.id, None).unwrap_err().code(),
                "RECEIPT_NOT_AVAILABLE"
            ),
        }
    }
    // A new application sent by a parent from home has none.
    let new = desk
        .journal(&JournalQuery {
            status: Some(StatusKey::New),
            limit: 50,
            ..Default::default()
        })
        .unwrap()
        .rows;
    let from_home = new
        .iter()
        .find(|r| !desk.application(&r.id).unwrap().on_behalf)
        .unwrap();
    assert_eq!(desk.receipt_kind(&from_home.id).unwrap(), None);
    assert_eq!(
        desk.receipt_kind("no-such-application").unwrap_err().code(),
        "APPLICATION_NOT_FOUND"
    );
}

#[test]
fn the_actions_of_an_application_follow_its_state() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = demo(dir.path());
    for (status, can_decide, blocked) in [
        (StatusKey::New, true, None),
        (StatusKey::UnderReview, true, None),
        (StatusKey::Accepted, false, Some("TRANSITION_NOT_ALLOWED")),
        (StatusKey::Rejected, false, Some("TRANSITION_NOT_ALLOWED")),
        (StatusKey::Withdrawn, false, Some("TRANSITION_NOT_ALLOWED")),
    ] {
        let rows = desk
            .journal(&JournalQuery {
                status: Some(status),
                limit: 50,
                ..Default::default()
            })
            .unwrap()
            .rows;
        let row = rows
            .iter()
            .find(|r| !r.provisional)
            .expect("the demo journal has every status");
        let actions = desk.application_actions(&row.id).unwrap();
        assert_eq!(
            (actions.can_decide, actions.decide_blocked.as_deref()),
            (can_decide, blocked),
            "{status:?}"
        );
        assert_eq!(actions.receipt_kind, desk.receipt_kind(&row.id).unwrap());
    }
}
