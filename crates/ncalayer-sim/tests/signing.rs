//! The NCALayer signer (signing::ncalayer) against the simulator, over real TLS on
//! 127.0.0.1 with a random port: a signature that verifies, and every fault refused with
//! its own code (issue 14, R-6, R-7, R-34).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use domain::{Iin, Lang};
use ncalayer_sim::{Config, Fault, Sim, TlsIdentity};
use signing::ncalayer::NcaLayerError;
use signing::testkit::{CertSpec, TEST_IIN, TestCa, write_p12};
use signing::{DecisionSigner, NcaLayer, NcaLayerSigner, P12Signer, SignError, Zeroizing};
use time::OffsetDateTime;

const CLERK_NAME: &str = "ТЕСТОВ ТЕСТ ТЕСТОВИЧ";

struct Setup {
    _dir: tempfile::TempDir,
    ca: TestCa,
    sim: Sim,
    tls: TlsIdentity,
}

fn clerk() -> Iin {
    Iin::parse(TEST_IIN).unwrap()
}

fn p12(dir: &std::path::Path, ca: &TestCa, spec: &CertSpec, name: &str) -> P12Signer {
    let path = dir.join(name);
    write_p12(&path, ca, spec, "pw", false);
    P12Signer::open(&path, Zeroizing::new("pw".into())).unwrap()
}

/// A simulator holding `spec`'s key (issued by the setup's CA) and answering with `fault`.
fn setup(spec: &CertSpec, fault: Fault) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let ca = TestCa::new("Test NCA");
    let key = p12(dir.path(), &ca, spec, "RSA_key.p12");
    let tls = TlsIdentity::generate("NCALayer simulator TLS root").unwrap();
    let sim = ncalayer_sim::start(Config {
        port: 0,
        tls: tls.clone(),
        version: "1.4".into(),
        fault,
        key: Arc::new(key),
    })
    .unwrap();
    Setup {
        _dir: dir,
        ca,
        sim,
        tls,
    }
}

impl Setup {
    fn layer(&self) -> NcaLayer {
        NcaLayer {
            port: self.sim.port(),
            tls_roots: vec![self.tls.root_der()],
            connect_timeout: Duration::from_secs(5),
            answer_timeout: Duration::from_secs(20),
        }
    }

