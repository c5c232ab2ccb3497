//! Qabyldau desktop window. This file only wires the state and the command list;
//! every command is a thin call into `desk` (src/commands.rs), and nothing here
//! holds a business rule (ARCHITECTURE.md: "nothing below desk knows Tauri").

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod decisions;
mod journal_file;
mod settings;
mod sync;
mod webview_memory;
mod wizard;

use tauri::Manager;

fn main() {
    tauri::Builder::default()
        // File open/save dialogs and the system's viewer (receipts, key files, documents).
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            // Settings (issue 13): defaults < config file < environment < settings screen;
            // `--demo` for the demo journal and portal, never the real ones.
            let settings =
                settings::AppSettings::read(app, settings::Mode::from_args(std::env::args()));
            let session =
                sync::SyncSession::new(settings.portal_url(), Some(settings.journal_file()));
            app.manage(commands::OpenJournal::from(journal_file::open(&settings)));
            app.manage(session);
            app.manage(settings);
            webview_memory::apply(app);
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
            // settings, first run, about, backups (issue 13)
            settings::settings_view_get,
            settings::settings_save,
            settings::settings_add_module,
            settings::settings_test_module,
            settings::settings_check_portal,
            settings::first_run_save,
            settings::about_app,
            journal_file::journal_latest_backup,
            journal_file::journal_restore_latest,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("qabyldau-app: the window could not start: {e}");
            std::process::exit(1);
        });
}
