//! Qabyldau desktop window. This file only wires the state and the command list;
//! every command is a thin call into `desk` (src/commands.rs), and nothing here
//! holds a business rule (ARCHITECTURE.md: "nothing below desk knows Tauri").

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod decisions;
mod diagnostic_log;
mod journal_file;
mod picked;
mod sync;
mod wizard;

use tauri::Manager;

fn main() {
    tauri::Builder::default()
        // File open/save dialogs and the system's viewer (receipts, key files, documents).
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let data_dir = app.path().data_dir().ok();
            let log = diagnostic_log::DiagnosticLog::new(diagnostic_log::DiagnosticLog::dir_for(
                data_dir.as_deref(),
            ));
            log.install();
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "qabyldau-app starting");
            app.manage(log);
            // Sign-in and background sync: with a portal the journal fills
            // from it; without one the window works on the local (demo) journal.
            let db_env = std::env::var(journal_file::DB_ENV).ok();
            let session = sync::SyncSession::from_env(journal_file::journal_path(
                db_env.as_deref(),
                data_dir.as_deref(),
            ));
            let opened = if session.portal_configured() {
                journal_file::open_or_create_empty(data_dir.as_deref())
            } else {
                journal_file::open_or_create_demo(data_dir.as_deref())
            };
            app.manage(commands::OpenJournal::from(opened));
            app.manage(session);
            // Files the dialogs picked, by handle (issue 15).
            app.manage(picked::Picked::default());
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                window.state::<sync::SyncSession>().shutdown();
            }
        })
        .invoke_handler(tauri::generate_handler![
            sync::sign_in_form,
            sync::portal_reachable,
            sync::sign_in,
            sync::sync_status,
            sync::sync_now,
            commands::catalogue,
            commands::journal,
            commands::application,
            commands::status_bar,
            decisions::key_tokens,
            decisions::pick_key_file,
            decisions::decide,
            decisions::application_actions,
            decisions::receipt_print,
            decisions::receipt_save,
            decisions::document_save,
            // the on-behalf wizard (helper C)
            wizard::wizard_child_lookup,
            wizard::wizard_micro_districts,
            wizard::wizard_schools,
            wizard::wizard_document_file,
            wizard::wizard_pick_document,
            wizard::wizard_check_step,
            wizard::wizard_submit,
            diagnostic_log::diagnostic_log,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("qabyldau-app: the window could not start: {e}");
            std::process::exit(1);
        });
}
