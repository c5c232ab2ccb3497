//! The journal file encrypted at rest (issue 16): real SQLCipher files on disk.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use crate::common;

use common::{demo_apps, key};

use store::{
    Error, FileKind, JournalFilter, LocalAction, MigrationStep, NewHistory, NewOutbox, Store,
};
use time::macros::datetime;

/// `n` demo applications, their submission history, and one accepted application
/// waiting in the outbox with its signature.
fn fill(store: &mut Store, apps: &[domain::Application]) {
    common::put(store, apps).unwrap();
    let app = common::first_new_accepted(store);
    store
        .record_local_action(&common::acceptance(&app, "key-encrypted-1"))
        .unwrap();
}

/// Every table's rows, for comparing two files.
fn rows_of(store: &Store) -> (u64, Vec<store::OutboxEntry>, Vec<String>) {
    let rows = store
        .journal(&JournalFilter {
            limit: 100_000,
            ..Default::default()
        })
        .unwrap();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let history: u64 = ids
        .iter()
        .map(|id| store.history(id).unwrap().len() as u64)
        .sum();
    (history, store.outbox().unwrap(), ids)
}

fn raw_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut all = std::fs::read(path).unwrap();
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        if let Ok(b) = std::fs::read(std::path::Path::new(&p)) {
            all.extend(b);
        }
    }
    all
}

/// Whether the UTF-8 `needle` occurs in the raw bytes (a lossy decoding keeps every
/// valid UTF-8 sequence, and std's `str::contains` is fast even in a debug build).
fn contains(haystack: &[u8], needle: &str) -> bool {
    String::from_utf8_lossy(haystack).contains(needle)
}

#[test]
fn the_files_bytes_hold_no_iin_or_name_of_the_journal() {
    let apps = demo_apps(300);
    let dir = tempfile::tempdir().unwrap();

    // The same fill in plaintext shows what the test looks for is really there.
    let plain = dir.path().join("plain.sqlite");
    fill(&mut Store::open(&plain).unwrap(), &apps);
    let plain_bytes = raw_bytes(&plain);
    assert!(contains(&plain_bytes, &apps[0].child.iin.to_string()));
    assert!(contains(
        &plain_bytes,
        &apps[0].child.name.surname.to_string()
    ));

    let path = dir.path().join("journal.sqlite");
    {
        let mut store = Store::open_encrypted(&path, &key(7)).unwrap();
        fill(&mut store, &apps);
        // Both while open (the WAL holds the latest pages) and after closing.
        let open_bytes = raw_bytes(&path);
        let open_text = String::from_utf8_lossy(&open_bytes);
        for a in &apps {
            assert!(!open_text.contains(&a.child.iin.to_string()));
        }
    }
    let bytes = raw_bytes(&path);
    assert_eq!(store::file_kind(&path).unwrap(), FileKind::Opaque);
    assert!(!contains(&bytes, "SQLite format 3"));
    let text = String::from_utf8_lossy(&bytes);
    for a in &apps {
        for needle in [
            a.child.iin.to_string(),
            a.child.name.surname.to_string(),
            a.applicant.iin.to_string(),
            a.applicant.name.surname.to_string(),
        ] {
            assert!(!text.contains(&needle), "{needle} in the encrypted file");
        }
    }
    // And the same key reads it all back.
    let store = Store::open_encrypted(&path, &key(7)).unwrap();
    assert_eq!(rows_of(&store).2.len(), apps.len());
}

#[cfg(unix)]
#[test]
fn the_journal_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut store = Store::open_encrypted(&path, &key(3)).unwrap();
    fill(&mut store, &demo_apps(10));
    for p in [path.clone(), path.with_file_name("journal.sqlite-wal")] {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", p.display());
    }
}

#[test]
fn a_wrong_key_is_refused_with_its_code_and_the_file_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    fill(
        &mut Store::open_encrypted(&path, &key(1)).unwrap(),
        &demo_apps(20),
    );
    let before = raw_bytes(&path);

    let err = Store::open_encrypted(&path, &key(2)).unwrap_err();
    assert!(matches!(err, Error::WrongKey { .. }), "{err:?}");
    assert_eq!(err.code(), "DB_WRONG_KEY");
    assert!(err.to_string().contains("left untouched"));
    // Without a key (the plaintext open), never "not a database" damage: refused.
    assert_eq!(Store::open(&path).unwrap_err().code(), "DB_NOT_A_DATABASE");
    assert_eq!(raw_bytes(&path), before, "nothing written");
    assert!(Store::open_encrypted(&path, &key(1)).is_ok());
}

