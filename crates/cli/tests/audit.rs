//! `qabyldau audit verify` on a real, encrypted journal file (issue 15, R-5; issue 16):
//! intact counts, an edit through raw SQL (the key in hand, triggers dropped) named at
//! its entry, exit codes, the credentials asked like every `--db` subcommand.

#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use std::path::Path;
use std::process::Command;

/// The clerk whose password (in `QABYLDAU_TEST_PASSWORD`) opens the test journal.
const CLERK: &str = "900101300017";
const PASSWORD: &str = "clerk password 1";
const CREDS: [&str; 4] = ["--iin", CLERK, "--password-env", "QABYLDAU_TEST_PASSWORD"];

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

fn verify(db: &str, creds: &[&str]) -> (i32, String, String) {
    let mut args = vec!["audit", "verify", "--db", db];
    args.extend(creds);
    qabyldau(&args)
}

/// The journal opened as sqlite3 with SQLCipher would, by someone who has its key.
fn raw(db: &Path) -> rusqlite::Connection {
    let iin = domain::Iin::parse(CLERK).unwrap();
    let key = desk::vault::unlock(
        db,
        &iin,
        &desk::vault::SecretString::from(PASSWORD.to_string()),
        time::OffsetDateTime::now_utc(),
    )
    .unwrap();
    store::testkit::raw_keyed_connection(db, &key)
}

#[test]
fn audit_verify_counts_an_intact_history_and_names_an_edited_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.sqlite");
    let db_s = db.to_str().unwrap();
    let mut demo = vec!["demo", "--db", db_s, "--applications", "30"];
    demo.extend([
        "--clerk-iin",
        CLERK,
        "--password-env",
        "QABYLDAU_TEST_PASSWORD",
    ]);
    let (code, _, err) = qabyldau(&demo);
    assert_eq!(code, 0, "{err}");

    // Without the clerk's credentials, or with a wrong password: refused, nothing checked.
    let (code, out, err) = verify(db_s, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains("--iin") && err.contains("--password-env"),
        "{err}"
    );
    let (code, _, err) = verify(
        db_s,
        &["--iin", CLERK, "--password-env", "QABYLDAU_WRONG_PASSWORD"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("VAULT_WRONG_PASSWORD"), "{err}");

    let conn = raw(&db);
    let total: i64 = conn
        .query_row("SELECT count(*) FROM history", [], |r| r.get(0))
        .unwrap();
    assert!(total >= 30);
    let (code, out, err) = verify(db_s, &CREDS);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("history intact: {total} entries checked")),
        "{out}"
    );

    // Edit the 10th entry around the app.
    let target: i64 = conn
        .query_row(
            "SELECT id FROM history ORDER BY id LIMIT 1 OFFSET 9",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute_batch("DROP TRIGGER history_is_append_only_update;")
        .unwrap();
    conn.execute(
        "UPDATE history SET actor_name = 'Someone else' WHERE id = ?1",
        [target],
    )
    .unwrap();
    drop(conn);
    let (code, out, _) = verify(db_s, &CREDS);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("history broken at entry {target} ")),
        "{out}"
    );
    assert!(out.contains("HISTORY_CONTENT_EDITED"), "{out}");
    assert!(out.contains("9 entries before it are intact"), "{out}");
}

#[test]
fn audit_verify_never_creates_a_journal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("missing.sqlite");
    let (code, _, err) = verify(db.to_str().unwrap(), &CREDS);
    assert_eq!(code, 1);
    assert!(err.contains("no such journal"), "{err}");
    assert!(!db.exists());
}
