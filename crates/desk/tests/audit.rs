//! Issue 15, R-5: the window's status bar warns when the history chain is broken.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use desk::Desk;
use desk::audit::HistoryCheck;
use desk::demo_data::{DemoFill, fill};

#[test]
fn the_status_bar_warns_once_the_history_was_edited_around_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.sqlite");
    fill(
        &db,
        &DemoFill {
            seed: 1,
            applications: 20,
        },
    )
    .unwrap();
    {
        let desk = Desk::open(&db).unwrap();
        assert!(!desk.status_bar().unwrap().history_broken);
        assert!(matches!(
            desk.verify_history().unwrap(),
            HistoryCheck::Intact { entries } if entries >= 20
        ));
    }
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER history_is_append_only_delete;
             DELETE FROM history WHERE id = (SELECT min(id) FROM history);",
        )
        .unwrap();
    }
    let desk = Desk::open(&db).unwrap();
    assert!(desk.status_bar().unwrap().history_broken);
    assert!(matches!(
        desk.verify_history().unwrap(),
        HistoryCheck::Broken { checked: 0, .. }
    ));
}

/// The same chain in an encrypted journal (issue 16): hashed on write, walked on open,
/// and an edit by someone who holds the key still shows.
#[test]
fn the_chain_holds_in_an_encrypted_journal_and_shows_an_edit_made_with_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let clerk = demo::region(&demo::RegionSpec::default()).staff[0].iin;
    let password = desk::vault::SecretString::from("a-pass".to_string());
    let now = time::macros::datetime!(2026-05-04 09:00 +05:00);
    let key = desk::vault::enroll(&db, &clerk, &password, None, now).unwrap();
    {
        let mut desk = Desk::open_encrypted(&db, &key).unwrap();
        desk::demo_data::fill_desk(
            &mut desk,
            &DemoFill {
                seed: 2,
                applications: 15,
            },
        )
        .unwrap();
        assert!(!desk.status_bar().unwrap().history_broken);
        assert!(matches!(
            desk.verify_history().unwrap(),
            HistoryCheck::Intact { entries } if entries >= 15
        ));
    }
    {
        let conn = store::testkit::raw_keyed_connection(&db, &key);
        conn.execute_batch(
            "DROP TRIGGER history_is_append_only_update;
             UPDATE history SET details = '{\"edited\":true}' WHERE id = (SELECT max(id) FROM history);",
        )
        .unwrap();
    }
    let desk = Desk::open_encrypted(&db, &key).unwrap();
    assert!(desk.status_bar().unwrap().history_broken);
    assert!(matches!(
        desk.verify_history().unwrap(),
        HistoryCheck::Broken {
            fault: desk::audit::ChainFault::ContentEdited,
            ..
        }
    ));
}
