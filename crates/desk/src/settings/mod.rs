//! The desk's settings (issue 13): what they are, where each value comes from, and how
//! they are checked. Order, lowest first — each layer overrides the one before:
//!
//! 1. built-in defaults;
//! 2. the configuration file (`<OS config dir>/qabyldau/config.toml`, [`file`]), what a
//!    school's IT person writes (installer/config.example.toml);
//! 3. the environment (`QABYLDAU_PORTAL`, `QABYLDAU_PKCS11_MODULE`, … [`ENV`]);
//! 4. the settings screen (the file's `[settings_screen]` table, written by the window
//!    for a signed-in clerk and audited in the journal).
//!
//! PKCS#11 modules are the exception: every layer adds its modules (the clerk adds one
//! the IT person did not know), and the vendors' usual install paths are searched too
//! ([`modules`]). The shells (src-tauri, cli) only find the OS directories and the
//! environment and pass them in; every rule is here, tested with plain `cargo test`.

mod audit;
pub mod file;
pub mod modules;
pub mod view;

use std::path::{Path, PathBuf};

use domain::Lang;

use crate::Error;
pub use audit::{AuditEntry, SettingsEdit, plan_edit, save_first_run};
pub use file::{ConfigFile, Upgrade};
pub use modules::{ModuleList, Pkcs11Module, TargetOs, check_module_path};

/// The folder name inside the OS's config and data directories.
pub const APP_DIR: &str = "qabyldau";
pub const CONFIG_FILE: &str = "config.toml";
pub const JOURNAL_FILE: &str = "journal.sqlite";
pub const DEFAULT_LOCK_TIMEOUT_MINUTES: u32 = 10;
pub const LOCK_TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 1..=240;
/// The shortest lock time the environment may set (`QABYLDAU_LOCK_SECONDS`).
pub const MIN_LOCK_SECONDS: u64 = 5;

/// The environment variables, by setting.
pub const ENV: EnvNames = EnvNames {
    portal_url: "QABYLDAU_PORTAL",
    pkcs11_modules: "QABYLDAU_PKCS11_MODULE",
    receipt_language: "QABYLDAU_RECEIPT_LANGUAGE",
    lock_timeout_seconds: "QABYLDAU_LOCK_SECONDS",
    data_dir: "QABYLDAU_DATA_DIR",
    journal_file: "QABYLDAU_DB",
};

#[derive(Debug, Clone, Copy)]
pub struct EnvNames {
    pub portal_url: &'static str,
    /// Several paths joined with the OS's path-list separator (`:` / `;`).
    pub pkcs11_modules: &'static str,
    pub receipt_language: &'static str,
    /// In seconds (at least [`MIN_LOCK_SECONDS`]): the E2E tests lock within seconds.
    pub lock_timeout_seconds: &'static str,
    pub data_dir: &'static str,
    /// The journal file itself (tests and scripts/run-app); default `<data dir>/journal.sqlite`.
    pub journal_file: &'static str,
}

/// Where the OS keeps this user's configuration and data (found by the shell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsDirs {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

impl OsDirs {
    /// `config_dir` and `data_dir` are the OS's own (`~/.config`, `%APPDATA%` …); the
    /// app's folder is added here.
    pub fn new(config_dir: &Path, data_dir: &Path) -> OsDirs {
        OsDirs {
            config_dir: config_dir.join(APP_DIR),
            data_dir: data_dir.join(APP_DIR),
        }
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join(CONFIG_FILE)
    }
}

/// One layer's values, as written (text); parsed once in [`resolve`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    pub portal_url: Option<String>,
    pub pkcs11_modules: Vec<String>,
    pub receipt_language: Option<String>,
    pub lock_timeout_minutes: Option<String>,
    /// The environment's form of the lock time, in seconds.
    pub lock_timeout_seconds: Option<String>,
    pub data_dir: Option<String>,
    pub journal_file: Option<String>,
}

