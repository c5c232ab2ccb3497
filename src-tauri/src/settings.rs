//! The window's settings (issue 13): reads the OS directories, the environment and
//! `--demo`, and passes them to `desk::settings`, where every rule is. Commands of the
//! settings screen, the first-run screen and the about box.

use std::path::PathBuf;
use std::sync::Mutex;

use desk::UiError;
use desk::settings::view::{
    AboutView, PortalCheckView, SettingsInput, SettingsView, check_portal, settings_view,
};
use desk::settings::{Layer, Loaded, ModuleList, OsDirs, SettingsEdit};
use desk::views::TokenView;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::OpenJournal;

/// `--demo`: the demo journal and the demo portal (scripts/run-app, the E2E tests).
pub const DEMO_FLAG: &str = "--demo";

/// How this window was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Demo,
    Production,
}

impl Mode {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Mode {
        if args.into_iter().skip(1).any(|a| a == DEMO_FLAG) {
            Mode::Demo
        } else {
            Mode::Production
        }
    }
}

/// The settings in force for this window.
#[derive(Debug)]
pub struct AppSettings {
    pub mode: Mode,
    pub os: OsDirs,
    pub env: Layer,
    loaded: Mutex<Loaded>,
}

pub fn about() -> AboutView {
    AboutView {
        version: env!("CARGO_PKG_VERSION").to_string(),
        commit: env!("QABYLDAU_COMMIT").to_string(),
        build_date: env!("QABYLDAU_BUILD_DATE").to_string(),
    }
}

impl AppSettings {
    pub fn read(app: &tauri::App, mode: Mode) -> AppSettings {
        let paths = app.path();
        let fallback = || std::env::temp_dir();
        let os = OsDirs::new(
            &paths.config_dir().unwrap_or_else(|_| fallback()),
            &paths.data_dir().unwrap_or_else(|_| fallback()),
        );
        let env = desk::settings::env_layer(|name| std::env::var(name).ok());
        AppSettings::new(mode, os, env)
    }

    /// `os` are the user's own directories; a demo start keeps its configuration and
    /// journal in a `demo` folder inside them, so it never touches the real ones.
    pub fn new(mode: Mode, os: OsDirs, env: Layer) -> AppSettings {
        let os = match mode {
            Mode::Demo => OsDirs {
                config_dir: os.config_dir.join("demo"),
                data_dir: os.data_dir.join("demo"),
            },
            Mode::Production => os,
        };
        let loaded = desk::settings::load(&os, &env);
        AppSettings {
            mode,
            os,
            env,
            loaded: Mutex::new(loaded),
        }
    }

