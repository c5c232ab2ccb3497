//! The crate's integration tests in one binary: every file of tests/ is a module
//! here (a binary per file linked the whole app again each time, and CI ran out
//! of disk). Run one file's tests with `cargo test --test integration <file>::`.

mod batch_fallback;
mod binding;
mod common;
mod contract;
mod damaged_answers;
mod decisions_during_pull;
mod edges;
mod first_pull;
mod sync;
mod walk_in_holds;
