//! The client holds to the portal's contract (api/portal.openapi.yaml). The requests it
//! builds are the contract's (issue 17): every method of `PortalClient` that talks to the portal is called against a
//! loopback listener that records what arrives — the method, the path, the query's names,
//! the headers — and each request must be an operation of the contract, with only the
//! query parameters it declares and every header it requires (`Idempotency-Key`). And the
//! refusal codes it knows are the contract's.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use sync::{ClientConfig, PortalClient};

/// One request as the listener received it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    query: Vec<String>,
    headers: Vec<String>,
}

/// Answers every request with a 404 problem (the client's answer does not matter here:
/// what is checked is what it sent) and records it. A thread on a loopback port.
fn listen() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let head_end = loop {
                let n = stream.read(&mut chunk).unwrap_or(0);
                if n == 0 {
                    break None;
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break Some(i);
                }
            };
            let Some(head_end) = head_end else {
                continue;
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
            let mut lines = head.split("\r\n");
            let mut first = lines.next().unwrap_or("").split(' ');
            let method = first.next().unwrap_or("").to_string();
            let target = first.next().unwrap_or("").to_string();
            let headers: Vec<String> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(name, _)| name.trim().to_ascii_lowercase())
                .collect();
            let url = reqwest::Url::parse(&format!("http://portal{target}")).unwrap();
            record.lock().unwrap().push(Received {
                method,
                path: url.path().to_string(),
                query: url.query_pairs().map(|(k, _)| k.into_owned()).collect(),
                headers,
            });
            let body = r#"{"code":"NOT_FOUND","message":"nothing here"}"#;
            let answer = format!(
                "HTTP/1.1 404 Not Found\r\ncontent-type: application/problem+json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
            let _ = stream.shutdown(std::net::Shutdown::Write);
        }
    });
    (url, seen)
}

/// api/portal.openapi.yaml, read.
fn contract() -> serde_yaml::Value {
    serde_yaml::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../api/portal.openapi.yaml"
        ))
        .unwrap(),
    )
    .unwrap()
}

/// The contract's path template that `path` is an instance of (`{x}` is one segment).
fn template_of<'a>(spec: &'a serde_yaml::Value, path: &str) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    spec["paths"].as_mapping()?.keys().find_map(|k| {
        let t = k.as_str()?;
        let parts: Vec<&str> = t.split('/').collect();
        let fits = parts.len() == segments.len()
            && parts
                .iter()
                .zip(&segments)
                .all(|(p, s)| (p.starts_with('{') && p.ends_with('}') && !s.is_empty()) || p == s);
        fits.then_some(t)
    })
}

/// The operation's parameters (its own and its path's), `$ref`s followed.
fn parameters(spec: &serde_yaml::Value, template: &str, method: &str) -> Vec<serde_yaml::Value> {
    let path = &spec["paths"][template];
    let mut out = Vec::new();
    for list in [&path["parameters"], &path[method]["parameters"]] {
        for p in list.as_sequence().into_iter().flatten() {
            let p = match p["$ref"].as_str() {
                Some(r) => {
                    let name = r.trim_start_matches("#/components/parameters/");
                    spec["components"]["parameters"][name].clone()
                }
                None => p.clone(),
            };
            out.push(p);
        }
    }
    out
}

