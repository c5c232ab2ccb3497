pub mod demo;
pub mod iin;
pub mod journal;
pub mod receipt;
pub mod sign;
pub mod sync;
pub mod token;
pub mod verify;
