//! What stands between the desk and the portal, and a portal from before the decision
//! batches (issue 12), over real HTTP on 127.0.0.1: `decision_batches: false` answers the
//! batch route as a route the portal does not have; a proxy's own HTML answers of a
//! status, for every request, the writes only, or the batch route only; and every
//! request to the batch route counted, whoever answered it.

use crate::common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const BATCHES: &str = "/api/v1/decision-batches";

async fn overload(p: &Portal) -> Value {
    p.get("/admin/overload", None).await.json()
}

async fn set_overload(p: &Portal, config: Value) {
    let r = p.admin(Method::PUT, "/admin/overload", Some(config)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
}

fn decisions_path(id: &str) -> String {
    format!("/api/v1/applications/{id}/decisions")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_without_decision_batches_answers_the_route_as_one_it_does_not_have() {
    let p = start(60, |c| c.overload.decision_batches = false).await;
    let (token, _) = p.sign_in("sch-001").await;
    assert_eq!(overload(&p).await["config"]["decision_batches"], false);
    let body = json!({"items": []});
    let r = p.write(Method::POST, BATCHES, &token, "b-1", &body).await;
    let unknown = p
        .write(Method::POST, "/api/v1/no-such-route", &token, "b-2", &body)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.content_type, portal_api::PROBLEM_JSON);
    assert_eq!(
        (r.status, r.content_type.as_str(), r.code()),
        (
            unknown.status,
            unknown.content_type.as_str(),
            unknown.code()
        ),
        "the same answer as a route it does not have"
    );
    assert_eq!(r.code(), "NOT_FOUND");
    // The single decision route is there as before.
    let single = p
        .write(
            Method::POST,
            &decisions_path("nope"),
            &token,
            "d-1",
            &json!({}),
        )
        .await;
    assert_eq!(
        single.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "read as a decision: {}",
        single.json()
    );

    // Switched on at run time, the batch route reads its body again.
    set_overload(&p, json!({"capacity_rps": null, "mode": "reject"})).await;
    let r = p.write(Method::POST, BATCHES, &token, "b-3", &body).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "INVALID_FIELD")
    );
    assert_eq!(overload(&p).await["decision_batch_requests"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxys_html_answers_the_requests_of_its_scope_and_the_rest_pass() {
    let p = start(60, |_| {}).await;
    let (token, _) = p.sign_in("sch-001").await;
    let html = |r: &Resp, status: u16| {
        assert_eq!(r.status.as_u16(), status);
        assert!(
            r.content_type.starts_with("text/html"),
            "{}",
            r.content_type
        );
        assert!(r.json().is_null(), "no JSON at all");
    };
    for status in [403, 404, 405, 413] {
        // The writes only: reads pass, decisions and batches meet the proxy.
        set_overload(
            &p,
            json!({"capacity_rps": null, "mode": "reject", "gateway_status": status, "gateway_scope": "writes"}),
        )
        .await;
        assert_eq!(p.get("/api/v1/reference", Some(&token)).await.status, 200);
        let d = p
            .write(Method::POST, &decisions_path("x"), &token, "k", &json!({}))
            .await;
        html(&d, status);
        let b = p
            .write(Method::POST, BATCHES, &token, "k", &json!({"items": []}))
            .await;
        html(&b, status);

        // The batch route only: a single decision reaches the portal.
        set_overload(
            &p,
            json!({"capacity_rps": null, "mode": "reject", "gateway_status": status, "gateway_scope": "decision_batches"}),
        )
        .await;
        let b = p
            .write(Method::POST, BATCHES, &token, "k", &json!({"items": []}))
            .await;
        html(&b, status);
        let d = p
            .write(Method::POST, &decisions_path("x"), &token, "k", &json!({}))
            .await;
        assert_eq!(d.content_type, portal_api::PROBLEM_JSON, "the portal's own");

        // Every request (the default scope).
        set_overload(
            &p,
            json!({"capacity_rps": null, "mode": "reject", "gateway_status": status}),
        )
        .await;
        html(&p.get("/api/v1/reference", Some(&token)).await, status);
    }
    assert_eq!(overload(&p).await["decision_batch_requests"], 8);
}

#[test]
fn the_binary_runs_without_decision_batches() {
    let (mut child, url) = spawn_binary(&["--applications", "20", "--without-decision-batches"]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (config, batch) = rt.block_on(async {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let config: Value = http
            .get(format!("{url}/admin/overload"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let batch = http
            .post(format!("{url}{BATCHES}"))
            .body("{}")
            .send()
            .await
            .unwrap()
            .status();
        (config, batch)
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(config["config"]["decision_batches"], false);
    assert_eq!(batch, StatusCode::NOT_FOUND);
}
