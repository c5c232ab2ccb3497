//! Who can open the journal file (issue 16): real key files and SQLCipher journals.
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use desk::Desk;
use desk::demo_data::{DemoFill, fill};
use desk::vault::{self, JournalKey, SecretString};
use desk::views::JournalQuery;
use domain::{Iin, Lang};
use time::macros::datetime;

fn clerks() -> (Iin, Iin) {
    let region = demo::region(&demo::RegionSpec::default());
    (region.staff[0].iin, region.staff[1].iin)
}

fn pw(s: &str) -> SecretString {
    SecretString::from(s.to_string())
}

const NOW: time::OffsetDateTime = datetime!(2026-05-04 09:00 +05:00);

fn total(desk: &Desk) -> u64 {
    u64::from(desk.journal(&JournalQuery::default()).unwrap().total)
}

#[test]
fn an_online_sign_in_makes_the_key_and_an_offline_one_unwraps_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, _) = clerks();
    let key = vault::enroll(&db, &a, &pw("correct horse"), None, NOW).unwrap();
    assert_eq!(format!("{key:?}"), "JournalKey(…)", "Debug redacts");
    drop(Desk::open_encrypted(&db, &key).unwrap());
    assert_eq!(store::file_kind(&db).unwrap(), store::FileKind::Opaque);

    let again = vault::unlock(&db, &a, &pw("correct horse"), NOW).unwrap();
    assert_eq!(again.expose(), key.expose());
    // Online again: the same key, nothing new.
    let online = vault::enroll(&db, &a, &pw("correct horse"), None, NOW).unwrap();
    assert_eq!(online.expose(), key.expose());

    let keys = std::fs::read_to_string(vault::keys_path(&db)).unwrap();
    assert!(keys.contains("\"format\": \"qabyldau-journal-keys\""));
    assert!(!keys.contains("correct horse"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(vault::keys_path(&db))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let enrolled = vault::clerks_enrolled(&db, NOW).unwrap();
    assert_eq!(enrolled.len(), 1);
    assert_eq!(enrolled[0].iin, a);
}

#[test]
fn wrong_passwords_slow_down_and_the_message_says_how_long() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, _) = clerks();
    vault::enroll(&db, &a, &pw("right"), None, NOW).unwrap();

    for _ in 0..2 {
        let e = vault::unlock(&db, &a, &pw("wrong"), NOW).unwrap_err();
        assert_eq!(e.code(), "VAULT_WRONG_PASSWORD");
        assert!(matches!(e, desk::Error::WrongPassword { wait_seconds: 0 }));
    }
    let e = vault::unlock(&db, &a, &pw("wrong"), NOW).unwrap_err();
    assert!(
        matches!(e, desk::Error::WrongPassword { wait_seconds: 5 }),
        "{e:?}"
    );
    assert!(
        e.message(Lang::Ru).contains("5 с"),
        "{}",
        e.message(Lang::Ru)
    );
    assert!(
        e.message(Lang::Kk).contains("5 секунд"),
        "{}",
        e.message(Lang::Kk)
    );

    // While the wait runs, even the right password is not tried.
    let later = NOW + time::Duration::seconds(2);
    let e = vault::unlock(&db, &a, &pw("right"), later).unwrap_err();
    assert_eq!(e.code(), "VAULT_WAIT");
    assert!(matches!(e, desk::Error::SignInWait { seconds: 3 }), "{e:?}");
    assert_eq!(
        vault::clerks_enrolled(&db, later).unwrap()[0].wait_until,
        Some(NOW + time::Duration::seconds(5))
    );

    // The next wrong one doubles the wait.
    let after = NOW + time::Duration::seconds(5);
    let e = vault::unlock(&db, &a, &pw("wrong"), after).unwrap_err();
    assert!(
        matches!(e, desk::Error::WrongPassword { wait_seconds: 10 }),
        "{e:?}"
    );

    // The right password after the wait opens, and the count starts again.
    let key = vault::unlock(&db, &a, &pw("right"), after + time::Duration::seconds(10)).unwrap();
    assert!(Desk::open_encrypted(&db, &key).is_ok());
    let e = vault::unlock(&db, &a, &pw("wrong"), after + time::Duration::seconds(11)).unwrap_err();
    assert!(
        matches!(e, desk::Error::WrongPassword { wait_seconds: 0 }),
        "{e:?}"
    );

    assert_eq!(vault::wait_after(20).whole_seconds(), 15 * 60, "capped");
}

#[test]
fn a_clerk_who_never_signed_in_online_here_cannot_open_it_offline() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, b) = clerks();
    assert_eq!(
        vault::unlock(&db, &a, &pw("x"), NOW).unwrap_err().code(),
        "VAULT_NOT_ENROLLED"
    );
    vault::enroll(&db, &a, &pw("a-pass"), None, NOW).unwrap();
    assert_eq!(
        vault::unlock(&db, &b, &pw("a-pass"), NOW)
            .unwrap_err()
            .code(),
        "VAULT_NOT_ENROLLED"
    );
}

