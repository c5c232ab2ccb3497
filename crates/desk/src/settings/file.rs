//! The configuration file, `config.toml` (installer/config.example.toml shows every key).
//!
//! Versions:
//! - 1 (0.1 builds): no `version` key, or `version = 1`; keys `portal`, `pkcs11_module`
//!   (one path), `receipt_lang` — the environment variables of those builds written down.
//! - 2 (now): `version = 2`; `portal_url`, `pkcs11_modules` (a list), `receipt_language`,
//!   `lock_timeout_minutes`, `data_dir`; the settings screen's table `[settings_screen]`
//!   with the same keys.
//!
//! An older file is upgraded on start: the old text is kept beside it
//! (`config.v1.toml`), the new one written, and the window says so. A newer or broken
//! file is never rewritten.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Layer;
use crate::Error;

pub const CURRENT_VERSION: i64 = 2;
pub const SCREEN_TABLE: &str = "settings_screen";

/// The two layers a file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigFile {
    /// What the IT person (or the first-run screen) wrote.
    pub file: Layer,
    /// What the settings screen chose.
    pub screen: Layer,
}

/// An older file was upgraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    pub from_version: i64,
    pub to_version: i64,
    /// The old file, kept.
    pub kept_as: PathBuf,
}

#[derive(Debug)]
pub struct Read {
    pub file: ConfigFile,
    pub upgraded: Option<Upgrade>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct V2Layer {
    portal_url: Option<String>,
    #[serde(default)]
    pkcs11_modules: Vec<String>,
    receipt_language: Option<String>,
    lock_timeout_minutes: Option<toml::Value>,
    data_dir: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V2 {
    #[allow(dead_code)]
    version: i64,
    #[serde(flatten)]
    file: V2Layer,
    #[serde(default)]
    settings_screen: Option<V2Layer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct V1 {
    #[allow(dead_code)]
    version: Option<i64>,
    portal: Option<String>,
    pkcs11_module: Option<String>,
    receipt_lang: Option<String>,
}

fn invalid(path: &Path, detail: impl std::fmt::Display) -> Error {
    Error::SettingsFileInvalid {
        path: path.display().to_string(),
        detail: detail.to_string(),
    }
}

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::SettingsFileUnwritable {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

fn text_of(v: Option<toml::Value>) -> Option<String> {
    v.map(|v| match v {
        toml::Value::String(s) => s,
        other => other.to_string(),
    })
}

impl From<V2Layer> for Layer {
    fn from(l: V2Layer) -> Layer {
        Layer {
            portal_url: l.portal_url,
            pkcs11_modules: l.pkcs11_modules,
            receipt_language: l.receipt_language,
            lock_timeout_minutes: text_of(l.lock_timeout_minutes),
            lock_timeout_seconds: None,
            data_dir: l.data_dir,
            journal_file: None,
        }
    }
}

/// Parses a file's text (any known version).
pub fn parse(path: &Path, text: &str) -> Result<(ConfigFile, i64), Error> {
    let table: toml::Table = text.parse().map_err(|e| invalid(path, e))?;
    let version = match table.get("version") {
        None => 1,
        Some(toml::Value::Integer(v)) => *v,
        Some(other) => return Err(invalid(path, format!("version = {other}: not a number"))),
    };
    match version {
        1 => {
            let v1: V1 = toml::from_str(text).map_err(|e| invalid(path, e))?;
            let file = Layer {
                portal_url: v1.portal,
                pkcs11_modules: v1.pkcs11_module.into_iter().collect(),
                receipt_language: v1.receipt_lang,
                ..Layer::default()
            };
            Ok((
                ConfigFile {
                    file,
                    screen: Layer::default(),
                },
                1,
            ))
        }
        CURRENT_VERSION => {
            let v2: V2 = toml::from_str(text).map_err(|e| invalid(path, e))?;
            Ok((
                ConfigFile {
                    file: v2.file.into(),
                    screen: v2.settings_screen.map(Layer::from).unwrap_or_default(),
                },
                CURRENT_VERSION,
            ))
        }
        newer if newer > CURRENT_VERSION => Err(Error::SettingsFileNewer {
            path: path.display().to_string(),
            found: newer,
            known: CURRENT_VERSION,
        }),
        other => Err(invalid(path, format!("version = {other} is not known"))),
    }
}

/// Reads `path`; a missing file is an empty configuration. An older version is
/// upgraded in place (the old text kept as `config.v<N>.toml`).
pub fn read(path: &Path) -> Result<Read, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Read {
                file: ConfigFile::default(),
                upgraded: None,
            });
        }
        Err(e) => return Err(invalid(path, e)),
    };
    let (file, version) = parse(path, &text)?;
    if version == CURRENT_VERSION {
        return Ok(Read {
            file,
            upgraded: None,
        });
    }
    let kept_as = path.with_file_name(format!("config.v{version}.toml"));
    std::fs::write(&kept_as, &text).map_err(|e| io(&kept_as, e))?;
    write(path, &file)?;
    Ok(Read {
        file,
        upgraded: Some(Upgrade {
            from_version: version,
            to_version: CURRENT_VERSION,
            kept_as,
        }),
    })
}

