//! The use cases of the admissions desk. The Tauri commands and the `qabyldau` CLI are
//! thin shells over this crate: they convert input, call one function here, and show
//! the result or the error's code.
//!
//! Invariants: nothing here knows Tauri; time, ids and randomness are passed in; views
//! (`views`) are the only types that cross to the UI, and they are separate from the
//! domain and store types on purpose.

mod catalogue;
mod decisions;
mod error;
pub mod error_place;
mod journal;
pub mod keys;
pub mod log_mask;
mod print;
pub mod session;
pub mod settings;
pub mod sync;
pub mod vault;
pub mod views;
mod views_walk_in;
mod wizard;

// The modules' public paths (`desk::decide`, `desk::wizard_steps`, …) as they were before
// they were grouped by area (issue 17).
pub use self::sync::{run as sync_run, signin as sync_signin};
pub use decisions::decide;
pub use journal::{audit, backup, demo_data};
pub use print::{file_names, saved_files};
pub use wizard::{
    document_fit, document_preview, form as wizard_form, on_behalf, picked_files,
    steps as wizard_steps, walk_in_binding, walk_in_correction, walk_in_holds, walk_in_portal,
};

pub use catalogue::catalogue;
pub use catalogue::error_text as catalogue_error_text;
pub use error::{Error, UiError};
pub use receipts;
pub use secrecy::ExposeSecret;
pub use signing;
pub use wizard::drafts::{DRAFT_KEPT, DRAFT_MAX_BYTES, WizardDraftView};

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
