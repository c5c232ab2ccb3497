//! The window's command list is written in three places that Tauri needs apart: the
//! handler list in `src/main.rs` (what can be called), the app manifest in `build.rs`
//! (what a capability may name) and `capabilities/default.json` (what the main window is
//! allowed). This test fails when they disagree, naming what is missing where, so that a
//! command is never callable without a permission or allowed without a handler
//! (issue 15: capabilities stay the exact command list; issue 17: one list).

use std::collections::BTreeSet;
use std::path::Path;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text between `open` and the first `close` after it.
fn block<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("`{open}` not found"))
        + open.len();
    let len = text[start..]
        .find(close)
        .unwrap_or_else(|| panic!("`{close}` not found after `{open}`"));
    &text[start..start + len]
}

fn without_line_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn handlers() -> BTreeSet<String> {
    let main = without_line_comments(&read("src/main.rs"));
    block(&main, "generate_handler![", "]")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|path| path.rsplit("::").next().unwrap_or(path).to_string())
        .collect()
}

fn manifest() -> BTreeSet<String> {
    let build = without_line_comments(&read("build.rs"));
    block(&build, ".commands(&[", "]")
        .split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn capability() -> BTreeSet<String> {
    let json: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).expect("capability is JSON");
    json["permissions"]
        .as_array()
        .expect("permissions is an array")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

fn missing(from: &BTreeSet<String>, in_: &BTreeSet<String>) -> Vec<String> {
    from.difference(in_).cloned().collect()
}

#[test]
fn handlers_manifest_and_capability_name_the_same_commands() {
    let (h, m, c) = (handlers(), manifest(), capability());
    assert!(h.len() > 10, "the handler list was not read: {h:?}");
    let problems = [
        ("in main.rs but not in build.rs", missing(&h, &m)),
        ("in build.rs but not in main.rs", missing(&m, &h)),
        (
            "in main.rs but not allowed in capabilities/default.json",
            missing(&h, &c),
        ),
        (
            "allowed in capabilities/default.json but not in main.rs",
            missing(&c, &h),
        ),
    ];
    let text: Vec<String> = problems
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(what, names)| format!("{what}: {}", names.join(", ")))
        .collect();
    assert!(text.is_empty(), "{}", text.join("\n"));
}
