//! The journal key wrapped for a clerk's **authentication key** (EDS sign-in, R-1, issue
//! 16), beside the password envelopes.
//!
//! A key the desk holds (a PKCS#11 token, an `.p12`) signs the envelope's random
//! challenge; when its signatures are deterministic (RSA PKCS#1 v1.5: the same bytes
//! give the same signature, which only the key's holder can make) that signature is the
//! secret: SHA-256 of a label and the signature is the key that seals the journal key
//! with XChaCha20-Poly1305, the associated data binding the envelope to the IIN, the
//! journal's key id and the certificate. So an offline EDS sign-in is, like the
//! password's, one mechanism: the token and its PIN (or the key file and its password)
//! open the journal, nothing is compared with a stored value.
//!
//! A key whose signatures are not deterministic (GOST 34.10, randomised per signature)
//! and NCALayer (its CMS carries a signing time) cannot wrap: for them the EDS sign-in
//! falls back to the clerk's password envelope ([`super::unlock`] / [`super::enroll`]),
//! and the sign-in form asks for the password once.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use domain::Iin;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use signing::Signer;
use std::path::Path;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::{
    JournalKey, KEYS_FORMAT, KEYS_VERSION, KeyFile, check_journal_without_keys, damaged, key_id,
    keys_path, random, rfc3339, seal, sealed_parts,
};
use crate::Error;

/// How the sealing key is made from the signature.
const KDF: &str = "signature-sha256";
const AEAD: &str = "xchacha20poly1305";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct EdsEnvelope {
    iin: String,
    /// SHA-256 of the authentication certificate (DER), hex: which key opens it.
    certificate: String,
    kdf: String,
    /// 32 random bytes the key signs, base64.
    challenge: String,
    aead: String,
    nonce: String,
    wrapped: String,
    enrolled_at: String,
}

/// SHA-256 of a certificate, hex.
pub fn certificate_id(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

fn aad(iin: &str, key_id: &str, certificate: &str) -> Vec<u8> {
    format!("{KEYS_FORMAT}|v{KEYS_VERSION}|eds|{iin}|{key_id}|{certificate}|{KDF}|{AEAD}")
        .into_bytes()
}

fn signed_bytes(challenge: &[u8]) -> Vec<u8> {
    let mut m = b"qabyldau journal key envelope|".to_vec();
    m.extend_from_slice(challenge);
    m
}

/// The sealing key from `signer`'s signature over the challenge, or `None` when its
/// signatures are not deterministic (two signatures of the same bytes differ).
fn sealing_key(
    signer: &dyn Signer,
    challenge: &[u8],
) -> Result<Option<Zeroizing<[u8; 32]>>, Error> {
    let bytes = signed_bytes(challenge);
    let first = Zeroizing::new(signer.sign_signed_attributes(&bytes)?);
    let second = Zeroizing::new(signer.sign_signed_attributes(&bytes)?);
    if first != second {
        return Ok(None);
    }
    let mut h = Sha256::new();
    h.update(b"qabyldau eds sealing key");
    h.update(first.as_slice());
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&h.finalize());
    Ok(Some(out))
}

impl KeyFile {
    fn eds_envelope(&self, iin: &Iin, certificate: &str) -> Option<&EdsEnvelope> {
        let iin = iin.to_string();
        self.eds
            .iter()
            .find(|e| e.iin == iin && e.certificate == certificate)
    }

    /// Seals `key` for `iin`'s authentication key; `false` when that key cannot wrap.
    fn wrap_eds(
        &mut self,
        iin: &Iin,
        signer: &dyn Signer,
        key: &JournalKey,
        now: OffsetDateTime,
        path: &Path,
    ) -> Result<bool, Error> {
        let challenge = random::<32>()?;
        let Some(kek) = sealing_key(signer, challenge.as_ref())? else {
            return Ok(false);
        };
        let nonce = random::<24>()?;
        let certificate = certificate_id(&signer.certificate().der);
        let iin_s = iin.to_string();
        let wrapped = seal(
            &kek,
            &nonce,
            key,
            &aad(&iin_s, &self.key_id, &certificate),
            path,
        )?;
        self.eds
            .retain(|e| !(e.iin == iin_s && e.certificate == certificate));
        self.eds.push(EdsEnvelope {
            iin: iin_s,
            certificate,
            kdf: KDF.into(),
            challenge: B64.encode(challenge.as_ref()),
            aead: AEAD.into(),
            nonce: B64.encode(nonce.as_ref()),
            wrapped: B64.encode(wrapped),
            enrolled_at: rfc3339(now),
        });
        Ok(true)
    }

