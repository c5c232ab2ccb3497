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
mod private_temp;
mod settings;
mod sync;
mod walk_in;
mod webview_memory;
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
            // Files the dialogs picked, by handle (issue 15).
            app.manage(picked::Picked::default());
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
        // The handler list of command-list.txt, made by build.rs (issue 15: the handlers,
        // the manifest and the capability come from that one list).
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("qabyldau-app: the window could not start: {e}");
            std::process::exit(1);
        });
}
