//! The walk-in wizard's questions to a real portal-sim (issue 11): «ЖСН-ды тексеру» in
//! the population register, the address register's drop-down, and
//! «Код жіберу» with its cool-down and the code the parent reads out.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::Portal;
use desk::sync::{ClientConfig, PortalClient};
use desk::walk_in_portal::{
    CodeSends, RESEND_AFTER, check_code, register_person, search_addresses, send_code,
};
use time::OffsetDateTime;

fn signed_in(portal: &Portal) -> PortalClient {
    let (iin, password, _, _) = portal.staff(0);
    let mut client = PortalClient::new(&portal.url, &ClientConfig::default()).unwrap();
    portal.rt.block_on(client.sign_in(&iin, &password)).unwrap();
    client
}

/// A journal that knows the region's micro-districts (their names in the look-up).
fn desk_of(dir: &std::path::Path) -> desk::Desk {
    let db = dir.join("journal.sqlite");
    desk::demo_data::fill(
        &db,
        &desk::demo_data::DemoFill {
            seed: 1,
            applications: 5,
        },
    )
    .unwrap();
    desk::Desk::open(&db).unwrap()
}

/// «ЖСН-ды тексеру» as the window does it: the register, then the journal's names.
fn look(
    desk: &desk::Desk,
    client: &PortalClient,
    iin: &str,
    field: &str,
) -> Result<desk::views::RegisterPersonView, desk::Error> {
    register_person(client, iin, field).and_then(|v| desk.name_micro_district(v))
}

fn code_of(e: desk::Error) -> String {
    e.code().to_string()
}

#[test]
fn check_iin_fills_the_applicant_and_the_child_from_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start_trusting(20, Vec::new());
    let client = signed_in(&portal);
    let desk = desk_of(dir.path());
    let walk_ins: Vec<portal_api::WalkIn> = portal.get("/admin/walk-ins");
    let unbound = walk_ins
        .iter()
        .find(|w| !w.address_has_micro_district)
        .unwrap();
    let bound = walk_ins
        .iter()
        .find(|w| w.address_has_micro_district)
        .unwrap();

    // the child, with birth date, sex, birth certificate and registered address.
    let child = look(&desk, &client, &bound.child_iin, "child.person.iin").unwrap();
    assert_eq!(child.person.iin, bound.child_iin);
    assert_eq!(
        format!("{} {}", child.person.surname, child.person.given),
        bound
            .child_name
            .split(' ')
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(!child.birth_certificate.is_empty());
    assert_eq!(child.registered_address_id, bound.address_id);
    assert!(!child.registered_address_kk.is_empty() && !child.registered_address_ru.is_empty());
    assert!(!child.needs_binding && child.micro_district_kk.is_some());
    assert_eq!(child.parents[0].iin, bound.parent_iin);
    // an address in no micro-district asks for the binding.
    let child = look(&desk, &client, &unbound.child_iin, "child.person.iin").unwrap();
    assert!(child.needs_binding && child.micro_district_id.is_none());
    // the applicant too.
    let parent = look(&desk, &client, &bound.parent_iin, "applicant.iin").unwrap();
    assert_eq!(
        parent.person.surname,
        bound.parent_name.split(' ').next().unwrap()
    );

    // A wrong IIN is the field's error; one the register lacks says so.
    let e = look(&desk, &client, "123", "applicant.iin").unwrap_err();
    let ui = desk::UiError::from(e);
    assert_eq!(ui.fields[0].field, "applicant.iin");
    assert_eq!(
        code_of(look(&desk, &client, "200301500010", "child.person.iin").unwrap_err()),
        "PERSON_NOT_IN_REGISTER"
    );
    // The portal out of reach: the clerk types the data (marked «тексерілмеген»).
    portal.outage(true);
    assert_eq!(
        code_of(look(&desk, &client, &bound.child_iin, "child.person.iin").unwrap_err()),
        "PORTAL_OFFLINE_MANUAL"
    );
    portal.outage(false);
}

