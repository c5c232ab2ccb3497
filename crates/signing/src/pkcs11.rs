//! Hardware tokens through PKCS#11 (cryptoki): listing slots, tokens and their
//! certificates without a PIN, and [`Pkcs11Signer`], which logs in once per signing session
//! and keeps the (not `Sync`) cryptoki `Session` on one dedicated thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, mpsc};
use std::thread::JoinHandle;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use zeroize::Zeroizing;

use crate::{CertificateFacts, Error, KeyAlgorithm, KeyPurpose, PinFlags, Signer};

/// Where to find a token: the vendor's PKCS#11 module and the token's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenTarget {
    pub module: PathBuf,
    pub token_label: String,
}

/// Known PKCS#11 modules of this OS, most specific first: SoftHSM2 and OpenSC (which drives
/// many smart cards). Vendor modules (Kaztoken and others) are installed with the token's
/// driver; their path goes into the configuration.
pub fn known_module_paths() -> Vec<PathBuf> {
    let candidates: &[&str] = if cfg!(windows) {
        &[
            r"C:\SoftHSM2\lib\softhsm2-x64.dll",
            r"C:\Windows\System32\opensc-pkcs11.dll",
        ]
    } else if cfg!(target_os = "macos") {
        &[
            "/usr/local/lib/softhsm/libsofthsm2.so",
            "/Library/OpenSC/lib/opensc-pkcs11.so",
        ]
    } else {
        &[
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
            "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so",
        ]
    };
    candidates.iter().map(PathBuf::from).collect()
}

/// The modules of [`known_module_paths`] that exist on this machine.
pub fn installed_module_paths() -> Vec<PathBuf> {
    known_module_paths()
        .into_iter()
        .filter(|p| p.exists())
        .collect()
}

/// A PKCS#11 module is initialised once per process and stays loaded: `C_Initialize` is
/// process-wide, and finalising it under another user of the same module would break them.
pub(crate) fn module(path: &Path) -> Result<Pkcs11, Error> {
    static MODULES: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    let mut modules = MODULES
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(m) = modules.get(path) {
        return Ok(m.clone());
    }
    let load_failed = |detail: String| Error::ModuleLoadFailed {
        path: path.display().to_string(),
        detail,
    };
    let pkcs11 = Pkcs11::new(path).map_err(|e| load_failed(e.to_string()))?;
    match pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(load_failed(e.to_string())),
    }
    modules.insert(path.to_path_buf(), pkcs11.clone());
    Ok(pkcs11)
}

/// Errors that mean the token is gone (pulled out, or its reader stopped answering).
fn is_removal(rv: RvError) -> bool {
    matches!(
        rv,
        RvError::DeviceRemoved
            | RvError::TokenNotPresent
            | RvError::TokenNotRecognized
            | RvError::SessionHandleInvalid
            | RvError::SessionClosed
            | RvError::SlotIdInvalid
            | RvError::DeviceError
    )
}

pub(crate) fn map_ck(e: CkError) -> Error {
    match e {
        CkError::Pkcs11(rv, function) if is_removal(rv) => Error::TokenRemoved {
            detail: format!("{function}: {rv:?}"),
        },
        CkError::Pkcs11(rv, function) => Error::Pkcs11Failed {
            function: function.to_string(),
            rv: format!("{rv:?}"),
        },
        other => Error::Pkcs11Failed {
            function: String::new(),
            rv: other.to_string(),
        },
    }
}

/// What a failed `C_Login` means, given the token's PIN flags read right after it.
pub(crate) fn login_error(rv: RvError, flags: PinFlags) -> Error {
    match rv {
        RvError::PinLocked => Error::PinLocked,
        RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange if flags.locked => {
            Error::PinLocked
        }
        RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange => {
            Error::PinIncorrect { flags }
        }
        RvError::UserPinNotInitialized => Error::PinNotInitialized,
        rv if is_removal(rv) => Error::TokenRemoved {
            detail: format!("Login: {rv:?}"),
        },
        rv => Error::Pkcs11Failed {
            function: "Login".into(),
            rv: format!("{rv:?}"),
        },
    }
}

/// Token flags as the listing shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenFlags {
    pub initialized: bool,
    pub login_required: bool,
    pub user_pin_initialized: bool,
    pub pin: PinFlags,
}

/// One certificate object on a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCertificate {
    /// `CKA_LABEL`.
    pub label: String,
    /// `CKA_ID`, lower-case hex; the private key of the pair has the same id.
    pub id_hex: String,
    /// The certificate read, or why it could not be.
    pub facts: Result<CertificateFacts, Error>,
}

