//! Test fixtures, behind the `testkit` feature, for this crate's tests and for `desk` and
//! the end-to-end tests: a test CA, NCA-shaped certificates, `.p12` key files (modern and
//! legacy encryption) and real SoftHSM2 tokens with an RSA-2048 key generated on the token.
//!
//! SoftHSM2 reads its configuration (`SOFTHSM2_CONF`) once, when a process first
//! initialises the module, and PKCS#11 initialisation is process-wide. So all tokens of one
//! process live in one SoftHSM2 home, a temporary directory made on first use
//! ([`softhsm_home`]); the tokens are created through PKCS#11 in this process, each with
//! its own label. A child process (the `qabyldau` CLI in a test) sees them when given
//! `SOFTHSM2_CONF=`[`SoftHsmHome::conf`]. Use the testkit before anything else in the
//! process loads the SoftHSM2 module.
//!
//! Fixtures panic with a clear message on failure: they are for tests only.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, CertificateType, KeyType, ObjectClass};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use domain::Iin;
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{HasPublic, PKey, PKeyRef, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectKeyIdentifier,
};
use openssl::x509::{X509, X509Builder, X509NameBuilder};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::{KeyPurpose, TokenTarget};

pub mod gost;
mod gost_p12;
pub mod revocation;

/// Where Debian's softhsm2 package puts the module.
pub const SOFTHSM_MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
/// The security officer PIN of every test token.
pub const SO_PIN: &str = "87654321";

/// A valid IIN (born 1990-01-01, male) used throughout the tests.
pub const TEST_IIN: &str = "900101300017";

/// A self-signed test certification authority (RSA-2048).
#[derive(Debug, Clone)]
pub struct TestCa {
    key: PKey<Private>,
    cert: X509,
}

fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("testkit: {what}: {e}"),
    }
}

fn asn1_time(t: OffsetDateTime) -> Asn1Time {
    ok(Asn1Time::from_unix(t.unix_timestamp()), "time")
}

static SERIAL: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

fn next_serial() -> Asn1Integer {
    let n = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Unique enough across processes for tests: process id and a counter.
    let value = (u64::from(std::process::id()) << 20) | u64::from(n);
    ok(
        ok(BigNum::from_dec_str(&value.to_string()), "serial").to_asn1_integer(),
        "serial",
    )
}

