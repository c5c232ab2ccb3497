//! Submitting on behalf of a walk-in parent (R-8…R-18) on a real journal, signed with a
//! real key file, offline: it waits in the outbox with a provisional number (R-33).

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use desk::Desk;
use desk::UiError;
use desk::demo_data::{DemoFill, fill};
use desk::on_behalf::SubmissionIds;
use desk::picked_files::{FilePurpose, PickedFiles, read_picked};
use desk::signing::testkit::{CertSpec, TestCa, write_p12};
use desk::signing::{P12Signer, Zeroizing};
use desk::views::{
    BindingInput, ChildInput, DocumentInput, JournalQuery, OnBehalfInput, PersonInput, SyncMarkKey,
    TemporaryRegistrationInput,
};
use domain::Iin;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-04-21 11:00 +05:00);

struct Office {
    dir: tempfile::TempDir,
    desk: Desk,
    clerk: Iin,
    signer: P12Signer,
    walk_ins: Vec<demo::RegisterPerson>,
    region: demo::Region,
}

fn office() -> Office {
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
    let clerk = Iin::parse(&summary.clerk_iin).unwrap();
    let p12 = dir.path().join("RSA.p12");
    write_p12(
        &p12,
        &TestCa::new("Test NCA"),
        &CertSpec::signing(&clerk, &summary.clerk_name.to_uppercase()),
        "pw",
        false,
    );
    let spec = demo::RegionSpec {
        seed: 5,
        ..Default::default()
    };
    let region = demo::region(&spec);
    Office {
        desk: Desk::open(&db).unwrap(),
        signer: P12Signer::open(&p12, Zeroizing::new("pw".into())).unwrap(),
        walk_ins: demo::walk_in_children(&spec, &region, 8),
        region,
        clerk,
        dir,
    }
}

/// A file of `bytes` bytes that starts as its kind does (JPEG or PDF magic). Returns its
/// path, which these tests also use as its dialog handle (see [`picked`]).
fn file(o: &Office, name: &str, bytes: usize) -> String {
    let path = o.dir.path().join(name);
    let magic: &[u8] = if name.ends_with(".pdf") {
        b"%PDF-1.7\n"
    } else {
        b"\xFF\xD8\xFF\xE0"
    };
    let mut content = magic.to_vec();
    content.resize(bytes.max(magic.len()), 0x42);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// What the window's dialog would have picked for the input's documents: each read
/// once through `desk::picked_files`, kept under its handle (issue 15).
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

/// The wizard filled for a walk-in child whose address is in a micro-district.
fn filled_wizard(o: &Office) -> OnBehalfInput {
    let child = o
        .walk_ins
        .iter()
        .find(|c| {
            o.region
                .address(&c.address_id)
                .is_some_and(|a| a.micro_district.is_some())
        })
        .unwrap();
    let address = o.region.address(&child.address_id).unwrap();
    let md = address.micro_district.clone().unwrap();
    OnBehalfInput {
        applicant: PersonInput::of(&child.parent_iin, &child.parent_name),
        child: ChildInput {
            person: PersonInput::of(&child.iin, &child.name),
            birth_certificate: child.birth_certificate.clone(),
            registered_address: address.full_kk.clone(),
            registered_address_id: Some(address.id.clone()),
            micro_district_id: Some(md.0.clone()),
            binding: None,
        },
        phone: "8 701 234 56 78".into(),
        email: "ata.ana@mail.kz".into(),
        school_id: o.region.school_of(&md).unwrap().id.0.clone(),
        grade: 1,
        language: "kk".into(),
        documents: vec![
            DocumentInput {
                kind: "photo".into(),
                file: file(o, "photo.jpg", 40_000),
            },
            DocumentInput {
                kind: "medical_certificate".into(),
                file: file(o, "med.pdf", 90_000),
            },
        ],
        consent_admission_rules: true,
        consent_portal_terms: true,
        consent_personal_data: true,
        notifications: "kk".into(),
        notification_channel: "sms".into(),
        ..Default::default()
    }
}

fn ids(n: u32) -> SubmissionIds {
    SubmissionIds {
        application_id: format!("local-{n}"),
        idempotency_key: format!("key-{n}"),
    }
}

#[test]
fn a_walk_in_application_is_in_the_journal_at_once_with_a_provisional_number() {
    let mut o = office();
    let input = filled_wizard(&o);
    o.desk
        .save_wizard_draft(&o.clerk, r#"{"version":1,"step":3}"#, NOW)
        .unwrap();
    let outcome = o
        .desk
        .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(1))
        .unwrap();
    assert_eq!(outcome.number, "L-2026-000001");
    assert_eq!(
        o.desk.wizard_draft(&o.clerk, NOW).unwrap(),
        None,
        "the draft is discarded with the submission (issue 16)"
    );

    let rows = o
        .desk
        .journal(&JournalQuery {
            search: Some(input.child.person.iin.clone()),
            ..Default::default()
        })
        .unwrap()
        .rows;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].provisional);
    assert_eq!(rows[0].sync, SyncMarkKey::Waiting);

    let app = o.desk.application("local-1").unwrap();
    assert!(app.on_behalf);
    assert_eq!(app.history[0].kind, "submitted_on_behalf");
    assert_eq!(
        app.documents.iter().filter(|d| d.cached).count(),
        3,
        "photo, medical and the .p7s open offline"
    );

    let outbox = o.desk.store().pending_outbox(10).unwrap();
    assert_eq!(outbox[0].kind, "on_behalf");
    assert_eq!(outbox[0].payload["documents"].as_array().unwrap().len(), 2);

    // It is decided once the portal has it (the signature names the portal's id).
    let accept = desk::views::DecisionInput {
        application_id: "local-1".into(),
        decision: "accept".into(),
        reason_code: None,
        reason_text: None,
    };
    let err = o
        .desk
        .decide(&o.clerk, &accept, &o.signer, NOW, "k-early".into())
        .unwrap_err();
    assert_eq!(err.code(), "APPLICATION_PROVISIONAL");

    // R-29: a second application for the same child while the first is pending.
    let err = o
        .desk
        .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(2))
        .unwrap_err();
    let ui = UiError::from(err);
    assert_eq!(ui.code, "INVALID_INPUT");
    assert!(
        ui.fields
            .iter()
            .any(|f| f.field == "child.person.iin" && f.code == "PENDING_APPLICATION_EXISTS")
    );

    // The next walk-in gets the next provisional number.
    let mut second = filled_wizard(&o);
    let other = o
        .walk_ins
        .iter()
        .filter(|c| {
            o.region
                .address(&c.address_id)
                .is_some_and(|a| a.micro_district.is_some())
        })
        .nth(1)
        .unwrap();
    second.child.person = PersonInput::of(&other.iin, &other.name);
    assert_eq!(
        o.desk
            .submit_on_behalf(&o.clerk, &second, &picked(&second), &o.signer, NOW, &ids(3))
            .unwrap()
            .number,
        "L-2026-000002"
    );
}