    fn signer(&self) -> NcaLayerSigner {
        NcaLayerSigner {
            layer: self.layer(),
            trust: vec![self.ca.cert_der()],
            locale: Lang::Kk,
            school_bin: None,
        }
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

const BYTES: &[u8] = br#"{"application_id":"a-1","decision":"accept"}"#;

fn refused(r: Result<signing::SignedDecision, SignError>) -> NcaLayerError {
    match r {
        Err(SignError::NcaLayer(e)) => e,
        other => panic!("expected an NCALayer error, got {other:?}"),
    }
}

#[test]
fn a_decision_signed_in_ncalayer_verifies_over_the_bytes_sent() {
    let s = setup(&CertSpec::signing(&clerk(), CLERK_NAME), Fault::None);
    assert_eq!(s.layer().available().as_deref(), Some("1.4"));
    let signed = s.signer().sign_decision(&clerk(), BYTES, now()).unwrap();
    assert_eq!(signed.signer.owner_iin, Some(clerk()));
    let v = signing::verify_detached(BYTES, &signed.cms, Some(&[s.ca.cert_der()])).unwrap();
    assert!(v.chain_checked);
    // The request NCALayer got, in NCA's shape.
    let requests = s.sim.requests();
    let sign = requests.last().unwrap();
    assert_eq!(sign["module"], "kz.gov.pki.knca.basics");
    assert_eq!(sign["method"], "sign");
    let args = &sign["args"];
    assert_eq!(args["format"], "cms");
    assert_eq!(args["signingParams"]["encapsulate"], false);
    assert_eq!(args["signingParams"]["decode"], true);
    assert_eq!(args["signerParams"]["iin"], TEST_IIN);
    assert_eq!(
        args["signerParams"]["extKeyUsageOids"],
        serde_json::json!(["1.3.6.1.5.5.7.3.4"])
    );
    assert_eq!(args["locale"], "kk");
    use base64::Engine;
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(args["data"].as_str().unwrap())
            .unwrap(),
        BYTES
    );
}

#[test]
fn cancel_in_ncalayer_signs_nothing() {
    let s = setup(&CertSpec::signing(&clerk(), CLERK_NAME), Fault::Cancel);
    let e = refused(s.signer().sign_decision(&clerk(), BYTES, now()));
    assert_eq!(e, NcaLayerError::Cancelled);
    assert!(e.message(Lang::Ru).contains("ничего не потеряно"));
}

#[test]
fn an_error_answer_is_shown_with_ncalayers_code() {
    let s = setup(
        &CertSpec::signing(&clerk(), CLERK_NAME),
        Fault::parse("error").unwrap(),
    );
    let e = refused(s.signer().sign_decision(&clerk(), BYTES, now()));
    assert_eq!(e.code(), "NCALAYER_REFUSED");
    assert!(e.message(Lang::Kk).contains("INVOCATION_ERROR"));
}

#[test]
fn a_slow_answer_times_out() {
    let s = setup(
        &CertSpec::signing(&clerk(), CLERK_NAME),
        Fault::Slow(Duration::from_secs(30)),
    );
    let mut signer = s.signer();
    signer.layer.answer_timeout = Duration::from_millis(300);
    let e = refused(signer.sign_decision(&clerk(), BYTES, now()));
    assert!(matches!(e, NcaLayerError::Timeout { .. }), "{e:?}");
}

#[test]
fn another_persons_key_is_refused() {
    let other = Iin::parse("950615400017").unwrap();
    let s = setup(&CertSpec::signing(&other, "БАСҚА АДАМ"), Fault::None);
    let e = refused(s.signer().sign_decision(&clerk(), BYTES, now()));
    assert!(
        matches!(
            &e,
            NcaLayerError::SignatureRefused(signing::Error::IinMismatch { .. })
        ),
        "{e:?}"
    );
    assert!(e.message(Lang::Ru).contains("не совпадает"));
}

#[test]
fn an_authentication_key_does_not_sign_a_decision() {
    let s = setup(&CertSpec::authentication(&clerk(), CLERK_NAME), Fault::None);
    let e = refused(s.signer().sign_decision(&clerk(), BYTES, now()));
    assert!(
        matches!(
            &e,
            NcaLayerError::SignatureRefused(signing::Error::KeyNotForSigning)
        ),
        "{e:?}"
    );
    // …but signs in (issue 16): the authentication API accepts it for this person.
    let answer = s
        .layer()
        .authenticate(
            b"nonce-1",
            Some(&clerk()),
            Lang::Ru,
            &[s.ca.cert_der()],
            now(),
        )
        .unwrap();
    assert_eq!(answer.signature.signer.owner_iin, Some(clerk()));
    let sent = s.sim.requests();
    assert_eq!(
        sent.last().unwrap()["args"]["signerParams"]["extKeyUsageOids"],
        serde_json::json!(["1.3.6.1.5.5.7.3.2"])
    );
}

#[test]
fn a_signature_over_other_bytes_is_refused() {
    let s = setup(&CertSpec::signing(&clerk(), CLERK_NAME), Fault::OtherBytes);
    let e = refused(s.signer().sign_decision(&clerk(), BYTES, now()));
    assert!(
        matches!(
            &e,
            NcaLayerError::SignatureRefused(signing::Error::SignatureContentMismatch)
        ),
        "{e:?}"
    );
}

#[test]
fn a_key_from_an_untrusted_ca_is_refused() {
    let s = setup(&CertSpec::signing(&clerk(), CLERK_NAME), Fault::None);
    let mut signer = s.signer();
    signer.trust = vec![TestCa::new("Another CA").cert_der()];
    let e = refused(signer.sign_decision(&clerk(), BYTES, now()));
    assert!(
        matches!(
            &e,
            NcaLayerError::SignatureRefused(signing::Error::SignatureUntrusted { .. })
        ),
        "{e:?}"
    );
}

#[test]
fn a_server_with_an_untrusted_certificate_is_refused() {
    let s = setup(&CertSpec::signing(&clerk(), CLERK_NAME), Fault::None);
    let mut signer = s.signer();
    let stranger = TlsIdentity::generate("Not NCA").unwrap();
    signer.layer.tls_roots = vec![stranger.root_der()];
    assert_eq!(signer.layer.available(), None);
    let e = refused(signer.sign_decision(&clerk(), BYTES, now()));
    assert!(matches!(e, NcaLayerError::ServerUntrusted { .. }), "{e:?}");
    // Nothing was sent to it.
    assert!(s.sim.requests().is_empty());
}

#[test]
fn ncalayer_not_running_says_start_it() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let layer = NcaLayer {
        port,
        tls_roots: vec![],
        connect_timeout: Duration::from_secs(2),
        answer_timeout: Duration::from_secs(2),
    };
    assert_eq!(layer.available(), None);
    let e = layer.version().unwrap_err();
    assert!(matches!(e, NcaLayerError::NotRunning { .. }), "{e:?}");
    assert!(e.message(Lang::Kk).contains("NCALayer іске қосылмаған"));
}

#[test]
fn ncalayer_closing_mid_way_and_garbage_are_clear_errors() {
    let s = setup(&CertSpec::signing(&clerk(), CLERK_NAME), Fault::Close);
    let e = refused(s.signer().sign_decision(&clerk(), BYTES, now()));
    assert!(matches!(e, NcaLayerError::Closed { .. }), "{e:?}");
    s.sim.set_fault(Fault::Garbage);
    let e = refused(s.signer().sign_decision(&clerk(), BYTES, now()));
    assert!(matches!(e, NcaLayerError::AnswerMalformed { .. }), "{e:?}");
    // And it signs again once it behaves.
    s.sim.set_fault(Fault::None);
    s.signer().sign_decision(&clerk(), BYTES, now()).unwrap();
}