impl TestCa {
    /// A CA named `CN=<common_name>, O=Qabyldau test, C=KZ`, valid 2000–2060.
    pub fn new(common_name: &str) -> TestCa {
        let key = ok(PKey::from_rsa(ok(Rsa::generate(2048), "CA key")), "CA key");
        let mut name = ok(X509NameBuilder::new(), "name");
        ok(name.append_entry_by_nid(Nid::COMMONNAME, common_name), "CN");
        ok(
            name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "Qabyldau test"),
            "O",
        );
        ok(name.append_entry_by_nid(Nid::COUNTRYNAME, "KZ"), "C");
        let name = name.build();
        let mut b = ok(X509Builder::new(), "builder");
        ok(b.set_version(2), "version");
        ok(b.set_serial_number(&next_serial()), "serial");
        ok(b.set_subject_name(&name), "subject");
        ok(b.set_issuer_name(&name), "issuer");
        ok(b.set_pubkey(&key), "pubkey");
        ok(
            b.set_not_before(&asn1_time(datetime!(2000-01-01 0:00 UTC))),
            "nb",
        );
        ok(
            b.set_not_after(&asn1_time(datetime!(2060-01-01 0:00 UTC))),
            "na",
        );
        let bc = ok(BasicConstraints::new().critical().ca().build(), "bc");
        ok(b.append_extension(bc), "bc");
        let ku = ok(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build(),
            "ku",
        );
        ok(b.append_extension(ku), "ku");
        let ski = ok(
            SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None)),
            "ski",
        );
        ok(b.append_extension(ski), "ski");
        ok(b.sign(&key, MessageDigest::sha256()), "sign");
        TestCa {
            key,
            cert: b.build(),
        }
    }

    pub fn cert_der(&self) -> Vec<u8> {
        ok(self.cert.to_der(), "CA der")
    }

    pub fn cert_pem(&self) -> Vec<u8> {
        ok(self.cert.to_pem(), "CA pem")
    }

    /// Writes the CA's private key as PEM to `path` (for `openssl ocsp -rkey`, `openssl ca`).
    pub fn write_key_pem(&self, path: &Path) {
        let pem = ok(self.key.private_key_to_pem_pkcs8(), "CA key pem");
        ok(std::fs::write(path, pem), "write CA key");
    }

    /// Writes the CA certificate as PEM to `path` (for `--ca` and `openssl -CAfile`).
    pub fn write_pem(&self, path: &Path) {
        ok(std::fs::write(path, self.cert_pem()), "write CA pem");
    }

    /// Issues an NCA-shaped certificate (DER) for `subject_key` as `spec` says.
    // `X509Extension::new_nid` is the one way of the openssl crate to write AIA, CDP and
    // Freshest CRL extensions from their config syntax.
    #[allow(deprecated)]
    pub fn issue<T: HasPublic>(&self, subject_key: &PKeyRef<T>, spec: &CertSpec) -> Vec<u8> {
        let mut name = ok(X509NameBuilder::new(), "name");
        let (surname, given, patronymic) = split_name(&spec.full_name);
        ok(
            name.append_entry_by_nid(Nid::COMMONNAME, &format!("{surname} {given}")),
            "CN",
        );
        ok(name.append_entry_by_nid(Nid::SURNAME, surname), "SURNAME");
        if let Some(iin) = &spec.iin {
            ok(
                name.append_entry_by_nid(Nid::SERIALNUMBER, &format!("IIN{iin}")),
                "SERIALNUMBER",
            );
        }
        ok(name.append_entry_by_nid(Nid::COUNTRYNAME, "KZ"), "C");
        if !patronymic.is_empty() {
            ok(name.append_entry_by_nid(Nid::GIVENNAME, patronymic), "G");
        }
        if let Some((org, bin)) = &spec.organisation {
            ok(name.append_entry_by_nid(Nid::ORGANIZATIONNAME, org), "O");
            ok(
                name.append_entry_by_nid(Nid::ORGANIZATIONALUNITNAME, &format!("BIN{bin}")),
                "OU",
            );
        }
        let name = name.build();
        let mut b = ok(X509Builder::new(), "builder");
        ok(b.set_version(2), "version");
        ok(b.set_serial_number(&next_serial()), "serial");
        ok(b.set_subject_name(&name), "subject");
        ok(b.set_issuer_name(self.cert.subject_name()), "issuer");
        ok(b.set_pubkey(subject_key), "pubkey");
        ok(b.set_not_before(&asn1_time(spec.not_before)), "nb");
        ok(b.set_not_after(&asn1_time(spec.not_after)), "na");
        let mut ku = KeyUsage::new();
        ku.critical().digital_signature();
        match spec.purpose {
            KeyPurpose::Signing => {
                ku.non_repudiation();
            }
            KeyPurpose::Authentication => {
                ku.key_encipherment();
                let eku = ok(
                    ExtendedKeyUsage::new()
                        .client_auth()
                        .email_protection()
                        .build(),
                    "eku",
                );
                ok(b.append_extension(eku), "eku");
            }
            KeyPurpose::Other => {}
        }
        if spec.purpose != KeyPurpose::Other {
            ok(b.append_extension(ok(ku.build(), "ku")), "ku");
        }
        let ski = ok(
            SubjectKeyIdentifier::new().build(&b.x509v3_context(Some(&self.cert), None)),
            "ski",
        );
        ok(b.append_extension(ski), "ski");
        if let Some(url) = &spec.ocsp_url {
            let aia = ok(
                openssl::x509::X509Extension::new_nid(
                    None,
                    Some(&b.x509v3_context(Some(&self.cert), None)),
                    Nid::INFO_ACCESS,
                    &format!("OCSP;URI:{url}"),
                ),
                "aia",
            );
            ok(b.append_extension(aia), "aia");
        }
        if let Some(url) = &spec.crl_url {
            let cdp = ok(
                openssl::x509::X509Extension::new_nid(
                    None,
                    Some(&b.x509v3_context(Some(&self.cert), None)),
                    Nid::CRL_DISTRIBUTION_POINTS,
                    &format!("URI:{url}"),
                ),
                "cdp",
            );
            ok(b.append_extension(cdp), "cdp");
        }
        if let Some(url) = &spec.delta_crl_url {
            let freshest = ok(
                openssl::x509::X509Extension::new_nid(
                    None,
                    Some(&b.x509v3_context(Some(&self.cert), None)),
                    Nid::FRESHEST_CRL,
                    &format!("URI:{url}"),
                ),
                "freshest crl",
            );
            ok(b.append_extension(freshest), "freshest crl");
        }
        let aki = ok(
            AuthorityKeyIdentifier::new()
                .keyid(true)
                .build(&b.x509v3_context(Some(&self.cert), None)),
            "aki",
        );
        ok(b.append_extension(aki), "aki");
        ok(b.sign(&self.key, MessageDigest::sha256()), "sign");
        ok(b.build().to_der(), "der")
    }

    /// A certificate like [`TestCa::issue`] whose public key is declared as GOST
    /// (`1.2.398.3.10.1.1.2.2`, NCA's GOST 34.10-2015 512-bit key), signed by this CA.
    /// The key bits are the RSA key's: enough to test that GOST is recognised and refused.
    pub fn issue_gost<T: HasPublic>(&self, subject_key: &PKeyRef<T>, spec: &CertSpec) -> Vec<u8> {
        let der = self.issue(subject_key, spec);
        let cert = children(&der);
        let tbs = children(cert[0]);
        let mut new_tbs = Vec::new();
        for (i, field) in tbs.iter().enumerate() {
            // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, spki, …
            if i == 6 {
                let spki = children(field);
                let gost_oid = [
                    0x06, 0x09, 0x2a, 0x83, 0x0e, 0x03, 0x0a, 0x01, 0x01, 0x02, 0x02,
                ];
                let mut body = tlv(0x30, &gost_oid);
                body.extend_from_slice(spki[1]);
                new_tbs.extend(tlv(0x30, &body));
            } else {
                new_tbs.extend_from_slice(field);
            }
        }
        let tbs_der = tlv(0x30, &new_tbs);
        let mut signer = ok(
            openssl::sign::Signer::new(MessageDigest::sha256(), &self.key),
            "signer",
        );
        ok(signer.update(&tbs_der), "sign");
        let sig = ok(signer.sign_to_vec(), "sign");
        let mut bits = vec![0u8];
        bits.extend(sig);
        let mut body = tbs_der;
        body.extend_from_slice(cert[1]);
        body.extend(tlv(0x03, &bits));
        tlv(0x30, &body)
    }
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn children(input: &[u8]) -> Vec<&[u8]> {
    let header = |b: &[u8]| -> (usize, usize) {
        let first = b[1] as usize;
        if first < 0x80 {
            (2, first)
        } else {
            let n = first & 0x7f;
            (
                2 + n,
                b[2..2 + n]
                    .iter()
                    .fold(0usize, |acc, x| (acc << 8) | *x as usize),
            )
        }
    };
    let (h, len) = header(input);
    let mut rest = &input[h..h + len];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (h, len) = header(rest);
        out.push(&rest[..h + len]);
        rest = &rest[h + len..];
    }
    out
}

