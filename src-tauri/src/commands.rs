//! The window's commands: each converts its input, makes one `desk` call and maps
//! the error to a `UiError` (a stable code the UI turns into kk/ru text through the
//! catalogue). No business rule lives here (STYLE.md, "Thin shell").

use std::time::Instant;

use desk::session::Session;
use desk::views::{ApplicationView, Catalogue, JournalPage, JournalQuery, StatusBar};
use desk::{Desk, UiError};
use tauri::State;

/// The journal the window works on, behind the clerk's session (issue 16): every
/// command reaches the journal only through `desk::session::Session`, which answers
/// `NOT_SIGNED_IN` before a sign-in and `LOCKED` after the lock time. `problem` is why
/// the journal file could not be prepared (a newer or a corrupt database): then every
/// command answers with that error and the UI shows it.
#[derive(Debug)]
pub struct OpenJournal {
    session: Session,
    problem: Option<UiError>,
}

impl OpenJournal {
    pub fn new(session: Session, problem: Option<UiError>) -> OpenJournal {
        OpenJournal { session, problem }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub(crate) fn problem(&self) -> Result<(), UiError> {
        match &self.problem {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&Desk) -> Result<T, desk::Error>,
    ) -> Result<T, UiError> {
        self.problem()?;
        self.session
            .with_desk(Instant::now(), f)
            .map_err(UiError::from)
    }

    /// For the use cases that write (decide, submit, sync).
    pub(crate) fn with_mut<T>(
        &self,
        f: impl FnOnce(&mut Desk) -> Result<T, desk::Error>,
    ) -> Result<T, UiError> {
        self.problem()?;
        self.session
            .with_desk_mut(Instant::now(), f)
            .map_err(UiError::from)
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
