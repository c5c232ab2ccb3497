//! The window's message ids and their variables as TypeScript types
//! (ui/src/i18n/messages.ts), made from assets/i18n/kk/ui.ftl, so a wrong id or a
//! missing variable in the UI fails `tsc` (issue 17). Regenerate with
//! `UPDATE_UI_MESSAGES=1 cargo test -p i18n --test integration ui_messages::`. The ids the HTML page
//! names (`data-i18n…` attributes of ui/index.html) are checked here too.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

const HEADER: &str = "// generated, do not edit: made from assets/i18n/kk/ui.ftl by\n\
// crates/i18n/tests/ui_messages.rs (UPDATE_UI_MESSAGES=1 cargo test -p i18n --test integration ui_messages::).\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ui_messages() -> i18n::check::Messages {
    let (_, kk, _) = i18n::CATALOGUES
        .iter()
        .find(|(area, _, _)| *area == "ui")
        .expect("ui.ftl is a catalogue");
    i18n::check::messages(kk).unwrap()
}

fn generate() -> String {
    let messages = ui_messages();
    let mut plain = Vec::new();
    let mut with_args = Vec::new();
    for (id, vars) in &messages {
        if vars.is_empty() {
            plain.push(format!("  | \"{id}\""));
        } else {
            let fields: Vec<String> = vars.iter().map(|v| format!("{v}: Arg")).collect();
            with_args.push(format!("  \"{id}\": {{ {} }};", fields.join("; ")));
        }
    }
    format!(
        "{HEADER}\n\
         /** A variable's value: numbers choose plural forms and are written as counts. */\n\
         export type Arg = string | number;\n\n\
         /** The messages of ui.ftl whose text has no variables. */\n\
         export type PlainId =\n{};\n\n\
         /** The messages of ui.ftl with variables, and the variables each one takes. */\n\
         export interface MessageArgs {{\n{}\n}}\n\n\
         export type TextId = PlainId | keyof MessageArgs;\n",
        plain.join("\n"),
        with_args.join("\n"),
    )
}

#[test]
fn ui_message_types_are_up_to_date() {
    let path = root().join("ui/src/i18n/messages.ts");
    let text = generate();
    if std::env::var("UPDATE_UI_MESSAGES").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "ui/src/i18n/messages.ts is stale: ui.ftl changed.\n\
         Run: UPDATE_UI_MESSAGES=1 cargo test -p i18n --test integration ui_messages::"
    );
}

#[test]
fn every_id_the_html_page_names_is_a_message_without_variables() {
    let html = std::fs::read_to_string(root().join("ui/index.html")).unwrap();
    let messages = ui_messages();
    let mut named = 0;
    for attr in [
        "data-i18n=\"",
        "data-i18n-placeholder=\"",
        "data-i18n-title=\"",
        "data-i18n-aria=\"",
    ] {
        for part in html.split(attr).skip(1) {
            let id = part.split('"').next().unwrap();
            named += 1;
            let vars = messages
                .get(id)
                .unwrap_or_else(|| panic!("ui/index.html names {id}, which is not in ui.ftl"));
            assert!(
                vars.is_empty(),
                "{id} takes {vars:?}: the page cannot give them"
            );
        }
    }
    assert!(named > 10, "the page names {named} ids");
}

/// Every `.ts` file under `dir`, its text (the generated files left out).
fn sources(dir: &std::path::Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generated") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "ts") && !path.ends_with("i18n/messages.ts")
        {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// A message of ui.ftl that nothing names is a text nobody reads: used where it belongs
/// or deleted (issue 17). The window names its ids as string literals (`t("id")`, the
/// HTML page's `data-i18n…="id"`): typed by messages.ts, never built from parts.
#[test]
fn every_message_of_ui_ftl_is_named_by_the_window() {
    let mut text = std::fs::read_to_string(root().join("ui/index.html")).unwrap();
    sources(&root().join("ui/src"), &mut text);
    let unused: Vec<String> = ui_messages()
        .into_keys()
        .filter(|id| !text.contains(&format!("\"{id}\"")))
        .collect();
    assert!(
        unused.is_empty(),
        "ui.ftl messages the window never names: {unused:?}"
    );
}
