//! Where the window shows an error (issue 17): the one rule that puts a code next to the
//! field it concerns — the signing key, its PIN or password, the school, the rejection's
//! reason, the sign-in's district — or on the form as a whole. Every [`crate::UiError`]
//! carries its place; the UI puts the message there and decides nothing by code.
//! A form's own field errors (`UiError.fields`) name their fields themselves.

use serde::Serialize;
use ts_rs::TS;

/// The part of a form an error belongs next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorPlace {
    /// The form as a whole: its banner or its error line.
    Form,
    /// The signing or sign-in key chosen: a token, a key file, NCALayer, its certificate.
    Key,
    /// The key's PIN or password, or the sign-in's password.
    Secret,
    /// The school chosen in the wizard (`school_id`): unknown, or no free places.
    School,
    /// The rejection's reason in the decision dialog.
    RejectReason,
    /// The district or city chosen at sign-in.
    District,
}

/// Families of codes named by their prefix: every code of the family has the place.
const PREFIXES: &[(&str, ErrorPlace)] = &[
    ("PIN_", ErrorPlace::Secret),
    ("PASSWORD_", ErrorPlace::Secret),
    ("TOKEN_", ErrorPlace::Key),
    ("PKCS11_", ErrorPlace::Key),
    ("KEY_", ErrorPlace::Key),
    ("CERTIFICATE_", ErrorPlace::Key),
    ("NCALAYER_", ErrorPlace::Key),
    ("GOST_", ErrorPlace::Key),
    ("REJECT_REASON_", ErrorPlace::RejectReason),
    ("DISTRICT_", ErrorPlace::District),
];

/// Codes placed one by one.
const CODES: &[(&str, ErrorPlace)] = &[
    // The sign-in's password: refused by the portal, or not opening this desk's journal.
    ("CREDENTIALS_INVALID", ErrorPlace::Secret),
    ("VAULT_WRONG_PASSWORD", ErrorPlace::Secret),
    ("VAULT_WAIT", ErrorPlace::Secret),
    // The key file as picked or read, and what is on the token.
    ("FILE_READ_FAILED", ErrorPlace::Key),
    ("FILE_NOT_REGULAR", ErrorPlace::Key),
    ("FILE_TOO_LARGE", ErrorPlace::Key),
    ("FILE_HANDLE_UNKNOWN", ErrorPlace::Key),
    ("NO_CERTIFICATE_ON_TOKEN", ErrorPlace::Key),
    ("NO_CERTIFICATE", ErrorPlace::Key),
    ("NO_PRIVATE_KEY", ErrorPlace::Key),
    ("IIN_MISMATCH", ErrorPlace::Key),
    ("SIGNING_FAILED", ErrorPlace::Key),
    ("EDS_NOT_AUTHENTICATION_KEY", ErrorPlace::Key),
    // R-12 and the reference list: the school chosen.
    ("SCHOOL_UNKNOWN", ErrorPlace::School),
    ("NO_FREE_PLACES", ErrorPlace::School),
];

/// Where the error with `code` is shown; [`ErrorPlace::Form`] for every code no rule names.
pub fn place_of(code: &str) -> ErrorPlace {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .or_else(|| PREFIXES.iter().find(|(p, _)| code.starts_with(p)))
        .map_or(ErrorPlace::Form, |(_, place)| *place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_placed_next_to_what_it_concerns() {
        use ErrorPlace::*;
        let cases: &[(&str, ErrorPlace)] = &[
            // The PIN or password of the key, and the sign-in's password.
            ("PIN_INCORRECT", Secret),
            ("PIN_LOCKED", Secret),
            ("PIN_NOT_INITIALIZED", Secret),
            ("PASSWORD_INCORRECT", Secret),
            ("PASSWORD_EMPTY", Secret),
            ("CREDENTIALS_INVALID", Secret),
            ("VAULT_WRONG_PASSWORD", Secret),
            ("VAULT_WAIT", Secret),
            // The key: token, module, key file, certificate, NCALayer.
            ("TOKEN_NOT_FOUND", Key),
            ("TOKEN_REMOVED", Key),
            ("PKCS11_MODULE_UNKNOWN", Key),
            ("PKCS11_FAILED", Key),
            ("KEY_FILE_INVALID", Key),
            ("KEY_NOT_FOR_SIGNING", Key),
            ("CERTIFICATE_EXPIRED", Key),
            ("CERTIFICATE_REVOKED", Key),
            ("NCALAYER_CANCELLED", Key),
            ("NCALAYER_UNAVAILABLE", Key),
            ("GOST_2004_RETIRED", Key),
            ("FILE_READ_FAILED", Key),
            ("FILE_NOT_REGULAR", Key),
            ("FILE_TOO_LARGE", Key),
            ("FILE_HANDLE_UNKNOWN", Key),
            ("NO_CERTIFICATE_ON_TOKEN", Key),
            ("NO_PRIVATE_KEY", Key),
            ("IIN_MISMATCH", Key),
            ("SIGNING_FAILED", Key),
            ("EDS_NOT_AUTHENTICATION_KEY", Key),
            // The wizard's school, the decision's reason, the district.
            ("SCHOOL_UNKNOWN", School),
            ("NO_FREE_PLACES", School),
            ("REJECT_REASON_UNKNOWN", RejectReason),
            ("REJECT_REASON_TEXT_REQUIRED", RejectReason),
            ("DISTRICT_REQUIRED", District),
            ("DISTRICT_MISMATCH", District),
            // The rest: the form as a whole.
            ("DOCUMENT_UNREADABLE", Form),
            ("FILE_NOT_WRITTEN", Form),
            ("FILE_DISK_FULL", Form),
            ("INVALID_INPUT", Form),
            ("PORTAL_UNREACHABLE", Form),
            ("VAULT_NOT_ENROLLED", Form),
            ("EDS_PASSWORD_NEEDED", Form),
            ("DB_CORRUPT", Form),
            ("UI_BRIDGE", Form),
            ("", Form),
        ];
        for (code, want) in cases {
            assert_eq!(place_of(code), *want, "{code:?}");
        }
    }
}
