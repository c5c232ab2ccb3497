//! The window's commands for the walk-in wizard's talk with the portal (issue 11): the
//! register look-up, the address register, confirmation codes
//! and the clerk's decisions on a held submission. Each makes its ids and reads
//! the clock, then calls desk; no rule lives here.

use desk::UiError;
use desk::signing::Zeroizing;
use desk::views::{
    AddressChoiceView, CodeSentView, KeyChoice, RegisterPersonView, SubmissionOutcome,
};
use desk::walk_in_correction::Correction;
use tauri::State;

use crate::commands::OpenJournal;
use crate::picked::Picked;

fn ask<T>(
    state: &OpenJournal,
    f: impl Fn(&desk::sync::PortalClient) -> Result<T, desk::Error>,
) -> Result<T, UiError> {
    state.problem()?;
    state.session().ask_portal(f).map_err(UiError::from)
}

/// «ЖСН-ды тексеру» in the population register; `field` is `applicant.iin` or
/// `child.person.iin` (for a wrong IIN's message). `PORTAL_OFFLINE_MANUAL`: type by hand.
#[tauri::command(async)]
pub fn walk_in_register_person(
    state: State<'_, OpenJournal>,
    iin: String,
    field: String,
) -> Result<RegisterPersonView, UiError> {
    // No lock of the journal is held while the portal answers.
    let found = ask(&state, |p| {
        desk::walk_in_portal::register_person(p, &iin, &field)
    })?;
    state.with(|d| d.name_micro_district(found))
}

/// The drop-down of full addresses for the actual residential address.
#[tauri::command(async)]
pub fn walk_in_addresses(
    state: State<'_, OpenJournal>,
    street: String,
    house: String,
) -> Result<Vec<AddressChoiceView>, UiError> {
    ask(&state, |p| {
        desk::walk_in_portal::search_addresses(p, &street, &house)
    })
}

/// «Код жіберу» to the main phone (`sms`) or the e-mail, with the cool-down.
#[tauri::command(async)]
pub fn walk_in_send_code(
    state: State<'_, OpenJournal>,
    channel: String,
    contact: String,
) -> Result<CodeSentView, UiError> {
    state.problem()?;
    let key = uuid::Uuid::new_v4().to_string();
    Ok(state.session().send_contact_code(
        &channel,
        &contact,
        &key,
        time::OffsetDateTime::now_utc(),
    )?)
}

/// The 4 digits the parent read out.
#[tauri::command(async)]
pub fn walk_in_check_code(
    state: State<'_, OpenJournal>,
    code_id: String,
    code: String,
) -> Result<(), UiError> {
    let key = uuid::Uuid::new_v4().to_string();
    ask(&state, |p| {
        desk::walk_in_portal::check_code(p, &code_id, &code, &key)
    })
}

/// A held submission's contact, confirmed by code now that the portal is back.
#[tauri::command(async)]
pub fn walk_in_contact_confirmed(
    state: State<'_, OpenJournal>,
    application_id: String,
    channel: String,
    code_id: String,
) -> Result<(), UiError> {
    let now = time::OffsetDateTime::now_utc();
    state.with_mut(|d| d.contact_confirmed(&application_id, &channel, &code_id, now))?;
    state.session().sync_now();
    Ok(())
}

/// The register and the typed data differ: the clerk keeps what was typed.
#[tauri::command(async)]
pub fn walk_in_keep_typed(
    state: State<'_, OpenJournal>,
    application_id: String,
) -> Result<(), UiError> {
    let now = time::OffsetDateTime::now_utc();
    state.with_mut(|d| d.keep_typed_data(&application_id, now))?;
    state.session().sync_now();
    Ok(())
}

/// The held submission corrected and signed again: re-bound to another
/// micro-district after the portal refused the binding (R-15…R-17), or the register's
/// version taken. The fields are checked before the key is opened.
#[tauri::command(async)]
pub fn walk_in_correct(
    state: State<'_, OpenJournal>,
    picked: State<'_, Picked>,
    settings: State<'_, crate::settings::AppSettings>,
    application_id: String,
    correction: Correction,
    key: KeyChoice,
    secret: String,
) -> Result<SubmissionOutcome, UiError> {
    let secret = Zeroizing::new(secret);
    let now = time::OffsetDateTime::now_utc();
    state.with(|d| d.check_correction(&application_id, &correction))?;
    let clerk = state.with(|d| d.on_behalf_clerk())?;
    let files = picked.for_key(&key);
    // No lock is held while the token is opened (issue 15).
    let signer = crate::decisions::open_signing_key(&settings, key, &files, secret)?;
    let idempotency_key = uuid::Uuid::new_v4().to_string();
    let outcome = state.with_mut(|d| {
        d.correct_held_submission(
            &clerk,
            &application_id,
            &correction,
            &signer,
            now,
            &idempotency_key,
        )
    })?;
    tracing::info!(application = %application_id, "held walk-in corrected and signed again");
    state.session().sync_now();
    Ok(outcome)
}