/// One slot with a token in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenListing {
    pub slot_id: u64,
    pub slot_description: String,
    pub label: String,
    pub serial: String,
    pub manufacturer: String,
    pub model: String,
    pub flags: TokenFlags,
    pub certificates: Vec<TokenCertificate>,
    /// Why the certificates could not be read, if they could not.
    pub problem: Option<Error>,
}

fn pin_flags(info: &cryptoki::slot::TokenInfo) -> PinFlags {
    PinFlags {
        count_low: info.user_pin_count_low(),
        final_try: info.user_pin_final_try(),
        locked: info.user_pin_locked(),
    }
}

/// Lists the slots that hold a token, with the public certificates on each. No PIN.
pub fn list_tokens(module_path: &Path) -> Result<Vec<TokenListing>, Error> {
    let pkcs11 = module(module_path)?;
    let mut out = Vec::new();
    for slot in pkcs11.get_slots_with_token().map_err(map_ck)? {
        // A token pulled out between the two calls is left out of the list.
        let (Ok(info), Ok(slot_info)) = (pkcs11.get_token_info(slot), pkcs11.get_slot_info(slot))
        else {
            continue;
        };
        let flags = TokenFlags {
            initialized: info.token_initialized(),
            login_required: info.login_required(),
            user_pin_initialized: info.user_pin_initialized(),
            pin: pin_flags(&info),
        };
        // One busy or broken token (say, another program holds a security-officer
        // session on it) must not hide the others: its problem is reported with it.
        let (certificates, problem) = if info.token_initialized() {
            match pkcs11
                .open_ro_session(slot)
                .map_err(map_ck)
                .and_then(|s| certificates_on(&s))
            {
                Ok(certs) => (certs, None),
                Err(e) => (Vec::new(), Some(e)),
            }
        } else {
            (Vec::new(), None)
        };
        out.push(TokenListing {
            slot_id: slot.id(),
            slot_description: slot_info.slot_description().trim().to_string(),
            label: info.label().trim().to_string(),
            serial: info.serial_number().trim().to_string(),
            manufacturer: info.manufacturer_id().trim().to_string(),
            model: info.model().trim().to_string(),
            flags,
            certificates,
            problem,
        });
    }
    Ok(out)
}

struct CertObject {
    id: Vec<u8>,
    listing: TokenCertificate,
}

fn certificate_objects(session: &Session) -> Result<Vec<CertObject>, Error> {
    let handles = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .map_err(map_ck)?;
    let mut out = Vec::new();
    for handle in handles {
        let attrs = session
            .get_attributes(
                handle,
                &[
                    AttributeType::Value,
                    AttributeType::Id,
                    AttributeType::Label,
                ],
            )
            .map_err(map_ck)?;
        let (mut value, mut id, mut label) = (Vec::new(), Vec::new(), String::new());
        for a in attrs {
            match a {
                Attribute::Value(v) => value = v,
                Attribute::Id(v) => id = v,
                Attribute::Label(v) => label = String::from_utf8_lossy(&v).into_owned(),
                _ => {}
            }
        }
        out.push(CertObject {
            listing: TokenCertificate {
                label,
                id_hex: hex::encode(&id),
                facts: CertificateFacts::from_der(&value),
            },
            id,
        });
    }
    Ok(out)
}

fn certificates_on(session: &Session) -> Result<Vec<TokenCertificate>, Error> {
    Ok(certificate_objects(session)?
        .into_iter()
        .map(|c| c.listing)
        .collect())
}

fn find_slot(pkcs11: &Pkcs11, label: &str) -> Result<Slot, Error> {
    for slot in pkcs11.get_slots_with_token().map_err(map_ck)? {
        if token_present(pkcs11, slot, label) {
            return Ok(slot);
        }
    }
    Err(Error::TokenNotFound {
        label: label.to_string(),
    })
}

/// Which certificate on a token signs: an RSA signing certificate first (NCA tokens carry an
/// authentication and a signing pair), then any RSA certificate, then anything (so that a
/// GOST-only token gets the GOST message rather than "no certificate").
fn rank(facts: &CertificateFacts) -> u8 {
    match (&facts.key_algorithm, facts.key_purpose) {
        (KeyAlgorithm::Rsa { .. }, KeyPurpose::Signing) => 0,
        (KeyAlgorithm::Rsa { .. }, _) => 1,
        _ => 2,
    }
}

struct SignRequest {
    message: Vec<u8>,
    reply: mpsc::SyncSender<Result<Vec<u8>, Error>>,
}

