//! The session's rules without a portal (no network): the gate, the lock, sign-out, the
//! offline policy. With portal-sim: crates/desk/tests/session.rs.

use super::*;

fn quiet() -> EventSink {
    Arc::new(|_| {})
}

fn session(dir: &std::path::Path, lock_after: Duration) -> Session {
    Session::new(
        SessionConfig {
            journal: dir.join("journal.sqlite"),
            portal_url: None,
            lock_after,
            pace: Pace::default(),
        },
        quiet(),
    )
}

fn clerk() -> Iin {
    Iin::parse("900101300017").expect("iin")
}

/// As an earlier online sign-in leaves the desk: the clerk's envelope and their name.
fn known_here(dir: &std::path::Path) {
    let journal = dir.join("journal.sqlite");
    vault::enroll(
        &journal,
        &clerk(),
        &SecretString::from("demo-0017"),
        None,
        now(),
    )
    .expect("enroll");
    let mut p = DeskProfile::default();
    p.remember(&clerk(), "Ахметова Айгүл", "2026-06-01T09:00:00Z", "d-1");
    p.save(&journal).expect("save");
}

fn pw(s: &str) -> Password {
    Password::new(s.to_string())
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_780_000_000).expect("time")
}

#[test]
fn nothing_of_the_journal_before_a_sign_in_and_no_file_is_opened() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let s = session(tmp.path(), DEFAULT_LOCK_AFTER);
    let at = Instant::now();
    let err = s.with_desk(at, |d| d.status_bar()).expect_err("gated");
    assert_eq!(err.code(), "NOT_SIGNED_IN");
    assert_eq!(
        s.with_desk_mut(at, |d| d.current_clerk())
            .expect_err("gated")
            .code(),
        "NOT_SIGNED_IN"
    );
    assert_eq!(s.view(at).state, "signed_out");
    let form = s.sign_in_form(None);
    assert!(!form.districts.is_empty(), "R-3: a list before any journal");
    assert!(!form.portal_configured);
    assert!(
        !tmp.path().join("journal.sqlite").exists(),
        "no journal opened"
    );
    assert_eq!(s.sync_bar(at).state, "no_portal");
}

#[test]
fn the_offline_sign_in_is_for_a_clerk_who_signed_in_online_here_before() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let s = session(tmp.path(), DEFAULT_LOCK_AFTER);
    let at = Instant::now();
    let err = s
        .sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), at)
        .expect_err("unknown here");
    assert_eq!(err.code(), "OFFLINE_SIGN_IN_UNAVAILABLE");
    assert!(!err.message(domain::Lang::Kk).is_empty());
    // A bad check digit is told before anything else.
    let err = s
        .sign_in_password("900101300018", pw("x"), None, now(), at)
        .expect_err("bad iin");
    assert!(err.code().starts_with("IIN_"), "{}", err.code());
    let err = s
        .sign_in_password(&clerk().to_string(), pw(""), None, now(), at)
        .expect_err("empty");
    assert_eq!(err.code(), "PASSWORD_EMPTY");

    known_here(tmp.path());
    // The password is checked for real: it must open the clerk's envelope.
    let err = s
        .sign_in_password(
            &clerk().to_string(),
            pw("not-the-password"),
            None,
            now(),
            at,
        )
        .expect_err("wrong");
    assert_eq!(err.code(), "VAULT_WRONG_PASSWORD");
    assert_eq!(s.view(at).state, "signed_out");
    let view = s
        .sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), at)
        .expect("offline");
    assert_eq!(view.state, "open");
    assert_eq!(view.method.as_deref(), Some("offline"));
    assert_eq!(view.clerk_name.as_deref(), Some("Ахметова Айгүл"));
    // Decisions are recorded as the session's clerk, whatever the journal says.
    assert_eq!(
        s.with_desk(at, |d| d.current_clerk()).expect("clerk"),
        clerk()
    );
}

