//! What the on-behalf wizard asks between its steps (R-9… … ),
//! on a real demo journal and real files.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use desk::Desk;
use desk::UiError;
use desk::demo_data::{DemoFill, fill};
use desk::picked_files::{FilePurpose, PickedFiles, read_picked};
use desk::views::{
    ChildInput, DocumentInput, OnBehalfInput, PersonInput, TemporaryRegistrationInput,
};
use desk::wizard_steps::WizardStep;
use domain::Iin;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-04-21 11:00 +05:00);

fn journal() -> (tempfile::TempDir, Desk, desk::views::DemoSummary) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let summary = fill(
        &db,
        &DemoFill {
            seed: 5,
            applications: 40,
        },
    )
    .unwrap();
    (dir, Desk::open(&db).unwrap(), summary)
}

fn fields(e: desk::Error) -> Vec<(String, String)> {
    UiError::from(e)
        .fields
        .into_iter()
        .map(|f| (f.field, f.code))
        .collect()
}

#[test]
fn only_schools_with_free_places_are_offered_the_micro_districts_school_first() {
    let (_dir, desk, _) = journal();
    let all = desk.store().schools().unwrap();
    let mds = desk.micro_districts().unwrap();
    assert!(!mds.is_empty());
    for language in ["kk", "ru"] {
        let plain = desk.schools_with_places(1, language, None).unwrap();
        assert!(!plain.is_empty());
        for s in &plain {
            assert!(s.free > 0, "{} offered without free places", s.id);
            assert!(!s.of_micro_district);
            let record = all.iter().find(|r| r.id.0 == s.id).unwrap();
            let p = record
                .places
                .iter()
                .find(|p| p.grade.get() == 1 && p.language.as_str() == language)
                .unwrap();
            assert_eq!(p.free(), s.free);
        }
        // Schools with no free places for this class and language are not there.
        let offered = plain.len();
        let with_places = all
            .iter()
            .filter(|r| {
                r.places
                    .iter()
                    .any(|p| p.grade.get() == 1 && p.language.as_str() == language && p.free() > 0)
            })
            .count();
        assert_eq!(offered, with_places);

        // the school of the micro-district comes first when it has places,
        // and is not offered at all when it has none.
        let mut first = 0;
        for md in &mds {
            let list = desk.schools_with_places(1, language, Some(&md.id)).unwrap();
            let own_has_places = all.iter().any(|r| {
                r.id.0 == md.school_id
                    && r.places.iter().any(|p| {
                        p.grade.get() == 1 && p.language.as_str() == language && p.free() > 0
                    })
            });
            let own = list.iter().position(|s| s.id == md.school_id);
            if own_has_places {
                assert_eq!(own, Some(0), "{}: its school first", md.id);
                assert!(list[0].of_micro_district);
                assert_eq!(list.iter().filter(|s| s.of_micro_district).count(), 1);
                first += 1;
            } else {
                assert_eq!(own, None, "{}: its school has no places", md.id);
                assert!(list.iter().all(|s| !s.of_micro_district));
            }
        }
        assert!(
            first > 0,
            "the demo region has micro-district schools with places"
        );
    }
    assert_eq!(
        UiError::from(desk.schools_with_places(1, "en", None).unwrap_err()).code,
        "INSTRUCTION_LANGUAGE_INVALID"
    );
}

#[test]
fn check_iin_fills_a_child_the_journal_knows_and_only_the_iin_facts_otherwise() {
    let (_dir, desk, _) = journal();
    let row = desk.journal(&Default::default()).unwrap().rows.remove(0);
    let known = desk.child_lookup(&row.child_iin).unwrap();
    let child = known.child.unwrap();
    assert_eq!(child.person.iin, row.child_iin);
    assert!(row.child_name.starts_with(&child.person.surname));
    assert!(!child.birth_certificate.is_empty());
    assert!(!child.registered_address.is_empty());
    assert_eq!(
        known.micro_district_kk.is_some(),
        child.micro_district_id.is_some()
    );

    let spec = demo::RegionSpec {
        seed: 5,
        ..Default::default()
    };
    let walk_in = &demo::walk_in_children(&spec, &demo::region(&spec), 1)[0];
    let unknown = desk.child_lookup(&walk_in.iin.to_string()).unwrap();
    assert!(unknown.child.is_none());
    assert_eq!(unknown.birth_date, walk_in.iin.birth_date().to_string());
    assert_eq!(unknown.sex, walk_in.iin.sex().as_str());

    let wrong = fields(desk.child_lookup("12345").unwrap_err());
    assert_eq!(
        wrong,
        vec![("child.person.iin".to_string(), "IIN_LENGTH".to_string())]
    );
}

