//! The crate's integration tests in one binary: every file of tests/ is a module
//! here (a binary per file linked the whole app again each time, and CI ran out
//! of disk). Run one file's tests with `cargo test --test integration <file>::`.

mod no_text_outside;
mod ui_messages;
