//! The crate's integration tests in one binary: every file of tests/ is a module
//! here (a binary per file linked the whole app again each time, and CI ran out
//! of disk). Run one file's tests with `cargo test --test integration <file>::`.

mod deterministic;
mod gostcrypto_cross_check;
mod nca_cms;
mod nca_test_pki;
mod oids_and_inputs;
mod standard_examples;
mod x509_builder;
