//! `qabyldau audit verify` on a real journal file (issue 15, R-5): intact counts,
//! an edit through raw SQL (triggers dropped) named at its entry, exit codes.

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
fn audit_verify_counts_an_intact_history_and_names_an_edited_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.sqlite");
    let db_s = db.to_str().unwrap();
    let (code, _, err) = qabyldau(&["demo", "--db", db_s, "--applications", "30"]);
    assert_eq!(code, 0, "{err}");

    let conn = rusqlite::Connection::open(&db).unwrap();
    let total: i64 = conn
        .query_row("SELECT count(*) FROM history", [], |r| r.get(0))
        .unwrap();
    assert!(total >= 30);
    let (code, out, err) = qabyldau(&["audit", "verify", "--db", db_s]);
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
    let (code, out, _) = qabyldau(&["audit", "verify", "--db", db_s]);
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
    let (code, _, err) = qabyldau(&["audit", "verify", "--db", db.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("no journal"), "{err}");
    assert!(!db.exists());
}
