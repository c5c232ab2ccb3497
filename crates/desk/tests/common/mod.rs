//! A real portal-sim on 127.0.0.1 for the desk's tests against the portal, with its admin
//! endpoints, and the steps every such test takes: a first sign-in through the e-mail code
//! and a wait for a completed sync round.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::sync::{Arc, Condvar, LockResult, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use desk::session::{
    DEFAULT_LOCK_AFTER, EventSink, Password, Session, SessionConfig, SessionEvent,
};
use desk::sync_run::{Pace, SyncEvent, SyncState};
use time::OffsetDateTime;

pub struct Portal {
    pub url: String,
    handle: Option<portal_sim::ServerHandle>,
    pub rt: tokio::runtime::Runtime,
    pub region: demo::Region,
}

impl Portal {
    /// A portal that trusts `trust_ca` (DER) besides NCA's roots.
    pub fn start_trusting(applications: u64, trust_ca: Vec<Vec<u8>>) -> Portal {
        Portal::start_with(applications, trust_ca, |_| {})
    }

    /// [`Portal::start_trusting`] with the configuration tuned by `tune`.
    pub fn start_with(
        applications: u64,
        trust_ca: Vec<Vec<u8>>,
        tune: impl FnOnce(&mut portal_sim::Config),
    ) -> Portal {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mut config = portal_sim::Config::new("127.0.0.1:0".parse().unwrap(), 1, applications);
        config.trust_ca = trust_ca;
        tune(&mut config);
        let region = demo::region(&config.spec);
        let (addr, handle) = rt.block_on(portal_sim::serve(config)).unwrap();
        Portal {
            url: format!("http://{addr}"),
            handle: Some(handle),
            rt,
            region,
        }
    }

    pub fn stop(&mut self) {
        if let Some(h) = self.handle.take() {
            self.rt.block_on(h.shutdown());
        }
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder().no_proxy().build().unwrap()
    }

    pub fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let url = format!("{}{path}", self.url);
        self.rt.block_on(async {
            Portal::client()
                .get(url)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
    }

    /// POSTs `body` to an admin endpoint; the status.
    pub fn post(&self, path: &str, body: serde_json::Value) -> u16 {
        let url = format!("{}{path}", self.url);
        self.rt.block_on(async {
            Portal::client()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    }

    /// Every API request answered 503 (`outage`) or none.
    pub fn outage(&self, on: bool) {
        let url = format!("{}/admin/faults", self.url);
        let body = portal_api::Faults {
            fault_5xx_rate: 0.0,
            drop_after_commit_rate: 0.0,
            latency_ms: 0,
            outage: on,
            damaged_changes: None,
        };
        let status = self.rt.block_on(async {
            Portal::client()
                .put(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        });
        assert!(status.is_success(), "{status}");
    }

    /// The code portal-sim "sent" to `email` (its `/admin/codes`).
    pub fn code_sent_to(&self, email: &str) -> String {
        let codes: Vec<portal_api::SentCode> = self.get("/admin/codes");
        codes
            .into_iter()
            .find(|c| c.destination == email && !c.confirmed)
            .map(|c| c.code)
            .expect("a code was sent")
    }

    pub fn stats(&self) -> portal_api::Stats {
        self.get("/admin/stats")
    }

    /// A district that is not `of`'s.
    pub fn other_district(&self, of: &str) -> String {
        self.region
            .districts
            .iter()
            .find(|d| d.id != of)
            .unwrap()
            .id
            .clone()
    }

    /// A staff member (IIN, password, name as in a certificate) and their school's district.
    pub fn staff(&self, n: usize) -> (domain::Iin, String, String, String) {
        let s = &self.region.staff[n];
        let school = self
            .region
            .schools
            .iter()
            .find(|x| x.id == s.school)
            .unwrap();
        (
            s.iin,
            s.password.clone(),
            s.name.display().to_uppercase(),
            school.district_id.clone(),
        )
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What a session reported, in order, and a wait for what is still to come.
#[derive(Default)]
pub struct Recorded {
    log: Mutex<Vec<SessionEvent>>,
    arrived: Condvar,
}

impl Recorded {
    pub fn lock(&self) -> LockResult<MutexGuard<'_, Vec<SessionEvent>>> {
        self.log.lock()
    }

    /// Waits until `done` holds for the events, blocking on their arrival (no polling),
    /// at most `limit`; whether it held.
    pub fn wait_until(&self, limit: Duration, done: impl Fn(&[SessionEvent]) -> bool) -> bool {
        let log = self.log.lock().unwrap();
        let (log, _) = self
            .arrived
            .wait_timeout_while(log, limit, |log| !done(log))
            .unwrap();
        done(&log)
    }

    fn push(&self, e: SessionEvent) {
        self.log.lock().unwrap().push(e);
        self.arrived.notify_all();
    }
}

pub type Events = Arc<Recorded>;

/// A session on `dir/journal.sqlite` with `url` (or none), its events recorded.
pub fn session(dir: &std::path::Path, url: Option<&str>) -> (Session, Events) {
    let events: Events = Arc::default();
    let seen = events.clone();
    let sink: EventSink = Arc::new(move |e| seen.push(e));
    let s = Session::new(
        SessionConfig {
            journal: dir.join("journal.sqlite"),
            portal_url: url.map(str::to_string),
            lock_after: DEFAULT_LOCK_AFTER,
            pace: Pace {
                interval: Duration::from_secs(600),
                max_pause: Duration::from_secs(600),
                ..Pace::default()
            },
        },
        sink,
    );
    (s, events)
}

pub fn pw(s: &str) -> Password {
    Password::new(s.to_string())
}

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Waits (bounded: 60 s) until the worker completed a round after `events` was cleared.
pub fn round_completed(events: &Recorded) {
    let online = SessionEvent::Sync(SyncEvent::State(SyncState::Online));
    assert!(
        events.wait_until(Duration::from_secs(60), |log| log.contains(&online)),
        "no completed sync round: {:?}",
        events.lock().unwrap()
    );
}

/// Signs the `n`-th staff member in online, through the first sign-in's e-mail step.
pub fn first_sign_in(s: &Session, portal: &Portal, n: usize) {
    let (iin, password, _, district) = portal.staff(n);
    let view = s
        .sign_in_password(
            &iin.to_string(),
            pw(&password),
            Some(&district),
            now(),
            Instant::now(),
        )
        .unwrap();
    assert_eq!(confirm_email_if_asked(s, portal, &view.state, n), "open");
}

/// The first sign-in's e-mail step when the portal asks for it.
pub fn confirm_email_if_asked(s: &Session, portal: &Portal, state: &str, n: usize) -> String {
    if state != "email_required" {
        return state.to_string();
    }
    let at = Instant::now();
    let email = format!("clerk{n}@mektep.kz");
    s.send_email_code(&email, at).unwrap();
    let code = portal.code_sent_to(&email);
    s.confirm_email(&code, now(), at).unwrap().state
}