/// "SURNAME NAME PATRONYMIC" → (surname, name, patronymic); NCA writes `CN=SURNAME NAME`,
/// `SURNAME=`, and the patronymic as `G=`.
fn split_name(full: &str) -> (&str, &str, &str) {
    let mut parts = full.trim().splitn(3, ' ');
    let surname = parts.next().unwrap_or("");
    let given = parts.next().unwrap_or("");
    let patronymic = parts.next().unwrap_or("");
    (surname, given, patronymic)
}

/// What goes into a test certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSpec {
    /// 12 digits, written as `SERIALNUMBER=IIN…`; `None` leaves it out.
    pub iin: Option<String>,
    /// "SURNAME NAME PATRONYMIC", e.g. "ТЕСТОВ ТЕСТ ТЕСТОВИЧ".
    pub full_name: String,
    pub purpose: KeyPurpose,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    /// (O, 12-digit BIN) for an organisation certificate.
    pub organisation: Option<(String, String)>,
    /// Declare the key as GOST (see [`TestCa::issue_gost`]); tokens only.
    pub gost: bool,
    /// Authority Information Access: the OCSP responder (`http://127.0.0.1:<port>/`).
    pub ocsp_url: Option<String>,
    /// CRL distribution point and Freshest CRL (delta) URLs.
    pub crl_url: Option<String>,
    pub delta_crl_url: Option<String>,
}

