//! Changing settings on the settings screen (issue 13): only a signed-in clerk, each
//! changed value recorded in the journal's `settings_audit` (migration 0008), and the
//! screen's layer written to the configuration file.

use std::path::PathBuf;

use domain::Iin;
use store::SettingsChange;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{ConfigFile, Layer, Loaded, OsDirs, Settings, TargetOs, file, resolve};
use crate::{Desk, Error};

/// What the settings screen sends: the values as the clerk left them. Modules are added
/// through the native file dialog (the shell passes the path it got from the dialog,
/// never one from the UI) and removed by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsEdit {
    pub portal_url: String,
    pub receipt_language: String,
    pub lock_timeout_minutes: String,
    pub add_module: Option<PathBuf>,
    pub remove_modules: Vec<String>,
}

fn effective(s: &Settings) -> [(&'static str, Option<String>); 4] {
    [
        (
            "portal_url",
            s.portal_url.as_ref().map(|u| u.as_str().to_string()),
        ),
        (
            "receipt_language",
            Some(s.receipt_language.as_str().to_string()),
        ),
        (
            "lock_timeout_minutes",
            Some(s.lock_timeout_minutes.to_string()),
        ),
        (
            "pkcs11_modules",
            Some(
                s.screen_modules
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
            .filter(|v| !v.is_empty()),
        ),
    ]
}

/// The new file content and the changes it makes, checked: a bad value is refused
/// (nothing is written), a value equal to what the lower layers give is not kept on the
/// screen's layer (so the IT person's later change to the file takes effect again).
pub fn plan_edit(
    os: &OsDirs,
    loaded: &Loaded,
    env: &Layer,
    edit: &SettingsEdit,
    target: TargetOs,
) -> Result<(ConfigFile, Vec<SettingsChange>), Error> {
    if let Some(problem) = &loaded.file_error {
        return Err(Error::SettingsFileInvalid {
            path: os.config_file().display().to_string(),
            detail: problem.detail.clone(),
        });
    }
    let portal = edit.portal_url.trim();
    if !portal.is_empty() {
        super::PortalUrl::parse(portal)?;
    }
    super::ReceiptLanguage::parse(&edit.receipt_language)?;
    super::parse_lock_timeout(&edit.lock_timeout_minutes)?;
    let lower = ConfigFile {
        screen: Layer::default(),
        ..loaded.file.clone()
    };
    let (below, _) = resolve(os, &lower, env, target);
    let keep = |text: &str, lower_value: Option<String>| {
        let text = text.trim();
        (Some(text.to_string()) != lower_value && !text.is_empty()).then(|| text.to_string())
    };
    let mut modules: Vec<String> = loaded
        .settings
        .screen_modules
        .iter()
        .filter(|p| !edit.remove_modules.contains(&super::modules::module_id(p)))
        .map(|p| p.display().to_string())
        .collect();
    if let Some(add) = &edit.add_module {
        let checked = super::check_module_path(&add.display().to_string(), target)?;
        let text = checked.display().to_string();
        if !below.pkcs11_modules.contains(&checked) && !modules.contains(&text) {
            modules.push(text);
        }
    }
    let screen = Layer {
        portal_url: keep(portal, below.portal_url.map(|u| u.as_str().to_string())),
        pkcs11_modules: modules,
        receipt_language: keep(
            &edit.receipt_language,
            Some(below.receipt_language.as_str().to_string()),
        ),
        lock_timeout_minutes: keep(
            &edit.lock_timeout_minutes,
            Some(below.lock_timeout_minutes.to_string()),
        ),
        lock_timeout_seconds: None,
        data_dir: None,
        journal_file: None,
    };
    let next = ConfigFile {
        file: loaded.file.file.clone(),
        screen,
    };
    let (after, _) = resolve(os, &next, env, target);
    let changes = effective(&loaded.settings)
        .into_iter()
        .zip(effective(&after))
        .filter(|((_, old), (_, new))| old != new)
        .map(|((setting, old), (_, new))| SettingsChange {
            setting: setting.to_string(),
            old_value: old,
            new_value: new,
        })
        .collect();
    Ok((next, changes))
}

/// A change in the audit, for the settings screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub changed_at: String,
    pub clerk_iin: String,
    pub setting: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

impl Desk {
    /// Saves the settings screen's edit for the signed-in clerk: the file first, then
    /// the audit; if the audit cannot be written the file is put back, so nothing
    /// changes unrecorded. Returns the changes made (empty: nothing differed).
    pub fn change_settings(
        &mut self,
        os: &OsDirs,
        loaded: &Loaded,
        env: &Layer,
        edit: &SettingsEdit,
        now: OffsetDateTime,
    ) -> Result<Vec<SettingsChange>, Error> {
        let clerk: Iin = self.current_clerk()?;
        let (next, changes) = plan_edit(os, loaded, env, edit, TargetOs::current())?;
        if changes.is_empty() {
            return Ok(changes);
        }
        let path = os.config_file();
        let before = std::fs::read(&path).ok();
        file::write(&path, &next)?;
        let at = now
            .replace_nanosecond(0)
            .unwrap_or(now)
            .format(&Rfc3339)
            .unwrap_or_default();
        let recorded = self
            .store_mut()
            .record_settings_changes(&at, &clerk.to_string(), &changes);
        if let Err(e) = recorded {
            let _ = match before {
                Some(bytes) => std::fs::write(&path, bytes),
                None => std::fs::remove_file(&path),
            };
            return Err(e.into());
        }
        Ok(changes)
    }

    /// The latest settings changes, newest first.
    pub fn settings_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, Error> {
        Ok(self
            .store()
            .settings_audit(limit)?
            .into_iter()
            .map(|r| AuditEntry {
                changed_at: domain::office_time::office_rfc3339_of(&r.changed_at),
                clerk_iin: r.clerk_iin,
                setting: r.change.setting,
                old_value: r.change.old_value,
                new_value: r.change.new_value,
            })
            .collect())
    }
}

/// The first-run screen's choice (no clerk yet: nobody has signed in on this desk): the
/// portal goes into the file's own layer, as if the IT person had written it.
pub fn save_first_run(os: &OsDirs, loaded: &Loaded, portal_url: &str) -> Result<(), Error> {
    if let Some(problem) = &loaded.file_error {
        return Err(Error::SettingsFileInvalid {
            path: os.config_file().display().to_string(),
            detail: problem.detail.clone(),
        });
    }
    let url = super::PortalUrl::parse(portal_url)?;
    let mut next = loaded.file.clone();
    next.file.portal_url = Some(url.as_str().to_string());
    file::write(&os.config_file(), &next)
}
