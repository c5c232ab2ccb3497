//! Sign-in by EDS (R-1, issue 16) against a real portal-sim on 127.0.0.1: the portal's
//! challenge signed with the clerk's authentication key on a SoftHSM2 token the test
//! creates, or in an `AUTH_…` `.p12` (RSA and GOST); the journal key wrapped for that key,
//! so the token alone opens the journal offline; GOST keys fall back to the password;
//! a signing key, a stranger's key and a wrong PIN are refused with a clear code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::time::Instant;

use common::{Portal, confirm_email_if_asked, now, pw, round_completed, session};
use desk::session::EdsKey;
use desk::signing::testkit::gost::GostTestCa;
use desk::signing::testkit::{CertSpec, SoftHsmToken, TestCa, write_p12};
use desk::signing::{P12Signer, Pkcs11Signer, Signer, Zeroizing};
use domain::Lang;

fn token_key(token: &SoftHsmToken, pin: &str) -> EdsKey {
    EdsKey::Held(Box::new(
        Pkcs11Signer::open(&token.target(), Zeroizing::new(pin.to_string())).unwrap(),
    ))
}

#[test]
fn a_token_authentication_key_signs_the_clerk_in_online_and_then_offline_without_a_password() {
    let ca = TestCa::new("Test NCA");
    let mut portal = Portal::start_trusting(60, vec![ca.cert_der()]);
    let (iin, _password, name, district) = portal.staff(0);
    let tmp = tempfile::tempdir().unwrap();
    let token = SoftHsmToken::create_issued_by(
        tmp.path(),
        "eds-auth",
        "1234",
        &CertSpec::authentication(&iin, &name),
        &ca,
    );
    let (s, events) = session(tmp.path(), Some(&portal.url));
    let at = Instant::now();

    // A signing key is not a sign-in key: refused before anything is signed.
    let signing = SoftHsmToken::create_issued_by(
        tmp.path(),
        "eds-signing",
        "1234",
        &CertSpec::signing(&iin, &name),
        &ca,
    );
    let err = s
        .sign_in_eds(
            token_key(&signing, "1234"),
            None,
            Some(&district),
            now(),
            at,
        )
        .unwrap_err();
    assert_eq!(err.code(), "EDS_NOT_AUTHENTICATION_KEY");
    assert!(err.message(Lang::Kk).contains("AUTH_RSA"));
    assert!(err.message(Lang::Ru).contains("AUTH_RSA"));
    assert_eq!(s.view(at).state, "signed_out");

    // The authentication key: the portal verifies the challenge and says who it is.
    let view = s
        .sign_in_eds(token_key(&token, "1234"), None, Some(&district), now(), at)
        .unwrap();
    assert_eq!(confirm_email_if_asked(&s, &portal, &view.state, 0), "open");
    let view = s.view(at);
    assert_eq!(view.method.as_deref(), Some("eds"));
    assert_eq!(view.clerk_iin.as_deref(), Some(iin.to_string().as_str()));
    assert_eq!(
        s.with_desk(at, |d| d.current_clerk()).unwrap(),
        iin,
        "recorded as that clerk"
    );
    // The worker works under the portal session the EDS sign-in made.
    round_completed(&events);
    let rows = s
        .with_desk(at, |d| Ok(d.store().status_counts()?.all()))
        .unwrap();
    assert!(rows > 0, "the journal was filled from the portal");
    let clerks = desk::vault::eds::clerks_with_keys(&tmp.path().join("journal.sqlite")).unwrap();
    assert_eq!(clerks, vec![iin.to_string()], "the key opens the journal");

    // Locked: the same key unlocks; another person's key does not.
    s.lock();
    assert_eq!(s.view(at).state, "locked");
    let stranger = &portal.region.staff[1];
    let other = SoftHsmToken::create_issued_by(
        tmp.path(),
        "eds-other",
        "1234",
        &CertSpec::authentication(&stranger.iin, &stranger.name.display().to_uppercase()),
        &ca,
    );
    let err = s
        .unlock_eds(token_key(&other, "1234"), now(), at)
        .unwrap_err();
    assert_eq!(err.code(), "EDS_NOT_THIS_CLERK");
    assert_eq!(s.view(at).state, "locked");
    assert_eq!(
        s.unlock_eds(token_key(&token, "1234"), now(), at)
            .unwrap()
            .state,
        "open"
    );

    // Offline: the token and its PIN open the journal, no password anywhere.
    s.sign_out();
    portal.stop();
    let (offline, _) = session(tmp.path(), Some(&portal.url));
    let wrong = Pkcs11Signer::open(&token.target(), Zeroizing::new("0000".into()));
    assert!(wrong.is_err(), "a wrong PIN opens nothing");
    let view = offline
        .sign_in_eds(token_key(&token, "1234"), None, Some(&district), now(), at)
        .unwrap();
    assert_eq!(view.state, "open");
    let offline_rows = offline
        .with_desk(at, |d| Ok(d.store().status_counts()?.all()))
        .unwrap();
    assert_eq!(offline_rows, rows, "the same journal, nothing lost");
    offline.sign_out();

    // Another clerk's key that never signed in here opens nothing offline.
    let err = offline
        .sign_in_eds(token_key(&other, "1234"), None, Some(&district), now(), at)
        .unwrap_err();
    assert_eq!(err.code(), "EDS_PASSWORD_NEEDED");
    assert_eq!(offline.view(at).state, "signed_out");
}