/// A signer whose key never leaves a PKCS#11 token. [`Pkcs11Signer::open`] logs in with
/// the PIN (kept only until `C_Login` returns, in zeroizing memory); dropping the signer logs
/// out and closes the session.
#[derive(Debug)]
pub struct Pkcs11Signer {
    facts: CertificateFacts,
    requests: Option<mpsc::Sender<SignRequest>>,
    worker: Option<JoinHandle<()>>,
}

impl Pkcs11Signer {
    /// Finds the token, logs in, picks the signing certificate and its private key.
    pub fn open(target: &TokenTarget, pin: Zeroizing<String>) -> Result<Pkcs11Signer, Error> {
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Result<CertificateFacts, Error>>(1);
        let (req_tx, req_rx) = mpsc::channel::<SignRequest>();
        let target = target.clone();
        let worker = std::thread::Builder::new()
            .name("pkcs11-signer".into())
            .spawn(move || {
                let opened = open_session(&target, pin);
                let (session, key, mechanism, slot, pkcs11) = match opened {
                    Ok((session, key, mechanism, facts, slot, pkcs11)) => {
                        if ready_tx.send(Ok(facts)).is_err() {
                            return;
                        }
                        (session, key, mechanism, slot, pkcs11)
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                for request in req_rx {
                    let result =
                        sign_on_token(&session, key, mechanism, &request.message).map_err(|e| {
                            // A token that was pulled out fails in vendor-specific ways
                            // (SoftHSM2 says CKR_GENERAL_ERROR): ask whether it is still there.
                            if token_present(&pkcs11, slot, &target.token_label) {
                                map_ck(e)
                            } else {
                                Error::TokenRemoved {
                                    detail: e.to_string(),
                                }
                            }
                        });
                    let _ = request.reply.send(result);
                }
                // The channel closed: the signing session is over.
                let _ = session.logout();
            })
            .map_err(|e| Error::SigningFailed {
                detail: e.to_string(),
            })?;
        let facts = ready_rx.recv().map_err(|_| Error::SigningFailed {
            detail: "PKCS#11 thread stopped".into(),
        })?;
        match facts {
            Ok(facts) => Ok(Pkcs11Signer {
                facts,
                requests: Some(req_tx),
                worker: Some(worker),
            }),
            Err(e) => {
                let _ = worker.join();
                Err(e)
            }
        }
    }
}

#[derive(Clone, Copy)]
enum TokenMechanism {
    /// CKM_SHA256_RSA_PKCS: the token hashes.
    Sha256RsaPkcs,
    /// CKM_RSA_PKCS over a DigestInfo we build, for tokens without the combined mechanism.
    RsaPkcs,
}

fn open_session(
    target: &TokenTarget,
    pin: Zeroizing<String>,
) -> Result<
    (
        Session,
        ObjectHandle,
        TokenMechanism,
        CertificateFacts,
        Slot,
        Pkcs11,
    ),
    Error,
> {
    let pkcs11 = module(&target.module)?;
    let slot = find_slot(&pkcs11, &target.token_label)?;
    let session = pkcs11.open_ro_session(slot).map_err(map_ck)?;
    let auth = AuthPin::from(String::from(pin.as_str()));
    drop(pin);
    let login = |session: &Session| match session.login(UserType::User, Some(&auth)) {
        Ok(()) => Ok(()),
        Err(CkError::Pkcs11(rv, _)) => {
            let flags = pkcs11
                .get_token_info(slot)
                .map(|i| pin_flags(&i))
                .unwrap_or_default();
            Err((rv, flags))
        }
        Err(_) => Err((RvError::GeneralError, PinFlags::default())),
    };
    match login(&session) {
        Ok(()) => {}
        // Another signer of this process is logged in (PKCS#11 log-in is per token, not per
        // session): log out and in again so that this PIN is checked.
        Err((RvError::UserAlreadyLoggedIn, _)) => {
            let _ = session.logout();
            login(&session).map_err(|(rv, flags)| login_error(rv, flags))?;
        }
        Err((rv, flags)) => return Err(login_error(rv, flags)),
    }
    drop(auth);

    let mut certs: Vec<(CertificateFacts, Vec<u8>)> = certificate_objects(&session)?
        .into_iter()
        .filter_map(|c| c.listing.facts.ok().map(|f| (f, c.id)))
        .collect();
    certs.sort_by_key(|(f, _)| rank(f));
    let (facts, id) = certs
        .into_iter()
        .next()
        .ok_or_else(|| Error::NoCertificateOnToken {
            label: target.token_label.clone(),
        })?;
    match &facts.key_algorithm {
        KeyAlgorithm::Rsa { .. } => {}
        other => {
            // NCA's GOST tokens are driven over PC/SC by NCA's own software; a PKCS#11 module
            // that offers no GOST mechanism cannot reach their keys.
            crate::SignatureAlgorithm::for_key(other)?;
            return Err(Error::TokenKeyUnreachable {
                label: target.token_label.clone(),
                algorithm: other.name(),
            });
        }
    }
    let mut keys = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::KeyType(KeyType::RSA),
            Attribute::Id(id),
        ])
        .map_err(map_ck)?;
    if keys.is_empty() {
        // Some tokens write keys without CKA_ID; one RSA key is unambiguous.
        let all = session
            .find_objects(&[
                Attribute::Class(ObjectClass::PRIVATE_KEY),
                Attribute::KeyType(KeyType::RSA),
            ])
            .map_err(map_ck)?;
        if all.len() == 1 {
            keys = all;
        }
    }
    let key = keys.into_iter().next().ok_or(Error::NoPrivateKey)?;
    let mechanisms = pkcs11.get_mechanism_list(slot).map_err(map_ck)?;
    let mechanism = if mechanisms.contains(&MechanismType::SHA256_RSA_PKCS) {
        TokenMechanism::Sha256RsaPkcs
    } else {
        TokenMechanism::RsaPkcs
    };
    Ok((session, key, mechanism, facts, slot, pkcs11))
}