#[test]
fn a_chosen_file_over_1_mb_is_refused_with_its_size() {
    let (dir, _desk, _) = journal();
    let cases: &[(&str, Option<usize>, Option<&str>)] = &[
        ("ok.jpg", Some(1_048_576), None),
        ("big.jpg", Some(2_621_440), Some("DOCUMENT_TOO_LARGE")),
        ("empty.pdf", Some(0), Some("DOCUMENT_EMPTY")),
        ("missing.pdf", None, Some("DOCUMENT_UNREADABLE")),
    ];
    for (name, size, want) in cases {
        let path = dir.path().join(name);
        if let Some(size) = size {
            std::fs::write(&path, jpeg(*size)).unwrap();
        }
        let v = read_picked(&path, FilePurpose::Document).view("h");
        assert_eq!(v.file_name, *name);
        assert_eq!(v.file, "h");
        assert_eq!(v.problem.as_deref(), *want, "{name}");
        assert_eq!(v.problem_kk.is_some(), want.is_some());
    }
    let big = read_picked(&dir.path().join("big.jpg"), FilePurpose::Document).view("h");
    assert!(big.problem_ru.unwrap().ends_with("Размер файла: 2.5 MB."));
    assert!(big.problem_kk.unwrap().ends_with("Файл көлемі: 2.5 MB."));
}

/// `size` bytes that begin as a JPEG does (an empty file for 0).
fn jpeg(size: usize) -> Vec<u8> {
    let mut v = b"\xFF\xD8\xFF\xE0".to_vec();
    v.resize(size, 1);
    v.truncate(size);
    v
}

/// The dialog's picks for the input's documents; here a handle is the file's path.
fn picked(input: &OnBehalfInput) -> PickedFiles {
    let mut files = PickedFiles::default();
    for d in &input.documents {
        files.insert(
            d.file.clone(),
            read_picked(std::path::Path::new(&d.file), FilePurpose::Document),
        );
    }
    files
}

fn step1(desk: &Desk) -> OnBehalfInput {
    let spec = demo::RegionSpec {
        seed: 5,
        ..Default::default()
    };
    let walk_in = &demo::walk_in_children(&spec, &demo::region(&spec), 1)[0];
    let md = desk.micro_districts().unwrap().remove(0);
    OnBehalfInput {
        applicant: PersonInput::of(&walk_in.parent_iin, &walk_in.parent_name),
        child: ChildInput {
            person: PersonInput::of(&walk_in.iin, &walk_in.name),
            birth_certificate: walk_in.birth_certificate.clone(),
            registered_address: "Көкшетау қ., Абай к-сі, 1".into(),
            registered_address_id: None,
            micro_district_id: Some(md.id),
            binding: None,
        },
        phone: "8 701 234 56 78".into(),
        ..Default::default()
    }
}

#[test]
fn step_one_reports_every_wrong_field_and_passes_when_fixed() {
    let (_dir, desk, _) = journal();
    let mut input = step1(&desk);
    desk.check_on_behalf_step(WizardStep::Applicant, &input, &picked(&input), NOW)
        .unwrap();

    input.phone = "+7 727 123 45 67".into();
    input.email = "no-at-sign".into();
    input.applicant.given = String::new();
    input.child.micro_district_id = None;
    let got = fields(
        desk.check_on_behalf_step(WizardStep::Applicant, &input, &picked(&input), NOW)
            .unwrap_err(),
    );
    for want in [
        ("phone", "PHONE_INVALID"),
        ("email", "EMAIL_INVALID"),
        ("applicant.given", "NAME_EMPTY"),
        ("child.micro_district_id", "MICRO_DISTRICT_MISSING"),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} not in {got:?}"
        );
    }

    // a temporary registration stands in for the micro-district, when complete.
    input = step1(&desk);
    input.child.micro_district_id = None;
    input.temporary_registration = Some(TemporaryRegistrationInput {
        address: "Абай к-сі, 12".into(),
        from: "2026-05-01".into(),
        until: String::new(),
    });
    let got = fields(
        desk.check_on_behalf_step(WizardStep::Applicant, &input, &picked(&input), NOW)
            .unwrap_err(),
    );
    assert_eq!(
        got,
        vec![(
            "temporary_registration.until".to_string(),
            "DATE_INVALID".to_string()
        )]
    );
    // Dates are read as typed in Kazakhstan, dd.mm.yyyy, whatever the PC's locale: the
    // US order is refused next to its field, a period ending before it starts as a whole.
    let cases = [
        (
            "05/01/2026",
            "01.05.2027",
            "temporary_registration.from",
            "DATE_INVALID",
        ),
        (
            "01.05.2026",
            "31.04.2027",
            "temporary_registration.until",
            "DATE_INVALID",
        ),
        (
            "01.05.2027",
            "01.05.2026",
            "temporary_registration",
            "TEMPORARY_REGISTRATION_INVALID",
        ),
    ];
    for (from, until, field, code) in cases {
        let t = input.temporary_registration.as_mut().unwrap();
        (t.from, t.until) = (from.into(), until.into());
        let got = fields(
            desk.check_on_behalf_step(WizardStep::Applicant, &input, &picked(&input), NOW)
                .unwrap_err(),
        );
        assert_eq!(
            got,
            vec![(field.to_string(), code.to_string())],
            "{from} – {until}"
        );
    }
    let t = input.temporary_registration.as_mut().unwrap();
    (t.from, t.until) = ("01.05.2026".into(), "2027-05-01".into());
    desk.check_on_behalf_step(WizardStep::Applicant, &input, &picked(&input), NOW)
        .unwrap();
}

