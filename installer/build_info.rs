// The commit and build date every binary shows (`qabyldau --version`, the window's
// about box; issue 13). Included by src-tauri/build.rs and crates/cli/build.rs.

/// The commit and the build date for the about box (issue 13): `QABYLDAU_COMMIT` /
/// `SOURCE_DATE_EPOCH` when the packager sets them, else git and today.
pub fn build_info() {
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
    // A new commit changes the git dir's HEAD log (a worktree has its own git dir).
    let git_dir = std::process::Command::new("git")
        .args(["rev-parse", "--absolute-git-dir"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if let Some(dir) = git_dir {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/logs/HEAD");
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