fn token_present(pkcs11: &Pkcs11, slot: Slot, label: &str) -> bool {
    pkcs11
        .get_token_info(slot)
        .map(|i| i.label().trim() == label.trim())
        .unwrap_or(false)
}

/// DER prefix of DigestInfo { sha256, OCTET STRING (32) } (RFC 8017 §9.2 note 1).
const SHA256_DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

fn sign_on_token(
    session: &Session,
    key: ObjectHandle,
    mechanism: TokenMechanism,
    message: &[u8],
) -> Result<Vec<u8>, CkError> {
    match mechanism {
        TokenMechanism::Sha256RsaPkcs => session.sign(&Mechanism::Sha256RsaPkcs, key, message),
        TokenMechanism::RsaPkcs => {
            let mut digest_info = SHA256_DIGEST_INFO_PREFIX.to_vec();
            digest_info.extend_from_slice(&openssl::sha::sha256(message));
            session.sign(&Mechanism::RsaPkcs, key, &digest_info)
        }
    }
}

impl Signer for Pkcs11Signer {
    fn certificate(&self) -> &CertificateFacts {
        &self.facts
    }

    fn sign_signed_attributes(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        let stopped = || Error::TokenRemoved {
            detail: "PKCS#11 thread stopped".into(),
        };
        let requests = self.requests.as_ref().ok_or_else(stopped)?;
        let (reply_tx, reply_rx) = mpsc::sync_channel(1);
        requests
            .send(SignRequest {
                message: message.to_vec(),
                reply: reply_tx,
            })
            .map_err(|_| stopped())?;
        reply_rx.recv().map_err(|_| stopped())?
    }
}

impl Drop for Pkcs11Signer {
    fn drop(&mut self) {
        // Closing the channel ends the worker's loop; it logs out and closes the session.
        self.requests.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_failures_map_to_codes_with_the_token_flags() {
        let none = PinFlags::default();
        let low = PinFlags {
            count_low: true,
            ..none
        };
        let last = PinFlags {
            count_low: true,
            final_try: true,
            locked: false,
        };
        let locked = PinFlags {
            locked: true,
            ..none
        };
        let cases = [
            (RvError::PinIncorrect, none, "PIN_INCORRECT"),
            (RvError::PinIncorrect, low, "PIN_INCORRECT"),
            (RvError::PinIncorrect, last, "PIN_INCORRECT"),
            (RvError::PinIncorrect, locked, "PIN_LOCKED"),
            (RvError::PinLenRange, none, "PIN_INCORRECT"),
            (RvError::PinLocked, none, "PIN_LOCKED"),
            (RvError::UserPinNotInitialized, none, "PIN_NOT_INITIALIZED"),
            (RvError::DeviceRemoved, none, "TOKEN_REMOVED"),
            (RvError::TokenNotPresent, none, "TOKEN_REMOVED"),
            (RvError::GeneralError, none, "PKCS11_FAILED"),
        ];
        for (rv, flags, code) in cases {
            let e = login_error(rv, flags);
            assert_eq!(e.code(), code, "{rv:?} {flags:?}");
            if let Error::PinIncorrect { flags: got } = e {
                assert_eq!(got, flags);
            }
        }
    }
}
