//! What the desk prints and saves for the clerk (R-35, R-5 «Жүктеу», issue 15): the
//! receipts (`receipt`), files written whole or not at all (`saved_files`), and the
//! names they get (`file_names`).

pub mod file_names;
mod receipt;
pub mod saved_files;
