//! What the walk-in wizard asks the portal while the parent is at the desk (issue 11):
//! «ЖСН-ды тексеру» in the population register, the actual address from
//! the address register, and «Код жіберу» / the code the parent reads out (R-21,
//! with a cool-down between sends). The portal out of reach is `PORTAL_OFFLINE_MANUAL`:
//! the clerk types the data, marked «тексерілмеген», and the desk checks them before
//! sending (`sync`'s register check, `walk_in_holds`).

use std::collections::HashMap;

use crate::sync_signin::block_on;
use crate::views::{AddressChoiceView, CodeSentView, PersonInput, RegisterPersonView};
use crate::{Desk, Error};
use domain::{Email, Iin, Phone};
use portal_api as wire;
use sync::PortalClient;
use time::{Duration, OffsetDateTime};

/// «Код жіберу» again for the same contact only after this long.
pub const RESEND_AFTER: Duration = Duration::seconds(60);

fn walk_in(code: &'static str) -> Error {
    Error::WalkIn { code, seconds: 0 }
}

/// The portal's answer as the wizard's error: out of reach → type by hand; the codes'
/// refusals → their own texts; the rest as the portal said it.
fn portal_error(e: sync::Error) -> Error {
    if e.is_transient() {
        return walk_in("PORTAL_OFFLINE_MANUAL");
    }
    // The portal ended the session: `Session::ask_portal` signs in again and asks again.
    if matches!(e, sync::Error::SignInRequired { .. }) {
        return Error::Portal(e);
    }
    match &e {
        sync::Error::Refused { problem, .. } => match problem.code.as_str() {
            wire::codes::PERSON_NOT_FOUND => walk_in("PERSON_NOT_IN_REGISTER"),
            wire::codes::CODE_INCORRECT => walk_in("CONTACT_CODE_INCORRECT"),
            wire::codes::CODE_EXPIRED => walk_in("CONTACT_CODE_EXPIRED"),
            wire::codes::CODE_ATTEMPTS_EXCEEDED => walk_in("CONTACT_CODE_ATTEMPTS"),
            _ => Error::from_portal(e),
        },
        _ => Error::from_portal(e),
    }
}

fn person_input(p: &wire::Person) -> PersonInput {
    PersonInput {
        iin: p.iin.clone(),
        surname: p.name.surname.clone(),
        given: p.name.given.clone(),
        patronymic: p.name.patronymic.clone().unwrap_or_default(),
    }
}

/// «ЖСН-ды тексеру» (R-20 for the applicant, R-22 for the child): the population
/// register's person. `field` names the IIN's field for a wrong IIN (`applicant.iin`,
/// `child.person.iin`). The micro-district's names come from the journal's reference
/// ([`Desk::name_micro_district`]): no lock of the journal is held while the portal
/// answers.
pub fn register_person(
    portal: &PortalClient,
    iin: &str,
    field: &str,
) -> Result<RegisterPersonView, Error> {
    let iin = Iin::parse(iin).map_err(|e| Error::Invalid {
        fields: vec![(field.to_string(), e)],
    })?;
    let found = block_on(portal.register_person(&iin.to_string())).map_err(portal_error)?;
    let a = &found.registered_address;
    Ok(RegisterPersonView {
        person: person_input(&wire::Person {
            iin: found.iin.clone(),
            name: found.name.clone(),
        }),
        birth_date: found.birth_date.clone(),
        sex: found.sex.clone(),
        birth_certificate: found.birth_certificate.clone().unwrap_or_default(),
        registered_address_id: a.id.clone(),
        registered_address_kk: a.full_kk.clone(),
        registered_address_ru: a.full_ru.clone(),
        micro_district_id: a.micro_district_id.clone(),
        micro_district_kk: None,
        micro_district_ru: None,
        needs_binding: a.micro_district_id.is_none(),
        parents: found.parents.iter().map(person_input).collect(),
    })
}

impl Desk {
    /// The look-up's micro-district named from the journal's reference list.
    pub fn name_micro_district(
        &self,
        mut view: RegisterPersonView,
    ) -> Result<RegisterPersonView, Error> {
        if let Some(md) = &view.micro_district_id
            && let Some((kk, ru)) = self.store().micro_district_names(md)?
        {
            view.micro_district_kk = Some(kk);
            view.micro_district_ru = Some(ru);
        }
        Ok(view)
    }
}

