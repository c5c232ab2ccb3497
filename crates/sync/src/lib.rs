//! The sync engine (R-33, issue 5): the desk's local replica follows the portal, and
//! everything done at the desk reaches the portal exactly once.
//!
//! - [`PortalClient`]: the portal API (api/portal.openapi.yaml) over reqwest, typed
//!   answers or an [`Error`] classed transient / refused / sign-in / local.
//! - [`SyncWorker::run_round`]: reference data, pull by cursor (one transaction per page
//!   with its cursor), push of the outbox in order under idempotency keys with backoff,
//!   documents into the bounded offline cache.
//! - [`status`]: the sync state the window shows.
//!
//! Invariants: no clock is read for timestamps (the round's time is passed in and moved
//! on by a monotonic clock); an outbox entry leaves `pending` only with the portal's
//! answer; memory holds one page. The exactly-once argument is in SYNC.md.

mod backoff;
mod client;
mod error;
mod pull;
mod push;
mod push_batch;
mod register_check;
mod state;
mod worker;

pub use backoff::Backoff;
pub use client::{
    ClientConfig, Conditional, JSON_MAX_BYTES, PortalClient, RawChangesPage, Written,
};
pub use error::{Error, ErrorClass};
pub use register_check::REGISTER_DIFFERS;
pub use state::{SyncEvent, SyncState, SyncStatus, status};
pub use worker::{RoundReport, SyncConfig, SyncWorker};
