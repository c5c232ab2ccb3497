//! Issue 15, R-5: is the history what the app wrote? The walk itself is the store's
//! (`store::Store::verify_history`); here the desk answers the CLI and keeps the
//! window's verdict for the session.

use crate::{Desk, Error};
pub use store::{ChainFault, HistoryCheck};

impl Desk {
    /// Walks the whole history chain now and reports the first broken link.
    pub fn verify_history(&self) -> Result<HistoryCheck, Error> {
        Ok(self.store().verify_history()?)
    }

    /// Whether the history chain was broken when first asked in this session (the
    /// status bar's warning). Walked once: the desk's own appends keep an intact chain
    /// intact, and a journal of a school's size is walked in milliseconds.
    pub fn history_broken(&self) -> Result<bool, Error> {
        if let Some(broken) = self.history_broken.get() {
            return Ok(*broken);
        }
        let broken = matches!(self.verify_history()?, HistoryCheck::Broken { .. });
        Ok(*self.history_broken.get_or_init(|| broken))
    }
}
