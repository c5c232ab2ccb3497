//! Opening the clerk's key for one signing session: a PKCS#11 token, an NCA
//! `.p12` file, or NCALayer (issue 14). The PIN or password comes in, is held in zeroizing
//! memory for the session, and is never written anywhere; NCALayer asks for its own.

use crate::Error;
use crate::settings::{ModuleList, Pkcs11Module};
use crate::views::{KeyChoice, TokenCertificateView, TokenView};
use domain::{Iin, Lang};
use signing::revocation::{Fetch, HttpFetch, Revocation};
use signing::{
    DecisionSigner, KeySource, NcaLayerSigner, SignError, SignedDecision, Signer, TokenTarget,
    Zeroizing,
};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;
use time::OffsetDateTime;

/// Opens the key the clerk chose, checked against NCA's trust ([`KeyTrust::from_env`]) and
/// revocation when it signs ([`CheckedKey`]). The secret is consumed.
pub fn open_signer(
    modules: &ModuleList,
    choice: KeyChoice,
    secret: Zeroizing<String>,
) -> Result<Box<dyn Signer>, Error> {
    Ok(Box::new(CheckedKey::new(
        open_bare(modules, choice, secret)?,
        KeyTrust::from_env(),
        Box::new(HttpFetch::default()),
    )))
}

/// Opens the key without the trust checks (the CLI's plain file signatures, tests). A
/// token's module is one of `modules` named by its id (an empty id: the first module
/// present); a path from the window never reaches the PKCS#11 loader (issue 15).
pub fn open_bare(
    modules: &ModuleList,
    choice: KeyChoice,
    secret: Zeroizing<String>,
) -> Result<Box<dyn Signer>, Error> {
    let source = match choice {
        KeyChoice::Token {
            module,
            token_label,
        } => {
            let chosen = if module.is_empty() {
                modules
                    .default_module()
                    .ok_or(Error::Pkcs11ModuleUnknown { id: module })?
            } else {
                modules.get(&module)?
            };
            KeySource::Token(TokenTarget {
                module: chosen.path.clone(),
                token_label,
            })
        }
        KeyChoice::KeyFile { path } => KeySource::KeyFile(PathBuf::from(path)),
        KeyChoice::NcaLayer { .. } => {
            return Err(Error::BadQuery {
                field: "key",
                reason: "NCALayer is opened with keys::open_key".into(),
            });
        }
    };
    Ok(signing::open_signer(&source, secret)?)
}

