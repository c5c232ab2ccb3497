//! Deciding applications with real keys: a SoftHSM2 token through PKCS#11 and an NCA-style
//! `.p12` file (R-6, R-7, R-34). What is written is checked in the journal, its history,
//! its documents and the outbox.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use desk::Desk;
use desk::demo_data::{DemoFill, fill};
use desk::signing::testkit::{CertSpec, SoftHsmToken, TestCa, write_p12};
use desk::signing::{P12Signer, Pkcs11Signer, Signer, Zeroizing};
use desk::views::{DecisionInput, JournalQuery, StatusKey, SyncMarkKey};
use domain::Iin;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-04-20 10:30 +05:00);

struct Office {
    _dir: tempfile::TempDir,
    desk: Desk,
    clerk: Iin,
    clerk_name: String,
    dir: std::path::PathBuf,
}

fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let summary = fill(
        &db,
        &DemoFill {
            seed: 3,
            applications: 80,
        },
    )
    .unwrap();
    Office {
        desk: Desk::open(&db).unwrap(),
        clerk: Iin::parse(&summary.clerk_iin).unwrap(),
        clerk_name: summary.clerk_name.to_uppercase(),
        dir: dir.path().to_path_buf(),
        _dir: dir,
    }
}

fn first_with(desk: &Desk, status: StatusKey) -> String {
    desk.journal(&JournalQuery {
        status: Some(status),
        limit: 1,
        ..Default::default()
    })
    .unwrap()
    .rows[0]
        .id
        .clone()
}

fn accept(id: &str) -> DecisionInput {
    DecisionInput {
        application_id: id.into(),
        decision: "accept".into(),
        reason_code: None,
        reason_text: None,
    }
}

fn p12_signer(o: &Office, spec: &CertSpec) -> P12Signer {
    let ca = TestCa::new("Test NCA");
    let path = o.dir.join("RSA_test.p12");
    write_p12(&path, &ca, spec, "Qwerty12", true);
    P12Signer::open(&path, Zeroizing::new("Qwerty12".into())).unwrap()
}

