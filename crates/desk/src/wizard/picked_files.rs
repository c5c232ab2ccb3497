//! Files the clerk chose in the native dialog (issue 15, R-23, R-34): the window never
//! sends a path. The shell shows the dialog, [`read_picked`] opens the chosen file
//! once, checks that it is a regular file (a FIFO, a directory, `/dev/zero` are
//! refused), reads it through a cap (`take(limit + 1)`) and sniffs its type from its
//! bytes; the result goes into the [`PickedFiles`] table under a handle id the shell
//! made, and the UI refers to it by that id only. What is signed and attached is
//! exactly the bytes that were checked.
//!
//! an image over 1 MB is made to fit ([`crate::document_fit`]) and then waits for
//! the clerk to look at it ([`PickedFiles::confirm_readable`]) before it can be
//! attached; a PDF over 1 MB is refused with its size.

use crate::Error;
use crate::views::DocumentFileView;
use domain::{Lang, rules};
use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;

/// What a picked file is for: it decides the cap and the type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    /// A photo or a scan attached to an application: JPEG, PNG or PDF, ≤ 1 MB
    /// once attached; read up to [`DOCUMENT_READ_MAX_BYTES`] so a big photo can be made
    /// to fit.
    Document,
    /// An NCA key file (`RSA_*.p12`, R-34): DER, ≤ [`KEY_FILE_MAX_BYTES`]; parsed by
    /// `signing` with its password, never executed.
    KeyFile,
}

/// An NCA key file is a few kilobytes; anything this big is not one.
pub const KEY_FILE_MAX_BYTES: u64 = 256 * 1024;

/// The largest document read when picked: a phone's photo is a few MB; beyond this
/// nothing is read and the file is refused with its size.
pub const DOCUMENT_READ_MAX_BYTES: u64 = 32 * 1024 * 1024;

impl FilePurpose {
    /// The most a file of this purpose may be once it is used.
    pub fn limit(self) -> u64 {
        match self {
            FilePurpose::Document => rules::DOCUMENT_MAX_BYTES,
            FilePurpose::KeyFile => KEY_FILE_MAX_BYTES,
        }
    }

    /// The most that is read when it is picked.
    pub fn read_limit(self) -> u64 {
        match self {
            FilePurpose::Document => DOCUMENT_READ_MAX_BYTES,
            FilePurpose::KeyFile => KEY_FILE_MAX_BYTES,
        }
    }
}

/// A document's type from its first bytes (never from its name).
pub fn sniff_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// One file the dialog picked, as read once.
#[derive(Debug)]
pub struct PickedFile {
    pub purpose: FilePurpose,
    /// The file's name only (no folder): what the clerk and the journal see.
    pub file_name: String,
    /// Its size on disk (bigger than the cap when refused for size).
    pub size: u64,
    /// The bytes read, when the file passed every check; empty otherwise.
    pub bytes: Vec<u8>,
    /// `image/jpeg`, `image/png`, `application/pdf` for a document; the DER of a key file
    /// is `application/x-pkcs12`.
    pub media_type: &'static str,
    /// Why it cannot be used, when it cannot.
    pub problem: Option<Problem>,
    /// the size it was picked at, when it was an image over the limit and `bytes`
    /// are the image made to fit; it waits for the clerk's look ([`Self::readable_confirmed`]).
    pub reduced_from: Option<u64>,
    /// The clerk looked at the image made to fit and found it readable.
    pub readable_confirmed: bool,
}

/// Why a picked file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Unreadable { detail: String },
    NotRegular,
    Empty,
    TooLarge { size: u64, limit: u64 },
    TypeUnsupported,
    NotAKeyFile,
}

impl PickedFile {
    /// The error of its problem, the desk's own codes and texts.
    pub fn error(&self) -> Option<Error> {
        let name = || self.file_name.clone();
        self.problem.as_ref().map(|p| match (p, self.purpose) {
            (Problem::Unreadable { detail }, FilePurpose::Document) => Error::DocumentUnreadable {
                file_name: name(),
                detail: detail.clone(),
            },
            // A key file's own code: its message stands next to the key (`error_place`).
            (Problem::Unreadable { detail }, FilePurpose::KeyFile) => {
                Error::Signing(signing::Error::FileReadFailed {
                    path: name(),
                    detail: detail.clone(),
                })
            }
            (Problem::NotRegular, _) => Error::FileNotRegular { file_name: name() },
            (Problem::Empty, FilePurpose::Document) => Error::Domain(domain::Error::DocumentEmpty),
            (Problem::TooLarge { size, limit }, FilePurpose::Document) => {
                Error::Domain(domain::Error::DocumentTooLarge {
                    size: *size,
                    limit: *limit,
                })
            }
            (Problem::TooLarge { limit, .. }, FilePurpose::KeyFile) => Error::FileTooLarge {
                file_name: name(),
                limit: *limit,
            },
            (Problem::TypeUnsupported, _) => Error::DocumentTypeUnsupported { file_name: name() },
            (Problem::Empty | Problem::NotAKeyFile, _) => {
                Error::Signing(signing::Error::KeyFileInvalid {
                    detail: "not a DER PKCS#12 file".into(),
                })
            }
        })
    }

