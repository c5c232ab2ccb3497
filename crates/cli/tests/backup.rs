//! `qabyldau backup` / `restore` / `--version` (issue 13) on real journal files.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

fn qabyldau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args(args)
        .output()
        .unwrap()
}

fn total(db: &Path) -> usize {
    let out = qabyldau(&[
        "journal",
        "--db",
        db.to_str().unwrap(),
        "--json",
        "--limit",
        "1000",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rows.as_array().unwrap().len()
}

#[test]
fn a_backup_restores_a_damaged_journal_and_a_bad_backup_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let copy = dir.path().join("backups").join("journal-copy.sqlite");
    let (db_s, copy_s) = (db.to_str().unwrap(), copy.to_str().unwrap());
    assert!(
        qabyldau(&["demo", "--db", db_s, "--applications", "25"])
            .status
            .success()
    );
    let out = qabyldau(&["backup", "--db", db_s, "--out", copy_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(total(&copy), 25);

    std::fs::write(&db, b"this journal was overwritten by something else").unwrap();
    let out = qabyldau(&["restore", "--db", db_s, "--from", copy_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("kept at"));
    assert_eq!(total(&db), 25);

    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, vec![0x5a; 8192]).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = qabyldau(&["restore", "--db", db_s, "--from", garbage.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RESTORE_SOURCE_INVALID"));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the journal is untouched"
    );
}

#[test]
fn the_version_names_the_commit_and_the_build_date() {
    let out = qabyldau(&["--version"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!("qabyldau {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains(", built "), "{text}");
}
