//! The `qabyldau` binary as external checks call it.

use std::process::Command;

fn qabyldau(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args(args)
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
    let (code, out, err) = qabyldau(&["demo", "--db", db, "--applications", "120"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("120 applications"));

    let (code, out, err) = qabyldau(&["journal", "--db", db, "--json", "--limit", "0"]);
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

    let (code, out, _) = qabyldau(&[
        "journal", "--db", db, "--json", "--status", "accepted", "--limit", "0",
    ]);
    assert_eq!(code, 0);
    let accepted: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(!accepted.is_empty() && accepted.iter().all(|r| r["status"] == "accepted"));

    let iin = rows[7]["child_iin"].as_str().unwrap();
    let (_, out, _) = qabyldau(&["journal", "--db", db, "--json", "--search", iin]);
    let found: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["child_iin"], iin);

    let (code, out, _) = qabyldau(&["journal", "--db", db, "--limit", "5"]);
    assert_eq!(code, 0);
    assert!(out.contains("5 rows"));
}

#[test]
fn bad_input_gets_a_clear_message_and_nothing_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = qabyldau(&[
        "journal",
        "--db",
        dir.path().join("none.sqlite").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no such journal"), "{err}");

    let notes = dir.path().join("notes.sqlite");
    std::fs::write(&notes, "not a database").unwrap();
    let (code, _, err) = qabyldau(&["journal", "--db", notes.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("not a Qabyldau database"), "{err}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "not a database");

    let db = dir.path().join("j.sqlite");
    qabyldau(&["demo", "--db", db.to_str().unwrap(), "--applications", "5"]);
    let (code, _, err) = qabyldau(&[
        "journal",
        "--db",
        db.to_str().unwrap(),
        "--status",
        "approved",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown status"), "{err}");
}
