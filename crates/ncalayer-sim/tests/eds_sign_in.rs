//! Sign-in by EDS through NCALayer (issue 16 with issue 14): the portal's challenge signed
//! in the simulator with the clerk's authentication key (`extKeyUsageOids` clientAuth),
//! verified at the desk, accepted by a real portal-sim. NCALayer's CMS carries a signing
//! time, so it cannot wrap the journal key: the password is asked once on this desk, and
//! offline it is always needed (ARCHITECTURE.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../desk/tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Portal, confirm_email_if_asked, now, pw, session};
use desk::keys::NcaLayerSettings;
use desk::session::EdsKey;
use desk::signing::testkit::{CertSpec, TestCa, write_p12};
use desk::signing::{P12Signer, Zeroizing};
use domain::Lang;
use ncalayer_sim::{Config, Fault, TlsIdentity};

#[test]
fn ncalayer_signs_the_clerk_in_with_the_authentication_key_and_the_password_once() {
    let ca = TestCa::new("Test NCA");
    let portal = Portal::start_trusting(30, vec![ca.cert_der()]);
    let (iin, password, name, district) = portal.staff(0);
    let tmp = tempfile::tempdir().unwrap();
    let p12 = tmp.path().join("AUTH_RSA256_in_ncalayer.p12");
    write_p12(
        &p12,
        &ca,
        &CertSpec::authentication(&iin, &name),
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
    let key = || EdsKey::NcaLayer {
        settings: settings.clone(),
        locale: Lang::Ru,
    };
    let (s, _) = session(tmp.path(), Some(&portal.url));
    let at = Instant::now();

    let err = s
        .sign_in_eds(key(), None, Some(&district), now(), at)
        .unwrap_err();
    assert_eq!(err.code(), "EDS_PASSWORD_NEEDED");
    let asked = sim.requests();
    let last = asked.last().expect("NCALayer was asked");
    assert_eq!(
        last["args"]["signerParams"]["extKeyUsageOids"][0], "1.3.6.1.5.5.7.3.2",
        "an authentication key (clientAuth): {last}"
    );
    assert_eq!(last["args"]["locale"], "ru");

    let view = s
        .sign_in_eds(key(), Some(pw(&password)), Some(&district), now(), at)
        .unwrap();
    assert_eq!(confirm_email_if_asked(&s, &portal, &view.state, 0), "open");
    let view = s.view(at);
    assert_eq!(view.method.as_deref(), Some("eds"));
    assert_eq!(view.clerk_iin.as_deref(), Some(iin.to_string().as_str()));

    // The lock opens with NCALayer too: the same certificate.
    s.lock();
    assert_eq!(s.unlock_eds(key(), now(), at).unwrap().state, "open");

    // Another clerk's key in NCALayer: the portal knows them, but this desk's journal
    // is not theirs to open (no envelope of theirs, no password given).
    s.sign_out();
    let stranger = &portal.region.staff[1];
    let other = tmp.path().join("AUTH_other.p12");
    write_p12(
        &other,
        &ca,
        &CertSpec::authentication(&stranger.iin, &stranger.name.display().to_uppercase()),
        "pw",
        false,
    );
    let sim2 = ncalayer_sim::start(Config {
        port: 0,
        tls: tls.clone(),
        version: "1.4".into(),
        fault: Fault::None,
        key: Arc::new(P12Signer::open(&other, Zeroizing::new("pw".into())).unwrap()),
    })
    .unwrap();
    let foreign = EdsKey::NcaLayer {
        settings: NcaLayerSettings {
            port: sim2.port(),
            ..settings.clone()
        },
        locale: Lang::Kk,
    };
    let err = s
        .sign_in_eds(foreign, None, Some(&district), now(), at)
        .unwrap_err();
    assert_eq!(err.code(), "EDS_PASSWORD_NEEDED");
    assert_eq!(s.view(at).state, "signed_out");
}
