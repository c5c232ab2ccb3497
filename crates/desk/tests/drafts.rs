//! The wizard's drafts in the encrypted journal (issue 16): per clerk, resumable, never
//! readable in the file, discarded after 30 days.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use desk::Desk;
use desk::vault::{self, SecretString};
use domain::Iin;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-05-04 09:00 +05:00);

/// The body of `clerk`'s draft at `now`, or `None`.
fn body(desk: &mut Desk, clerk: &Iin, now: time::OffsetDateTime) -> Option<String> {
    desk.wizard_draft(clerk, now).unwrap().map(|d| d.body)
}

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
        // The «saved at» line is the office's time, whatever offset the clock gave.
        let at = datetime!(2026-05-04 04:00 UTC);
        assert_eq!(
            desk.save_wizard_draft(&a, draft_a, at).unwrap(),
            "2026-05-04T09:00:00+05:00"
        );
        desk.save_wizard_draft(&b, draft_b, NOW).unwrap();
        assert_eq!(
            desk.wizard_draft(&a, NOW).unwrap(),
            Some(desk::WizardDraftView {
                body: draft_a.to_string(),
                saved_at: "2026-05-04T09:00:00+05:00".into(),
            })
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
    assert_eq!(body(&mut desk, &a, later).as_deref(), Some(draft_a));
    assert_eq!(body(&mut desk, &b, later).as_deref(), Some(draft_b));

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
        body(&mut desk, &a, NOW).as_deref(),
        Some(r#"{"version":1}"#)
    );
}

#[test]
fn picked_documents_are_kept_with_the_draft_and_come_back_after_a_restart() {
    use desk::picked_files::{FilePurpose, read_picked};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, b) = clerks();
    let password = SecretString::from("a-pass".to_string());
    let key = vault::enroll(&db, &a, &password, None, NOW).unwrap();
    // A photo and a scan as the dialog picks them (checked by their bytes, R-23), and a
    // file that cannot be attached.
    let write = |name: &str, head: &[u8], size: usize| {
        let mut bytes = head.to_vec();
        bytes.resize(size, 0x5a);
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        read_picked(&p, FilePurpose::Document)
    };
    let photo = write("photo.jpg", b"\xFF\xD8\xFF\xE0", 30_000);
    let scan = write("medical.pdf", b"%PDF-1.7\n", 40_000);
    let fake = write("medical.pdf.exe", b"MZ\x90\x00", 10_000);
    {
        let mut desk = Desk::open_encrypted(&db, &key).unwrap();
        assert!(
            desk.keep_draft_document(&a, "h-photo", &photo, NOW)
                .unwrap()
        );
        assert!(desk.keep_draft_document(&a, "h-scan", &scan, NOW).unwrap());
        assert!(
            !desk.keep_draft_document(&a, "h-fake", &fake, NOW).unwrap(),
            "not attachable: not kept"
        );
        desk.save_wizard_draft(
            &a,
            r#"{"docs":{"photo":"h-photo","medical_certificate":"h-scan"}}"#,
            NOW,
        )
        .unwrap();
        assert!(desk.draft_documents(&b).unwrap().is_empty(), "per clerk");
        // Not in the file's bytes: the journal is encrypted.
        let mut bytes = std::fs::read(&db).unwrap();
        bytes.extend(std::fs::read(dir.path().join("journal.sqlite-wal")).unwrap_or_default());
        assert!(!bytes.windows(9).any(|w| w == b"%PDF-1.7\n"));
    }
    // After a restart the documents come back under the handles the draft names, with
    // the bytes that were checked when picked.
    let key = vault::unlock(&db, &a, &password, NOW).unwrap();
    let mut desk = Desk::open_encrypted(&db, &key).unwrap();
    assert!(desk.wizard_draft(&a, NOW).unwrap().is_some());
    let kept = desk.draft_documents(&a).unwrap();
    let handles: Vec<&str> = kept.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(handles, ["h-photo", "h-scan"]);
    let (_, back) = &kept[1];
    assert_eq!(back.bytes, scan.bytes);
    assert_eq!(
        (back.file_name.as_str(), back.media_type),
        ("medical.pdf", "application/pdf")
    );
    assert!(back.usable().is_ok());
    // A document the draft no longer names goes when the draft is opened again; a
    // discarded draft takes the rest.
    desk.save_wizard_draft(&a, r#"{"docs":{"photo":"h-photo"}}"#, NOW)
        .unwrap();
    assert_eq!(
        desk.draft_documents(&a).unwrap().len(),
        2,
        "kept until opened"
    );
    assert!(desk.wizard_draft(&a, NOW).unwrap().is_some());
    let handles: Vec<String> = desk
        .draft_documents(&a)
        .unwrap()
        .into_iter()
        .map(|(h, _)| h)
        .collect();
    assert_eq!(handles, ["h-photo"]);
    desk.discard_wizard_draft(&a).unwrap();
    assert!(desk.draft_documents(&a).unwrap().is_empty());
}
