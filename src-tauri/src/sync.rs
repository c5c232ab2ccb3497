//! Sign-in and background sync for the window: the commands of the
//! sign-in view and the status bar, and the bridge from `desk::sync_run`'s worker events
//! to Tauri events. The password lives in memory only (`Zeroizing`), for the worker.
//!
//! Events (payloads in `SyncStateEvent` / `SyncRowsEvent`):
//! - `sync-state`: the worker's state changed (`syncing`, `online`, `offline`,
//!   `sign_in_required`); the UI asks `sync_status` for the whole bar.
//! - `sync-rows`: rows changed in the journal (ids of at most a page), with the count
//!   received in the running round, for progress on a long first sync.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use desk::UiError;
use desk::sync_run::{Pace, SyncEvent, SyncHandle, SyncTarget};
use desk::sync_signin::{self, PortalSession, SignedIn};
use desk::views::{SignInForm, SyncBar};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use zeroize::Zeroizing;

use crate::commands::OpenJournal;

/// Environment variable naming the portal (one of the settings' layers, issue 13).
pub const PORTAL_ENV: &str = "QABYLDAU_PORTAL";
/// Demo only: the demo clerk to prefill the form with (scripts/run-app).
pub const DEMO_IIN_ENV: &str = "QABYLDAU_DEMO_IIN";
pub const DEMO_PASSWORD_ENV: &str = "QABYLDAU_DEMO_PASSWORD";

pub const STATE_EVENT: &str = "sync-state";
pub const ROWS_EVENT: &str = "sync-rows";

