//! What this desk remembers of its sign-ins outside the journal, so the sign-in view can
//! be shown before any journal is open: the district or city chosen, the region's
//! list from the portal's last reference, and which clerks signed in online here (their
//! IIN and name: the offline sign-in is offered to them only). No password, no token,
//! nothing of an application. A JSON file beside the journal, written whole and
//! atomically, readable by its owner only.

use std::path::{Path, PathBuf};

use domain::Iin;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::views::DistrictView;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownClerk {
    pub iin: String,
    pub name: String,
    /// RFC 3339 of the last online sign-in here.
    pub last_online: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskProfile {
    #[serde(default)]
    pub district_id: Option<String>,
    #[serde(default)]
    pub districts: Vec<DistrictView>,
    /// Most recent first.
    #[serde(default)]
    pub clerks: Vec<KnownClerk>,
}

/// `journal.sqlite` → `journal.sqlite.signin.json`.
pub fn profile_path(journal: &Path) -> PathBuf {
    let mut name = journal.file_name().unwrap_or_default().to_os_string();
    name.push(".signin.json");
    journal.with_file_name(name)
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::JournalUnreachable {
        detail: format!("{}: {e}", path.display()),
    }
}

impl DeskProfile {
    /// The profile of the journal at `journal`; an absent or unreadable file is an empty
    /// profile (it holds nothing that cannot be learnt again at the next online sign-in).
    pub fn load(journal: &Path) -> DeskProfile {
        std::fs::read(profile_path(journal))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, journal: &Path) -> Result<(), Error> {
        let path = profile_path(journal);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| Error::JournalUnreachable {
            detail: e.to_string(),
        })?;
        let tmp = path.with_extension("json.tmp");
        write_private(&tmp, &bytes).map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))
    }

    pub fn knows(&self, iin: &Iin) -> Option<&KnownClerk> {
        let s = iin.to_string();
        self.clerks.iter().find(|c| c.iin == s)
    }

    /// After an online sign-in: this clerk first in the list, the district kept.
    pub fn remember(&mut self, iin: &Iin, name: &str, at: &str, district_id: &str) {
        let s = iin.to_string();
        self.clerks.retain(|c| c.iin != s);
        self.clerks.insert(
            0,
            KnownClerk {
                iin: s,
                name: name.to_string(),
                last_online: at.to_string(),
            },
        );
        self.district_id = Some(district_id.to_string());
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_keeps_clerks_most_recent_first_and_the_district() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let journal = tmp.path().join("j.sqlite");
        assert_eq!(DeskProfile::load(&journal), DeskProfile::default());
        let a = Iin::parse("900101300017").expect("iin");
        let b = Iin::parse("850505400018").expect("iin");
        let mut p = DeskProfile::default();
        p.remember(&a, "Ахметова Айгүл", "2026-06-01T09:00:00Z", "d-1");
        p.remember(&b, "Петров Иван", "2026-06-01T10:00:00Z", "d-2");
        p.remember(&a, "Ахметова Айгүл", "2026-06-01T11:00:00Z", "d-1");
        p.save(&journal).expect("save");
        let back = DeskProfile::load(&journal);
        assert_eq!(back.clerks.len(), 2);
        assert_eq!(back.clerks[0].iin, a.to_string());
        assert_eq!(back.district_id.as_deref(), Some("d-1"));
        assert!(back.knows(&b).is_some());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(profile_path(&journal))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "readable by its owner only");
        }
    }
}
