//! What the open application offers: whether a decision can be signed
//! now and which receipt prints — the same checks `decide` and `receipt` make, asked
//! before the clerk types a PIN.

use crate::views::ApplicationActions;
use crate::{Desk, Error};
use domain::Action;

impl Desk {
    pub fn application_actions(&self, application_id: &str) -> Result<ApplicationActions, Error> {
        let (app, _, _) = self.store().application(application_id)?;
        let decide_blocked = match app.status.apply(Action::Accept) {
            Err(e) => Some(e.code().as_str().to_string()),
            Ok(_) if app.number.is_provisional() => {
                Some(Error::ApplicationProvisional.code().to_string())
            }
            Ok(_) => None,
        };
        Ok(ApplicationActions {
            can_decide: decide_blocked.is_none(),
            decide_blocked,
            receipt_kind: self.receipt_kind(application_id)?,
        })
    }
}
