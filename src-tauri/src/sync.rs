//! Sign-in, the clerk's session and background sync for the window (R-1, R-3, R-33,
//! issue 16): thin commands over `desk::session::Session` (which holds the rules: who may
//! sign in offline, the district, the lock, the worker and its restarts), and the bridge
//! from the session's events to Tauri events. Passwords arrive as the IPC's `String` and
//! are moved into `desk::session::Password` (zeroized, redacted) at once.
//!
//! Events:
//! - `sync-state` (`SyncStateEvent`): the worker's state changed (`syncing`, `online`,
//!   `offline`, `sign_in_required`); the UI asks `sync_status` for the whole bar.
//! - `sync-rows` (`SyncRowsEvent`): rows changed in the journal (ids of at most a page),
//!   with the count received in the running round.
//! - `sync-worker` (`WorkerEvent`): the worker stopped with an error code; `restarting`
//!   when it starts again by itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use desk::UiError;
use desk::session::{EdsKey, EventSink, Password, SessionEvent};
use desk::signing::Zeroizing;
use desk::sync_run::SyncEvent;
use desk::views::KeyChoice;
use desk::views::{SessionView, SignInForm, SyncBar};
use serde::Serialize;
use tauri::{AppHandle, Emitter, State};

use crate::commands::OpenJournal;

/// Demo only: the demo clerk to prefill the form with (scripts/run-app). Read only by
/// debug builds and builds with the `demo` feature (issue 15): a school's release build
/// has no demo credentials in it and ignores these variables.
pub const DEMO_IIN_ENV: &str = "QABYLDAU_DEMO_IIN";
pub const DEMO_PASSWORD_ENV: &str = "QABYLDAU_DEMO_PASSWORD";

pub const STATE_EVENT: &str = "sync-state";
pub const ROWS_EVENT: &str = "sync-rows";
pub const WORKER_EVENT: &str = "sync-worker";

