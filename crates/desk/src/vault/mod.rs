//! Who can open the journal file (issue 16, R-1): the journal is encrypted with one
//! random 256-bit [`JournalKey`]; the key is **wrapped for each clerk** who signed in
//! online on this desk, with a key derived from their password by Argon2id (OWASP
//! parameters) and sealed with XChaCha20-Poly1305. The envelopes live beside the journal
//! in `<journal>.keys` ([`keys_path`]): they must be readable before the database opens.
//!
//! - [`enroll`] after a successful ONLINE sign-in: creates the key on first use, or
//!   unwraps this clerk's envelope, or wraps a key already unlocked (another clerk's
//!   session) for this clerk. The portal has just checked the password.
//! - [`unlock`] is the OFFLINE sign-in: the password check and the decryption are one
//!   mechanism — a wrong password does not unwrap. Wrong tries slow down: the waiting
//!   time is recorded per IIN in the key file and carried by the error.
//! - [`change_password`]: the portal's password changed; the old one unwraps once.
//! - [`set_aside`]: a desk nobody can unlock. The portal is the truth of record: the old
//!   journal and its key file are moved aside (never deleted, their unsent outbox
//!   waits for a clerk who can open them), and the next [`enroll`] starts a fresh
//!   journal that the sync fills again.
//!
//! Randomness: keys, salts and nonces come from the operating system's CSPRNG
//! (`getrandom`) — the one place the desk takes randomness itself, because a key must
//! never come from a caller's seeded generator. Time is passed in.

use crate::{Desk, Error};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use domain::Iin;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

pub mod eds;

pub use secrecy::{ExposeSecret, SecretString};
pub use store::{FileKind, JournalKey, file_kind};

/// The key file's `format` and `version`; a newer version is refused, never rewritten.
pub const KEYS_FORMAT: &str = "qabyldau-journal-keys";
pub const KEYS_VERSION: u32 = 1;

/// Argon2id cost. OWASP's password storage cheat sheet lists m = 19 MiB, t = 2 as the
/// minimum; we spend more memory (64 MiB, t = 3, p = 1: RFC 9106's second
/// recommendation at one lane) since an offline sign-in is rare and may take a few
/// hundred milliseconds (BENCHMARKS.md). Stored in each envelope, so raising them later
/// rewraps at the clerk's next sign-in.
pub const KDF: KdfCost = KdfCost {
    m_kib: 64 * 1024,
    t: 3,
    p: 1,
};

/// Argon2id parameters of one envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfCost {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

/// Consecutive wrong passwords that cost nothing (a typo or two).
const FREE_TRIES: u32 = 2;
/// The first wait, doubled with each further wrong password, up to [`MAX_WAIT_SECS`].
const FIRST_WAIT_SECS: i64 = 5;
const MAX_WAIT_SECS: i64 = 15 * 60;

/// How long to wait after `failures` consecutive wrong passwords.
pub fn wait_after(failures: u32) -> time::Duration {
    if failures <= FREE_TRIES {
        return time::Duration::ZERO;
    }
    let doublings = (failures - FREE_TRIES - 1).min(16);
    time::Duration::seconds((FIRST_WAIT_SECS << doublings).min(MAX_WAIT_SECS))
}

/// `<journal>.keys` beside `journal.sqlite` (`journal.keys`).
pub fn keys_path(journal: &Path) -> PathBuf {
    if journal.extension().is_some_and(|e| e == "keys") {
        let mut s = journal.as_os_str().to_owned();
        s.push(".keys");
        return PathBuf::from(s);
    }
    journal.with_extension("keys")
}

