//! The simulator's TLS identity: a root made for this run and a server certificate for
//! `127.0.0.1` (SAN IP and `localhost`, serverAuth) issued by it — the shape of NCALayer's
//! own, which NCA's RSA root issues. A test gives the root to the client; a test that
//! gives another root sees the connection refused.

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName, SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509NameBuilder};

/// A TLS root and the server certificate and key it issued.
#[derive(Debug, Clone)]
pub struct TlsIdentity {
    pub root: X509,
    pub cert: X509,
    pub key: PKey<Private>,
}

fn name(cn: &str) -> Result<openssl::x509::X509Name, ErrorStack> {
    let mut n = X509NameBuilder::new()?;
    n.append_entry_by_nid(Nid::COMMONNAME, cn)?;
    n.append_entry_by_nid(Nid::COUNTRYNAME, "KZ")?;
    Ok(n.build())
}

fn serial(n: u32) -> Result<Asn1Integer, ErrorStack> {
    let mut bn = BigNum::new()?;
    bn.rand(64, openssl::bn::MsbOption::MAYBE_ZERO, false)?;
    bn.add_word(n)?;
    bn.to_asn1_integer()
}

impl TlsIdentity {
    /// A fresh root (`CN=<root_name>`) and a `127.0.0.1` certificate from it, valid from
    /// yesterday for ten years.
    pub fn generate(root_name: &str) -> Result<TlsIdentity, ErrorStack> {
        let root_key = PKey::from_rsa(Rsa::generate(2048)?)?;
        let root_name = name(root_name)?;
        let mut b = X509Builder::new()?;
        b.set_version(2)?;
        let sn = serial(1)?;
        b.set_serial_number(&sn)?;
        b.set_subject_name(&root_name)?;
        b.set_issuer_name(&root_name)?;
        b.set_pubkey(&root_key)?;
        let (nb, na) = (
            Asn1Time::from_unix(time_now() - 86_400)?,
            Asn1Time::days_from_now(3650)?,
        );
        b.set_not_before(&nb)?;
        b.set_not_after(&na)?;
        b.append_extension(BasicConstraints::new().critical().ca().build()?)?;
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()?,
        )?;
        let ski = SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None))?;
        b.append_extension(ski)?;
        b.sign(&root_key, MessageDigest::sha256())?;
        let root = b.build();

        let key = PKey::from_rsa(Rsa::generate(2048)?)?;
        let mut b = X509Builder::new()?;
        b.set_version(2)?;
        let sn = serial(2)?;
        b.set_serial_number(&sn)?;
        let subject = name("127.0.0.1")?;
        b.set_subject_name(&subject)?;
        b.set_issuer_name(root.subject_name())?;
        b.set_pubkey(&key)?;
        // A day back: the client's clock and this one are the same machine's, but a
        // certificate made this second must not be "not yet valid" on a rounding.
        let (nb, na) = (
            Asn1Time::from_unix(time_now() - 86_400)?,
            Asn1Time::days_from_now(3650)?,
        );
        b.set_not_before(&nb)?;
        b.set_not_after(&na)?;
        b.append_extension(BasicConstraints::new().build()?)?;
        b.append_extension(
            KeyUsage::new()
                .critical()
                .digital_signature()
                .key_encipherment()
                .build()?,
        )?;
        b.append_extension(ExtendedKeyUsage::new().server_auth().build()?)?;
        let san = SubjectAlternativeName::new()
            .ip("127.0.0.1")
            .dns("localhost")
            .build(&b.x509v3_context(Some(&root), None))?;
        b.append_extension(san)?;
        b.sign(&root_key, MessageDigest::sha256())?;
        Ok(TlsIdentity {
            root,
            cert: b.build(),
            key,
        })
    }

    /// The root as DER, for `NcaLayer::tls_roots`.
    pub fn root_der(&self) -> Vec<u8> {
        self.root.to_der().unwrap_or_default()
    }

    /// The root as PEM, for the app's test setting and `openssl s_client -CAfile`.
    pub fn root_pem(&self) -> Vec<u8> {
        self.root.to_pem().unwrap_or_default()
    }
}

fn time_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