/// The methods of `PortalClient` that send a request, from its source.
fn client_methods() -> BTreeSet<String> {
    let source = [
        include_str!("../src/client.rs"),
        include_str!("../src/client_walk_in.rs"),
    ];
    source
        .iter()
        .flat_map(|s| s.lines())
        .filter_map(|l| l.trim().strip_prefix("pub async fn "))
        .map(|rest| {
            rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_requests_the_client_builds_are_operations_of_the_contract() {
    let spec = contract();
    let (url, seen) = listen();
    let mut client = PortalClient::new(&url, &ClientConfig::default()).unwrap();
    let iin = domain::Iin::parse("900101300017").unwrap();
    let decision: portal_api::DecisionRequest = serde_json::from_value(serde_json::json!({
        "decision": "accept", "base_version": 1, "decided_at": "2026-06-01T10:00:00Z",
        "signature": { "payload_base64": "", "cms_base64": "" }
    }))
    .unwrap();
    let submission: portal_api::OnBehalfRequest = serde_json::from_value(serde_json::json!({
        "applicant": { "iin": "900101300017", "name": { "surname": "А", "given": "Б" } },
        "child_iin": "200101500015", "contacts": { "phone": "+77011234567" },
        "school_id": "sch-1", "grade": 1, "language": "kk", "documents": [],
        "consents": { "admission_rules": true, "portal_terms": true, "personal_data": true },
        "submitted_at": "2026-06-01T10:00:00Z",
        "signature": { "payload_base64": "", "cms_base64": "" }
    }))
    .unwrap();

    // Each call is expected to fail (the listener answers 404); what it sent is recorded.
    let mut called = Vec::new();
    macro_rules! call {
        ($name:ident, $e:expr) => {{
            let before = seen.lock().unwrap().len();
            let _ = $e.await;
            let sent = seen.lock().unwrap().len() - before;
            assert_eq!(sent, 1, "{} sent one request", stringify!($name));
            called.push(stringify!($name).to_string());
        }};
    }
    call!(sign_in, client.sign_in(&iin, "password"));
    call!(eds_challenge, client.eds_challenge());
    call!(eds_sign_in, client.eds_sign_in("challenge", "Y21z"));
    client.use_token("token");
    call!(changes, client.changes(Some("7"), 50));
    call!(changes_raw, client.changes_raw(None, 50));
    call!(application, client.application("app-1"));
    call!(document, client.document("app-1", "doc-1", 1024));
    call!(decide, client.decide("app-1", "k-1", &decision));
    call!(
        decide_bytes,
        client.decide_bytes("app-1", "k-2", b"{}".to_vec())
    );
    call!(
        submit_on_behalf,
        client.submit_on_behalf("k-3", &submission)
    );
    call!(
        submit_on_behalf_bytes,
        client.submit_on_behalf_bytes("k-4", b"{}".to_vec())
    );
    call!(schools, client.schools());
    call!(micro_districts, client.micro_districts());
    call!(reference, client.reference());
    call!(
        reference_if_changed,
        client.reference_if_changed::<portal_api::SchoolList>("/api/v1/schools", Some("\"e\""))
    );
    call!(
        send_staff_email_code,
        client.send_staff_email_code("a@b.kz")
    );
    call!(
        confirm_staff_email,
        client.confirm_staff_email("c-1", "1234")
    );
    call!(
        bind_micro_district_bytes,
        client.bind_micro_district_bytes("k-5", b"{}".to_vec())
    );
    call!(register_person, client.register_person("200101500015"));
    call!(search_addresses, client.search_addresses("Абай", "5", 20));
    call!(send_code, client.send_code("k-6", "sms", "+77011234567"));
    call!(check_code, client.check_code("k-7", "c-1", "1234"));

    // Every method that talks to the portal was called above.
    let called_set: BTreeSet<String> = called.iter().cloned().collect();
    assert_eq!(
        called_set,
        client_methods(),
        "each request-sending method of PortalClient is called by this test"
    );

    let received = seen.lock().unwrap().clone();
    assert_eq!(received.len(), called.len());
    for (name, r) in called.iter().zip(&received) {
        let method = r.method.to_ascii_lowercase();
        let template = template_of(&spec, &r.path)
            .unwrap_or_else(|| panic!("{name}: {} is not a path of the contract", r.path));
        assert!(
            spec["paths"][template][method.as_str()].is_mapping(),
            "{name}: {} {template} is not an operation of the contract",
            r.method
        );
        let params = parameters(&spec, template, &method);
        let declared = |place: &str| -> BTreeSet<String> {
            params
                .iter()
                .filter(|p| p["in"].as_str() == Some(place))
                .filter_map(|p| p["name"].as_str())
                .map(str::to_ascii_lowercase)
                .collect()
        };
        for q in &r.query {
            assert!(
                declared("query").contains(&q.to_ascii_lowercase()),
                "{name}: query parameter {q} is not declared for {} {template}",
                r.method
            );
        }
        for p in &params {
            if p["in"].as_str() == Some("header") && p["required"].as_bool() == Some(true) {
                let h = p["name"].as_str().unwrap().to_ascii_lowercase();
                assert!(
                    r.headers.contains(&h),
                    "{name}: {} {template} requires the header {h}",
                    r.method
                );
            }
        }
    }
}

#[test]
fn the_codes_taken_for_refusals_are_the_contracts_codes() {
    let spec = contract();
    let documented: std::collections::BTreeSet<String> =
        spec["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
    let known: std::collections::BTreeSet<String> = portal_api::codes::ALL
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        known, documented,
        "portal_api::codes::ALL = the contract's codes"
    );
}