#[test]
fn key_files_sign_in_rsa_opens_by_itself_gost_asks_for_the_password_once() {
    let ca = TestCa::new("Test NCA");
    let gost_ca = GostTestCa::new("Test NCA GOST");
    let portal = Portal::start_trusting(30, vec![ca.cert_der(), gost_ca.cert_der()]);
    let (iin, password, name, district) = portal.staff(0);
    let tmp = tempfile::tempdir().unwrap();
    let at = Instant::now();

    // GOST 34.10-2015: its signatures are randomised, so it cannot wrap the journal key.
    let gost = gost_ca.issue(&CertSpec::authentication(&iin, &name));
    let (s, _) = session(tmp.path(), Some(&portal.url));
    let err = s
        .sign_in_eds(
            EdsKey::Held(Box::new(gost)),
            None,
            Some(&district),
            now(),
            at,
        )
        .unwrap_err();
    assert_eq!(err.code(), "EDS_PASSWORD_NEEDED");
    assert!(!err.message(Lang::Kk).is_empty() && !err.message(Lang::Ru).is_empty());
    assert_eq!(s.view(at).state, "signed_out", "nothing opened");

    // With the password (checked by the portal) it opens and is the password's envelope.
    let gost = gost_ca.issue(&CertSpec::authentication(&iin, &name));
    let err = s
        .sign_in_eds(
            EdsKey::Held(Box::new(gost)),
            Some(pw("wrong")),
            Some(&district),
            now(),
            at,
        )
        .unwrap_err();
    assert_eq!(
        err.code(),
        "CREDENTIALS_INVALID",
        "the portal checks the password"
    );
    let gost = gost_ca.issue(&CertSpec::authentication(&iin, &name));
    let view = s
        .sign_in_eds(
            EdsKey::Held(Box::new(gost)),
            Some(pw(&password)),
            Some(&district),
            now(),
            at,
        )
        .unwrap();
    assert_eq!(confirm_email_if_asked(&s, &portal, &view.state, 0), "open");
    assert_eq!(s.view(at).method.as_deref(), Some("eds"));
    s.sign_out();

    // An RSA AUTH_….p12 is wrapped at its first sign-in (the password opened the journal
    // this once) and needs nothing more afterwards.
    let p12 = tmp.path().join("AUTH_RSA256_test.p12");
    write_p12(
        &p12,
        &ca,
        &CertSpec::authentication(&iin, &name),
        "filepw",
        false,
    );
    let open = || {
        EdsKey::Held(Box::new(
            P12Signer::open(&p12, Zeroizing::new("filepw".into())).unwrap(),
        ))
    };
    let err = s
        .sign_in_eds(open(), None, Some(&district), now(), at)
        .unwrap_err();
    assert_eq!(
        err.code(),
        "EDS_PASSWORD_NEEDED",
        "a journal of the password's"
    );
    s.sign_in_eds(open(), Some(pw(&password)), Some(&district), now(), at)
        .unwrap();
    s.sign_out();
    assert_eq!(
        s.sign_in_eds(open(), None, Some(&district), now(), at)
            .unwrap()
            .state,
        "open"
    );
    let signer = P12Signer::open(&p12, Zeroizing::new("filepw".into())).unwrap();
    assert_eq!(
        signer.certificate().owner_iin,
        Some(iin),
        "the key file's clerk"
    );
}

#[test]
fn a_key_of_nobody_on_the_portal_is_refused_with_a_clear_message() {
    let ca = TestCa::new("Test NCA");
    let portal = Portal::start_trusting(10, vec![ca.cert_der()]);
    let (_, _, _, district) = portal.staff(0);
    let tmp = tempfile::tempdir().unwrap();
    // A valid IIN that is no staff member of this portal.
    let nobody = domain::Iin::parse("900101300017").unwrap();
    assert!(portal.region.staff.iter().all(|s| s.iin != nobody));
    let p12 = tmp.path().join("AUTH_RSA256_nobody.p12");
    write_p12(
        &p12,
        &ca,
        &CertSpec::authentication(&nobody, "ЖОҚ АДАМ"),
        "pw",
        false,
    );
    let (s, _) = session(tmp.path(), Some(&portal.url));
    let key = EdsKey::Held(Box::new(
        P12Signer::open(&p12, Zeroizing::new("pw".into())).unwrap(),
    ));
    let err = s
        .sign_in_eds(key, None, Some(&district), now(), Instant::now())
        .unwrap_err();
    assert_eq!(err.code(), "EDS_SIGNER_UNKNOWN");
    assert!(err.message(Lang::Ru).contains("сотрудник"));
    assert!(!tmp.path().join("journal.keys").exists(), "nothing made");
}
