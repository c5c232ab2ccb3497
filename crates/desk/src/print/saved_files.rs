//! Files the desk writes for the clerk: a receipt to print, a document saved from an
//! application (R-5 «Жүктеу», R-35). Written whole or not at all (issue 15): the bytes
//! go into a hidden temporary file beside the target, are flushed to the disk, and only
//! then take the target's name — so a full disk or a pulled USB stick leaves the folder
//! as it was (an older file of that name included), never a cut PDF.

use crate::Error;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` (creating its folder), whole or not at all.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let failed = |e: std::io::Error| Error::FileNotWritten {
        path: path.display().to_string(),
        disk_full: is_disk_full(&e),
        detail: e.to_string(),
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder).map_err(failed)?;
    let mut part = tempfile::Builder::new()
        .prefix(".qabyldau-")
        .suffix(".part")
        .tempfile_in(folder)
        .map_err(failed)?;
    part.write_all(bytes).map_err(failed)?;
    part.as_file().sync_all().map_err(failed)?;
    // Dropping `part` on an error above removes it.
    part.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
}
