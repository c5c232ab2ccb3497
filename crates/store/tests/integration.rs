//! The crate's integration tests in one binary: every file of tests/ is a module
//! here (a binary per file linked the whole app again each time, and CI ran out
//! of disk). Run one file's tests with `cargo test --test integration <file>::`.

mod background_checkpoint;
mod bulk;
mod cipher_layout;
mod common;
mod document_list;
mod encrypted;
mod full_disk;
mod garbage;
mod history_chain;
mod schema_checks;
mod store;
mod two_connections;
mod write_turn;