/// The tokens of every module present, with their certificates, for the signing dialog.
/// No PIN. A module that fails to load is skipped while another answers; when none
/// does, the first failure is the answer.
pub fn tokens(modules: &ModuleList) -> Result<Vec<TokenView>, Error> {
    let mut all = Vec::new();
    let mut first_error = None;
    let mut answered = false;
    for m in modules.present() {
        match module_tokens(m) {
            Ok(list) => {
                answered = true;
                all.extend(list);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if !answered => Err(e),
        _ => Ok(all),
    }
}

/// The tokens one module sees (the settings screen's «test»).
pub fn module_tokens(module: &Pkcs11Module) -> Result<Vec<TokenView>, Error> {
    let id = module.id.clone();
    let module = module.path.clone();
    let listings = signing::list_tokens(&module)?;
    Ok(listings
        .into_iter()
        // An empty slot's token that was never initialised (SoftHSM2 always has one) holds
        // no key: the signing dialog does not offer it.
        .filter(|t| t.flags.initialized)
        .map(|t| TokenView {
            module: id.clone(),
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

/// Where NCALayer is and what the desk trusts of it (issue 14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NcaLayerSettings {
    pub port: u16,
    /// The roots NCALayer's TLS certificate must chain to (DER).
    pub tls_roots: Vec<Vec<u8>>,
    /// The CA certificates a signature NCALayer returns must chain to (DER).
    pub trust: Vec<Vec<u8>>,
    pub connect_timeout: Duration,
    pub answer_timeout: Duration,
}

impl NcaLayerSettings {
    /// NCALayer on its own port (13579), 2 s to answer the probe, 5 minutes for the clerk
    /// in its window; `nca_roots` (NCA's certificates) anchor both its TLS certificate
    /// and the signatures it returns.
    pub fn standard(nca_roots: Vec<Vec<u8>>) -> NcaLayerSettings {
        let layer = signing::NcaLayer::new(nca_roots.clone());
        NcaLayerSettings {
            port: layer.port,
            tls_roots: nca_roots.clone(),
            trust: nca_roots,
            connect_timeout: layer.connect_timeout,
            answer_timeout: layer.answer_timeout,
        }
    }

    /// The test overrides (debug builds only: the shell calls this under
    /// `cfg(debug_assertions)`): `QABYLDAU_NCALAYER_PORT`, `QABYLDAU_NCALAYER_TLS_ROOT`
    /// (the simulator's TLS root, PEM or DER, instead of NCA's) and
    /// `QABYLDAU_NCALAYER_TRUST_CA` (a CA whose signatures are accepted besides NCA's).
    /// `var` reads one variable.
    pub fn with_test_overrides(
        mut self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<NcaLayerSettings, Error> {
        let read = |path: &str| -> Result<Vec<Vec<u8>>, Error> {
            let bytes = std::fs::read(path).map_err(|e| Error::DocumentUnreadable {
                path: path.to_string(),
                detail: e.to_string(),
            })?;
            Ok(signing::certificates_from_pem_or_der(&bytes)?)
        };
        if let Some(port) = var("QABYLDAU_NCALAYER_PORT").filter(|p| !p.is_empty()) {
            self.port = port.trim().parse().map_err(|_| Error::BadQuery {
                field: "QABYLDAU_NCALAYER_PORT",
                reason: format!("{port:?} is not a port"),
            })?;
        }
        if let Some(path) = var("QABYLDAU_NCALAYER_TLS_ROOT").filter(|p| !p.is_empty()) {
            self.tls_roots = read(&path)?;
        }
        if let Some(path) = var("QABYLDAU_NCALAYER_TRUST_CA").filter(|p| !p.is_empty()) {
            self.trust.extend(read(&path)?);
        }
        Ok(self)
    }

    pub(crate) fn layer(&self) -> signing::NcaLayer {
        signing::NcaLayer {
            port: self.port,
            tls_roots: self.tls_roots.clone(),
            connect_timeout: self.connect_timeout,
            answer_timeout: self.answer_timeout,
        }
    }
}

/// NCA's certificates that NCALayer's TLS certificate chains to: the bundled production
/// ones (`assets/pki/`, issue 10).
pub fn nca_roots() -> Vec<Vec<u8>> {
    signing::trust::nca_production()
}

impl NcaLayerSettings {
    /// NCALayer on this PC: its own port, NCA's roots for its TLS certificate, and the
    /// desk's key trust ([`KeyTrust::from_env`]) for the signatures it returns.
    pub fn for_this_pc() -> NcaLayerSettings {
        let mut settings = NcaLayerSettings::standard(nca_roots());
        settings.trust = KeyTrust::from_env().anchors;
        settings
    }
}

/// NCALayer's version when it answers on its port with NCA's certificate, else `None`:
/// the signing dialog asks this when it opens.
pub fn ncalayer_available(settings: &NcaLayerSettings) -> Option<String> {
    settings.layer().available()
}

/// The key of one signing session: held by the desk, or NCALayer.
pub enum KeyInUse {
    Held(Box<dyn Signer>),
    NcaLayer(CheckedNcaLayer),
}

impl std::fmt::Debug for KeyInUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyInUse::Held(s) => write!(f, "Held({})", s.certificate().subject),
            KeyInUse::NcaLayer(n) => write!(f, "NcaLayer(127.0.0.1:{})", n.layer.layer.port),
        }
    }
}

impl DecisionSigner for KeyInUse {
    fn sign_decision(
        &self,
        clerk_iin: &Iin,
        canonical: &[u8],
        now: OffsetDateTime,
    ) -> Result<SignedDecision, SignError> {
        match self {
            KeyInUse::Held(signer) => signer.as_ref().sign_decision(clerk_iin, canonical, now),
            KeyInUse::NcaLayer(layer) => layer.sign_decision(clerk_iin, canonical, now),
        }
    }
}

/// Opens the key the clerk chose, NCALayer included. The secret is consumed (NCALayer
/// needs none).
pub fn open_key(
    modules: &ModuleList,
    choice: KeyChoice,
    secret: Zeroizing<String>,
    ncalayer: &NcaLayerSettings,
) -> Result<KeyInUse, Error> {
    match choice {
        KeyChoice::NcaLayer { locale } => Ok(KeyInUse::NcaLayer(CheckedNcaLayer::new(
            NcaLayerSigner {
                layer: ncalayer.layer(),
                trust: ncalayer.trust.clone(),
                locale: Lang::from_code(&locale).unwrap_or(Lang::Kk),
                school_bin: None,
            },
            Box::new(HttpFetch::default()),
        ))),
        other => Ok(KeyInUse::Held(open_signer(modules, other, secret)?)),
    }
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
    /// The school's BIN, when known: an organisation certificate must be the school's.
    school_bin: Option<String>,
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
            school_bin: None,
        }
    }

    /// The same key, held to the school's BIN (an organisation certificate's `OU=BIN…`).
    pub fn for_school(mut self, bin: &str) -> CheckedKey {
        self.school_bin = Some(bin.to_string());
        self
    }
}

/// The rules every signature of a decision passes at the desk, whoever made it — a key
/// the desk holds ([`CheckedKey`], before it signs) or NCALayer ([`CheckedNcaLayer`],
/// after it answered; issue 14, "never trust what comes back"): the certificate's chain
/// to a trusted NCA certificate at the signing time (`CERTIFICATE_UNTRUSTED`), its
/// revocation (OCSP, else CRL + delta CRL: revoked → `CERTIFICATE_REVOKED` with the date;
/// nothing reachable → the decision is marked "revocation not checked yet"), and, when
/// the school's BIN is known, an organisation certificate's BIN (`OU=BIN…`) must be it.
/// The person rules (valid, a signing key, the clerk's IIN) are
/// [`signing::check_for_decision`], on both paths too.
pub fn check_signature_certificate(
    facts: &signing::CertificateFacts,
    anchors: &[Vec<u8>],
    school_bin: Option<&str>,
    at: OffsetDateTime,
    fetch: &dyn Fetch,
) -> Result<Revocation, signing::Error> {
    let path = signing::verify_chain(&facts.der, &[], anchors, at)?;
    if let (Some(expected), Some(bin)) = (school_bin, &facts.bin)
        && expected != bin
    {
        return Err(signing::Error::CertificateUntrusted {
            detail: format!("BIN {bin} is not the school's {expected}"),
        });
    }
    let revocation = match path.get(1) {
        Some(issuer) => signing::revocation::check_revocation(facts, &issuer.der, at, fetch),
        None => Revocation::NoSource,
    };
    if let Revocation::Revoked { .. } = revocation {
        return revocation.into_result().map(|_| Revocation::NoSource);
    }
    Ok(revocation)
}

/// NCALayer as the signer of decisions, its answers held to [`check_signature_certificate`]
/// like a key the desk holds: [`NcaLayerSigner`] verifies the CMS over the bytes sent,
/// its chain and the person rules; then the chain, the BIN and revocation are checked
/// here. Refused → nothing is recorded.
pub struct CheckedNcaLayer {
    pub layer: NcaLayerSigner,
    fetch: Box<dyn Fetch>,
}

impl std::fmt::Debug for CheckedNcaLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedNcaLayer")
            .field("layer", &self.layer)
            .finish_non_exhaustive()
    }
}