#[derive(Debug, Clone, Serialize)]
pub struct SyncStateEvent {
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncRowsEvent {
    pub ids: Vec<String>,
    pub round_rows: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkerEvent {
    pub code: String,
    pub restarting: bool,
}

pub fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The session's events as the window's events.
pub fn event_sink(app: AppHandle) -> EventSink {
    let rows = Arc::new(AtomicU32::new(0));
    Arc::new(move |event| match event {
        SessionEvent::Sync(SyncEvent::State(state)) => {
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
        SessionEvent::Sync(SyncEvent::RowsChanged { ids }) => {
            let n = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            let round_rows = rows.fetch_add(n, Ordering::Relaxed).saturating_add(n);
            let _ = app.emit(ROWS_EVENT, SyncRowsEvent { ids, round_rows });
        }
        SessionEvent::WorkerStopped { code, restarting } => {
            let _ = app.emit(WORKER_EVENT, WorkerEvent { code, restarting });
        }
    })
}

// `async` runs each command on Tauri's worker pool, not on the window's main thread.

#[tauri::command(async)]
pub fn sign_in_form(journal: State<'_, OpenJournal>) -> Result<SignInForm, UiError> {
    journal.problem()?;
    Ok(journal.session().sign_in_form(demo_clerk()))
}

/// The demo clerk to prefill, in debug and demo builds only.
#[cfg(any(debug_assertions, feature = "demo"))]
fn demo_clerk() -> Option<(String, String)> {
    env_value(DEMO_IIN_ENV).zip(env_value(DEMO_PASSWORD_ENV))
}

#[cfg(not(any(debug_assertions, feature = "demo")))]
fn demo_clerk() -> Option<(String, String)> {
    None
}

/// Whether the portal answers at all (for the status bar before sign-in).
#[tauri::command(async)]
pub fn portal_reachable(journal: State<'_, OpenJournal>) -> bool {
    journal.session().probe_portal()
}

/// Signs in with IIN + password: online when the portal answers, offline for
/// a clerk who signed in online here before when it does not. Opens the journal.
#[tauri::command(async)]
pub fn sign_in(
    journal: State<'_, OpenJournal>,
    iin: String,
    password: String,
    district_id: Option<String>,
) -> Result<SessionView, UiError> {
    let password = Password::new(password);
    journal.problem()?;
    let now = time::OffsetDateTime::now_utc();
    journal
        .session()
        .sign_in_password(&iin, password, district_id.as_deref(), now, Instant::now())
        .map_err(UiError::from)
}

/// The authentication key a choice names, opened with its PIN or password (a picked key
/// file by its handle; NCALayer with the window's settings).
fn eds_key(
    picked: &crate::picked::Picked,
    settings: &crate::settings::AppSettings,
    key: KeyChoice,
    secret: Zeroizing<String>,
) -> Result<EdsKey, UiError> {
    let files = picked.for_key(&key);
    Ok(EdsKey::open(
        &settings.modules(),
        key,
        &files,
        secret,
        &crate::decisions::ncalayer_settings()?,
    )?)
}

/// Signs in by EDS: the portal's challenge signed with the clerk's authentication
/// key (token, key file, or NCALayer); `password` only when the form asked for it once
/// (`EDS_PASSWORD_NEEDED`). Opens the journal.
#[tauri::command(async)]
pub fn sign_in_eds(
    journal: State<'_, OpenJournal>,
    picked: State<'_, crate::picked::Picked>,
    settings: State<'_, crate::settings::AppSettings>,
    key: KeyChoice,
    secret: String,
    password: Option<String>,
    district_id: Option<String>,
) -> Result<SessionView, UiError> {
    let secret = Zeroizing::new(secret);
    let password = password.map(Password::new);
    journal.problem()?;
    let key = eds_key(&picked, &settings, key, secret)?;
    let now = time::OffsetDateTime::now_utc();
    journal
        .session()
        .sign_in_eds(key, password, district_id.as_deref(), now, Instant::now())
        .map_err(UiError::from)
}

/// The lock screen by EDS: the same authentication key the clerk signed in with.
#[tauri::command(async)]
pub fn session_unlock_eds(
    journal: State<'_, OpenJournal>,
    picked: State<'_, crate::picked::Picked>,
    settings: State<'_, crate::settings::AppSettings>,
    key: KeyChoice,
    secret: String,
) -> Result<SessionView, UiError> {
    let secret = Zeroizing::new(secret);
    let key = eds_key(&picked, &settings, key, secret)?;
    let now = time::OffsetDateTime::now_utc();
    journal
        .session()
        .unlock_eds(key, now, Instant::now())
        .map_err(UiError::from)
}

/// R-2, the first sign-in: the clerk's e-mail; the portal sends a 4-digit code to it.
#[tauri::command(async)]
pub fn sign_in_email_send(
    journal: State<'_, OpenJournal>,
    email: String,
) -> Result<SessionView, UiError> {
    journal
        .session()
        .send_email_code(&email, Instant::now())
        .map_err(UiError::from)
}

/// the code from the e-mail; right, and the journal opens.
#[tauri::command(async)]
pub fn sign_in_email_confirm(
    journal: State<'_, OpenJournal>,
    code: String,
) -> Result<SessionView, UiError> {
    let now = time::OffsetDateTime::now_utc();
    journal
        .session()
        .confirm_email(&code, now, Instant::now())
        .map_err(UiError::from)
}

/// Signed out, open or locked (the lock time is checked now).
#[tauri::command(async)]
pub fn session_state(journal: State<'_, OpenJournal>) -> SessionView {
    journal.session().view(Instant::now())
}

/// The clerk is active (keys, clicks): the lock time starts again.
#[tauri::command(async)]
pub fn session_touch(journal: State<'_, OpenJournal>) -> SessionView {
    let at = Instant::now();
    journal.session().touch(at);
    journal.session().view(at)
}

#[tauri::command(async)]
pub fn session_lock(journal: State<'_, OpenJournal>) -> SessionView {
    journal.session().lock();
    journal.session().view(Instant::now())
}

/// The lock screen's password: the signed-in clerk goes on where they were.
#[tauri::command(async)]
pub fn session_unlock(
    journal: State<'_, OpenJournal>,
    password: String,
) -> Result<SessionView, UiError> {
    let password = Password::new(password);
    let now = time::OffsetDateTime::now_utc();
    journal
        .session()
        .unlock(password, now, Instant::now())
        .map_err(UiError::from)
}

/// "Another clerk": the journal closes; its key waits in memory for the next online
/// sign-in, so a clerk new to this desk can be given it.
#[tauri::command(async)]
pub fn switch_clerk(journal: State<'_, OpenJournal>) -> SessionView {
    journal.session().switch_clerk();
    journal.session().view(Instant::now())
}

/// Sign out (or switch clerk): the journal closes; the outbox waits for its clerks.
#[tauri::command(async)]
pub fn sign_out(journal: State<'_, OpenJournal>) -> SessionView {
    journal.session().sign_out();
    journal.session().view(Instant::now())
}

#[tauri::command(async)]
pub fn sync_status(journal: State<'_, OpenJournal>) -> Result<SyncBar, UiError> {
    journal.problem()?;
    Ok(journal.session().sync_bar(Instant::now()))
}

/// "Sync now", and after every local decision: `true` when a round was started.
#[tauri::command(async)]
pub fn sync_now(journal: State<'_, OpenJournal>) -> bool {
    journal.session().sync_now()
}
