//! The journal's page size (issue 12): new journals get 16 KiB pages, journals made with
//! SQLCipher's 4 KiB before keep theirs and open as they did. Read from outside with
//! SQLCipher itself: a file opens only with its own page size.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

mod common;

use common::{count, demo_apps, key};

use rusqlite::Connection;
use store::{Error, JournalKey, PAGE_SIZES, Store};

fn keyed(path: &std::path::Path, key: &JournalKey, page_size: u32) -> Connection {
    // Not the first connection of the process: one opened while SQLCipher initialises
    // lacks `sqlcipher_export`, which a parallel test's backup needs.
    store::sqlite_initialised();
    let hex: String = key.expose().iter().map(|b| format!("{b:02X}")).collect();
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{hex}'\";
         PRAGMA cipher_compatibility = 4; PRAGMA cipher_page_size = {page_size};"
    ))
    .unwrap();
    conn
}

/// The page size the file at `path` opens with, of [`PAGE_SIZES`].
fn page_size_of(path: &std::path::Path, key: &JournalKey) -> Option<u32> {
    PAGE_SIZES.into_iter().find(|&size| {
        keyed(path, key, size)
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .is_ok()
    })
}

#[test]
fn a_new_journal_and_its_backup_have_the_new_page_size() {
    assert_eq!(PAGE_SIZES[0], 16_384);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let backup = dir.path().join("backup.sqlite");
    {
        let mut store = Store::open_encrypted(&path, &key(3)).unwrap();
        common::put(&mut store, &demo_apps(30)).unwrap();
        store.backup_to(&backup, Some(&key(3))).unwrap();
    }
    assert_eq!(page_size_of(&path, &key(3)), Some(16_384));
    assert_eq!(page_size_of(&backup, &key(3)), Some(16_384));
    let restored = Store::open_encrypted(&backup, &key(3)).unwrap();
    assert_eq!(count(&restored), 30);
}

#[test]
fn a_journal_made_with_4096_byte_pages_opens_migrates_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    // A journal as sessions before made it: SQLCipher 4's 4096, one table of ours.
    keyed(&path, &key(4), 4096)
        .execute_batch("CREATE TABLE made_before (x INTEGER); INSERT INTO made_before VALUES (1);")
        .unwrap();
    {
        let mut store = Store::open_encrypted(&path, &key(4)).unwrap();
        common::put(&mut store, &demo_apps(10)).unwrap();
        assert_eq!(count(&store), 10);
    }
    assert_eq!(page_size_of(&path, &key(4)), Some(4096));
    let conn = keyed(&path, &key(4), 4096);
    let kept: i64 = conn
        .query_row("SELECT x FROM made_before", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1);
    drop(conn);
    let again = Store::open_encrypted(&path, &key(4)).unwrap();
    assert_eq!(count(&again), 10);
}

#[test]
fn a_wrong_key_is_refused_whatever_the_page_size() {
    let dir = tempfile::tempdir().unwrap();
    for size in PAGE_SIZES {
        let path = dir.path().join(format!("journal-{size}.sqlite"));
        keyed(&path, &key(5), size)
            .execute_batch("CREATE TABLE t (x INTEGER);")
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = Store::open_encrypted(&path, &key(6)).unwrap_err();
        assert!(matches!(err, Error::WrongKey { .. }), "{size}: {err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{size}: untouched");
    }
}

#[test]
fn a_plaintext_journal_migrated_to_encrypted_gets_the_new_page_size() {
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
    assert_eq!(page_size_of(&path, &key(7)), Some(16_384));
}
