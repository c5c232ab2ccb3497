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

use desk::document_preview::DocumentPreviewView;
use desk::on_behalf::SubmissionIds;
use desk::signing::Zeroizing;
use desk::views::{
    ChildLookupView, DocumentFileView, KeyChoice, MicroDistrictView, OnBehalfInput,
    SubmissionOutcome,
};
use desk::wizard_form::{SchoolChoicesView, WizardFormView};
use desk::wizard_steps::WizardStep;
use desk::{UiError, WizardDraftView};
use tauri::{AppHandle, State};

use crate::commands::OpenJournal;
use crate::picked::Picked;
use desk::picked_files::{FilePurpose, PickedFiles};

fn step_of(n: u8) -> Result<WizardStep, UiError> {
    WizardStep::from_number(n).ok_or_else(|| {
        UiError::from(desk::Error::BadQuery {
            field: "step",
            reason: format!("{n} is not a wizard step (1, 2 or 3)"),
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

/// What the wizard's form offers: the documents and which are mandatory, the grades.
#[tauri::command]
pub fn wizard_form() -> WizardFormView {
    desk::wizard_form::wizard_form()
}

/// The schools of step 2 for what was typed, and the one assigned.
#[tauri::command(async)]
pub fn wizard_schools(
    state: State<'_, OpenJournal>,
    input: OnBehalfInput,
) -> Result<SchoolChoicesView, UiError> {
    state.with(|d| d.school_choices(&input))
}

/// A picked document's name and size, and why it cannot be attached, by the
/// handle `wizard_pick_document` gave (issue 15: never a path).
#[tauri::command(async)]
pub fn wizard_document_file(
    picked: State<'_, Picked>,
    file: String,
) -> Result<DocumentFileView, UiError> {
    picked.view(&file, FilePurpose::Document)
}

/// What the window shows of a picked document: an image as a `data:` URL, a PDF's pages.
#[tauri::command(async)]
pub fn wizard_document_preview(
    picked: State<'_, Picked>,
    file: String,
) -> Result<DocumentPreviewView, UiError> {
    picked
        .with(|f| {
            f.get(&file, FilePurpose::Document)
                .map(|p| desk::document_preview::preview(&p.file_name, &p.bytes))
        })
        .map_err(UiError::from)
}

/// the clerk looked at an image made to fit 1 MB and found it readable (also on
/// the copy kept with the draft).
#[tauri::command(async)]
pub fn wizard_document_readable(
    state: State<'_, OpenJournal>,
    picked: State<'_, Picked>,
    file: String,
) -> Result<DocumentFileView, UiError> {
    let view = picked
        .with(|f| f.confirm_readable(&file))
        .map_err(UiError::from)?;
    state.with_mut(|d| {
        let clerk = d.on_behalf_clerk()?;
        d.confirm_draft_document(&clerk, &file)
    })?;
    Ok(view)
}

/// The file dialog for a document (a photo, a scan): the file is read and checked once
/// (regular file, JPEG/PNG/PDF by its bytes, an image over 1 MB made to fit, a PDF over
/// 1 MB refused) and comes back under a handle; `None` when cancelled. A file that can
/// be attached is kept with the clerk's draft in the encrypted journal (issue 11): it
/// survives a restart of the app.
#[tauri::command(async)]
pub fn wizard_pick_document(
    app: AppHandle,
    state: State<'_, OpenJournal>,
    picked: State<'_, Picked>,
) -> Option<DocumentFileView> {
    let view = crate::picked::pick(
        &app,
        &picked,
        FilePurpose::Document,
        (
            "JPEG, PNG, PDF",
            &["jpg", "jpeg", "png", "pdf", "JPG", "JPEG", "PNG", "PDF"],
        ),
    )?;
    let now = time::OffsetDateTime::now_utc();
    let files = picked.subset([view.file.as_str()]);
    let kept = files
        .get(&view.file, FilePurpose::Document)
        .map_err(UiError::from)
        .and_then(|file| {
            state.with_mut(|d| {
                let clerk = d.on_behalf_clerk()?;
                d.keep_draft_document(&clerk, &view.file, file, now)
            })
        });
    if let Err(e) = kept {
        // The file stays picked for this session; only the copy for a restart is missing.
        tracing::warn!(code = %e.code, "the picked document was not kept with the draft");
    }
    Some(view)
}

/// The picked files an input names, copied out of the table (its lock is not held
/// while the desk works).
fn files_of(picked: &Picked, input: &OnBehalfInput, key: Option<&KeyChoice>) -> PickedFiles {
    let key_file = match key {
        Some(KeyChoice::KeyFile { file }) => Some(file.as_str()),
        _ => None,
    };
    picked.subset(
        input
            .documents
            .iter()
            .map(|d| d.file.as_str())
            .chain(key_file),
    )
}

/// «Алға қарай»: the fields of step 1 or 2, every wrong one at once (`UiError.fields`).
#[tauri::command(async)]
pub fn wizard_check_step(
    state: State<'_, OpenJournal>,
    picked: State<'_, Picked>,
    step: u8,
    input: OnBehalfInput,
) -> Result<(), UiError> {
    let step = step_of(step)?;
    let now = time::OffsetDateTime::now_utc();
    let files = files_of(&picked, &input, None);
    state.with(|d| d.check_on_behalf_step(step, &input, &files, now))
}

/// «Қол қою және жіберу»: signed with the clerk's key, in the journal at
/// once with a provisional number, waiting in the outbox for the portal.
#[tauri::command(async)]
pub fn wizard_submit(
    state: State<'_, OpenJournal>,
    picked: State<'_, Picked>,
    settings: State<'_, crate::settings::AppSettings>,
    input: OnBehalfInput,
    key: KeyChoice,
    secret: String,
) -> Result<SubmissionOutcome, UiError> {
    let secret = Zeroizing::new(secret);
    let now = time::OffsetDateTime::now_utc();
    let files = files_of(&picked, &input, Some(&key));
    // Checked before the key is opened: a wrong PIN costs a token try, a wrong field must not.
    state.with(|d| {
        d.check_on_behalf_step(WizardStep::Applicant, &input, &files, now)?;
        d.check_on_behalf_step(WizardStep::School, &input, &files, now)?;
        d.check_on_behalf_step(WizardStep::Sign, &input, &files, now)
    })?;
    let clerk = state.with(|d| d.on_behalf_clerk())?;
    // No lock is held while the token is opened (issue 15).
    let signer = crate::decisions::open_signing_key(&settings, key, &files, secret)?;
    let ids = SubmissionIds::new(
        &uuid::Uuid::new_v4().to_string(),
        &uuid::Uuid::new_v4().to_string(),
    );
    let outcome =
        state.with_mut(|d| d.submit_on_behalf(&clerk, &input, &files, &signer, now, &ids));
    match &outcome {
        Ok(_) => {
            tracing::info!(application = %ids.application_id, "walk-in application recorded");
            // a round starts at once; the portal's number comes with its answer.
            state.session().sync_now();
        }
        Err(e) => tracing::warn!(code = %e.code, "walk-in application refused"),
    }
    outcome
}

/// The signed-in clerk's wizard draft (the UI's JSON and when it was saved, in office
/// time), kept in the encrypted journal (issue 16); `None` when there is none.
#[tauri::command(async)]
pub fn wizard_draft_load(
    state: State<'_, OpenJournal>,
    picked: State<'_, Picked>,
) -> Result<Option<WizardDraftView>, UiError> {
    let now = time::OffsetDateTime::now_utc();
    let (draft, documents) = state.with_mut(|d| {
        let clerk = d.on_behalf_clerk()?;
        let draft = d.wizard_draft(&clerk, now)?;
        Ok((draft, d.draft_documents(&clerk)?))
    })?;
    // The documents kept with the draft come back under the handles it names (issue 11).
    picked.with(|f| {
        for (handle, file) in documents {
            if f.get(&handle, FilePurpose::Document).is_err() {
                f.insert(handle, file);
            }
        }
    });
    Ok(draft)
}

/// Saves the wizard's draft on every change (the window sends them one at a time);
/// answers when, in office time, for the wizard's «saved at» line.
#[tauri::command(async)]
pub fn wizard_draft_save(state: State<'_, OpenJournal>, body: String) -> Result<String, UiError> {
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
