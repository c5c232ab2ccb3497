//! The on-behalf wizard for a walk-in parent (R-8… …R-24): what its form offers
//! (`form`), the checks between its steps (`steps`), the submission (`on_behalf`), its
//! draft (`drafts`), what it asks the portal (`walk_in_portal`), the address binding
//! (`walk_in_binding`), what a submission waits for (`walk_in_holds`) and its correction
//! signed again (`walk_in_correction`), and the files the
//! clerk picks and attaches (`picked_files`, `document_fit`, `document_preview`).

pub mod document_fit;
pub mod document_preview;
pub(crate) mod drafts;
mod fields;
pub mod form;
pub mod on_behalf;
pub mod picked_files;
pub mod steps;
pub mod walk_in_binding;
pub mod walk_in_correction;
pub mod walk_in_holds;
pub mod walk_in_portal;
