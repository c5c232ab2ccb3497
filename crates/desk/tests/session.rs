//! The session against a real portal-sim on 127.0.0.1 (issue 16, R-1, R-3, R-33): online
//! sign-in by IIN + password, the district rule, the desk's memory of its clerks, the
//! offline sign-in once the portal is gone, and two clerks one after the other.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::time::{Duration, Instant};

use common::{Portal, first_sign_in, now, pw, round_completed, session};
use desk::session::DeskProfile;
use desk::signing::testkit::{CertSpec, TestCa, write_p12};
use desk::signing::{P12Signer, Zeroizing};
use desk::views::{DecisionInput, JournalQuery};

#[test]
fn online_sign_in_checks_the_password_and_the_district_then_opens_the_journal() {
    let mut portal = Portal::start_trusting(50, Vec::new());
    let tmp = tempfile::tempdir().unwrap();
    let (s, _) = session(tmp.path(), Some(&portal.url));
    let at = Instant::now();
    let (iin, password, _, district) = portal.staff(0);
    let iin = iin.to_string();

    let err = s
        .sign_in_password(&iin, pw("wrong"), Some(&district), now(), at)
        .unwrap_err();
    assert_eq!(err.code(), "CREDENTIALS_INVALID");
    assert_eq!(s.view(at).state, "signed_out");

    let err = s
        .sign_in_password(&iin, pw(&password), None, now(), at)
        .unwrap_err();
    assert_eq!(err.code(), "DISTRICT_REQUIRED");

    let wrong = portal.other_district(&district);
    let err = s
        .sign_in_password(&iin, pw(&password), Some(&wrong), now(), at)
        .unwrap_err();
    assert_eq!(err.code(), "DISTRICT_MISMATCH");
    let right = portal
        .region
        .districts
        .iter()
        .find(|d| d.id == district)
        .unwrap();
    assert!(
        err.message(domain::Lang::Kk).contains(&right.name_kk),
        "names the right one"
    );
    assert!(err.message(domain::Lang::Ru).contains(&right.name_ru));
    assert_eq!(s.view(at).state, "signed_out", "nothing opened");

    // the first sign-in asks for the e-mail and confirms it with a code.
    let view = s
        .sign_in_password(&iin, pw(&password), Some(&district), now(), at)
        .unwrap();
    assert_eq!(view.state, "email_required");
    assert!(view.email.is_some(), "the portal's e-mail is offered");
    assert!(
        s.with_desk(at, |d| d.status_bar()).is_err(),
        "no journal yet"
    );
    let err = s.send_email_code("not an e-mail", at).unwrap_err();
    assert!(err.code().starts_with("EMAIL"), "{}", err.code());
    let email = "clerk.first@mektep.kz";
    let view = s.send_email_code(email, at).unwrap();
    assert_eq!(view.state, "email_code");
    assert_eq!(view.email.as_deref(), Some(email));
    let code = portal.code_sent_to(email);
    let wrong = if code == "0000" { "1111" } else { "0000" };
    assert_eq!(
        s.confirm_email(wrong, now(), at).unwrap_err().code(),
        "CODE_INCORRECT"
    );
    let view = s.confirm_email(&code, now(), at).unwrap();
    assert_eq!(view.state, "open");
    assert_eq!(view.method.as_deref(), Some("password"));
    // The next sign-in does not ask again.
    s.sign_out();
    let view = s
        .sign_in_password(&iin, pw(&password), Some(&district), now(), at)
        .unwrap();
    assert_eq!(view.state, "open");
    assert_eq!(view.clerk_iin.as_deref(), Some(iin.as_str()));
    assert_eq!(
        s.with_desk(at, |d| d.current_clerk()).unwrap().to_string(),
        iin
    );

    // The desk remembers the clerk and the district for the next sign-in.
    let profile = DeskProfile::load(&tmp.path().join("journal.sqlite"));
    assert_eq!(profile.district_id.as_deref(), Some(district.as_str()));
    assert_eq!(profile.clerks[0].iin, iin);
    let form = s.sign_in_form(None);
    assert_eq!(form.earlier_iin.as_deref(), Some(iin.as_str()));
    assert_eq!(form.district_id.as_deref(), Some(district.as_str()));
    assert_eq!(form.districts.len(), portal.region.districts.len());

    // The portal gone: this clerk signs in offline; one never seen here does not.
    s.sign_out();
    portal.stop();
    let view = s
        .sign_in_password(&iin, pw(&password), Some(&district), now(), at)
        .unwrap();
    assert_eq!(view.method.as_deref(), Some("offline"));
    s.sign_out();
    let (other, other_pw, _, other_district) = portal.staff(1);
    let other = other.to_string();
    let err = s
        .sign_in_password(&other, pw(&other_pw), Some(&other_district), now(), at)
        .unwrap_err();
    assert_eq!(err.code(), "OFFLINE_SIGN_IN_UNAVAILABLE");
    assert!(
        s.with_desk(at + Duration::from_secs(1), |d| d.status_bar())
            .is_err()
    );
}

