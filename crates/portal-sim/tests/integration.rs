//! The crate's integration tests in one binary: every file of tests/ is a module
//! here (a binary per file linked the whole app again each time, and CI ran out
//! of disk). Run one file's tests with `cargo test --test integration <file>::`.

mod common;
mod contract;
mod older_portal;
mod rules;
mod signatures;
mod signed_content;
mod trust;
