//! Sign-in by EDS (R-1, issue 16): the portal's challenge signed with the clerk's
//! **authentication key** — a PKCS#11 token, an `AUTH_RSA_*` / GOST `.p12`, or NCALayer
//! (`extKeyUsageOids` clientAuth) — and the journal key from that key's envelope
//! ([`crate::vault::eds`]), or from the clerk's password envelope where the key cannot
//! wrap (GOST, NCALayer): then the form asks for the password once
//! (`EDS_PASSWORD_NEEDED`).
//!
//! Online the portal verifies the signature and says who it is; the worker then works
//! under the portal session that sign-in made (its token) and, when the portal ends it,
//! stops for a new sign-in. Offline (portal out of reach) the key must open an envelope
//! an earlier online sign-in left on this desk. Unlocking after the lock by EDS: a fresh
//! random challenge signed by the same certificate the session was opened with.

use std::sync::atomic::Ordering;
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use domain::{Iin, Lang};
use signing::{CertificateFacts, KeyPurpose, Signer};
use time::OffsetDateTime;

use super::{Credential, FirstSignIn, Password, Session, SignInMethod, SignedInClerk};
use crate::Error;
use crate::keys::NcaLayerSettings;
use crate::sync_run::{PortalToken, SyncTarget};
use crate::sync_signin;
use crate::vault::JournalKey;
use crate::vault::{self, SecretString, eds::EdsKeyFound};
use crate::views::SessionView;

/// The clerk's authentication key for one sign-in.
pub enum EdsKey {
    /// A token or key file the desk opened with its PIN / password.
    Held(Box<dyn Signer>),
    /// NCALayer: its own window asks for the storage and the PIN.
    NcaLayer {
        settings: NcaLayerSettings,
        locale: Lang,
    },
}

impl EdsKey {
    /// The key the clerk chose on the sign-in form; `secret` is the token's PIN or the
    /// key file's password (NCALayer asks for its own).
    pub fn open(
        modules: &crate::settings::ModuleList,
        choice: crate::views::KeyChoice,
        files: &crate::picked_files::PickedFiles,
        secret: signing::Zeroizing<String>,
        ncalayer: &NcaLayerSettings,
    ) -> Result<EdsKey, Error> {
        match choice {
            crate::views::KeyChoice::NcaLayer { locale } => Ok(EdsKey::NcaLayer {
                settings: ncalayer.clone(),
                locale: Lang::from_code(&locale).unwrap_or(Lang::Kk),
            }),
            other => Ok(EdsKey::Held(crate::keys::open_bare(
                modules, other, files, secret,
            )?)),
        }
    }
}

impl std::fmt::Debug for EdsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EdsKey::Held(s) => write!(f, "Held({})", s.certificate().subject),
            EdsKey::NcaLayer { settings, .. } => write!(f, "NcaLayer(:{})", settings.port),
        }
    }
}

/// An online EDS sign-in the portal accepted, kept over the first sign-in's e-mail step.
pub(super) struct EdsProof {
    /// The journal key, found before the e-mail step so that a key that needs the
    /// password says so at once.
    journal_key: JournalKey,
    certificate: String,
    portal: PortalToken,
}

/// The rules of a key that signs a clerk in, before anything is signed: an algorithm
/// that signs, valid `now`, an authentication key (not the signing one:
/// `EDS_NOT_AUTHENTICATION_KEY`), an owner IIN that is valid. Returns that IIN.
pub fn check_authentication_key(
    facts: &CertificateFacts,
    now: OffsetDateTime,
) -> Result<Iin, Error> {
    signing::SignatureAlgorithm::for_key(&facts.key_algorithm)?;
    if now < facts.not_before {
        return Err(signing::Error::CertificateNotYetValid {
            not_before: facts.not_before,
        }
        .into());
    }
    if now > facts.not_after {
        return Err(signing::Error::CertificateExpired {
            not_after: facts.not_after,
        }
        .into());
    }
    // NCA's AUTH_* certificates: digitalSignature without nonRepudiation (portal-sim
    // holds sign-ins to the same rule).
    if facts.key_purpose != KeyPurpose::Authentication {
        return Err(Error::EdsNotAuthenticationKey);
    }
    match (&facts.owner_iin, &facts.owner_iin_written) {
        (Some(iin), _) => Ok(*iin),
        (None, Some(written)) => Err(signing::Error::CertificateIinInvalid {
            got: format!("IIN{written}"),
        }
        .into()),
        (None, None) => Err(signing::Error::CertificateNoIin.into()),
    }
}

fn random_challenge() -> Result<[u8; 32], Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::JournalUnreachable {
        detail: format!("no randomness from the operating system: {e}"),
    })?;
    Ok(bytes)
}

/// The portal's refusals of an EDS sign-in as the clerk's words.
fn eds_error(e: sync::Error) -> Error {
    match &e {
        sync::Error::SignInRequired { code } => match code.as_str() {
            "CHALLENGE_INVALID" => Error::EdsRefused {
                code: "EDS_CHALLENGE_INVALID",
            },
            "SIGNER_UNKNOWN" => Error::EdsRefused {
                code: "EDS_SIGNER_UNKNOWN",
            },
            _ => Error::EdsRefused {
                code: "EDS_REFUSED",
            },
        },
        _ => Error::from_portal(e),
    }
}

