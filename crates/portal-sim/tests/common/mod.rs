//! Shared helpers: a real portal-sim on 127.0.0.1:0 and a reqwest client.

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use portal_api as wire;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use signing::testkit::{CertSpec, TestCa, write_p12};
use signing::{P12Signer, Signer, Zeroizing};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub struct Portal {
    pub addr: SocketAddr,
    pub base: String,
    pub http: reqwest::Client,
    pub handle: Option<portal_sim::ServerHandle>,
    pub spec: demo::RegionSpec,
}

pub async fn start(applications: u64, tune: impl FnOnce(&mut portal_sim::Config)) -> Portal {
    let mut config = portal_sim::Config::new("127.0.0.1:0".parse().unwrap(), 7, applications);
    // portal-sim always checks the chain: the tests' CA is trusted unless a test says
    // otherwise.
    config.trust_ca = vec![test_ca_der()];
    tune(&mut config);
    let spec = config.spec.clone();
    let (addr, handle) = portal_sim::serve(config).await.unwrap();
    Portal {
        addr,
        base: format!("http://{addr}"),
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap(),
        handle: Some(handle),
        spec,
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_string()
    }
}

impl Portal {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Resp {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(k) = key {
            req = req.header(wire::IDEMPOTENCY_KEY, k);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let content_type = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        Resp {
            status,
            content_type,
            bytes: r.bytes().await.unwrap().to_vec(),
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.send(Method::GET, path, token, None, None).await
    }

    pub async fn write(
        &self,
        method: Method,
        path: &str,
        token: &str,
        key: &str,
        body: &Value,
    ) -> Resp {
        self.send(
            method,
            path,
            Some(token),
            Some(key),
            Some(serde_json::to_vec(body).unwrap()),
        )
        .await
    }

    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        self.send(
            method,
            path,
            None,
            None,
            body.map(|b| serde_json::to_vec(&b).unwrap()),
        )
        .await
    }

    pub async fn stats(&self) -> wire::Stats {
        serde_json::from_slice(&self.get("/admin/stats", None).await.bytes).unwrap()
    }

    pub async fn staff(&self) -> Vec<wire::DemoStaff> {
        serde_json::from_slice(&self.get("/admin/demo-staff", None).await.bytes).unwrap()
    }

