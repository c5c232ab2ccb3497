//! What an on-behalf submission signs (R-13, issue 11): everything the parent applied
//! with, documents by SHA-256; the portal compares it with the request. The child is
//! kept as the clerk typed them (R-22: never silently the register's), and a contact's
//! confirmation code must be confirmed and sent to that contact.
#![allow(clippy::unwrap_used)] // a test fails loudly: unwrap is its assertion

use crate::common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use common::*;
use portal_api as wire;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The request's content as the clerk signs it.
fn content_of(req: &Value) -> wire::SignedContent {
    let documents = req["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let bytes = B64.decode(d["content_base64"].as_str().unwrap()).unwrap();
            wire::SignedDocument {
                kind: d["kind"].as_str().unwrap().to_string(),
                file_name: d["file_name"].as_str().unwrap().to_string(),
                size: bytes.len() as u64,
                sha256: Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            }
        })
        .collect();
    wire::SignedContent {
        applicant: serde_json::from_value(req["applicant"].clone()).unwrap(),
        child: serde_json::from_value(req["child"].clone()).unwrap(),
        contacts: serde_json::from_value(req["contacts"].clone()).unwrap(),
        confirmations: serde_json::from_value(req["confirmations"].clone()).unwrap(),
        actual_address: None,
        temporary_registration: None,
        bound_micro_district_id: None,
        grade: 1,
        consents: serde_json::from_value(req["consents"].clone()).unwrap(),
        documents,
    }
}

/// Signs `req` (with its content) as `clerk` does.
fn signed(mut req: Value, clerk: &str) -> Value {
    let payload = canonical(&wire::SubmissionPayload {
        child_iin: req["child_iin"].as_str().unwrap().to_string(),
        applicant_iin: req["applicant"]["iin"].as_str().unwrap().to_string(),
        school_id: req["school_id"].as_str().unwrap().to_string(),
        language: req["language"].as_str().unwrap().to_string(),
        clerk_iin: clerk.to_string(),
        submitted_at: SUBMITTED_AT.to_string(),
        content: Some(content_of(&req)),
        binding: None,
    });
    req["signature"] = json!({
        "payload_base64": B64.encode(&payload),
        "cms_base64": sign(&*signing_key(clerk), &payload, SUBMITTED_AT),
    });
    req
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signed_content_is_what_was_submitted_and_the_child_stays_as_typed() {
    let p = start(200, |_| {}).await;
    let (token, me) = p.sign_in("sch-001").await;
    let walk_ins = walk_ins(&p).await;
    let bound: Vec<_> = walk_ins
        .iter()
        .filter(|w| w.address_has_micro_district)
        .collect();
    let typed = |w: &wire::WalkIn, surname: &str| {
        let mut req = submission(w, "sch-001", "kk", &me.iin, false);
        let given = w.child_name.split(' ').nth(1).unwrap().to_string();
        req["child"] = json!({
            "name": {"surname": surname, "given": given, "patronymic": null},
            "birth_certificate": "I-АҚ 123456",
            "registered_address": "Көкшетау қ., Абай к-сі, 7",
            "registered_address_id": w.address_id,
        });
        req["confirmations"] = json!({"phone_code_id": null, "email_code_id": null});
        req
    };

    // A document changed after signing: refused, nothing stored.
    let mut tampered = signed(typed(bound[0], "Жазылғандай"), &me.iin);
    tampered["documents"][0]["content_base64"] =
        B64.encode(b"\x89PNG\r\n\x1a\nanother photo").into();
    let r = p
        .write(
            Method::POST,
            "/api/v1/applications",
            &token,
            "t-1",
            &tampered,
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.code().as_str()),
        (422, "SIGNATURE_INVALID")
    );
    assert_eq!(p.stats().await.on_behalf_submissions, 0);

    // As signed: registered with the child as the clerk typed them.
    let ok = signed(typed(bound[0], "Жазылғандай"), &me.iin);
    let r = p
        .write(Method::POST, "/api/v1/applications", &token, "t-2", &ok)
        .await;
    assert_eq!(r.status.as_u16(), 201, "{:?}", r.json());
    let app = &r.json()["application"];
    assert_eq!(app["child"]["name"]["surname"], "Жазылғандай");
    assert_eq!(app["child"]["birth_certificate"], "I-АҚ 123456");
    assert_eq!(
        app["child"]["registered_address"]["full"],
        "Көкшетау қ., Абай к-сі, 7"
    );

    // a confirmation code that was never confirmed is refused.
    let sent = p
        .write(
            Method::POST,
            "/api/v1/confirmation-codes",
            &token,
            "c-1",
            &json!({"channel": "sms", "destination": "+77011234567"}),
        )
        .await;
    let code_id = sent.json()["code_id"].as_str().unwrap().to_string();
    let mut unconfirmed = typed(bound[1], "Басқа");
    unconfirmed["confirmations"]["phone_code_id"] = code_id.clone().into();
    let r = p
        .write(
            Method::POST,
            "/api/v1/applications",
            &token,
            "t-3",
            &signed(unconfirmed.clone(), &me.iin),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.code().as_str()),
        (422, "CONTACT_NOT_CONFIRMED")
    );
    // Confirmed with the code the phone got: accepted.
    let codes: Vec<wire::SentCode> =
        serde_json::from_slice(&p.get("/admin/codes", None).await.bytes).unwrap();
    let code = codes
        .iter()
        .find(|c| c.code_id == code_id)
        .unwrap()
        .code
        .clone();
    let check = p
        .write(
            Method::POST,
            &format!("/api/v1/confirmation-codes/{code_id}/check"),
            &token,
            "k-1",
            &json!({"code": code}),
        )
        .await;
    assert_eq!(check.status.as_u16(), 200);
    let r = p
        .write(
            Method::POST,
            "/api/v1/applications",
            &token,
            "t-4",
            &signed(unconfirmed, &me.iin),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{:?}", r.json());
}