#[test]
fn the_actual_address_comes_from_the_address_register() {
    let portal = Portal::start_trusting(0, Vec::new());
    let client = signed_in(&portal);
    let found = search_addresses(&client, "абай", "1").unwrap();
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|a| a.full_kk.to_lowercase().contains("абай")
                || a.full_ru.to_lowercase().contains("абая"))
    );
    assert!(search_addresses(&client, "а", "").unwrap().is_empty());
}

#[test]
fn a_code_is_sent_once_a_minute_and_only_the_right_one_confirms() {
    let portal = Portal::start_trusting(0, Vec::new());
    let client = signed_in(&portal);
    let mut sends = CodeSends::default();
    let now = OffsetDateTime::now_utc();
    let sent = send_code(&client, &mut sends, "sms", "8 701 555 44 33", "k-1", now).unwrap();
    assert_eq!(sent.destination, "+77015554433");
    assert_eq!(sent.resend_after_seconds, 60);
    // Resend with a cool-down.
    let e = send_code(
        &client,
        &mut sends,
        "sms",
        "+7 701 555 44 33",
        "k-2",
        now + time::Duration::seconds(20),
    )
    .unwrap_err();
    assert_eq!(e.code(), "CONTACT_CODE_WAIT");
    assert!(e.message(domain::Lang::Kk).contains("40 секунд"), "{e:?}");
    assert!(e.message(domain::Lang::Ru).contains("40 с"));
    let again = send_code(
        &client,
        &mut sends,
        "sms",
        "87015554433",
        "k-3",
        now + RESEND_AFTER,
    )
    .unwrap();
    assert_ne!(again.code_id, sent.code_id);
    // A wrong phone is the field's error.
    let ui =
        desk::UiError::from(send_code(&client, &mut sends, "sms", "12", "k-4", now).unwrap_err());
    assert_eq!(ui.fields[0].field, "phone");

    // The parent reads the code out; a wrong one is refused with its own text.
    let codes: Vec<portal_api::SentCode> = portal.get("/admin/codes");
    let code = codes
        .iter()
        .find(|c| c.code_id == again.code_id)
        .unwrap()
        .code
        .clone();
    let wrong = if code == "0000" { "1111" } else { "0000" };
    let e = check_code(&client, &again.code_id, wrong, "c-1").unwrap_err();
    assert_eq!(e.code(), "CONTACT_CODE_INCORRECT");
    assert!(!e.message(domain::Lang::Ru).is_empty());
    assert_eq!(
        check_code(&client, &again.code_id, "12a4", "c-2")
            .unwrap_err()
            .code(),
        "CONTACT_CODE_INCORRECT"
    );
    check_code(&client, &again.code_id, &code, "c-3").unwrap();
    // Three wrong codes burn a code.
    let email = send_code(&client, &mut sends, "email", "ata@mail.kz", "k-5", now).unwrap();
    let codes: Vec<portal_api::SentCode> = portal.get("/admin/codes");
    let right = codes
        .iter()
        .find(|c| c.code_id == email.code_id)
        .unwrap()
        .code
        .clone();
    let wrong = if right == "0000" { "1111" } else { "0000" };
    for i in 0..3 {
        check_code(&client, &email.code_id, wrong, &format!("w-{i}")).unwrap_err();
    }
    assert_eq!(
        check_code(&client, &email.code_id, &right, "w-3")
            .unwrap_err()
            .code(),
        "CONTACT_CODE_ATTEMPTS"
    );
}

#[test]
fn an_expired_code_says_so() {
    let portal = Portal::start_with(0, Vec::new(), |c| c.code_ttl = time::Duration::ZERO);
    let client = signed_in(&portal);
    let mut sends = CodeSends::default();
    let sent = send_code(
        &client,
        &mut sends,
        "sms",
        "8 701 555 44 33",
        "k-1",
        OffsetDateTime::now_utc(),
    )
    .unwrap();
    let codes: Vec<portal_api::SentCode> = portal.get("/admin/codes");
    let code = codes[0].code.clone();
    let e = check_code(&client, &sent.code_id, &code, "c-1").unwrap_err();
    assert_eq!(e.code(), "CONTACT_CODE_EXPIRED");
}
