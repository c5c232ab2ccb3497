//! Backups of the journal (issue 13): one a day before the journal is opened (the
//! newest 7 kept), one before a newer app migrates an older journal (kept), `qabyldau
//! backup` / `restore`, and the latest backup offered when the journal is damaged.
//!
//! Backups of a closed journal are copies of its files (the main file and, after a
//! crash, its `-wal`): whatever the file's encryption is, the copy has it. A backup of
//! an open journal is SQLite's online backup ([`Desk::backup_to`]).

use std::path::{Path, PathBuf};

use time::Date;

use crate::{Desk, Error};

/// Daily backups kept.
pub const KEEP_DAILY: usize = 7;
const DAILY_PREFIX: &str = "journal-";
const UPGRADE_PREFIX: &str = "journal-before-v";

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::JournalUnreachable {
        detail: format!("{}: {e}", path.display()),
    }
}

fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push("-wal");
    PathBuf::from(name)
}

fn shm_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push("-shm");
    PathBuf::from(name)
}

/// The office's calendar day of `now` (UTC+5): a backup is named after it.
pub fn office_day(now: time::OffsetDateTime) -> Date {
    now.to_offset(store::OFFICE_OFFSET).date()
}

/// `journal-2026-12-01.sqlite`.
pub fn daily_name(day: Date) -> String {
    format!("{DAILY_PREFIX}{day}.sqlite")
}

/// The day of a daily backup's file name, if it is one.
fn day_of(name: &str) -> Option<Date> {
    let day = name.strip_prefix(DAILY_PREFIX)?.strip_suffix(".sqlite")?;
    Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The daily backups in `dir`, newest first.
pub fn daily_backups(dir: &Path) -> Vec<(Date, PathBuf)> {
    let mut found: Vec<(Date, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            day_of(&name).map(|d| (d, e.path()))
        })
        .collect();
    found.sort_by_key(|(day, _)| std::cmp::Reverse(*day));
    found
}

/// The newest backup of any kind in `dir` (what the window offers for a damaged journal).
pub fn latest_backup(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(DAILY_PREFIX) && name.ends_with(".sqlite")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max_by_key(|(modified, _)| *modified)
        .map(|(_, p)| p)
}

/// Copies a closed journal's files to `dest` (through a temporary name).
fn copy_closed(journal: &Path, dest: &Path) -> Result<(), Error> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let partial = dest.with_extension("partial");
    std::fs::copy(journal, &partial).map_err(|e| io(journal, e))?;
    let wal = wal_of(journal);
    let _ = std::fs::remove_file(wal_of(dest));
    if wal.exists() {
        std::fs::copy(&wal, wal_of(dest)).map_err(|e| io(&wal, e))?;
    }
    std::fs::rename(&partial, dest).map_err(|e| io(dest, e))
}

/// What [`before_open`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupsTaken {
    pub daily: Option<PathBuf>,
    /// The journal was of an older schema: this copy was taken before the migration.
    pub before_upgrade: Option<PathBuf>,
    pub removed: Vec<PathBuf>,
}

/// Run before the window opens an existing journal: the day's backup if there is none
/// yet, a kept backup before an upgrade, and the daily ones beyond [`KEEP_DAILY`]
/// removed. Nothing happens for a journal that does not exist yet.
pub fn before_open(journal: &Path, dir: &Path, today: Date) -> Result<BackupsTaken, Error> {
    let mut taken = BackupsTaken::default();
    if !journal.is_file() {
        return Ok(taken);
    }
    // A file whose schema cannot be read (not SQLite, damaged) is copied by the daily
    // backup as it is and refused by the store afterwards, never migrated.
    if let Ok(found) = store::schema_version(journal) {
        let latest = store::latest_schema_version();
        if found < latest {
            let dest = dir.join(format!("{UPGRADE_PREFIX}{latest}-{today}.sqlite"));
            if !dest.exists() {
                copy_closed(journal, &dest)?;
            }
            taken.before_upgrade = Some(dest);
        }
    }
    let dest = dir.join(daily_name(today));
    if !dest.exists() {
        copy_closed(journal, &dest)?;
        taken.daily = Some(dest);
    }
    for (_, old) in daily_backups(dir).into_iter().skip(KEEP_DAILY) {
        let _ = std::fs::remove_file(wal_of(&old));
        if std::fs::remove_file(&old).is_ok() {
            taken.removed.push(old);
        }
    }
    Ok(taken)
}

impl Desk {
    /// A consistent copy of the open journal (SQLite online backup).
    pub fn backup_to(&self, dest: &Path) -> Result<(), Error> {
        Ok(self.store().backup_to(dest)?)
    }
}

