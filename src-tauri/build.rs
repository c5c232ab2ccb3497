include!("../installer/build_info.rs");

fn main() {
    build_info();
    // The app's own commands are listed here so that a capability must allow each
    // one by name (capabilities/default.json); anything not listed cannot be invoked.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "catalogue",
            // sign-in and sync (helper B)
            "sign_in_form",
            "portal_reachable",
            "sign_in",
            "sign_in_eds",
            "session_unlock_eds",
            "sync_status",
            "sync_now",
            // the clerk's session (issue 16)
            "session_state",
            "session_touch",
            "session_lock",
            "session_unlock",
            "sign_out",
            "switch_clerk",
            "sign_in_email_send",
            "sign_in_email_confirm",
            "journal",
            "application",
            "status_bar",
            "key_tokens",
            "pick_key_file",
            "ncalayer_version",
            "decide",
            "application_actions",
            "receipt_print",
            "receipt_save",
            "document_save",
            // the on-behalf wizard (helper C)
            "wizard_child_lookup",
            "wizard_micro_districts",
            "wizard_schools",
            "wizard_document_file",
            "wizard_pick_document",
            "wizard_check_step",
            "wizard_submit",
            "wizard_draft_load",
            "wizard_draft_save",
            "wizard_draft_discard",
            // settings, first run, about, backups (issue 13)
            "settings_view_get",
            "settings_save",
            "settings_add_module",
            "settings_test_module",
            "settings_check_portal",
            "first_run_save",
            "about_app",
            "journal_latest_backup",
            "journal_restore_latest",
        ]),
    ))
    .expect("tauri-build: the app manifest is valid");
}
