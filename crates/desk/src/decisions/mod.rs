//! Deciding an application: the decision itself (`decide`), who decides
//! (`clerk`), what the open application offers before a PIN is typed (`actions`), and
//! saving its documents to disk (`documents`, R-5 «Жүктеу»).

mod actions;
mod clerk;
pub mod decide;
pub(crate) mod documents;
