//! Which journal file the window works on, and what is done to it before a sign-in opens
//! it (issue 13, issue 16). With `--demo`, the demo journal (its own file, never the real
//! one: filled with demo data on its first start, or empty when a demo portal is given).
//! Without it, the real journal: none is made before a portal is configured (the
//! first-run screen), a daily backup is taken before the window starts on it (and a kept
//! one before an older journal is migrated), and a damaged journal is refused with the
//! latest backup offered, never overwritten. The journal itself is opened only by the
//! clerk's sign-in (`desk::session`).

use std::path::{Path, PathBuf};

use desk::demo_data::DemoFill;
use desk::{Desk, UiError};

use crate::settings::{AppSettings, Mode};

/// The demo journal created on a first `--demo` start: its size and seed.
pub const FIRST_START_DEMO: DemoFill = DemoFill {
    seed: 2025,
    applications: 3000,
};

/// The error every command answers before the first-run screen is done.
pub fn first_run_required() -> UiError {
    UiError::from(desk::Error::FirstRunRequired)
}

/// Prepares this start's journal file; `Some` is why the window cannot work on it (the
/// first run, a newer or a damaged journal), which every command then answers.
pub fn prepare(settings: &AppSettings) -> Option<UiError> {
    let path = settings.journal_file();
    let portal = settings.portal_url().is_some();
    match settings.mode {
        Mode::Production if !portal => Some(first_run_required()),
        Mode::Production => {
            let today = desk::backup::office_day(time::OffsetDateTime::now_utc());
            // A backup that cannot be taken (a full disk) does not keep the clerk out;
            // the journal itself is never written by this step.
            if let Err(e) =
                desk::backup::before_open(&path, &settings.loaded().settings.backups_dir(), today)
            {
                eprintln!("qabyldau-app: no backup taken before opening the journal: {e}");
            }
            prepare_for_portal(&path)
        }
        Mode::Demo if portal => prepare_for_portal(&path),
        Mode::Demo => prepare_demo(&path, &FIRST_START_DEMO),
    }
}

/// An encrypted journal (its key file beside it) waits for the sign-in as it is. A
/// plaintext one is checked (and migrated) now; a missing one is made empty and fills
/// from the portal after the first online sign-in.
fn prepare_for_portal(path: &Path) -> Option<UiError> {
    if desk::vault::keys_path(path).exists() {
        return None;
    }
    open_or_create_empty(path).err()
}

/// The demo journal: filled with demo data when missing, its clerk known to the desk so
/// they can sign in offline (the first sign-in encrypts it).
fn prepare_demo(path: &Path, demo: &DemoFill) -> Option<UiError> {
    if desk::vault::keys_path(path).exists() {
        return None;
    }
    match open_at(path, demo) {
        Ok(desk) => desk::session::adopt_local_clerk(path, &desk)
            .err()
            .map(UiError::from),
        Err(e) => Some(e),
    }
}

/// A portal fills a new journal after sign-in; an existing one opens as it is.
pub fn open_or_create_empty(path: &Path) -> Result<Desk, UiError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_error(format!("{}: {e}", dir.display())))?;
    }
    Desk::open(path).map_err(UiError::from)
}

/// The newest backup, offered when the journal cannot be opened.
pub fn latest_backup(settings: &AppSettings) -> Option<PathBuf> {
    desk::backup::latest_backup(&settings.loaded().settings.backups_dir())
}

/// The codes of a journal that is there but cannot be read: the window offers the latest
/// backup beside the message.
pub const DAMAGED: &[&str] = &["DB_CORRUPT", "DB_NOT_A_DATABASE", "DB_DAMAGED"];

/// The backup the window offers for a journal it cannot open (its file name), if any.
#[tauri::command(async)]
pub fn journal_latest_backup(settings: tauri::State<'_, AppSettings>) -> Option<String> {
    latest_backup(&settings).and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
}

