use crate::{Error, Lang};

/// Where an application stands on the portal. Local sync marks (waiting to send,
/// refused by the portal, provisional) are not statuses: they live beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Submitted, nobody has looked yet.
    New,
    /// A clerk has opened it for review.
    UnderReview,
    Accepted,
    Rejected,
    /// The parent withdrew it.
    Withdrawn,
}

/// What can happen to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    TakeForReview,
    Accept,
    Reject,
    Withdraw,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::TakeForReview => "take_for_review",
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Withdraw => "withdraw",
        }
    }
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::UnderReview,
        Status::Accepted,
        Status::Rejected,
        Status::Withdrawn,
    ];

    /// The allowed transitions. Anything else is an error, never a panic.
    pub fn apply(self, action: Action) -> Result<Status, Error> {
        use Action::*;
        use Status::*;
        match (self, action) {
            (New, TakeForReview) => Ok(UnderReview),
            (New | UnderReview, Accept) => Ok(Accepted),
            (New | UnderReview, Reject) => Ok(Rejected),
            (New | UnderReview, Withdraw) => Ok(Withdrawn),
            (from, action) => Err(Error::TransitionNotAllowed {
                from,
                action: action.as_str(),
            }),
        }
    }

    /// Pending = still being decided; a child may have only one (R-29).
    pub fn is_pending(self) -> bool {
        matches!(self, Status::New | Status::UnderReview)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::UnderReview => "under_review",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Result<Status, Error> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| Error::StatusInvalid { got: s.to_string() })
    }

    pub fn label(self, lang: Lang) -> &'static str {
        i18n::static_text(lang, &format!("status-{}", self.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    /// The whole transition table, as data: a change here is a change of the rules.
    #[test]
    fn transition_table() {
        let actions = [
            Action::TakeForReview,
            Action::Accept,
            Action::Reject,
            Action::Withdraw,
        ];
        let mut out = String::new();
        for from in Status::ALL {
            for action in actions {
                let to = match from.apply(action) {
                    Ok(to) => to.as_str().to_string(),
                    Err(e) => e.code().to_string(),
                };
                out.push_str(&format!(
                    "{} --{}--> {}\n",
                    from.as_str(),
                    action.as_str(),
                    to
                ));
            }
        }
        expect![[r#"
            new --take_for_review--> under_review
            new --accept--> accepted
            new --reject--> rejected
            new --withdraw--> withdrawn
            under_review --take_for_review--> TRANSITION_NOT_ALLOWED
            under_review --accept--> accepted
            under_review --reject--> rejected
            under_review --withdraw--> withdrawn
            accepted --take_for_review--> TRANSITION_NOT_ALLOWED
            accepted --accept--> TRANSITION_NOT_ALLOWED
            accepted --reject--> TRANSITION_NOT_ALLOWED
            accepted --withdraw--> TRANSITION_NOT_ALLOWED
            rejected --take_for_review--> TRANSITION_NOT_ALLOWED
            rejected --accept--> TRANSITION_NOT_ALLOWED
            rejected --reject--> TRANSITION_NOT_ALLOWED
            rejected --withdraw--> TRANSITION_NOT_ALLOWED
            withdrawn --take_for_review--> TRANSITION_NOT_ALLOWED
            withdrawn --accept--> TRANSITION_NOT_ALLOWED
            withdrawn --reject--> TRANSITION_NOT_ALLOWED
            withdrawn --withdraw--> TRANSITION_NOT_ALLOWED
        "#]]
        .assert_eq(&out);
    }

    #[test]
    fn status_strings_round_trip() {
        for st in Status::ALL {
            assert_eq!(Status::parse(st.as_str()), Ok(st));
        }
        assert!(Status::parse("approved").is_err());
    }
}
