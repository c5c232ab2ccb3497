//! `qabyldau walk-in submit` (issue 11): a paper form entered headless through the same
//! desk use case as the wizard — signed with the clerk's key, waiting in the outbox with
//! a provisional number; a form with wrong fields is refused with every field named.
#![allow(clippy::unwrap_used)]

use desk::signing::testkit::{CertSpec, TestCa, write_p12};
use std::process::{Command, Output};

const CLERK: &str = "900101300017";
const PASSWORD_VAR: &str = "QABYLDAU_TEST_PASSWORD";

fn qabyldau(args: &[&str], ca: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args(args)
        .env(PASSWORD_VAR, "walk-in clerk")
        .env("QABYLDAU_TEST_KEY_PASSWORD", "pw")
        .env("QABYLDAU_TRUST_CA", ca)
        .output()
        .unwrap()
}

#[test]
fn a_paper_form_is_entered_signed_and_queued_like_the_wizards() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let db_arg = db.to_str().unwrap();
    let ca = TestCa::new("Test NCA");
    let ca_path = dir.path().join("ca.der");
    std::fs::write(&ca_path, ca.cert_der()).unwrap();
    let demo = qabyldau(
        &[
            "demo",
            "--db",
            db_arg,
            "--applications",
            "10",
            "--walk-ins",
            "8",
            "--json",
            "--clerk-iin",
            CLERK,
            "--password-env",
            PASSWORD_VAR,
        ],
        &ca_path,
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&demo.stdout).unwrap();
    let walk_ins = v["walk_ins"].as_array().unwrap();
    let unbound = walk_ins
        .iter()
        .find(|w| w["micro_district_id"].is_null())
        .unwrap();
    let bound = walk_ins
        .iter()
        .find(|w| !w["micro_district_id"].is_null())
        .unwrap();
    let p12 = dir.path().join("RSA_clerk.p12");
    let clerk = domain::Iin::parse(CLERK).unwrap();
    write_p12(
        &p12,
        &ca,
        &CertSpec::signing(&clerk, "CLERK TEST"),
        "pw",
        false,
    );
    let mut jpeg = b"\xFF\xD8\xFF\xE0".to_vec();
    jpeg.resize(30_000, 0x11);
    std::fs::write(dir.path().join("photo.jpg"), jpeg).unwrap();
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(40_000, 0x22);
    std::fs::write(dir.path().join("med.pdf"), pdf).unwrap();
    let name = |n: &serde_json::Value| {
        serde_json::json!({
            "surname": n["surname"], "given": n["given"],
            "patronymic": n["patronymic"].as_str().unwrap_or(""),
        })
    };
    let person = |iin: &serde_json::Value, n: &serde_json::Value| {
        let mut p = name(n);
        p["iin"] = iin.clone();
        p
    };
    // R-15…R-17: the child's address is in no micro-district; the clerk binds it.
    let form = serde_json::json!({
        "applicant": person(&unbound["parent_iin"], &unbound["parent_name"]),
        "child": {
            "person": person(&unbound["iin"], &unbound["name"]),
            "birth_certificate": unbound["birth_certificate"],
            "registered_address": unbound["address_kk"],
            "registered_address_id": unbound["address_id"],
            "binding": {"micro_district_id": bound["micro_district_id"], "responsibility_confirmed": true},
        },
        "phone": "8 701 234 56 78",
        "email": "ata.ana@mail.kz",
        "school_id": bound["school_id"],
        "grade": 1,
        "language": "kk",
        "documents": [
            {"kind": "photo", "file": "photo.jpg"},
            {"kind": "medical_certificate", "file": "med.pdf"},
        ],
        "consent_admission_rules": true,
        "consent_portal_terms": true,
        "consent_personal_data": true,
        "notifications": "kk",
        "notification_channel": "sms",
    });
    let input = dir.path().join("form.json");
    std::fs::write(&input, serde_json::to_vec_pretty(&form).unwrap()).unwrap();
    let key = [
        "--p12",
        p12.to_str().unwrap(),
        "--p12-password-env",
        "QABYLDAU_TEST_KEY_PASSWORD",
    ];
    let mut args = vec![
        "walk-in",
        "submit",
        "--db",
        db_arg,
        "--iin",
        CLERK,
        "--password-env",
        PASSWORD_VAR,
        "--input",
        input.to_str().unwrap(),
        "--json",
    ];
    args.extend(key);
    let out = qabyldau(&args, &ca_path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        outcome["number"].as_str().unwrap().starts_with("L-"),
        "{outcome}"
    );
    // Typed from paper: contacts not confirmed, data not checked against the register.
    assert_eq!(
        outcome["waits_for"],
        serde_json::json!([
            "email_unconfirmed",
            "phone_unconfirmed",
            "register_unchecked"
        ])
    );
    let journal = qabyldau(
        &[
            "journal",
            "--db",
            db_arg,
            "--search",
            unbound["iin"].as_str().unwrap(),
            "--json",
            "--iin",
            CLERK,
            "--password-env",
            PASSWORD_VAR,
        ],
        &ca_path,
    );
    let rows: serde_json::Value = serde_json::from_slice(&journal.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");

    // A form with wrong fields: every one named, nothing entered.
    let mut wrong = form.clone();
    wrong["phone"] = "12".into();
    wrong["child"]["binding"]["responsibility_confirmed"] = false.into();
    wrong["child"]["person"]["iin"] = "000000000001".into();
    std::fs::write(&input, serde_json::to_vec(&wrong).unwrap()).unwrap();
    let mut args = vec![
        "walk-in",
        "submit",
        "--db",
        db_arg,
        "--iin",
        CLERK,
        "--password-env",
        PASSWORD_VAR,
        "--input",
        input.to_str().unwrap(),
        "--lang",
        "ru",
    ];
    args.extend(key);
    let out = qabyldau(&args, &ca_path);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for field in [
        "phone: [PHONE_INVALID]",
        "child.binding.responsibility_confirmed: [RESPONSIBILITY_NOT_CONFIRMED]",
        "child.person.iin:",
    ] {
        assert!(err.contains(field), "{field} in {err}");
    }
    assert!(err.contains("Подтвердите ответственность"), "{err}");
}
