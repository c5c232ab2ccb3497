//! Sign-in to the portal and the sync part of the status bar, for the window (R-1, R-3,
//! The shell keeps the password in memory only, for the sync worker; nothing
//! here writes it anywhere. What this desk remembers of a sign-in: who (IIN), when, and
//! the district chosen, in `sync_state`.

use std::time::Duration;

use domain::{Iin, Lang};
use sync::{ClientConfig, PortalClient, SyncState};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::views::{DistrictView, SignInForm, SyncBar};
use crate::{Desk, Error, UiError};

/// `sync_state` keys written by an interactive sign-in.
const SIGNED_IN_IIN: &str = "portal_sign_in_iin";
const SIGNED_IN_AT: &str = "portal_sign_in_at";
const DISTRICT: &str = "district_id";

/// Who the portal recognised, with where their schools are, and the signed-in
/// client for the first sign-in's e-mail steps.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The e-mail the portal has for them, and whether they confirmed it.
    pub email: String,
    pub email_confirmed: bool,
    pub portal: PortalClient,
    pub iin: Iin,
    /// "Surname Given Patronymic".
    pub name: String,
    /// The districts of the clerk's schools.
    pub school_districts: Vec<String>,
    /// The region's districts and cities from the portal's reference.
    pub districts: Vec<DistrictView>,
}

/// Short waits: the clerk is looking at the form.
fn form_client_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(3),
        request_timeout: Duration::from_secs(10),
        ..ClientConfig::default()
    }
}

/// Runs `f` to completion on a runtime of its own, on a thread of its own: the caller
/// may be a thread of another runtime (the window's command pool), where blocking on a
/// second runtime is not allowed.
pub(crate) fn block_on<T: Send>(
    f: impl Future<Output = Result<T, sync::Error>> + Send,
) -> Result<T, sync::Error> {
    let run = move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                sync::Error::Store(store::Error::Io {
                    path: std::path::PathBuf::from("tokio runtime"),
                    source: e,
                })
            })?;
        rt.block_on(f)
    };
    std::thread::scope(|scope| match scope.spawn(run).join() {
        Ok(result) => result,
        Err(_) => Err(sync::Error::Protocol {
            detail: "the sign-in thread stopped".into(),
        }),
    })
}

/// One sign-in with IIN + password to check them while the clerk waits: a wrong
/// password is `CREDENTIALS_INVALID`, a portal out of reach `PORTAL_UNREACHABLE` / …
pub fn check_sign_in(portal_url: &str, iin: &Iin, password: &str) -> Result<SignedIn, sync::Error> {
    block_on(async {
        let mut client = PortalClient::new(portal_url, &form_client_config())?;
        let answer = client.sign_in(iin, password).await?;
        describe(client, *iin, answer).await
    })
}

/// R-1, sign-in by EDS, first step: the portal's challenge (base64) and the client to
/// send the signed answer with.
pub fn eds_challenge(portal_url: &str) -> Result<(PortalClient, String), sync::Error> {
    block_on(async {
        let client = PortalClient::new(portal_url, &form_client_config())?;
        let challenge = client.eds_challenge().await?;
        Ok((client, challenge.challenge))
    })
}

/// R-1, sign-in by EDS, second step: the detached CMS over the challenge's bytes. The
/// portal's session (its token) comes back for the sync worker.
pub fn eds_sign_in(
    mut client: PortalClient,
    challenge: &str,
    cms: &[u8],
) -> Result<(SignedIn, portal_api::SignInResponse), sync::Error> {
    use base64::Engine;
    let cms_base64 = base64::engine::general_purpose::STANDARD.encode(cms);
    block_on(async move {
        let answer = client.eds_sign_in(challenge, &cms_base64).await?;
        let iin = Iin::parse(&answer.staff.iin).map_err(|e| sync::Error::Protocol {
            detail: format!("staff.iin: {e}"),
        })?;
        let session = answer.clone();
        Ok((describe(client, iin, answer).await?, session))
    })
}

/// Who signed in, with their schools' districts and the region's reference.
async fn describe(
    client: PortalClient,
    iin: Iin,
    answer: portal_api::SignInResponse,
) -> Result<SignedIn, sync::Error> {
    let schools = client.schools().await?;
    let reference = client.reference().await?;
    let n = answer.staff.name;
    let name = [Some(n.surname), Some(n.given), n.patronymic]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let school_districts = schools
        .items
        .iter()
        .filter(|s| answer.staff.school_ids.contains(&s.id))
        .map(|s| s.district_id.clone())
        .collect();
    let districts = reference
        .districts
        .into_iter()
        .map(|d| DistrictView {
            id: d.id,
            name_kk: d.name_kk,
            name_ru: d.name_ru,
        })
        .collect();
    Ok(SignedIn {
        email: answer.staff.email,
        email_confirmed: answer.staff.email_confirmed,
        portal: client,
        iin,
        name,
        school_districts,
        districts,
    })
}