impl NcaLayerSettings {
    /// Sign-in by EDS through NCALayer: `challenge` signed with an authentication key,
    /// verified over those bytes with its chain to the desk's trust.
    pub fn authenticate(
        &self,
        challenge: &[u8],
        iin: Option<&Iin>,
        locale: Lang,
        now: OffsetDateTime,
    ) -> Result<CertificateFacts, Error> {
        let answer = self
            .layer()
            .authenticate(challenge, iin, locale, &self.trust, now)?;
        Ok(answer.signature.signer)
    }
}

impl Session {
    /// Signs in by EDS: with a portal, its challenge signed by `key`; when the
    /// portal is out of reach, the key (or `password`) must open this clerk's envelope.
    /// `password` is needed only when the key cannot open the journal on this desk
    /// (`EDS_PASSWORD_NEEDED`).
    pub fn sign_in_eds(
        &self,
        key: EdsKey,
        password: Option<Password>,
        district_id: Option<&str>,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        let password = password.filter(|p| !p.is_empty());
        if let EdsKey::Held(signer) = &key {
            check_authentication_key(signer.certificate(), now)?;
        }
        let Some(url) = self.config.portal_url.clone() else {
            return self.sign_in_eds_offline(key, password, now, at);
        };
        let (client, challenge) = match sync_signin::eds_challenge(&url) {
            Ok(found) => found,
            Err(e) if e.is_transient() => {
                self.unreachable.store(true, Ordering::Relaxed);
                return self.sign_in_eds_offline(key, password, now, at);
            }
            Err(e) => return Err(Error::Portal(e)),
        };
        let bytes = B64.decode(challenge.trim()).map_err(|_| {
            Error::Portal(sync::Error::Protocol {
                detail: "the EDS challenge is not base64".into(),
            })
        })?;
        let (cms, certificate) = match &key {
            EdsKey::Held(signer) => (
                signer.sign_detached(&bytes, now)?,
                vault::eds::certificate_id(&signer.certificate().der),
            ),
            EdsKey::NcaLayer { settings, locale } => {
                let answer =
                    settings
                        .layer()
                        .authenticate(&bytes, None, *locale, &settings.trust, now)?;
                (
                    answer.cms,
                    vault::eds::certificate_id(&answer.signature.signer.der),
                )
            }
        };
        let (who, session) =
            sync_signin::eds_sign_in(client, &challenge, &cms).map_err(eds_error)?;
        let district = sync_signin::check_district(&who, district_id)?;
        self.unreachable.store(false, Ordering::Relaxed);
        let signer = match &key {
            EdsKey::Held(signer) => Some(signer.as_ref()),
            EdsKey::NcaLayer { .. } => None,
        };
        let journal_key = self.eds_journal_key(&who.iin, signer, password.as_ref(), true, now)?;
        let proof = EdsProof {
            journal_key,
            certificate,
            portal: PortalToken::from_answer(session),
        };
        if !who.email_confirmed {
            let email = who.email.clone();
            self.inner().first = Some(FirstSignIn {
                who,
                district,
                credential: Credential::Eds(Box::new(proof)),
                sent: None,
            });
            return Ok(SessionView {
                state: "email_required".into(),
                email: Some(email),
                ..self.view(at)
            });
        }
        self.finish_eds(who, district, proof, now, at)
    }

    /// The rest of an online EDS sign-in: the journal key, the journal, the desk's memory,
    /// the worker under the portal session the sign-in made.
    pub(super) fn finish_eds(
        &self,
        who: sync_signin::SignedIn,
        district: String,
        proof: EdsProof,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        let iin = who.iin;
        let key = proof.journal_key;
        let desk = self.open_journal(&key, now)?;
        let mut profile = super::DeskProfile::load(&self.config.journal);
        profile.remember(&iin, &who.name, &super::rfc3339(now), &district);
        if !who.districts.is_empty() {
            profile.districts = who.districts.clone();
        }
        profile.save(&self.config.journal)?;
        let clerk = SignedInClerk::new(iin, who.name, SignInMethod::Eds);
        let target = self.config.portal_url.as_deref().map(|url| {
            SyncTarget::new(&self.config.journal, url, &iin, "")
                .with_key(&key)
                .with_portal_session(proof.portal)
        });
        let view = self.begin(desk, clerk, key, target, at)?;
        self.remember_certificate(proof.certificate);
        self.inner().wizard_portal = Some(who.portal);
        Ok(view)
    }

    fn remember_certificate(&self, certificate: String) {
        if let Some(open) = self.inner().open.as_mut() {
            open.eds_certificate = Some(certificate);
        }
    }