    /// Why it cannot be attached: its problem, or an image made to fit that the
    /// clerk has not yet looked at.
    pub fn attach_error(&self) -> Option<Error> {
        self.error().or_else(|| {
            (self.reduced_from.is_some() && !self.readable_confirmed)
                .then_some(Error::Domain(domain::Error::DocumentReadabilityUnchecked))
        })
    }

    /// The bytes of a file that can be attached, or why not.
    pub fn usable(&self) -> Result<&[u8], Error> {
        match self.attach_error() {
            None => Ok(&self.bytes),
            Some(e) => Err(e),
        }
    }

    /// What the window shows of it, under its handle.
    pub fn view(&self, handle: &str) -> DocumentFileView {
        let e = self.error();
        let p = e.as_ref();
        DocumentFileView {
            file: handle.to_string(),
            file_name: self.file_name.clone(),
            size: u32::try_from(self.size).unwrap_or(u32::MAX),
            media_type: self.media_type.to_string(),
            reduced_from: self
                .reduced_from
                .map(|s| u32::try_from(s).unwrap_or(u32::MAX)),
            needs_readability_check: p.is_none()
                && self.reduced_from.is_some()
                && !self.readable_confirmed,
            problem: p.map(|e| e.code().to_string()),
            problem_kk: p.map(|e| e.message(Lang::Kk)),
            problem_ru: p.map(|e| e.message(Lang::Ru)),
        }
    }
}

#[cfg(unix)]
fn open_once(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    // On a regular file it changes nothing.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_once(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Opens the file at `path` once and checks it for `purpose`. Never fails: what is
/// wrong is kept in [`PickedFile::problem`] so the window can show it beside the file.
pub fn read_picked(path: &Path, purpose: FilePurpose) -> PickedFile {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut picked = PickedFile {
        purpose,
        file_name,
        size: 0,
        bytes: Vec::new(),
        media_type: "application/octet-stream",
        problem: None,
        reduced_from: None,
        readable_confirmed: false,
    };
    let unreadable = |e: std::io::Error| Problem::Unreadable {
        detail: e.to_string(),
    };
    let mut file = match open_once(path) {
        Ok(f) => f,
        Err(e) => {
            picked.problem = Some(unreadable(e));
            return picked;
        }
    };
    // The checks are made on the opened file, not the path: what is read is what was checked.
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => {
            picked.problem = Some(unreadable(e));
            return picked;
        }
    };
    if !meta.is_file() {
        picked.problem = Some(Problem::NotRegular);
        return picked;
    }
    let limit = purpose.limit();
    let read_limit = purpose.read_limit();
    let mut bytes = Vec::new();
    if let Err(e) = (&mut file).take(read_limit + 1).read_to_end(&mut bytes) {
        picked.problem = Some(unreadable(e));
        return picked;
    }
    let read = bytes.len() as u64;
    picked.size = if read > read_limit {
        meta.len().max(read)
    } else {
        read
    };
    let too_large = Problem::TooLarge {
        size: picked.size,
        limit,
    };
    picked.problem = if read > read_limit {
        Some(too_large)
    } else if read > limit {
        match (purpose, sniff_media_type(&bytes)) {
            // an image over the limit is made to fit, then looked at by the clerk.
            (FilePurpose::Document, Some(t)) if t.starts_with("image/") => {
                match crate::document_fit::fit_image(&bytes, limit) {
                    Ok(fitted) => {
                        picked.reduced_from = Some(picked.size);
                        picked.size = fitted.bytes.len() as u64;
                        picked.media_type = "image/jpeg";
                        picked.file_name = jpeg_name(&picked.file_name);
                        bytes = fitted.bytes;
                        None
                    }
                    // Damaged, or too big even at the smallest readable size: its size is the problem.
                    Err(_) => Some(too_large),
                }
            }
            (FilePurpose::Document, None) => Some(Problem::TypeUnsupported),
            // A PDF (never changed) or a key file over the limit: refused with its size.
            _ => Some(too_large),
        }
    } else if read == 0 {
        Some(Problem::Empty)
    } else {
        match purpose {
            FilePurpose::Document => match sniff_media_type(&bytes) {
                Some(t) => {
                    picked.media_type = t;
                    None
                }
                None => Some(Problem::TypeUnsupported),
            },
            FilePurpose::KeyFile => {
                picked.media_type = "application/x-pkcs12";
                // PKCS#12 is one DER SEQUENCE; anything else is not a key file.
                (bytes.first() != Some(&0x30)).then_some(Problem::NotAKeyFile)
            }
        }
    };
    if picked.problem.is_none() {
        picked.bytes = bytes;
    }
    picked
}

