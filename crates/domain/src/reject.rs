use crate::{Error, Lang};

/// The catalogue of reasons to reject, with stable codes shared with the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RejectReasonCode {
    IncompleteDocuments,
    UnreadableDocuments,
    NoFreePlaces,
    OutsideMicroDistrict,
    Age,
    NoConsent,
    Other,
}

/// A reason as decided: a code from the catalogue and, for `Other` (required) or any
/// other code (optional), the clerk's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectReason {
    code: RejectReasonCode,
    text: Option<String>,
}

impl RejectReasonCode {
    pub const ALL: [RejectReasonCode; 7] = [
        RejectReasonCode::IncompleteDocuments,
        RejectReasonCode::UnreadableDocuments,
        RejectReasonCode::NoFreePlaces,
        RejectReasonCode::OutsideMicroDistrict,
        RejectReasonCode::Age,
        RejectReasonCode::NoConsent,
        RejectReasonCode::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RejectReasonCode::IncompleteDocuments => "incomplete_documents",
            RejectReasonCode::UnreadableDocuments => "unreadable_documents",
            RejectReasonCode::NoFreePlaces => "no_free_places",
            RejectReasonCode::OutsideMicroDistrict => "outside_micro_district",
            RejectReasonCode::Age => "age",
            RejectReasonCode::NoConsent => "no_consent",
            RejectReasonCode::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<RejectReasonCode, Error> {
        RejectReasonCode::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| Error::RejectReasonUnknown { got: s.to_string() })
    }

    pub fn label(self, lang: Lang) -> &'static str {
        i18n::static_text(lang, &format!("reject-reason-{}", self.as_str()))
    }
}

pub const REJECT_TEXT_MAX_CHARS: usize = 1000;

impl RejectReason {
    pub fn new(code: RejectReasonCode, text: Option<&str>) -> Result<RejectReason, Error> {
        let text = text
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(REJECT_TEXT_MAX_CHARS).collect::<String>());
        if code == RejectReasonCode::Other && text.is_none() {
            return Err(Error::RejectReasonTextRequired);
        }
        Ok(RejectReason { code, text })
    }

    pub fn code(&self) -> RejectReasonCode {
        self.code
    }

    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn catalogue_codes_are_unique_and_labelled_in_both_languages() {
        let mut seen = std::collections::BTreeSet::new();
        for c in RejectReasonCode::ALL {
            assert!(seen.insert(c.as_str()));
            assert_eq!(RejectReasonCode::parse(c.as_str()), Ok(c));
            assert_ne!(c.label(Lang::Kk), c.label(Lang::Ru));
        }
    }

    #[test]
    fn other_needs_text_the_rest_do_not() {
        assert_eq!(
            RejectReason::new(RejectReasonCode::Other, Some("  ")).map_err(|e| e.code()),
            Err(ErrorCode::RejectReasonTextRequired)
        );
        assert!(RejectReason::new(RejectReasonCode::Other, Some("Құжат жалған")).is_ok());
        assert!(RejectReason::new(RejectReasonCode::NoFreePlaces, None).is_ok());
        assert_eq!(
            RejectReasonCode::parse("bribe").map_err(|e| e.code()),
            Err(ErrorCode::RejectReasonUnknown)
        );
    }
}
