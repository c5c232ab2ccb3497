//! The sync state the window shows: online / offline / syncing / sign-in needed,
//! the last successful sync, the last error, and the pending and refused counts. Kept in
//! the database (`sync_state`), so the window reads it whichever process syncs.

use crate::error::{Error, ErrorClass};
use store::Store;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const STATE: &str = "state";
const LAST_SYNC_AT: &str = "last_sync_at";
const LAST_ERROR: &str = "last_error";
const LAST_ERROR_AT: &str = "last_error_at";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    /// The last round completed.
    Online,
    /// The portal could not be reached or answered 5xx; work goes on locally.
    Offline,
    /// A round is running.
    Syncing,
    /// 401: pushing waits until the clerk signs in again.
    SignInRequired,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncState::Online => "online",
            SyncState::Offline => "offline",
            SyncState::Syncing => "syncing",
            SyncState::SignInRequired => "sign_in_required",
        }
    }

    pub fn parse(s: &str) -> Option<SyncState> {
        [
            SyncState::Online,
            SyncState::Offline,
            SyncState::Syncing,
            SyncState::SignInRequired,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// What happened, for the window to refresh (a Tauri event each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    State(SyncState),
    /// Local ids of rows a page or an answer changed (at most a page of them).
    RowsChanged {
        ids: Vec<String>,
    },
}

/// The status bar's sync part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    pub state: SyncState,
    pub last_sync_at: Option<OffsetDateTime>,
    /// Stable code of the last error, cleared by a completed round.
    pub last_error: Option<String>,
    pub last_error_at: Option<OffsetDateTime>,
    /// Outbox entries waiting to be sent.
    pub pending: u64,
    /// Applications whose last local action the portal refused.
    pub refused: u64,
    /// Pulled applications this app could not read, kept raw («could not be read, N»).
    pub unreadable: u64,
}

fn time_value(store: &Store, key: &str) -> Result<Option<OffsetDateTime>, Error> {
    Ok(store
        .sync_value(key)?
        .and_then(|s| OffsetDateTime::parse(&s, &Rfc3339).ok()))
}

fn stamp(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// Reads the sync status; a journal never synced is `offline` with no last sync.
pub fn status(store: &Store) -> Result<SyncStatus, Error> {
    let state = store
        .sync_value(STATE)?
        .as_deref()
        .and_then(SyncState::parse)
        .unwrap_or(SyncState::Offline);
    Ok(SyncStatus {
        state,
        last_sync_at: time_value(store, LAST_SYNC_AT)?,
        last_error: store.sync_value(LAST_ERROR)?.filter(|s| !s.is_empty()),
        last_error_at: time_value(store, LAST_ERROR_AT)?,
        pending: store.outbox_counts()?.pending,
        refused: store.status_counts()?.refused,
        unreadable: store.quarantined_count()?,
    })
}

pub(crate) fn set_state(
    store: &mut Store,
    state: SyncState,
    events: &mut (dyn FnMut(SyncEvent) + Send),
) -> Result<(), Error> {
    store.set_sync_value(STATE, state.as_str())?;
    events(SyncEvent::State(state));
    Ok(())
}

pub(crate) fn record_success(
    store: &mut Store,
    now: OffsetDateTime,
    events: &mut (dyn FnMut(SyncEvent) + Send),
) -> Result<(), Error> {
    store.set_sync_value(LAST_SYNC_AT, &stamp(now))?;
    store.set_sync_value(LAST_ERROR, "")?;
    set_state(store, SyncState::Online, events)
}

pub(crate) fn record_failure(
    store: &mut Store,
    e: &Error,
    now: OffsetDateTime,
    events: &mut (dyn FnMut(SyncEvent) + Send),
) -> Result<(), Error> {
    store.set_sync_value(LAST_ERROR, e.code())?;
    store.set_sync_value(LAST_ERROR_AT, &stamp(now))?;
    let state = if e.class() == ErrorClass::SignIn {
        SyncState::SignInRequired
    } else {
        SyncState::Offline
    };
    set_state(store, state, events)
}