impl CertSpec {
    /// A signing certificate (`RSA_*`), valid 2020-01-01 … 2049-12-31 so that tests with any
    /// fixed clock in that range accept it.
    pub fn signing(iin: &Iin, full_name: &str) -> CertSpec {
        CertSpec {
            iin: Some(iin.to_string()),
            full_name: full_name.to_string(),
            purpose: KeyPurpose::Signing,
            not_before: datetime!(2020-01-01 0:00 UTC),
            not_after: datetime!(2049-12-31 0:00 UTC),
            organisation: None,
            gost: false,
            ocsp_url: None,
            crl_url: None,
            delta_crl_url: None,
        }
    }

    /// An authentication certificate (`AUTH_RSA_*`): digitalSignature + keyEncipherment.
    pub fn authentication(iin: &Iin, full_name: &str) -> CertSpec {
        CertSpec {
            purpose: KeyPurpose::Authentication,
            ..CertSpec::signing(iin, full_name)
        }
    }
}

/// Writes an NCA-style `.p12` with a fresh RSA-2048 key and a certificate from `ca`.
/// `legacy`: 3DES key bag, RC2-40 certificate bag, SHA-1 MAC (as older NCA files);
/// otherwise OpenSSL 3 defaults (PBES2, AES-256-CBC, SHA-256 MAC).
pub fn write_p12(path: &Path, ca: &TestCa, spec: &CertSpec, password: &str, legacy: bool) {
    write_p12_issued(path, |key| ca.issue(key, spec), password, legacy);
}

/// Like [`write_p12`] with the certificate made by `issue` from the fresh key; returns the
/// certificate (DER).
pub fn write_p12_issued(
    path: &Path,
    issue: impl FnOnce(&PKeyRef<Private>) -> Vec<u8>,
    password: &str,
    legacy: bool,
) -> Vec<u8> {
    crate::p12::load_legacy_provider();
    let key = ok(PKey::from_rsa(ok(Rsa::generate(2048), "key")), "key");
    let der = issue(&key);
    let cert = ok(X509::from_der(&der), "cert");
    let mut b = Pkcs12::builder();
    b.name("RSA").pkey(&key).cert(&cert);
    if legacy {
        b.key_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .cert_algorithm(Nid::PBE_WITHSHA1AND40BITRC2_CBC)
            .mac_md(MessageDigest::sha1());
    }
    let p12 = ok(b.build2(password), "build p12");
    ok(
        std::fs::write(path, ok(p12.to_der(), "p12 der")),
        "write p12",
    );
    der
}

/// The process-wide SoftHSM2 home: a temporary directory with `softhsm2.conf` and `tokens/`.
#[derive(Debug)]
pub struct SoftHsmHome {
    dir: PathBuf,
}

impl SoftHsmHome {
    /// The configuration file; give it to child processes as `SOFTHSM2_CONF`.
    pub fn conf(&self) -> PathBuf {
        self.dir.join("softhsm2.conf")
    }
}

/// Makes (once per process) the SoftHSM2 home and points `SOFTHSM2_CONF` at it.
pub fn softhsm_home() -> &'static SoftHsmHome {
    static HOME: OnceLock<SoftHsmHome> = OnceLock::new();
    HOME.get_or_init(|| {
        remove_homes_of_finished_processes();
        let prefix = format!("qabyldau-softhsm-{}-", std::process::id());
        let dir = ok(tempfile::Builder::new().prefix(&prefix).tempdir(), "temp dir");
        // Kept for the life of the process: PKCS#11 keeps files of its tokens open.
        let dir = dir.keep();
        ok(std::fs::create_dir_all(dir.join("tokens")), "tokens dir");
        let conf = format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
            dir.join("tokens").display()
        );
        ok(std::fs::write(dir.join("softhsm2.conf"), conf), "softhsm2.conf");
        set_softhsm_conf(&dir.join("softhsm2.conf"));
        SoftHsmHome { dir }
    })
}

