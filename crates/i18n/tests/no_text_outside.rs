//! No Kazakh or Russian text outside the catalogues (issue 17, R-36): every text a person
//! reads is a message of assets/i18n/{kk,ru}/*.ftl. This test looks for the letters only
//! Kazakh has (ә ғ қ ң ө ұ ү һ і) in the string literals of the Rust sources under
//! crates/ and src-tauri/src and in the TypeScript of ui/src, outside comments (they
//! quote UI.md's button names), tests (`tests/` folders, `tests.rs`, `#[cfg(test)]`
//! items) and the few files in `EXCEPTIONS`, each with its reason. Russian text comes
//! in the same messages as the Kazakh, so the Kazakh letters find both.
#![allow(clippy::unwrap_used)]

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::path::{Path, PathBuf};

/// Files (or folders) whose Kazakh letters are data, not texts to translate.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "crates/demo/src",
        "demonstration data: the names, schools and addresses of the demo journal",
    ),
    (
        "crates/domain/src/name.rs",
        "the letters a person's name may hold (NAME_INVALID's rule)",
    ),
    (
        "crates/cli/src/cmd/bench/journal.rs",
        "the surname prefixes the search benchmark types, as a clerk does",
    ),
];

const KAZAKH: &str = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";

fn has_kazakh(s: &str) -> bool {
    s.chars().any(|c| KAZAKH.contains(c))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Source files under `dir` ending in `ext`, tests left out.
fn sources(dir: &str, ext: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root().join(dir))
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_dir() && matches!(&*name, "tests" | "target" | "node_modules"))
        })
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == ext)
                && p.file_name().is_some_and(|n| n != "tests.rs")
        })
        .collect()
}

fn is_attribute(group: &TokenTree, first: &str) -> bool {
    matches!(group, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket
        && g.stream().to_string().replace(' ', "").starts_with(first))
}

/// The string literals of Rust tokens with Kazakh letters, leaving out doc comments
/// (`#[doc = …]`) and `#[cfg(test)]` items.
fn rust_literals(tokens: TokenStream, found: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        if let TokenTree::Punct(p) = &tokens[i]
            && p.as_char() == '#'
        {
            let attribute = if matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!')
            {
                i + 2
            } else {
                i + 1
            };
            if let Some(group) = tokens.get(attribute) {
                if is_attribute(group, "doc") {
                    i = attribute + 1;
                    continue;
                }
                if is_attribute(group, "cfg(test)") {
                    // The item ends with its body or its `;`.
                    i = attribute + 1;
                    while i < tokens.len() {
                        match &tokens[i] {
                            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => break,
                            TokenTree::Punct(p) if p.as_char() == ';' => break,
                            _ => i += 1,
                        }
                    }
                    i += 1;
                    continue;
                }
            }
        }
        match &tokens[i] {
            TokenTree::Group(g) => rust_literals(g.stream(), found),
            TokenTree::Literal(l) => {
                let text = l.to_string();
                if has_kazakh(&text) {
                    found.push(text);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The lines of TypeScript with Kazakh letters outside `//` and `/* … */` comments.
fn ts_lines(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_block = false;
    for line in source.lines() {
        let mut code = String::new();
        let mut rest = line;
        loop {
            if in_block {
                match rest.find("*/") {
                    Some(end) => {
                        rest = &rest[end + 2..];
                        in_block = false;
                    }
                    None => break,
                }
            } else {
                let block = rest.find("/*");
                // A line comment starts a line or follows a blank (not `https://`).
                let comment = rest
                    .match_indices("//")
                    .map(|(at, _)| at)
                    .find(|&at| at == 0 || rest[..at].ends_with([' ', '\t']));
                match (block, comment) {
                    (Some(b), c) if c.is_none_or(|c| b < c) => {
                        code.push_str(&rest[..b]);
                        rest = &rest[b + 2..];
                        in_block = true;
                    }
                    (_, Some(c)) => {
                        code.push_str(&rest[..c]);
                        break;
                    }
                    _ => {
                        code.push_str(rest);
                        break;
                    }
                }
            }
        }
        if has_kazakh(&code) {
            found.push(code.trim().to_string());
        }
    }
    found
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every source file with Kazakh text outside the catalogues and what it holds.
fn texts_outside() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for dir in ["crates", "src-tauri/src"] {
        for path in sources(dir, "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            let tokens: TokenStream = source
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            let mut found = Vec::new();
            rust_literals(tokens, &mut found);
            if !found.is_empty() {
                out.push((relative(&path), found));
            }
        }
    }
    for path in sources("ui/src", "ts") {
        let found = ts_lines(&std::fs::read_to_string(&path).unwrap());
        if !found.is_empty() {
            out.push((relative(&path), found));
        }
    }
    out
}

#[test]
fn no_kazakh_or_russian_text_is_outside_the_catalogues() {
    let all = texts_outside();
    let stray: Vec<&(String, Vec<String>)> = all
        .iter()
        .filter(|(path, _)| !EXCEPTIONS.iter().any(|(e, _)| path.starts_with(e)))
        .collect();
    assert!(
        stray.is_empty(),
        "kk/ru text outside assets/i18n (make it a message of a catalogue, or name the file \
         in EXCEPTIONS with its reason):\n{stray:#?}"
    );
    for (exception, reason) in EXCEPTIONS {
        assert!(
            all.iter().any(|(path, _)| path.starts_with(exception)),
            "{exception} ({reason}) has no Kazakh text left: take it off EXCEPTIONS"
        );
    }
}

#[test]
fn the_search_finds_text_in_code_and_not_in_comments_tests_or_docs() {
    let rust = r##"
        //! Модуль «Жүктеу».
        /// «Қарау» button.
        fn label() -> &'static str { "Қабылдау" }
        fn lifetime<'a>(c: char) -> bool { c == '"' || c == 'ә' }
        // «Сақтау»
        const RAW: &str = r#"Өтініш "raw""#;
        #[cfg(test)]
        mod tests { const T: &str = "Тест өтініші"; }
    "##;
    let mut found = Vec::new();
    rust_literals(rust.parse().unwrap(), &mut found);
    assert_eq!(found, ["\"Қабылдау\"", "'ә'", "r#\"Өтініш \"raw\"\"#"]);
    let ts = "const a = \"Қабылдау\"; // «Жүктеу»\n/** «Қарау»\n * «Сақтау» */ const b = 1;\nconst url = \"https://x/ә\";\n";
    assert_eq!(
        ts_lines(ts),
        ["const a = \"Қабылдау\";", "const url = \"https://x/ә\";"]
    );
}
