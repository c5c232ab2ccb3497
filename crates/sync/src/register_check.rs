//! Before a walk-in typed offline is sent (R-20, R-22, issue 11): the applicant and the
//! child as the clerk typed them are compared with the population register. When they
//! agree the hold is released; when they differ both versions are kept on the hold and
//! shown on the application (`REGISTER_DIFFERS`), and the submission waits for the
//! clerk's decision — what was typed is never replaced silently.

use crate::error::{Error, ErrorClass};
use crate::state::SyncEvent;
use crate::worker::{Events, RoundClock, SyncWorker};
use domain::search_key;
use portal_api as wire;
use serde_json::json;
use store::{NewHistory, REGISTER_UNCHECKED, Store};

/// The row's code while the register and the typed data differ.
pub const REGISTER_DIFFERS: &str = "REGISTER_DIFFERS";

/// One difference: the field, what was typed, what the register says.
fn differences(
    who: &str,
    typed: &wire::PersonName,
    register: &wire::PersonName,
    out: &mut Vec<serde_json::Value>,
) {
    let pairs = [
        ("surname", Some(&typed.surname), Some(&register.surname)),
        ("given", Some(&typed.given), Some(&register.given)),
        (
            "patronymic",
            typed.patronymic.as_ref(),
            register.patronymic.as_ref(),
        ),
    ];
    for (field, t, r) in pairs {
        let same =
            search_key(t.map_or("", |s| s.as_str())) == search_key(r.map_or("", |s| s.as_str()));
        if !same {
            out.push(json!({"field": format!("{who}.{field}"), "typed": t, "register": r}));
        }
    }
}

fn compare(
    request: &wire::OnBehalfRequest,
    applicant: Option<&wire::RegisterPerson>,
    child: Option<&wire::RegisterPerson>,
) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    match applicant {
        Some(a) => differences("applicant", &request.applicant.name, &a.name, &mut out),
        None => out.push(
            json!({"field": "applicant.iin", "typed": request.applicant.iin, "register": null}),
        ),
    }
    match (child, &request.child) {
        (None, _) => {
            out.push(json!({"field": "child.iin", "typed": request.child_iin, "register": null}))
        }
        (Some(c), Some(typed)) => {
            differences("child", &typed.name, &c.name, &mut out);
            let certificate = c.birth_certificate.clone().unwrap_or_default();
            if search_key(&typed.birth_certificate) != search_key(&certificate) {
                out.push(json!({"field": "child.birth_certificate", "typed": typed.birth_certificate, "register": certificate}));
            }
            let address = search_key(&typed.registered_address);
            let a = &c.registered_address;
            if address != search_key(&a.full_kk) && address != search_key(&a.full_ru) {
                out.push(json!({"field": "child.registered_address", "typed": typed.registered_address, "register": a.full_kk, "register_ru": a.full_ru}));
            }
        }
        (Some(_), None) => {}
    }
    out
}

impl SyncWorker {
    /// The register check of every submission held for it; portal trouble ends the
    /// round's check (the holds stay for the next round).
    pub(crate) async fn check_register(
        &mut self,
        store: &mut Store,
        clock: &RoundClock,
        events: Events<'_>,
    ) -> Result<(), Error> {
        for hold in store.open_holds_for(REGISTER_UNCHECKED)? {
            let Some(bytes) = store.outbox_request(hold.seq)? else {
                continue;
            };
            let Ok(request) = serde_json::from_slice::<wire::OnBehalfRequest>(&bytes) else {
                continue;
            };
            let look = |iin: String| {
                let client = self.client.clone();
                async move {
                    match client.register_person(&iin).await {
                        Ok(p) => Ok(Some(p)),
                        Err(Error::Refused { problem, .. })
                            if problem.code == wire::codes::PERSON_NOT_FOUND =>
                        {
                            Ok(None)
                        }
                        Err(e) => Err(e),
                    }
                }
            };
            let applicant = look(request.applicant.iin.clone()).await;
            let child = look(request.child_iin.clone()).await;
            let (applicant, child) = match (applicant, child) {
                (Ok(a), Ok(c)) => (a, c),
                (Err(e), _) | (_, Err(e)) if e.class() != ErrorClass::Refused => return Err(e),
                _ => continue,
            };
            let found = compare(&request, applicant.as_ref(), child.as_ref());
            if found.is_empty() {
                store.release_hold(
                    &hold.application_id,
                    REGISTER_UNCHECKED,
                    "register",
                    &NewHistory {
                        at: clock.now(),
                        actor_iin: None,
                        actor_name: None,
                        kind: "register_checked".into(),
                        details: json!({"agrees": true}),
                    },
                    clock.now(),
                )?;
            } else {
                let fields: Vec<String> = found
                    .iter()
                    .filter_map(|d| d["field"].as_str().map(str::to_string))
                    .collect();
                store.note_hold(
                    hold.seq,
                    REGISTER_UNCHECKED,
                    &json!({"differences": found}),
                    REGISTER_DIFFERS,
                    &register_differs_note(&fields.join(", ")),
                    clock.now(),
                )?;
            }
            events(SyncEvent::RowsChanged {
                ids: vec![hold.application_id.clone()],
            });
        }
        Ok(())
    }
}

/// The hold's note when the register differs, in both languages (sync.ftl).
fn register_differs_note(fields: &str) -> String {
    let text = |lang| {
        i18n::text_with(
            lang,
            "sync-register-differs",
            &[("fields", i18n::Arg::Text(fields))],
        )
    };
    format!("{} / {}", text(domain::Lang::Kk), text(domain::Lang::Ru))
}
