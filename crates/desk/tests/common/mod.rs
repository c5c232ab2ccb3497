//! A real portal-sim on 127.0.0.1 for the desk's tests against the portal, and the steps
//! every such test takes: a first sign-in through the e-mail code and a wait for a
//! completed sync round.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Mutex;
use std::time::{Duration, Instant};

use desk::session::{Password, Session, SessionEvent};
use desk::sync_run::{SyncEvent, SyncState};
use time::OffsetDateTime;

pub struct Portal {
    pub url: String,
    handle: Option<portal_sim::ServerHandle>,
    rt: tokio::runtime::Runtime,
    pub region: demo::Region,
}

impl Portal {
    /// A portal that trusts `trust_ca` (DER) besides NCA's roots: it always checks the
    /// signer's chain (issue 10).
    pub fn start_trusting(applications: u64, trust_ca: Vec<Vec<u8>>) -> Portal {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mut config = portal_sim::Config::new("127.0.0.1:0".parse().unwrap(), 1, applications);
        config.trust_ca = trust_ca;
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

    fn admin<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let url = format!("{}{path}", self.url);
        self.rt.block_on(async {
            reqwest::Client::builder()
                .no_proxy()
                .build()
                .unwrap()
                .get(url)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
    }

    /// The code portal-sim "sent" to `email` (its `/admin/codes`).
    pub fn code_sent_to(&self, email: &str) -> String {
        let codes: Vec<portal_api::SentCode> = self.admin("/admin/codes");
        codes
            .into_iter()
            .find(|c| c.destination == email && !c.confirmed)
            .map(|c| c.code)
            .expect("a code was sent")
    }

    pub fn stats(&self) -> portal_api::Stats {
        self.admin("/admin/stats")
    }

    /// A staff member's IIN, password and the district of their school.
    pub fn staff(&self, n: usize) -> (String, String, String) {
        let s = &self.region.staff[n];
        let school = self
            .region
            .schools
            .iter()
            .find(|x| x.id == s.school)
            .unwrap();
        (
            s.iin.to_string(),
            s.password.clone(),
            school.district_id.clone(),
        )
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Signs the `n`-th staff member in online, through the first sign-in's e-mail step.
pub fn first_sign_in(s: &Session, portal: &Portal, n: usize) {
    let (iin, password, district) = portal.staff(n);
    let at = Instant::now();
    let view = s
        .sign_in_password(&iin, Password::new(password), Some(&district), now(), at)
        .unwrap();
    if view.state == "email_required" {
        let email = format!("clerk{n}@mektep.kz");
        s.send_email_code(&email, at).unwrap();
        let code = portal.code_sent_to(&email);
        assert_eq!(s.confirm_email(&code, now(), at).unwrap().state, "open");
    }
}

/// Waits (bounded: 30 s) until the worker completed a round after `events` was cleared.
pub fn round_completed(events: &Mutex<Vec<SessionEvent>>) {
    for _ in 0..600 {
        if events
            .lock()
            .unwrap()
            .contains(&SessionEvent::Sync(SyncEvent::State(SyncState::Online)))
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no completed sync round: {:?}", events.lock().unwrap());
}
