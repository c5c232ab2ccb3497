//! The window's private temporary folder (issue 16): receipts rendered for printing are
//! written here — a fresh folder under the system temp directory, readable by this user
//! only (0700), removed when the window closes. Leftovers of a window that crashed are
//! removed at the next start once they are half a day old.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

const PREFIX: &str = "qabyldau-print-";
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(12 * 3600);

static FOLDER: Mutex<Option<tempfile::TempDir>> = Mutex::new(None);

/// The folder of this run, made at the first use.
pub fn folder() -> std::io::Result<PathBuf> {
    let mut slot = FOLDER.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(dir) = slot.as_ref() {
        return Ok(dir.path().to_path_buf());
    }
    let base = std::env::temp_dir();
    remove_leftovers(&base);
    let dir = tempfile::Builder::new().prefix(PREFIX).tempdir_in(&base)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    }
    let path = dir.path().to_path_buf();
    *slot = Some(dir);
    Ok(path)
}

/// Removes the folder and what is in it (the window is closing).
pub fn clear() {
    let dir = FOLDER.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let Some(dir) = dir {
        let _ = dir.close();
    }
}

fn remove_leftovers(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > LEFTOVER_AGE);
        if old && e.file_name().to_string_lossy().starts_with(PREFIX) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_folder_is_private_and_gone_after_clear() {
        let dir = super::folder().expect("folder");
        assert_eq!(super::folder().expect("again"), dir, "one folder per run");
        std::fs::write(dir.join("receipt.pdf"), b"%PDF").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        super::clear();
        assert!(!dir.exists());
    }
}
