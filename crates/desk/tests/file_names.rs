//! Issue 15: the names of the files the desk saves (receipts, documents) stay file
//! names in the folder chosen, on Windows too: no folders, no refused characters, no
//! device names (CON, NUL, COM1, LPT1 …).

use desk::file_names::{MAX_CHARS, is_reserved_on_windows, safe_file_name};

#[test]
fn file_names_stay_file_names() {
    for (given, safe) in [
        (
            "Ж-2026-000123-acceptance-kk.pdf",
            "Ж-2026-000123-acceptance-kk.pdf",
        ),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("a:b*c?.p7s", "a_b_c_.p7s"),
        ("C:\\Windows\\win.ini", "C__Windows_win.ini"),
        ("  ", "document"),
        ("...", "document"),
        ("scan.pdf. . ", "scan.pdf"),
        ("tab\there\n.pdf", "tab_here_.pdf"),
    ] {
        assert_eq!(safe_file_name(given), safe, "{given:?}");
    }
}

#[test]
fn windows_device_names_are_never_saved_as_such() {
    for (given, safe) in [
        ("CON", "_CON"),
        ("con.pdf", "_con.pdf"),
        ("NUL.tar.gz", "_NUL.tar.gz"),
        ("Aux .pdf", "_Aux .pdf"),
        ("prn", "_prn"),
        ("COM1.p7s", "_COM1.p7s"),
        ("lpt9", "_lpt9"),
        ("COM²", "_COM²"),
        ("CONIN$", "_CONIN$"),
        ("nul.", "_nul"),
        // Not devices: longer names, COM0, COM10, the name elsewhere.
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("COM0", "COM0"),
        ("COM10.pdf", "COM10.pdf"),
        ("receipt-NUL.pdf", "receipt-NUL.pdf"),
    ] {
        assert_eq!(safe_file_name(given), safe, "{given:?}");
        assert!(!is_reserved_on_windows(&safe_file_name(given)), "{given:?}");
    }
}

#[test]
fn a_long_name_is_cut_before_its_extension() {
    let long = format!("{}.pdf", "Ә".repeat(400));
    let safe = safe_file_name(&long);
    assert_eq!(safe.chars().count(), MAX_CHARS);
    assert!(safe.ends_with("Ә.pdf"), "{safe}");
    let no_ext = "x".repeat(300);
    assert_eq!(safe_file_name(&no_ext).chars().count(), MAX_CHARS);
}
