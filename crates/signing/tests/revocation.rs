#![allow(clippy::unwrap_used)]
//! Revocation against real services (issue 10): a real `openssl ocsp` responder on
//! 127.0.0.1 started by the test, CRLs and delta CRLs made with `openssl ca -gencrl`.

use std::sync::Mutex;

use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use signing::CertificateFacts;
use signing::revocation::{Fetch, HttpFetch, Revocation, RevocationSource, check_revocation};
use signing::testkit::revocation::TestPki;
use signing::testkit::{CertSpec, TEST_IIN};
use time::OffsetDateTime;
use time::macros::datetime;

fn spec(pki: &TestPki) -> CertSpec {
    pki.with_urls(CertSpec::signing(
        &domain::Iin::parse(TEST_IIN).unwrap(),
        "ТЕСТОВ ТЕСТ ТЕСТОВИЧ",
    ))
}

fn cert(pki: &TestPki) -> CertificateFacts {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    CertificateFacts::from_der(&pki.issue(&key, &spec(pki))).unwrap()
}

/// Remembers the first OCSP response and answers every later request with it.
struct Replay {
    inner: HttpFetch,
    first: Mutex<Option<Vec<u8>>>,
}

impl Fetch for Replay {
    fn fetch(&self, url: &str, post: Option<(&str, &[u8])>) -> Result<Vec<u8>, String> {
        if post.is_none() {
            return self.inner.fetch(url, post);
        }
        let mut first = self.first.lock().unwrap();
        if let Some(r) = first.as_ref() {
            return Ok(r.clone());
        }
        let r = self.inner.fetch(url, post)?;
        *first = Some(r.clone());
        Ok(r)
    }
}

#[test]
fn ocsp_then_crl_and_delta_crl_tell_good_from_revoked_with_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let pki = TestPki::new(dir.path(), "Qabyldau revocation CA");
    let issuer = pki.ca.cert_der();
    let good = cert(&pki);
    let revoked = cert(&pki);
    let revoked_at = datetime!(2026-03-02 08:00 UTC);
    pki.revoke(&revoked.der, revoked_at, "keyCompromise");
    let now = OffsetDateTime::now_utc();
    let http = HttpFetch::default();

    // 1. OCSP, a real responder.
    {
        let _ocsp = pki.start_ocsp();
        assert_eq!(
            check_revocation(&good, &issuer, now, &http),
            Revocation::Good {
                by: RevocationSource::Ocsp
            }
        );
        match check_revocation(&revoked, &issuer, now, &http) {
            Revocation::Revoked { at, reason, by } => {
                assert_eq!(
                    (at, reason.as_str(), by),
                    (revoked_at, "keyCompromise", RevocationSource::Ocsp)
                );
            }
            other => panic!("{other:?}"),
        }
        // A replayed answer (another request's nonce) is not believed.
        let replay = Replay {
            inner: HttpFetch::default(),
            first: Mutex::new(None),
        };
        let _ = check_revocation(&good, &issuer, now, &replay);
        pki.withdraw_crls();
        match check_revocation(&good, &issuer, now, &replay) {
            Revocation::NotChecked { why } => assert!(why.contains("nonce"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    // 2. The responder is gone: the CRL answers.
    pki.publish_crl();
    assert_eq!(
        check_revocation(&good, &issuer, now, &http),
        Revocation::Good {
            by: RevocationSource::Crl
        }
    );
    let e = check_revocation(&revoked, &issuer, now, &http)
        .into_result()
        .unwrap_err();
    assert_eq!(e.code(), "CERTIFICATE_REVOKED");
    assert!(
        e.message(domain::Lang::Ru).contains("2026-03-02"),
        "{}",
        e.message(domain::Lang::Ru)
    );

    // 3. Revoked after the base CRL was published: only the delta CRL knows.
    let later = cert(&pki);
    pki.publish_crl();
    pki.revoke(&later.der, datetime!(2026-04-01 10:00 UTC), "superseded");
    pki.publish_delta_crl();
    match check_revocation(&later, &issuer, now, &http) {
        Revocation::Revoked { by, reason, .. } => {
            assert_eq!((by, reason.as_str()), (RevocationSource::Crl, "superseded"));
        }
        other => panic!("{other:?}"),
    }

    // 4. Nothing answers: not checked, with the reasons.
    pki.withdraw_crls();
    match check_revocation(&good, &issuer, now, &http) {
        Revocation::NotChecked { why } => {
            assert!(why.contains("OCSP") && why.contains("CRL"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        check_revocation(&good, &issuer, now, &http)
            .into_result()
            .unwrap_err()
            .code(),
        "REVOCATION_UNAVAILABLE"
    );

    // A CRL signed by another CA is not believed.
    let other = TestPki::new(&dir.path().join("other"), "Another CA");
    other.publish_crl();
    std::fs::copy(other.dir.join("www/ca.crl"), pki.dir.join("www/ca.crl")).unwrap();
    assert!(matches!(
        check_revocation(&good, &issuer, now, &http),
        Revocation::NotChecked { .. }
    ));
}

#[test]
fn a_certificate_that_names_no_revocation_service_has_no_source() {
    let dir = tempfile::tempdir().unwrap();
    let pki = TestPki::new(dir.path(), "Plain CA");
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let plain = CertSpec::signing(&domain::Iin::parse(TEST_IIN).unwrap(), "ТЕСТОВ ТЕСТ");
    let facts = CertificateFacts::from_der(&pki.issue(&key, &plain)).unwrap();
    assert_eq!(
        check_revocation(
            &facts,
            &pki.ca.cert_der(),
            OffsetDateTime::now_utc(),
            &HttpFetch::default()
        ),
        Revocation::NoSource
    );
}