/// A clerk who can open this journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolledClerk {
    pub iin: Iin,
    pub enrolled_at: OffsetDateTime,
    /// Until when an offline sign-in is refused after wrong passwords (none: now).
    pub wait_until: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeyFile {
    format: String,
    version: u32,
    /// Tells whether a given key is this journal's without opening it: the first 16
    /// bytes of SHA-256("qabyldau journal key id" ‖ key), hex. Reveals nothing of a
    /// random 256-bit key.
    key_id: String,
    clerks: Vec<Envelope>,
    #[serde(default)]
    tries: Vec<Tries>,
    /// Envelopes for clerks' authentication keys (EDS sign-in, [`eds`]); absent in a
    /// file no EDS sign-in touched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    eds: Vec<eds::EdsEnvelope>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Envelope {
    iin: String,
    kdf: Kdf,
    /// "xchacha20poly1305"
    aead: String,
    nonce: String,
    /// The journal key sealed with the Argon2id key; the associated data binds it to
    /// this IIN, this journal key id and these parameters ([`aad`]).
    wrapped: String,
    enrolled_at: String,
    updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kdf {
    /// "argon2id", version 0x13
    alg: String,
    #[serde(flatten)]
    cost: KdfCost,
    salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Tries {
    iin: String,
    failures: u32,
    last_at: String,
    wait_until: String,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

fn damaged(path: &Path, detail: impl Into<String>) -> Error {
    Error::KeysDamaged {
        path: path.display().to_string(),
        detail: detail.into(),
    }
}

fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, Error> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut()).map_err(|e| Error::JournalUnreachable {
        detail: format!("no randomness from the operating system: {e}"),
    })?;
    Ok(bytes)
}

fn key_id(key: &JournalKey) -> String {
    let mut h = Sha256::new();
    h.update(b"qabyldau journal key id");
    h.update(key.expose());
    hex::encode(&h.finalize()[..16])
}

fn aad(iin: &str, key_id: &str, cost: &KdfCost) -> Vec<u8> {
    format!(
        "{KEYS_FORMAT}|v{KEYS_VERSION}|{iin}|{key_id}|argon2id-13|{}|{}|{}|xchacha20poly1305",
        cost.m_kib, cost.t, cost.p
    )
    .into_bytes()
}

fn derive(
    password: &SecretString,
    salt: &[u8],
    cost: &KdfCost,
) -> Result<Zeroizing<[u8; 32]>, String> {
    let params = Params::new(cost.m_kib, cost.t, cost.p, Some(32)).map_err(|e| e.to_string())?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.expose_secret().as_bytes(), salt, out.as_mut())
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// An envelope's nonce and sealed key, decoded from base64 (damage when either is not).
fn sealed_parts(nonce: &str, wrapped: &str, path: &Path) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let nonce = B64.decode(nonce).map_err(|_| damaged(path, "nonce"))?;
    let wrapped = B64
        .decode(wrapped)
        .map_err(|_| damaged(path, "wrapped key"))?;
    Ok((nonce, wrapped))
}

/// `key` sealed under `kek` with `nonce`, bound to `aad` (XChaCha20-Poly1305): an
/// envelope's `wrapped`.
fn seal(
    kek: &[u8; 32],
    nonce: &[u8; 24],
    key: &JournalKey,
    aad: &[u8],
    path: &Path,
) -> Result<Vec<u8>, Error> {
    XChaCha20Poly1305::new(kek.into())
        .encrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: key.expose(),
                aad,
            },
        )
        .map_err(|_| damaged(path, "sealing failed"))
}

impl KeyFile {
    fn new(key: &JournalKey) -> KeyFile {
        KeyFile {
            format: KEYS_FORMAT.into(),
            version: KEYS_VERSION,
            key_id: key_id(key),
            clerks: Vec::new(),
            tries: Vec::new(),
            eds: Vec::new(),
        }
    }

