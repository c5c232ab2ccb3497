//! `qabyldau backup` / `restore` / `--version` (issue 13) on real journal files: an
//! encrypted journal's backup is encrypted with its key (its key file beside it), opens
//! only with a clerk's password, and restores a damaged journal; a bad backup or a wrong
//! password changes nothing.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

const CLERK: &str = "900101300017";
const PASSWORD: &str = "clerk password 1";

fn qabyldau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args(args)
        .env("QABYLDAU_TEST_PASSWORD", PASSWORD)
        .env("QABYLDAU_WRONG_PASSWORD", "not the password")
        .output()
        .unwrap()
}

const CREDS: [&str; 4] = ["--iin", CLERK, "--password-env", "QABYLDAU_TEST_PASSWORD"];

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn with_creds<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(CREDS);
    all
}

fn total(db: &Path, creds: bool) -> usize {
    let mut args = vec![
        "journal",
        "--db",
        db.to_str().unwrap(),
        "--json",
        "--limit",
        "0",
    ];
    if creds {
        args.extend(CREDS);
    }
    let out = qabyldau(&args);
    ok(&out);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    rows.as_array().unwrap().len()
}

fn sqlite_header(path: &Path) -> bool {
    std::fs::read(path)
        .unwrap()
        .starts_with(b"SQLite format 3\0")
}

#[test]
fn an_encrypted_journal_has_an_encrypted_backup_that_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let copy = dir.path().join("backups").join("journal-copy.sqlite");
    let (db_s, copy_s) = (db.to_str().unwrap(), copy.to_str().unwrap());
    ok(&qabyldau(&[
        "demo",
        "--db",
        db_s,
        "--applications",
        "25",
        "--clerk-iin",
        CLERK,
        "--password-env",
        "QABYLDAU_TEST_PASSWORD",
    ]));

    // Without the clerk's credentials there is no backup of an encrypted journal.
    let out = qabyldau(&["backup", "--db", db_s, "--out", copy_s]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--password-env"));
    assert!(!copy.exists());

    ok(&qabyldau(&with_creds(&[
        "backup", "--db", db_s, "--out", copy_s,
    ])));
    assert!(!sqlite_header(&copy), "the backup is encrypted");
    assert!(
        dir.path()
            .join("backups")
            .join("journal-copy.keys")
            .is_file()
    );
    assert_eq!(total(&copy, true), 25);

    // The journal is damaged afterwards.
    let damaged = b"this journal was overwritten by something else".to_vec();
    std::fs::write(&db, &damaged).unwrap();
    // A wrong password opens no backup and changes nothing.
    let out = qabyldau(&[
        "restore",
        "--db",
        db_s,
        "--from",
        copy_s,
        "--iin",
        CLERK,
        "--password-env",
        "QABYLDAU_WRONG_PASSWORD",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("VAULT_WRONG_PASSWORD"));
    assert_eq!(std::fs::read(&db).unwrap(), damaged);

    let out = qabyldau(&with_creds(&["restore", "--db", db_s, "--from", copy_s]));
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("kept at"));
    assert_eq!(total(&db, true), 25);
    assert!(!sqlite_header(&db), "the restored journal is encrypted");

    // Something that is not a journal restores nothing.
    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(&garbage, vec![0x5a; 8192]).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = qabyldau(&with_creds(&[
        "restore",
        "--db",
        db_s,
        "--from",
        garbage.to_str().unwrap(),
    ]));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RESTORE_SOURCE_INVALID"));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the journal is untouched"
    );
}

#[test]
fn a_plaintext_journal_is_backed_up_and_restored_without_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let copy = dir.path().join("journal-copy.sqlite");
    let (db_s, copy_s) = (db.to_str().unwrap(), copy.to_str().unwrap());
    ok(&qabyldau(&["demo", "--db", db_s, "--applications", "12"]));
    ok(&qabyldau(&["backup", "--db", db_s, "--out", copy_s]));
    assert!(sqlite_header(&copy));
    std::fs::write(&db, b"damaged").unwrap();
    ok(&qabyldau(&["restore", "--db", db_s, "--from", copy_s]));
    assert!(sqlite_header(&db));
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