impl CheckedNcaLayer {
    pub fn new(layer: NcaLayerSigner, fetch: Box<dyn Fetch>) -> CheckedNcaLayer {
        CheckedNcaLayer { layer, fetch }
    }
}

impl DecisionSigner for CheckedNcaLayer {
    fn sign_decision(
        &self,
        clerk_iin: &Iin,
        canonical: &[u8],
        now: OffsetDateTime,
    ) -> Result<SignedDecision, SignError> {
        let signed = self.layer.sign_decision(clerk_iin, canonical, now)?;
        let revocation = check_signature_certificate(
            &signed.signer,
            &self.layer.trust,
            self.layer.school_bin.as_deref(),
            now,
            &*self.fetch,
        )
        .map_err(signing::NcaLayerError::SignatureRefused)?;
        Ok(SignedDecision {
            revocation: Some(revocation),
            ..signed
        })
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
        let revocation = check_signature_certificate(
            self.inner.certificate(),
            &self.trust.anchors,
            self.school_bin.as_deref(),
            signing_time,
            &*self.fetch,
        )?;
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
    revocation_text(signer.revocation().as_ref())
}

/// [`revocation_note`] of what a [`DecisionSigner`] reported.
pub fn revocation_text(revocation: Option<&Revocation>) -> &'static str {
    match revocation {
        Some(Revocation::Good { by }) => match by {
            signing::revocation::RevocationSource::Ocsp => "checked (OCSP)",
            signing::revocation::RevocationSource::Crl => "checked (CRL)",
        },
        Some(Revocation::NoSource) => "no revocation service named",
        _ => REVOCATION_NOT_CHECKED,
    }
}

