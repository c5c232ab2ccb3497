//! The server against api/portal.openapi.yaml: every (path, method, status) in the
//! document is produced by a real request and its body validates against the schema;
//! every response the tests see is in the document; the server's route table equals
//! the document's paths (no route on one side only).

#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use crate::common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn openapi() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../api/portal.openapi.yaml"
    ))
    .unwrap();
    serde_yaml::from_str(&text).unwrap()
}

type Triple = (String, String, u16);

fn spec_triples(doc: &Value) -> BTreeSet<Triple> {
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for status in op["responses"].as_object().unwrap().keys() {
                out.insert((method.to_uppercase(), path.clone(), status.parse().unwrap()));
            }
        }
    }
    out
}

struct Checker {
    doc: Value,
    seen: BTreeSet<Triple>,
}

impl Checker {
    /// Asserts the status, that the document lists it for this operation, and that the
    /// body validates against the document's schema for it.
    fn check(&mut self, method: &Method, template: &str, r: &Resp, want: u16) {
        assert_eq!(
            r.status.as_u16(),
            want,
            "{method} {template}: body {}",
            String::from_utf8_lossy(&r.bytes)
        );
        let op = &self.doc["paths"][template][method.as_str().to_lowercase()];
        assert!(op.is_object(), "{method} {template} is not in the document");
        let mut resp = op["responses"][want.to_string()].clone();
        assert!(
            resp.is_object(),
            "{method} {template} {want} is not in the document"
        );
        if let Some(r) = resp["$ref"].as_str() {
            let name = r.rsplit('/').next().unwrap();
            resp = self.doc["components"]["responses"][name].clone();
        }
        let Some(content) = resp["content"].as_object() else {
            // e.g. 304: no body at all
            assert!(r.bytes.is_empty(), "{method} {template} {want} has no body");
            self.seen
                .insert((method.to_string(), template.to_string(), want));
            return;
        };
        let (media, schema) = content.iter().next().unwrap();
        if media == "*/*" {
            assert!(!r.bytes.is_empty());
        } else {
            assert_eq!(&r.content_type, media, "{method} {template} {want}");
            let root = json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "allOf": [schema["schema"]],
                "components": self.doc["components"],
            });
            let instance: Value = serde_json::from_slice(&r.bytes).unwrap();
            let validator = jsonschema::validator_for(&root).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&instance)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{method} {template} {want}: {errors:?}\n{instance}"
            );
        }
        self.seen
            .insert((method.to_string(), template.to_string(), want));
    }
}

