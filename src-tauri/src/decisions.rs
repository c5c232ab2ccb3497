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
use crate::picked::Picked;
use crate::settings::AppSettings;
use desk::picked_files::FilePurpose;
use desk::views::DocumentFileView;

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

fn shell_error(code: &'static str, detail: String) -> UiError {
    UiError::new(
        code,
        desk::catalogue_error_text(code, Lang::Kk).to_string(),
        desk::catalogue_error_text(code, Lang::Ru).to_string(),
        Some(detail),
    )
}

/// The receipt's language from the UI: `kk`, `ru`, or empty for the application's own.
pub fn receipt_lang(code: Option<&str>) -> Option<Lang> {
    code.and_then(Lang::from_code)
}

// The name a saved file gets (issue 15: no folders, no device names like `NUL`).
use desk::file_names::safe_file_name;

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), UiError> {
    desk::saved_files::write_whole(path, bytes).map_err(UiError::from)
}

fn receipts_dir() -> Result<PathBuf, UiError> {
    if let Some(dir) = std::env::var_os("QABYLDAU_RECEIPTS_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    // A private folder of this run, cleared when the window closes (issue 16).
    crate::private_temp::folder().map_err(|e| shell_error("CACHE_DIR_MISSING", e.to_string()))
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

/// The file dialog for an NCA key file (`RSA_*.p12`): read once (regular file, small,
/// DER) and kept under a handle the UI sends back in `KeyChoice::KeyFile` (issue 15);
/// `None` when cancelled.
#[tauri::command(async)]
pub fn pick_key_file(app: AppHandle, picked: State<'_, Picked>) -> Option<DocumentFileView> {
    crate::picked::pick(
        &app,
        &picked,
        FilePurpose::KeyFile,
        ("PKCS#12 (.p12, .pfx)", &["p12", "pfx", "P12", "PFX"]),
    )
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

/// The clerk's chosen key opened with this PC's PKCS#11 modules and NCALayer settings
/// (decisions, walk-in submissions and their corrections); a key that does not open is
/// logged by its code. Called with no lock held (issue 15).
pub(crate) fn open_signing_key(
    settings: &AppSettings,
    key: KeyChoice,
    files: &desk::picked_files::PickedFiles,
    secret: Zeroizing<String>,
) -> Result<desk::keys::KeyInUse, UiError> {
    desk::keys::open_key(
        &settings.modules(),
        key,
        files,
        secret,
        &ncalayer_settings()?,
    )
    .map_err(|e| {
        tracing::warn!(code = e.code(), "the signing key did not open");
        UiError::from(e)
    })
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
    picked: State<'_, Picked>,
    settings: State<'_, AppSettings>,
    input: DecisionInput,
    key: KeyChoice,
    secret: String,
) -> Result<DecisionOutcome, UiError> {
    let secret = Zeroizing::new(secret);
    let clerk = state.with(|d| d.current_clerk())?;
    // Checked before the key is opened: a wrong PIN costs a token try, a refused decision must not.
    desk::decide::Decision::parse(&input).map_err(UiError::from)?;
    let files = picked.for_key(&key);
    // No lock is held while the key is opened or the token waited on (issue 15).
    let signer = open_signing_key(&settings, key, &files, secret)?;
    let idempotency_key = uuid::Uuid::new_v4().to_string();
    let now = time::OffsetDateTime::now_utc();
    let outcome = state.with_mut(|d| d.decide(&clerk, &input, &signer, now, idempotency_key));
    match &outcome {
        Ok(_) => {
            tracing::info!(application = %input.application_id, decision = %input.decision, "decision recorded")
        }
        Err(e) => {
            tracing::warn!(application = %input.application_id, code = %e.code, "decision refused")
        }
    }
    outcome
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

/// «Қарау» in the documents tab: an image as a `data:` URL, a PDF's pages.
#[tauri::command(async)]
pub fn document_preview(
    state: State<'_, OpenJournal>,
    application_id: String,
    document_id: String,
) -> Result<desk::document_preview::DocumentPreviewView, UiError> {
    let (view, bytes) = state.with(|d| d.document(&application_id, &document_id))?;
    Ok(desk::document_preview::preview(&view.file_name, &bytes))
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
}