/// addresses of the register by street (kk or ru, any case) and house prefix, for
/// the drop-down of full addresses. Fewer than 2 letters of a street ask nothing.
pub fn search_addresses(
    portal: &PortalClient,
    street: &str,
    house: &str,
) -> Result<Vec<AddressChoiceView>, Error> {
    if street.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    let found =
        block_on(portal.search_addresses(street.trim(), house.trim(), 20)).map_err(portal_error)?;
    Ok(found
        .items
        .into_iter()
        .map(|a| AddressChoiceView {
            id: a.id,
            full_kk: a.full_kk,
            full_ru: a.full_ru,
            micro_district_id: a.micro_district_id,
        })
        .collect())
}

/// When a code was last sent to each contact (the window keeps one per session).
#[derive(Debug, Default, Clone)]
pub struct CodeSends {
    last: HashMap<String, OffsetDateTime>,
}

/// The contact in the portal's form: `+77…` for `sms`, the address for `email`.
fn destination(channel: &str, contact: &str) -> Result<String, Error> {
    let field_error = |field: &str, e| Error::Invalid {
        fields: vec![(field.to_string(), e)],
    };
    match channel {
        "sms" => Ok(Phone::parse(contact)
            .map_err(|e| field_error("phone", e))?
            .e164()),
        "email" => Ok(Email::parse(contact)
            .map_err(|e| field_error("email", e))?
            .to_string()),
        other => Err(Error::BadQuery {
            field: "channel",
            reason: format!("sms or email, not {other:?}"),
        }),
    }
}

/// «Код жіберу»: a 4-digit code to the main phone (`sms`) or the e-mail. The
/// same contact again within [`RESEND_AFTER`] waits (`CONTACT_CODE_WAIT`, the seconds
/// left). `idempotency_key`: made by the caller, one per press.
pub fn send_code(
    portal: &PortalClient,
    sends: &mut CodeSends,
    channel: &str,
    contact: &str,
    idempotency_key: &str,
    now: OffsetDateTime,
) -> Result<CodeSentView, Error> {
    let to = destination(channel, contact)?;
    if let Some(at) = sends.last.get(&to) {
        let left = (*at + RESEND_AFTER - now).whole_seconds();
        if left > 0 {
            return Err(Error::WalkIn {
                code: "CONTACT_CODE_WAIT",
                seconds: u64::try_from(left).unwrap_or(0),
            });
        }
    }
    let sent = block_on(portal.send_code(idempotency_key, channel, &to)).map_err(portal_error)?;
    sends.last.insert(to, now);
    Ok(CodeSentView {
        code_id: sent.code_id,
        channel: sent.channel,
        destination: sent.destination,
        expires_at: sent.expires_at,
        resend_after_seconds: u32::try_from(RESEND_AFTER.whole_seconds()).unwrap_or(60),
    })
}

/// The 4 digits the parent read out: `Ok` when the portal confirmed them;
/// `CONTACT_CODE_INCORRECT`, `CONTACT_CODE_EXPIRED`, `CONTACT_CODE_ATTEMPTS` otherwise.
pub fn check_code(
    portal: &PortalClient,
    code_id: &str,
    code: &str,
    idempotency_key: &str,
) -> Result<(), Error> {
    let digits = code.trim();
    if code_id.trim().is_empty() {
        return Err(walk_in("CONTACT_CODE_NOT_SENT"));
    }
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(walk_in("CONTACT_CODE_INCORRECT"));
    }
    let checked =
        block_on(portal.check_code(idempotency_key, code_id.trim(), digits)).map_err(|e| {
            match e {
                // The route's only 429: three wrong codes burnt it.
                sync::Error::Busy { .. } => walk_in("CONTACT_CODE_ATTEMPTS"),
                e => portal_error(e),
            }
        })?;
    if checked.confirmed {
        Ok(())
    } else {
        Err(walk_in("CONTACT_CODE_INCORRECT"))
    }
}