#[test]
fn the_desk_locks_after_the_lock_time_and_only_the_password_opens_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    known_here(tmp.path());
    let s = session(tmp.path(), Duration::from_secs(60));
    let t0 = Instant::now();
    s.sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), t0)
        .expect("sign in");
    // Activity moves the lock time on.
    s.touch(t0 + Duration::from_secs(50));
    assert!(
        s.with_desk(t0 + Duration::from_secs(100), |d| d.status_bar())
            .is_ok()
    );
    let later = t0 + Duration::from_secs(200);
    let err = s.with_desk(later, |d| d.status_bar()).expect_err("locked");
    assert_eq!(err.code(), "LOCKED");
    assert_eq!(s.view(later).state, "locked");
    // Touching a locked desk does not open it.
    s.touch(later);
    assert_eq!(s.view(later).state, "locked");
    let err = s.unlock(pw("wrong"), now(), later).expect_err("wrong");
    assert_eq!(err.code(), "VAULT_WRONG_PASSWORD");
    assert_eq!(
        s.unlock(pw(""), now(), later).expect_err("empty").code(),
        "PASSWORD_EMPTY"
    );
    assert_eq!(
        s.unlock(pw("demo-0017"), now(), later)
            .expect("unlock")
            .state,
        "open"
    );
    assert!(s.with_desk(later, |d| d.status_bar()).is_ok());
    s.lock();
    assert_eq!(s.view(later).state, "locked");
}

#[test]
fn a_new_lock_time_from_the_settings_counts_from_the_last_activity() {
    let tmp = tempfile::tempdir().expect("tempdir");
    known_here(tmp.path());
    let s = session(tmp.path(), DEFAULT_LOCK_AFTER);
    let t0 = Instant::now();
    s.sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), t0)
        .expect("sign in");
    let at = t0 + Duration::from_secs(120);
    assert!(s.with_desk(at, |d| d.status_bar()).is_ok());
    s.set_lock_after(Duration::from_secs(60));
    assert_eq!(s.lock_after(), Duration::from_secs(60));
    assert_eq!(s.view(at).lock_after_seconds, 60);
    assert_eq!(
        s.with_desk(at, |d| d.status_bar())
            .expect_err("locked")
            .code(),
        "LOCKED"
    );
}

#[test]
fn signing_out_closes_the_journal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    known_here(tmp.path());
    let s = session(tmp.path(), DEFAULT_LOCK_AFTER);
    let at = Instant::now();
    s.sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), at)
        .expect("sign in");
    s.sign_out();
    assert_eq!(
        s.with_desk(at, |d| d.status_bar()).expect_err("out").code(),
        "NOT_SIGNED_IN"
    );
    assert_eq!(s.view(at).state, "signed_out");
    assert_eq!(
        s.unlock(pw("demo-0017"), now(), at)
            .expect_err("out")
            .code(),
        "NOT_SIGNED_IN"
    );
}

#[test]
fn wrong_passwords_at_the_lock_slow_down_and_say_how_long_to_wait() {
    let tmp = tempfile::tempdir().expect("tempdir");
    known_here(tmp.path());
    let s = session(tmp.path(), Duration::from_secs(60));
    let t0 = Instant::now();
    s.sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), t0)
        .expect("sign in");
    s.lock();
    for _ in 0..3 {
        let err = s.unlock(pw("wrong"), now(), t0).expect_err("wrong");
        assert_eq!(err.code(), "VAULT_WRONG_PASSWORD");
    }
    let err = s.unlock(pw("demo-0017"), now(), t0).expect_err("must wait");
    assert_eq!(err.code(), "VAULT_WAIT");
    assert!(
        err.message(domain::Lang::Ru)
            .chars()
            .any(|c| c.is_ascii_digit()),
        "says how long"
    );
    let later = now() + time::Duration::minutes(2);
    assert_eq!(
        s.unlock(pw("demo-0017"), later, t0)
            .expect("after the wait")
            .state,
        "open"
    );
}

