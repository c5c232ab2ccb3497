//! The window's commands for decisions, receipts and saving documents
//! (R-5 «Жүктеу»). Each converts its input, makes the `desk` call and does the one thing
//! only a shell can: a file dialog, a file in the app's cache, the system's PDF viewer.
//! Ids and time are made here and passed in; no rule lives here.
//!
//! The PIN / password arrives as a plain string from the webview (the IPC has no other
//! way), is wrapped in `Zeroizing` at once, goes into `desk::keys::open_signer` and is
//! never stored or logged.
//!
//! For tests (tests/e2e/decisions.test.mjs): `QABYLDAU_RECEIPTS_DIR` is where "Print"
//! writes the PDF (default: the app's cache dir, `receipts/`), and
//! `QABYLDAU_NO_EXTERNAL_VIEWER=1` writes it without starting the system's viewer.
//! NCALayer (issue 14, tests/e2e/ncalayer.test.mjs): in debug builds only,
//! `QABYLDAU_NCALAYER_PORT`, `QABYLDAU_NCALAYER_TLS_ROOT` and `QABYLDAU_NCALAYER_TRUST_CA`
//! point the desk at the simulator (`desk::keys::NcaLayerSettings::with_test_overrides`);
//! a release build reads none of them.

use std::path::{Path, PathBuf};

use desk::UiError;
use desk::signing::Zeroizing;
use desk::views::{
    ApplicationActions, DecisionInput, DecisionOutcome, KeyChoice, ReceiptFile, TokenView,
};
use domain::Lang;
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::commands::OpenJournal;
use crate::settings::AppSettings;

/// A file the shell wrote for the clerk (a receipt, a saved document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedFile {
    pub path: String,
    pub file_name: String,
    /// The system's viewer was started on it (printing only).
    pub opened: bool,
    /// A receipt printed before the portal confirmed the application.
    pub provisional: bool,
}

/// A file the shell could not write (a full disk, a folder without rights), in the
/// clerk's two languages like every `UiError`.
pub fn file_not_written(path: &Path, e: &std::io::Error) -> UiError {
    UiError {
        code: "FILE_NOT_WRITTEN".to_string(),
        kk: format!(
            "Файлды жазу мүмкін болмады: {}. Басқа қалтаны таңдаңыз немесе дискті тексеріңіз.",
            path.display()
        ),
        ru: format!(
            "Не удалось записать файл: {}. Выберите другую папку или проверьте диск.",
            path.display()
        ),
        detail: Some(e.to_string()),
        fields: Vec::new(),
    }
}

fn shell_error(code: &str, kk: &str, ru: &str, detail: String) -> UiError {
    UiError {
        code: code.to_string(),
        kk: kk.to_string(),
        ru: ru.to_string(),
        detail: Some(detail),
        fields: Vec::new(),
    }
}

/// The receipt's language from the UI: `kk`, `ru`, or empty for the application's own.
pub fn receipt_lang(code: Option<&str>) -> Option<Lang> {
    code.and_then(Lang::from_code)
}

/// A file name the clerk's system accepts: no folders, no characters Windows refuses,
/// no trailing dots or spaces (Windows drops them), and not one of the names Windows
/// keeps for devices (`CON`, `NUL`, `COM1`, … with any extension: `nul.pdf` would write
/// nowhere) — those get a `_` in front (issue 15).
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' ']);
    if trimmed.is_empty() {
        return "document".to_string();
    }
    let stem = trimmed
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    let reserved = matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || ((stem.starts_with("COM") || stem.starts_with("LPT"))
        && stem.len() == 4
        && stem[3..].chars().all(|c| c.is_ascii_digit() && c != '0'))
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && matches!(&stem[3..], "¹" | "²" | "³"));
    if reserved {
        format!("_{trimmed}")
    } else {
        trimmed.to_string()
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), UiError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| file_not_written(path, &e))?;
    }
    std::fs::write(path, bytes).map_err(|e| file_not_written(path, &e))
}

