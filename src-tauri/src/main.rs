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
            // The journal opens only after a sign-in (issue 16): here the file is only
            // prepared — with a portal a new one starts empty and fills after sign-in
            // without one the window works on the local (demo) journal.
            let db_env = std::env::var(journal_file::DB_ENV).ok();
            let portal_url = sync::env_value(sync::PORTAL_ENV);
            let path = journal_file::journal_path(db_env.as_deref(), data_dir.as_deref());
            let encrypted = path
                .as_deref()
                .is_some_and(|p| desk::vault::keys_path(p).exists());
            let prepared = if encrypted {
                // Encrypted already: nothing to prepare, the sign-in opens it.
                Err(desk::UiError::from(desk::Error::NotSignedIn))
            } else if portal_url.is_some() {
                journal_file::open_or_create_empty(data_dir.as_deref())
            } else {
                journal_file::open_or_create_demo(data_dir.as_deref())
            };
            let problem = match (&prepared, &path) {
                (Err(_), _) if encrypted => None,
                (Err(e), _) => Some(e.clone()),
                (Ok(_), None) => Some(desk::UiError::from(desk::Error::JournalUnreachable {
                    detail: "no journal path".into(),
                })),
                (Ok(desk), Some(p)) if portal_url.is_none() => {
                    desk::session::adopt_local_clerk(p, desk)
                        .err()
                        .map(desk::UiError::from)
                }
                _ => None,
            };
            drop(prepared);
            let config = desk::session::SessionConfig {
                journal: path.unwrap_or_default(),
                portal_url,
                lock_after: sync::lock_after(sync::env_value(sync::LOCK_SECONDS_ENV).as_deref()),
                pace: desk::sync_run::Pace::default(),
            };
            let session =
                desk::session::Session::new(config, sync::event_sink(app.handle().clone()));
            app.manage(commands::OpenJournal::new(session, problem));
            // Files the dialogs picked, by handle (issue 15).
            app.manage(picked::Picked::default());
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