    /// Signs in as the first demo staff member of `school`.
    pub async fn sign_in(&self, school: &str) -> (String, wire::DemoStaff) {
        let s = self
            .staff()
            .await
            .into_iter()
            .find(|s| s.school_id == school)
            .unwrap();
        let r = self
            .send(
                Method::POST,
                "/api/v1/auth/sign-in",
                None,
                None,
                Some(serde_json::to_vec(&json!({"iin": s.iin, "password": s.password})).unwrap()),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        (r.json()["token"].as_str().unwrap().to_string(), s)
    }

    /// Asks for an EDS challenge and returns it (base64) with its bytes.
    pub async fn challenge(&self) -> (String, Vec<u8>) {
        let r = self
            .send(Method::POST, "/api/v1/auth/eds/challenge", None, None, None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let challenge = r.json()["challenge"].as_str().unwrap().to_string();
        let bytes = B64.decode(&challenge).unwrap();
        (challenge, bytes)
    }

    /// Sends an EDS sign-in: `challenge` with `cms_base64`.
    pub async fn eds_sign_in_with(&self, challenge: &str, cms_base64: &str) -> Resp {
        let body = json!({"challenge": challenge, "cms_base64": cms_base64});
        self.send(
            Method::POST,
            "/api/v1/auth/eds/sign-in",
            None,
            None,
            Some(serde_json::to_vec(&body).unwrap()),
        )
        .await
    }

    /// EDS sign-in with `key`: a fresh challenge, signed now.
    pub async fn eds_sign_in(&self, key: &dyn Signer) -> Resp {
        let (challenge, bytes) = self.challenge().await;
        let cms = B64.encode(
            key.sign_detached(&bytes, OffsetDateTime::now_utc())
                .unwrap(),
        );
        self.eds_sign_in_with(&challenge, &cms).await
    }

    pub async fn set_faults(&self, faults: Value) {
        assert_eq!(
            self.admin(Method::PUT, "/admin/faults", Some(faults))
                .await
                .status,
            StatusCode::OK
        );
    }

    pub async fn application(&self, token: &str, id: &str) -> wire::Application {
        serde_json::from_slice(
            &self
                .get(&format!("/api/v1/applications/{id}"), Some(token))
                .await
                .bytes,
        )
        .unwrap()
    }

    /// Pending applications of `school` from the generated data.
    pub fn pending_of(&self, school: &str, count: u64) -> Vec<domain::Application> {
        let region = demo::region(&self.spec);
        demo::applications(&self.spec, &region, count)
            .filter(|a| a.school.0 == school && a.status.is_pending())
            .collect()
    }
}

/// A CMS-shaped blob that is no signature at all: DER SEQUENCE tag and filler.
pub fn fake_cms() -> String {
    let mut der = vec![0x30, 0x82, 0x01, 0x00];
    der.extend(std::iter::repeat_n(0x42u8, 256));
    B64.encode(der)
}

/// The key files of this test process: one test CA, `.p12` files written into a temporary
/// directory and opened as real signers, made once per name.
struct KeyShelf {
    dir: tempfile::TempDir,
    ca: TestCa,
    keys: Mutex<HashMap<String, Arc<P12Signer>>>,
}

fn shelf() -> &'static KeyShelf {
    static SHELF: OnceLock<KeyShelf> = OnceLock::new();
    SHELF.get_or_init(|| KeyShelf {
        dir: tempfile::tempdir().unwrap(),
        ca: TestCa::new("Qabyldau portal-sim test CA"),
        keys: Mutex::new(HashMap::new()),
    })
}

/// The CA that issued every [`key_file`] of this process.
pub fn test_ca() -> &'static TestCa {
    &shelf().ca
}

/// The CA that issued every [`key_file`] of this process (DER), for `Config::trust_ca`.
pub fn test_ca_der() -> Vec<u8> {
    shelf().ca.cert_der()
}

/// Writes the test CA as PEM (for `--trust-ca`).
pub fn write_test_ca(path: &std::path::Path) {
    shelf().ca.write_pem(path);
}

/// A `.p12` key file with a certificate made from `spec` by the test CA, opened with its
/// password; the same `name` gives the same key.
pub fn key_file(name: &str, spec: CertSpec) -> Arc<P12Signer> {
    let shelf = shelf();
    let mut keys = shelf.keys.lock().unwrap();
    keys.entry(name.to_string())
        .or_insert_with(|| {
            let path = shelf.dir.path().join(format!("{name}.p12"));
            write_p12(&path, &shelf.ca, &spec, "test-password", false);
            Arc::new(P12Signer::open(&path, Zeroizing::new("test-password".to_string())).unwrap())
        })
        .clone()
}

fn iin(s: &str) -> domain::Iin {
    domain::Iin::parse(s).unwrap()
}

/// The signing key (`RSA_*.p12`) of the person with this IIN.
pub fn signing_key(owner_iin: &str) -> Arc<P12Signer> {
    key_file(
        &format!("RSA_{owner_iin}"),
        CertSpec::signing(&iin(owner_iin), "ТЕСТОВ ТЕСТ ТЕСТОВИЧ"),
    )
}

/// The authentication key (`AUTH_RSA_*.p12`) of the person with this IIN.
pub fn auth_key(owner_iin: &str) -> Arc<P12Signer> {
    key_file(
        &format!("AUTH_RSA_{owner_iin}"),
        CertSpec::authentication(&iin(owner_iin), "ТЕСТОВ ТЕСТ ТЕСТОВИЧ"),
    )
}

/// A detached CMS (base64 DER) over `content` by `key`, signed at `at` (RFC 3339).
pub fn sign(key: &dyn Signer, content: &[u8], at: &str) -> String {
    let at = OffsetDateTime::parse(at, &Rfc3339).unwrap();
    B64.encode(key.sign_detached(content, at).unwrap())
}

/// The canonical JSON bytes of a signed payload (crates/portal-api/FORMAT.md).
pub fn canonical<T: serde::Serialize>(payload: &T) -> Vec<u8> {
    signing::canonical_json(&serde_json::to_value(payload).unwrap())
}

pub const DECIDED_AT: &str = "2026-06-01T10:00:00+05:00";
pub const SUBMITTED_AT: &str = "2026-06-02T09:30:00+05:00";

/// What a clerk signs for a decision.
pub fn decision_payload(
    app_id: &str,
    version: u32,
    decision: &str,
    reason: Option<(&str, Option<&str>)>,
    clerk: &str,
) -> wire::DecisionPayload {
    wire::DecisionPayload {
        application_id: app_id.to_string(),
        base_version: version,
        decision: decision.to_string(),
        reason_code: reason.map(|r| r.0.to_string()),
        reason_text: reason.and_then(|r| r.1.map(str::to_string)),
        clerk_iin: clerk.to_string(),
        decided_at: DECIDED_AT.to_string(),
    }
}

/// A decision request whose payload names `clerk`, signed with `clerk`'s signing key.
pub fn decision(
    app_id: &str,
    version: u32,
    decision: &str,
    reason: Option<(&str, Option<&str>)>,
    clerk: &str,
) -> Value {
    decision_signed(
        app_id,
        version,
        decision,
        reason,
        clerk,
        &*signing_key(clerk),
    )
}

/// A decision request whose payload names `clerk`, signed with `key`.
pub fn decision_signed(
    app_id: &str,
    version: u32,
    decision: &str,
    reason: Option<(&str, Option<&str>)>,
    clerk: &str,
    key: &dyn Signer,
) -> Value {
    let payload = canonical(&decision_payload(app_id, version, decision, reason, clerk));
    json!({
        "decision": decision,
        "base_version": version,
        "reason": reason.map(|(code, text)| json!({"code": code, "text": text})),
        "decided_at": DECIDED_AT,
        "signature": {"payload_base64": B64.encode(&payload), "cms_base64": sign(key, &payload, DECIDED_AT)},
    })
}

pub fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n-demo-photo-bytes".to_vec()
}

