//! The `qabyldau` binary as external checks call it.

use std::process::Command;

/// The clerk whose password (in `QABYLDAU_TEST_PASSWORD`) opens the test journals.
const CLERK: &str = "900101300017";
const PASSWORD: &str = "clerk password 1";

fn qabyldau(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args(args)
        .env("QABYLDAU_TEST_PASSWORD", PASSWORD)
        .env("QABYLDAU_WRONG_PASSWORD", "not the password")
        .output()
        .expect("run qabyldau");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn iin_check_table() {
    // (input, exit code, text that must appear)
    let cases: &[(&str, i32, &str)] = &[
        ("900101300017", 0, "birth date: 1990-01-01"),
        ("950615400017", 0, "sex: female"),
        ("200301500010", 0, "sex: male"),
        ("20030150001", 1, "12 digits"),
        ("2003015000ab", 1, "digits only"),
        ("201301500016", 1, "not a calendar date"),
        ("200301700016", 1, "century/sex digit"),
        ("200301500016", 1, "check digit"),
    ];
    for (iin, code, text) in cases {
        let (got, stdout, _) = qabyldau(&["iin", "check", iin]);
        assert_eq!(got, *code, "{iin}: {stdout}");
        assert!(stdout.contains(text), "{iin}: {stdout:?} lacks {text:?}");
    }
    let (_, kk, _) = qabyldau(&["iin", "check", "200301500016"]);
    assert!(
        kk.contains("бақылау цифры"),
        "Kazakh explanation by default: {kk}"
    );
    let (_, ru, _) = qabyldau(&["iin", "check", "200301500016", "--lang", "ru"]);
    assert!(ru.contains("Контрольная цифра"), "{ru}");
}

#[test]
fn demo_then_journal_json_lists_what_was_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.sqlite");
    let db = db.to_str().unwrap();
    let (code, out, err) = qabyldau(&[
        "demo",
        "--db",
        db,
        "--applications",
        "120",
        "--clerk-iin",
        CLERK,
        "--password-env",
        "QABYLDAU_TEST_PASSWORD",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("120 applications"));
    let creds = ["--iin", CLERK, "--password-env", "QABYLDAU_TEST_PASSWORD"];
    let journal = |more: &[&str]| {
        let mut args = vec!["journal", "--db", db];
        args.extend(creds);
        args.extend(more);
        qabyldau(&args)
    };

    let (code, out, err) = journal(&["--json", "--limit", "0"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 120);
    for key in [
        "id",
        "number",
        "child_name",
        "child_iin",
        "submitted_at",
        "status",
        "school_id",
    ] {
        assert!(rows[0].get(key).is_some(), "{key} in {}", rows[0]);
    }

    let (code, out, _) = journal(&["--json", "--status", "accepted", "--limit", "0"]);
    assert_eq!(code, 0);
    let accepted: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(!accepted.is_empty() && accepted.iter().all(|r| r["status"] == "accepted"));

    let iin = rows[7]["child_iin"].as_str().unwrap();
    let (_, out, _) = journal(&["--json", "--search", iin]);
    let found: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["child_iin"], iin);

    let (code, out, _) = journal(&["--limit", "5"]);
    assert_eq!(code, 0);
    assert!(out.contains("5 rows"));

    // A second demo run opens the same encrypted journal with the clerk's key (the same
    // seed writes the same applications again: nothing doubles).
    let (code, _, err) = qabyldau(&[
        "demo",
        "--db",
        db,
        "--applications",
        "10",
        "--clerk-iin",
        CLERK,
        "--password-env",
        "QABYLDAU_TEST_PASSWORD",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = journal(&["--json", "--limit", "0"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 120);
}

#[test]
fn the_journal_needs_the_clerks_password_and_a_wrong_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.sqlite");
    let db = path.to_str().unwrap();
    let (code, _, err) = qabyldau(&[
        "demo",
        "--db",
        db,
        "--applications",
        "30",
        "--clerk-iin",
        CLERK,
        "--password-env",
        "QABYLDAU_TEST_PASSWORD",
    ]);
    assert_eq!(code, 0, "{err}");
    let children: Vec<String> = {
        let (_, out, _) = qabyldau(&[
            "journal",
            "--db",
            db,
            "--iin",
            CLERK,
            "--password-env",
            "QABYLDAU_TEST_PASSWORD",
            "--json",
            "--limit",
            "0",
        ]);
        let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        rows.iter()
            .map(|r| r["child_iin"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(children.len(), 30);
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(children.iter().all(|iin| !text.contains(iin.as_str())));

    // Without credentials.
    let (code, out, err) = qabyldau(&["journal", "--db", db, "--json"]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "no rows printed: {out}");
    assert!(
        err.contains("--iin") && err.contains("--password-env"),
        "{err}"
    );
    // A wrong password.
    let (code, out, err) = qabyldau(&[
        "journal",
        "--db",
        db,
        "--iin",
        CLERK,
        "--password-env",
        "QABYLDAU_WRONG_PASSWORD",
        "--json",
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "no rows printed: {out}");
    assert!(err.contains("VAULT_WRONG_PASSWORD"), "{err}");
    assert!(err.contains("Неверный пароль"), "{err}");
    // A clerk who is not enrolled, an unset variable, a bad IIN.
    let (code, _, err) = qabyldau(&[
        "journal",
        "--db",
        db,
        "--iin",
        "950615400017",
        "--password-env",
        "QABYLDAU_TEST_PASSWORD",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("VAULT_NOT_ENROLLED"), "{err}");
    let (code, _, err) = qabyldau(&[
        "journal",
        "--db",
        db,
        "--iin",
        CLERK,
        "--password-env",
        "QABYLDAU_NO_SUCH_VARIABLE",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("QABYLDAU_NO_SUCH_VARIABLE is not set"),
        "{err}"
    );
    let (code, _, err) = qabyldau(&[
        "journal",
        "--db",
        db,
        "--iin",
        "200301500016",
        "--password-env",
        "QABYLDAU_TEST_PASSWORD",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("--iin"), "{err}");
    // verify-receipt --db takes the same pair.
    let (code, _, err) = qabyldau(&[
        "verify-receipt",
        "--payload",
        "QBL1|2026-0001234|A|20260601|7623b8738b81a55d",
        "--db",
        db,
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("--password-env"), "{err}");

    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the journal is unchanged"
    );
}

#[test]
fn bad_input_gets_a_clear_message_and_nothing_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let creds = ["--iin", CLERK, "--password-env", "QABYLDAU_TEST_PASSWORD"];
    let none = dir.path().join("none.sqlite");
    let mut args = vec!["journal", "--db", none.to_str().unwrap()];
    args.extend(creds);
    let (code, _, err) = qabyldau(&args);
    assert_eq!(code, 1);
    assert!(err.contains("no such journal"), "{err}");

    let notes = dir.path().join("notes.sqlite");
    std::fs::write(&notes, "not a database").unwrap();
    let mut args = vec!["journal", "--db", notes.to_str().unwrap()];
    args.extend(creds);
    let (code, _, err) = qabyldau(&args);
    assert_eq!(code, 1);
    assert!(err.contains("not a Qabyldau journal"), "{err}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "not a database");

    let db = dir.path().join("j.sqlite");
    let mut args = vec!["demo", "--db", db.to_str().unwrap(), "--applications", "5"];
    args.extend([
        "--clerk-iin",
        CLERK,
        "--password-env",
        "QABYLDAU_TEST_PASSWORD",
    ]);
    assert_eq!(qabyldau(&args).0, 0);
    let mut args = vec![
        "journal",
        "--db",
        db.to_str().unwrap(),
        "--status",
        "approved",
    ];
    args.extend(creds);
    let (code, _, err) = qabyldau(&args);
    assert_eq!(code, 1);
    assert!(err.contains("unknown status"), "{err}");
}
