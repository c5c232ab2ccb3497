//! Who decides: the clerk signed in on this desk. Their IIN is what the
//! certificate of the key must carry, so a decision is never signed in someone else's name.

use crate::{Desk, Error};
use domain::Iin;

impl Desk {
    /// The signed-in clerk's IIN: the clerk of the [`crate::session::Session`] that opened
    /// this journal (the window); a journal opened without a session (the CLI) uses the
    /// clerk the journal's sync state names. `NOT_SIGNED_IN` when nobody is: a decision
    /// then waits for sign-in rather than guessing a staff member.
    pub fn current_clerk(&self) -> Result<Iin, Error> {
        if let Some(clerk) = self.signed_in {
            return Ok(clerk);
        }
        match self.store().sync_value("clerk_iin")? {
            Some(s) if !s.trim().is_empty() => Ok(Iin::parse(s.trim())?),
            _ => Err(Error::NotSignedIn),
        }
    }
}