fn receipts_dir() -> Result<PathBuf, UiError> {
    if let Some(dir) = std::env::var_os("QABYLDAU_RECEIPTS_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    // A private folder of this run, cleared when the window closes (issue 16).
    crate::private_temp::folder().map_err(|e| {
        shell_error(
            "CACHE_DIR_MISSING",
            "Уақытша файлдар қалтасы табылмады: «PDF сақтау» арқылы сақтаңыз.",
            "Не найдена папка временных файлов: сохраните через «Сохранить PDF».",
            e.to_string(),
        )
    })
}

fn external_viewer_off() -> bool {
    std::env::var("QABYLDAU_NO_EXTERNAL_VIEWER").is_ok_and(|v| v == "1")
}

/// Asks where to save `file_name`; `None` when the clerk cancelled.
fn ask_save_path(app: &AppHandle, file_name: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    app.dialog()
        .file()
        .set_file_name(file_name)
        .add_filter(filter.0, filter.1)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

// `async` runs each command on Tauri's worker pool: PKCS#11, rendering and the blocking
// file dialogs never hold up the window's main thread.

/// The tokens of every PKCS#11 module the settings configure or the desk found (issue 13,
/// 15), with their certificates, for the key choice of the signing dialog. No PIN. Each
/// names its module by id; the UI never sends a library path.
#[tauri::command(async)]
pub fn key_tokens(settings: State<'_, AppSettings>) -> Result<Vec<TokenView>, UiError> {
    desk::keys::tokens(&settings.modules()).map_err(UiError::from)
}

/// The file dialog for an NCA key file (`RSA_*.p12`); `None` when cancelled.
#[tauri::command(async)]
pub fn pick_key_file(app: AppHandle) -> Option<String> {
    app.dialog()
        .file()
        .add_filter("PKCS#12 (.p12, .pfx)", &["p12", "pfx", "P12", "PFX"])
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
}

/// Where NCALayer is: its own port and NCA's roots; the simulator in debug builds when
/// the test variables say so.
pub(crate) fn ncalayer_settings() -> Result<desk::keys::NcaLayerSettings, UiError> {
    let settings = desk::keys::NcaLayerSettings::for_this_pc();
    #[cfg(debug_assertions)]
    let settings = settings
        .with_test_overrides(|name| std::env::var(name).ok())
        .map_err(UiError::from)?;
    Ok(settings)
}

/// NCALayer's version when it answers on its port (2 s), for the signing dialog's key
/// choice; `None` when it is not running.
#[tauri::command(async)]
pub fn ncalayer_version() -> Option<String> {
    ncalayer_settings()
        .ok()
        .and_then(|s| desk::keys::ncalayer_available(&s))
}

/// Signs and records a decision for the signed-in clerk.
#[tauri::command(async)]
pub fn decide(
    state: State<'_, OpenJournal>,
    settings: State<'_, AppSettings>,
    input: DecisionInput,
    key: KeyChoice,
    secret: String,
) -> Result<DecisionOutcome, UiError> {
    let secret = Zeroizing::new(secret);
    let clerk = state.with(|d| d.current_clerk())?;
    // Checked before the key is opened: a wrong PIN costs a token try, a refused decision must not.
    desk::decide::Decision::parse(&input).map_err(UiError::from)?;
    let signer = desk::keys::open_key(&settings.modules(), key, secret, &ncalayer_settings()?)
        .map_err(UiError::from)?;
    let idempotency_key = uuid::Uuid::new_v4().to_string();
    let now = time::OffsetDateTime::now_utc();
    state.with_mut(|d| d.decide(&clerk, &input, &signer, now, idempotency_key))
}

/// The receipt in the language asked for, else the settings' receipt language (issue 13),
/// else the application's own.
fn render(
    state: &OpenJournal,
    settings: &AppSettings,
    application_id: &str,
    lang: Option<&str>,
) -> Result<ReceiptFile, UiError> {
    let lang = settings.receipt_language().for_receipt(receipt_lang(lang));
    state.with(|d| d.receipt(application_id, lang))
}

/// Whether the open application can be decided now and which receipt it prints.
#[tauri::command(async)]
pub fn application_actions(
    state: State<'_, OpenJournal>,
    application_id: String,
) -> Result<ApplicationActions, UiError> {
    state.with(|d| d.application_actions(&application_id))
}

/// "Print receipt": the PDF into the receipts folder, opened in the system's viewer,
/// whose print button is the print flow.
#[tauri::command(async)]
pub fn receipt_print(
    app: AppHandle,
    state: State<'_, OpenJournal>,
    settings: State<'_, AppSettings>,
    application_id: String,
    lang: Option<String>,
) -> Result<SavedFile, UiError> {
    let receipt = render(&state, &settings, &application_id, lang.as_deref())?;
    let file_name = safe_file_name(&receipt.file_name);
    let path = receipts_dir()?.join(&file_name);
    write_file(&path, &receipt.pdf)?;
    let opened = !external_viewer_off()
        && app
            .opener()
            .open_path(path.display().to_string(), None::<&str>)
            .is_ok();
    Ok(SavedFile {
        path: path.display().to_string(),
        file_name,
        opened,
        provisional: receipt.provisional,
    })
}

/// "Save PDF": where the clerk chooses; `None` when cancelled.
#[tauri::command(async)]
pub fn receipt_save(
    app: AppHandle,
    state: State<'_, OpenJournal>,
    settings: State<'_, AppSettings>,
    application_id: String,
    lang: Option<String>,
) -> Result<Option<SavedFile>, UiError> {
    let receipt = render(&state, &settings, &application_id, lang.as_deref())?;
    let file_name = safe_file_name(&receipt.file_name);
    let Some(path) = ask_save_path(&app, &file_name, ("PDF", &["pdf"])) else {
        return Ok(None);
    };
    write_file(&path, &receipt.pdf)?;
    Ok(Some(SavedFile {
        path: path.display().to_string(),
        file_name,
        opened: false,
        provisional: receipt.provisional,
    }))
}

/// «Жүктеу» in the documents tab: a cached document saved where the clerk chooses.
#[tauri::command(async)]
pub fn document_save(
    app: AppHandle,
    state: State<'_, OpenJournal>,
    application_id: String,
    document_id: String,
) -> Result<Option<SavedFile>, UiError> {
    let (view, bytes) = state.with(|d| d.document(&application_id, &document_id))?;
    let file_name = safe_file_name(&view.file_name);
    let extension = Path::new(&file_name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_string();
    let extensions: Vec<&str> = if extension.is_empty() {
        vec!["*"]
    } else {
        vec![extension.as_str()]
    };
    let Some(path) = ask_save_path(&app, &file_name, (&view.media_type, &extensions)) else {
        return Ok(None);
    };
    write_file(&path, &bytes)?;
    Ok(Some(SavedFile {
        path: path.display().to_string(),
        file_name,
        opened: false,
        provisional: false,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_language_from_the_ui() {
        for (code, lang) in [
            (Some("kk"), Some(Lang::Kk)),
            (Some("ru"), Some(Lang::Ru)),
            (Some(""), None),
            (None, None),
            (Some("en"), None),
        ] {
            assert_eq!(receipt_lang(code), lang, "{code:?}");
        }
    }

    #[test]
    fn file_names_stay_file_names() {
        for (given, safe) in [
            (
                "Ж-2026-000123-acceptance-kk.pdf",
                "Ж-2026-000123-acceptance-kk.pdf",
            ),
            ("../../etc/passwd", "_.._etc_passwd"),
            ("a:b*c?.p7s", "a_b_c_.p7s"),
            ("  ", "document"),
            ("...", "document"),
            // Windows device names, with or without an extension, any case (issue 15).
            ("CON", "_CON"),
            ("nul.pdf", "_nul.pdf"),
            ("Com1.p7s", "_Com1.p7s"),
            ("lpt9", "_lpt9"),
            ("aux .txt", "_aux .txt"),
            ("COM0.pdf", "COM0.pdf"),
            ("CONSOLE.pdf", "CONSOLE.pdf"),
            ("receipt. . ", "receipt"),
        ] {
            assert_eq!(safe_file_name(given), safe, "{given:?}");
        }
    }

    #[test]
    fn a_file_that_cannot_be_written_says_so_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        // A file where a folder is expected: the write fails for real.
        let blocker = dir.path().join("not-a-folder");
        std::fs::write(&blocker, b"x").unwrap();
        let target = blocker.join("receipt.pdf");
        let err = write_file(&target, b"%PDF").unwrap_err();
        assert_eq!(err.code, "FILE_NOT_WRITTEN");
        assert!(err.kk.contains("receipt.pdf") && err.ru.contains("receipt.pdf"));
        assert!(err.detail.is_some());
        let ok = dir.path().join("sub").join("r.pdf");
        write_file(&ok, b"%PDF").unwrap();
        assert_eq!(std::fs::read(&ok).unwrap(), b"%PDF");
    }
}
