//! ARCHITECTURE.md "Arrows": which of our crates each crate may depend on. A new arrow
//! is a design change: change ARCHITECTURE.md and this table together.

const OURS: &[&str] = &[
    "i18n",
    "domain",
    "gost",
    "demo",
    "store",
    "signing",
    "gost",
    "receipts",
    "portal-api",
    "portal-sim",
    "ncalayer-sim",
    "sync",
    "desk",
    "cli",
    "qabyldau-app",
];

/// (crate directory, the crates of ours it may use in [dependencies])
const ALLOWED: &[(&str, &[&str])] = &[
    ("crates/i18n", &[]),
    ("crates/domain", &["i18n"]),
    ("crates/gost", &[]),
    ("crates/demo", &["domain"]),
    ("crates/store", &["domain"]),
    ("crates/signing", &["domain", "gost", "i18n"]),
    ("crates/receipts", &["domain", "i18n"]),
    ("crates/portal-api", &["domain", "i18n"]),
    ("crates/sync", &["domain", "i18n", "store", "portal-api"]),
    (
        "crates/portal-sim",
        &["domain", "demo", "i18n", "portal-api", "signing"],
    ),
    ("crates/ncalayer-sim", &["signing"]),
    (
        "crates/desk",
        &[
            "domain",
            "i18n",
            "demo",
            "store",
            "signing",
            "receipts",
            "portal-api",
            "sync",
        ],
    ),
    ("crates/cli", &["domain", "desk"]),
    ("src-tauri", &["domain", "desk"]),
];

fn our_dependencies(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut found = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if !in_deps {
            continue;
        }
        let name = line.split(['.', ' ', '=']).next().unwrap_or("");
        if OURS.contains(&name) {
            found.push(name.to_string());
        }
    }
    found
}

#[test]
fn crates_depend_only_downward() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut checked = 0;
    for (dir, allowed) in ALLOWED {
        let path = format!("{root}/{dir}/Cargo.toml");
        let manifest = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{path}: {e} (the arrows table names a crate that is gone)")
        });
        checked += 1;
        for dep in our_dependencies(&manifest) {
            assert!(
                allowed.contains(&dep.as_str()),
                "{dir} depends on {dep}: not an arrow of ARCHITECTURE.md"
            );
        }
    }
    assert_eq!(checked, ALLOWED.len());
    // Every crate directory is in the table.
    for entry in std::fs::read_dir(format!("{root}/crates")).unwrap() {
        let name = format!("crates/{}", entry.unwrap().file_name().to_string_lossy());
        assert!(
            ALLOWED.iter().any(|(d, _)| *d == name),
            "{name} is missing from the arrows table"
        );
    }
}

#[test]
fn nothing_below_desk_knows_tauri() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    for entry in std::fs::read_dir(format!("{root}/crates")).unwrap() {
        let dir = entry.unwrap().path();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        assert!(
            !manifest.contains("tauri"),
            "{} mentions tauri",
            dir.display()
        );
    }
}