/// The home outlives its process (nothing runs at exit), so the next process removes the
/// homes whose process is gone (Linux: no `/proc/<pid>`).
fn remove_homes_of_finished_processes() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("qabyldau-softhsm-") else {
            continue;
        };
        let Some(pid) = rest
            .split('-')
            .next()
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if !pid.is_empty() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[allow(unsafe_code)]
fn set_softhsm_conf(conf: &Path) {
    // SAFETY: runs once, inside the OnceLock above, before this process loads SoftHSM2 (the
    // only reader of the variable); test fixtures only, never in the application.
    unsafe { std::env::set_var("SOFTHSM2_CONF", conf) };
}

/// A SoftHSM2 token with an RSA-2048 key pair generated on it and an NCA-shaped
/// certificate for it, issued by its own [`TestCa`].
#[derive(Debug)]
pub struct SoftHsmToken {
    pub module: PathBuf,
    pub label: String,
    pub pin: String,
    /// `SOFTHSM2_CONF` for child processes.
    pub softhsm_conf: PathBuf,
    pub ca: TestCa,
    /// The CA certificate, PEM, written into the directory given to `create`.
    pub ca_pem: PathBuf,
    /// The token's certificate, DER.
    pub certificate_der: Vec<u8>,
    /// The token's serial number (SoftHSM2 makes a random one).
    pub serial: String,
}

static CREATE: Mutex<()> = Mutex::new(());

impl SoftHsmToken {
    /// A token labelled `label` with user PIN `pin` and a signing certificate for
    /// `clerk_iin` / `full_name` ("SURNAME NAME PATRONYMIC"); the CA certificate goes to
    /// `dir/ca.pem`.
    pub fn create(
        dir: &Path,
        label: &str,
        pin: &str,
        clerk_iin: &Iin,
        full_name: &str,
    ) -> SoftHsmToken {
        SoftHsmToken::create_with(dir, label, pin, &CertSpec::signing(clerk_iin, full_name))
    }

    /// Like [`SoftHsmToken::create`] with any certificate (expired, authentication-only…).
    pub fn create_with(dir: &Path, label: &str, pin: &str, spec: &CertSpec) -> SoftHsmToken {
        let ca = TestCa::new(&format!("Qabyldau test CA for {label}"));
        SoftHsmToken::create_issued_by(dir, label, pin, spec, &ca)
    }

