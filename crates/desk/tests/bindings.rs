//! The TypeScript types of the window (ui/src/generated/index.ts) are generated from
//! the `desk` view types with ts-rs, never written by hand (issue 3, STYLE.md #6).
//! This test fails when the committed file is stale; `UPDATE_BINDINGS=1 cargo test -p
//! desk --test bindings` rewrites it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use desk::UiError;
use desk::views::{
    ApplicationView, Catalogue, CatalogueEntry, ChildView, ConsentsView, ContactsView,
    DemoSummary, DocumentView, HistoryEntryView, JournalPage, JournalQuery, JournalRow,
    JournalSort, PersonView, RefusalView, RejectReasonView, SchoolView, StatusBar, StatusCounts,
    StatusKey, SyncMarkKey, TemporaryRegistrationView,
};
use ts_rs::{Config, TS};

const HEADER: &str = "// generated, do not edit: made from the Rust types of crates/desk by\n\
// crates/desk/tests/bindings.rs (UPDATE_BINDINGS=1 cargo test -p desk --test bindings).\n";

struct Bindings {
    cfg: Config,
    out: String,
    declared: BTreeSet<String>,
    needed: BTreeSet<String>,
}

impl Bindings {
    fn add<T: TS + 'static>(&mut self) {
        let mut decl = String::new();
        if let Some(docs) = T::docs() {
            decl.push_str(&docs);
        }
        decl.push_str("export ");
        decl.push_str(&T::decl(&self.cfg));
        self.out.push('\n');
        self.out.push_str(decl.trim_end());
        self.out.push('\n');
        self.declared.insert(T::ident(&self.cfg));
        for dep in T::dependencies(&self.cfg) {
            self.needed.insert(dep.ts_name);
        }
    }
}

fn generate() -> (String, BTreeSet<String>) {
    // Every number the UI gets fits a JS number (the views use u32/u8), so no bigint.
    let mut b = Bindings {
        cfg: Config::new().with_large_int("number"),
        out: HEADER.to_string(),
        declared: BTreeSet::new(),
        needed: BTreeSet::new(),
    };
    b.add::<StatusKey>();
    b.add::<SyncMarkKey>();
    b.add::<JournalSort>();
    b.add::<JournalQuery>();
    b.add::<JournalRow>();
    b.add::<StatusCounts>();
    b.add::<JournalPage>();
    b.add::<PersonView>();
    b.add::<ChildView>();
    b.add::<ContactsView>();
    b.add::<TemporaryRegistrationView>();
    b.add::<SchoolView>();
    b.add::<ConsentsView>();
    b.add::<RejectReasonView>();
    b.add::<RefusalView>();
    b.add::<HistoryEntryView>();
    b.add::<DocumentView>();
    b.add::<ApplicationView>();
    b.add::<StatusBar>();
    b.add::<CatalogueEntry>();
    b.add::<Catalogue>();
    b.add::<DemoSummary>();
    b.add::<UiError>();
    let missing: BTreeSet<String> = b.needed.difference(&b.declared).cloned().collect();
    (b.out, missing)
}

#[test]
fn ui_bindings_are_up_to_date() {
    let (text, missing) = generate();
    assert!(
        missing.is_empty(),
        "types used by the views but not exported; add them to generate(): {missing:?}"
    );

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/generated/index.ts");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        if committed != text {
            std::fs::write(&path, &text).expect("write ui/src/generated/index.ts");
        }
        return;
    }
    assert!(
        committed == text,
        "ui/src/generated/index.ts is stale: the desk view types changed.\n\
         Run `UPDATE_BINDINGS=1 cargo test -p desk --test bindings` and commit the file."
    );
}