    pub fn loaded(&self) -> Loaded {
        self.loaded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn reload(&self) {
        *self.loaded.lock().unwrap_or_else(|p| p.into_inner()) =
            desk::settings::load(&self.os, &self.env);
    }

    pub fn demo(&self) -> bool {
        self.mode == Mode::Demo
    }

    /// The portal of this start: in demo, only the one the environment names (portal-sim
    /// from scripts/run-app); otherwise the settings'.
    pub fn portal_url(&self) -> Option<String> {
        let loaded = self.loaded();
        match self.mode {
            Mode::Demo => self.env.portal_url.clone(),
            Mode::Production => loaded.settings.portal_url.map(|u| u.as_str().to_string()),
        }
    }

    /// The journal of this start (`QABYLDAU_DB`, else in the data folder: the demo one
    /// in its own folder, never the real one).
    pub fn journal_file(&self) -> PathBuf {
        self.loaded().settings.journal_file
    }

    /// The PKCS#11 modules the desk may load: configured and found.
    pub fn modules(&self) -> ModuleList {
        self.loaded().settings.modules()
    }

    pub fn receipt_language(&self) -> desk::settings::ReceiptLanguage {
        self.loaded().settings.receipt_language
    }

    /// Inactivity after which the desk locks (`QABYLDAU_LOCK_SECONDS` in the environment).
    pub fn lock_after(&self) -> std::time::Duration {
        self.loaded().settings.lock_after
    }
}

fn view(settings: &AppSettings, journal: &OpenJournal) -> Result<SettingsView, UiError> {
    let loaded = settings.loaded();
    // The history needs the journal; the first-run screen has none yet.
    let history = journal.with(|d| d.settings_audit(20)).unwrap_or_default();
    Ok(settings_view(
        &loaded,
        &loaded.settings.modules(),
        settings.demo(),
        history,
        about(),
    ))
}

/// The settings screen (and the first-run screen) as they are now.
#[tauri::command(async)]
pub fn settings_view_get(
    settings: State<'_, AppSettings>,
    journal: State<'_, OpenJournal>,
) -> Result<SettingsView, UiError> {
    view(&settings, &journal)
}

fn save(
    settings: &AppSettings,
    journal: &OpenJournal,
    edit: &SettingsEdit,
) -> Result<SettingsView, UiError> {
    let loaded = settings.loaded();
    let now = time::OffsetDateTime::now_utc();
    journal.with_mut(|d| d.change_settings(&settings.os, &loaded, &settings.env, edit, now))?;
    settings.reload();
    // The lock time applies at once; the portal and the modules at the next start or use.
    journal.session().set_lock_after(settings.lock_after());
    view(settings, journal)
}

/// «Save» on the settings screen: only for a signed-in clerk (`NOT_SIGNED_IN`
/// otherwise), every change audited.
#[tauri::command(async)]
pub fn settings_save(
    settings: State<'_, AppSettings>,
    journal: State<'_, OpenJournal>,
    input: SettingsInput,
) -> Result<SettingsView, UiError> {
    save(&settings, &journal, &SettingsEdit::from(&input))
}

/// «Add a module»: the native file dialog picks the library; its path goes from the
/// dialog into the settings, never through the UI. `None` when cancelled.
#[tauri::command(async)]
pub fn settings_add_module(
    app: AppHandle,
    settings: State<'_, AppSettings>,
    journal: State<'_, OpenJournal>,
    input: SettingsInput,
) -> Result<Option<SettingsView>, UiError> {
    // Only a signed-in clerk gets as far as the dialog.
    journal.with(|d| d.current_clerk())?;
    let extensions: &[&str] = if cfg!(windows) {
        &["dll", "DLL"]
    } else if cfg!(target_os = "macos") {
        &["dylib", "so"]
    } else {
        &["so"]
    };
    let Some(path) = app
        .dialog()
        .file()
        .add_filter("PKCS#11", extensions)
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let edit = SettingsEdit {
        add_module: Some(path),
        ..SettingsEdit::from(&input)
    };
    save(&settings, &journal, &edit).map(Some)
}

/// «Test» beside a module: the tokens it sees now (no PIN).
#[tauri::command(async)]
pub fn settings_test_module(
    settings: State<'_, AppSettings>,
    journal: State<'_, OpenJournal>,
    module_id: String,
) -> Result<Vec<TokenView>, UiError> {
    // The settings screen is a signed-in clerk's.
    journal.with(|d| d.current_clerk())?;
    let modules = settings.modules();
    let module = modules.get(&module_id).map_err(UiError::from)?;
    desk::keys::module_tokens(module).map_err(UiError::from)
}

/// «Check» beside the portal address.
#[tauri::command(async)]
pub fn settings_check_portal(url: String) -> PortalCheckView {
    check_portal(&url)
}

/// The first-run screen's «Next»: the portal goes into the configuration file, and the
/// window starts again with it (sign-in follows).
#[tauri::command(async)]
pub fn first_run_save(
    app: AppHandle,
    settings: State<'_, AppSettings>,
    portal_url: String,
) -> Result<(), UiError> {
    let loaded = settings.loaded();
    desk::settings::save_first_run(&settings.os, &loaded, &portal_url).map_err(UiError::from)?;
    app.restart();
}

/// The about box.
#[tauri::command]
pub fn about_app() -> AboutView {
    about()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_only_when_asked() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(Mode::from_args(args(&["qabyldau-app"])), Mode::Production);
        assert_eq!(
            Mode::from_args(args(&["qabyldau-app", "--demo"])),
            Mode::Demo
        );
        // The program's own name is not a flag.
        assert_eq!(Mode::from_args(args(&["--demo"])), Mode::Production);
        assert_eq!(
            Mode::from_args(args(&["qabyldau-app", "--demoX"])),
            Mode::Production
        );
    }

    #[test]
    fn the_about_box_names_version_commit_and_date() {
        let a = about();
        assert_eq!(a.version, env!("CARGO_PKG_VERSION"));
        assert!(!a.commit.is_empty() && !a.build_date.is_empty());
    }
}
