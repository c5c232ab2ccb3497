//! Backups of the journal (issue 13): one a day before the journal is opened (the
//! newest 7 kept), one before a newer app migrates an older journal (kept), `qabyldau
//! backup` / `restore`, and the latest backup offered when the journal is damaged.
//!
//! Backups of a closed journal are copies of its files (the main file, after a crash its
//! `-wal`, and the key file `*.keys` beside an encrypted one): the copy keeps the
//! journal's encryption, and the clerks' envelopes that open it come along. A backup of
//! an open journal is a consistent copy made by the store ([`Desk::backup_to`]),
//! encrypted with the journal's own key. A backup is restored only after it has been
//! opened on its own ([`restore`]): with the clerk's key for an encrypted one.

use std::path::{Path, PathBuf};

use time::Date;

use crate::vault::{self, JournalKey};
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

/// The office's calendar day of `now` (`domain::office_time`): a backup is named after it.
pub fn office_day(now: time::OffsetDateTime) -> Date {
    domain::office_day(now)
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

/// Copies a file with the journal's owner-only mode (a backup holds what the journal does).
fn copy_private(from: &Path, to: &Path) -> Result<(), Error> {
    let _ = std::fs::remove_file(to);
    store::create_private(to)?;
    let bytes = std::fs::read(from).map_err(|e| io(from, e))?;
    std::fs::write(to, bytes).map_err(|e| io(to, e))
}

/// Copies the key file of `journal` (if it has one) beside `dest`, else removes a stale one.
fn copy_keys(journal: &Path, dest: &Path) -> Result<(), Error> {
    let keys = vault::keys_path(journal);
    let dest_keys = vault::keys_path(dest);
    if keys.exists() {
        copy_private(&keys, &dest_keys)
    } else {
        let _ = std::fs::remove_file(dest_keys);
        Ok(())
    }
}

/// Copies a closed journal's files to `dest` (through a temporary name).
fn copy_closed(journal: &Path, dest: &Path) -> Result<(), Error> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let partial = dest.with_extension("partial");
    copy_private(journal, &partial)?;
    let wal = wal_of(journal);
    let _ = std::fs::remove_file(wal_of(dest));
    if wal.exists() {
        copy_private(&wal, &wal_of(dest))?;
    }
    copy_keys(journal, dest)?;
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
        let _ = std::fs::remove_file(vault::keys_path(&old));
        if std::fs::remove_file(&old).is_ok() {
            taken.removed.push(old);
        }
    }
    Ok(taken)
}

/// Before an encrypted journal is opened with its key (the sign-in): a kept copy when it
/// is of an older schema, so the migration that follows can be undone. `None` when the
/// journal is of this app's schema (or missing).
pub fn before_migration(
    journal: &Path,
    key: &JournalKey,
    dir: &Path,
    today: Date,
) -> Result<Option<PathBuf>, Error> {
    if !journal.is_file() || store::file_kind(journal)? != store::FileKind::Opaque {
        return Ok(None);
    }
    let found = store::schema_version_keyed(journal, key)?;
    let latest = store::latest_schema_version();
    if found >= latest {
        return Ok(None);
    }
    let dest = dir.join(format!("{UPGRADE_PREFIX}{latest}-{today}.sqlite"));
    if !dest.exists() {
        copy_closed(journal, &dest)?;
    }
    Ok(Some(dest))
}

impl Desk {
    /// A consistent copy of the open journal at `dest`, also while the window works on
    /// it. `key` is the key the journal was opened with (`None`: a plaintext journal):
    /// the copy is encrypted with it, and the journal's key file is copied beside it
    /// (`vault::keys_path(dest)`), so the clerks who open the journal open the copy.
    pub fn backup_to(&self, dest: &Path, key: Option<&JournalKey>) -> Result<(), Error> {
        self.store().backup_to(dest, key)?;
        copy_keys(self.store().path(), dest)
    }
}

/// `<dir>/<stem>.<what>.sqlite`: a name beside the journal whose key file
/// (`vault::keys_path`) is not the journal's own.
fn sibling(db: &Path, what: &str) -> PathBuf {
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".into());
    db.with_file_name(format!("{stem}.{what}.sqlite"))
}

