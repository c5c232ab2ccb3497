//! Which journal file the window opens (issue 13). With `--demo`, the demo journal (its
//! own file, never the real one: filled with demo data on its first start, or empty
//! when a demo portal is given). Without it, the real journal: none is made before a
//! portal is configured (the first-run screen), a daily backup is taken before it is
//! opened (and a kept one before an older journal is migrated), and a damaged journal
//! is refused with the latest backup offered, never overwritten.

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
    UiError {
        code: "FIRST_RUN_REQUIRED".to_string(),
        kk: "Алдымен порталдың мекенжайын көрсетіңіз.".to_string(),
        ru: "Сначала укажите адрес портала.".to_string(),
        detail: Some("no portal configured yet".to_string()),
        fields: Vec::new(),
    }
}

/// Opens this start's journal.
pub fn open(settings: &AppSettings) -> Result<Desk, UiError> {
    let path = settings.journal_file();
    match settings.mode {
        Mode::Demo if settings.portal_url().is_some() => open_or_create_empty(&path),
        Mode::Demo => open_at(&path, &FIRST_START_DEMO),
        Mode::Production if settings.portal_url().is_none() => Err(first_run_required()),
        Mode::Production => {
            let today = desk::backup::office_day(time::OffsetDateTime::now_utc());
            // A backup that cannot be taken (a full disk) does not keep the clerk out;
            // the journal itself is never written by this step.
            if let Err(e) =
                desk::backup::before_open(&path, &settings.loaded().settings.backups_dir(), today)
            {
                eprintln!("qabyldau-app: no backup taken before opening the journal: {e}");
            }
            open_or_create_empty(&path)
        }
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

/// The backup the window offers for a journal it cannot open (its file name), if any.
#[tauri::command(async)]
pub fn journal_latest_backup(settings: tauri::State<'_, AppSettings>) -> Option<String> {
    latest_backup(&settings).and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
}

/// «Restore from the backup»: the latest backup replaces the journal (the journal it
/// replaces is kept beside it), then the window starts again on it.
#[tauri::command(async)]
pub fn journal_restore_latest(
    app: tauri::AppHandle,
    settings: tauri::State<'_, AppSettings>,
) -> Result<(), UiError> {
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
    let now = time::OffsetDateTime::now_utc();
    let stamp = format!(
        "{}{:02}{:02}T{:02}{:02}{:02}",
        now.year(),
        now.month() as u8,
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    desk::backup::restore(&settings.journal_file(), &backup, &stamp).map_err(UiError::from)?;
    app.restart();
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
    use crate::commands::OpenJournal;
    use desk::views::JournalQuery;

    #[test]
    fn a_missing_journal_becomes_a_demo_journal_the_commands_read() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("nested").join("journal.sqlite");
        let demo = DemoFill {
            seed: 7,
            applications: 40,
        };
        let journal = OpenJournal::from(open_at(&path, &demo));
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
        let again = OpenJournal::from(open_at(&path, &demo));
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

        let journal = OpenJournal::from(open_at(
            &path,
            &DemoFill {
                seed: 1,
                applications: 10,
            },
        ));
        let err = journal
            .journal(&JournalQuery::default())
            .expect_err("refused");
        assert_eq!(err.code, "DB_NOT_A_DATABASE");
        // Every command gives the same clear error, so the window can show it.
        assert_eq!(
            journal.status_bar().expect_err("refused").code,
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

    #[test]
    fn a_production_start_never_writes_demo_data() {
        let tmp = tempfile::tempdir().expect("tempdir");
        // No portal anywhere: the first-run screen, and no journal is made.
        let first = start(tmp.path(), Mode::Production, None);
        assert_eq!(
            open(&first).expect_err("first run").code,
            "FIRST_RUN_REQUIRED"
        );
        assert!(!first.journal_file().exists());

        // A demo start writes its demo journal, in its own file.
        let demo = start(tmp.path(), Mode::Demo, None);
        assert_ne!(demo.journal_file(), first.journal_file());
        let journal = OpenJournal::from(open(&demo));
        assert!(
            journal
                .journal(&JournalQuery::default())
                .expect("demo")
                .total
                > 0
        );

        // A configured start opens the real journal, empty until the portal fills it.
        let real = start(tmp.path(), Mode::Production, Some("http://127.0.0.1:9"));
        let journal = OpenJournal::from(open(&real));
        assert_eq!(
            journal
                .journal(&JournalQuery::default())
                .expect("real")
                .total,
            0
        );
        assert_eq!(real.journal_file(), first.journal_file());

        // The next start backs it up first, into the data folder's backups.
        drop(journal);
        let again = OpenJournal::from(open(&real));
        assert!(again.journal(&JournalQuery::default()).is_ok());
        let backups = real.loaded().settings.backups_dir();
        assert_eq!(desk::backup::daily_backups(&backups).len(), 1);
        assert!(latest_backup(&real).is_some());
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