    fn read(path: &Path) -> Result<Option<KeyFile>, Error> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Error::JournalUnreachable {
                    detail: format!("{}: {e}", path.display()),
                });
            }
        };
        let file: KeyFile =
            serde_json::from_slice(&bytes).map_err(|e| damaged(path, e.to_string()))?;
        if file.format != KEYS_FORMAT {
            return Err(damaged(path, format!("format {:?}", file.format)));
        }
        if file.version != KEYS_VERSION {
            return Err(Error::KeysNewer {
                path: path.display().to_string(),
                version: file.version,
            });
        }
        Ok(Some(file))
    }

    fn write(&self, path: &Path) -> Result<(), Error> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| damaged(path, e.to_string()))?;
        store::write_private(path, &json).map_err(Error::from)
    }

    fn envelope(&self, iin: &Iin) -> Option<&Envelope> {
        let iin = iin.to_string();
        self.clerks.iter().find(|e| e.iin == iin)
    }

    /// Seals `key` for `iin` with `password`, replacing an envelope of theirs.
    fn wrap(
        &mut self,
        iin: &Iin,
        password: &SecretString,
        key: &JournalKey,
        now: OffsetDateTime,
        path: &Path,
    ) -> Result<(), Error> {
        let salt = random::<16>()?;
        let nonce = random::<24>()?;
        let kek = derive(password, salt.as_ref(), &KDF).map_err(|e| damaged(path, e))?;
        let iin_s = iin.to_string();
        let wrapped = seal(&kek, &nonce, key, &aad(&iin_s, &self.key_id, &KDF), path)?;
        let enrolled_at = self
            .envelope(iin)
            .map(|e| e.enrolled_at.clone())
            .unwrap_or_else(|| rfc3339(now));
        self.clerks.retain(|e| e.iin != iin_s);
        self.clerks.push(Envelope {
            iin: iin_s,
            kdf: Kdf {
                alg: "argon2id".into(),
                cost: KDF,
                salt: B64.encode(salt.as_ref()),
            },
            aead: "xchacha20poly1305".into(),
            nonce: B64.encode(nonce.as_ref()),
            wrapped: B64.encode(wrapped),
            enrolled_at,
            updated_at: rfc3339(now),
        });
        Ok(())
    }

    /// The journal key from `iin`'s envelope: `Ok(None)` when the password does not
    /// open it.
    fn open(
        &self,
        envelope: &Envelope,
        password: &SecretString,
        path: &Path,
    ) -> Result<Option<JournalKey>, Error> {
        if envelope.kdf.alg != "argon2id" || envelope.aead != "xchacha20poly1305" {
            return Err(damaged(path, "unknown algorithm"));
        }
        let salt = B64
            .decode(&envelope.kdf.salt)
            .map_err(|_| damaged(path, "salt"))?;
        let (nonce, wrapped) = sealed_parts(&envelope.nonce, &envelope.wrapped, path)?;
        if nonce.len() != 24 {
            return Err(damaged(path, "nonce length"));
        }
        // A sealed 256-bit key is 32 bytes and a 16-byte tag: anything else is damage,
        // never a wrong password (which would count as a wrong try).
        if wrapped.len() != 48 || salt.len() < 8 {
            return Err(damaged(path, "envelope length"));
        }
        let kek = derive(password, &salt, &envelope.kdf.cost).map_err(|e| damaged(path, e))?;
        let aad = aad(&envelope.iin, &self.key_id, &envelope.kdf.cost);
        self.unseal(&kek, &nonce, &wrapped, &aad, path)
    }

    /// The journal key `wrapped` holds, sealed under `kek` with `nonce` and `aad`:
    /// `Ok(None)` when `kek` does not open it (a wrong password or key); a key of the wrong
    /// length, or another journal's, is damage.
    fn unseal(
        &self,
        kek: &[u8; 32],
        nonce: &[u8],
        wrapped: &[u8],
        aad: &[u8],
        path: &Path,
    ) -> Result<Option<JournalKey>, Error> {
        let Ok(plain) = XChaCha20Poly1305::new(kek.into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: wrapped, aad })
        else {
            return Ok(None);
        };
        let plain = Zeroizing::new(plain);
        let bytes: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| damaged(path, "key length"))?;
        let key = JournalKey::from_bytes(Zeroizing::new(bytes));
        if key_id(&key) != self.key_id {
            return Err(damaged(path, "the envelope holds another journal's key"));
        }
        Ok(Some(key))
    }

    fn waiting(&self, iin: &Iin, now: OffsetDateTime) -> Option<time::Duration> {
        let iin = iin.to_string();
        let t = self.tries.iter().find(|t| t.iin == iin)?;
        let until = parse_time(&t.wait_until)?;
        let left = until - now;
        // A clock set back never makes the wait longer than the longest one.
        (left > time::Duration::ZERO).then(|| left.min(time::Duration::seconds(MAX_WAIT_SECS)))
    }

    fn record_failure(&mut self, iin: &Iin, now: OffsetDateTime) -> time::Duration {
        let iin = iin.to_string();
        let failures = self
            .tries
            .iter()
            .find(|t| t.iin == iin)
            .map_or(0, |t| t.failures)
            .saturating_add(1);
        let wait = wait_after(failures);
        self.tries.retain(|t| t.iin != iin);
        self.tries.push(Tries {
            iin,
            failures,
            last_at: rfc3339(now),
            wait_until: rfc3339(now + wait),
        });
        wait
    }

    /// `true` when there was something to forget.
    fn clear_failures(&mut self, iin: &Iin) -> bool {
        let iin = iin.to_string();
        let before = self.tries.len();
        self.tries.retain(|t| t.iin != iin);
        before != self.tries.len()
    }
}

