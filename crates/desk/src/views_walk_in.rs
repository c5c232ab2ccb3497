//! Views of the walk-in wizard's talk with the portal (issue 11): the register look-up
//! the address register, confirmation codes and what holds a
//! submission back. Part of [`crate::views`] (re-exported there).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::views::PersonInput;

/// A person as the population register gave them: what «ЖСН-ды тексеру»
/// fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegisterPersonView {
    pub person: PersonInput,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// `male` or `female`.
    pub sex: String,
    pub birth_certificate: String,
    pub registered_address_id: String,
    pub registered_address_kk: String,
    pub registered_address_ru: String,
    pub micro_district_id: Option<String>,
    pub micro_district_kk: Option<String>,
    pub micro_district_ru: Option<String>,
    /// the registered address is in no micro-district: the wizard shows the
    /// message and offers the binding (or a temporary registration, R-18).
    pub needs_binding: bool,
    /// For a child: the parents the register knows.
    pub parents: Vec<PersonInput>,
}

/// An address of the register for the drop-down of full addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddressChoiceView {
    pub id: String,
    pub full_kk: String,
    pub full_ru: String,
    pub micro_district_id: Option<String>,
}

/// A confirmation code sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CodeSentView {
    pub code_id: String,
    /// `sms` or `email`.
    pub channel: String,
    pub destination: String,
    pub expires_at: String,
    /// «Код жіберу» again only after this many seconds.
    pub resend_after_seconds: u32,
}

/// What a walk-in's submission waits for before it is sent (issue 11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HoldView {
    /// `phone_unconfirmed` («расталмаған»), `email_unconfirmed`, `register_unchecked`
    /// («тексерілмеген»), `binding_refused` (the portal refused the clerk's binding).
    pub reason: String,
    /// The register check's findings, both versions of each field (empty until it ran).
    pub differences: Vec<DifferenceView>,
    /// `binding_refused`: the portal's words on the refused binding (R-15…R-17); the
    /// clerk binds the address again and signs the submission again.
    pub message: Option<String>,
    /// `binding_refused`: the micro-district the refused binding named.
    pub micro_district_id: Option<String>,
}

/// One field where the typed data and the register differ: the clerk decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DifferenceView {
    /// e.g. `child.surname`, `applicant.given`, `child.birth_certificate`.
    pub field: String,
    pub typed: Option<String>,
    pub register: Option<String>,
}