#[test]
fn every_wrong_field_is_reported_at_once_and_nothing_is_written() {
    let o = office();
    let mut o = o;
    let mut input = filled_wizard(&o);
    input.applicant.iin = "90010130001".into();
    input.child.person.given = "Ай3".into();
    input.phone = "+7 727 123 45 67".into();
    input.email = "no-at-sign".into();
    input.consent_personal_data = false;
    input.documents = vec![DocumentInput {
        kind: "photo".into(),
        file: file(&o, "big.jpg", 1_048_577),
    }];
    let ui = UiError::from(
        o.desk
            .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(9))
            .unwrap_err(),
    );
    let got: Vec<(String, String)> = ui
        .fields
        .iter()
        .map(|f| (f.field.clone(), f.code.clone()))
        .collect();
    for want in [
        ("applicant.iin", "IIN_LENGTH"),
        ("child.person.given", "NAME_INVALID"),
        ("phone", "PHONE_INVALID"),
        ("email", "EMAIL_INVALID"),
        ("consents", "CONSENT_MISSING"),
        ("documents[0]", "DOCUMENT_TOO_LARGE"),
        ("documents", "DOCUMENT_MISSING"),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} not in {got:?}"
        );
    }
    assert!(o.desk.store().pending_outbox(10).unwrap().is_empty());
}

#[test]
fn an_address_in_no_micro_district_needs_binding_or_a_temporary_registration() {
    let mut o = office();
    let mut input = filled_wizard(&o);
    input.child.micro_district_id = None;
    let ui = UiError::from(
        o.desk
            .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(4))
            .unwrap_err(),
    );
    assert!(
        ui.fields
            .iter()
            .any(|f| f.field == "child.micro_district_id" && f.code == "MICRO_DISTRICT_MISSING")
    );

    // R-18: with a temporary registration (address and period) the wizard goes on.
    input.temporary_registration = Some(TemporaryRegistrationInput {
        address: "Көкшетау қ., Абай к-сі, 12".into(),
        from: "2026-01-01".into(),
        until: "2026-01-01".into(),
    });
    let ui = UiError::from(
        o.desk
            .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(5))
            .unwrap_err(),
    );
    assert!(
        ui.fields
            .iter()
            .any(|f| f.field == "temporary_registration"
                && f.code == "TEMPORARY_REGISTRATION_INVALID")
    );
    input.temporary_registration.as_mut().unwrap().until = "2027-01-01".into();
    let outcome = o
        .desk
        .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(6))
        .unwrap();
    let app = o.desk.application(&outcome.application_id).unwrap();
    assert_eq!(app.temporary_registration.unwrap().until, "2027-01-01");
}