/// What [`revocation_text`] records for a key used before NCA's OCSP/CRL answered.
const REVOCATION_NOT_CHECKED: &str = "not checked yet";

/// Whether a history entry's recorded revocation text (see [`revocation_text`]) says the
/// key was used before its revocation could be checked.
pub fn revocation_unchecked(recorded: Option<&str>) -> bool {
    recorded == Some(REVOCATION_NOT_CHECKED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ncalayer_test_overrides_change_only_what_is_set() {
        let standard = NcaLayerSettings::standard(vec![vec![1]]);
        assert_eq!(standard.port, 13579);
        assert_eq!(standard.tls_roots, vec![vec![1]]);
        let same = standard.clone().with_test_overrides(|_| None).unwrap();
        assert_eq!(same, standard);

        let dir = tempfile::tempdir().unwrap();
        let ca = signing::testkit::TestCa::new("Test root");
        let pem = dir.path().join("root.pem");
        ca.write_pem(&pem);
        let pem_path = pem.display().to_string();
        let changed = standard
            .clone()
            .with_test_overrides(|name| match name {
                "QABYLDAU_NCALAYER_PORT" => Some("40123".into()),
                "QABYLDAU_NCALAYER_TLS_ROOT" | "QABYLDAU_NCALAYER_TRUST_CA" => {
                    Some(pem_path.clone())
                }
                _ => None,
            })
            .unwrap();
        assert_eq!(changed.port, 40123);
        assert_eq!(changed.tls_roots, vec![ca.cert_der()]);
        assert_eq!(changed.trust, vec![vec![1], ca.cert_der()]);

        let bad = standard
            .clone()
            .with_test_overrides(|n| (n == "QABYLDAU_NCALAYER_PORT").then(|| "x".into()));
        assert_eq!(bad.unwrap_err().code(), "BAD_QUERY");
        let missing = standard.with_test_overrides(|n| {
            (n == "QABYLDAU_NCALAYER_TLS_ROOT").then(|| "/nope.pem".into())
        });
        assert_eq!(missing.unwrap_err().code(), "DOCUMENT_UNREADABLE");
    }

    #[test]
    fn ncalayer_is_not_a_held_key() {
        let opened = open_signer(
            &ModuleList::default(),
            KeyChoice::NcaLayer {
                locale: "kk".into(),
            },
            Zeroizing::new(String::new()),
        );
        assert_eq!(opened.err().map(|e| e.code()), Some("BAD_QUERY"));
    }
}
