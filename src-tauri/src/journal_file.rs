//! Which journal file the window opens, and the demo journal a newcomer gets when
//! there is none yet (issue 3: "demo data as the default").

use std::path::{Path, PathBuf};

use desk::demo_data::DemoFill;
use desk::{Desk, UiError};

/// Environment variable that names the journal file (used by scripts/run-app and the
/// end-to-end test); without it the file lives in the user's data directory.
pub const DB_ENV: &str = "QABYLDAU_DB";

/// The demo journal created on first start: its size and seed.
pub const FIRST_START_DEMO: DemoFill = DemoFill {
    seed: 2025,
    applications: 3000,
};

/// `$QABYLDAU_DB`, else `<data_dir>/qabyldau/journal.sqlite`.
pub fn journal_path(env_value: Option<&str>, data_dir: Option<&Path>) -> Option<PathBuf> {
    match env_value {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => data_dir.map(|d| d.join("qabyldau").join("journal.sqlite")),
    }
}

/// Opens the journal; when the file does not exist yet, first fills it with demo data.
/// An existing file is never overwritten: a newer or corrupt journal is refused with
/// the error `desk` gives, and the window shows it.
pub fn open_or_create_demo(data_dir: Option<&Path>) -> Result<Desk, UiError> {
    let env_value = std::env::var(DB_ENV).ok();
    let Some(path) = journal_path(env_value.as_deref(), data_dir) else {
        return Err(io_error(format!("no {DB_ENV} and no user data directory")));
    };
    open_at(&path, &FIRST_START_DEMO)
}

/// With a portal (`QABYLDAU_PORTAL`), a new journal starts empty and fills from the
/// portal after sign-in; an existing one opens as it is.
pub fn open_or_create_empty(data_dir: Option<&Path>) -> Result<Desk, UiError> {
    let env_value = std::env::var(DB_ENV).ok();
    let Some(path) = journal_path(env_value.as_deref(), data_dir) else {
        return Err(io_error(format!("no {DB_ENV} and no user data directory")));
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_error(format!("{}: {e}", dir.display())))?;
    }
    Desk::open(&path).map_err(UiError::from)
}

/// The journal file cannot be reached: the catalogue's `DB_IO` text tells the clerk.
fn io_error(detail: String) -> UiError {
    UiError::from(desk::Error::JournalUnreachable { detail })
}

pub fn open_at(path: &Path, demo: &DemoFill) -> Result<Desk, UiError> {
    if !path.exists() {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| io_error(format!("{}: {e}", dir.display())))?;
        }
        desk::demo_data::fill(path, demo).map_err(UiError::from)?;
    }
    Desk::open(path).map_err(UiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk::views::JournalQuery;

    #[test]
    fn journal_path_prefers_the_environment() {
        let data = Path::new("/home/clerk/.local/share");
        let cases: &[(Option<&str>, Option<&Path>, Option<&str>)] = &[
            (Some("/tmp/j.sqlite"), Some(data), Some("/tmp/j.sqlite")),
            (
                Some(""),
                Some(data),
                Some("/home/clerk/.local/share/qabyldau/journal.sqlite"),
            ),
            (
                None,
                Some(data),
                Some("/home/clerk/.local/share/qabyldau/journal.sqlite"),
            ),
            (None, None, None),
        ];
        for (env, dir, want) in cases {
            assert_eq!(
                journal_path(*env, *dir),
                want.map(PathBuf::from),
                "env={env:?} dir={dir:?}"
            );
        }
    }

    #[test]
    fn a_missing_journal_becomes_a_demo_journal_the_commands_read() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("nested").join("journal.sqlite");
        let demo = DemoFill {
            seed: 7,
            applications: 40,
        };
        // The window opens it through the clerk's session; here the desk itself.
        let journal = open_at(&path, &demo).expect("open");
        assert!(path.exists());

        let page = journal
            .journal(&JournalQuery {
                limit: 10,
                ..JournalQuery::default()
            })
            .expect("journal");
        assert_eq!(page.rows.len(), 10);
        assert_eq!(page.total, 40);
        assert!(page.next.is_some());
        let first = &page.rows[0];
        let view = journal.application(&first.id).expect("application");
        assert_eq!(view.number, first.number);
        assert!(
            !view.history.is_empty(),
            "a demo application arrives with its history"
        );
        assert!(
            journal
                .status_bar()
                .expect("status bar")
                .clerk_name
                .is_some()
        );

        // Opening again keeps the journal as it is (no second demo fill).
        let again = open_at(&path, &demo).expect("open again");
        assert_eq!(
            again
                .journal(&JournalQuery::default())
                .expect("journal")
                .total,
            40
        );
    }

    #[test]
    fn a_file_that_is_not_a_journal_is_refused_and_left_untouched() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("journal.sqlite");
        let bytes: Vec<u8> = (0..8192u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        std::fs::write(&path, &bytes).expect("write");

        let demo = DemoFill {
            seed: 1,
            applications: 10,
        };
        let err = open_at(&path, &demo).expect_err("refused");
        assert_eq!(err.code, "DB_NOT_A_DATABASE");
        // Opening again gives the same clear error, so the window can show it.
        assert_eq!(
            open_at(&path, &demo).expect_err("refused").code,
            "DB_NOT_A_DATABASE"
        );
        assert_eq!(
            std::fs::read(&path).expect("read"),
            bytes,
            "the file is never overwritten"
        );
    }

    #[test]
    fn every_error_code_the_shell_gives_has_kk_and_ru_text() {
        let catalogue = desk::catalogue();
        for code in ["DB_IO", "DB_NOT_A_DATABASE", "DB_NEWER_THAN_APP"] {
            let entry = catalogue.errors.iter().find(|e| e.key == code);
            assert!(
                entry.is_some_and(|e| !e.kk.is_empty() && !e.ru.is_empty()),
                "{code}"
            );
        }
    }
}
