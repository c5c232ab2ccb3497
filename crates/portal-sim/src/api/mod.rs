//! Handlers of `/api/v1`: the portal as the desk sees it, one module per resource.

mod applications;
mod auth;
mod codes;
mod decision_batches;
mod reference;
mod register;
mod submission;

pub use applications::*;
pub use auth::*;
pub use codes::*;
pub use decision_batches::*;
pub use reference::*;
pub use register::*;
pub use submission::*;

use crate::error::Error;
use crate::respond;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

type Q = Query<HashMap<String, String>>;

fn ok_json<T: serde::Serialize>(value: &T) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => respond(StatusCode::OK, "application/json", body),
        Err(e) => Error::from(e).into_response(),
    }
}

fn result(r: Result<Response, Error>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_of_verification_get_the_portals_codes() {
        use crate::verification::signature_error;
        use signing::Error as S;
        let detail = || "x".to_string();
        for (e, code) in [
            (S::SignatureContentMismatch, "SIGNATURE_INVALID"),
            (S::SignatureInvalid, "SIGNATURE_INVALID"),
            (
                S::SignatureMalformed { detail: detail() },
                "SIGNATURE_INVALID",
            ),
            (
                S::SignatureUnsupported { detail: detail() },
                "SIGNATURE_INVALID",
            ),
            (
                S::CertificateInvalid { detail: detail() },
                "SIGNATURE_INVALID",
            ),
            (
                S::SignatureUntrusted { detail: detail() },
                "SIGNATURE_UNTRUSTED",
            ),
            (S::GostNotSupported, "CERTIFICATE_REFUSED"),
            (
                S::KeyAlgorithmUnsupported { oid: detail() },
                "CERTIFICATE_REFUSED",
            ),
            (
                S::CertificateIinInvalid { got: detail() },
                "CERTIFICATE_REFUSED",
            ),
        ] {
            let name = e.code();
            let mapped = signature_error(e);
            assert_eq!(mapped.code(), code, "{name}");
            assert_eq!(mapped.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        }
    }
}