#[test]
fn step_two_needs_the_mandatory_documents_and_a_school_with_places() {
    let (dir, desk, _) = journal();
    let mut input = step1(&desk);
    input.grade = 1;
    input.language = "kk".into();
    input.school_id = desk.schools_with_places(1, "kk", None).unwrap()[0]
        .id
        .clone();
    let photo = dir.path().join("photo.jpg");
    std::fs::write(&photo, jpeg(30_000)).unwrap();
    input.documents = vec![DocumentInput {
        kind: "photo".into(),
        file: photo.display().to_string(),
    }];
    let got = fields(
        desk.check_on_behalf_step(WizardStep::School, &input, &picked(&input), NOW)
            .unwrap_err(),
    );
    assert_eq!(
        got,
        vec![("documents".to_string(), "DOCUMENT_MISSING".to_string())]
    );

    let med = dir.path().join("med.pdf");
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(60_000, 2);
    std::fs::write(&med, pdf).unwrap();
    input.documents.push(DocumentInput {
        kind: "medical_certificate".into(),
        file: med.display().to_string(),
    });
    desk.check_on_behalf_step(WizardStep::School, &input, &picked(&input), NOW)
        .unwrap();

    input.school_id = "no-such-school".into();
    assert_eq!(
        desk.check_on_behalf_step(WizardStep::School, &input, &picked(&input), NOW)
            .unwrap_err()
            .code(),
        "SCHOOL_UNKNOWN"
    );
}

#[test]
fn the_clerk_who_registers_a_walk_in_is_the_signed_in_clerk() {
    let (_dir, desk, summary) = journal();
    let clerk = Iin::parse(&summary.clerk_iin).unwrap();
    assert_eq!(desk.on_behalf_clerk().unwrap(), clerk);
    assert_eq!(
        desk.on_behalf_clerk().unwrap(),
        desk.current_clerk().unwrap(),
        "one rule for decisions and walk-ins"
    );
}

// --- the form's rules (issue 11: the UI asks, desk decides) ---

#[test]
fn the_form_offers_the_mandatory_documents_first_and_the_first_grade() {
    let form = desk::wizard_form::wizard_form();
    let kinds: Vec<(&str, bool)> = form
        .documents
        .iter()
        .map(|d| (d.kind.as_str(), d.mandatory))
        .collect();
    // photo and medical certificate are mandatory, the birth certificate is not.
    assert_eq!(
        kinds,
        [
            ("photo", true),
            ("medical_certificate", true),
            ("birth_certificate", false)
        ]
    );
    assert!(
        form.documents
            .iter()
            .all(|d| !d.label_kk.is_empty() && !d.label_ru.is_empty())
    );
    // walk-ins apply for the first grade; 0 (not chosen) is the first too.
    assert_eq!(
        (form.grades.as_slice(), form.default_grade),
        (&[1u8][..], 1)
    );
    assert_eq!(form.document_max_bytes, 1_048_576);
    let mut input = OnBehalfInput::default();
    assert_eq!(desk::wizard_form::grade_of(&input).unwrap().get(), 1);
    input.grade = 2;
    assert_eq!(desk::wizard_form::grade_of(&input).unwrap().get(), 2);
    input.grade = 12;
    assert!(desk::wizard_form::grade_of(&input).is_err());
}