/// Replaces the journal at `db` by the backup `from`. The backup is first copied and
/// opened on its own (checked, and migrated if it is older); only then is the current
/// journal moved aside (returned: `<db>.before-restore-<stamp>`) and the copy put in
/// its place. A file that is not a sound journal changes nothing.
pub fn restore(db: &Path, from: &Path, stamp: &str) -> Result<Option<PathBuf>, Error> {
    if !from.is_file() {
        return Err(Error::BackupNotFound {
            path: from.display().to_string(),
        });
    }
    let restoring = db.with_extension("restoring");
    let _ = std::fs::remove_file(&restoring);
    let _ = std::fs::remove_file(wal_of(&restoring));
    copy_closed(from, &restoring)?;
    match Desk::open(&restoring) {
        Ok(desk) => drop(desk),
        Err(e) => {
            let _ = std::fs::remove_file(&restoring);
            let _ = std::fs::remove_file(wal_of(&restoring));
            let _ = std::fs::remove_file(shm_of(&restoring));
            return Err(Error::RestoreSourceInvalid {
                path: from.display().to_string(),
                code: e.code(),
            });
        }
    }
    let kept = if db.exists() {
        let aside = PathBuf::from(format!("{}.before-restore-{stamp}", db.display()));
        std::fs::rename(db, &aside).map_err(|e| io(db, e))?;
        for (side, aside_side) in [(wal_of(db), wal_of(&aside)), (shm_of(db), shm_of(&aside))] {
            if side.exists() {
                std::fs::rename(&side, &aside_side).map_err(|e| io(&side, e))?;
            }
        }
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&restoring, db).map_err(|e| io(db, e))?;
    let _ = std::fs::remove_file(shm_of(&restoring));
    if wal_of(&restoring).exists() {
        std::fs::rename(wal_of(&restoring), wal_of(db)).map_err(|e| io(db, e))?;
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn journal(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        crate::demo_data::fill(
            &path,
            &crate::demo_data::DemoFill {
                seed: 3,
                applications: 12,
            },
        )
        .unwrap();
        path
    }

    #[test]
    fn one_backup_a_day_and_seven_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = journal(dir.path(), "journal.sqlite");
        let backups = dir.path().join("backups");
        let first = before_open(&db, &backups, date!(2026 - 11 - 20)).unwrap();
        assert_eq!(first.daily, Some(backups.join("journal-2026-11-20.sqlite")));
        assert_eq!(
            first.before_upgrade, None,
            "the journal is of this app's schema"
        );
        let again = before_open(&db, &backups, date!(2026 - 11 - 20)).unwrap();
        assert_eq!(again.daily, None, "the day already has its backup");
        for day in 21..=30 {
            let d = Date::from_calendar_date(2026, time::Month::November, day).unwrap();
            before_open(&db, &backups, d).unwrap();
        }
        let kept: Vec<Date> = daily_backups(&backups)
            .into_iter()
            .map(|(d, _)| d)
            .collect();
        assert_eq!(kept.len(), KEEP_DAILY);
        assert_eq!(kept[0], date!(2026 - 11 - 30));
        assert_eq!(kept[6], date!(2026 - 11 - 24));
        let backup = Desk::open(&backups.join("journal-2026-11-30.sqlite")).unwrap();
        assert_eq!(
            backup
                .journal(&crate::views::JournalQuery::default())
                .unwrap()
                .total,
            12
        );
    }

    #[test]
    fn an_older_journal_is_backed_up_before_it_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("journal.sqlite");
        drop(store::Store::open_with(&db, &store::MIGRATIONS[..2]).unwrap());
        let backups = dir.path().join("backups");
        let taken = before_open(&db, &backups, date!(2026 - 12 - 01)).unwrap();
        let kept = taken.before_upgrade.expect("backup before the upgrade");
        assert_eq!(store::schema_version(&kept).unwrap(), 2);
        Desk::open(&db).unwrap();
        assert_eq!(
            store::schema_version(&db).unwrap(),
            store::latest_schema_version()
        );
        assert_eq!(
            store::schema_version(&kept).unwrap(),
            2,
            "the backup stays old"
        );
    }

    #[test]
    fn restore_puts_a_sound_backup_in_place_and_keeps_the_journal_it_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let db = journal(dir.path(), "journal.sqlite");
        let backup = dir.path().join("copy.sqlite");
        Desk::open(&db).unwrap().backup_to(&backup).unwrap();
        // The journal is damaged afterwards.
        std::fs::write(&db, b"garbage where the journal was").unwrap();
        assert_eq!(Desk::open(&db).unwrap_err().code(), "DB_NOT_A_DATABASE");
        let kept = restore(&db, &backup, "20261201T0900").unwrap().unwrap();
        assert_eq!(
            std::fs::read(&kept).unwrap(),
            b"garbage where the journal was"
        );
        let restored = Desk::open(&db).unwrap();
        assert_eq!(
            restored
                .journal(&crate::views::JournalQuery::default())
                .unwrap()
                .total,
            12
        );
    }

    #[test]
    fn restore_from_something_that_is_not_a_journal_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = journal(dir.path(), "journal.sqlite");
        let before = std::fs::read(&db).unwrap();
        let bad = dir.path().join("bad.sqlite");
        std::fs::write(&bad, vec![7u8; 4096]).unwrap();
        assert_eq!(
            restore(&db, &bad, "x").unwrap_err().code(),
            "RESTORE_SOURCE_INVALID"
        );
        assert_eq!(
            restore(&db, &dir.path().join("missing.sqlite"), "x")
                .unwrap_err()
                .code(),
            "BACKUP_NOT_FOUND"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before);
        assert!(!db.with_extension("restoring").exists());
    }
}
