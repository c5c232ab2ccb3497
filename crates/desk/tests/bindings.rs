//! The TypeScript types of the window (ui/src/generated/index.ts) are generated from
//! the `desk` view types with ts-rs, never written by hand (issue 3, STYLE.md #6).
//! This test fails when the committed file is stale; `UPDATE_BINDINGS=1 cargo test -p
//! desk --test integration bindings::` rewrites it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use desk::UiError;
use desk::views::{
    ApplicationView, Catalogue, CatalogueEntry, ChildInput, ChildView, ConsentsView, ContactsView,
    DecisionInput, DecisionOutcome, DemoSummary, DocumentInput, DocumentView, FieldErrorView,
    HistoryEntryView, JournalPage, JournalQuery, JournalRow, JournalSort, KeyChoice, OnBehalfInput,
    PersonInput, PersonView, ReceiptCheck, ReceiptFile, RefusalView, RejectReasonView, SchoolView,
    StatusBar, StatusCounts, StatusKey, SubmissionOutcome, SyncMarkKey, TemporaryRegistrationInput,
    TemporaryRegistrationView, TokenCertificateView, TokenView,
};
// The on-behalf wizard.
use desk::views::{
    ChildLookupView, DocumentFileView, MicroDistrictView, NameView, SchoolChoiceView, WalkInView,
};
// Sign-in and sync.
use desk::views::{DistrictView, SessionView, SignInForm, SyncBar};
// Decisions and printing.
use desk::views::ApplicationActions;
// Settings, first run, about (issue 13).
use desk::settings::view::{
    AboutView, ModuleView, PortalCheckView, SettingsAuditView, SettingsInput, SettingsProblemView,
    SettingsView,
};
// The wizard's form (issue 11).
use desk::document_preview::DocumentPreviewView;
use desk::wizard_form::{DocumentSlotView, SchoolChoicesView, WizardFormView};
use ts_rs::{Config, TS};

const HEADER: &str = "// generated, do not edit: made from the Rust types of crates/desk by\n\
// crates/desk/tests/bindings.rs (UPDATE_BINDINGS=1 cargo test -p desk --test integration bindings::).\n";

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

/// Output text, types the views use but that were not exported, and the view types
/// of src/views.rs (every `pub struct`/`pub enum` there crosses to the UI).
fn generate() -> (String, BTreeSet<String>, BTreeSet<String>) {
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
    b.add::<DecisionInput>();
    b.add::<DecisionOutcome>();
    b.add::<KeyChoice>();
    b.add::<TokenCertificateView>();
    b.add::<TokenView>();
    b.add::<PersonInput>();
    b.add::<ChildInput>();
    b.add::<desk::views::BindingInput>();
    b.add::<desk::views::RegisterPersonView>();
    b.add::<desk::views::AddressChoiceView>();
    b.add::<desk::views::CodeSentView>();
    b.add::<desk::views::HoldView>();
    b.add::<desk::views::DifferenceView>();
    b.add::<TemporaryRegistrationInput>();
    b.add::<DocumentInput>();
    b.add::<OnBehalfInput>();
    b.add::<FieldErrorView>();
    b.add::<SubmissionOutcome>();
    b.add::<ReceiptFile>();
    b.add::<ReceiptCheck>();
    b.add::<MicroDistrictView>();
    b.add::<SchoolChoiceView>();
    b.add::<ChildLookupView>();
    b.add::<DocumentFileView>();
    b.add::<NameView>();
    b.add::<WalkInView>();
    b.add::<DistrictView>();
    b.add::<SignInForm>();
    b.add::<SyncBar>();
    b.add::<SessionView>();
    b.add::<ApplicationActions>();
    b.add::<AboutView>();
    b.add::<ModuleView>();
    b.add::<SettingsProblemView>();
    b.add::<SettingsAuditView>();
    b.add::<SettingsView>();
    b.add::<SettingsInput>();
    b.add::<PortalCheckView>();
    b.add::<DocumentSlotView>();
    b.add::<DocumentPreviewView>();
    b.add::<WizardFormView>();
    b.add::<SchoolChoicesView>();
    b.add::<desk::WizardDraftView>();
    b.add::<desk::walk_in_correction::Correction>();
    b.add::<desk::error_place::ErrorPlace>();
    b.add::<UiError>();
    let missing: BTreeSet<String> = b.needed.difference(&b.declared).cloned().collect();
    let views =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/views.rs"))
            .expect("read src/views.rs");
    let not_exported = views
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("pub struct ")
                .or_else(|| l.trim_start().strip_prefix("pub enum "))
        })
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
        })
        .filter(|name| !b.declared.contains(*name))
        .map(str::to_string)
        .collect();
    (b.out, missing, not_exported)
}

#[test]
fn ui_bindings_are_up_to_date() {
    let (text, missing, not_exported) = generate();
    assert!(
        missing.is_empty(),
        "types used by the views but not exported; add them to generate(): {missing:?}"
    );
    assert!(
        not_exported.is_empty(),
        "view types of src/views.rs not exported to the UI; add them to generate(): {not_exported:?}"
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
         Run `UPDATE_BINDINGS=1 cargo test -p desk --test integration bindings::` and commit the file."
    );
}
