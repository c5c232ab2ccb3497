//! Issue 15: a file the dialog picked is opened once, must be a regular file, is read
//! through a cap and typed by its bytes. FIFOs, folders and devices are refused at
//! once (a FIFO with no writer must not hang the window), a `.pdf` that is an `.exe`
//! is refused, a key file is checked to be DER before its password is asked.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use desk::picked_files::{FilePurpose, KEY_FILE_MAX_BYTES, read_picked, sniff_media_type};
use std::path::Path;

fn problem(path: &Path, purpose: FilePurpose) -> Option<String> {
    read_picked(path, purpose).view("h").problem
}

#[cfg(unix)]
#[test]
fn a_fifo_a_folder_and_dev_zero_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("photo.jpg");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // No writer ever opens the FIFO: a plain open would block forever. The test
    // finishing is the proof it does not; the answer is the code.
    for purpose in [FilePurpose::Document, FilePurpose::KeyFile] {
        assert_eq!(
            problem(&fifo, purpose).as_deref(),
            Some("FILE_NOT_REGULAR"),
            "fifo"
        );
        assert_eq!(
            problem(dir.path(), purpose).as_deref(),
            Some("FILE_NOT_REGULAR"),
            "folder"
        );
        assert_eq!(
            problem(Path::new("/dev/zero"), purpose).as_deref(),
            Some("FILE_NOT_REGULAR"),
            "/dev/zero"
        );
    }
    let v = read_picked(&fifo, FilePurpose::Document).view("h");
    assert!(v.problem_kk.unwrap().contains("файл емес"));
    assert!(v.problem_ru.unwrap().contains("не файл"));
}

#[test]
fn a_document_is_typed_by_its_bytes_not_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], Option<&str>, &str)] = &[
        ("scan.pdf", b"%PDF-1.7\n%\xE2\xE3", None, "application/pdf"),
        (
            "photo.jpg",
            b"\xFF\xD8\xFF\xE0\x00\x10JFIF",
            None,
            "image/jpeg",
        ),
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            None,
            "image/png",
        ),
        // A PNG named .jpg is still a PNG: the type comes from the bytes.
        (
            "named-wrong.jpg",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            None,
            "image/png",
        ),
        (
            "invoice.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
            Some("DOCUMENT_TYPE_UNSUPPORTED"),
            "",
        ),
        (
            "photo.jpeg",
            b"#!/bin/sh\nrm -rf ~\n",
            Some("DOCUMENT_TYPE_UNSUPPORTED"),
            "",
        ),
        (
            "page.pdf",
            b"<html><body>",
            Some("DOCUMENT_TYPE_UNSUPPORTED"),
            "",
        ),
    ];
    for (name, bytes, want, media) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let p = read_picked(&path, FilePurpose::Document);
        assert_eq!(p.view("h").problem.as_deref(), *want, "{name}");
        if want.is_none() {
            assert_eq!(p.media_type, *media, "{name}");
            assert_eq!(
                p.usable().unwrap(),
                *bytes,
                "the bytes checked are the bytes kept"
            );
        } else {
            assert!(p.bytes.is_empty(), "nothing kept of a refused file");
            assert!(p.usable().is_err());
        }
    }
    assert_eq!(sniff_media_type(b"%PDF"), None);
}

#[test]
fn an_oversize_document_is_read_only_to_its_cap_and_named_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.pdf");
    let f = std::fs::File::create(&path).unwrap();
    // 64 MB, sparse: a read of the whole would show in memory; nothing over the read cap
    // (desk::picked_files::DOCUMENT_READ_MAX_BYTES) is read at all.
    f.set_len(64 * 1024 * 1024).unwrap();
    drop(f);
    let p = read_picked(&path, FilePurpose::Document);
    assert_eq!(p.size, 64 * 1024 * 1024);
    assert!(p.bytes.is_empty());
    let v = p.view("h");
    assert_eq!(v.problem.as_deref(), Some("DOCUMENT_TOO_LARGE"));
    let ru = v.problem_ru.unwrap();
    assert!(ru.contains("64") && ru.contains("MB"), "{ru}");
}

#[test]
fn a_key_file_must_be_small_and_der() {
    let dir = tempfile::tempdir().unwrap();
    let not_der = dir.path().join("RSA_fake.p12");
    std::fs::write(&not_der, b"MZ\x90\x00 not a key").unwrap();
    assert_eq!(
        problem(&not_der, FilePurpose::KeyFile).as_deref(),
        Some("KEY_FILE_INVALID")
    );
    let big = dir.path().join("RSA_big.p12");
    let mut bytes = vec![0x30u8];
    bytes.resize(KEY_FILE_MAX_BYTES as usize + 10, 0);
    std::fs::write(&big, bytes).unwrap();
    assert_eq!(
        problem(&big, FilePurpose::KeyFile).as_deref(),
        Some("FILE_TOO_LARGE")
    );
    let empty = dir.path().join("RSA_empty.p12");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(
        problem(&empty, FilePurpose::KeyFile).as_deref(),
        Some("KEY_FILE_INVALID")
    );
    // Shaped like DER: accepted here, parsed with the password by `signing` later.
    let der = dir.path().join("RSA_der.p12");
    std::fs::write(&der, b"\x30\x82\x01\x00").unwrap();
    assert_eq!(problem(&der, FilePurpose::KeyFile), None);
}