#[derive(Debug, Clone, Serialize)]
pub struct SyncStateEvent {
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncRowsEvent {
    pub ids: Vec<String>,
    pub round_rows: u32,
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The portal of this window and the running worker, if someone signed in.
#[derive(Debug)]
pub struct SyncSession {
    portal_url: Option<String>,
    db_path: Option<PathBuf>,
    worker: Mutex<Option<SyncHandle>>,
    round_rows: std::sync::Arc<AtomicU32>,
    /// The last probe (`portal_reachable`) found the portal out of reach.
    unreachable: AtomicBool,
}

impl SyncSession {
    pub fn new(portal_url: Option<String>, db_path: Option<PathBuf>) -> SyncSession {
        SyncSession {
            portal_url,
            db_path,
            worker: Mutex::new(None),
            round_rows: std::sync::Arc::new(AtomicU32::new(0)),
            unreachable: AtomicBool::new(false),
        }
    }

    pub fn portal_configured(&self) -> bool {
        self.portal_url.is_some()
    }

    fn signed_in(&self) -> bool {
        self.worker
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    fn portal_session(&self) -> PortalSession {
        if !self.portal_configured() {
            PortalSession::None
        } else if self.signed_in() {
            PortalSession::SignedIn
        } else {
            PortalSession::SignedOut {
                reachable: !self.unreachable.load(Ordering::Relaxed),
            }
        }
    }

    /// Starts a round now. `false` when nobody signed in (nothing to sync with): the
    /// local change waits in the outbox and goes with the first round after sign-in.
    /// Helper A's decision flow calls this after every decision (or the `sync_now`
    /// command from the UI).
    pub fn sync_now(&self) -> bool {
        match self
            .worker
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            Some(handle) => {
                handle.sync_now();
                true
            }
            None => false,
        }
    }

    /// Stops the worker of an earlier sign-in (after its current step) and starts one
    /// for `iin`, sending its events to the window.
    fn start(
        &self,
        app: AppHandle,
        iin: &domain::Iin,
        password: &Zeroizing<String>,
    ) -> Result<(), UiError> {
        let (Some(url), Some(db)) = (self.portal_url.as_deref(), self.db_path.as_deref()) else {
            return Err(no_portal());
        };
        let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = worker.take() {
            let _ = old.stop();
        }
        let target = SyncTarget::new(db, url, iin, password.as_str());
        let rows = self.round_rows.clone();
        let handle = desk::sync_run::spawn(target, Pace::default(), move |event| match event {
            SyncEvent::State(state) => {
                if state == desk::sync_run::SyncState::Syncing {
                    rows.store(0, Ordering::Relaxed);
                }
                let _ = app.emit(
                    STATE_EVENT,
                    SyncStateEvent {
                        state: state.as_str().to_string(),
                    },
                );
            }
            SyncEvent::RowsChanged { ids } => {
                let n = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                let round_rows = rows.fetch_add(n, Ordering::Relaxed).saturating_add(n);
                let _ = app.emit(ROWS_EVENT, SyncRowsEvent { ids, round_rows });
            }
        })
        .map_err(|e| sync_signin::sync_error_ui(&e))?;
        *worker = Some(handle);
        Ok(())
    }

    /// Stops the worker when the window closes (its current step finishes first).
    pub fn shutdown(&self) {
        if let Some(handle) = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = handle.stop();
        }
    }
}

fn no_portal() -> UiError {
    UiError {
        code: "NO_PORTAL".into(),
        kk: "Портал бапталмаған: журналмен осы компьютерде жұмыс істеңіз.".into(),
        ru: "Портал не настроен: работайте с журналом на этом компьютере.".into(),
        detail: Some(format!("{PORTAL_ENV} is not set")),
        fields: Vec::new(),
    }
}

// `async` runs each command on Tauri's worker pool, not on the window's main thread.

#[tauri::command(async)]
pub fn sign_in_form(
    journal: State<'_, OpenJournal>,
    session: State<'_, SyncSession>,
) -> Result<SignInForm, UiError> {
    let demo = env_value(DEMO_IIN_ENV).zip(env_value(DEMO_PASSWORD_ENV));
    let signed_in = session.signed_in();
    journal.with(|d| d.sign_in_form(session.portal_url.as_deref(), signed_in, demo.clone()))
}

/// Whether the portal answers at all (start: offline with an earlier sign-in goes
/// straight to the journal).
#[tauri::command(async)]
pub fn portal_reachable(session: State<'_, SyncSession>) -> bool {
    let reachable = session
        .portal_url
        .as_deref()
        .is_some_and(sync_signin::portal_reachable);
    session.unreachable.store(!reachable, Ordering::Relaxed);
    reachable
}

/// Signs in with IIN + password and starts the background sync. A wrong password
/// or an unreachable portal is an error in kk/ru; with the portal out of reach, a clerk
/// who signed in on this desk before works offline and the worker keeps trying.
#[tauri::command(async)]
pub fn sign_in(
    app: AppHandle,
    journal: State<'_, OpenJournal>,
    session: State<'_, SyncSession>,
    iin: String,
    password: String,
    district_id: Option<String>,
) -> Result<SyncBar, UiError> {
    let password = Zeroizing::new(password);
    let Some(url) = session.portal_url.clone() else {
        return Err(no_portal());
    };
    let iin = domain::Iin::parse(iin.trim()).map_err(|e| UiError::from(desk::Error::from(e)))?;
    match sync_signin::check_sign_in(&url, &iin, password.as_str()) {
        Ok(SignedIn { .. }) => {
            let now = time::OffsetDateTime::now_utc();
            journal.with_mut(|d| d.record_sign_in(&iin, district_id.as_deref(), now))?;
        }
        Err(e) if e.is_transient() && journal.with(|d| d.signed_in_here_before(&iin))? => {
            // Offline is a normal state: work on, the worker signs in later.
        }
        Err(e) => return Err(sync_signin::sync_error_ui(&e)),
    }
    session.start(app, &iin, &password)?;
    journal.with(|d| d.sync_bar(PortalSession::SignedIn, 0))
}

#[tauri::command(async)]
pub fn sync_status(
    journal: State<'_, OpenJournal>,
    session: State<'_, SyncSession>,
) -> Result<SyncBar, UiError> {
    let rows = session.round_rows.load(Ordering::Relaxed);
    journal.with(|d| d.sync_bar(session.portal_session(), rows))
}

/// "Sync now", and after every local decision: `true` when a round was started.
#[tauri::command(async)]
pub fn sync_now(session: State<'_, SyncSession>) -> bool {
    session.sync_now()
}