    /// The journal key for an EDS sign-in of `iin`: the key's own envelope (or a new key
    /// on a new desk, or the key in hand, wrapped for it); otherwise the password's
    /// envelope — checked by the portal when `online` and this clerk has none here — and
    /// then the key is wrapped too, so the next EDS sign-in needs no password.
    fn eds_journal_key(
        &self,
        iin: &Iin,
        signer: Option<&dyn Signer>,
        password: Option<&Password>,
        online: bool,
        now: OffsetDateTime,
    ) -> Result<JournalKey, Error> {
        let journal = &self.config.journal;
        if !online && !vault::keys_path(journal).exists() {
            return Err(Error::OfflineSignInUnavailable);
        }
        let unlocked = self.key_in_hand();
        if let Some(signer) = signer
            && let EdsKeyFound::Key(key) =
                vault::eds::open_with_key(journal, iin, signer, unlocked.as_ref(), now)?
        {
            return Ok(key);
        }
        let Some(password) = password else {
            return Err(Error::EdsPasswordNeeded);
        };
        let secret = SecretString::from(password.expose());
        let key = match vault::unlock(journal, iin, &secret, now) {
            Ok(key) => key,
            Err(Error::ClerkNotEnrolled) if online => {
                let url = self.config.portal_url.as_deref().unwrap_or_default();
                sync_signin::check_sign_in(url, iin, password.expose())
                    .map_err(Error::from_portal)?;
                vault::enroll(journal, iin, &secret, unlocked.as_ref(), now)?
            }
            Err(Error::ClerkNotEnrolled) => return Err(Error::OfflineSignInUnavailable),
            Err(e) => return Err(e),
        };
        if let Some(signer) = signer {
            vault::eds::add_key(journal, iin, signer, &key, now)?;
        }
        Ok(key)
    }

    /// EDS with the portal out of reach: the key (or the password) opens this clerk's
    /// envelope left by an earlier online sign-in.
    fn sign_in_eds_offline(
        &self,
        key: EdsKey,
        password: Option<Password>,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        let (iin, certificate, signer) = match &key {
            EdsKey::Held(signer) => (
                check_authentication_key(signer.certificate(), now)?,
                signer.certificate().der.clone(),
                Some(signer.as_ref()),
            ),
            EdsKey::NcaLayer { settings, locale } => {
                let facts = settings.authenticate(&random_challenge()?, None, *locale, now)?;
                (check_authentication_key(&facts, now)?, facts.der, None)
            }
        };
        let journal_key = self.eds_journal_key(&iin, signer, password.as_ref(), false, now)?;
        let desk = self.open_journal(&journal_key, now)?;
        let name = super::DeskProfile::load(&self.config.journal)
            .knows(&iin)
            .map(|k| k.name.clone())
            .or_else(|| {
                desk.store()
                    .staff(&iin)
                    .ok()
                    .flatten()
                    .map(|s| s.name.display())
            })
            .unwrap_or_else(|| iin.to_string());
        let clerk = SignedInClerk::new(iin, name, SignInMethod::Eds);
        // With the password the worker can sign in when the portal is back; with the key
        // alone it waits for an online sign-in.
        let target = password
            .as_ref()
            .and_then(|p| self.password_target(&iin, p, &journal_key));
        let view = self.begin(desk, clerk, journal_key, target, at)?;
        self.remember_certificate(vault::eds::certificate_id(&certificate));
        Ok(view)
    }

    /// Unlocks the locked desk by EDS: a fresh random challenge signed by the certificate
    /// the session was opened with (or by a key whose envelope opens this journal's key).
    pub fn unlock_eds(
        &self,
        key: EdsKey,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        let (iin, session_key, session_certificate) = match self.inner().open.as_ref() {
            Some(open) => (
                *open.clerk.iin(),
                open.key.clone(),
                open.eds_certificate.clone(),
            ),
            None => return Err(Error::NotSignedIn),
        };
        let challenge = random_challenge()?;
        let facts = match &key {
            EdsKey::Held(signer) => {
                let cms = signer.sign_detached(&challenge, now)?;
                signing::verify_cms(&challenge, &cms, None, None)?.signer
            }
            EdsKey::NcaLayer { settings, locale } => {
                settings.authenticate(&challenge, Some(&iin), *locale, now)?
            }
        };
        if check_authentication_key(&facts, now)? != iin {
            return Err(Error::EdsNotThisClerk);
        }
        let same_certificate =
            session_certificate.as_deref() == Some(vault::eds::certificate_id(&facts.der).as_str());
        let has_keys = vault::keys_path(&self.config.journal).exists();
        let opens_journal = match &key {
            EdsKey::Held(signer) if has_keys => matches!(
                vault::eds::open_with_key(&self.config.journal, &iin, signer.as_ref(), None, now)?,
                EdsKeyFound::Key(k) if k.expose() == session_key.expose()
            ),
            _ => false,
        };
        if !same_certificate && !opens_journal {
            return Err(Error::EdsNotThisClerk);
        }
        let mut inner = self.inner();
        let open = inner.open.as_mut().ok_or(Error::NotSignedIn)?;
        open.locked = false;
        open.last_activity = at;
        drop(inner);
        Ok(self.view(at))
    }
}