const HEADER: &str = "\
# Qabyldau configuration (installer/config.example.toml explains every key).
# Order: built-in defaults < this file < environment (QABYLDAU_*) < [settings_screen].
";

/// Sets a value keeping the comments around it (a key's decor is the IT person's).
fn put(table: &mut toml_edit::Table, key: &str, value: toml_edit::Value) {
    if let Some(existing) = table.get_mut(key).and_then(toml_edit::Item::as_value_mut) {
        if existing.to_string().trim() == value.to_string().trim() {
            return;
        }
        let decor = existing.decor().clone();
        *existing = value;
        *existing.decor_mut() = decor;
        return;
    }
    table.insert(key, toml_edit::Item::Value(value));
}

fn set(table: &mut toml_edit::Table, key: &str, value: Option<&String>) {
    match value {
        Some(v) => put(table, key, v.as_str().into()),
        None => {
            table.remove(key);
        }
    }
}

fn fill(table: &mut toml_edit::Table, layer: &Layer) {
    set(table, "portal_url", layer.portal_url.as_ref());
    if layer.pkcs11_modules.is_empty() {
        table.remove("pkcs11_modules");
    } else {
        let list: toml_edit::Array = layer.pkcs11_modules.iter().map(String::as_str).collect();
        put(table, "pkcs11_modules", list.into());
    }
    set(table, "receipt_language", layer.receipt_language.as_ref());
    match layer.lock_timeout_minutes.as_deref().map(str::parse::<i64>) {
        Some(Ok(m)) => put(table, "lock_timeout_minutes", m.into()),
        _ => set(
            table,
            "lock_timeout_minutes",
            layer.lock_timeout_minutes.as_ref(),
        ),
    }
    set(table, "data_dir", layer.data_dir.as_ref());
}

/// Writes both layers as version 2, keeping the comments and order of an existing
/// current-version file; atomically (a temporary file renamed into place).
pub fn write(path: &Path, file: &ConfigFile) -> Result<(), Error> {
    let existing = std::fs::read_to_string(path).ok();
    let mut doc: toml_edit::DocumentMut = existing
        .as_deref()
        .filter(|t| matches!(parse(path, t), Ok((_, CURRENT_VERSION))))
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| HEADER.parse().unwrap_or_default());
    put(doc.as_table_mut(), "version", CURRENT_VERSION.into());
    fill(doc.as_table_mut(), &file.file);
    let screen_empty = file.screen == Layer::default();
    if screen_empty {
        doc.remove(SCREEN_TABLE);
    } else {
        let mut table = doc
            .get(SCREEN_TABLE)
            .and_then(|i| i.as_table())
            .cloned()
            .unwrap_or_else(|| {
                let mut t = toml_edit::Table::new();
                t.decor_mut().set_prefix(
                    "\n# Chosen on the settings screen (written by the window; audited).\n",
                );
                t
            });
        fill(&mut table, &file.screen);
        doc.insert(SCREEN_TABLE, toml_edit::Item::Table(table));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let tmp = path.with_extension("toml.partial");
    std::fs::write(&tmp, doc.to_string()).map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))
}
