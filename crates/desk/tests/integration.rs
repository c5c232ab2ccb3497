//! The crate's integration tests in one binary: every file of tests/ is a module
//! here (a binary per file linked the whole app again each time, and CI ran out
//! of disk). Run one file's tests with `cargo test --test integration <file>::`.

mod arrows;
mod audit;
mod bad_input;
mod bindings;
mod common;
mod decide;
mod decisions_files;
mod document_fit;
mod drafts;
mod eds_sign_in;
mod file_names;
mod gost_key_file;
mod journal;
mod key_trust;
mod on_behalf;
mod picked_files;
mod saved_files;
mod session;
mod settings_portal;
mod sync_pacing;
mod vault;
mod walk_in_portal;
mod wizard_steps;
