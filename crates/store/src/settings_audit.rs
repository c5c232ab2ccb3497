//! The settings screen's changes (issue 13, migration 0008): append-only, one row per
//! setting changed, with the clerk who changed it and when.

use rusqlite::params;

use crate::{Error, Store};

/// One changed setting, as text (the desk decides how each value is written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsChange {
    pub setting: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// A recorded change, newest first when read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsAuditRecord {
    pub changed_at: String,
    pub clerk_iin: String,
    pub change: SettingsChange,
}

impl Store {
    /// Records the changes of one save, in one transaction.
    pub fn record_settings_changes(
        &mut self,
        changed_at: &str,
        clerk_iin: &str,
        changes: &[SettingsChange],
    ) -> Result<(), Error> {
        let tx = self.write_transaction()?;
        for c in changes {
            tx.execute(
                "INSERT INTO settings_audit(changed_at, clerk_iin, setting, old_value, new_value)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![changed_at, clerk_iin, c.setting, c.old_value, c.new_value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The latest `limit` changes, newest first.
    pub fn settings_audit(&self, limit: u32) -> Result<Vec<SettingsAuditRecord>, Error> {
        let mut stmt = self.conn().prepare(
            "SELECT changed_at, clerk_iin, setting, old_value, new_value
             FROM settings_audit ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit], |r| {
            Ok(SettingsAuditRecord {
                changed_at: r.get(0)?,
                clerk_iin: r.get(1)?,
                change: SettingsChange {
                    setting: r.get(2)?,
                    old_value: r.get(3)?,
                    new_value: r.get(4)?,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_kept_newest_first_and_never_edited() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("j.sqlite")).unwrap();
        let change = |s: &str, old: Option<&str>, new: &str| SettingsChange {
            setting: s.into(),
            old_value: old.map(str::to_string),
            new_value: Some(new.into()),
        };
        store
            .record_settings_changes(
                "2026-12-01T09:00:00Z",
                "870412300227",
                &[change("receipt_language", None, "kk")],
            )
            .unwrap();
        store
            .record_settings_changes(
                "2026-12-01T09:05:00Z",
                "870412300227",
                &[change("lock_timeout_minutes", Some("10"), "5")],
            )
            .unwrap();
        let read = store.settings_audit(10).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].change.setting, "lock_timeout_minutes");
        assert_eq!(read[1].change.new_value.as_deref(), Some("kk"));
        for sql in [
            "UPDATE settings_audit SET new_value = 'ru'",
            "DELETE FROM settings_audit",
        ] {
            assert!(store.conn().execute(sql, []).is_err(), "{sql}");
        }
    }
}