#[test]
fn a_binding_is_its_own_signed_act_queued_before_the_submission_that_needs_it() {
    let mut o = office();
    let mut input = filled_wizard(&o);
    // R-15: a child whose registered address is in no micro-district.
    let child = o
        .walk_ins
        .iter()
        .find(|c| {
            o.region
                .address(&c.address_id)
                .is_some_and(|a| a.micro_district.is_none())
        })
        .unwrap()
        .clone();
    let address = o.region.address(&child.address_id).unwrap().clone();
    input.applicant = PersonInput::of(&child.parent_iin, &child.parent_name);
    input.child.person = PersonInput::of(&child.iin, &child.name);
    input.child.birth_certificate = child.birth_certificate.clone();
    input.child.registered_address = address.full_kk.clone();
    input.child.registered_address_id = Some(address.id.clone());
    input.child.micro_district_id = None;
    let md = o.region.micro_districts[0].id.0.clone();

    // R-16: without the clerk's confirmation of responsibility nothing is signed.
    input.child.binding = Some(BindingInput {
        micro_district_id: md.clone(),
        responsibility_confirmed: false,
    });
    let ui = UiError::from(
        o.desk
            .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(7))
            .unwrap_err(),
    );
    let fields: Vec<(&str, &str)> = ui
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [(
            "child.binding.responsibility_confirmed",
            "RESPONSIBILITY_NOT_CONFIRMED"
        )]
    );
    // A micro-district the reference list does not have is refused too.
    input.child.binding = Some(BindingInput {
        micro_district_id: "md-nowhere".into(),
        responsibility_confirmed: true,
    });
    let ui = UiError::from(
        o.desk
            .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(8))
            .unwrap_err(),
    );
    assert!(ui.fields.iter().any(
        |f| f.field == "child.binding.micro_district_id" && f.code == "MICRO_DISTRICT_MISSING"
    ));
    assert!(o.desk.store().pending_outbox(10).unwrap().is_empty());

    // R-17: «Біріктіру»: the binding is signed and queued first, then the submission.
    input.child.binding = Some(BindingInput {
        micro_district_id: md.clone(),
        responsibility_confirmed: true,
    });
    let outcome = o
        .desk
        .submit_on_behalf(&o.clerk, &input, &picked(&input), &o.signer, NOW, &ids(9))
        .unwrap();
    let queued = o.desk.store().outbox_for(&outcome.application_id).unwrap();
    let kinds: Vec<&str> = queued.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["binding", "on_behalf"]);
    assert_eq!(queued[0].idempotency_key, "key-9-binding");
    let request: portal_api::BindingRequest =
        serde_json::from_value(queued[0].payload.clone()).unwrap();
    assert_eq!(
        (
            request.child_iin.as_str(),
            request.address_id.as_deref(),
            request.micro_district_id.as_str(),
            request.responsibility_confirmed
        ),
        (
            child.iin.to_string().as_str(),
            Some(address.id.as_str()),
            md.as_str(),
            true
        )
    );
    use base64::Engine;
    let signed = base64::engine::general_purpose::STANDARD
        .decode(&request.signature.payload_base64)
        .unwrap();
    // One signature for both acts (the key asked once): the binding carries the
    // submission's signature, whose payload names the binding.
    let submitted: portal_api::OnBehalfRequest =
        serde_json::from_value(queued[1].payload.clone()).unwrap();
    assert_eq!(request.signature, submitted.signature);
    let payload: portal_api::SubmissionPayload = serde_json::from_slice(&signed).unwrap();
    let binding = payload.binding.unwrap();
    assert_eq!(binding.clerk_iin, o.clerk.to_string());
    assert_eq!(binding.micro_district_id, md);
    assert_eq!(binding.child_iin, request.child_iin);
    assert_eq!(binding.bound_at, request.bound_at);
    let app = o.desk.application(&outcome.application_id).unwrap();
    assert_eq!(app.sync, SyncMarkKey::Waiting);
    let history = o.desk.store().history(&outcome.application_id).unwrap();
    let kinds: Vec<&str> = history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(kinds, ["micro_district_binding", "submitted_on_behalf"]);
    assert_eq!(history[0].details["micro_district_id"], md);
}
