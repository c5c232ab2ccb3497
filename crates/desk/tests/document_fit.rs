//! R-23 on real files: an image over 1 MB is made to fit and waits for the clerk's look
//! before it can be attached; a PDF over 1 MB is refused with its size; a `.pdf` that is
//! an `.exe` is refused by its bytes, whatever its size.

#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use desk::UiError;
use desk::picked_files::{FilePurpose, PickedFiles, read_picked};
use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

/// A photo-like PNG over 1 MB (noise compresses badly).
fn big_png() -> Vec<u8> {
    let mut seed = 0x9e37_79b9_u32;
    let img = RgbImage::from_fn(1900, 1500, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let v = (seed & 0x3f) as u8;
        Rgb([v + (x % 180) as u8, v + (y % 180) as u8, v.wrapping_mul(5)])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).unwrap();
    let png = out.into_inner();
    assert!(png.len() > 1_048_576, "the fixture is over 1 MB");
    png
}

#[test]
fn an_image_over_1_mb_is_made_to_fit_and_waits_for_the_clerks_look() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.png");
    let png = big_png();
    std::fs::write(&path, &png).unwrap();
    let picked = read_picked(&path, FilePurpose::Document);
    assert_eq!(picked.reduced_from, Some(png.len() as u64));
    assert!(picked.size <= 1_048_576 && picked.bytes.len() as u64 == picked.size);
    assert_eq!(picked.media_type, "image/jpeg");
    assert_eq!(
        picked.file_name, "photo.jpg",
        "re-encoded as JPEG, named so"
    );
    let view = picked.view("h");
    assert_eq!(view.problem, None);
    assert!(view.needs_readability_check);
    assert_eq!(view.reduced_from, Some(png.len() as u32));
    // Not attachable until the clerk looked at it (R-23: only readable copies).
    let err = UiError::from(picked.usable().unwrap_err());
    assert_eq!(err.code, "DOCUMENT_READABILITY_UNCHECKED");
    assert!(err.kk.contains("Оқылады") && err.ru.contains("Читается"));

    let mut files = PickedFiles::default();
    files.insert("h".into(), picked);
    let confirmed = files.confirm_readable("h").unwrap();
    assert!(!confirmed.needs_readability_check);
    let f = files.get("h", FilePurpose::Document).unwrap();
    assert!(f.usable().is_ok());
    let preview = desk::document_preview::preview(&f.file_name, &f.bytes);
    assert!(
        preview
            .image
            .unwrap()
            .starts_with("data:image/jpeg;base64,")
    );
    assert_eq!(
        UiError::from(files.confirm_readable("nope").unwrap_err()).code,
        "FILE_HANDLE_UNKNOWN"
    );
}

#[test]
fn a_pdf_over_1_mb_is_refused_with_its_size_and_an_exe_named_pdf_by_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("medical.pdf");
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(1_572_864, b'0');
    std::fs::write(&pdf, &bytes).unwrap();
    let v = read_picked(&pdf, FilePurpose::Document).view("h");
    assert_eq!(v.problem.as_deref(), Some("DOCUMENT_TOO_LARGE"));
    assert!(v.problem_kk.unwrap().ends_with("Файл көлемі: 1.5 MB."));
    assert!(v.problem_ru.unwrap().ends_with("Размер файла: 1.5 MB."));
    assert_eq!(v.reduced_from, None, "a PDF is never changed");

    for size in [40_000, 2_000_000] {
        let exe = dir.path().join("medical-exe.pdf");
        let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
        bytes.resize(size, 0);
        std::fs::write(&exe, &bytes).unwrap();
        let v = read_picked(&exe, FilePurpose::Document).view("h");
        assert_eq!(
            v.problem.as_deref(),
            Some("DOCUMENT_TYPE_UNSUPPORTED"),
            "{size} bytes"
        );
        assert!(v.problem_kk.is_some() && v.problem_ru.is_some());
    }
}
