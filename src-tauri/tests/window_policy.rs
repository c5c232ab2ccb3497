//! The window's content security policy (issue 15): the UI loads only its own files,
//! talks only to the IPC bridge, and cannot embed objects, change its base URL, post
//! forms or be framed. Inline styles are not allowed either: the UI styles through its
//! stylesheet and the CSSOM only.

use std::path::Path;

fn csp() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json");
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("tauri.conf.json is readable"))
            .expect("tauri.conf.json is JSON");
    conf["app"]["security"]["csp"]
        .as_str()
        .expect("app.security.csp is a string")
        .to_string()
}

fn directive(csp: &str, name: &str) -> Option<String> {
    csp.split(';')
        .map(str::trim)
        .find(|d| d.split_whitespace().next() == Some(name))
        .map(str::to_string)
}

#[test]
fn the_policy_closes_what_the_ui_never_needs() {
    let csp = csp();
    for (name, expected) in [
        ("default-src", "default-src 'self'"),
        ("object-src", "object-src 'none'"),
        ("base-uri", "base-uri 'none'"),
        ("form-action", "form-action 'none'"),
        ("frame-ancestors", "frame-ancestors 'none'"),
        ("style-src", "style-src 'self'"),
    ] {
        assert_eq!(
            directive(&csp, name).as_deref(),
            Some(expected),
            "{name} in {csp}"
        );
    }
    assert!(
        !csp.contains("unsafe-inline"),
        "no inline scripts or styles: {csp}"
    );
    assert!(!csp.contains("unsafe-eval"), "no eval: {csp}");
}
