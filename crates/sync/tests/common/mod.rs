//! A real portal (portal-sim over HTTP on 127.0.0.1, its own SQLite file so it can be
//! stopped and started again on the same port) and a real desk (journal file, `.p12` key
//! of a demo clerk) for the sync tests. Shared with crates/cli/tests/sync_crash.rs.
#![allow(dead_code, clippy::unwrap_used)]

use desk::Desk;
use desk::signing::testkit::{CertSpec, TestCa, write_p12};
use desk::signing::{P12Signer, Zeroizing};
use desk::views::{
    BindingInput, ChildInput, DecisionInput, DocumentInput, OnBehalfInput, PersonInput,
    TemporaryRegistrationInput,
};
use domain::Iin;
use portal_api as wire;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct Portal {
    pub url: String,
    pub addr: SocketAddr,
    config: portal_sim::Config,
    handle: Option<portal_sim::ServerHandle>,
    http: reqwest::Client,
}

pub fn faults(fault_5xx_rate: f64, drop_after_commit_rate: f64, latency_ms: u64) -> wire::Faults {
    wire::Faults {
        fault_5xx_rate,
        drop_after_commit_rate,
        latency_ms,
        outage: false,
        damaged_changes: None,
    }
}

impl Portal {
    /// Starts portal-sim with `applications` parent applications, on a random port.
    pub async fn start(dir: &Path, seed: u64, applications: u64) -> Portal {
        let mut config =
            portal_sim::Config::new("127.0.0.1:0".parse().unwrap(), seed, applications);
        config.db = Some(dir.join("portal.sqlite"));
        config.trust_ca = vec![test_ca().cert_der()];
        let (addr, handle) = portal_sim::serve(config.clone()).await.unwrap();
        config.listen = addr;
        Portal {
            url: format!("http://{addr}"),
            addr,
            config,
            handle: Some(handle),
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
        }
    }

    /// Stops accepting and closes every connection: the portal is unreachable.
    pub async fn stop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.shutdown().await;
        }
    }

    /// Starts again on the same port with the same database (sessions are lost: 401).
    pub async fn restart(&mut self) {
        self.stop().await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match portal_sim::serve(self.config.clone()).await {
                Ok((_, h)) => {
                    self.handle = Some(h);
                    return;
                }
                Err(e) => assert!(
                    Instant::now() < deadline,
                    "port {} not free again: {e}",
                    self.addr
                ),
            }
            tokio::task::yield_now().await;
        }
    }

    async fn admin<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> T {
        let mut req = self.http.request(method, format!("{}{path}", self.url));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.unwrap()
    }

    pub async fn stats(&self) -> wire::Stats {
        self.admin(reqwest::Method::GET, "/admin/stats", None).await
    }

    pub async fn set_faults(&self, f: wire::Faults) {
        let _: wire::Faults = self
            .admin(
                reqwest::Method::PUT,
                "/admin/faults",
                Some(serde_json::to_value(f).unwrap()),
            )
            .await;
    }

    /// Overload mode and the gateway faults (`PUT /admin/overload`, issue 12).
    pub async fn set_overload(&self, config: serde_json::Value) {
        let _: serde_json::Value = self
            .admin(reqwest::Method::PUT, "/admin/overload", Some(config))
            .await;
    }

    /// Requests to `POST /api/v1/decision-batches` so far, whoever answered them.
    pub async fn batch_requests(&self) -> u64 {
        let overload: serde_json::Value = self
            .admin(reqwest::Method::GET, "/admin/overload", None)
            .await;
        overload["decision_batch_requests"].as_u64().unwrap()
    }

    /// API requests that reached the portal so far (`served` of `GET /admin/overload`,
    /// every request while no capacity is set).
    pub async fn api_requests(&self) -> u64 {
        let overload: serde_json::Value = self
            .admin(reqwest::Method::GET, "/admin/overload", None)
            .await;
        overload["served"].as_u64().unwrap()
    }

    pub async fn demo_staff(&self) -> Vec<wire::DemoStaff> {
        self.admin(reqwest::Method::GET, "/admin/demo-staff", None)
            .await
    }

    pub async fn withdraw(&self, id: &str) -> wire::Application {
        self.admin(
            reqwest::Method::POST,
            &format!("/admin/applications/{id}/withdraw"),
            None,
        )
        .await
    }

    pub async fn edit(&self, id: &str) -> wire::Application {
        self.admin(
            reqwest::Method::POST,
            &format!("/admin/applications/{id}/edit"),
            None,
        )
        .await
    }

    /// `count` new applications arrive on the portal (`POST /admin/arrivals`).
    pub async fn arrivals(&self, count: u32) -> wire::ApplicationIds {
        let body = serde_json::json!({ "count": count });
        self.admin(reqwest::Method::POST, "/admin/arrivals", Some(body))
            .await
    }

    pub async fn set_capacity(&self, school_id: &str, language: &str, capacity: u32) {
        let body = serde_json::json!({ "school_id": school_id, "language": language, "capacity": capacity });
        let _: wire::PlacesUpdate = self
            .admin(reqwest::Method::PUT, "/admin/places", Some(body))
            .await;
    }

    /// The bindings of addresses to micro-districts the portal recorded.
    pub async fn bindings(&self) -> Vec<wire::RecordedBinding> {
        self.admin(reqwest::Method::GET, "/admin/bindings", None)
            .await
    }

    pub fn spec(&self) -> &demo::RegionSpec {
        &self.config.spec
    }

    pub fn applications(&self) -> u64 {
        self.config.applications
    }
}

