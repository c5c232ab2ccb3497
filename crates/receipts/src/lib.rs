//! Printed documents for the parent at the desk: the acceptance receipt, the
//! document receipt of an on-behalf submission and the rejection notice,
//! in Kazakh or Russian, A4, with embedded DejaVu Sans (text stays extractable) and a QR
//! code whose payload proves the signed decision ([`QrPayload`], [`verify`]).
//!
//! Flow: JSON → [`ReceiptInput::parse`] → [`Receipt`] (every value validated once) →
//! [`render`] → PDF bytes. The input schema and the payload format are in `FORMAT.md`.
//!
//! Invariant: this crate does no I/O and reads no clock; the decision time comes in the
//! input.

mod error;
mod input;
mod payload;
mod receipt;
mod render;
mod text;

pub use error::{Error, ErrorCode, Problem};
pub use input::{
    ApplicantInput, ChildInput, ClerkInput, DOCUMENT_NAME_MAX_CHARS, DOCUMENTS_MAX,
    REASON_TEXT_MAX_CHARS, ReasonInput, ReceiptInput, SCHOOL_TEXT_MAX_CHARS, SchoolInput,
};
pub use payload::{Decision, PAYLOAD_VERSION, QrPayload, verify};
pub use receipt::{Applicant, Clerk, Person, Receipt, ReceiptKind, School, SignatureDigest};
pub use render::{ReceiptStyle, render};
