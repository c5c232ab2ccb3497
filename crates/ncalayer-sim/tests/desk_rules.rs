//! What NCALayer returns passes the same rules as a key the desk holds (issue 14, "never
//! trust what comes back"; `desk::keys::check_signature_certificate`): the chain, the
//! revocation through a real `openssl ocsp` responder (revoked → refused with its date,
//! nothing reachable → "revocation not checked yet", like the `.p12` path), the clerk's
//! IIN, a signing key, and the school's BIN.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use desk::keys::{CheckedNcaLayer, revocation_text};
use desk::signing::revocation::{HttpFetch, Revocation};
use desk::signing::testkit::revocation::TestPki;
use desk::signing::testkit::{CertSpec, TEST_IIN};
use desk::signing::{DecisionSigner, NcaLayer, NcaLayerSigner, P12Signer, SignError, Zeroizing};
use domain::{Iin, Lang};
use ncalayer_sim::{Config, Fault, Sim, TlsIdentity};
use time::OffsetDateTime;

const CLERK_NAME: &str = "ТЕСТОВ ТЕСТ ТЕСТОВИЧ";
const BYTES: &[u8] = br#"{"application_id":"a-1","decision":"accept"}"#;

fn clerk() -> Iin {
    Iin::parse(TEST_IIN).unwrap()
}

struct Setup {
    _dir: tempfile::TempDir,
    pki: TestPki,
    sim: Sim,
    tls: TlsIdentity,
    cert: Vec<u8>,
}

/// A simulator whose storage holds a key the PKI issued from `spec` (with its OCSP and
/// CRL addresses).
fn setup(spec: &CertSpec) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let pki = TestPki::new(&dir.path().join("pki"), "Qabyldau NCALayer OCSP CA");
    let path = dir.path().join("RSA_key.p12");
    let cert = pki.write_p12(&path, spec, "pw");
    let key = P12Signer::open(&path, Zeroizing::new("pw".into())).unwrap();
    let tls = TlsIdentity::generate("NCALayer simulator TLS root").unwrap();
    let sim = ncalayer_sim::start(Config {
        port: 0,
        tls: tls.clone(),
        version: "1.4".into(),
        fault: Fault::None,
        key: Arc::new(key),
    })
    .unwrap();
    Setup {
        _dir: dir,
        pki,
        sim,
        tls,
        cert,
    }
}

impl Setup {
    fn signer(&self, school_bin: Option<&str>) -> CheckedNcaLayer {
        CheckedNcaLayer::new(
            NcaLayerSigner {
                layer: NcaLayer {
                    port: self.sim.port(),
                    tls_roots: vec![self.tls.root_der()],
                    connect_timeout: Duration::from_secs(5),
                    answer_timeout: Duration::from_secs(20),
                },
                trust: vec![self.pki.ca.cert_der()],
                locale: Lang::Kk,
                school_bin: school_bin.map(str::to_string),
            },
            Box::new(HttpFetch::default()),
        )
    }
}

fn refused(r: Result<desk::signing::SignedDecision, SignError>) -> desk::signing::Error {
    match r {
        Err(SignError::NcaLayer(desk::signing::NcaLayerError::SignatureRefused(e))) => e,
        other => panic!("expected a refused NCALayer answer, got {other:?}"),
    }
}

#[test]
fn a_revoked_certificate_from_ncalayer_is_refused_with_its_date_a_good_one_is_checked() {
    let s = setup(&CertSpec::signing(&clerk(), CLERK_NAME));
    let now = OffsetDateTime::now_utc();
    {
        let _ocsp = s.pki.start_ocsp();
        let signed = s.signer(None).sign_decision(&clerk(), BYTES, now).unwrap();
        assert!(
            matches!(signed.revocation, Some(Revocation::Good { .. })),
            "{:?}",
            signed.revocation
        );
        assert_eq!(
            revocation_text(signed.revocation.as_ref()),
            "checked (OCSP)"
        );
    }
    s.pki.revoke(
        &s.cert,
        time::macros::datetime!(2026-02-10 06:00 UTC),
        "keyCompromise",
    );
    {
        let _ocsp = s.pki.start_ocsp();
        let e = refused(s.signer(None).sign_decision(&clerk(), BYTES, now));
        assert_eq!(e.code(), "CERTIFICATE_REVOKED");
        let ui = desk::UiError::from(desk::Error::NcaLayer(
            desk::signing::NcaLayerError::SignatureRefused(e),
        ));
        assert!(ui.ru.contains("2026-02-10"), "{}", ui.ru);
        assert!(ui.kk.contains("2026-02-10"), "{}", ui.kk);
    }
}

#[test]
fn offline_ncalayer_signs_and_the_decision_says_revocation_not_checked_yet() {
    let s = setup(&CertSpec::signing(&clerk(), CLERK_NAME));
    // No responder runs and no CRL is published: nothing to ask.
    let signed = s
        .signer(None)
        .sign_decision(&clerk(), BYTES, OffsetDateTime::now_utc())
        .unwrap();
    assert!(matches!(
        signed.revocation,
        Some(Revocation::NotChecked { .. })
    ));
    assert_eq!(
        revocation_text(signed.revocation.as_ref()),
        "not checked yet"
    );
}

#[test]
fn an_organisation_certificate_of_another_bin_is_refused() {
    let spec = CertSpec {
        organisation: Some(("ТЕСТ МЕКТЕБІ".into(), "123456789012".into())),
        ..CertSpec::signing(&clerk(), CLERK_NAME)
    };
    let s = setup(&spec);
    let now = OffsetDateTime::now_utc();
    let e = refused(
        s.signer(Some("999999999990"))
            .sign_decision(&clerk(), BYTES, now),
    );
    assert_eq!(e.code(), "CERTIFICATE_UNTRUSTED");
    assert!(e.to_string().contains("123456789012"), "{e}");
    // The school's own BIN passes.
    let signed = s
        .signer(Some("123456789012"))
        .sign_decision(&clerk(), BYTES, now);
    assert!(signed.is_ok(), "{signed:?}");
}

#[test]
fn another_persons_certificate_from_ncalayer_is_refused_before_the_revocation_check() {
    let stranger = Iin::parse("850305400120").unwrap();
    let s = setup(&CertSpec::signing(&stranger, "БӨТЕН АДАМ"));
    let e = refused(
        s.signer(None)
            .sign_decision(&clerk(), BYTES, OffsetDateTime::now_utc()),
    );
    assert_eq!(e.code(), "IIN_MISMATCH");
}
