//! The diagnostic log a school's IT person reads (issue 15): `tracing` events written
//! to `qabyldau.log` in the app's data directory (`logs/`), size-capped — past
//! [`CAP_BYTES`] the file becomes `qabyldau.log.1` (the one before is dropped), so the
//! log never holds more than twice the cap. Every line passes `desk::log_mask` first:
//! IINs and phone numbers are masked; PINs, passwords and tokens are never logged.
//! «Copy diagnostic log» in the status bar returns both files' text.
//!
//! `QABYLDAU_LOG_DIR` puts the log elsewhere (the E2E suites keep it across windows
//! to check it after a full run).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use desk::UiError;
use desk::log_mask::mask_personal;
use tauri::State;

pub const CAP_BYTES: u64 = 1024 * 1024;
const FILE: &str = "qabyldau.log";
const OLD: &str = "qabyldau.log.1";

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    file: Option<File>,
    size: u64,
}

impl Inner {
    fn open(&mut self) -> std::io::Result<&mut File> {
        if self.file.is_none() {
            std::fs::create_dir_all(&self.dir)?;
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.dir.join(FILE))?;
            self.size = f.metadata()?.len();
            self.file = Some(f);
        }
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("log file not open"))
    }

    fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        if self.size + line.len() as u64 > CAP_BYTES && self.size > 0 {
            self.file = None;
            std::fs::rename(self.dir.join(FILE), self.dir.join(OLD))?;
        }
        let f = self.open()?;
        f.write_all(line.as_bytes())?;
        self.size += line.len() as u64;
        Ok(())
    }
}

/// The log's writer (cheap to clone, one file behind a lock) and the window's state.
#[derive(Debug, Clone)]
pub struct DiagnosticLog(Arc<Mutex<Inner>>);

impl DiagnosticLog {
    pub fn new(dir: PathBuf) -> DiagnosticLog {
        DiagnosticLog(Arc::new(Mutex::new(Inner {
            dir,
            file: None,
            size: 0,
        })))
    }

    /// Where the log is: `QABYLDAU_LOG_DIR`, else `<data dir>/logs`.
    pub fn dir_for(data_dir: Option<&Path>) -> PathBuf {
        match std::env::var_os("QABYLDAU_LOG_DIR").filter(|d| !d.is_empty()) {
            Some(d) => PathBuf::from(d),
            None => data_dir
                .map(|d| d.join("qabyldau").join("logs"))
                .unwrap_or_else(|| std::env::temp_dir().join("qabyldau-logs")),
        }
    }

    /// Sends `tracing` events (info and above, `RUST_LOG` to change) here. cryptoki's
    /// list of mechanisms a token lacks is noise for an IT person, and left out.
    pub fn install(&self) {
        let writer = self.clone();
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,cryptoki::mechanism=off"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init();
    }

    /// The older file then the current one.
    pub fn text(&self) -> String {
        let dir = self.0.lock().map(|i| i.dir.clone()).unwrap_or_default();
        let mut text = String::new();
        for name in [OLD, FILE] {
            if let Ok(t) = std::fs::read_to_string(dir.join(name)) {
                text.push_str(&t);
            }
        }
        text
    }
}

impl Write for DiagnosticLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // The formatter hands over one whole event per call: masked as a whole line.
        let line = mask_personal(&String::from_utf8_lossy(buf));
        let mut inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // A log that cannot be written must never stop the window.
        let _ = inner.write_line(&line);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let mut inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match inner.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// «Copy diagnostic log»: the log's text (already masked) for the clipboard.
#[tauri::command(async)]
pub fn diagnostic_log(log: State<'_, DiagnosticLog>) -> Result<String, UiError> {
    Ok(log.text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_masked_and_the_log_stays_under_twice_its_cap() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = DiagnosticLog::new(dir.path().to_path_buf());
        log.write_all(b"clerk 871203450127 phone +7 701 234 56 78\n")
            .unwrap();
        let text = log.text();
        assert!(
            text.contains("clerk 8712******27 phone +7 701 *** ** 78"),
            "{text}"
        );
        assert!(!text.contains("871203450127"));
        let line = format!("{}\n", "x".repeat(1000));
        for _ in 0..3000 {
            log.write_all(line.as_bytes()).unwrap();
        }
        let size = |n: &str| {
            std::fs::metadata(dir.path().join(n))
                .map(|m| m.len())
                .unwrap_or(0)
        };
        assert!(size(FILE) <= CAP_BYTES);
        assert!(size(OLD) <= CAP_BYTES);
        assert!(size(OLD) > 0, "rotated");
        assert!(log.text().len() as u64 <= 2 * CAP_BYTES);
    }
}
