//! Talking with the portal: signing in and the status bar's sync part
//! (`signin`), and running the sync engine for the CLI and the window (`run`).
//!
//! `desk::sync` also carries the engine's own items (the `sync` crate: `PortalClient`,
//! `SyncWorker`, `Error`, …), so a caller names one path for both.

pub use ::sync::*;

pub mod run;
pub mod signin;
