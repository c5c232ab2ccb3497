pub mod demo;
pub mod iin;
pub mod journal;
pub mod receipt;