/// The name of an image re-encoded as JPEG: `scan.png` → `scan.jpg` (a JPEG keeps its name).
fn jpeg_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        return name.to_string();
    }
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => format!("{stem}.jpg"),
        _ => format!("{name}.jpg"),
    }
}

/// The handles the shell issued in this session, newest last. Bounded: a handle older
/// than the last [`PickedFiles::KEEP`] picks is forgotten (the clerk picks again).
#[derive(Debug, Default)]
pub struct PickedFiles {
    files: VecDeque<(String, PickedFile)>,
}

impl PickedFiles {
    pub const KEEP: usize = 32;

    /// Keeps `file` under `handle` (an id the shell made).
    pub fn insert(&mut self, handle: String, file: PickedFile) {
        self.files.retain(|(h, _)| *h != handle);
        self.files.push_back((handle, file));
        while self.files.len() > Self::KEEP {
            self.files.pop_front();
        }
    }

    /// The file under `handle`, if it was picked for `purpose`.
    pub fn get(&self, handle: &str, purpose: FilePurpose) -> Result<&PickedFile, Error> {
        self.files
            .iter()
            .find(|(h, f)| h == handle && f.purpose == purpose)
            .map(|(_, f)| f)
            .ok_or(Error::FileHandleUnknown)
    }

    /// the clerk looked at the image made to fit under `handle` and found it
    /// readable; it can now be attached. A file that was not reduced needs no look.
    pub fn confirm_readable(&mut self, handle: &str) -> Result<DocumentFileView, Error> {
        let file = self
            .files
            .iter_mut()
            .find(|(h, f)| h == handle && f.purpose == FilePurpose::Document)
            .map(|(_, f)| f)
            .ok_or(Error::FileHandleUnknown)?;
        file.readable_confirmed = true;
        Ok(file.view(handle))
    }

    /// A copy of the entries under `handles` (unknown ones are left out, and refused
    /// when used): what one command needs, so the table's lock is not held meanwhile.
    pub fn subset<'a>(&self, handles: impl IntoIterator<Item = &'a str>) -> PickedFiles {
        let mut out = PickedFiles::default();
        for handle in handles {
            if let Some((h, f)) = self.files.iter().find(|(h, _)| h == handle) {
                out.files.push_back((
                    h.clone(),
                    PickedFile {
                        purpose: f.purpose,
                        file_name: f.file_name.clone(),
                        size: f.size,
                        bytes: f.bytes.clone(),
                        media_type: f.media_type,
                        problem: f.problem.clone(),
                        reduced_from: f.reduced_from,
                        readable_confirmed: f.readable_confirmed,
                    },
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        for (bytes, want) in [
            (&b"\xFF\xD8\xFF\xE0\0\x10JFIF"[..], Some("image/jpeg")),
            (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], Some("image/png")),
            (&b"%PDF-1.7\n"[..], Some("application/pdf")),
            (&b"MZ\x90\0\x03\0\0\0"[..], None), // a Windows .exe
            (&b"\x7fELF"[..], None),
            (&b"<html>"[..], None),
            (&b""[..], None),
            (&b"%PD"[..], None),
        ] {
            assert_eq!(sniff_media_type(bytes), want, "{bytes:?}");
        }
    }

    #[test]
    fn the_table_keeps_the_newest_and_refuses_unknown_or_misused_handles() {
        let mut t = PickedFiles::default();
        let file = |purpose| PickedFile {
            purpose,
            file_name: "a.pdf".into(),
            size: 5,
            bytes: b"%PDF-".to_vec(),
            media_type: "application/pdf",
            problem: None,
            reduced_from: None,
            readable_confirmed: false,
        };
        for i in 0..PickedFiles::KEEP + 3 {
            t.insert(format!("h{i}"), file(FilePurpose::Document));
        }
        assert_eq!(
            t.get("h0", FilePurpose::Document).unwrap_err().code(),
            "FILE_HANDLE_UNKNOWN"
        );
        let last = format!("h{}", PickedFiles::KEEP + 2);
        assert!(t.get(&last, FilePurpose::Document).is_ok());
        assert_eq!(
            t.get(&last, FilePurpose::KeyFile).unwrap_err().code(),
            "FILE_HANDLE_UNKNOWN",
            "a document's handle does not open as a key"
        );
        let sub = t.subset([last.as_str(), "nope"]);
        assert_eq!(
            sub.get(&last, FilePurpose::Document).unwrap().bytes,
            b"%PDF-"
        );
        assert!(sub.get("nope", FilePurpose::Document).is_err());
    }
}