fn whole_seconds(d: time::Duration) -> u64 {
    let s = d.whole_seconds() + i64::from(d.subsec_nanoseconds() > 0);
    u64::try_from(s).unwrap_or(0)
}

/// An encrypted journal with no key file: nobody on this desk can open it.
fn check_journal_without_keys(journal: &Path) -> Result<(), Error> {
    match store::file_kind(journal)? {
        store::FileKind::Opaque => Err(Error::KeysMissing {
            path: journal.display().to_string(),
        }),
        _ => Ok(()),
    }
}

/// After a successful ONLINE sign-in of `iin` with `password` (the portal checked it):
/// the journal key this clerk opens the journal with, from now on also offline.
///
/// - no key file yet (a new desk, or a plaintext journal to migrate): a new random key,
///   wrapped for this clerk;
/// - this clerk's envelope opens with the password: its key (rewrapped when the
///   Argon2id cost changed; the count of wrong tries forgotten);
/// - `unlocked` (the key of a clerk signed in on this desk now) is this journal's: it is
///   wrapped for this clerk, replacing an envelope of an older password;
/// - otherwise [`Error::PasswordChanged`] (ask for the previous password once:
///   [`change_password`]) or [`Error::KeyHeldByOthers`] (one of them signs in, or
///   [`set_aside`]).
pub fn enroll(
    journal: &Path,
    iin: &Iin,
    password: &SecretString,
    unlocked: Option<&JournalKey>,
    now: OffsetDateTime,
) -> Result<JournalKey, Error> {
    let path = keys_path(journal);
    let Some(mut file) = KeyFile::read(&path)? else {
        check_journal_without_keys(journal)?;
        let key = JournalKey::from_bytes(random::<32>()?);
        let mut file = KeyFile::new(&key);
        file.wrap(iin, password, &key, now, &path)?;
        file.write(&path)?;
        return Ok(key);
    };
    if let Some(envelope) = file.envelope(iin).cloned()
        && let Some(key) = file.open(&envelope, password, &path)?
    {
        let stale = envelope.kdf.cost != KDF;
        if stale {
            file.wrap(iin, password, &key, now, &path)?;
        }
        if file.clear_failures(iin) || stale {
            file.write(&path)?;
        }
        return Ok(key);
    }
    if let Some(key) = unlocked.filter(|k| key_id(k) == file.key_id) {
        file.wrap(iin, password, key, now, &path)?;
        file.clear_failures(iin);
        file.write(&path)?;
        return Ok(key.clone());
    }
    if file.envelope(iin).is_some() {
        return Err(Error::PasswordChanged);
    }
    Err(Error::KeyHeldByOthers {
        clerks: file.clerks.iter().map(|e| e.iin.clone()).collect(),
    })
}

/// The OFFLINE sign-in: `iin`'s envelope opened with `password`. A wrong password is
/// [`Error::WrongPassword`] with the wait it caused; while a wait runs,
/// [`Error::SignInWait`] without trying. A clerk who never signed in online here:
/// [`Error::ClerkNotEnrolled`].
pub fn unlock(
    journal: &Path,
    iin: &Iin,
    password: &SecretString,
    now: OffsetDateTime,
) -> Result<JournalKey, Error> {
    let path = keys_path(journal);
    let Some(mut file) = KeyFile::read(&path)? else {
        check_journal_without_keys(journal)?;
        return Err(Error::ClerkNotEnrolled);
    };
    let Some(envelope) = file.envelope(iin).cloned() else {
        return Err(Error::ClerkNotEnrolled);
    };
    if let Some(left) = file.waiting(iin, now) {
        return Err(Error::SignInWait {
            seconds: whole_seconds(left),
        });
    }
    match file.open(&envelope, password, &path)? {
        Some(key) => {
            if file.clear_failures(iin) {
                file.write(&path)?;
            }
            Ok(key)
        }
        None => {
            let wait = file.record_failure(iin, now);
            file.write(&path)?;
            Err(Error::WrongPassword {
                wait_seconds: whole_seconds(wait),
            })
        }
    }
}

