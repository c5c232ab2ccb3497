//! The window's commands: each converts its input, makes one `desk` call and maps
//! the error to a `UiError` (a stable code the UI turns into kk/ru text through the
//! catalogue). No business rule lives here (STYLE.md, "Thin shell").

use std::sync::Mutex;

use desk::views::{ApplicationView, Catalogue, JournalPage, JournalQuery, StatusBar};
use desk::{Desk, UiError};
use tauri::State;

/// The journal the window works on, or why it could not be opened (a newer or a
/// corrupt database): then every command answers with that error and the UI shows it.
#[derive(Debug)]
pub struct OpenJournal {
    // `Desk` holds a rusqlite connection, which is `Send` but not `Sync`.
    desk: Result<Mutex<Desk>, UiError>,
}

impl From<Result<Desk, UiError>> for OpenJournal {
    fn from(opened: Result<Desk, UiError>) -> OpenJournal {
        OpenJournal {
            desk: opened.map(Mutex::new),
        }
    }
}

impl OpenJournal {
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&Desk) -> Result<T, desk::Error>,
    ) -> Result<T, UiError> {
        match &self.desk {
            Ok(desk) => {
                // A panic in an earlier read leaves nothing half-written (reads only), so
                // a poisoned lock is still safe to use.
                let desk = desk.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                f(&desk).map_err(UiError::from)
            }
            Err(e) => Err(e.clone()),
        }
    }

    /// For the use cases that write (decide, submit, sync). Writes are one transaction in
    /// the store, so a panic in an earlier holder leaves nothing half-written either.
    pub(crate) fn with_mut<T>(
        &self,
        f: impl FnOnce(&mut Desk) -> Result<T, desk::Error>,
    ) -> Result<T, UiError> {
        match &self.desk {
            Ok(desk) => {
                let mut desk = desk.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                f(&mut desk).map_err(UiError::from)
            }
            Err(e) => Err(e.clone()),
        }
    }

    pub fn journal(&self, query: &JournalQuery) -> Result<JournalPage, UiError> {
        self.with(|d| d.journal(query))
    }

    pub fn application(&self, id: &str) -> Result<ApplicationView, UiError> {
        self.with(|d| d.application(id))
    }

    pub fn status_bar(&self) -> Result<StatusBar, UiError> {
        self.with(|d| d.status_bar())
    }
}

// `async` runs each command on Tauri's worker pool, not on the window's main thread.

#[tauri::command(async)]
pub fn catalogue() -> Catalogue {
    desk::catalogue()
}

#[tauri::command(async)]
pub fn journal(state: State<'_, OpenJournal>, query: JournalQuery) -> Result<JournalPage, UiError> {
    state.journal(&query)
}

#[tauri::command(async)]
pub fn application(state: State<'_, OpenJournal>, id: String) -> Result<ApplicationView, UiError> {
    state.application(&id)
}

#[tauri::command(async)]
pub fn status_bar(state: State<'_, OpenJournal>) -> Result<StatusBar, UiError> {
    state.status_bar()
}
