//! The window's commands for the on-behalf wizard (R-8… ).
//! Each converts its input and makes one `desk` call; the file dialog for documents is
//! the only thing done here. Ids and time are made here and passed in; no rule lives
//! here (the steps' checks are `desk::wizard_steps`).
//!
//! The PIN / password arrives as a plain string from the webview, is wrapped in
//! `Zeroizing` at once and goes into `desk::keys::open_key` (a token, a key file, or
//! NCALayer, which asks for its own); it is never stored.
//! Key tokens and the key-file dialog are the decision dialog's commands
//! (`decisions::key_tokens`, `decisions::pick_key_file`), reused by the wizard.

use desk::UiError;
use desk::on_behalf::SubmissionIds;
use desk::signing::Zeroizing;
use desk::views::{
    ChildLookupView, DocumentFileView, KeyChoice, MicroDistrictView, OnBehalfInput,
    SchoolChoiceView, SubmissionOutcome,
};
use desk::wizard_steps::WizardStep;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::OpenJournal;

fn step_of(n: u8) -> Result<WizardStep, UiError> {
    WizardStep::from_number(n).ok_or_else(|| {
        UiError::from(desk::Error::BadQuery {
            field: "step",
            reason: format!("{n} is not a wizard step (1 or 2)"),
        })
    })
}

/// «ЖСН-ды тексеру»: what the journal knows about the child.
#[tauri::command(async)]
pub fn wizard_child_lookup(
    state: State<'_, OpenJournal>,
    iin: String,
) -> Result<ChildLookupView, UiError> {
    state.with(|d| d.child_lookup(&iin))
}

/// The micro-districts to bind an address to.
#[tauri::command(async)]
pub fn wizard_micro_districts(
    state: State<'_, OpenJournal>,
) -> Result<Vec<MicroDistrictView>, UiError> {
    state.with(|d| d.micro_districts())
}

/// The schools with free places for the class and language, the micro-district's first.
#[tauri::command(async)]
pub fn wizard_schools(
    state: State<'_, OpenJournal>,
    grade: u8,
    language: String,
    micro_district: Option<String>,
) -> Result<Vec<SchoolChoiceView>, UiError> {
    state.with(|d| d.schools_with_places(grade, &language, micro_district.as_deref()))
}

/// A chosen document's name and size, and why it cannot be attached.
#[tauri::command(async)]
pub fn wizard_document_file(
    state: State<'_, OpenJournal>,
    path: String,
) -> Result<DocumentFileView, UiError> {
    state.with(|d| Ok(d.document_file(&path)))
}

/// The file dialog for a document (a photo, a scan); `None` when cancelled.
#[tauri::command(async)]
pub fn wizard_pick_document(app: AppHandle) -> Option<String> {
    app.dialog()
        .file()
        .add_filter(
            "JPEG, PNG, PDF",
            &["jpg", "jpeg", "png", "pdf", "JPG", "JPEG", "PNG", "PDF"],
        )
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
}

/// «Алға қарай»: the fields of step 1 or 2, every wrong one at once (`UiError.fields`).
#[tauri::command(async)]
pub fn wizard_check_step(
    state: State<'_, OpenJournal>,
    step: u8,
    input: OnBehalfInput,
) -> Result<(), UiError> {
    let step = step_of(step)?;
    let now = time::OffsetDateTime::now_utc();
    state.with(|d| d.check_on_behalf_step(step, &input, now))
}

/// «Қол қою және жіберу»: signed with the clerk's key, in the journal at
/// once with a provisional number, waiting in the outbox for the portal.
#[tauri::command(async)]
pub fn wizard_submit(
    state: State<'_, OpenJournal>,
    settings: State<'_, crate::settings::AppSettings>,
    input: OnBehalfInput,
    key: KeyChoice,
    secret: String,
) -> Result<SubmissionOutcome, UiError> {
    let secret = Zeroizing::new(secret);
    let now = time::OffsetDateTime::now_utc();
    // Checked before the key is opened: a wrong PIN costs a token try, a wrong field must not.
    state.with(|d| {
        d.check_on_behalf_step(WizardStep::Applicant, &input, now)?;
        d.check_on_behalf_step(WizardStep::School, &input, now)
    })?;
    let clerk = state.with(|d| d.on_behalf_clerk())?;
    let signer = desk::keys::open_key(
        &settings.modules(),
        key,
        secret,
        &crate::decisions::ncalayer_settings()?,
    )
    .map_err(UiError::from)?;
    let ids = SubmissionIds {
        application_id: format!("local-{}", uuid::Uuid::new_v4()),
        idempotency_key: uuid::Uuid::new_v4().to_string(),
    };
    state.with_mut(|d| d.submit_on_behalf(&clerk, &input, &signer, now, &ids))
}

/// The signed-in clerk's wizard draft (the UI's JSON), kept in the encrypted journal
/// (issue 16); `None` when there is none.
#[tauri::command(async)]
pub fn wizard_draft_load(state: State<'_, OpenJournal>) -> Result<Option<String>, UiError> {
    let now = time::OffsetDateTime::now_utc();
    state.with_mut(|d| {
        let clerk = d.on_behalf_clerk()?;
        d.wizard_draft(&clerk, now)
    })
}

/// Saves the wizard's draft on every change (the window sends them one at a time).
#[tauri::command(async)]
pub fn wizard_draft_save(state: State<'_, OpenJournal>, body: String) -> Result<(), UiError> {
    let now = time::OffsetDateTime::now_utc();
    state.with_mut(|d| {
        let clerk = d.on_behalf_clerk()?;
        d.save_wizard_draft(&clerk, &body, now)
    })
}

/// Discards the wizard's draft.
#[tauri::command(async)]
pub fn wizard_draft_discard(state: State<'_, OpenJournal>) -> Result<(), UiError> {
    state.with_mut(|d| {
        let clerk = d.on_behalf_clerk()?;
        d.discard_wizard_draft(&clerk)
    })
}