/// The environment layer; `get` reads one variable (`std::env::var` in the shells).
pub fn env_layer(get: impl Fn(&str) -> Option<String>) -> Layer {
    let value = |name: &str| {
        get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    Layer {
        portal_url: value(ENV.portal_url),
        pkcs11_modules: value(ENV.pkcs11_modules)
            .map(|v| {
                std::env::split_paths(&v)
                    .map(|p| p.display().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        receipt_language: value(ENV.receipt_language),
        lock_timeout_minutes: None,
        lock_timeout_seconds: value(ENV.lock_timeout_seconds),
        data_dir: value(ENV.data_dir),
        journal_file: value(ENV.journal_file),
    }
}

/// Where a value came from, shown on the settings screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Default,
    File,
    Environment,
    Screen,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Default => "default",
            Source::File => "file",
            Source::Environment => "environment",
            Source::Screen => "screen",
        }
    }
}

/// The portal's base URL: `https`, or `http` to this computer only (portal-sim, tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalUrl(String);

impl PortalUrl {
    pub fn parse(text: &str) -> Result<PortalUrl, Error> {
        let bad = |why: &'static str| Error::SettingInvalid {
            setting: "portal_url",
            value: text.to_string(),
            why,
        };
        let url = url::Url::parse(text.trim()).map_err(|_| bad("not a web address"))?;
        let loopback = match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => return Err(bad("no host")),
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => return Err(bad("http is allowed only to this computer; use https")),
            _ => return Err(bad("not a web address")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("no user name or password in the address"));
        }
        Ok(PortalUrl(url.as_str().trim_end_matches('/').to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The receipt's language: the application's own, or always one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptLanguage {
    Application,
    Always(Lang),
}

impl ReceiptLanguage {
    pub fn parse(text: &str) -> Result<ReceiptLanguage, Error> {
        match text.trim() {
            "application" | "" => Ok(ReceiptLanguage::Application),
            other => Lang::from_code(other)
                .map(ReceiptLanguage::Always)
                .ok_or_else(|| Error::SettingInvalid {
                    setting: "receipt_language",
                    value: text.to_string(),
                    why: "kk, ru or application",
                }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptLanguage::Application => "application",
            ReceiptLanguage::Always(l) => l.code(),
        }
    }

    /// The language for a receipt: the one asked for, else this setting's.
    pub fn for_receipt(self, asked: Option<Lang>) -> Option<Lang> {
        asked.or(match self {
            ReceiptLanguage::Application => None,
            ReceiptLanguage::Always(l) => Some(l),
        })
    }
}

pub fn parse_lock_timeout(text: &str) -> Result<u32, Error> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|m| LOCK_TIMEOUT_RANGE.contains(m))
        .ok_or_else(|| Error::SettingInvalid {
            setting: "lock_timeout_minutes",
            value: text.to_string(),
            why: "whole minutes from 1 to 240",
        })
}

/// `QABYLDAU_LOCK_SECONDS`: whole seconds, at least [`MIN_LOCK_SECONDS`], at most the
/// longest lock time of the settings screen.
pub fn parse_lock_seconds(text: &str) -> Result<u64, Error> {
    let longest = u64::from(*LOCK_TIMEOUT_RANGE.end()) * 60;
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|s| (MIN_LOCK_SECONDS..=longest).contains(s))
        .ok_or_else(|| Error::SettingInvalid {
            setting: "lock_timeout_minutes",
            value: text.to_string(),
            why: "whole seconds from 5 to 14400",
        })
}

/// The settings in force, with the source of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub portal_url: Option<PortalUrl>,
    pub portal_url_source: Source,
    /// Every layer's modules, lowest layer first, each once.
    pub pkcs11_modules: Vec<PathBuf>,
    /// The modules the settings screen added (the clerk may remove these).
    pub screen_modules: Vec<PathBuf>,
    pub receipt_language: ReceiptLanguage,
    pub receipt_language_source: Source,
    /// The lock time in whole minutes as the settings screen shows it (rounded up).
    pub lock_timeout_minutes: u32,
    pub lock_timeout_source: Source,
    /// The lock time itself (the environment may give it in seconds).
    pub lock_after: std::time::Duration,
    pub data_dir: PathBuf,
    pub data_dir_source: Source,
    pub journal_file: PathBuf,
    pub config_file: PathBuf,
}

impl Settings {
    /// No portal anywhere: the first start of a desk (the first-run screen asks).
    pub fn first_run(&self) -> bool {
        self.portal_url.is_none()
    }

    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    pub fn modules(&self) -> ModuleList {
        ModuleList::discover(&self.pkcs11_modules)
    }
}

/// A value of a layer that could not be used: the setting falls back to the layer
/// below, and the window shows this next to the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub source: Source,
    pub code: &'static str,
    pub detail: String,
}

/// The settings and what the clerk or IT person should be told about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub settings: Settings,
    pub problems: Vec<Problem>,
    /// The file was of an older version and was upgraded.
    pub upgraded: Option<Upgrade>,
    /// The file could not be read; it was left as it is (no save until it is fixed).
    pub file_error: Option<Problem>,
    pub file: ConfigFile,
}

/// The layers, top first, with their source.
fn layers<'a>(file: &'a ConfigFile, env: &'a Layer) -> [(Source, &'a Layer); 3] {
    [
        (Source::Screen, &file.screen),
        (Source::Environment, env),
        (Source::File, &file.file),
    ]
}