/// sends the code to `email` (the first sign-in), with the signed-in client.
pub fn send_email_code(
    portal: &PortalClient,
    email: &str,
) -> Result<portal_api::CodeSent, sync::Error> {
    block_on(async { portal.send_staff_email_code(email).await })
}

/// the code confirms the e-mail.
pub fn confirm_email(
    portal: &PortalClient,
    code_id: &str,
    code: &str,
) -> Result<portal_api::StaffMember, sync::Error> {
    block_on(async { portal.confirm_staff_email(code_id, code).await })
}

/// the district chosen must be one of the clerk's schools'; otherwise the error
/// names the right one.
pub fn check_district(who: &SignedIn, chosen: Option<&str>) -> Result<String, Error> {
    let chosen = chosen.map(str::trim).filter(|d| !d.is_empty());
    let Some(chosen) = chosen else {
        return Err(Error::DistrictRequired);
    };
    if who.school_districts.iter().any(|d| d == chosen) || who.school_districts.is_empty() {
        return Ok(chosen.to_string());
    }
    let right = who
        .school_districts
        .first()
        .and_then(|id| who.districts.iter().find(|d| &d.id == id));
    let (right_kk, right_ru) = match right {
        Some(d) => (d.name_kk.clone(), d.name_ru.clone()),
        None => (
            who.school_districts[0].clone(),
            who.school_districts[0].clone(),
        ),
    };
    Err(Error::DistrictMismatch { right_kk, right_ru })
}

/// The portal answers at all (any HTTP answer, even 401): used at start to tell
/// "offline" from "please sign in".
pub fn portal_reachable(portal_url: &str) -> bool {
    let config = ClientConfig {
        connect_timeout: Duration::from_millis(1500),
        request_timeout: Duration::from_secs(3),
        ..ClientConfig::default()
    };
    let answer = block_on(async {
        let client = PortalClient::new(portal_url, &config)?;
        client.reference().await.map(|_| ())
    });
    match answer {
        Ok(()) => true,
        Err(e) => matches!(
            e.class(),
            sync::ErrorClass::SignIn | sync::ErrorClass::Refused
        ),
    }
}

/// A sync error for the window: its code and the clerk's words in both languages.
pub fn sync_error_ui(e: &sync::Error) -> UiError {
    UiError::new(
        e.code(),
        e.message(Lang::Kk),
        e.message(Lang::Ru),
        Some(e.to_string()),
    )
}

