//! The name a file the desk saves gets (a receipt, a document, issue 15): one the
//! clerk's system accepts and that stays inside the folder chosen. No folders (`/`,
//! `\`), none of the characters Windows refuses, no control characters, no leading dot
//! (hidden, or `..`), no trailing dot or space (Windows drops them), and never a name
//! Windows keeps for a device — `CON`, `PRN`, `AUX`, `NUL`, `COM1`…`COM9`, `LPT1`…`LPT9`
//! (also with superscript digits, and with any extension: `NUL.pdf` is the device too),
//! which gets a `_` in front. At most [`MAX_CHARS`] characters, the extension kept.

/// Windows and most file systems allow 255; the folder's path needs room too.
pub const MAX_CHARS: usize = 150;

/// What an empty or all-dots name becomes.
const FALLBACK: &str = "document";

/// `name` made safe to save as (see the module's rules).
pub fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned
        .trim()
        .trim_start_matches('.')
        .trim_end_matches(['.', ' '])
        .trim();
    let mut out = if trimmed.is_empty() {
        FALLBACK.to_string()
    } else {
        shorten(trimmed)
    };
    if is_reserved_on_windows(&out) {
        out.insert(0, '_');
    }
    out
}

/// Whether Windows takes `name` for a device: its part before the first dot (trailing
/// spaces ignored) is one of the reserved names, in any case.
pub fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    let upper = stem.to_uppercase();
    if matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let mut chars = upper.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let rest: Vec<char> = chars.collect();
    (prefix == "COM" || prefix == "LPT")
        && rest.len() == 1
        && matches!(rest[0], '1'..='9' | '¹' | '²' | '³')
}

/// At most [`MAX_CHARS`] characters, cut before the extension so it stays.
fn shorten(name: &str) -> String {
    if name.chars().count() <= MAX_CHARS {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 10 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let keep = MAX_CHARS.saturating_sub(ext.chars().count());
    let mut out: String = stem.chars().take(keep).collect();
    out.push_str(ext);
    out
}
