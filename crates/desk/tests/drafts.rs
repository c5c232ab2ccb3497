//! The wizard's drafts in the encrypted journal (issue 16): per clerk, resumable, never
//! readable in the file, discarded after 30 days.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use desk::Desk;
use desk::vault::{self, SecretString};
use domain::Iin;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-05-04 09:00 +05:00);

fn clerks() -> (Iin, Iin) {
    let region = demo::region(&demo::RegionSpec::default());
    (region.staff[0].iin, region.staff[1].iin)
}

#[test]
fn a_draft_is_kept_per_clerk_in_the_encrypted_journal_and_resumes_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, b) = clerks();
    let password = SecretString::from("a-pass".to_string());
    let key = vault::enroll(&db, &a, &password, None, NOW).unwrap();
    let draft_a = r#"{"version":1,"step":2,"input":{"child":{"person":{"surname":"Зқжйызова"}}}}"#;
    let draft_b = r#"{"version":1,"step":1,"input":{"phone":"+7 701 000 00 00"}}"#;
    {
        let mut desk = Desk::open_encrypted(&db, &key).unwrap();
        assert_eq!(desk.wizard_draft(&a, NOW).unwrap(), None);
        desk.save_wizard_draft(&a, r#"{"version":1,"step":1}"#, NOW)
            .unwrap();
        desk.save_wizard_draft(&a, draft_a, NOW).unwrap();
        desk.save_wizard_draft(&b, draft_b, NOW).unwrap();
        assert_eq!(
            desk.wizard_draft(&a, NOW).unwrap().as_deref(),
            Some(draft_a)
        );
        // Not in the file's bytes, not even in the WAL.
        let mut bytes = std::fs::read(&db).unwrap();
        bytes.extend(std::fs::read(dir.path().join("journal.sqlite-wal")).unwrap_or_default());
        assert!(!String::from_utf8_lossy(&bytes).contains("Зқжйызова"));
    }
    // After a restart (an offline sign-in), each clerk finds their own.
    let key = vault::unlock(&db, &a, &password, NOW).unwrap();
    let mut desk = Desk::open_encrypted(&db, &key).unwrap();
    let later = NOW + time::Duration::days(29);
    assert_eq!(
        desk.wizard_draft(&a, later).unwrap().as_deref(),
        Some(draft_a)
    );
    assert_eq!(
        desk.wizard_draft(&b, later).unwrap().as_deref(),
        Some(draft_b)
    );

    desk.discard_wizard_draft(&b).unwrap();
    desk.discard_wizard_draft(&b).unwrap();
    assert_eq!(desk.wizard_draft(&b, later).unwrap(), None);

    // Thirty days after its last change a draft is gone.
    let too_late = NOW + time::Duration::days(30) + time::Duration::seconds(1);
    assert_eq!(desk.wizard_draft(&a, too_late).unwrap(), None);
}

#[test]
fn a_body_that_is_not_a_json_object_or_too_big_is_refused_and_the_draft_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, _) = clerks();
    let key = vault::enroll(
        &db,
        &a,
        &SecretString::from("a-pass".to_string()),
        None,
        NOW,
    )
    .unwrap();
    let mut desk = Desk::open_encrypted(&db, &key).unwrap();
    desk.save_wizard_draft(&a, r#"{"version":1}"#, NOW).unwrap();
    let huge = format!(r#"{{"x":"{}"}}"#, "a".repeat(desk::DRAFT_MAX_BYTES));
    for bad in ["not json", "[1,2]", "null", huge.as_str()] {
        let e = desk.save_wizard_draft(&a, bad, NOW).unwrap_err();
        assert_eq!(e.code(), "BAD_QUERY");
    }
    assert_eq!(
        desk.wizard_draft(&a, NOW).unwrap().as_deref(),
        Some(r#"{"version":1}"#)
    );
}