/// The CA of every clerk key of this process; portal-sim trusts it (it always checks the
/// chain, issue 10).
pub fn test_ca() -> &'static TestCa {
    static CA: std::sync::OnceLock<TestCa> = std::sync::OnceLock::new();
    CA.get_or_init(|| TestCa::new("Test NCA"))
}

/// The desk of the first demo clerk: a journal file, and their `.p12` signing key.
pub struct Office {
    pub dir: PathBuf,
    pub db: PathBuf,
    pub clerk: Iin,
    pub password: String,
    pub school_id: String,
    pub signer: P12Signer,
    /// the walk-ins' phone and e-mail, confirmed by code with the portal once.
    pub phone_code_id: String,
    pub email_code_id: String,
}

/// The walk-ins' contacts.
pub const WALK_IN_PHONE: &str = "8 701 234 56 78";
pub const WALK_IN_EMAIL: &str = "ata.ana@mail.kz";

/// Confirms `destination` by code as the clerk does with the parent at the desk:
/// `POST /confirmation-codes`, the code read from `/admin/codes`, `…/check`.
async fn confirmed_code(portal: &Portal, token: &str, channel: &str, destination: &str) -> String {
    let http = &portal.http;
    let sent: wire::CodeSent = http
        .post(format!("{}/api/v1/confirmation-codes", portal.url))
        .bearer_auth(token)
        .header(wire::IDEMPOTENCY_KEY, format!("office-code-{channel}"))
        .json(&serde_json::json!({"channel": channel, "destination": destination}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<wire::SentCode> = portal
        .admin(reqwest::Method::GET, "/admin/codes", None)
        .await;
    let code = codes
        .into_iter()
        .find(|c| c.code_id == sent.code_id)
        .unwrap()
        .code;
    let status = http
        .post(format!(
            "{}/api/v1/confirmation-codes/{}/check",
            portal.url, sent.code_id
        ))
        .bearer_auth(token)
        .header(wire::IDEMPOTENCY_KEY, format!("office-check-{channel}"))
        .json(&serde_json::json!({"code": code}))
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success(), "{status}");
    sent.code_id
}

impl Office {
    pub async fn new(dir: &Path, portal: &Portal) -> Office {
        Office::nth(dir, portal, 0).await
    }

    /// The desk of the `n`-th demo clerk (0 and 1 work at the same school).
    pub async fn nth(dir: &Path, portal: &Portal, n: usize) -> Office {
        std::fs::create_dir_all(dir).unwrap();
        let staff = portal.demo_staff().await.into_iter().nth(n).unwrap();
        let clerk = Iin::parse(&staff.iin).unwrap();
        let p12 = dir.join("RSA_clerk.p12");
        write_p12(
            &p12,
            test_ca(),
            &CertSpec::signing(&clerk, &staff.name.to_uppercase()),
            "pw",
            false,
        );
        let signed_in: wire::SignInResponse = portal
            .http
            .post(format!("{}/api/v1/auth/sign-in", portal.url))
            .json(&serde_json::json!({"iin": staff.iin, "password": staff.password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let phone = domain::Phone::parse(WALK_IN_PHONE).unwrap().e164();
        let phone_code_id = confirmed_code(portal, &signed_in.token, "sms", &phone).await;
        let email_code_id = confirmed_code(portal, &signed_in.token, "email", WALK_IN_EMAIL).await;
        Office {
            dir: dir.to_path_buf(),
            db: dir.join("journal.sqlite"),
            clerk,
            password: staff.password,
            school_id: staff.school_id,
            signer: P12Signer::open(&p12, Zeroizing::new("pw".into())).unwrap(),
            phone_code_id,
            email_code_id,
        }
    }

    pub fn desk(&self) -> Desk {
        Desk::open(&self.db).unwrap()
    }

    pub fn target(&self, portal: &Portal) -> desk::sync_run::SyncTarget {
        let mut t =
            desk::sync_run::SyncTarget::new(&self.db, &portal.url, &self.clerk, &self.password);
        t.config = quick_config();
        t
    }

    /// Accepts or rejects `id` at the desk (signed, written with its outbox entry).
    pub fn decide(
        &self,
        desk: &mut Desk,
        id: &str,
        accept: bool,
        key: String,
    ) -> Result<(), desk::Error> {
        let input = if accept {
            DecisionInput {
                application_id: id.into(),
                decision: "accept".into(),
                reason_code: None,
                reason_text: None,
            }
        } else {
            DecisionInput {
                application_id: id.into(),
                decision: "reject".into(),
                reason_code: Some("incomplete_documents".into()),
                reason_text: None,
            }
        };
        desk.decide(
            &self.clerk,
            &input,
            &self.signer,
            time::OffsetDateTime::now_utc(),
            key,
        )
        .map(|_| ())
    }

    /// Enters walk-in child `child` on behalf of their parent at the clerk's school.
    pub fn submit_walk_in(
        &self,
        desk: &mut Desk,
        region: &demo::Region,
        child: &demo::RegisterPerson,
        n: u32,
    ) -> Result<String, desk::Error> {
        self.submit_walk_in_with(desk, region, child, n, &self.signer)
    }

    /// [`Office::submit_walk_in`] signed with `signer` (NCALayer, a token).
    pub fn submit_walk_in_with<S: desk::signing::DecisionSigner + ?Sized>(
        &self,
        desk: &mut Desk,
        region: &demo::Region,
        child: &demo::RegisterPerson,
        n: u32,
        signer: &S,
    ) -> Result<String, desk::Error> {
        let address = region.address(&child.address_id).unwrap();
        let photo = self.dir.join(format!("photo-{n}.jpg"));
        let med = self.dir.join(format!("med-{n}.pdf"));
        // Typed by their bytes when picked (issue 15): JPEG and PDF magic first.
        let mut jpeg = b"\xFF\xD8\xFF\xE0".to_vec();
        jpeg.resize(20_000 + n as usize, 0x11);
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.resize(30_000 + n as usize, 0x22);
        std::fs::write(&photo, jpeg).unwrap();
        std::fs::write(&med, pdf).unwrap();
        // R-15…R-18: a child whose address is in no micro-district goes through the
        // clerk's binding (to a micro-district of the clerk's school), one in three with
        // a temporary registration instead.
        let unbound = address.micro_district.is_none();
        let temporary = (unbound && n.is_multiple_of(3)).then(|| TemporaryRegistrationInput {
            address: "Көкшетау қ., Абай к-сі, 1".into(),
            from: "2026-01-01".into(),
            until: "2027-12-31".into(),
        });
        let binding = (unbound && !n.is_multiple_of(3)).then(|| BindingInput {
            micro_district_id: region
                .micro_districts
                .iter()
                .find(|m| m.school.0 == self.school_id)
                .unwrap()
                .id
                .0
                .clone(),
            responsibility_confirmed: true,
        });
        let input = OnBehalfInput {
            applicant: PersonInput::of(&child.parent_iin, &child.parent_name),
            child: ChildInput {
                person: PersonInput::of(&child.iin, &child.name),
                birth_certificate: child.birth_certificate.clone(),
                registered_address: address.full_kk.clone(),
                registered_address_id: Some(address.id.clone()),
                micro_district_id: address.micro_district.as_ref().map(|m| m.0.clone()),
                binding,
            },
            phone: WALK_IN_PHONE.into(),
            email: WALK_IN_EMAIL.into(),
            phone_code_id: self.phone_code_id.clone(),
            email_code_id: self.email_code_id.clone(),
            // every other walk-in was typed offline and is checked against
            // the register before it is sent (the data are the register's: it agrees).
            register_checked: n % 2 == 1,
            temporary_registration: temporary,
            school_id: self.school_id.clone(),
            grade: 1,
            language: "kk".into(),
            documents: vec![
                DocumentInput {
                    kind: "photo".into(),
                    file: "photo".into(),
                },
                DocumentInput {
                    kind: "medical_certificate".into(),
                    file: "med".into(),
                },
            ],
            consent_admission_rules: true,
            consent_portal_terms: true,
            consent_personal_data: true,
            notifications: "kk".into(),
            notification_channel: "sms".into(),
            ..Default::default()
        };
        let ids = desk::on_behalf::SubmissionIds {
            application_id: format!("local-{n}"),
            idempotency_key: format!("on-behalf-{n}"),
        };
        // What the window's dialog would have picked, under the handles above.
        let mut files = desk::picked_files::PickedFiles::default();
        for (handle, path) in [("photo", &photo), ("med", &med)] {
            files.insert(
                handle.into(),
                desk::picked_files::read_picked(path, desk::picked_files::FilePurpose::Document),
            );
        }
        desk.submit_on_behalf(
            &self.clerk,
            &input,
            &files,
            signer,
            time::OffsetDateTime::now_utc(),
            &ids,
        )
        .map(|o| o.application_id)
    }
}

/// Fast pacing for tests: small pages (several per pull), short backoff.
/// A sync worker on `portal` with the quick test pacing.
pub fn worker(portal: &Portal, seed: u64) -> desk::sync::SyncWorker {
    desk::sync::SyncWorker::new(
        desk::sync::PortalClient::new(&portal.url, &desk::sync::ClientConfig::default()).unwrap(),
        quick_config(),
        seed,
    )
}

/// `w` signed in as `office`'s clerk at `now`, unless it is.
pub async fn sign_in(
    w: &mut desk::sync::SyncWorker,
    store: &mut store::Store,
    office: &Office,
    now: time::OffsetDateTime,
) {
    let mut ignore = |_: desk::sync::SyncEvent| {};
    if !w.client().signed_in() {
        w.sign_in(store, &office.clerk, &office.password, now, &mut ignore)
            .await
            .unwrap();
    }
}

/// One sync round at `now` as `office`'s clerk, signing in first when the worker is not.
pub async fn round_at(
    w: &mut desk::sync::SyncWorker,
    store: &mut store::Store,
    office: &Office,
    now: time::OffsetDateTime,
) -> desk::sync::RoundReport {
    sign_in(w, store, office, now).await;
    let mut ignore = |_: desk::sync::SyncEvent| {};
    w.run_round(store, now, &mut ignore).await.unwrap()
}

/// One sync round now (see [`round_at`]).
pub async fn round(
    w: &mut desk::sync::SyncWorker,
    store: &mut store::Store,
    office: &Office,
) -> desk::sync::RoundReport {
    round_at(w, store, office, time::OffsetDateTime::now_utc()).await
}

pub fn quick_config() -> desk::sync::SyncConfig {
    desk::sync::SyncConfig {
        page_size: 40,
        push_batch: 25,
        tries_per_round: 5,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(80),
        documents_per_round: 10,
        document_cache_bytes: 4 * 1024 * 1024,
        refresh_reference: true,
        reference_every: Duration::ZERO,
        ..desk::sync::SyncConfig::default()
    }
}

/// Rows of the journal the clerk can still decide: new or under review, nothing waiting,
/// pulled from the portal (a decision on a row entered here signs its local id: see the
/// report of issue 5).
pub fn decidable(store: &store::Store) -> Vec<(String, String)> {
    let mut filter = store::JournalFilter {
        limit: 10_000,
        ..Default::default()
    };
    filter.sync_mark = Some(store::SyncMark::None);
    store
        .journal(&filter)
        .unwrap()
        .into_iter()
        .filter(|r| {
            matches!(r.status, domain::Status::New | domain::Status::UnderReview)
                && !r.id.starts_with("local-")
        })
        .map(|r| (r.id, r.language))
        .collect()
}

/// Walk-in children the portal's register knows.
pub fn walk_ins(portal: &Portal) -> (demo::Region, Vec<demo::RegisterPerson>) {
    let region = demo::region(portal.spec());
    let count = (portal.applications() / 10).clamp(40, 5_000) as usize;
    let children = demo::walk_in_children(portal.spec(), &region, count);
    (region, children)
}

/// A walk-in child of the portal's register whose registered address is in a
/// micro-district (`in_micro_district`) or in none (R-15: the clerk binds it).
pub fn walk_in_child(
    portal: &Portal,
    in_micro_district: bool,
) -> (demo::Region, demo::RegisterPerson) {
    let (region, children) = walk_ins(portal);
    let child = children
        .into_iter()
        .find(|c| {
            region
                .address(&c.address_id)
                .unwrap()
                .micro_district
                .is_some()
                == in_micro_district
        })
        .unwrap();
    (region, child)
}

/// Rounds as `office`'s clerk until one completes: the first pull is in the journal.
pub async fn first_sync(w: &mut desk::sync::SyncWorker, store: &mut store::Store, office: &Office) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !round(w, store, office).await.completed() {
        assert!(Instant::now() < deadline, "no first sync");
    }
}

/// Rounds as `office`'s clerk until one completes with nothing left to push; every
/// round's report.
pub async fn sync_until_quiet(
    w: &mut desk::sync::SyncWorker,
    store: &mut store::Store,
    office: &Office,
) -> Vec<desk::sync::RoundReport> {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut reports = Vec::new();
    loop {
        let r = round(w, store, office).await;
        let done = r.completed() && r.pending_left == 0;
        reports.push(r);
        if done {
            return reports;
        }
        assert!(Instant::now() < deadline, "no convergence: {reports:#?}");
    }
}