/// The words for a stored last-error code (`sync_state.last_error`).
pub fn last_error_words(code: &str, lang: Lang) -> Option<String> {
    let e = match code {
        "PORTAL_UNREACHABLE" | "PORTAL_TIMEOUT" | "PORTAL_CONNECTION_LOST" => {
            sync::Error::Unreachable {
                detail: String::new(),
            }
        }
        "PORTAL_UNAVAILABLE" | "PORTAL_BUSY" => sync::Error::Busy { retry_after: None },
        "PORTAL_GATEWAY" => sync::Error::Gateway {
            status: 0,
            detail: String::new(),
        },
        "SYNC_INSECURE_URL" => sync::Error::InsecureUrl { url: String::new() },
        "SIGN_IN_REQUIRED" => sync::Error::SignInRequired {
            code: String::new(),
        },
        "CREDENTIALS_INVALID" => sync::Error::CredentialsInvalid,
        "SYNC_BAD_URL" => sync::Error::BadUrl { url: String::new() },
        "PORTAL_PROTOCOL" => sync::Error::Protocol {
            detail: String::new(),
        },
        _ => return None,
    };
    Some(e.message(lang))
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The districts and cities of the region this app ships with: the sign-in form's
/// list before the portal gave its own.
pub(crate) fn shipped_districts() -> Vec<DistrictView> {
    demo::region(&demo::RegionSpec::default())
        .districts
        .into_iter()
        .map(|d| DistrictView {
            id: d.id,
            name_kk: d.name_kk,
            name_ru: d.name_ru,
        })
        .collect()
}

impl Desk {
    /// The sign-in form: the region's districts and cities from the portal's last
    /// reference, else the region this app ships with; who signed in here before.
    pub fn sign_in_form(
        &self,
        portal_url: Option<&str>,
        signed_in: bool,
        demo: Option<(String, String)>,
    ) -> Result<SignInForm, Error> {
        let store = self.store();
        let mut districts: Vec<DistrictView> = store
            .districts()?
            .into_iter()
            .map(|(id, name_kk, name_ru)| DistrictView {
                id,
                name_kk,
                name_ru,
            })
            .collect();
        if districts.is_empty() {
            districts = shipped_districts();
        }
        let earlier_iin = store.sync_value(SIGNED_IN_IIN)?.filter(|s| !s.is_empty());
        let earlier_name = match earlier_iin.as_deref().map(Iin::parse) {
            Some(Ok(iin)) => store.staff(&iin)?.map(|s| s.name.display()),
            _ => None,
        };
        let (demo_iin, demo_password) = match demo {
            Some((i, p)) => (Some(i), Some(p)),
            None => (None, None),
        };
        Ok(SignInForm {
            portal_configured: portal_url.is_some(),
            portal_url: portal_url.map(str::to_string),
            signed_in,
            districts,
            district_id: store.sync_value(DISTRICT)?.filter(|s| !s.is_empty()),
            earlier_iin,
            earlier_name,
            demo_iin,
            demo_password,
        })
    }

    /// Remembers a successful sign-in (who, when, which district): never the password.
    pub fn record_sign_in(
        &mut self,
        iin: &Iin,
        district_id: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<(), Error> {
        let at = now.format(&Rfc3339).unwrap_or_default();
        self.store.set_sync_value(SIGNED_IN_IIN, &iin.to_string())?;
        self.store.set_sync_value(SIGNED_IN_AT, &at)?;
        if let Some(d) = district_id.filter(|d| !d.is_empty()) {
            self.store.set_sync_value(DISTRICT, d)?;
        }
        Ok(())
    }

    /// `iin` signed in to the portal on this desk before: with the portal out of reach,
    /// that clerk works offline on the journal while the worker keeps trying.
    pub fn signed_in_here_before(&self, iin: &Iin) -> Result<bool, Error> {
        Ok(self.store().sync_value(SIGNED_IN_IIN)?.as_deref() == Some(iin.to_string().as_str()))
    }

    /// Someone signed in to the portal on this desk before.
    pub fn any_sign_in_here(&self) -> Result<bool, Error> {
        Ok(self
            .store()
            .sync_value(SIGNED_IN_IIN)?
            .is_some_and(|s| !s.is_empty()))
    }

    /// The sync part of the status bar for the window's `session`; `round_rows` is what
    /// the running round received so far (progress of a long first sync).
    pub fn sync_bar(&self, session: PortalSession, round_rows: u32) -> Result<SyncBar, Error> {
        let status = sync::status(self.store()).map_err(|e| match e {
            sync::Error::Store(s) => Error::Store(s),
            other => Error::JournalUnreachable {
                detail: other.to_string(),
            },
        })?;
        let (state, last_error) = match session {
            PortalSession::None => ("no_portal", None),
            // Out of reach and nobody signed in yet: offline, calmly.
            PortalSession::SignedOut { reachable: false } => {
                ("offline", Some("PORTAL_UNREACHABLE".to_string()))
            }
            // Nothing syncs until someone signs in.
            PortalSession::SignedOut { reachable: true } => {
                (SyncState::SignInRequired.as_str(), None)
            }
            PortalSession::SignedIn => (status.state.as_str(), status.last_error.clone()),
        };
        let words = |lang| {
            last_error
                .as_deref()
                .and_then(|c| last_error_words(c, lang))
        };
        Ok(SyncBar {
            state: state.to_string(),
            signed_in: session == PortalSession::SignedIn,
            last_sync: status.last_sync_at.map(domain::office_rfc3339),
            pending: count(status.pending),
            refused: count(status.refused),
            unreadable: count(status.unreadable),
            last_error_kk: words(Lang::Kk),
            last_error_ru: words(Lang::Ru),
            last_error,
            round_rows,
            journal_rows: count(self.store().status_counts()?.all()),
        })
    }
}

/// The sync part of the bar while no journal is open (signed out or locked): the state
/// only, no counts from the journal.
pub fn signed_out_bar(session: PortalSession) -> SyncBar {
    let (state, last_error) = match session {
        PortalSession::None => ("no_portal", None),
        PortalSession::SignedOut { reachable: false } => {
            ("offline", Some("PORTAL_UNREACHABLE".to_string()))
        }
        PortalSession::SignedOut { reachable: true } | PortalSession::SignedIn => {
            (SyncState::SignInRequired.as_str(), None)
        }
    };
    let words = |lang| {
        last_error
            .as_deref()
            .and_then(|c| last_error_words(c, lang))
    };
    SyncBar {
        state: state.to_string(),
        signed_in: false,
        last_sync: None,
        pending: 0,
        refused: 0,
        unreadable: 0,
        last_error_kk: words(Lang::Kk),
        last_error_ru: words(Lang::Ru),
        last_error,
        round_rows: 0,
        journal_rows: 0,
    }
}

/// Where the window stands with the portal (the shell knows; `sync_bar` words it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalSession {
    /// No portal configured: the local journal only.
    None,
    /// A portal, nobody signed in in this window; `reachable` as last probed.
    SignedOut { reachable: bool },
    /// The sync worker runs.
    SignedIn,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iin() -> Iin {
        Iin::parse("900101300017").expect("iin")
    }

    #[test]
    fn an_empty_desk_offers_the_region_and_remembers_a_sign_in_but_no_password() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("j.sqlite");
        let mut desk = Desk::open(&path).expect("open");
        let form = desk
            .sign_in_form(Some("http://127.0.0.1:9"), false, None)
            .expect("form");
        assert!(form.portal_configured);
        assert!(!form.districts.is_empty(), "R-3: a list to pick from");
        assert!(
            form.districts
                .iter()
                .all(|d| !d.name_kk.is_empty() && !d.name_ru.is_empty())
        );
        assert_eq!(form.earlier_iin, None);

        let who = iin();
        assert!(!desk.signed_in_here_before(&who).expect("before"));
        let now = OffsetDateTime::from_unix_timestamp(1_780_000_000).expect("time");
        let district = form.districts[1].id.clone();
        desk.record_sign_in(&who, Some(&district), now)
            .expect("record");
        assert!(desk.signed_in_here_before(&who).expect("before"));
        let form = desk
            .sign_in_form(Some("http://127.0.0.1:9"), true, None)
            .expect("form");
        assert_eq!(form.earlier_iin, Some(who.to_string()));
        assert_eq!(form.district_id, Some(district));
        drop(desk);
        let bytes = std::fs::read(&path).expect("read");
        assert!(
            !bytes.windows(6).any(|w| w == b"secret"),
            "nothing like a password is in the file"
        );
    }

    #[test]
    fn the_status_bar_says_no_portal_sign_in_or_offline() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let desk = Desk::open(&tmp.path().join("j.sqlite")).expect("open");
        let cases: &[(PortalSession, &str, Option<&str>)] = &[
            (PortalSession::None, "no_portal", None),
            (
                PortalSession::SignedOut { reachable: true },
                "sign_in_required",
                None,
            ),
            // Out of reach before anyone signed in: offline, calmly, with the reason.
            (
                PortalSession::SignedOut { reachable: false },
                "offline",
                Some("PORTAL_UNREACHABLE"),
            ),
            // A journal never synced reads as offline.
            (PortalSession::SignedIn, "offline", None),
        ];
        for (session, want, error) in cases {
            let bar = desk.sync_bar(*session, 0).expect("bar");
            assert_eq!(bar.state, *want, "{session:?}");
            assert_eq!(bar.last_error.as_deref(), *error, "{session:?}");
            assert_eq!(bar.last_error_kk.is_some(), error.is_some());
            assert_eq!(bar.signed_in, *session == PortalSession::SignedIn);
            assert_eq!(bar.pending, 0);
        }
    }

    #[test]
    fn a_portal_out_of_reach_is_told_in_both_languages() {
        // A port nobody listens on: bind, note it, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let url = format!("http://127.0.0.1:{port}");
        assert!(!portal_reachable(&url));
        let err = check_sign_in(&url, &iin(), "demo-0000").expect_err("unreachable");
        let ui = sync_error_ui(&err);
        assert_eq!(ui.code, "PORTAL_UNREACHABLE");
        assert!(
            ui.kk.contains("байланыс") && ui.ru.contains("связи"),
            "{ui:?}"
        );
        for code in [
            "PORTAL_UNREACHABLE",
            "PORTAL_UNAVAILABLE",
            "SIGN_IN_REQUIRED",
            "CREDENTIALS_INVALID",
        ] {
            assert!(
                last_error_words(code, Lang::Kk).is_some_and(|s| !s.is_empty()),
                "{code}"
            );
            assert!(
                last_error_words(code, Lang::Ru).is_some_and(|s| !s.is_empty()),
                "{code}"
            );
        }
    }
}
