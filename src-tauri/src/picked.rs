//! The files the native dialog picked, under the handles this shell issued (issue 15):
//! the window sends a handle id, never a path. Reading and checking is
//! `desk::picked_files`; here are the dialog, the handle ids (uuid v4) and the table's
//! state. The table's lock is held only to insert or copy entries, never while a file
//! is read or a token waited on; the journal's lock is not taken at all.
//!
//! For the E2E suites only, and compiled only into debug builds: when
//! `QABYLDAU_E2E_PICK_FILE` names a file, the dialog is not shown and the path written
//! in that file is what it "picks" (an empty file: cancelled), and the file is emptied
//! once read, so a test knows its pick was taken before it writes the next one.
//! WebDriver cannot drive a native dialog; the tests write the path, click the button,
//! and wait for the file to be empty.

use std::path::PathBuf;
use std::sync::Mutex;

use desk::UiError;
use desk::picked_files::{FilePurpose, PickedFiles, read_picked};
use desk::views::DocumentFileView;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

#[derive(Debug, Default)]
pub struct Picked(Mutex<PickedFiles>);

impl Picked {
    pub fn with<T>(&self, f: impl FnOnce(&mut PickedFiles) -> T) -> T {
        let mut files = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut files)
    }

    /// A copy of what `handles` name, taken under the lock and used after it.
    pub fn subset<'a>(&self, handles: impl IntoIterator<Item = &'a str>) -> PickedFiles {
        self.with(|f| f.subset(handles))
    }

    /// The picked key file a key choice names (none for tokens and NCALayer).
    pub fn for_key(&self, key: &desk::views::KeyChoice) -> PickedFiles {
        match key {
            desk::views::KeyChoice::KeyFile { file } => self.subset([file.as_str()]),
            _ => PickedFiles::default(),
        }
    }

    /// The view of a handle issued before (`FILE_HANDLE_UNKNOWN` otherwise).
    pub fn view(&self, handle: &str, purpose: FilePurpose) -> Result<DocumentFileView, UiError> {
        self.with(|f| f.get(handle, purpose).map(|p| p.view(handle)))
            .map_err(UiError::from)
    }
}

#[cfg(debug_assertions)]
fn e2e_pick() -> Option<Option<PathBuf>> {
    let control = std::env::var_os("QABYLDAU_E2E_PICK_FILE").filter(|v| !v.is_empty())?;
    let text = std::fs::read_to_string(&control).unwrap_or_default();
    // Should emptying fail, the test's wait for the empty file fails and says so.
    let _ = std::fs::write(&control, "");
    let path = text.trim();
    Some((!path.is_empty()).then(|| PathBuf::from(path)))
}

#[cfg(not(debug_assertions))]
fn e2e_pick() -> Option<Option<PathBuf>> {
    None
}

/// Shows the open dialog (blocking this worker thread, not the window) and, when a file
/// was chosen, reads and checks it and issues its handle. `None` when cancelled.
pub fn pick(
    app: &AppHandle,
    picked: &Picked,
    purpose: FilePurpose,
    filter: (&str, &[&str]),
) -> Option<DocumentFileView> {
    let path = match e2e_pick() {
        Some(p) => p,
        None => app
            .dialog()
            .file()
            .add_filter(filter.0, filter.1)
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok()),
    }?;
    let file = read_picked(&path, purpose);
    // The size and the verdict only: a file's name may carry a person's name.
    tracing::info!(
        purpose = ?purpose,
        size = file.size,
        media_type = file.media_type,
        problem = file.error().map(|e| e.code()).unwrap_or("none"),
        "file picked"
    );
    let handle = uuid::Uuid::new_v4().to_string();
    let view = file.view(&handle);
    picked.with(|f| f.insert(handle, file));
    Some(view)
}