#[test]
fn a_plaintext_journal_is_migrated_once_with_every_row_and_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let apps = demo_apps(200);
    let before = {
        let mut plain = Store::open(&path).unwrap();
        fill(&mut plain, &apps);
        rows_of(&plain)
    };
    assert_eq!(store::file_kind(&path).unwrap(), FileKind::Plaintext);
    assert_eq!(before.1.len(), 1, "one outbox entry waits");

    let encrypted = Store::open_encrypted(&path, &key(9)).unwrap();
    let after = rows_of(&encrypted);
    assert_eq!(after.2, before.2, "every application");
    assert_eq!(after.0, before.0, "every history entry");
    assert_eq!(
        after
            .1
            .iter()
            .map(|o| (&o.idempotency_key, &o.signature, &o.state))
            .collect::<Vec<_>>(),
        before
            .1
            .iter()
            .map(|o| (&o.idempotency_key, &o.signature, &o.state))
            .collect::<Vec<_>>(),
        "the outbox as it was"
    );
    drop(encrypted);
    assert_eq!(store::file_kind(&path).unwrap(), FileKind::Opaque);
    assert!(
        !store::plaintext_backup_path(&path).exists(),
        "plaintext copy removed"
    );
    assert!(!store::encrypting_path(&path).exists());
    let bytes = raw_bytes(&path);
    assert!(!contains(&bytes, &apps[0].child.iin.to_string()));
    // Once: the next open just opens.
    let again = Store::open_encrypted(&path, &key(9)).unwrap();
    assert_eq!(rows_of(&again).2.len(), apps.len());
}

#[test]
fn a_crash_at_any_step_of_the_migration_leaves_a_usable_file() {
    let apps = demo_apps(60);
    for step in [
        MigrationStep::Backup,
        MigrationStep::Export,
        MigrationStep::Verify,
        MigrationStep::Rename,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        let before = {
            let mut plain = Store::open(&path).unwrap();
            fill(&mut plain, &apps);
            rows_of(&plain)
        };
        // The process dies right after `step`.
        store::encrypt_plaintext(&path, &key(5), Some(step)).unwrap();

        // The file at the journal's path is usable as it is: still the plaintext before
        // the rename, the verified encrypted copy after it.
        let usable_now = match store::file_kind(&path).unwrap() {
            FileKind::Plaintext => rows_of(&Store::open(&path).unwrap()),
            FileKind::Opaque => {
                assert_eq!(step, MigrationStep::Rename);
                rows_of(&Store::open_encrypted(&path, &key(5)).unwrap())
            }
            FileKind::Missing => panic!("{step:?}: no journal"),
        };
        assert_eq!(usable_now.2, before.2, "{step:?}");

        // The next start finishes the job: encrypted, every row, no plaintext left over.
        let store = Store::open_encrypted(&path, &key(5)).unwrap();
        let after = rows_of(&store);
        assert_eq!(after.2, before.2, "{step:?}");
        assert_eq!(after.0, before.0, "{step:?}");
        assert_eq!(after.1.len(), before.1.len(), "{step:?}: the outbox");
        drop(store);
        assert_eq!(
            store::file_kind(&path).unwrap(),
            FileKind::Opaque,
            "{step:?}"
        );
        assert!(!store::plaintext_backup_path(&path).exists(), "{step:?}");
        assert!(!store::encrypting_path(&path).exists(), "{step:?}");
    }
}

#[test]
fn document_bytes_leave_the_outbox_once_the_portal_accepted_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let mut store = Store::open_encrypted(&path, &key(4)).unwrap();
    let apps = demo_apps(40);
    fill(&mut store, &apps);
    let (app, _, _) = store.application(&apps[1].id.0).unwrap();
    let at = datetime!(2026-04-21 11:00 +05:00);
    let seq = store
        .record_local_action(&LocalAction {
            application: &app,
            history: NewHistory {
                at,
                actor_iin: Some("900101300017".into()),
                actor_name: None,
                kind: "submitted_on_behalf".into(),
                details: serde_json::json!({}),
            },
            outbox: NewOutbox {
                idempotency_key: "on-behalf-1".into(),
                kind: "on_behalf".into(),
                payload: serde_json::json!({
                    "child_iin": app.child.iin.to_string(),
                    "documents": [
                        {"kind": "photo", "file_name": "p.jpg", "media_type": "image/jpeg", "content_base64": "AAECAwQ="},
                        {"kind": "medical_certificate", "file_name": "m.pdf", "media_type": "application/pdf", "content_base64": "JVBERi0="}
                    ]
                }),
                signature: Some(vec![9, 9]),
                created_at: at,
            },
            attachments: vec![],
        })
        .unwrap();
    let pending = |s: &Store| {
        s.outbox()
            .unwrap()
            .into_iter()
            .find(|e| e.idempotency_key == "on-behalf-1")
            .unwrap()
    };
    assert_eq!(
        pending(&store).payload["documents"][0]["content_base64"],
        "AAECAwQ="
    );
    store
        .mark_sent(
            seq,
            &store::SentAnswer {
                response_json: "{}",
                application: None,
                unreadable: false,
            },
            at,
        )
        .unwrap();
    let sent = pending(&store);
    assert_eq!(sent.state, "sent");
    for d in sent.payload["documents"].as_array().unwrap() {
        assert_eq!(d["content_base64"], "", "{d}");
        assert!(d["file_name"].is_string(), "the metadata stays");
    }
    assert_eq!(sent.signature, Some(vec![9, 9]));
    // The decision entry (no documents) is left as it was.
    let decision = store
        .outbox()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "decision")
        .unwrap();
    assert_eq!(decision.payload, serde_json::json!({"decision": "accept"}));
}