#[test]
fn the_server_route_table_is_the_documents_path_list() {
    let doc = openapi();
    let documented: BTreeSet<(String, String)> = spec_triples(&doc)
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    let served: BTreeSet<(String, String)> = portal_sim::route_table()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(served, documented);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_status_is_produced_and_validates() {
    let doc = openapi();
    let all = spec_triples(&doc);
    let mut c = Checker {
        doc: doc.clone(),
        seen: BTreeSet::new(),
    };
    let p = start(400, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let (other_token, _) = p.sign_in("sch-002").await;
    let t = Some(token.as_str());
    let g = Method::GET;
    let post = Method::POST;
    let put = Method::PUT;

    // ---- generic statuses, driven by the document itself ----
    let sample_paths = |template: &str| -> String {
        template
            .replace("{application_id}", "app-7-1")
            .replace("{document_id}", "app-7-1-photo")
            .replace("{iin}", &me.iin)
            .replace("{address_id}", "adr-00001")
            .replace("{code_id}", "code-1")
    };
    for (method, template, status) in &all {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let path = sample_paths(template);
        let op = &doc["paths"][template.as_str()][method.as_str().to_lowercase()];
        let has_body = op.get("requestBody").is_some();
        let api = template.starts_with("/api/");
        let auth = api && !template.starts_with("/api/v1/auth/");
        let tok = if auth { t } else { None };
        let key = Some("generic-key");
        match status {
            503 => {
                p.set_faults(json!({"fault_5xx_rate": 0.0, "drop_after_commit_rate": 0.0, "latency_ms": 0, "outage": true})).await;
                let r = p
                    .send(
                        method.clone(),
                        &path,
                        tok,
                        key,
                        has_body.then(|| b"{}".to_vec()),
                    )
                    .await;
                p.set_faults(json!({"fault_5xx_rate": 0.0, "drop_after_commit_rate": 0.0, "latency_ms": 0, "outage": false})).await;
                c.check(&method, template, &r, 503);
                assert_eq!(r.code(), "OUTAGE");
            }
            500 => {
                p.set_faults(json!({"fault_5xx_rate": 1.0, "drop_after_commit_rate": 0.0, "latency_ms": 0, "outage": false})).await;
                let r = p
                    .send(
                        method.clone(),
                        &path,
                        tok,
                        key,
                        has_body.then(|| b"{}".to_vec()),
                    )
                    .await;
                p.set_faults(json!({"fault_5xx_rate": 0.0, "drop_after_commit_rate": 0.0, "latency_ms": 0, "outage": false})).await;
                c.check(&method, template, &r, 500);
                assert_eq!(r.code(), "INJECTED_FAULT");
            }
            401 if auth => {
                let r = p
                    .send(
                        method.clone(),
                        &path,
                        None,
                        key,
                        has_body.then(|| b"{}".to_vec()),
                    )
                    .await;
                c.check(&method, template, &r, 401);
                assert_eq!(r.code(), "TOKEN_MISSING");
                let r = p
                    .send(
                        method.clone(),
                        &path,
                        Some("not-a-token"),
                        key,
                        has_body.then(|| b"{}".to_vec()),
                    )
                    .await;
                assert_eq!(r.code(), "TOKEN_INVALID");
            }
            400 if has_body => {
                let r = p
                    .send(method.clone(), &path, tok, key, Some(b"not json".to_vec()))
                    .await;
                c.check(&method, template, &r, 400);
                assert_eq!(r.code(), "MALFORMED_JSON");
            }
            413 if has_body => {
                let r = p
                    .send(
                        method.clone(),
                        &path,
                        tok,
                        key,
                        Some(vec![b' '; portal_api::BODY_MAX_BYTES + 10]),
                    )
                    .await;
                c.check(&method, template, &r, 413);
                assert_eq!(r.code(), "BODY_TOO_LARGE");
            }
            422 if has_body => {
                let r = p
                    .send(
                        method.clone(),
                        &path,
                        tok,
                        key,
                        Some(br#"{"surprise": 1}"#.to_vec()),
                    )
                    .await;
                c.check(&method, template, &r, 422);
                assert_eq!(r.code(), "UNKNOWN_FIELD");
            }
            _ => {}
        }
    }
    let stats = p.stats().await;
    assert_eq!(
        (
            stats.writes_committed,
            stats.decisions,
            stats.on_behalf_submissions
        ),
        (0, 0, 0),
        "bad input stored nothing"
    );

    // ---- specific cases ----
    // sign-in
    let r = p
        .send(
            post.clone(),
            "/api/v1/auth/sign-in",
            None,
            None,
            Some(serde_json::to_vec(&json!({"iin": me.iin, "password": "wrong"})).unwrap()),
        )
        .await;
    c.check(&post, "/api/v1/auth/sign-in", &r, 401);
    assert_eq!(r.code(), "CREDENTIALS_INVALID");
    let r = p
        .send(
            post.clone(),
            "/api/v1/auth/sign-in",
            None,
            None,
            Some(serde_json::to_vec(&json!({"iin": me.iin, "password": me.password})).unwrap()),
        )
        .await;
    c.check(&post, "/api/v1/auth/sign-in", &r, 200);
    let r = p
        .send(post.clone(), "/api/v1/auth/eds/challenge", None, None, None)
        .await;
    c.check(&post, "/api/v1/auth/eds/challenge", &r, 200);
    // EDS sign-in (R-1): the challenge signed with the staff member's AUTH_RSA key
    let eds = "/api/v1/auth/eds/sign-in";
    let r = p.eds_sign_in(&*auth_key(&me.iin)).await;
    c.check(&post, eds, &r, 200);
    assert_eq!(r.json()["staff"]["iin"], me.iin.as_str());
    let eds_token = r.json()["token"].as_str().unwrap().to_string();
    c.check(
        &g,
        "/api/v1/changes",
        &p.get("/api/v1/changes?limit=1", Some(&eds_token)).await,
        200,
    );
    let r = p
        .eds_sign_in_with("bm90LWEtY2hhbGxlbmdl", &fake_cms())
        .await;
    c.check(&post, eds, &r, 401);
    assert_eq!(r.code(), "CHALLENGE_INVALID");
    let r = p.eds_sign_in(&*signing_key(&me.iin)).await;
    c.check(&post, eds, &r, 422);
    assert_eq!(r.code(), "CERTIFICATE_REFUSED");

    // Issue 16: an account locked out after 5 wrong passwords, and a revoked one.
    let staff = p.staff().await;
    let spare: Vec<_> = staff
        .iter()
        .filter(|s| s.iin != me.iin && s.school_id != "sch-001" && s.school_id != "sch-002")
        .collect();
    let (locked, revoked) = (spare[spare.len() - 1], spare[spare.len() - 2]);
    let sign_in = |who: &portal_api::DemoStaff, password: &str| {
        serde_json::to_vec(&json!({"iin": who.iin, "password": password})).unwrap()
    };
    for _ in 0..5 {
        let r = p
            .send(
                post.clone(),
                "/api/v1/auth/sign-in",
                None,
                None,
                Some(sign_in(locked, "wrong")),
            )
            .await;
        assert_eq!(r.code(), "CREDENTIALS_INVALID");
    }
    let r = p
        .send(
            post.clone(),
            "/api/v1/auth/sign-in",
            None,
            None,
            Some(sign_in(locked, &locked.password)),
        )
        .await;
    c.check(&post, "/api/v1/auth/sign-in", &r, 403);
    assert_eq!(r.code(), "ACCOUNT_LOCKED");
    let revoke = "/admin/staff/{iin}/revoke";
    let r = p
        .admin(post.clone(), &revoke.replace("{iin}", "000000000000"), None)
        .await;
    c.check(&post, revoke, &r, 404);
    let r = p
        .admin(post.clone(), &revoke.replace("{iin}", &revoked.iin), None)
        .await;
    c.check(&post, revoke, &r, 200);
    let r = p
        .send(
            post.clone(),
            "/api/v1/auth/sign-in",
            None,
            None,
            Some(sign_in(revoked, &revoked.password)),
        )
        .await;
    assert_eq!(r.code(), "ACCOUNT_REVOKED");
    let r = p.eds_sign_in(&*auth_key(&revoked.iin)).await;
    c.check(&post, eds, &r, 403);
    assert_eq!(r.code(), "ACCOUNT_REVOKED");
    c.check(
        &g,
        "/admin/decisions",
        &p.get("/admin/decisions", None).await,
        200,
    );

    // changes
    let r = p.get("/api/v1/changes?limit=5", t).await;
    c.check(&g, "/api/v1/changes", &r, 200);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 5);
    c.check(
        &g,
        "/api/v1/changes",
        &p.get("/api/v1/changes?school_id=sch-002", t).await,
        403,
    );
    c.check(
        &g,
        "/api/v1/changes",
        &p.get("/api/v1/changes?after=yesterday", t).await,
        422,
    );

    // applications and documents
    let mine = p.pending_of("sch-001", 400);
    let theirs = p.pending_of("sch-002", 400);
    let app_path = |id: &str| format!("/api/v1/applications/{id}");
    let tpl = "/api/v1/applications/{application_id}";
    c.check(&g, tpl, &p.get(&app_path(&mine[0].id.0), t).await, 200);
    c.check(&g, tpl, &p.get(&app_path(&theirs[0].id.0), t).await, 403);
    c.check(&g, tpl, &p.get(&app_path("app-7-999999"), t).await, 404);
    let dtpl = "/api/v1/applications/{application_id}/documents/{document_id}";
    let doc0 = &mine[0].documents[0];
    let r = p
        .get(
            &format!("{}/documents/{}", app_path(&mine[0].id.0), doc0.id),
            t,
        )
        .await;
    c.check(&g, dtpl, &r, 200);
    assert_eq!(r.bytes.len() as u64, doc0.size);
    assert_eq!(r.content_type, doc0.media_type);
    c.check(
        &g,
        dtpl,
        &p.get(
            &format!(
                "{}/documents/{}",
                app_path(&theirs[0].id.0),
                theirs[0].documents[0].id
            ),
            t,
        )
        .await,
        403,
    );
    c.check(
        &g,
        dtpl,
        &p.get(&format!("{}/documents/nope", app_path(&mine[0].id.0)), t)
            .await,
        404,
    );

    // decisions
    let dec = "/api/v1/applications/{application_id}/decisions";
    let d_path = |id: &str| format!("/api/v1/applications/{id}/decisions");
    let a = &mine[0];
    let d1 = decision(&a.id.0, a.version, "accept", None, &me.iin);
    let r = p
        .write(post.clone(), &d_path(&a.id.0), &token, "d-1", &d1)
        .await;
    c.check(&post, dec, &r, 200);
    let r = p
        .write(
            post.clone(),
            &d_path(&mine[1].id.0),
            &token,
            "d-2",
            &decision(&mine[1].id.0, mine[1].version + 5, "accept", None, &me.iin),
        )
        .await;
    c.check(&post, dec, &r, 409);
    assert_eq!(r.code(), "VERSION_CONFLICT");
    let r = p
        .write(
            post.clone(),
            &d_path(&theirs[0].id.0),
            &token,
            "d-3",
            &decision(&theirs[0].id.0, theirs[0].version, "accept", None, &me.iin),
        )
        .await;
    c.check(&post, dec, &r, 403);
    let r = p
        .write(
            post.clone(),
            &d_path("app-7-999999"),
            &token,
            "d-4",
            &decision("app-7-999999", 1, "accept", None, &me.iin),
        )
        .await;
    c.check(&post, dec, &r, 404);

    // several decisions in one request (issue 12): each item is the single request —
    // its answer, its idempotency under its own key and exact bytes
    let batch = "/api/v1/decision-batches";
    let one = decision(&mine[4].id.0, mine[4].version, "accept", None, &me.iin);
    let stale = decision(&mine[5].id.0, mine[5].version + 5, "accept", None, &me.iin);
    let body = json!({"items": [
        {"application_id": mine[4].id.0, "idempotency_key": "batch-1", "request": one},
        {"application_id": mine[5].id.0, "idempotency_key": "batch-2", "request": stale},
        // decided alone above under "d-1": the stored answer, not a second effect
        {"application_id": a.id.0, "idempotency_key": "d-1", "request": d1},
    ]});
    let r = p.write(post.clone(), batch, &token, "unused", &body).await;
    c.check(&post, batch, &r, 200);
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    let statuses: Vec<u64> = items.iter().filter_map(|i| i["status"].as_u64()).collect();
    assert_eq!(statuses, [200, 409, 200], "{items:?}");
    assert_eq!(items[1]["body"]["code"], "VERSION_CONFLICT");
    assert_eq!(
        items[0]["body"]["application"]["status"], "accepted",
        "{items:?}"
    );
    // the same decision alone after the batch: the batch's stored answer
    let r = p
        .write(
            post.clone(),
            &d_path(&mine[4].id.0),
            &token,
            "batch-1",
            &one,
        )
        .await;
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.json(), items[0]["body"]);

    // on-behalf
    let walk_ins = walk_ins(&p).await;
    let bound: Vec<_> = walk_ins
        .iter()
        .filter(|w| w.address_has_micro_district)
        .collect();
    let sub = "/api/v1/applications";
    let r = p
        .write(
            post.clone(),
            sub,
            &token,
            "s-1",
            &submission(bound[0], "sch-001", "kk", &me.iin, false),
        )
        .await;
    c.check(&post, sub, &r, 201);
    let r = p
        .write(
            post.clone(),
            sub,
            &token,
            "s-2",
            &submission(bound[0], "sch-001", "kk", &me.iin, false),
        )
        .await;
    c.check(&post, sub, &r, 409);
    assert_eq!(r.code(), "PENDING_APPLICATION_EXISTS");
    let r = p
        .write(
            post.clone(),
            sub,
            &token,
            "s-3",
            &submission(bound[1], "sch-001", "kk", "900101300017", false),
        )
        .await;
    c.check(&post, sub, &r, 403);
    assert_eq!(r.code(), "SIGNER_MISMATCH");
    let mut stranger = bound[1].clone();
    stranger.child_iin = "200301500010".into();
    let r = p
        .write(
            post.clone(),
            sub,
            &token,
            "s-4",
            &submission(&stranger, "sch-001", "kk", &me.iin, false),
        )
        .await;
    c.check(&post, sub, &r, 404);
    assert_eq!(r.code(), "PERSON_NOT_FOUND");

    // register
    let reg = "/api/v1/register/persons/{iin}";
    let r = p
        .get(
            &format!("/api/v1/register/persons/{}", bound[2].child_iin),
            t,
        )
        .await;
    c.check(&g, reg, &r, 200);
    assert_eq!(r.json()["parents"][0]["iin"], bound[2].parent_iin);
    c.check(
        &g,
        reg,
        &p.get("/api/v1/register/persons/200301500010", t).await,
        404,
    );
    c.check(
        &g,
        reg,
        &p.get("/api/v1/register/persons/123", t).await,
        422,
    );

    // addresses
    let r = p
        .get(
            "/api/v1/addresses?street=%D0%B0%D0%B1%D0%B0%D0%B9&house=1",
            t,
        )
        .await; // "абай"
    c.check(&g, "/api/v1/addresses", &r, 200);
    assert!(!r.json()["items"].as_array().unwrap().is_empty());
    let bind = "/api/v1/addresses/{address_id}/micro-district";
    let body = json!({"micro_district_id": "md-001-1", "base_version": 1, "responsibility_confirmed": true});
    c.check(
        &put,
        bind,
        &p.write(
            put.clone(),
            "/api/v1/addresses/adr-00002/micro-district",
            &token,
            "b-1",
            &body,
        )
        .await,
        200,
    );
    c.check(
        &put,
        bind,
        &p.write(
            put.clone(),
            "/api/v1/addresses/adr-00002/micro-district",
            &token,
            "b-2",
            &body,
        )
        .await,
        409,
    );
    c.check(
        &put,
        bind,
        &p.write(
            put.clone(),
            "/api/v1/addresses/adr-99999/micro-district",
            &token,
            "b-3",
            &body,
        )
        .await,
        404,
    );
    c.check(
        &g,
        "/api/v1/micro-districts",
        &p.get("/api/v1/micro-districts?school_id=sch-001", t).await,
        200,
    );
    // the clerk's signed binding (R-15…R-17): the unbound walk-in's address is bound,
    // recorded on the portal's side, and the submission that needed it is accepted
    let bindings = "/api/v1/micro-district-bindings";
    let unbound: Vec<_> = walk_ins
        .iter()
        .filter(|w| !w.address_has_micro_district)
        .collect();
    let r = p
        .write(
            post.clone(),
            bindings,
            &token,
            "mb-1",
            &binding(unbound[0], "md-001-1", &me.iin),
        )
        .await;
    c.check(&post, bindings, &r, 201);
    assert_eq!(r.json()["address"]["micro_district_id"], "md-001-1");
    let r = p
        .write(
            post.clone(),
            sub,
            &token,
            "s-5",
            &submission(unbound[0], "sch-001", "kk", &me.iin, false),
        )
        .await;
    assert_eq!(r.status, 201, "bound, then accepted: {:?}", r.json());
    // the same binding again changes nothing; another micro-district is refused
    let r = p
        .write(
            post.clone(),
            bindings,
            &token,
            "mb-2",
            &binding(unbound[0], "md-001-1", &me.iin),
        )
        .await;
    assert_eq!(r.status, 201);
    let r = p
        .write(
            post.clone(),
            bindings,
            &token,
            "mb-3",
            &binding(unbound[0], "md-002-1", &me.iin),
        )
        .await;
    c.check(&post, bindings, &r, 409);
    assert_eq!(r.code(), "ADDRESS_BOUND_ELSEWHERE");
    assert_eq!(r.json()["current_address"]["micro_district_id"], "md-001-1");
    let r = p
        .write(
            post.clone(),
            bindings,
            &token,
            "mb-4",
            &binding(unbound[1], "md-001-1", "900101300017"),
        )
        .await;
    c.check(&post, bindings, &r, 403);
    assert_eq!(r.code(), "SIGNER_MISMATCH");
    let mut stranger_child = (*unbound[1]).clone();
    stranger_child.child_iin = "200301500010".into();
    let r = p
        .write(
            post.clone(),
            bindings,
            &token,
            "mb-5",
            &binding(&stranger_child, "md-001-1", &me.iin),
        )
        .await;
    c.check(&post, bindings, &r, 404);
    assert_eq!(r.code(), "PERSON_NOT_FOUND");
    let recorded: Vec<portal_api::RecordedBinding> =
        serde_json::from_slice(&p.get("/admin/bindings", None).await.bytes).unwrap();
    c.check(
        &g,
        "/admin/bindings",
        &p.get("/admin/bindings", None).await,
        200,
    );
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    assert_eq!(recorded[0].staff_iin, me.iin);
    assert_eq!(recorded[0].previous_micro_district_id, None);
    assert_eq!(
        recorded[1].previous_micro_district_id.as_deref(),
        Some("md-001-1")
    );

    c.check(
        &g,
        "/api/v1/schools",
        &p.get("/api/v1/schools?grade=1&language=kk&only_free=true", t)
            .await,
        200,
    );
    c.check(
        &g,
        "/api/v1/schools",
        &p.get("/api/v1/schools?language=en", t).await,
        422,
    );
    c.check(
        &g,
        "/api/v1/reference",
        &p.get("/api/v1/reference", t).await,
        200,
    );

    // confirmation codes
    let codes = "/api/v1/confirmation-codes";
    let check = "/api/v1/confirmation-codes/{code_id}/check";
    let r = p
        .write(
            post.clone(),
            codes,
            &token,
            "c-1",
            &json!({"channel": "sms", "destination": "8 701 234 56 78"}),
        )
        .await;
    c.check(&post, codes, &r, 201);
    let id = r.json()["code_id"].as_str().unwrap().to_string();
    let sent: Vec<portal_api::SentCode> =
        serde_json::from_slice(&p.get("/admin/codes", None).await.bytes).unwrap();
    let code = sent.iter().find(|s| s.code_id == id).unwrap().code.clone();
    let wrong = if code == "0000" { "1111" } else { "0000" };
    let cpath = format!("/api/v1/confirmation-codes/{id}/check");
    c.check(
        &post,
        check,
        &p.write(post.clone(), &cpath, &token, "k-1", &json!({"code": wrong}))
            .await,
        422,
    );
    c.check(
        &post,
        check,
        &p.write(post.clone(), &cpath, &token, "k-2", &json!({"code": code}))
            .await,
        200,
    );
    c.check(
        &post,
        check,
        &p.write(
            post.clone(),
            "/api/v1/confirmation-codes/code-999/check",
            &token,
            "k-3",
            &json!({"code": "1234"}),
        )
        .await,
        404,
    );
    let r = p
        .write(
            post.clone(),
            codes,
            &token,
            "c-2",
            &json!({"channel": "email", "destination": "ata.ana@mail.kz"}),
        )
        .await;
    let cpath = format!(
        "/api/v1/confirmation-codes/{}/check",
        r.json()["code_id"].as_str().unwrap()
    );
    for i in 0..3 {
        let r = p
            .write(
                post.clone(),
                &cpath,
                &token,
                &format!("w-{i}"),
                &json!({"code": "9999x"}),
            )
            .await;
        assert_eq!(r.code(), "CODE_INCORRECT");
    }
    c.check(
        &post,
        check,
        &p.write(
            post.clone(),
            &cpath,
            &token,
            "w-3",
            &json!({"code": "9999"}),
        )
        .await,
        429,
    );
    // An expired code needs a portal whose codes live 0 seconds.
    let quick = start(0, |cfg| cfg.code_ttl = time::Duration::ZERO).await;
    let (qt, _) = quick.sign_in("sch-001").await;
    let r = quick
        .write(
            post.clone(),
            codes,
            &qt,
            "c-1",
            &json!({"channel": "sms", "destination": "+77011234567"}),
        )
        .await;
    let qpath = format!(
        "/api/v1/confirmation-codes/{}/check",
        r.json()["code_id"].as_str().unwrap()
    );
    c.check(
        &post,
        check,
        &quick
            .write(post.clone(), &qpath, &qt, "k-1", &json!({"code": "1234"}))
            .await,
        410,
    );

    // the staff member's e-mail at the first sign-in (R-2)
    let send = "/api/v1/staff/email";
    let confirm = "/api/v1/staff/email/confirm";
    let post_json = |path: &'static str, token: String, body: Value| {
        let p = &p;
        async move {
            p.send(
                Method::POST,
                path,
                Some(&token),
                None,
                Some(serde_json::to_vec(&body).unwrap()),
            )
            .await
        }
    };
    let r = post_json(send, token.clone(), json!({"email": "clerk.one@mektep.kz"})).await;
    c.check(&post, send, &r, 201);
    let id = r.json()["code_id"].as_str().unwrap().to_string();
    let sent: Vec<portal_api::SentCode> =
        serde_json::from_slice(&p.get("/admin/codes", None).await.bytes).unwrap();
    let code = sent.iter().find(|s| s.code_id == id).unwrap().code.clone();
    let wrong = if code == "0000" { "1111" } else { "0000" };
    let r = post_json(
        confirm,
        token.clone(),
        json!({"code_id": id, "code": wrong}),
    )
    .await;
    c.check(&post, confirm, &r, 422);
    assert_eq!(r.code(), "CODE_INCORRECT");
    let r = post_json(
        confirm,
        token.clone(),
        json!({"code_id": "code-999", "code": "1234"}),
    )
    .await;
    c.check(&post, confirm, &r, 404);
    let r = post_json(confirm, token.clone(), json!({"code_id": id, "code": code})).await;
    c.check(&post, confirm, &r, 200);
    assert_eq!(r.json()["email_confirmed"], true);
    assert_eq!(r.json()["email"], "clerk.one@mektep.kz");
    let again = p
        .send(
            post.clone(),
            "/api/v1/auth/sign-in",
            None,
            None,
            Some(serde_json::to_vec(&json!({"iin": me.iin, "password": me.password})).unwrap()),
        )
        .await;
    assert_eq!(
        again.json()["staff"]["email_confirmed"],
        true,
        "remembered by the portal"
    );
    let r = post_json(send, token.clone(), json!({"email": "clerk.two@mektep.kz"})).await;
    let id2 = r.json()["code_id"].as_str().unwrap().to_string();
    for _ in 0..3 {
        let r = post_json(
            confirm,
            token.clone(),
            json!({"code_id": id2, "code": "99999"}),
        )
        .await;
        assert_eq!(r.code(), "CODE_INCORRECT");
    }
    let r = post_json(
        confirm,
        token.clone(),
        json!({"code_id": id2, "code": "9999"}),
    )
    .await;
    c.check(&post, confirm, &r, 429);
    let r = quick
        .send(
            post.clone(),
            send,
            Some(&qt),
            None,
            Some(serde_json::to_vec(&json!({"email": "clerk.q@mektep.kz"})).unwrap()),
        )
        .await;
    let qid = r.json()["code_id"].as_str().unwrap().to_string();
    let r = quick
        .send(
            post.clone(),
            confirm,
            Some(&qt),
            None,
            Some(serde_json::to_vec(&json!({"code_id": qid, "code": "1234"})).unwrap()),
        )
        .await;
    c.check(&post, confirm, &r, 410);

    // admin
    c.check(&g, "/admin/stats", &p.get("/admin/stats", None).await, 200);
    c.check(
        &g,
        "/admin/demo-staff",
        &p.get("/admin/demo-staff", None).await,
        200,
    );
    c.check(&g, "/admin/codes", &p.get("/admin/codes", None).await, 200);
    c.check(
        &g,
        "/admin/faults",
        &p.get("/admin/faults", None).await,
        200,
    );
    c.check(&put, "/admin/faults", &p.admin(put.clone(), "/admin/faults", Some(json!({"fault_5xx_rate": 0.0, "drop_after_commit_rate": 0.0, "latency_ms": 0, "outage": false}))).await, 200);
    c.check(
        &g,
        "/admin/walk-ins",
        &p.get("/admin/walk-ins", None).await,
        200,
    );
    c.check(
        &post,
        "/admin/arrivals",
        &p.admin(post.clone(), "/admin/arrivals", Some(json!({"count": 2})))
            .await,
        200,
    );
    c.check(
        &put,
        "/admin/places",
        &p.admin(
            put.clone(),
            "/admin/places",
            Some(json!({"school_id": "sch-003", "language": "ru", "capacity": 40})),
        )
        .await,
        200,
    );
    c.check(
        &put,
        "/admin/places",
        &p.admin(
            put.clone(),
            "/admin/places",
            Some(json!({"school_id": "sch-999", "language": "ru", "capacity": 40})),
        )
        .await,
        404,
    );
    let w = "/admin/applications/{application_id}/withdraw";
    let e = "/admin/applications/{application_id}/edit";
    let target = &mine[2].id.0;
    c.check(
        &post,
        e,
        &p.admin(
            post.clone(),
            &format!("/admin/applications/{target}/edit"),
            None,
        )
        .await,
        200,
    );
    c.check(
        &post,
        w,
        &p.admin(
            post.clone(),
            &format!("/admin/applications/{target}/withdraw"),
            None,
        )
        .await,
        200,
    );
    c.check(
        &post,
        w,
        &p.admin(
            post.clone(),
            &format!("/admin/applications/{target}/withdraw"),
            None,
        )
        .await,
        409,
    );
    c.check(
        &post,
        e,
        &p.admin(
            post.clone(),
            &format!("/admin/applications/{target}/edit"),
            None,
        )
        .await,
        409,
    );
    c.check(
        &post,
        w,
        &p.admin(post.clone(), "/admin/applications/nope/withdraw", None)
            .await,
        404,
    );
    c.check(
        &post,
        e,
        &p.admin(post.clone(), "/admin/applications/nope/edit", None)
            .await,
        404,
    );
    let _ = other_token;

    // ---- overload mode and conditional reads (issue 12) ----
    c.check(
        &g,
        "/admin/overload",
        &p.get("/admin/overload", None).await,
        200,
    );
    let raw = reqwest::Client::builder().no_proxy().build().unwrap();
    let first = raw
        .get(format!("{}/api/v1/reference", p.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let again = raw
        .get(format!("{}/api/v1/reference", p.base))
        .bearer_auth(&token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    let unchanged = Resp {
        status: again.status(),
        content_type: String::new(),
        bytes: again.bytes().await.unwrap().to_vec(),
    };
    c.check(&g, "/api/v1/reference", &unchanged, 304);
    c.check(
        &put,
        "/admin/overload",
        &p.admin(
            put.clone(),
            "/admin/overload",
            Some(json!({"capacity_rps": 3.0, "mode": "reject"})),
        )
        .await,
        200,
    );
    let mut busy = None;
    for _ in 0..10 {
        let r = raw
            .get(format!("{}/api/v1/reference", p.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if r.status().as_u16() == 429 {
            assert!(r.headers().contains_key("retry-after"));
            busy = Some(Resp {
                status: r.status(),
                content_type: r.headers()["content-type"].to_str().unwrap().to_string(),
                bytes: r.bytes().await.unwrap().to_vec(),
            });
            break;
        }
    }
    let busy = busy.expect("a 429 beyond the capacity");
    assert_eq!(busy.code(), "OVERLOADED");
    c.check(&g, "/api/v1/reference", &busy, 429);
    c.check(
        &put,
        "/admin/overload",
        &p.admin(
            put.clone(),
            "/admin/overload",
            Some(json!({"capacity_rps": null, "mode": "reject"})),
        )
        .await,
        200,
    );

    let missing: Vec<&Triple> = all.difference(&c.seen).collect();
    assert!(
        missing.is_empty(),
        "documented but never produced: {missing:#?}"
    );
}
