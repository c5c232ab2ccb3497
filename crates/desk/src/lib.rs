//! The use cases of the admissions desk. The Tauri commands and the `qabyldau` CLI are
//! thin shells over this crate: they convert input, call one function here, and show
//! the result or the error's code.
//!
//! Invariants: nothing here knows Tauri; time, ids and randomness are passed in; views
//! (`views`) are the only types that cross to the UI, and they are separate from the
//! domain and store types on purpose.

pub mod audit;
pub mod backup;
mod catalogue;
pub mod decide;
mod decisions_actions;
mod decisions_clerk;
mod decisions_documents;
pub mod demo_data;
pub mod document_fit;
pub mod document_preview;
mod drafts;
mod error;
pub mod file_names;
mod journal;
pub mod keys;
pub mod log_mask;
pub mod on_behalf;
pub mod picked_files;
mod print;
pub mod saved_files;
pub mod session;
pub mod settings;
pub mod sync_run;
pub mod sync_signin;
pub mod vault;
pub mod views;
mod views_walk_in;
pub mod walk_in_binding;
pub mod walk_in_correction;
pub mod walk_in_holds;
pub mod walk_in_portal;
pub mod wizard_form;
pub mod wizard_steps;

pub use catalogue::catalogue;
pub use catalogue::error_text as catalogue_error_text;
pub use drafts::{DRAFT_KEPT, DRAFT_MAX_BYTES};
pub use error::{Error, UiError};
pub use receipts;
pub use secrecy::ExposeSecret;
pub use signing;
pub use sync;

use std::path::Path;
use store::Store;

/// An open desk: the local journal of one school.
#[derive(Debug)]
pub struct Desk {
    store: Store,
    /// The history chain's verdict for this session (`audit`).
    history_broken: std::sync::OnceLock<bool>,
    /// The clerk a [`session::Session`] opened this journal for.
    signed_in: Option<domain::Iin>,
}

impl Desk {
    /// Opens a PLAINTEXT journal database, creating and migrating it as needed. A file
    /// that is not a journal, or one from a newer app, is refused and left untouched.
    ///
    /// To be removed (issue 16): kept for the window until it signs in before opening;
    /// everything else opens the journal with [`Desk::open_encrypted`] and a key from
    /// [`vault::enroll`] / [`vault::unlock`].
    pub fn open(db_path: &Path) -> Result<Desk, Error> {
        Ok(Desk {
            store: Store::open(db_path)?,
            history_broken: std::sync::OnceLock::new(),
            signed_in: None,
        })
    }

    /// Set by the session that opened the journal: decisions, submissions and bindings
    /// are then recorded as this clerk and nobody else.
    pub(crate) fn set_signed_in(&mut self, clerk: domain::Iin) {
        self.signed_in = Some(clerk);
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}