#[test]
fn a_temporary_registration_sets_the_micro_district_aside_and_the_r15_message_follows() {
    use desk::wizard_form::{micro_district_for_school, shows_no_micro_district};
    let mut input = OnBehalfInput::default();
    input.child.registered_address = "Көкшетау, Абай к-сі 1".into();
    // a known address in no micro-district shows the message …
    assert!(shows_no_micro_district(&input.child, false));
    // … not with a temporary registration, nor before any address is known.
    assert!(!shows_no_micro_district(&input.child, true));
    assert!(!shows_no_micro_district(&ChildInput::default(), false));
    input.child.micro_district_id = Some("  ".into());
    assert!(
        shows_no_micro_district(&input.child, false),
        "blank is none"
    );
    assert_eq!(micro_district_for_school(&input), None);
    input.child.micro_district_id = Some("md-3".into());
    assert!(!shows_no_micro_district(&input.child, false));
    assert_eq!(micro_district_for_school(&input), Some("md-3"));
    // the temporary address decides, not the registered one's micro-district.
    input.temporary_registration = Some(TemporaryRegistrationInput {
        address: "Астана, Кенесары 5".into(),
        from: "2026-01-01".into(),
        until: "2026-12-31".into(),
    });
    assert_eq!(micro_district_for_school(&input), None);
}

#[test]
fn the_micro_districts_school_is_assigned_unless_a_temporary_registration_sets_it_aside() {
    let (_dir, desk, _) = journal();
    let mds = desk.micro_districts().unwrap();
    let mut input = OnBehalfInput {
        language: "kk".into(),
        ..OnBehalfInput::default()
    };
    let none = desk.school_choices(&input).unwrap();
    assert_eq!(none.assigned, None, "no micro-district: the clerk chooses");
    assert!(!none.own_school_missing);
    assert!(!none.schools.is_empty());
    // A micro-district whose school has free kk places: it is assigned, listed first.
    let with_places = mds
        .iter()
        .find(|md| {
            input.child.micro_district_id = Some(md.id.clone());
            desk.school_choices(&input).unwrap().assigned.is_some()
        })
        .expect("a micro-district whose school has places")
        .clone();
    input.child.micro_district_id = Some(with_places.id.clone());
    let own = desk.school_choices(&input).unwrap();
    assert_eq!(
        own.assigned.as_deref(),
        Some(with_places.school_id.as_str())
    );
    assert_eq!(own.schools[0].id, with_places.school_id);
    assert!(!own.own_school_missing);
    // with a temporary registration the micro-district is set aside.
    input.temporary_registration = Some(TemporaryRegistrationInput {
        address: "Астана, Кенесары 5".into(),
        from: "2026-01-01".into(),
        until: "2026-12-31".into(),
    });
    let temporary = desk.school_choices(&input).unwrap();
    assert_eq!(temporary.assigned, None);
    assert!(temporary.schools.iter().all(|s| !s.of_micro_district));
    assert!(!temporary.own_school_missing);
}

#[test]
fn signing_needs_the_three_consents_and_a_channel_for_the_notifications() {
    let (_dir, desk, _) = journal();
    let files = PickedFiles::default();
    let mut input = OnBehalfInput {
        notifications: "kk".into(),
        ..OnBehalfInput::default()
    };
    let got = fields(
        desk.check_on_behalf_step(WizardStep::Sign, &input, &files, NOW)
            .unwrap_err(),
    );
    // R-32 all three consents; R-25 a channel for the notifications wanted.
    assert_eq!(
        got,
        [
            ("consents".to_string(), "CONSENT_MISSING".to_string()),
            (
                "notification_channel".to_string(),
                "NOTIFICATION_CHANNEL_MISSING".to_string()
            )
        ]
    );
    input.consent_admission_rules = true;
    input.consent_portal_terms = true;
    input.consent_personal_data = true;
    input.notification_channel = "email".into();
    let got = fields(
        desk.check_on_behalf_step(WizardStep::Sign, &input, &files, NOW)
            .unwrap_err(),
    );
    assert_eq!(
        got,
        [(
            "notification_channel".to_string(),
            "NOTIFICATION_EMAIL_MISSING".to_string()
        )],
        "e-mail notifications need an e-mail"
    );
    input.email = "ata-ana@example.kz".into();
    desk.check_on_behalf_step(WizardStep::Sign, &input, &files, NOW)
        .unwrap();
    input.email.clear();
    input.notification_channel = "sms".into();
    desk.check_on_behalf_step(WizardStep::Sign, &input, &files, NOW)
        .unwrap();
    // No notifications: no channel needed; what is kept is none.
    input.notifications.clear();
    input.notification_channel = "bogus".into();
    desk.check_on_behalf_step(WizardStep::Sign, &input, &files, NOW)
        .unwrap();
    let c = desk::wizard_form::consents_of(&input);
    assert_eq!((c.notifications, c.notification_channel), (None, None));
    assert_eq!(WizardStep::from_number(3), Some(WizardStep::Sign));
}