/// «Restore from the backup», only for a journal the window found damaged and has not
/// opened: the latest backup is checked, replaces the journal (the one it replaces is
/// kept beside it), then the window starts again on it.
#[tauri::command(async)]
pub fn journal_restore_latest(
    app: tauri::AppHandle,
    settings: tauri::State<'_, AppSettings>,
    journal: tauri::State<'_, crate::commands::OpenJournal>,
) -> Result<(), UiError> {
    // A plaintext journal found damaged before any sign-in, or an encrypted one the
    // clerk's sign-in found damaged (then the clerk's key checks the backup). A journal
    // that opens is never replaced from the window (`qabyldau restore`).
    let plaintext_damaged = match journal.problem() {
        Err(e) if DAMAGED.contains(&e.code) => true,
        Err(e) => return Err(e),
        Ok(()) if journal.session().journal_damaged() => false,
        Ok(()) => return Err(UiError::from(desk::Error::RestoreNotNeeded)),
    };
    let Some(backup) = latest_backup(&settings) else {
        return Err(UiError::from(desk::Error::BackupNotFound {
            path: settings
                .loaded()
                .settings
                .backups_dir()
                .display()
                .to_string(),
        }));
    };
    let stamp = restore_stamp(time::OffsetDateTime::now_utc());
    if plaintext_damaged {
        desk::backup::restore(
            &settings.journal_file(),
            &backup,
            &stamp,
            desk::backup::RestoreCheck::Plaintext,
        )
        .map_err(UiError::from)?;
    } else {
        journal
            .session()
            .restore_damaged(&backup, &stamp)
            .map_err(UiError::from)?;
    }
    app.restart();
}

/// The journal file cannot be reached: the catalogue's `DB_IO` text tells the clerk.
fn io_error(detail: String) -> UiError {
    UiError::from(desk::Error::JournalUnreachable { detail })
}

/// Opens the journal; when the file does not exist yet, first fills it with demo data.
/// An existing file is never overwritten: a newer or corrupt journal is refused with
/// the error `desk` gives, and the window shows it.
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

/// Time stamp for the name of a journal set aside by a restore.
pub fn restore_stamp(now: time::OffsetDateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk::views::JournalQuery;

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
        assert_eq!(
            prepare_demo(&path, &demo).expect("refused").code,
            "DB_NOT_A_DATABASE"
        );
        // Preparing again gives the same clear error, so the window can show it.
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

    fn start(dir: &Path, mode: Mode, portal: Option<&str>) -> AppSettings {
        let os = desk::settings::OsDirs::new(&dir.join("config"), &dir.join("data"));
        let env = desk::settings::env_layer(|name| match name {
            "QABYLDAU_PORTAL" => portal.map(str::to_string),
            _ => None,
        });
        AppSettings::new(mode, os, env)
    }

    fn total(path: &Path) -> u32 {
        Desk::open(path)
            .expect("open")
            .journal(&JournalQuery::default())
            .expect("journal")
            .total
    }

    #[test]
    fn a_production_start_never_writes_demo_data() {
        let tmp = tempfile::tempdir().expect("tempdir");
        // No portal anywhere: the first-run screen, and no journal is made.
        let first = start(tmp.path(), Mode::Production, None);
        assert_eq!(
            prepare(&first).expect("first run").code,
            "FIRST_RUN_REQUIRED"
        );
        assert!(!first.journal_file().exists());

        // A demo start writes its demo journal, in its own file.
        let demo = start(tmp.path(), Mode::Demo, None);
        assert_ne!(demo.journal_file(), first.journal_file());
        assert!(prepare(&demo).is_none());
        assert!(total(&demo.journal_file()) > 0);

        // A configured start prepares the real journal, empty until the portal fills it.
        let real = start(tmp.path(), Mode::Production, Some("http://127.0.0.1:9"));
        assert!(prepare(&real).is_none());
        assert_eq!(real.journal_file(), first.journal_file());
        assert_eq!(total(&real.journal_file()), 0);

        // The next start backs it up first, into the data folder's backups.
        assert!(prepare(&real).is_none());
        let backups = real.loaded().settings.backups_dir();
        assert_eq!(desk::backup::daily_backups(&backups).len(), 1);
        assert!(latest_backup(&real).is_some());
    }

    #[test]
    fn every_error_code_the_shell_gives_has_kk_and_ru_text() {
        let catalogue = desk::catalogue();
        for code in [
            "DB_IO",
            "DB_NOT_A_DATABASE",
            "DB_NEWER_THAN_APP",
            "FIRST_RUN_REQUIRED",
        ] {
            let entry = catalogue.errors.iter().find(|e| e.key == code);
            assert!(
                entry.is_some_and(|e| !e.kk.is_empty() && !e.ru.is_empty()),
                "{code}"
            );
        }
    }

    #[test]
    fn the_stamp_of_a_restore_sorts_by_time() {
        let t = time::macros::datetime!(2026-12-01 09:05:03 UTC);
        assert_eq!(restore_stamp(t), "20261201T090503Z");
    }
}
