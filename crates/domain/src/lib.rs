//! Pure types and rules of first-grade admission (R-1…R-36 in `shared/REQUIREMENTS.md`).
//!
//! Invariant: this crate knows nothing of SQL, HTTP, PKCS#11, JSON or Tauri. Values are
//! parsed once at the edge ("parse, don't validate"): an [`Iin`], [`Phone`], [`Email`],
//! [`PersonName`] or [`ApplicationNumber`] can only hold a valid value.

mod application;
mod date;
mod error;
mod iin;
mod lang;
mod name;
mod number;
pub mod office_time;
mod phone;
mod reject;
pub mod rules;
mod status;

pub use application::{
    Address, Applicant, Application, ApplicationId, Child, Consents, Contacts, DocumentKind,
    DocumentMeta, FullName, Grade, InstructionLanguage, MicroDistrictId, NotificationChannel,
    SchoolId, TemporaryRegistration,
};
pub use date::parse_date;
pub use error::{Error, ErrorCode};
pub use iin::{Iin, Sex};
pub use lang::Lang;
pub use name::{PersonName, search_key};
pub use number::ApplicationNumber;
pub use office_time::{OFFICE_OFFSET, office_day, office_rfc3339};
pub use phone::{Email, Phone};
pub use reject::{RejectReason, RejectReasonCode};
pub use status::{Action, Status};