#[test]
fn an_entry_of_clerk_a_waits_for_a_and_is_never_pushed_under_clerk_b() {
    let ca = TestCa::new("Test NCA");
    let portal = Portal::start_trusting(200, vec![ca.cert_der()]);
    let tmp = tempfile::tempdir().unwrap();
    // Rounds far apart: only the first round after each sign-in runs in the test.
    let (s, events) = session(tmp.path(), Some(&portal.url));
    let a = &portal.region.staff[0];
    let b = portal
        .region
        .staff
        .iter()
        .position(|x| x.school == a.school && x.iin != a.iin)
        .unwrap_or(1);
    first_sign_in(&s, &portal, 0);
    round_completed(&events);

    // Clerk A decides, signed with A's key; then another clerk takes the desk.
    let p12 = tmp.path().join("RSA_a.p12");
    write_p12(
        &p12,
        &ca,
        &CertSpec::signing(&a.iin, &a.name.display().to_uppercase()),
        "pw",
        false,
    );
    let signer = P12Signer::open(&p12, Zeroizing::new("pw".into())).unwrap();
    let at = Instant::now();
    let id = s
        .with_desk(at, |d| {
            d.journal(&JournalQuery {
                limit: 200,
                ..JournalQuery::default()
            })
        })
        .unwrap()
        .rows
        .into_iter()
        .find(|r| matches!(r.status, desk::views::StatusKey::New))
        .unwrap()
        .id;
    let input = DecisionInput {
        application_id: id.clone(),
        decision: "accept".into(),
        reason_code: None,
        reason_text: None,
    };
    s.with_desk_mut(at, |d| {
        let clerk = d.current_clerk()?;
        assert_eq!(clerk, a.iin, "decided as the signed-in clerk");
        d.decide(&clerk, &input, &signer, now(), "key-of-a".into())
    })
    .unwrap();
    s.switch_clerk();
    events.lock().unwrap().clear();
    first_sign_in(&s, &portal, b);
    round_completed(&events);

    let at = Instant::now();
    let pending = s
        .with_desk(at, |d| Ok(d.store().pending_outbox(10)?))
        .unwrap();
    assert_eq!(pending.len(), 1, "A's entry still waits");
    assert_eq!(
        pending[0].clerk_iin.as_deref(),
        Some(a.iin.to_string().as_str())
    );
    assert_eq!(
        portal.stats().decisions,
        0,
        "nothing was sent under B's session"
    );
    let view = s.with_desk(at, |d| d.application(&id)).unwrap();
    assert_eq!(
        view.waits_for_clerk,
        Some(a.name.display()),
        "the row says whom it waits for"
    );

    // A signs in again: the entry goes under A's own session, with its own key.
    s.switch_clerk();
    events.lock().unwrap().clear();
    first_sign_in(&s, &portal, 0);
    round_completed(&events);
    let at = Instant::now();
    assert!(
        s.with_desk(at, |d| Ok(d.store().pending_outbox(10)?))
            .unwrap()
            .is_empty()
    );
    assert_eq!(portal.stats().decisions, 1);
    assert_eq!(
        s.with_desk(at, |d| d.application(&id))
            .unwrap()
            .waits_for_clerk,
        None
    );
}