    /// The journal key from an EDS envelope: `Ok(None)` when the key does not open it.
    fn open_eds(
        &self,
        envelope: &EdsEnvelope,
        signer: &dyn Signer,
        path: &Path,
    ) -> Result<Option<JournalKey>, Error> {
        if envelope.kdf != KDF || envelope.aead != AEAD {
            return Err(damaged(path, "unknown algorithm"));
        }
        let challenge = B64
            .decode(&envelope.challenge)
            .map_err(|_| damaged(path, "challenge"))?;
        let (nonce, wrapped) = sealed_parts(&envelope.nonce, &envelope.wrapped, path)?;
        if nonce.len() != 24 || wrapped.len() != 48 {
            return Err(damaged(path, "envelope length"));
        }
        let Some(kek) = sealing_key(signer, &challenge)? else {
            return Ok(None);
        };
        let aad = aad(&envelope.iin, &self.key_id, &envelope.certificate);
        self.unseal(&kek, &nonce, &wrapped, &aad, path)
    }
}

/// What an EDS sign-in found for the journal key.
#[derive(Debug)]
pub enum EdsKeyFound {
    /// The clerk's authentication key opened their envelope (or made the first key).
    Key(JournalKey),
    /// No envelope of this key, or a key that cannot wrap: the password is needed once.
    PasswordNeeded,
}

/// An EDS sign-in of `iin` with the key `signer`: the journal key from this key's
/// envelope; on a desk with no key file yet (and a journal that is not someone's
/// encrypted one) a new key wrapped for it; `unlocked` (a key in hand: the session of a
/// clerk signed in now) wrapped for it. Otherwise [`EdsKeyFound::PasswordNeeded`].
pub fn open_with_key(
    journal: &Path,
    iin: &Iin,
    signer: &dyn Signer,
    unlocked: Option<&JournalKey>,
    now: OffsetDateTime,
) -> Result<EdsKeyFound, Error> {
    let path = keys_path(journal);
    let certificate = certificate_id(&signer.certificate().der);
    let Some(mut file) = KeyFile::read(&path)? else {
        check_journal_without_keys(journal)?;
        let key = JournalKey::from_bytes(random::<32>()?);
        let mut file = KeyFile::new(&key);
        if !file.wrap_eds(iin, signer, &key, now, &path)? {
            return Ok(EdsKeyFound::PasswordNeeded);
        }
        file.write(&path)?;
        return Ok(EdsKeyFound::Key(key));
    };
    if let Some(envelope) = file.eds_envelope(iin, &certificate).cloned()
        && let Some(key) = file.open_eds(&envelope, signer, &path)?
    {
        return Ok(EdsKeyFound::Key(key));
    }
    if let Some(key) = unlocked.filter(|k| key_id(k) == file.key_id)
        && file.wrap_eds(iin, signer, key, now, &path)?
    {
        file.write(&path)?;
        return Ok(EdsKeyFound::Key(key.clone()));
    }
    Ok(EdsKeyFound::PasswordNeeded)
}

/// After the password opened the journal key for an EDS sign-in: the key is wrapped for
/// `signer` too, so the next EDS sign-in needs no password (nothing when it cannot wrap).
pub fn add_key(
    journal: &Path,
    iin: &Iin,
    signer: &dyn Signer,
    key: &JournalKey,
    now: OffsetDateTime,
) -> Result<bool, Error> {
    let path = keys_path(journal);
    let Some(mut file) = KeyFile::read(&path)? else {
        return Ok(false);
    };
    if key_id(key) != file.key_id || !file.wrap_eds(iin, signer, key, now, &path)? {
        return Ok(false);
    }
    file.write(&path)?;
    Ok(true)
}

/// The clerks whose authentication keys open this journal.
pub fn clerks_with_keys(journal: &Path) -> Result<Vec<String>, Error> {
    Ok(KeyFile::read(&keys_path(journal))?
        .map(|f| f.eds.iter().map(|e| e.iin.clone()).collect())
        .unwrap_or_default())
}
