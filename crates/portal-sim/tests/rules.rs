//! The portal's rules, idempotency (replays, concurrent replays, lost responses) and
//! bad input, over real HTTP on 127.0.0.1.

use crate::common;

use base64::Engine;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const POST: Method = Method::POST;

fn d_path(id: &str) -> String {
    format!("/api/v1/applications/{id}/decisions")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_decision_has_one_effect_and_the_same_answer() {
    let p = start(300, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let a = &p.pending_of("sch-001", 300)[0];
    let body = decision(
        &a.id.0,
        a.version,
        "reject",
        Some(("incomplete_documents", None)),
        &me.iin,
    );
    let first = p
        .write(POST, &d_path(&a.id.0), &token, "key-1", &body)
        .await;
    let again = p
        .write(POST, &d_path(&a.id.0), &token, "key-1", &body)
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!((again.status, &again.bytes), (first.status, &first.bytes));
    let stats = p.stats().await;
    assert_eq!((stats.decisions, stats.duplicate_writes_prevented), (1, 1));
    assert_eq!(p.application(&token, &a.id.0).await.version, a.version + 1);

    // same key, another body → 422, nothing changes
    let other = decision(&a.id.0, a.version, "accept", None, &me.iin);
    let r = p
        .write(POST, &d_path(&a.id.0), &token, "key-1", &other)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED")
    );
    // no key → 422, nothing stored
    let r = p
        .send(
            POST,
            &d_path(&a.id.0),
            Some(&token),
            None,
            Some(serde_json::to_vec(&other).unwrap()),
        )
        .await;
    assert_eq!(r.code(), "IDEMPOTENCY_KEY_MISSING");
    assert_eq!(p.stats().await.decisions, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_replays_make_one_decision() {
    let p = std::sync::Arc::new(start(300, |_| {}).await);
    let (token, me) = p.sign_in("sch-001").await;
    let a = p.pending_of("sch-001", 300)[0].clone();
    let body = decision(&a.id.0, a.version, "accept", None, &me.iin);
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (p, token, body, id) = (p.clone(), token.clone(), body.clone(), a.id.0.clone());
        tasks.push(tokio::spawn(async move {
            p.write(POST, &d_path(&id), &token, "same-key", &body).await
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        answers.push((r.status, r.bytes));
    }
    assert!(
        answers.iter().all(|x| x == &answers[0]),
        "every replay gets the stored answer"
    );
    assert_eq!(answers[0].0, StatusCode::OK);
    let stats = p.stats().await;
    assert_eq!((stats.decisions, stats.duplicate_writes_prevented), (1, 15));

    // different keys racing on one version: exactly one wins, the rest see the conflict
    let b = p.pending_of("sch-001", 300)[1].clone();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (p, token, id) = (p.clone(), token.clone(), b.id.0.clone());
        let body = decision(&id, b.version, "accept", None, &me.iin);
        tasks.push(tokio::spawn(async move {
            p.write(POST, &d_path(&id), &token, &format!("race-{i}"), &body)
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        7
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_lost_after_commit_is_recovered_by_replaying_the_key() {
    let p = start(300, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let a = &p.pending_of("sch-001", 300)[0];
    let body = decision(&a.id.0, a.version, "accept", None, &me.iin);
    p.set_faults(json!({"fault_5xx_rate": 0.0, "drop_after_commit_rate": 1.0, "latency_ms": 0, "outage": false})).await;
    let lost = p
        .http
        .post(format!("{}{}", p.base, d_path(&a.id.0)))
        .bearer_auth(&token)
        .header(portal_api::IDEMPOTENCY_KEY, "k")
        .json(&body)
        .send()
        .await;
    assert!(lost.is_err(), "the connection is closed without a reply");
    p.set_faults(json!({"fault_5xx_rate": 0.0, "drop_after_commit_rate": 0.0, "latency_ms": 0, "outage": false})).await;
    let stats = p.stats().await;
    assert_eq!(
        (stats.decisions, stats.dropped_after_commit),
        (1, 1),
        "the write committed"
    );
    let r = p.write(POST, &d_path(&a.id.0), &token, "k", &body).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["application"]["status"], "accepted");
    let stats = p.stats().await;
    assert_eq!((stats.decisions, stats.duplicate_writes_prevented), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawn_application_cannot_be_accepted() {
    let p = start(300, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let a = &p.pending_of("sch-001", 300)[0];
    let w = p
        .admin(
            POST,
            &format!("/admin/applications/{}/withdraw", a.id.0),
            None,
        )
        .await;
    assert_eq!(w.status, StatusCode::OK);
    // even based on the current version
    let r = p
        .write(
            POST,
            &d_path(&a.id.0),
            &token,
            "k",
            &decision(&a.id.0, a.version + 1, "accept", None, &me.iin),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "TRANSITION_NOT_ALLOWED")
    );
    assert_eq!(r.json()["current"]["status"], "withdrawn");
    // the application changed under the clerk: 409 with the current state
    let b = &p.pending_of("sch-001", 300)[1];
    p.admin(POST, &format!("/admin/applications/{}/edit", b.id.0), None)
        .await;
    let r = p
        .write(
            POST,
            &d_path(&b.id.0),
            &token,
            "k2",
            &decision(&b.id.0, b.version, "accept", None, &me.iin),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "VERSION_CONFLICT")
    );
    assert_eq!(r.json()["current"]["version"], b.version + 1);
    assert_eq!(p.stats().await.decisions, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acceptance_takes_a_place_and_a_full_class_refuses() {
    let p = start(300, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let pending: Vec<_> = p
        .pending_of("sch-001", 300)
        .into_iter()
        .filter(|a| a.language == domain::InstructionLanguage::Kk)
        .collect();
    let places = |r: &Resp| r.json()["items"][0]["places"][0].clone();
    let before = places(
        &p.get(
            "/api/v1/schools?language=kk&district_id=d-kokshetau",
            Some(&token),
        )
        .await,
    );
    let taken = before["taken"].as_u64().unwrap();
    // leave exactly one free place
    p.admin(
        Method::PUT,
        "/admin/places",
        Some(json!({"school_id": "sch-001", "language": "kk", "capacity": taken + 1})),
    )
    .await;
    let r = p
        .write(
            POST,
            &d_path(&pending[0].id.0),
            &token,
            "a",
            &decision(
                &pending[0].id.0,
                pending[0].version,
                "accept",
                None,
                &me.iin,
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let after = places(
        &p.get(
            "/api/v1/schools?language=kk&district_id=d-kokshetau",
            Some(&token),
        )
        .await,
    );
    assert_eq!(
        (after["taken"].as_u64(), after["free"].as_u64()),
        (Some(taken + 1), Some(0))
    );
    let r = p
        .write(
            POST,
            &d_path(&pending[1].id.0),
            &token,
            "b",
            &decision(
                &pending[1].id.0,
                pending[1].version,
                "accept",
                None,
                &me.iin,
            ),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "NO_FREE_PLACES")
    );
    // a school with no free places is not offered
    let offered = p
        .get("/api/v1/schools?language=kk&only_free=true", Some(&token))
        .await
        .json();
    assert!(
        offered["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != "sch-001")
    );
    // rejecting does not need a place
    let r = p
        .write(
            POST,
            &d_path(&pending[1].id.0),
            &token,
            "c",
            &decision(
                &pending[1].id.0,
                pending[1].version,
                "reject",
                Some(("no_free_places", None)),
                &me.iin,
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_pending_application_per_child_and_reapply_after_rejection() {
    let p = start(100, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let walk_ins = walk_ins(&p).await;
    let w = walk_ins
        .iter()
        .find(|w| w.address_has_micro_district)
        .unwrap();
    let body = submission(w, "sch-001", "kk", &me.iin, false);
    let first = p
        .write(POST, "/api/v1/applications", &token, "s1", &body)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.json());
    let id = first.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        first.json()["number"],
        first.json()["application"]["number"]
    );
    //
    let r = p
        .write(POST, "/api/v1/applications", &token, "s2", &body)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "PENDING_APPLICATION_EXISTS")
    );
    assert_eq!(r.json()["current"]["id"], id.as_str());
    // after a rejection the parent may apply again
    let r = p
        .write(
            POST,
            &d_path(&id),
            &token,
            "rej",
            &decision(
                &id,
                1,
                "reject",
                Some(("other", Some("Құжат көшірмесі анық емес"))),
                &me.iin,
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let again = p
        .write(POST, "/api/v1/applications", &token, "s3", &body)
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    let id2 = again.json()["id"].as_str().unwrap().to_string();
    assert_ne!(id, id2);
    // accepted: no new application
    let r = p
        .write(
            POST,
            &d_path(&id2),
            &token,
            "acc",
            &decision(&id2, 1, "accept", None, &me.iin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = p
        .write(POST, "/api/v1/applications", &token, "s4", &body)
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::CONFLICT, "CHILD_ALREADY_ACCEPTED")
    );
    assert_eq!(p.stats().await.on_behalf_submissions, 2);
    // the uploaded document downloads back byte for byte
    let app = p.application(&token, &id2).await;
    let photo = app.documents.iter().find(|d| d.kind == "photo").unwrap();
    let r = p
        .get(
            &format!("/api/v1/applications/{id2}/documents/{}", photo.id),
            Some(&token),
        )
        .await;
    assert_eq!(r.bytes, png());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_in_no_micro_district_must_be_bound_first() {
    let p = start(100, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let walk_ins = walk_ins(&p).await;
    let unbound: Vec<_> = walk_ins
        .iter()
        .filter(|w| !w.address_has_micro_district)
        .collect();
    assert!(unbound.len() >= 2);
    //
    let r = p
        .write(
            POST,
            "/api/v1/applications",
            &token,
            "s1",
            &submission(unbound[0], "sch-001", "kk", &me.iin, false),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "MICRO_DISTRICT_MISSING")
    );
    // the clerk takes responsibility and binds the address
    let path = format!("/api/v1/addresses/{}/micro-district", unbound[0].address_id);
    let r = p.write(Method::PUT, &path, &token, "b0", &json!({"micro_district_id": "md-001-2", "base_version": 1, "responsibility_confirmed": false})).await;
    assert_eq!(r.code(), "INVALID_FIELD");
    let r = p.write(Method::PUT, &path, &token, "b1", &json!({"micro_district_id": "md-001-2", "base_version": 1, "responsibility_confirmed": true})).await;
    assert_eq!(
        (r.status, r.json()["micro_district_id"].as_str()),
        (StatusCode::OK, Some("md-001-2"))
    );
    let person = p
        .get(
            &format!("/api/v1/register/persons/{}", unbound[0].child_iin),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(
        person["registered_address"]["micro_district_id"],
        "md-001-2"
    );
    let r = p
        .write(
            POST,
            "/api/v1/applications",
            &token,
            "s2",
            &submission(unbound[0], "sch-001", "kk", &me.iin, false),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // a temporary registration is an alternative
    let r = p
        .write(
            POST,
            "/api/v1/applications",
            &token,
            "s3",
            &submission(unbound[1], "sch-001", "kk", &me.iin, true),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_submissions_are_refused_with_a_code_and_store_nothing() {
    let p = start(100, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let walk_ins = walk_ins(&p).await;
    let w = walk_ins
        .iter()
        .find(|w| w.address_has_micro_district)
        .unwrap();
    let good = submission(w, "sch-001", "kk", &me.iin, false);
    type Edit = fn(&mut serde_json::Value);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "too large",
            |v| {
                v["documents"][0]["content_base64"] =
                    json!(base64::engine::general_purpose::STANDARD.encode(vec![0u8; 1_048_577]))
            },
            "DOCUMENT_TOO_LARGE",
        ),
        (
            "no medical",
            |v| {
                v["documents"].as_array_mut().unwrap().pop();
            },
            "DOCUMENT_MISSING",
        ),
        (
            "no consent",
            |v| v["consents"]["personal_data"] = json!(false),
            "CONSENT_MISSING",
        ),
        (
            "bad phone",
            |v| v["contacts"]["phone"] = json!("+7 727 123 45 67"),
            "PHONE_INVALID",
        ),
        (
            "bad parent IIN",
            |v| v["applicant"]["iin"] = json!("200301500016"),
            "IIN_CHECK_DIGIT",
        ),
        ("second grade", |v| v["grade"] = json!(2), "INVALID_FIELD"),
        (
            "unknown field",
            |v| v["contacts"]["fax"] = json!("1"),
            "UNKNOWN_FIELD",
        ),
        (
            "cms not base64",
            |v| v["signature"]["cms_base64"] = json!("%%%"),
            "SIGNATURE_INVALID",
        ),
        (
            "payload of another school",
            |v| v["school_id"] = json!("sch-002"),
            "SIGNATURE_INVALID",
        ),
    ];
    for (name, edit, code) in cases {
        let mut body = good.clone();
        edit(&mut body);
        let r = p
            .write(
                POST,
                "/api/v1/applications",
                &token,
                &format!("bad-{name}"),
                &body,
            )
            .await;
        assert_eq!(r.code(), code, "{name}: {}", r.json());
        assert_eq!(r.content_type, portal_api::PROBLEM_JSON);
    }
    let stats = p.stats().await;
    assert_eq!(
        (stats.on_behalf_submissions, stats.writes_committed),
        (0, 0)
    );
    // the good one still goes through
    assert_eq!(
        p.write(POST, "/api/v1/applications", &token, "good", &good)
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_must_be_the_clerks_and_of_this_decision() {
    let p = start(300, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let a = &p.pending_of("sch-001", 300)[0];
    let r = p
        .write(
            POST,
            &d_path(&a.id.0),
            &token,
            "1",
            &decision(&a.id.0, a.version, "accept", None, "900101300017"),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::FORBIDDEN, "SIGNER_MISMATCH")
    );
    let mut body = decision(&a.id.0, a.version, "reject", Some(("age", None)), &me.iin);
    body["decision"] = json!("accept");
    body["reason"] = json!(null);
    let r = p.write(POST, &d_path(&a.id.0), &token, "2", &body).await;
    assert_eq!(r.code(), "SIGNATURE_INVALID");
    let r = p
        .write(
            POST,
            &d_path(&a.id.0),
            &token,
            "3",
            &decision(&a.id.0, a.version, "reject", None, &me.iin),
        )
        .await;
    assert_eq!(
        r.code(),
        "INVALID_FIELD",
        "R-7: a rejection names its reason"
    );
    let r = p
        .write(
            POST,
            &d_path(&a.id.0),
            &token,
            "4",
            &decision(&a.id.0, a.version, "reject", Some(("other", None)), &me.iin),
        )
        .await;
    assert_eq!(r.code(), "REJECT_REASON_TEXT_REQUIRED");
    assert_eq!(p.stats().await.decisions, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_refused() {
    let p = start(10, |c| c.token_ttl = time::Duration::ZERO).await;
    let (token, _) = p.sign_in("sch-001").await;
    let r = p.get("/api/v1/changes", Some(&token)).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_feed_pages_every_application_once_and_a_change_moves_it_to_the_end() {
    let p = start(500, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    loop {
        let page: portal_api::ChangesPage = serde_json::from_slice(
            &p.get(
                &format!("/api/v1/changes?after={cursor}&limit=7"),
                Some(&token),
            )
            .await
            .bytes,
        )
        .unwrap();
        seen.extend(page.items.iter().map(|a| (a.id.clone(), a.change_seq)));
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    let stats = p.stats().await;
    assert_eq!(seen.len() as u64, stats.applications_by_school["sch-001"]);
    assert!(seen.windows(2).all(|w| w[0].1 < w[1].1));
    let empty: portal_api::ChangesPage = serde_json::from_slice(
        &p.get(&format!("/api/v1/changes?after={cursor}"), Some(&token))
            .await
            .bytes,
    )
    .unwrap();
    assert!(empty.items.is_empty() && empty.next_cursor == cursor);
    let a = &p.pending_of("sch-001", 500)[0];
    p.write(
        POST,
        &d_path(&a.id.0),
        &token,
        "k",
        &decision(&a.id.0, a.version, "accept", None, &me.iin),
    )
    .await;
    let arrived: portal_api::ApplicationIds = serde_json::from_slice(
        &p.admin(POST, "/admin/arrivals", Some(json!({"count": 30})))
            .await
            .bytes,
    )
    .unwrap();
    assert_eq!(arrived.ids.len(), 30);
    let next: portal_api::ChangesPage = serde_json::from_slice(
        &p.get(
            &format!("/api/v1/changes?after={cursor}&limit=1000"),
            Some(&token),
        )
        .await
        .bytes,
    )
    .unwrap();
    assert_eq!(next.items[0].id, a.id.0);
    assert_eq!(
        (next.items[0].status.as_str(), next.items[0].version),
        ("accepted", a.version + 1)
    );
    assert!(
        next.items
            .iter()
            .skip(1)
            .all(|x| arrived.ids.contains(&x.id) && x.status == "new")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_on_the_same_database_keeps_the_world() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("portal.sqlite");
    let mut p = start(200, |c| c.db = Some(db.clone())).await;
    let (token, me) = p.sign_in("sch-001").await;
    let a = &p.pending_of("sch-001", 200)[0];
    let body = decision(&a.id.0, a.version, "accept", None, &me.iin);
    assert_eq!(
        p.write(POST, &d_path(&a.id.0), &token, "k", &body)
            .await
            .status,
        StatusCode::OK
    );
    p.handle.take().unwrap().shutdown().await;
    let p2 = start(200, |c| c.db = Some(db.clone())).await;
    let (token2, _) = p2.sign_in("sch-001").await;
    assert_eq!(p2.application(&token2, &a.id.0).await.status, "accepted");
    // the idempotency record survived too: the replay after a restart is recognised
    assert_eq!(
        p2.write(POST, &d_path(&a.id.0), &token2, "k", &body)
            .await
            .status,
        StatusCode::OK
    );
    let stats = p2.stats().await;
    assert_eq!(
        (
            stats.applications,
            stats.decisions,
            stats.duplicate_writes_prevented
        ),
        (200, 1, 1)
    );
}

#[test]
fn the_binary_prints_its_address_first_and_serves() {
    let (mut child, url) = spawn_binary(&["--seed", "3", "--applications", "50"]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let stats: portal_api::Stats = rt.block_on(async {
        reqwest::get(format!("{url}/admin/stats"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(stats.applications, 50);
    assert_eq!(stats.applications_by_school.values().sum::<u64>(), 50);
}
