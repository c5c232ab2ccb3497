//! The journal's cipher layout (issue 12): new journals get 16 KiB pages authenticated
//! with HMAC-SHA256; journals made before (16 KiB or SQLCipher's 4 KiB pages with
//! HMAC-SHA512) keep theirs and open as they did. Read from outside with SQLCipher
//! itself: a file opens only with its own layout.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use crate::common;

use common::{count, demo_apps, key};

use rusqlite::Connection;
use store::{CipherLayout, Error, JournalKey, LAYOUTS, Store};

fn keyed(path: &std::path::Path, key: &JournalKey, layout: CipherLayout) -> Connection {
    // Not the first connection of the process: one opened while SQLCipher initialises
    // lacks `sqlcipher_export`, which a parallel test's backup needs.
    store::sqlite_initialised();
    let hex: String = key.expose().iter().map(|b| format!("{b:02X}")).collect();
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{hex}'\"; {}",
        layout.settings()
    ))
    .unwrap();
    conn
}

/// The layout the file at `path` opens with, of [`LAYOUTS`].
fn layout_of(path: &std::path::Path, key: &JournalKey) -> Option<CipherLayout> {
    LAYOUTS.into_iter().find(|&layout| {
        keyed(path, key, layout)
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .is_ok()
    })
}

#[test]
fn a_new_journal_and_its_backup_have_the_new_layout() {
    let new = CipherLayout {
        page_size: 16_384,
        hmac: "HMAC_SHA256",
    };
    assert_eq!(LAYOUTS[0], new);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let backup = dir.path().join("backup.sqlite");
    {
        let mut store = Store::open_encrypted(&path, &key(3)).unwrap();
        common::put(&mut store, &demo_apps(30)).unwrap();
        store.backup_to(&backup, Some(&key(3))).unwrap();
    }
    assert_eq!(layout_of(&path, &key(3)), Some(new));
    assert_eq!(layout_of(&backup, &key(3)), Some(new));
    let restored = Store::open_encrypted(&backup, &key(3)).unwrap();
    assert_eq!(count(&restored), 30);
}

#[test]
fn journals_made_with_older_layouts_open_migrate_and_keep_them() {
    let dir = tempfile::tempdir().unwrap();
    for (n, layout) in LAYOUTS.into_iter().enumerate().skip(1) {
        let path = dir.path().join(format!("journal-{n}.sqlite"));
        // A journal as sessions before made it, one table of ours.
        keyed(&path, &key(4), layout)
            .execute_batch(
                "CREATE TABLE made_before (x INTEGER); INSERT INTO made_before VALUES (1);",
            )
            .unwrap();
        {
            let mut store = Store::open_encrypted(&path, &key(4)).unwrap();
            common::put(&mut store, &demo_apps(10)).unwrap();
            assert_eq!(count(&store), 10);
        }
        assert_eq!(layout_of(&path, &key(4)), Some(layout), "{layout:?}");
        let conn = keyed(&path, &key(4), layout);
        let kept: i64 = conn
            .query_row("SELECT x FROM made_before", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1, "{layout:?}");
        drop(conn);
        let again = Store::open_encrypted(&path, &key(4)).unwrap();
        assert_eq!(count(&again), 10, "{layout:?}");
    }
}

#[test]
fn a_wrong_key_is_refused_whatever_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    for (n, layout) in LAYOUTS.into_iter().enumerate() {
        let path = dir.path().join(format!("journal-{n}.sqlite"));
        keyed(&path, &key(5), layout)
            .execute_batch("CREATE TABLE t (x INTEGER);")
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = Store::open_encrypted(&path, &key(6)).unwrap_err();
        assert!(matches!(err, Error::WrongKey { .. }), "{layout:?}: {err:?}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{layout:?}: untouched"
        );
    }
}

#[test]
fn a_plaintext_journal_migrated_to_encrypted_gets_the_new_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    {
        let mut plain = Store::open(&path).unwrap();
        common::put(&mut plain, &demo_apps(12)).unwrap();
        let size: i64 = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(size, 16_384, "a new plaintext journal too");
    }
    let encrypted = Store::open_encrypted(&path, &key(7)).unwrap();
    assert_eq!(count(&encrypted), 12);
    drop(encrypted);
    assert_eq!(layout_of(&path, &key(7)), Some(LAYOUTS[0]));
}
