//! Done-when of issue 14: a clerk decides with «NCALayer», the decision is signed in the
//! simulator, verified at the desk, pushed by the sync round and accepted by portal-sim;
//! cancel in NCALayer records nothing.
#![allow(clippy::unwrap_used)]

#[path = "../../sync/tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Office, Portal, decidable, quick_config, sync_until_quiet};
use desk::keys::{KeyInUse, NcaLayerSettings, open_key};
use desk::signing::testkit::{CertSpec, write_p12};
use desk::signing::{P12Signer, Zeroizing};
use desk::views::{DecisionInput, KeyChoice};
use ncalayer_sim::{Config, Fault, TlsIdentity};
use store::{Store, SyncMark};
use sync::{ClientConfig, PortalClient, SyncEvent, SyncWorker};
use time::OffsetDateTime;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_signed_through_ncalayer_is_accepted_by_the_portal() {
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::start(dir.path(), 21, 200).await;
    let office = Office::new(dir.path(), &portal).await;

    // NCALayer's storage holds the clerk's own key, from a CA the desk trusts.
    // The CA portal-sim trusts (it always checks chains).
    let ca = common::test_ca();
    let p12 = dir.path().join("RSA_in_ncalayer.p12");
    write_p12(
        &p12,
        ca,
        &CertSpec::signing(&office.clerk, "ТЕСТОВ ТЕСТ"),
        "pw",
        false,
    );
    let tls = TlsIdentity::generate("NCALayer simulator TLS root").unwrap();
    let sim = ncalayer_sim::start(Config {
        port: 0,
        tls: tls.clone(),
        version: "1.4".into(),
        fault: Fault::None,
        key: Arc::new(P12Signer::open(&p12, Zeroizing::new("pw".into())).unwrap()),
    })
    .unwrap();
    let settings = NcaLayerSettings {
        port: sim.port(),
        tls_roots: vec![tls.root_der()],
        trust: vec![ca.cert_der()],
        connect_timeout: Duration::from_secs(5),
        answer_timeout: Duration::from_secs(30),
    };
    assert_eq!(
        desk::keys::ncalayer_available(&settings).as_deref(),
        Some("1.4")
    );

    let mut store = Store::open(&office.db).unwrap();
    let mut w = SyncWorker::new(
        PortalClient::new(&portal.url, &ClientConfig::default()).unwrap(),
        quick_config(),
        5,
    );
    let mut ignore = |_: SyncEvent| {};
    w.sign_in(
        &mut store,
        &office.clerk,
        &office.password,
        OffsetDateTime::now_utc(),
        &mut ignore,
    )
    .await
    .unwrap();
    let first = w
        .run_round(&mut store, OffsetDateTime::now_utc(), &mut ignore)
        .await
        .unwrap();
    assert!(first.completed(), "{first:?}");

    let (id, _) = decidable(&store).into_iter().next().unwrap();
    let input = DecisionInput {
        application_id: id.clone(),
        decision: "accept".into(),
        reason_code: None,
        reason_text: None,
    };
    let key = open_key(
        &desk::settings::ModuleList::default(),
        KeyChoice::NcaLayer {
            locale: "ru".into(),
        },
        &desk::picked_files::PickedFiles::default(),
        Zeroizing::new(String::new()),
        &settings,
    )
    .unwrap();
    assert!(matches!(key, KeyInUse::NcaLayer(_)));
    let mut desk = office.desk();

    // Cancel in NCALayer's window: nothing signed, nothing recorded.
    sim.set_fault(Fault::Cancel);
    let err = desk
        .decide(
            &office.clerk,
            &input,
            &key,
            OffsetDateTime::now_utc(),
            "k-cancel".into(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "NCALAYER_CANCELLED");
    assert_eq!(store.outbox_counts().unwrap().pending, 0);
    assert_eq!(store.application(&id).unwrap().1, SyncMark::None);

    // Signed for real: verified at the desk, pushed, accepted by the portal.
    sim.set_fault(Fault::None);
    let outcome = desk
        .decide(
            &office.clerk,
            &input,
            &key,
            OffsetDateTime::now_utc(),
            "k-1".into(),
        )
        .unwrap();
    assert_eq!(outcome.application_id, id);
    assert_eq!(store.outbox_counts().unwrap().pending, 1);
    let sent = sim.requests();
    assert_eq!(sent.last().unwrap()["args"]["locale"], "ru");
    assert_eq!(
        sent.last().unwrap()["args"]["signerParams"]["iin"],
        office.clerk.to_string()
    );

    sync_until_quiet(&mut w, &mut store, &office).await;
    let (a, mark, _) = store.application(&id).unwrap();
    assert_eq!((a.status, mark), (domain::Status::Accepted, SyncMark::None));
    assert!(
        store
            .history(&id)
            .unwrap()
            .iter()
            .any(|h| h.kind == "sent_to_portal")
    );
    assert!(
        !store.outbox().unwrap().iter().any(|e| e.state == "refused"),
        "the portal accepted the NCALayer signature"
    );

    // A walk-in whose address is bound by the clerk (R-15…R-17): the binding and the
    // submission are one signature, so NCALayer is asked once — one window, one PIN
    // (NCALayer signs one document per `basics.sign`; its answer's list is for
    // KAZTOKEN's multi-document signing) — and the portal takes both.
    let (region, child) = common::walk_in_child(&portal, false);
    let child = &child;
    let before = sim.requests().len();
    let id = office
        .submit_walk_in_with(&mut desk, &region, child, 1, &key)
        .unwrap();
    assert_eq!(sim.requests().len(), before + 1, "one NCALayer call");
    let kinds: Vec<String> = store
        .outbox_for(&id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["binding", "on_behalf"]);
    sync_until_quiet(&mut w, &mut store, &office).await;
    let states: Vec<String> = store
        .outbox_for(&id)
        .unwrap()
        .into_iter()
        .map(|e| e.state)
        .collect();
    assert_eq!(states, ["sent", "sent"]);
    let bindings = portal.bindings().await;
    assert!(
        bindings
            .iter()
            .any(|b| b.child_iin == child.iin.to_string()),
        "{bindings:?}"
    );
    let (_, mark, refusal) = store.application(&id).unwrap();
    assert_eq!((mark, refusal), (SyncMark::None, None));
}