/// The highest layer whose value parses; bad values are reported and skipped.
fn pick<T>(
    file: &ConfigFile,
    env: &Layer,
    get: impl Fn(&Layer) -> Option<&String>,
    parse: impl Fn(&str) -> Result<T, Error>,
    problems: &mut Vec<Problem>,
) -> Option<(T, Source)> {
    for (source, layer) in layers(file, env) {
        if let Some(text) = get(layer) {
            match parse(text) {
                Ok(v) => return Some((v, source)),
                Err(e) => problems.push(Problem {
                    source,
                    code: e.code(),
                    detail: e.to_string(),
                }),
            }
        }
    }
    None
}

/// Joins the layers over the defaults.
pub fn resolve(
    os: &OsDirs,
    file: &ConfigFile,
    env: &Layer,
    target: TargetOs,
) -> (Settings, Vec<Problem>) {
    let mut problems = Vec::new();
    let portal = pick(
        file,
        env,
        |l| l.portal_url.as_ref(),
        PortalUrl::parse,
        &mut problems,
    );
    let lang = pick(
        file,
        env,
        |l| l.receipt_language.as_ref(),
        ReceiptLanguage::parse,
        &mut problems,
    );
    // Minutes in the file and on the screen, seconds in the environment.
    let mut lock = None;
    for (source, layer) in layers(file, env) {
        let parsed = match (&layer.lock_timeout_minutes, &layer.lock_timeout_seconds) {
            (Some(m), _) => parse_lock_timeout(m).map(|m| u64::from(m) * 60),
            (None, Some(s)) => parse_lock_seconds(s),
            (None, None) => continue,
        };
        match parsed {
            Ok(seconds) => {
                lock = Some((seconds, source));
                break;
            }
            Err(e) => problems.push(Problem {
                source,
                code: e.code(),
                detail: e.to_string(),
            }),
        }
    }
    let dir_rule = |t: &str| {
        let p = PathBuf::from(t.trim());
        if p.is_absolute() {
            Ok(p)
        } else {
            Err(Error::SettingInvalid {
                setting: "data_dir",
                value: t.to_string(),
                why: "an absolute folder path",
            })
        }
    };
    // The data folder is not a screen setting: the journal lives there.
    let no_screen = ConfigFile {
        screen: Layer::default(),
        ..file.clone()
    };
    let data = pick(
        &no_screen,
        env,
        |l| l.data_dir.as_ref(),
        dir_rule,
        &mut problems,
    );
    let (data_dir, data_dir_source) = data.unwrap_or((os.data_dir.clone(), Source::Default));
    let journal_file = env
        .journal_file
        .as_ref()
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join(JOURNAL_FILE));

    let mut pkcs11_modules: Vec<PathBuf> = Vec::new();
    let mut screen_modules = Vec::new();
    for (source, layer) in layers(file, env).into_iter().rev() {
        for text in &layer.pkcs11_modules {
            match check_module_path(text, target) {
                Ok(p) => {
                    if source == Source::Screen {
                        screen_modules.push(p.clone());
                    }
                    if !pkcs11_modules.contains(&p) {
                        pkcs11_modules.push(p);
                    }
                }
                Err(e) => problems.push(Problem {
                    source,
                    code: e.code(),
                    detail: e.to_string(),
                }),
            }
        }
    }

    let (portal_url, portal_url_source) = match portal {
        Some((u, s)) => (Some(u), s),
        None => (None, Source::Default),
    };
    let (receipt_language, receipt_language_source) =
        lang.unwrap_or((ReceiptLanguage::Application, Source::Default));
    let (lock_seconds, lock_timeout_source) = lock.unwrap_or((
        u64::from(DEFAULT_LOCK_TIMEOUT_MINUTES) * 60,
        Source::Default,
    ));
    let lock_timeout_minutes = u32::try_from(lock_seconds.div_ceil(60)).unwrap_or(u32::MAX);
    (
        Settings {
            portal_url,
            portal_url_source,
            pkcs11_modules,
            screen_modules,
            receipt_language,
            receipt_language_source,
            lock_timeout_minutes,
            lock_timeout_source,
            lock_after: std::time::Duration::from_secs(lock_seconds),
            data_dir,
            data_dir_source,
            journal_file,
            config_file: os.config_file(),
        },
        problems,
    )
}

/// Reads the file (upgrading an older one), then joins it with the environment.
pub fn load(os: &OsDirs, env: &Layer) -> Loaded {
    let path = os.config_file();
    let (file, upgraded, file_error) = match file::read(&path) {
        Ok(read) => (read.file, read.upgraded, None),
        Err(e) => (
            ConfigFile::default(),
            None,
            Some(Problem {
                source: Source::File,
                code: e.code(),
                detail: e.to_string(),
            }),
        ),
    };
    let (settings, problems) = resolve(os, &file, env, TargetOs::current());
    Loaded {
        settings,
        problems,
        upgraded,
        file_error,
        file,
    }
}

#[cfg(test)]
mod tests;
