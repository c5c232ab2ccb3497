//! Files the clerk chose in the native dialog (issue 15, R-23, R-34): the window never
//! sends a path. The shell shows the dialog, [`read_picked`] opens the chosen file
//! once, checks that it is a regular file (a FIFO, a directory, `/dev/zero` are
//! refused), reads it through a cap (`take(limit + 1)`) and sniffs its type from its
//! bytes; the result goes into the [`PickedFiles`] table under a handle id the shell
//! made, and the UI refers to it by that id only. What is signed and attached is
//! exactly the bytes that were checked.

use crate::Error;
use crate::views::DocumentFileView;
use domain::{Lang, rules};
use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;

/// What a picked file is for: it decides the cap and the type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    /// A photo or a scan attached to an application: JPEG, PNG or PDF, ≤ 1 MB.
    Document,
    /// An NCA key file (`RSA_*.p12`, R-34): DER, ≤ [`KEY_FILE_MAX_BYTES`]; parsed by
    /// `signing` with its password, never executed.
    KeyFile,
}

/// An NCA key file is a few kilobytes; anything this big is not one.
pub const KEY_FILE_MAX_BYTES: u64 = 256 * 1024;

impl FilePurpose {
    pub fn limit(self) -> u64 {
        match self {
            FilePurpose::Document => rules::DOCUMENT_MAX_BYTES,
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
            (Problem::Unreadable { detail }, _) => Error::DocumentUnreadable {
                file_name: name(),
                detail: detail.clone(),
            },
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

    /// The bytes of a file that passed, or why it did not.
    pub fn usable(&self) -> Result<&[u8], Error> {
        match self.error() {
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
    let mut bytes = Vec::new();
    if let Err(e) = (&mut file).take(limit + 1).read_to_end(&mut bytes) {
        picked.problem = Some(unreadable(e));
        return picked;
    }
    let read = bytes.len() as u64;
    picked.size = if read > limit {
        meta.len().max(read)
    } else {
        read
    };
    picked.problem = if read > limit {
        Some(Problem::TooLarge {
            size: picked.size,
            limit,
        })
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