/// The clerk's portal password changed: the previous one unwraps (counted like an
/// offline sign-in), the new one wraps from now on.
pub fn change_password(
    journal: &Path,
    iin: &Iin,
    previous: &SecretString,
    new: &SecretString,
    now: OffsetDateTime,
) -> Result<JournalKey, Error> {
    let key = unlock(journal, iin, previous, now)?;
    let path = keys_path(journal);
    let mut file = KeyFile::read(&path)?.ok_or(Error::ClerkNotEnrolled)?;
    file.wrap(iin, new, &key, now, &path)?;
    file.write(&path)?;
    Ok(key)
}

/// The clerks who can open the journal at `journal`, in the order they enrolled.
pub fn clerks_enrolled(journal: &Path, now: OffsetDateTime) -> Result<Vec<EnrolledClerk>, Error> {
    let path = keys_path(journal);
    let Some(file) = KeyFile::read(&path)? else {
        return Ok(Vec::new());
    };
    file.clerks
        .iter()
        .map(|e| {
            let iin = Iin::parse(&e.iin).map_err(|_| damaged(&path, "an IIN"))?;
            Ok(EnrolledClerk {
                iin,
                enrolled_at: parse_time(&e.enrolled_at).ok_or_else(|| damaged(&path, "a date"))?,
                wait_until: file.waiting(&iin, now).map(|left| now + left),
            })
        })
        .collect()
}

/// Where [`set_aside`] put a journal nobody could open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub journal: PathBuf,
    pub keys: PathBuf,
}

/// A desk nobody can unlock: moves the journal (with its WAL) and its key file aside as
/// `<stem>.set-aside-<UTC time>.<ext>`, nothing deleted — their unsent outbox waits,
/// still encrypted, for a clerk who can open them ([`unlock`] works on the set-aside
/// path; `qabyldau sync --db <it>` pushes its outbox). The next [`enroll`] starts a
/// fresh journal, which the sync fills from the portal (the truth of record).
pub fn set_aside(journal: &Path, now: OffsetDateTime) -> Result<SetAside, Error> {
    let stamp = now
        .to_offset(time::UtcOffset::UTC)
        .format(time::macros::format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_default();
    let stem = journal
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".into());
    let ext = journal
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sqlite".into());
    let aside = journal.with_file_name(format!("{stem}.set-aside-{stamp}.{ext}"));
    let moves = |from: &Path, to: &Path| -> Result<(), Error> {
        match std::fs::rename(from, to) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::JournalUnreachable {
                detail: format!("{} → {}: {e}", from.display(), to.display()),
            }),
        }
    };
    // The key file last: until it moves, the journal it opens is still findable.
    for suffix in ["-wal", "-shm"] {
        let mut from = journal.as_os_str().to_owned();
        from.push(suffix);
        let mut to = aside.as_os_str().to_owned();
        to.push(suffix);
        moves(Path::new(&from), Path::new(&to))?;
    }
    moves(journal, &aside)?;
    let keys = keys_path(&aside);
    moves(&keys_path(journal), &keys)?;
    Ok(SetAside {
        journal: aside,
        keys,
    })
}

/// Journals set aside beside `journal`, oldest first.
pub fn set_aside_journals(journal: &Path) -> Vec<SetAside> {
    let Some(dir) = journal.parent() else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let stem = journal
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!("{stem}.set-aside-");
    let mut found: Vec<SetAside> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_journal = name.starts_with(&prefix)
                && !name.ends_with(".keys")
                && !name.ends_with("-wal")
                && !name.ends_with("-shm");
            is_journal.then(|| {
                let journal = e.path();
                SetAside {
                    keys: keys_path(&journal),
                    journal,
                }
            })
        })
        .collect();
    found.sort_by(|a, b| a.journal.cmp(&b.journal));
    found
}

impl Desk {
    /// Opens the encrypted journal with its key (from [`enroll`] or [`unlock`]),
    /// creating it, migrating a plaintext one once (issue 16), or finishing a migration
    /// a crash interrupted. A key that does not open it: `DB_WRONG_KEY`.
    pub fn open_encrypted(db_path: &Path, key: &JournalKey) -> Result<Desk, Error> {
        Ok(Desk {
            store: store::Store::open_encrypted(db_path, key)?,
            signed_in: None,
            history_broken: std::sync::OnceLock::new(),
        })
    }
}
