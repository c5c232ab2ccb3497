//! Files the desk writes for the clerk (receipts, saved documents; ): whole or
//! not at all, with a kk/ru message that names the file (issue 15, docs/bad-input.md).
#![allow(clippy::unwrap_used)]

use desk::UiError;
use desk::saved_files::write_whole;
use store::testkit::SmallDisk;

fn names_the_file(e: &UiError, name: &str) {
    assert!(e.kk.contains(name) && e.ru.contains(name), "{e:?}");
    assert!(!e.kk.contains("{path}") && e.kk != e.ru, "{e:?}");
    assert!(e.detail.is_some());
}

fn folder_listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_folder_that_is_a_file_is_not_written_and_says_so_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    // A file where a folder is expected: the write fails for real.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let e = UiError::from(write_whole(&blocker.join("receipt.pdf"), b"%PDF").unwrap_err());
    assert_eq!(e.code, "FILE_NOT_WRITTEN");
    names_the_file(&e, "receipt.pdf");

    let ok = dir.path().join("sub").join("r.pdf");
    write_whole(&ok, b"%PDF-1").unwrap();
    assert_eq!(std::fs::read(&ok).unwrap(), b"%PDF-1");
    // Written again: replaced whole, and no temporary file is left beside it.
    write_whole(&ok, b"%PDF-2").unwrap();
    assert_eq!(std::fs::read(&ok).unwrap(), b"%PDF-2");
    assert_eq!(folder_listing(&dir.path().join("sub")), ["r.pdf"]);
}

#[test]
fn a_full_disk_leaves_the_folder_as_it_was_and_says_the_disk_is_full() {
    let disk = SmallDisk::mount(2);
    let target = disk.path().join("receipt.pdf");
    write_whole(&target, b"%PDF-earlier receipt").unwrap();
    let filler = disk.fill();

    let big = vec![b'%'; 256 * 1024];
    let e = UiError::from(write_whole(&target, &big).unwrap_err());
    assert_eq!(e.code, "FILE_DISK_FULL", "{e:?}");
    names_the_file(&e, "receipt.pdf");
    assert_eq!(
        std::fs::read(&target).unwrap(),
        b"%PDF-earlier receipt",
        "the earlier file of that name is kept, not cut"
    );
    assert_eq!(folder_listing(disk.path()), ["filler", "receipt.pdf"]);

    std::fs::remove_file(filler).unwrap();
    write_whole(&target, &big).unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), big);
}