/// A complete on-behalf submission for a walk-in child, signed with `clerk`'s signing key.
pub fn submission(
    walk_in: &wire::WalkIn,
    school: &str,
    language: &str,
    clerk: &str,
    temporary: bool,
) -> Value {
    submission_signed(
        walk_in,
        school,
        language,
        clerk,
        temporary,
        &*signing_key(clerk),
    )
}

/// Like [`submission`], signed with `key`.
pub fn submission_signed(
    walk_in: &wire::WalkIn,
    school: &str,
    language: &str,
    clerk: &str,
    temporary: bool,
    key: &dyn Signer,
) -> Value {
    let submitted_at = SUBMITTED_AT;
    let payload = wire::SubmissionPayload {
        child_iin: walk_in.child_iin.clone(),
        applicant_iin: walk_in.parent_iin.clone(),
        school_id: school.to_string(),
        language: language.to_string(),
        clerk_iin: clerk.to_string(),
        submitted_at: submitted_at.to_string(),
        content: None,
        binding: None,
    };
    let payload = canonical(&payload);
    let parent: Vec<&str> = walk_in.parent_name.split(' ').collect();
    json!({
        "applicant": {"iin": walk_in.parent_iin, "name": {"surname": parent[0], "given": parent[1], "patronymic": parent.get(2)}},
        "child_iin": walk_in.child_iin,
        "contacts": {"phone": "+77011234567", "extra_phone": null, "email": "ata.ana@mail.kz"},
        "temporary_registration": if temporary { json!({"address": "Көкшетау қ., Абай көшесі, 3-үй", "from": "2026-01-10", "until": "2027-01-10"}) } else { Value::Null },
        "school_id": school,
        "grade": 1,
        "language": language,
        "documents": [
            {"kind": "photo", "file_name": "photo.png", "media_type": "image/png", "content_base64": B64.encode(png())},
            {"kind": "medical_certificate", "file_name": "med.pdf", "media_type": "application/pdf", "content_base64": B64.encode(b"%PDF-1.4 demo")},
        ],
        "consents": {"admission_rules": true, "portal_terms": true, "personal_data": true, "notifications": "kk"},
        "submitted_at": submitted_at,
        "signature": {"payload_base64": B64.encode(&payload), "cms_base64": sign(key, &payload, submitted_at)},
    })
}

pub async fn walk_ins(p: &Portal) -> Vec<wire::WalkIn> {
    serde_json::from_slice(&p.get("/admin/walk-ins", None).await.bytes).unwrap()
}

pub const BOUND_AT: &str = "2026-06-02T09:25:00+05:00";

/// A clerk's signed binding of `walk_in`'s registered address to `micro_district`
/// (R-15…R-17), signed with `clerk`'s signing key.
pub fn binding(walk_in: &wire::WalkIn, micro_district: &str, clerk: &str) -> Value {
    binding_signed(walk_in, micro_district, clerk, &*signing_key(clerk))
}

/// Like [`binding`], signed with `key`.
pub fn binding_signed(
    walk_in: &wire::WalkIn,
    micro_district: &str,
    clerk: &str,
    key: &dyn Signer,
) -> Value {
    let payload = canonical(&wire::BindingPayload {
        child_iin: walk_in.child_iin.clone(),
        address_id: Some(walk_in.address_id.clone()),
        micro_district_id: micro_district.to_string(),
        responsibility_confirmed: true,
        clerk_iin: clerk.to_string(),
        bound_at: BOUND_AT.to_string(),
    });
    json!({
        "child_iin": walk_in.child_iin,
        "address_id": walk_in.address_id,
        "micro_district_id": micro_district,
        "responsibility_confirmed": true,
        "bound_at": BOUND_AT,
        "signature": {"payload_base64": B64.encode(&payload), "cms_base64": sign(key, &payload, BOUND_AT)},
    })
}

/// The `portal-sim` binary listening on 127.0.0.1:0 with `args`, and the address its first
/// line of output names (`listening on http://…`).
pub fn spawn_binary(args: &[&str]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_portal-sim"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    (child, url)
}