#[test]
fn a_second_clerk_is_wrapped_with_the_key_of_a_clerk_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, b) = clerks();
    let key_a = vault::enroll(&db, &a, &pw("a-pass"), None, NOW).unwrap();
    fill_encrypted(&db, &key_a, 30);

    // Alone, B's online sign-in cannot reach the key: A holds it.
    let e = vault::enroll(&db, &b, &pw("b-pass"), None, NOW).unwrap_err();
    assert_eq!(e.code(), "VAULT_KEY_HELD_BY_OTHERS");
    assert!(e.to_string().contains(&a.to_string()));
    // A key that is not this journal's does not help.
    let stranger = JournalKey::from_bytes(zeroize::Zeroizing::new([9u8; 32]));
    assert_eq!(
        vault::enroll(&db, &b, &pw("b-pass"), Some(&stranger), NOW)
            .unwrap_err()
            .code(),
        "VAULT_KEY_HELD_BY_OTHERS"
    );
    // With A signed in on the desk: B gets an envelope of their own.
    let key_b = vault::enroll(&db, &b, &pw("b-pass"), Some(&key_a), NOW).unwrap();
    assert_eq!(key_b.expose(), key_a.expose());
    let offline_b = vault::unlock(&db, &b, &pw("b-pass"), NOW).unwrap();
    assert_eq!(total(&Desk::open_encrypted(&db, &offline_b).unwrap()), 30);
    let enrolled: Vec<Iin> = vault::clerks_enrolled(&db, NOW)
        .unwrap()
        .into_iter()
        .map(|c| c.iin)
        .collect();
    assert_eq!(enrolled, vec![a, b]);
}

#[test]
fn a_changed_portal_password_needs_the_previous_one_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, _) = clerks();
    let key = vault::enroll(&db, &a, &pw("old"), None, NOW).unwrap();
    let e = vault::enroll(&db, &a, &pw("new"), None, NOW).unwrap_err();
    assert_eq!(e.code(), "VAULT_PASSWORD_CHANGED");
    let changed = vault::change_password(&db, &a, &pw("old"), &pw("new"), NOW).unwrap();
    assert_eq!(changed.expose(), key.expose());
    assert!(vault::unlock(&db, &a, &pw("new"), NOW).is_ok());
    assert_eq!(
        vault::unlock(&db, &a, &pw("old"), NOW).unwrap_err().code(),
        "VAULT_WRONG_PASSWORD"
    );
}

fn fill_encrypted(db: &std::path::Path, key: &JournalKey, n: u64) {
    let mut desk = Desk::open_encrypted(db, key).unwrap();
    desk::demo_data::fill_desk(
        &mut desk,
        &DemoFill {
            seed: 1,
            applications: n,
        },
    )
    .unwrap();
}

#[test]
fn a_plaintext_journal_becomes_encrypted_at_the_first_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    fill(
        &db,
        &DemoFill {
            seed: 1,
            applications: 40,
        },
    )
    .unwrap();
    assert_eq!(store::file_kind(&db).unwrap(), store::FileKind::Plaintext);
    let (a, _) = clerks();
    let key = vault::enroll(&db, &a, &pw("a-pass"), None, NOW).unwrap();
    assert_eq!(total(&Desk::open_encrypted(&db, &key).unwrap()), 40);
    assert_eq!(store::file_kind(&db).unwrap(), store::FileKind::Opaque);
    assert!(!store::plaintext_backup_path(&db).exists());
}

#[test]
fn a_damaged_or_missing_key_file_is_said_so_and_a_desk_nobody_opens_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.sqlite");
    let (a, b) = clerks();
    let key = vault::enroll(&db, &a, &pw("a-pass"), None, NOW).unwrap();
    fill_encrypted(&db, &key, 25);
    let keys = vault::keys_path(&db);
    let good = std::fs::read(&keys).unwrap();

    std::fs::write(&keys, b"{ not json").unwrap();
    assert_eq!(
        vault::unlock(&db, &a, &pw("a-pass"), NOW)
            .unwrap_err()
            .code(),
        "VAULT_KEYS_DAMAGED"
    );
    assert_eq!(
        std::fs::read(&keys).unwrap(),
        b"{ not json",
        "left as it is"
    );

    std::fs::remove_file(&keys).unwrap();
    for e in [
        vault::unlock(&db, &a, &pw("a-pass"), NOW).unwrap_err(),
        vault::enroll(&db, &a, &pw("a-pass"), None, NOW).unwrap_err(),
    ] {
        assert_eq!(e.code(), "VAULT_KEYS_MISSING");
        assert!(!e.message(Lang::Kk).is_empty() && !e.message(Lang::Ru).is_empty());
    }
    std::fs::write(&keys, &good).unwrap();

    // Nobody can open it (say B is the only clerk left): set aside, start fresh.
    let aside = vault::set_aside(&db, NOW).unwrap();
    assert!(!db.exists() && !keys.exists());
    assert!(aside.journal.exists() && aside.keys.exists());
    assert_eq!(vault::set_aside_journals(&db), vec![aside.clone()]);
    let fresh = vault::enroll(&db, &b, &pw("b-pass"), None, NOW).unwrap();
    assert_ne!(fresh.expose(), key.expose());
    assert_eq!(total(&Desk::open_encrypted(&db, &fresh).unwrap()), 0);
    // The set-aside journal still waits, whole, for the clerk who can open it.
    let old = vault::unlock(&aside.journal, &a, &pw("a-pass"), NOW).unwrap();
    assert_eq!(
        total(&Desk::open_encrypted(&aside.journal, &old).unwrap()),
        25
    );
}