#[test]
fn accepting_with_a_token_writes_change_history_signature_and_outbox_at_once() {
    let mut o = office();
    let token = SoftHsmToken::create(&o.dir, "clerk-token", "123456", &o.clerk, &o.clerk_name);
    let signer = Pkcs11Signer::open(&token.target(), Zeroizing::new("123456".into())).unwrap();
    let id = first_with(&o.desk, StatusKey::New);

    let outcome = o
        .desk
        .decide(&o.clerk, &accept(&id), &signer, NOW, "key-accept-1".into())
        .unwrap();
    assert_eq!(outcome.status, StatusKey::Accepted);

    let app = o.desk.application(&id).unwrap();
    assert_eq!(app.status, StatusKey::Accepted);
    assert_eq!(
        app.sync,
        SyncMarkKey::Waiting,
        "visible at once, waiting to send (R-33)"
    );
    let last = app.history.last().unwrap();
    assert_eq!(last.kind, "accepted");
    assert_eq!(
        last.actor_iin.as_deref(),
        Some(o.clerk.to_string().as_str())
    );
    let p7s = app
        .documents
        .iter()
        .find(|d| d.kind == "signature")
        .expect("the .p7s is in the documents tab");
    assert!(p7s.cached && p7s.generated && p7s.file_name.ends_with(".p7s"));

    // The stored signature verifies over the stored payload.
    let outbox = o.desk.store().pending_outbox(10).unwrap();
    assert_eq!(outbox.len(), 1);
    let entry = &outbox[0];
    assert_eq!(
        (entry.kind.as_str(), entry.idempotency_key.as_str()),
        ("decision", "key-accept-1")
    );
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = b64
        .decode(
            entry.payload["signature"]["payload_base64"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
    let cms = b64
        .decode(entry.payload["signature"]["cms_base64"].as_str().unwrap())
        .unwrap();
    let ca = std::fs::read(&token.ca_pem).unwrap();
    let cas = desk::signing::certificates_from_pem_or_der(&ca).unwrap();
    let verified = desk::signing::verify_detached(&payload, &cms, Some(&cas)).unwrap();
    assert_eq!(verified.signer.owner_iin, Some(o.clerk));
    let signed: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(signed["application_id"], id);
    assert_eq!(signed["decision"], "accept");
    assert_eq!(signed["clerk_iin"], o.clerk.to_string());

    // Deciding again is a transition the rules forbid; nothing more is written.
    let err = o
        .desk
        .decide(&o.clerk, &accept(&id), &signer, NOW, "key-accept-2".into())
        .unwrap_err();
    assert_eq!(err.code(), "TRANSITION_NOT_ALLOWED");
    assert_eq!(o.desk.store().pending_outbox(10).unwrap().len(), 1);
}

#[test]
fn rejecting_with_a_key_file_needs_a_reason_from_the_catalogue() {
    let mut o = office();
    let signer = p12_signer(&o, &CertSpec::signing(&o.clerk, &o.clerk_name));
    let id = first_with(&o.desk, StatusKey::UnderReview);
    let reject = |code: Option<&str>, text: Option<&str>| DecisionInput {
        application_id: id.clone(),
        decision: "reject".into(),
        reason_code: code.map(Into::into),
        reason_text: text.map(Into::into),
    };
    for (input, code) in [
        (reject(None, None), "REJECT_REASON_UNKNOWN"),
        (reject(Some("bribe"), None), "REJECT_REASON_UNKNOWN"),
        (
            reject(Some("other"), Some("  ")),
            "REJECT_REASON_TEXT_REQUIRED",
        ),
    ] {
        assert_eq!(
            o.desk
                .decide(&o.clerk, &input, &signer, NOW, "k".into())
                .unwrap_err()
                .code(),
            code
        );
    }
    assert!(
        o.desk.store().pending_outbox(10).unwrap().is_empty(),
        "nothing written by refused input"
    );

    let outcome = o
        .desk
        .decide(
            &o.clerk,
            &reject(Some("unreadable_documents"), Some("Сурет анық емес")),
            &signer,
            NOW,
            "k-r".into(),
        )
        .unwrap();
    assert_eq!(outcome.status, StatusKey::Rejected);
    let app = o.desk.application(&id).unwrap();
    let reason = app.reject_reason.unwrap();
    assert_eq!(
        (reason.code.as_str(), reason.text.as_deref()),
        ("unreadable_documents", Some("Сурет анық емес"))
    );
    assert_eq!(
        app.history.last().unwrap().note.as_deref(),
        Some("Сурет анық емес")
    );
}

#[test]
fn a_key_that_must_not_sign_leaves_the_application_as_it_was() {
    let mut o = office();
    let other = Iin::parse("900101300017").unwrap();
    let id = first_with(&o.desk, StatusKey::New);
    let expired = CertSpec {
        not_after: datetime!(2025-01-01 0:00 UTC),
        ..CertSpec::signing(&o.clerk, &o.clerk_name)
    };
    let cases: Vec<(CertSpec, &str)> = vec![
        (CertSpec::signing(&other, "БАСҚА АДАМ"), "IIN_MISMATCH"),
        (
            CertSpec::authentication(&o.clerk, &o.clerk_name),
            "KEY_NOT_FOR_SIGNING",
        ),
        (expired, "CERTIFICATE_EXPIRED"),
    ];
    for (spec, code) in cases {
        let signer = p12_signer(&o, &spec);
        let err = o
            .desk
            .decide(&o.clerk, &accept(&id), &signer, NOW, format!("k-{code}"))
            .unwrap_err();
        assert_eq!(err.code(), code);
        assert!(!err.message(domain::Lang::Kk).is_empty());
        let app = o.desk.application(&id).unwrap();
        assert_eq!(
            (app.status, app.sync),
            (StatusKey::New, SyncMarkKey::None),
            "{code}: nothing changed"
        );
    }
    assert!(o.desk.store().pending_outbox(10).unwrap().is_empty());
    let _: &dyn Signer = &p12_signer(&o, &CertSpec::signing(&o.clerk, &o.clerk_name));
}

#[test]
fn the_signing_dialog_lists_tokens_and_refuses_a_wrong_pin_or_password() {
    use desk::keys::{open_signer, tokens};
    use desk::views::KeyChoice;
    let o = office();
    let token = SoftHsmToken::create(&o.dir, "dialog-token", "654321", &o.clerk, &o.clerk_name);
    let modules = desk::settings::ModuleList::discover(std::slice::from_ref(&token.module));
    let listed = tokens(&modules).unwrap();
    let ours = listed
        .iter()
        .find(|t| t.label == "dialog-token")
        .expect("the token is listed without a PIN");
    assert!(
        listed.iter().all(|t| !t.label.is_empty()),
        "the free slot's uninitialised token is not offered: {listed:?}"
    );
    assert!(
        ours.certificates
            .iter()
            .any(|c| c.owner_iin.as_deref() == Some(o.clerk.to_string().as_str()) && c.signing)
    );

    assert_eq!(
        ours.module,
        desk::settings::modules::module_id(&token.module)
    );
    let choice = KeyChoice::Token {
        module: ours.module.clone(),
        token_label: "dialog-token".into(),
    };
    let err = open_signer(&modules, choice.clone(), Zeroizing::new("000000".into()))
        .err()
        .unwrap();
    assert_eq!(err.code(), "PIN_INCORRECT");
    assert!(open_signer(&modules, choice, Zeroizing::new("654321".into())).is_ok());
    // issue 15: a path from the window is not a module id, so it is never loaded.
    let by_path = KeyChoice::Token {
        module: token.module.display().to_string(),
        token_label: "dialog-token".into(),
    };
    let err = open_signer(&modules, by_path, Zeroizing::new("654321".into()))
        .err()
        .unwrap();
    assert_eq!(err.code(), "PKCS11_MODULE_UNKNOWN");

    let ca = TestCa::new("Test NCA");
    let path = o.dir.join("RSA_dialog.p12");
    write_p12(
        &path,
        &ca,
        &CertSpec::signing(&o.clerk, &o.clerk_name),
        "right-pass",
        false,
    );
    let file = KeyChoice::KeyFile {
        path: path.display().to_string(),
    };
    let err = open_signer(&modules, file.clone(), Zeroizing::new("wrong".into()))
        .err()
        .unwrap();
    assert_eq!(err.code(), "PASSWORD_INCORRECT");
    assert!(!err.message(domain::Lang::Ru).is_empty());
    assert!(open_signer(&modules, file, Zeroizing::new("right-pass".into())).is_ok());
}

#[test]
fn after_a_signed_acceptance_the_receipt_prints_and_its_qr_verifies_against_the_journal() {
    let mut o = office();
    let signer = p12_signer(&o, &CertSpec::signing(&o.clerk, &o.clerk_name));
    let id = first_with(&o.desk, StatusKey::New);
    assert_eq!(
        o.desk.receipt(&id, None).unwrap_err().code(),
        "RECEIPT_NOT_AVAILABLE",
        "a parent's new application has none"
    );

    o.desk
        .decide(&o.clerk, &accept(&id), &signer, NOW, "k-print".into())
        .unwrap();
    let app = o.desk.application(&id).unwrap();
    let file = o.desk.receipt(&id, Some(domain::Lang::Ru)).unwrap();
    assert_eq!(file.kind, "acceptance");
    assert!(file.pdf.starts_with(b"%PDF"));
    assert!(
        file.qr
            .starts_with(&format!("QBL1|{}|A|20260420|", app.number)),
        "{}",
        file.qr
    );

    let pdf = o.dir.join("receipt.pdf");
    std::fs::write(&pdf, &file.pdf).unwrap();
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace('\n', " ");
    assert!(text.contains(&app.number), "{text}");
    assert!(text.contains(&app.child.person.surname), "{text}");
    // R-30: the originals are due by 5 September of the decision's year (2026 here);
    // the whole sentence, so a wrong day or year fails.
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squeezed.contains("необходимо принести в школу до 5 сентября 2026 года"),
        "R-30 reminder: {squeezed}"
    );

    let check = o.desk.verify_receipt(&file.qr).unwrap();
    assert_eq!(check.application_id, id);
    let forged = file.qr.replace("|A|", "|R|");
    assert_eq!(
        o.desk.verify_receipt(&forged).unwrap_err().code(),
        "RECEIPT_MISMATCH"
    );
    let other_digest = format!("{}0000000000000000", &file.qr[..file.qr.len() - 16]);
    assert!(o.desk.verify_receipt(&other_digest).is_err());
}
