//! The journal of one school: reading it (the list R-4, one application R-5, the status
//! bar), whether its history is what the app wrote (`audit`, R-5), its backups
//! (`backup`, issue 13), and the demo region it can be filled with (`demo_data`).

pub mod audit;
pub mod backup;
pub mod demo_data;
mod read;
