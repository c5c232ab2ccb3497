/// The commit and the build date for the about box (issue 13): `QABYLDAU_COMMIT` /
/// `SOURCE_DATE_EPOCH` when the packager sets them, else git and today.
fn build_info() {
    let commit = std::env::var("QABYLDAU_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| {
            std::process::Command::new("git")
                .args(["rev-parse", "--short=10", "HEAD"])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        });
    let date = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .env("TZ", "UTC")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .map(|secs| {
            let days = secs.div_euclid(86_400);
            civil_from_days(days)
        })
        .or(date);
    println!(
        "cargo:rustc-env=QABYLDAU_COMMIT={}",
        commit.unwrap_or_else(|| "unknown".into())
    );
    println!(
        "cargo:rustc-env=QABYLDAU_BUILD_DATE={}",
        date.unwrap_or_else(|| "unknown".into())
    );
    println!("cargo:rerun-if-env-changed=QABYLDAU_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    for head in ["../.git/HEAD", "../.git/logs/HEAD"] {
        println!("cargo:rerun-if-changed={head}");
    }
}

/// Days since 1970-01-01 to `YYYY-MM-DD` (H. Hinnant's civil_from_days).
fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

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
            "sync_status",
            "sync_now",
            "journal",
            "application",
            "status_bar",
            "key_tokens",
            "pick_key_file",
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