fn remove_journal_files(path: &Path) {
    for p in [
        path.to_path_buf(),
        wal_of(path),
        shm_of(path),
        vault::keys_path(path),
    ] {
        let _ = std::fs::remove_file(p);
    }
}

/// How [`restore`] opens the copy of the backup to check it before anything is replaced:
/// a plaintext journal as it is; an encrypted one with the key its own key file gives.
pub enum RestoreCheck<'a> {
    Plaintext,
    /// The key from the backup's key file (e.g. `vault::unlock` with the clerk's
    /// password, as the CLI does), or the journal's key the window holds.
    Encrypted(&'a dyn Fn(&Path) -> Result<JournalKey, Error>),
}

impl std::fmt::Debug for RestoreCheck<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RestoreCheck::Plaintext => "Plaintext",
            RestoreCheck::Encrypted(_) => "Encrypted(…)",
        })
    }
}

/// Replaces the journal at `db` by the backup `from` (with its key file). The backup is
/// first copied and opened on its own (checked, and migrated if it is older: `check`
/// says how it is opened); only then are the current journal and its key file moved
/// aside (returned: `<db>.before-restore-<stamp>`, its key file beside it) and the copy
/// put in their place. A file that is not a sound journal, or that the clerk's key does
/// not open, changes nothing.
pub fn restore(
    db: &Path,
    from: &Path,
    stamp: &str,
    check: RestoreCheck<'_>,
) -> Result<Option<PathBuf>, Error> {
    if !from.is_file() {
        return Err(Error::BackupNotFound {
            path: from.display().to_string(),
        });
    }
    let restoring = sibling(db, "restoring");
    remove_journal_files(&restoring);
    copy_closed(from, &restoring)?;
    let opened = match check {
        RestoreCheck::Plaintext => Desk::open(&restoring).map(drop),
        RestoreCheck::Encrypted(key_of) => {
            key_of(&restoring).and_then(|key| Desk::open_encrypted(&restoring, &key).map(drop))
        }
    };
    if let Err(e) = opened {
        remove_journal_files(&restoring);
        return Err(match e {
            // The clerk's own words for a wrong password or a journal not theirs.
            e @ (Error::WrongPassword { .. }
            | Error::SignInWait { .. }
            | Error::ClerkNotEnrolled) => e,
            e => Error::RestoreSourceInvalid {
                path: from.display().to_string(),
                code: e.code(),
            },
        });
    }
    let kept = if db.exists() {
        let aside = PathBuf::from(format!("{}.before-restore-{stamp}", db.display()));
        std::fs::rename(db, &aside).map_err(|e| io(db, e))?;
        for (side, aside_side) in [
            (wal_of(db), wal_of(&aside)),
            (shm_of(db), shm_of(&aside)),
            (vault::keys_path(db), vault::keys_path(&aside)),
        ] {
            if side.exists() {
                std::fs::rename(&side, &aside_side).map_err(|e| io(&side, e))?;
            }
        }
        Some(aside)
    } else {
        None
    };
    let _ = std::fs::remove_file(shm_of(&restoring));
    for (side, in_place) in [
        (wal_of(&restoring), wal_of(db)),
        (vault::keys_path(&restoring), vault::keys_path(db)),
    ] {
        if side.exists() {
            std::fs::rename(&side, &in_place).map_err(|e| io(&side, e))?;
        }
    }
    std::fs::rename(&restoring, db).map_err(|e| io(db, e))?;
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
        Desk::open(&db).unwrap().backup_to(&backup, None).unwrap();
        // The journal is damaged afterwards.
        std::fs::write(&db, b"garbage where the journal was").unwrap();
        assert_eq!(Desk::open(&db).unwrap_err().code(), "DB_NOT_A_DATABASE");
        let kept = restore(&db, &backup, "20261201T0900", RestoreCheck::Plaintext)
            .unwrap()
            .unwrap();
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
            restore(&db, &bad, "x", RestoreCheck::Plaintext)
                .unwrap_err()
                .code(),
            "RESTORE_SOURCE_INVALID"
        );
        assert_eq!(
            restore(
                &db,
                &dir.path().join("missing.sqlite"),
                "x",
                RestoreCheck::Plaintext
            )
            .unwrap_err()
            .code(),
            "BACKUP_NOT_FOUND"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before);
        assert!(!sibling(&db, "restoring").exists());
    }
}
