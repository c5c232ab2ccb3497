//! Qabyldau desktop window. This file only wires the state and the command list;
//! every command is a thin call into `desk` (src/commands.rs), and nothing here
//! holds a business rule (ARCHITECTURE.md: "nothing below desk knows Tauri").

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod decisions;
mod journal_file;
mod private_temp;
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
            // `--demo` for the demo journal and portal, never the real ones. The journal
            // opens only after a sign-in (issue 16): here the file is only prepared.
            let settings =
                settings::AppSettings::read(app, settings::Mode::from_args(std::env::args()));
            let problem = journal_file::prepare(&settings);
            let config = desk::session::SessionConfig {
                journal: settings.journal_file(),
                portal_url: settings.portal_url(),
                lock_after: settings.lock_after(),
                pace: desk::sync_run::Pace::default(),
            };
            let mut session =
                desk::session::Session::new(config, sync::event_sink(app.handle().clone()));
            if !settings.demo() {
                // A copy of an older encrypted journal before the sign-in migrates it.
                session = session.with_backups(settings.loaded().settings.backups_dir());
            }
            app.manage(commands::OpenJournal::new(session, problem));
            app.manage(settings);
            webview_memory::apply(app);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event {
                window.state::<commands::OpenJournal>().session().shutdown();
                private_temp::clear();
            }
        })
        .invoke_handler(tauri::generate_handler![
            sync::sign_in_form,
            sync::portal_reachable,
            sync::sign_in,
            sync::sign_in_eds,
            sync::session_unlock_eds,
            sync::sync_status,
            sync::sync_now,
            sync::session_state,
            sync::session_touch,
            sync::session_lock,
            sync::session_unlock,
            sync::sign_out,
            sync::switch_clerk,
            sync::sign_in_email_send,
            sync::sign_in_email_confirm,
            commands::catalogue,
            commands::journal,
            commands::application,
            commands::status_bar,
            decisions::key_tokens,
            decisions::pick_key_file,
            decisions::ncalayer_version,
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
            wizard::wizard_draft_load,
            wizard::wizard_draft_save,
            wizard::wizard_draft_discard,
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
