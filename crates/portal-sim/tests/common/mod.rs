//! Shared helpers: a real portal-sim on 127.0.0.1:0 and a reqwest client.
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use portal_api as wire;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;

pub struct Portal {
    pub addr: SocketAddr,
    pub base: String,
    pub http: reqwest::Client,
    pub handle: Option<portal_sim::ServerHandle>,
    pub spec: demo::RegionSpec,
}

pub async fn start(applications: u64, tune: impl FnOnce(&mut portal_sim::Config)) -> Portal {
    let mut config = portal_sim::Config::new("127.0.0.1:0".parse().unwrap(), 7, applications);
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

/// A CMS-shaped blob: DER SEQUENCE tag and enough bytes (the CMS itself is not verified yet).
pub fn fake_cms() -> String {
    let mut der = vec![0x30, 0x82, 0x01, 0x00];
    der.extend(std::iter::repeat_n(0x42u8, 256));
    B64.encode(der)
}

pub fn decision(
    app_id: &str,
    version: u32,
    decision: &str,
    reason: Option<(&str, Option<&str>)>,
    clerk: &str,
) -> Value {
    let decided_at = "2026-06-01T10:00:00+05:00";
    let payload = wire::DecisionPayload {
        application_id: app_id.to_string(),
        base_version: version,
        decision: decision.to_string(),
        reason_code: reason.map(|r| r.0.to_string()),
        reason_text: reason.and_then(|r| r.1.map(str::to_string)),
        clerk_iin: clerk.to_string(),
        decided_at: decided_at.to_string(),
    };
    json!({
        "decision": decision,
        "base_version": version,
        "reason": reason.map(|(code, text)| json!({"code": code, "text": text})),
        "decided_at": decided_at,
        "signature": {"payload_base64": B64.encode(serde_json::to_vec(&payload).unwrap()), "cms_base64": fake_cms()},
    })
}

pub fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n-demo-photo-bytes".to_vec()
}

/// A complete on-behalf submission for a walk-in child.
pub fn submission(
    walk_in: &wire::WalkIn,
    school: &str,
    language: &str,
    clerk: &str,
    temporary: bool,
) -> Value {
    let submitted_at = "2026-06-02T09:30:00+05:00";
    let payload = wire::SubmissionPayload {
        child_iin: walk_in.child_iin.clone(),
        applicant_iin: walk_in.parent_iin.clone(),
        school_id: school.to_string(),
        language: language.to_string(),
        clerk_iin: clerk.to_string(),
        submitted_at: submitted_at.to_string(),
    };
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
        "signature": {"payload_base64": B64.encode(serde_json::to_vec(&payload).unwrap()), "cms_base64": fake_cms()},
    })
}

pub async fn walk_ins(p: &Portal) -> Vec<wire::WalkIn> {
    serde_json::from_slice(&p.get("/admin/walk-ins", None).await.bytes).unwrap()
}
