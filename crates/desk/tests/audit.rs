//! Issue 15, R-5: the window's status bar warns when the history chain is broken.

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
