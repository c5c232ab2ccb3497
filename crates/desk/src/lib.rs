//! The use cases of the admissions desk. The Tauri commands and the `qabyldau` CLI are
//! thin shells over this crate: they convert input, call one function here, and show
//! the result or the error's code.
//!
//! Invariants: nothing here knows Tauri; time, ids and randomness are passed in; views
//! (`views`) are the only types that cross to the UI, and they are separate from the
//! domain and store types on purpose.

pub mod backup;
mod catalogue;
pub mod decide;
mod decisions_actions;
mod decisions_clerk;
mod decisions_documents;
pub mod demo_data;
mod error;
mod journal;
pub mod keys;
pub mod on_behalf;
mod print;
pub mod settings;
pub mod sync_run;
pub mod sync_signin;
pub mod views;
pub mod wizard_steps;

pub use catalogue::catalogue;
pub use error::{Error, UiError};
pub use receipts;
pub use signing;
pub use sync;

use std::path::Path;
use store::Store;

/// An open desk: the local journal of one school.
#[derive(Debug)]
pub struct Desk {
    store: Store,
}

impl Desk {
    /// Opens the journal database, creating and migrating it as needed. A file that is
    /// not a journal, or one from a newer app, is refused and left untouched.
    pub fn open(db_path: &Path) -> Result<Desk, Error> {
        Ok(Desk {
            store: Store::open(db_path)?,
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }
}
