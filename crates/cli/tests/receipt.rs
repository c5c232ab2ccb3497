//! `qabyldau receipt` and `qabyldau verify-receipt` as an external check runs them
//! (issue 7): real binary, real files, exit codes and printed reasons.

#![allow(clippy::unwrap_used)] // a test that cannot set itself up should stop loudly

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qabyldau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args(args)
        .output()
        .unwrap()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../receipts/examples")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn receipt_writes_a_pdf_whose_qr_text_verifies_against_the_signed_decision() {
    let dir = tempfile::tempdir().unwrap();
    for (name, signed) in [
        ("acceptance-kk", "acceptance"),
        ("documents-ru", "documents"),
        ("rejection-ru", "rejection"),
    ] {
        let out = dir.path().join(format!("{name}.pdf"));
        let input = examples().join(format!("{name}.json"));
        let o = qabyldau(&[
            "receipt",
            "--input",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "{name}: {}{}",
            stdout(&o),
            String::from_utf8_lossy(&o.stderr)
        );
        let pdf = std::fs::read(&out).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{name}");

        let printed = stdout(&o);
        let payload = printed
            .lines()
            .find_map(|l| l.strip_prefix("QR: "))
            .unwrap()
            .to_string();
        let text = Command::new("pdftotext")
            .arg(&out)
            .arg("-")
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&text.stdout).contains(&payload),
            "{name}: payload printed on the page"
        );

        let signed = examples().join("signed").join(format!("{signed}.json"));
        let v = qabyldau(&[
            "verify-receipt",
            "--payload",
            &payload,
            "--signed",
            signed.to_str().unwrap(),
        ]);
        assert!(v.status.success(), "{name}: {}", stdout(&v));
        assert!(stdout(&v).starts_with("valid: "), "{}", stdout(&v));

        let other = examples().join("acceptance-kk.json");
        let v = qabyldau(&[
            "verify-receipt",
            "--payload",
            &payload,
            "--signed",
            other.to_str().unwrap(),
        ]);
        assert_eq!(v.status.code(), Some(1), "{name}: wrong bytes must fail");
        assert!(
            stdout(&v).contains("SIGNATURE_DIGEST_MISMATCH"),
            "{}",
            stdout(&v)
        );
    }
}

#[test]
fn a_bad_field_is_named_in_english_kazakh_and_russian_and_no_pdf_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(examples().join("acceptance-ru.json")).unwrap(),
    )
    .unwrap();
    v["child"]["iin"] = serde_json::json!("200315601232");
    let input = dir.path().join("bad.json");
    std::fs::write(&input, v.to_string()).unwrap();
    let out = dir.path().join("bad.pdf");
    let o = qabyldau(&[
        "receipt",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let printed = stdout(&o);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 3, "{printed}");
    assert!(
        lines[0].contains("child.iin") && lines[0].contains("RECEIPT_FIELD_INVALID"),
        "{printed}"
    );
    assert!(
        lines[1].starts_with("kk: ")
            && lines[1].contains("«child.iin»")
            && lines[1].contains("ЖСН"),
        "{printed}"
    );
    assert!(
        lines[2].starts_with("ru: ")
            && lines[2].contains("«child.iin»")
            && lines[2].contains("ИИН"),
        "{printed}"
    );
    assert!(!out.exists());
}

#[test]
fn an_unreadable_input_file_or_payload_fails_with_a_reason() {
    let o = qabyldau(&[
        "receipt",
        "--input",
        "/nonexistent/receipt.json",
        "--out",
        "/tmp/never.pdf",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read the receipt input"));

    let signed = examples().join("signed").join("acceptance.json");
    let o = qabyldau(&[
        "verify-receipt",
        "--payload",
        "hello",
        "--signed",
        signed.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("QR_PAYLOAD_INVALID"), "{}", stdout(&o));
}
