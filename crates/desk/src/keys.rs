//! Opening the clerk's key for one signing session: a PKCS#11 token or an NCA
//! `.p12` file. The PIN or password comes in, is held in zeroizing memory for the
//! session, and is never written anywhere.

use crate::Error;
use crate::views::{KeyChoice, TokenCertificateView, TokenView};
use signing::revocation::{Fetch, HttpFetch, Revocation};
use signing::{KeySource, Signer, TokenTarget, Zeroizing};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Opens the key the clerk chose, checked against NCA's trust ([`KeyTrust::from_env`]) and
/// revocation when it signs ([`CheckedKey`]). The secret is consumed.
pub fn open_signer(choice: KeyChoice, secret: Zeroizing<String>) -> Result<Box<dyn Signer>, Error> {
    Ok(Box::new(CheckedKey::new(
        open_bare(choice, secret)?,
        KeyTrust::from_env(),
        Box::new(HttpFetch::default()),
    )))
}

/// Opens the key without the trust checks (the CLI's plain file signatures, tests).
pub fn open_bare(choice: KeyChoice, secret: Zeroizing<String>) -> Result<Box<dyn Signer>, Error> {
    let source = match choice {
        KeyChoice::Token {
            module,
            token_label,
        } => {
            let module = if module.is_empty() {
                default_module().unwrap_or_default()
            } else {
                PathBuf::from(module)
            };
            KeySource::Token(TokenTarget {
                module,
                token_label,
            })
        }
        KeyChoice::KeyFile { path } => KeySource::KeyFile(PathBuf::from(path)),
    };
    Ok(signing::open_signer(&source, secret)?)
}

/// The first PKCS#11 module installed on this machine (configured vendor modules first).
pub fn default_module() -> Option<PathBuf> {
    std::env::var_os("QABYLDAU_PKCS11_MODULE")
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .or_else(|| signing::installed_module_paths().into_iter().next())
}

/// The tokens a module sees, with their certificates, for the signing dialog. No PIN.
pub fn tokens(module: Option<&Path>) -> Result<Vec<TokenView>, Error> {
    let Some(module) = module.map(Path::to_path_buf).or_else(default_module) else {
        return Ok(Vec::new());
    };
    let listings = signing::list_tokens(&module)?;
    Ok(listings
        .into_iter()
        // An empty slot's token that was never initialised (SoftHSM2 always has one) holds
        // no key: the signing dialog does not offer it.
        .filter(|t| t.flags.initialized)
        .map(|t| TokenView {
            module: module.display().to_string(),
            label: t.label,
            serial: t.serial,
            manufacturer: t.manufacturer,
            pin_count_low: t.flags.pin.count_low,
            pin_final_try: t.flags.pin.final_try,
            pin_locked: t.flags.pin.locked,
            certificates: t
                .certificates
                .into_iter()
                .filter_map(|c| c.facts.ok())
                .map(|f| TokenCertificateView {
                    subject: f.subject,
                    owner_iin: f.owner_iin.map(|i| i.to_string()),
                    common_name: f.common_name,
                    not_after: f.not_after.date().to_string(),
                    signing: f.key_purpose == signing::KeyPurpose::Signing,
                    algorithm: f.key_algorithm.family().to_string(),
                })
                .collect(),
        })
        .collect())
}

/// What a key opened for signing is checked against (issue 10): NCA's bundled production
/// certificates, NCA's test PKI when `QABYLDAU_NCA_TEST_PKI=1`, and the CA files named in
/// `QABYLDAU_TRUST_CA` (paths separated like `PATH`; PEM or DER).
#[derive(Debug, Clone, Default)]
pub struct KeyTrust {
    pub anchors: Vec<Vec<u8>>,
}

impl KeyTrust {
    pub fn from_env() -> KeyTrust {
        let test_pki = std::env::var("QABYLDAU_NCA_TEST_PKI").is_ok_and(|v| v.trim() == "1");
        let mut extra = Vec::new();
        if let Some(paths) = std::env::var_os("QABYLDAU_TRUST_CA") {
            for path in std::env::split_paths(&paths) {
                if let Ok(bytes) = std::fs::read(&path)
                    && let Ok(certs) = signing::certificates_from_pem_or_der(&bytes)
                {
                    extra.extend(certs);
                }
            }
        }
        KeyTrust {
            anchors: signing::trust::trust_anchors(test_pki, &extra),
        }
    }
}

/// A key opened for signing whose certificate is checked when it signs, at the signing
/// time: its chain to a trusted NCA certificate (`CERTIFICATE_UNTRUSTED` otherwise) and
/// its revocation (OCSP, else CRL + delta CRL): revoked → `CERTIFICATE_REVOKED` with the
/// date and nothing is signed; no service reachable (offline) → it signs, and
/// [`Signer::revocation`] says `NotChecked` so the decision is marked "revocation not
/// checked yet" (the portal checks it on arrival).
pub struct CheckedKey {
    inner: Box<dyn Signer>,
    trust: KeyTrust,
    fetch: Box<dyn Fetch>,
    revocation: Mutex<Option<Revocation>>,
}

impl std::fmt::Debug for CheckedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedKey")
            .field("certificate", &self.inner.certificate().subject)
            .finish_non_exhaustive()
    }
}

impl CheckedKey {
    pub fn new(inner: Box<dyn Signer>, trust: KeyTrust, fetch: Box<dyn Fetch>) -> CheckedKey {
        CheckedKey {
            inner,
            trust,
            fetch,
            revocation: Mutex::new(None),
        }
    }
}

impl Signer for CheckedKey {
    fn certificate(&self) -> &signing::CertificateFacts {
        self.inner.certificate()
    }

    fn algorithm(&self) -> Result<signing::SignatureAlgorithm, signing::Error> {
        self.inner.algorithm()
    }

    fn sign_signed_attributes(&self, signed_attributes: &[u8]) -> Result<Vec<u8>, signing::Error> {
        self.inner.sign_signed_attributes(signed_attributes)
    }

    fn sign_detached(
        &self,
        content: &[u8],
        signing_time: time::OffsetDateTime,
    ) -> Result<Vec<u8>, signing::Error> {
        let facts = self.inner.certificate();
        let path = signing::verify_chain(&facts.der, &[], &self.trust.anchors, signing_time)?;
        let revocation = match path.get(1) {
            Some(issuer) => signing::revocation::check_revocation(
                facts,
                &issuer.der,
                signing_time,
                &*self.fetch,
            ),
            None => Revocation::NoSource,
        };
        if let Revocation::Revoked { .. } = revocation {
            return revocation.into_result().map(|_| Vec::new());
        }
        *self
            .revocation
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(revocation);
        self.inner.sign_detached(content, signing_time)
    }

    fn revocation(&self) -> Option<Revocation> {
        self.revocation
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// How a decision's history entry names what was found out about revocation.
pub fn revocation_note(signer: &dyn Signer) -> &'static str {
    match signer.revocation() {
        Some(Revocation::Good { by }) => match by {
            signing::revocation::RevocationSource::Ocsp => "checked (OCSP)",
            signing::revocation::RevocationSource::Crl => "checked (CRL)",
        },
        Some(Revocation::NoSource) => "no revocation service named",
        _ => "not checked yet",
    }
}