#[test]
fn a_plaintext_journal_made_here_is_encrypted_for_its_own_clerk_at_the_first_sign_in() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let journal = tmp.path().join("journal.sqlite");
    let summary = crate::demo_data::fill(
        &journal,
        &crate::demo_data::DemoFill {
            seed: 3,
            applications: 5,
        },
    )
    .expect("demo");
    adopt_local_clerk(&journal, &Desk::open(&journal).expect("open")).expect("adopt");
    let s = session(tmp.path(), DEFAULT_LOCK_AFTER);
    let at = Instant::now();
    // Another IIN is not the journal's clerk.
    let err = s
        .sign_in_password(&clerk().to_string(), pw("x-password"), None, now(), at)
        .expect_err("not its clerk");
    assert_eq!(err.code(), "OFFLINE_SIGN_IN_UNAVAILABLE");
    s.sign_in_password(&summary.clerk_iin, pw("first-password"), None, now(), at)
        .expect("first sign-in");
    assert!(vault::keys_path(&journal).exists(), "encrypted now");
    s.sign_out();
    assert!(
        Desk::open(&journal).is_err(),
        "no longer readable without the key"
    );
    let err = s
        .sign_in_password(&summary.clerk_iin, pw("another-password"), None, now(), at)
        .expect_err("the password is the first one now");
    assert_eq!(err.code(), "VAULT_WRONG_PASSWORD");
    s.sign_in_password(&summary.clerk_iin, pw("first-password"), None, now(), at)
        .expect("again");
}

#[test]
fn a_damaged_journal_found_at_the_sign_in_is_restored_from_a_backup_its_key_opens() {
    let tmp = tempfile::tempdir().expect("tempdir");
    known_here(tmp.path());
    let journal = tmp.path().join("journal.sqlite");
    let backups = tmp.path().join("backups");
    let s = session(tmp.path(), DEFAULT_LOCK_AFTER);
    let at = Instant::now();
    s.sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), at)
        .expect("sign in");
    s.sign_out();
    assert_eq!(
        s.restore_damaged(&journal, "x").expect_err("sound").code(),
        "RESTORE_NOT_NEEDED"
    );
    let taken = crate::backup::before_open(&journal, &backups, time::macros::date!(2026 - 12 - 01))
        .expect("backup");
    let daily = taken.daily.expect("the day's copy");
    assert!(vault::keys_path(&daily).is_file(), "its key file beside it");

    let damaged: Vec<u8> = (0..16384u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&journal, &damaged).expect("damage");
    let err = s
        .sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), at)
        .expect_err("damaged");
    assert!(is_damage(&err), "{}", err.code());
    assert!(s.journal_damaged());
    assert_eq!(
        std::fs::read(&journal).expect("read"),
        damaged,
        "never overwritten"
    );

    let kept = s
        .restore_damaged(&daily, "20261201T090000Z")
        .expect("restore")
        .expect("the damaged one kept");
    assert_eq!(std::fs::read(&kept).expect("kept"), damaged);
    assert!(!s.journal_damaged());
    assert_eq!(
        s.sign_in_password(&clerk().to_string(), pw("demo-0017"), None, now(), at)
            .expect("sign in on the restored journal")
            .state,
        "open"
    );
}

#[test]
fn an_older_encrypted_journal_is_copied_before_the_sign_in_migrates_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let journal = tmp.path().join("journal.sqlite");
    let key = vault::enroll(
        &journal,
        &clerk(),
        &SecretString::from("demo-0017"),
        None,
        now(),
    )
    .expect("enroll");
    drop(store::Store::open_keyed(&journal, Some(&key), &store::MIGRATIONS[..2]).expect("old"));
    let mut p = DeskProfile::default();
    p.remember(&clerk(), "Ахметова Айгүл", "2026-06-01T09:00:00Z", "d-1");
    p.save(&journal).expect("save");
    let backups = tmp.path().join("backups");
    let s = session(tmp.path(), DEFAULT_LOCK_AFTER).with_backups(backups.clone());
    s.sign_in_password(
        &clerk().to_string(),
        pw("demo-0017"),
        None,
        now(),
        Instant::now(),
    )
    .expect("sign in");
    let copy = std::fs::read_dir(&backups)
        .expect("backups")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "sqlite"))
        .expect("a copy before the migration");
    assert!(
        copy.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("journal-before-v")),
        "{}",
        copy.display()
    );
    assert_eq!(
        store::schema_version_keyed(&copy, &key).expect("old copy"),
        2
    );
    assert_eq!(
        store::schema_version_keyed(&journal, &key).expect("migrated"),
        store::latest_schema_version()
    );
}