    /// Like [`SoftHsmToken::create_with`] with the certificate issued by `ca` (a CA a
    /// portal-sim under test trusts).
    pub fn create_issued_by(
        dir: &Path,
        label: &str,
        pin: &str,
        spec: &CertSpec,
        ca: &TestCa,
    ) -> SoftHsmToken {
        let home = softhsm_home();
        let module = PathBuf::from(SOFTHSM_MODULE);
        let pkcs11 = ok(crate::pkcs11::module(&module), "load SoftHSM2");
        let ca = ca.clone();
        let ca_pem = dir.join("ca.pem");
        ca.write_pem(&ca_pem);

        let _one_at_a_time = CREATE.lock().unwrap_or_else(|p| p.into_inner());
        let free = ok(pkcs11.get_all_slots(), "slots")
            .into_iter()
            .find(|s| {
                pkcs11
                    .get_token_info(*s)
                    .map(|i| !i.token_initialized())
                    .unwrap_or(false)
            })
            .unwrap_or_else(|| panic!("testkit: SoftHSM2 has no free slot"));
        let so = AuthPin::from(SO_PIN.to_string());
        let user = AuthPin::from(pin.to_string());
        ok(pkcs11.init_token(free, &so, label), "init token");
        // SoftHSM2 gives an initialised token a new slot id: find it by label.
        let slot = ok(pkcs11.get_slots_with_token(), "slots")
            .into_iter()
            .find(|s| {
                pkcs11
                    .get_token_info(*s)
                    .map(|i| i.label().trim() == label)
                    .unwrap_or(false)
            })
            .unwrap_or_else(|| panic!("testkit: token {label} not found after init"));
        let session = ok(pkcs11.open_rw_session(slot), "session");
        ok(session.login(UserType::So, Some(&so)), "SO login");
        ok(session.init_pin(&user), "init PIN");
        ok(session.logout(), "SO logout");
        ok(session.login(UserType::User, Some(&user)), "user login");

        let id = vec![0x01, 0x02, 0x03, 0x04];
        let key_label = "RSA".as_bytes().to_vec();
        let (public, _private) = ok(
            session.generate_key_pair(
                &Mechanism::RsaPkcsKeyPairGen,
                &[
                    Attribute::Token(true),
                    Attribute::Verify(true),
                    Attribute::ModulusBits(2048.into()),
                    Attribute::PublicExponent(vec![0x01, 0x00, 0x01]),
                    Attribute::Id(id.clone()),
                    Attribute::Label(key_label.clone()),
                ],
                &[
                    Attribute::Token(true),
                    Attribute::Private(true),
                    Attribute::Sensitive(true),
                    Attribute::Extractable(false),
                    Attribute::Sign(true),
                    Attribute::KeyType(KeyType::RSA),
                    Attribute::Id(id.clone()),
                    Attribute::Label(key_label.clone()),
                ],
            ),
            "generate key pair on the token",
        );
        let (mut n, mut e) = (Vec::new(), Vec::new());
        for a in ok(
            session.get_attributes(
                public,
                &[AttributeType::Modulus, AttributeType::PublicExponent],
            ),
            "public key",
        ) {
            match a {
                Attribute::Modulus(v) => n = v,
                Attribute::PublicExponent(v) => e = v,
                _ => {}
            }
        }
        let rsa = ok(
            Rsa::from_public_components(
                ok(BigNum::from_slice(&n), "n"),
                ok(BigNum::from_slice(&e), "e"),
            ),
            "public key",
        );
        let public_key = ok(PKey::from_rsa(rsa), "public key");
        let certificate_der = if spec.gost {
            ca.issue_gost(&public_key, spec)
        } else {
            ca.issue(&public_key, spec)
        };
        let subject = ok(
            ok(X509::from_der(&certificate_der), "cert")
                .subject_name()
                .to_der(),
            "subject",
        );
        ok(
            session.create_object(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
                Attribute::Token(true),
                Attribute::Private(false),
                Attribute::Value(certificate_der.clone()),
                Attribute::Subject(subject),
                Attribute::Id(id),
                Attribute::Label(key_label),
            ]),
            "import certificate",
        );
        ok(session.logout(), "logout");
        drop(session);
        let serial = ok(pkcs11.get_token_info(slot), "token info")
            .serial_number()
            .trim()
            .to_string();

        SoftHsmToken {
            module,
            label: label.to_string(),
            pin: pin.to_string(),
            softhsm_conf: home.conf(),
            ca,
            ca_pem,
            certificate_der,
            serial,
        }
    }

    /// Takes the token away as if it were pulled out of the computer: SoftHSM2 has no
    /// removal, so its directory is deleted, and the module then fails every call on it.
    pub fn pull_out(&self) {
        let tokens = softhsm_home().dir.join("tokens");
        for entry in ok(std::fs::read_dir(&tokens), "tokens dir") {
            let dir = ok(entry, "tokens dir").path();
            let object = std::fs::read(dir.join("token.object")).unwrap_or_default();
            if object
                .windows(self.serial.len())
                .any(|w| w == self.serial.as_bytes())
            {
                ok(std::fs::remove_dir_all(&dir), "remove token");
                return;
            }
        }
        panic!("testkit: token {} not found on disk", self.label);
    }

    /// Where [`crate::Pkcs11Signer::open`] finds this token.
    pub fn target(&self) -> TokenTarget {
        TokenTarget {
            module: self.module.clone(),
            token_label: self.label.clone(),
        }
    }
}
