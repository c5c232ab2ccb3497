//! What the settings screen, the first-run screen and the about box show (views: the
//! only settings types that cross to the UI).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AuditEntry, Loaded, ModuleList, PortalUrl, modules::ModuleOrigin};

/// The app's version and build, for the about box and `qabyldau --version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AboutView {
    pub version: String,
    pub commit: String,
    pub build_date: String,
}

impl AboutView {
    /// `0.1.0 (commit 1a2b3c4, built 2026-12-01)`.
    pub fn line(&self) -> String {
        format!(
            "{} (commit {}, built {})",
            self.version, self.commit, self.build_date
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ModuleView {
    /// What the UI sends back (never a path).
    pub id: String,
    /// Shown to the clerk and the IT person.
    pub path: String,
    pub vendor: Option<String>,
    /// `found` (a vendor's usual path) or `configured`.
    pub origin: String,
    pub present: bool,
    /// Added on the settings screen: the clerk may remove it.
    pub removable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettingsProblemView {
    /// `file`, `environment`, `screen`.
    pub source: String,
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettingsAuditView {
    pub changed_at: String,
    pub clerk_iin: String,
    pub setting: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// Everything the settings screen shows. Each `*_source` is `default`, `file`,
/// `environment` or `screen`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SettingsView {
    pub portal_url: String,
    pub portal_url_source: String,
    /// `application`, `kk` or `ru`.
    pub receipt_language: String,
    pub receipt_language_source: String,
    pub lock_timeout_minutes: u32,
    pub lock_timeout_source: String,
    pub data_dir: String,
    pub journal_file: String,
    pub config_file: String,
    pub modules: Vec<ModuleView>,
    pub problems: Vec<SettingsProblemView>,
    /// The configuration file could not be read (nothing is saved until it is fixed).
    pub file_error: Option<SettingsProblemView>,
    /// The file was upgraded from this version on this start; the old one kept here.
    pub upgraded_from: Option<i64>,
    pub upgraded_kept_as: Option<String>,
    /// No portal configured: the first-run screen.
    pub first_run: bool,
    /// Started with `--demo`: the demo journal and portal, never the real ones.
    pub demo: bool,
    pub history: Vec<SettingsAuditView>,
    pub about: AboutView,
}

/// What the settings screen sends on «save».
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct SettingsInput {
    pub portal_url: String,
    pub receipt_language: String,
    pub lock_timeout_minutes: String,
    /// Ids of modules added on the screen to remove.
    pub remove_modules: Vec<String>,
}

/// The answer of the portal «check».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PortalCheckView {
    pub url: String,
    /// The portal answered.
    pub reachable: bool,
    /// https with a certificate this computer trusts (`false` for http to this computer).
    pub tls_ok: bool,
    pub region_kk: Option<String>,
    pub region_ru: Option<String>,
    /// Why not, as a catalogue code (`PORTAL_UNREACHABLE`, `PORTAL_TLS_FAILED`, …).
    pub code: Option<String>,
}

fn problem_view(p: &super::Problem) -> SettingsProblemView {
    SettingsProblemView {
        source: p.source.as_str().to_string(),
        code: p.code.to_string(),
        detail: p.detail.clone(),
    }
}

pub fn module_views(loaded: &Loaded, modules: &ModuleList) -> Vec<ModuleView> {
    modules
        .all()
        .iter()
        .map(|m| ModuleView {
            id: m.id.clone(),
            path: m.path.display().to_string(),
            vendor: m.vendor.map(str::to_string),
            origin: match m.origin {
                ModuleOrigin::Found { .. } => "found",
                ModuleOrigin::Configured => "configured",
            }
            .to_string(),
            present: m.present,
            removable: loaded.settings.screen_modules.contains(&m.path),
        })
        .collect()
}

pub fn settings_view(
    loaded: &Loaded,
    modules: &ModuleList,
    demo: bool,
    history: Vec<AuditEntry>,
    about: AboutView,
) -> SettingsView {
    let s = &loaded.settings;
    SettingsView {
        portal_url: s
            .portal_url
            .as_ref()
            .map(PortalUrl::as_str)
            .unwrap_or("")
            .to_string(),
        portal_url_source: s.portal_url_source.as_str().into(),
        receipt_language: s.receipt_language.as_str().into(),
        receipt_language_source: s.receipt_language_source.as_str().into(),
        lock_timeout_minutes: s.lock_timeout_minutes,
        lock_timeout_source: s.lock_timeout_source.as_str().into(),
        data_dir: s.data_dir.display().to_string(),
        journal_file: s.journal_file.display().to_string(),
        config_file: s.config_file.display().to_string(),
        modules: module_views(loaded, modules),
        problems: loaded.problems.iter().map(problem_view).collect(),
        file_error: loaded.file_error.as_ref().map(problem_view),
        upgraded_from: loaded.upgraded.as_ref().map(|u| u.from_version),
        upgraded_kept_as: loaded
            .upgraded
            .as_ref()
            .map(|u| u.kept_as.display().to_string()),
        first_run: s.first_run(),
        demo,
        history: history
            .into_iter()
            .map(|h| SettingsAuditView {
                changed_at: h.changed_at,
                clerk_iin: h.clerk_iin,
                setting: h.setting,
                old_value: h.old_value,
                new_value: h.new_value,
            })
            .collect(),
        about,
    }
}

/// Checks a portal address the clerk typed: reachable, TLS, and the region when the
/// portal tells it (its reference lists need a sign-in: then the region is shown after
/// sign-in).
pub fn check_portal(url: &str) -> PortalCheckView {
    let fail = |code: &str| PortalCheckView {
        url: url.to_string(),
        reachable: false,
        tls_ok: false,
        region_kk: None,
        region_ru: None,
        code: Some(code.to_string()),
    };
    let parsed = match PortalUrl::parse(url) {
        Ok(u) => u,
        Err(e) => return fail(e.code()),
    };
    let https = parsed.as_str().starts_with("https://");
    let config = sync::ClientConfig {
        connect_timeout: std::time::Duration::from_secs(3),
        request_timeout: std::time::Duration::from_secs(5),
        ..sync::ClientConfig::default()
    };
    let answer = crate::sync_signin::block_on(async {
        let client = sync::PortalClient::new(parsed.as_str(), &config)?;
        client.reference().await
    });
    let mut view = PortalCheckView {
        url: parsed.as_str().to_string(),
        reachable: true,
        tls_ok: https,
        region_kk: None,
        region_ru: None,
        code: None,
    };
    match answer {
        Ok(reference) => {
            view.region_kk = Some(reference.region_name_kk);
            view.region_ru = Some(reference.region_name_ru);
        }
        Err(e)
            if matches!(
                e.class(),
                sync::ErrorClass::SignIn | sync::ErrorClass::Refused
            ) => {}
        Err(e) => {
            // The request failed but the server takes connections: the TLS handshake
            // (or the certificate) is what failed.
            let tls_failed = https && tcp_answers(parsed.as_str());
            return fail(if tls_failed {
                "PORTAL_TLS_FAILED"
            } else {
                e.code()
            });
        }
    }
    view
}

fn tcp_answers(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    let Ok(addrs) = url.socket_addrs(|| None) else {
        return false;
    };
    addrs
        .iter()
        .any(|a| std::net::TcpStream::connect_timeout(a, std::time::Duration::from_secs(2)).is_ok())
}

impl From<&SettingsInput> for super::SettingsEdit {
    fn from(i: &SettingsInput) -> super::SettingsEdit {
        super::SettingsEdit {
            portal_url: i.portal_url.clone(),
            receipt_language: i.receipt_language.clone(),
            lock_timeout_minutes: i.lock_timeout_minutes.clone(),
            add_module: None,
            remove_modules: i.remove_modules.clone(),
        }
    }
}
