//! Who is at the desk (R-1, R-3, issue 16). A [`Session`] holds the journal only while a
//! clerk is signed in: every use case that reads personal data or changes anything goes
//! through [`Session::with_desk`] / [`Session::with_desk_mut`], which answer
//! `NOT_SIGNED_IN` before any sign-in and after sign-out, and `LOCKED` once the desk was
//! left alone for longer than the lock time. The shell (the window) holds one `Session`
//! and cannot reach the journal around it.
//!
//! Sign-in (each makes the [`SignedInClerk`] the journal is opened for):
//! - online by IIN + password: the portal checks them; the district chosen must be
//!   the clerk's school's; the desk remembers the clerk and the district
//!   ([`DeskProfile`]);
//! - offline, only when the portal is out of reach and only for a clerk who signed in
//!   online on this desk before; the sync worker then keeps trying the portal.
//!
//! Also here (moved from the window's shell, issue 17): the portal side of the session
//! ([`PortalSession`]: configured, reachable, worker running) and the worker itself,
//! supervised ([`SessionEvent::WorkerStopped`]).

mod clerk;
mod damaged;
mod eds;
mod profile;
mod worker;

pub use clerk::{Password, SignInMethod, SignedInClerk};
pub use eds::{EdsKey, check_authentication_key};
pub use profile::{DeskProfile, KnownClerk, profile_path};
pub use worker::{EventSink, SessionEvent, WORKER_PANICKED};

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use domain::Iin;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::sync_run::{Pace, SyncState, SyncTarget};
use crate::sync_signin::{self, PortalSession};
use crate::vault::{self, JournalKey, SecretString};
use crate::views::{SessionView, SignInForm, SyncBar};
use crate::{Desk, Error};
use damaged::is_damage;
use worker::Worker;

/// The lock time when nothing else is configured (issue 16: ten minutes).
pub const DEFAULT_LOCK_AFTER: Duration = Duration::from_secs(10 * 60);

/// How this window's session is set up.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// The journal file (opened only after a sign-in).
    pub journal: PathBuf,
    /// The portal, if one is configured.
    pub portal_url: Option<String>,
    /// Inactivity after which the desk locks.
    pub lock_after: Duration,
    pub pace: Pace,
}

struct Open {
    desk: Desk,
    clerk: SignedInClerk,
    /// The journal's key (zeroized on drop): the worker opens the journal with it, and a
    /// clerk new to this desk is wrapped with it at a switch of clerks.
    key: JournalKey,
    last_activity: Instant,
    locked: bool,
    /// The certificate an EDS sign-in used (SHA-256, hex): unlocking by EDS needs it.
    eds_certificate: Option<String>,
}

#[derive(Default)]
struct Inner {
    open: Option<Open>,
    worker: Option<Worker>,
    /// "Another clerk": the journal is closed, but its key waits in memory for the next
    /// online sign-in so a clerk new to this desk can be given it (`vault::enroll`).
    /// Forgotten by sign-out and by the next sign-in.
    handover: Option<JournalKey>,
    /// A first sign-in waiting for the clerk's e-mail to be confirmed.
    first: Option<FirstSignIn>,
    /// The clerk's key opened the key file, but the journal itself could not be read
    /// (damaged): kept so the latest backup can be checked with it before it replaces
    /// the journal ([`Session::restore_damaged`]). Forgotten by the next sign-in.
    damaged: Option<JournalKey>,
    /// The portal session of the online sign-in, for the walk-in wizard's questions
    /// (register, addresses, codes; issue 11). `None` after an offline sign-in.
    wizard_portal: Option<sync::PortalClient>,
    /// When a confirmation code was last sent to each contact (R-21's cool-down).
    code_sends: crate::walk_in_portal::CodeSends,
    /// The password of an online sign-in, to sign the wizard in again when the portal
    /// ended its session (restart, expiry); zeroized with the session.
    wizard_password: Option<Password>,
}

/// The portal checked the password, but the clerk has not confirmed an e-mail yet:
/// the journal opens once the code sent to it is entered.
struct FirstSignIn {
    who: sync_signin::SignedIn,
    district: String,
    credential: Credential,
    /// The code sent and where to.
    sent: Option<(String, String)>,
}

/// What the clerk signed in with, kept until the first sign-in's e-mail step is done.
enum Credential {
    Password(Password),
    Eds(Box<eds::EdsProof>),
}

/// The window's one session. Every method takes `&self`; the journal is behind a lock.
pub struct Session {
    config: SessionConfig,
    sink: EventSink,
    inner: Mutex<Inner>,
    /// The last probe found the portal out of reach.
    unreachable: AtomicBool,
    /// Rows received in the running round (progress of a long first sync).
    round_rows: Arc<AtomicU32>,
    /// The worker stopped for good with this code (a new sign-in is needed).
    worker_stopped: Arc<Mutex<Option<String>>>,
    /// The lock time in milliseconds: `config.lock_after` until the settings change it.
    lock_after_ms: AtomicU64,
    /// Where the copy of an older encrypted journal goes before it is migrated (issue 13).
    backups: Option<PathBuf>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

impl Session {
    /// `sink` gets the worker's events (the window turns them into its events).
    pub fn new(config: SessionConfig, sink: EventSink) -> Session {
        Session {
            sink,
            inner: Mutex::new(Inner::default()),
            unreachable: AtomicBool::new(false),
            round_rows: Arc::new(AtomicU32::new(0)),
            worker_stopped: Arc::new(Mutex::new(None)),
            lock_after_ms: AtomicU64::new(
                u64::try_from(config.lock_after.as_millis()).unwrap_or(u64::MAX),
            ),
            config,
            backups: None,
        }
    }

    /// Takes a copy of an older journal into `dir` before a sign-in migrates it.
    pub fn with_backups(mut self, dir: PathBuf) -> Session {
        self.backups = Some(dir);
        self
    }

    /// The lock time in force.
    pub fn lock_after(&self) -> Duration {
        Duration::from_millis(self.lock_after_ms.load(Ordering::Relaxed))
    }

    /// A new lock time from the settings screen (issue 13): it counts from the clerk's
    /// last activity, so a shorter one may lock at the next command.
    pub fn set_lock_after(&self, lock_after: Duration) {
        self.lock_after_ms.store(
            u64::try_from(lock_after.as_millis()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // Every write is one store transaction: a panic in an earlier holder leaves
        // nothing half-written, so a poisoned lock is still safe to use.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn gate<'a>(&self, inner: &'a mut Inner, at: Instant) -> Result<&'a mut Open, Error> {
        let open = inner.open.as_mut().ok_or(Error::NotSignedIn)?;
        if !open.locked && at.saturating_duration_since(open.last_activity) >= self.lock_after() {
            open.locked = true;
        }
        if open.locked {
            return Err(Error::Locked);
        }
        Ok(open)
    }

    /// A read of the journal by the signed-in, unlocked clerk.
    pub fn with_desk<T>(
        &self,
        at: Instant,
        f: impl FnOnce(&Desk) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut inner = self.inner();
        let open = self.gate(&mut inner, at)?;
        f(&open.desk)
    }

    /// A change, by the signed-in, unlocked clerk.
    pub fn with_desk_mut<T>(
        &self,
        at: Instant,
        f: impl FnOnce(&mut Desk) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut inner = self.inner();
        let open = self.gate(&mut inner, at)?;
        f(&mut open.desk)
    }

    /// The clerk did something (a key, a click): the lock time starts again. A locked
    /// desk stays locked.
    pub fn touch(&self, at: Instant) {
        let mut inner = self.inner();
        let _ = self
            .gate(&mut inner, at)
            .map(|open| open.last_activity = at);
    }

    /// Locks now ("Lock" in the bar).
    pub fn lock(&self) {
        if let Some(open) = self.inner().open.as_mut() {
            open.locked = true;
        }
    }

    /// Where the window stands: signed out, open, or locked (checked at `at`).
    pub fn view(&self, at: Instant) -> SessionView {
        let mut inner = self.inner();
        let state = match self.gate(&mut inner, at) {
            Ok(_) => "open",
            Err(Error::Locked) => "locked",
            Err(_) => "signed_out",
        };
        let clerk = inner.open.as_ref().map(|o| &o.clerk);
        SessionView {
            state: state.to_string(),
            email: None,
            clerk_iin: clerk.map(|c| c.iin().to_string()),
            clerk_name: clerk.map(|c| c.name().to_string()),
            method: clerk.map(|c| c.method().as_str().to_string()),
            lock_after_seconds: u32::try_from(self.lock_after().as_secs()).unwrap_or(u32::MAX),
            worker_stopped: self
                .worker_stopped
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
        }
    }

    /// The sign-in form: districts and cities from this desk's memory of the
    /// portal's reference, else the region this app ships with; the clerks who signed
    /// in here before. Reads no journal.
    pub fn sign_in_form(&self, demo: Option<(String, String)>) -> SignInForm {
        let profile = DeskProfile::load(&self.config.journal);
        let districts = if profile.districts.is_empty() {
            sync_signin::shipped_districts()
        } else {
            profile.districts.clone()
        };
        let earlier = profile.clerks.first();
        let (demo_iin, demo_password) = match demo {
            Some((i, p)) => (Some(i), Some(p)),
            None => (None, None),
        };
        SignInForm {
            portal_configured: self.config.portal_url.is_some(),
            portal_url: self.config.portal_url.clone(),
            signed_in: self.inner().open.is_some(),
            districts,
            district_id: profile.district_id.clone(),
            earlier_iin: earlier.map(|c| c.iin.clone()),
            earlier_name: earlier.map(|c| c.name.clone()),
            demo_iin,
            demo_password,
        }
    }

    /// Whether the portal answers at all; remembered for the status bar.
    pub fn probe_portal(&self) -> bool {
        let reachable = self
            .config
            .portal_url
            .as_deref()
            .is_some_and(sync_signin::portal_reachable);
        self.unreachable.store(!reachable, Ordering::Relaxed);
        reachable
    }

    /// Signs in by IIN + password. With a portal: the portal checks them and the
    /// district, then the journal key is this clerk's (`vault::enroll`); when the
    /// portal is out of reach (or none is configured), the offline sign-in: the password
    /// must unwrap this clerk's envelope (`vault::unlock`). Another clerk's session ends.
    pub fn sign_in_password(
        &self,
        iin: &str,
        password: Password,
        district_id: Option<&str>,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        let iin = Iin::parse(iin.trim())?;
        if password.is_empty() {
            return Err(Error::PasswordEmpty);
        }
        let Some(url) = self.config.portal_url.clone() else {
            return self.sign_in_offline(&iin, &password, now, at);
        };
        match sync_signin::check_sign_in(&url, &iin, password.expose()) {
            Ok(who) => {
                let district = sync_signin::check_district(&who, district_id)?;
                self.unreachable.store(false, Ordering::Relaxed);
                if !who.email_confirmed {
                    let email = who.email.clone();
                    self.inner().first = Some(FirstSignIn {
                        who,
                        district,
                        credential: Credential::Password(password),
                        sent: None,
                    });
                    return Ok(SessionView {
                        state: "email_required".into(),
                        email: Some(email),
                        ..self.view(at)
                    });
                }
                self.finish_online(who, district, password, now, at)
            }
            Err(e) if e.is_transient() => {
                self.unreachable.store(true, Ordering::Relaxed);
                self.sign_in_offline(&iin, &password, now, at)
            }
            // A locked or revoked account opens nothing, not even offline.
            Err(e) => Err(Error::from_portal(e)),
        }
    }

    /// the e-mail the clerk gives at their first sign-in; the portal sends a code.
    pub fn send_email_code(&self, email: &str, at: Instant) -> Result<SessionView, Error> {
        let email = domain::Email::parse(email.trim())?.to_string();
        let portal = match self.inner().first.as_ref() {
            Some(f) => f.who.portal.clone(),
            None => return Err(Error::NoEmailStep),
        };
        let sent = sync_signin::send_email_code(&portal, &email).map_err(email_error)?;
        if let Some(f) = self.inner().first.as_mut() {
            f.sent = Some((sent.code_id, sent.destination.clone()));
        }
        Ok(SessionView {
            state: "email_code".into(),
            email: Some(sent.destination),
            ..self.view(at)
        })
    }

    /// the code from the e-mail; when it is right the first sign-in completes and
    /// the journal opens.
    pub fn confirm_email(
        &self,
        code: &str,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        let (portal, code_id) = match self.inner().first.as_ref() {
            Some(FirstSignIn {
                who,
                sent: Some((code_id, _)),
                ..
            }) => (who.portal.clone(), code_id.clone()),
            _ => return Err(Error::NoEmailStep),
        };
        sync_signin::confirm_email(&portal, &code_id, code.trim()).map_err(email_error)?;
        let Some(first) = self.inner().first.take() else {
            return Err(Error::NoEmailStep);
        };
        match first.credential {
            Credential::Password(password) => {
                self.finish_online(first.who, first.district, password, now, at)
            }
            Credential::Eds(proof) => self.finish_eds(first.who, first.district, *proof, now, at),
        }
    }

    /// The rest of an online sign-in: the journal key (`vault::enroll`), the journal, the
    /// desk's memory of the clerk and the district, the worker.
    fn finish_online(
        &self,
        who: sync_signin::SignedIn,
        district: String,
        password: Password,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        let iin = who.iin;
        let secret = SecretString::from(password.expose());
        let unlocked = self.key_in_hand();
        let key = vault::enroll(&self.config.journal, &iin, &secret, unlocked.as_ref(), now)?;
        let desk = self.open_journal(&key, now)?;
        let mut profile = DeskProfile::load(&self.config.journal);
        profile.remember(&iin, &who.name, &rfc3339(now), &district);
        if !who.districts.is_empty() {
            profile.districts = who.districts.clone();
        }
        profile.save(&self.config.journal)?;
        let clerk = SignedInClerk::new(iin, who.name, SignInMethod::Password);
        let target = self.password_target(&iin, &password, &key);
        let view = self.begin(desk, clerk, key, target, at)?;
        {
            let mut inner = self.inner();
            inner.wizard_portal = Some(who.portal);
            inner.wizard_password = Some(password);
        }
        Ok(view)
    }

    /// Runs one of the wizard's questions to the portal (issue 11) under the wizard's
    /// portal session; when the portal answers that the session ended (401), signs in
    /// again with the sign-in's password once and asks again.
    pub fn ask_portal<T>(
        &self,
        ask: impl Fn(&sync::PortalClient) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let portal = self.wizard_portal()?;
        match ask(&portal) {
            Err(Error::Portal(sync::Error::SignInRequired { .. })) => {}
            other => return other,
        }
        let offline = || Error::WalkIn {
            code: "PORTAL_OFFLINE_MANUAL",
            seconds: 0,
        };
        let (url, iin, password) = {
            let inner = self.inner();
            let iin = inner.open.as_ref().map(|o| *o.clerk.iin());
            match (&self.config.portal_url, iin, &inner.wizard_password) {
                (Some(url), Some(iin), Some(p)) => (url.clone(), iin, p.expose().to_string()),
                _ => return Err(offline()),
            }
        };
        let again = sync_signin::check_sign_in(&url, &iin, &password).map_err(|_| offline())?;
        self.inner().wizard_portal = Some(again.portal.clone());
        match ask(&again.portal) {
            Err(Error::Portal(sync::Error::SignInRequired { .. })) => Err(offline()),
            other => other,
        }
    }

    /// The portal session the walk-in wizard asks the register, the addresses and the
    /// codes with (issue 11); `PORTAL_OFFLINE_MANUAL` after an offline sign-in.
    pub fn wizard_portal(&self) -> Result<sync::PortalClient, Error> {
        let mut inner = self.inner();
        self.gate(&mut inner, Instant::now())?;
        inner
            .wizard_portal
            .clone()
            .filter(sync::PortalClient::signed_in)
            .ok_or(Error::WalkIn {
                code: "PORTAL_OFFLINE_MANUAL",
                seconds: 0,
            })
    }

    /// «Код жіберу» under the wizard's portal session, with the cool-down.
    pub fn send_contact_code(
        &self,
        channel: &str,
        contact: &str,
        idempotency_key: &str,
        now: OffsetDateTime,
    ) -> Result<crate::views::CodeSentView, Error> {
        self.ask_portal(|portal| {
            let mut sends = self.inner().code_sends.clone();
            let sent = crate::walk_in_portal::send_code(
                portal,
                &mut sends,
                channel,
                contact,
                idempotency_key,
                now,
            );
            self.inner().code_sends = sends;
            sent
        })
    }

    /// The worker's target for a clerk signed in with a password (`None`: no portal).
    fn password_target(
        &self,
        iin: &Iin,
        password: &Password,
        key: &JournalKey,
    ) -> Option<SyncTarget> {
        let url = self.config.portal_url.as_deref()?;
        Some(SyncTarget::new(&self.config.journal, url, iin, password.expose()).with_key(key))
    }

    /// The key of the open session, or the one kept for a switch of clerks.
    fn key_in_hand(&self) -> Option<JournalKey> {
        let inner = self.inner();
        inner
            .open
            .as_ref()
            .map(|o| o.key.clone())
            .or_else(|| inner.handover.clone())
    }

    /// The offline sign-in: the password must open this clerk's envelope, which only an
    /// earlier online sign-in on this desk (or `qabyldau demo --clerk-iin`) made. One
    /// exception, which protects nothing less than before: a journal made on this desk
    /// without a portal that is still plaintext (the demo journal) is encrypted for its
    /// own clerk at their first sign-in.
    fn sign_in_offline(
        &self,
        iin: &Iin,
        password: &Password,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        let journal = &self.config.journal;
        let secret = SecretString::from(password.expose());
        let profile = DeskProfile::load(journal);
        let first_local = vault::clerks_enrolled(journal, now)?.is_empty()
            && !vault::keys_path(journal).exists()
            && journal.exists()
            && profile.knows(iin).is_some();
        let key = if first_local {
            vault::enroll(journal, iin, &secret, None, now)?
        } else {
            vault::unlock(journal, iin, &secret, now).map_err(|e| match e {
                Error::ClerkNotEnrolled => Error::OfflineSignInUnavailable,
                other => other,
            })?
        };
        let desk = self.open_journal(&key, now)?;
        let name = profile
            .knows(iin)
            .map(|k| k.name.clone())
            .or_else(|| {
                desk.store()
                    .staff(iin)
                    .ok()
                    .flatten()
                    .map(|s| s.name.display())
            })
            .unwrap_or_else(|| iin.to_string());
        let clerk = SignedInClerk::new(*iin, name, SignInMethod::Offline);
        let target = self.password_target(iin, password, &key);
        self.begin(desk, clerk, key, target, at)
    }

    fn open_journal(&self, key: &JournalKey, now: OffsetDateTime) -> Result<Desk, Error> {
        let path = &self.config.journal;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::JournalUnreachable {
                detail: format!("{}: {e}", dir.display()),
            })?;
        }
        self.inner().damaged = None;
        if let Some(dir) = &self.backups {
            // A copy that cannot be taken (a full disk) does not keep the clerk out.
            let today = crate::backup::office_day(now);
            if let Err(e) = crate::backup::before_migration(path, key, dir, today)
                && !is_damage(&e)
            {
                eprintln!("qabyldau: no backup taken before the journal's migration: {e}");
            }
        }
        Desk::open_encrypted(path, key).inspect_err(|e| {
            if is_damage(e) {
                self.inner().damaged = Some(key.clone());
            }
        })
    }

    /// The journal opened for `clerk`, the worker started under their portal session.
    fn begin(
        &self,
        mut desk: Desk,
        clerk: SignedInClerk,
        key: JournalKey,
        target: Option<SyncTarget>,
        at: Instant,
    ) -> Result<SessionView, Error> {
        self.sign_out();
        desk.set_signed_in(*clerk.iin());
        let worker = match target {
            Some(target) => Some(self.start_worker(target)?),
            None => None,
        };
        {
            let mut inner = self.inner();
            inner.open = Some(Open {
                desk,
                clerk,
                key,
                last_activity: at,
                locked: false,
                eds_certificate: None,
            });
            inner.worker = worker;
        }
        Ok(self.view(at))
    }

    fn start_worker(&self, target: SyncTarget) -> Result<Worker, Error> {
        *self
            .worker_stopped
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = None;
        let rows = self.round_rows.clone();
        let stopped = self.worker_stopped.clone();
        let sink = self.sink.clone();
        let relay: EventSink = Arc::new(move |event| {
            match &event {
                SessionEvent::Sync(crate::sync_run::SyncEvent::State(SyncState::Syncing)) => {
                    rows.store(0, Ordering::Relaxed);
                }
                SessionEvent::Sync(crate::sync_run::SyncEvent::RowsChanged { ids }) => {
                    let n = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                    rows.fetch_add(n, Ordering::Relaxed);
                }
                SessionEvent::WorkerStopped {
                    code,
                    restarting: false,
                } => {
                    *stopped.lock().unwrap_or_else(|p| p.into_inner()) = Some(code.clone());
                }
                _ => {}
            }
            sink(event);
        });
        Worker::spawn(target, self.config.pace, relay).map_err(Error::Portal)
    }

    /// Unlocks the locked desk: the signed-in clerk's password must open their envelope
    /// (`vault::unlock`, with its growing wait after wrong tries). What the window had
    /// open stays.
    pub fn unlock(
        &self,
        password: Password,
        now: OffsetDateTime,
        at: Instant,
    ) -> Result<SessionView, Error> {
        if password.is_empty() {
            return Err(Error::PasswordEmpty);
        }
        let iin = match self.inner().open.as_ref() {
            Some(open) => *open.clerk.iin(),
            None => return Err(Error::NotSignedIn),
        };
        let secret = SecretString::from(password.expose());
        let key = vault::unlock(&self.config.journal, &iin, &secret, now)?;
        {
            let mut inner = self.inner();
            let open = inner.open.as_mut().ok_or(Error::NotSignedIn)?;
            if open.key.expose() != key.expose() {
                return Err(Error::Store(store::Error::WrongKey {
                    path: self.config.journal.clone(),
                }));
            }
            open.locked = false;
            open.last_activity = at;
        }
        Ok(self.view(at))
    }

    /// "Another clerk" (switch clerk): like [`Session::sign_out`], but the journal's key
    /// stays in memory for the next online sign-in, so that a clerk new to this desk can
    /// be given it. Nothing of the journal is reachable meanwhile.
    pub fn switch_clerk(&self) {
        let key = self.inner().open.as_ref().map(|o| o.key.clone());
        self.sign_out();
        self.inner().handover = key;
    }

    /// Signs the clerk out: the worker stops (after its current step), the journal is
    /// closed, the password forgotten. What waits in the outbox stays for its clerk.
    pub fn sign_out(&self) {
        let (worker, open) = {
            let mut inner = self.inner();
            inner.handover = None;
            inner.first = None;
            inner.wizard_portal = None;
            inner.wizard_password = None;
            (inner.worker.take(), inner.open.take())
        };
        if let Some(w) = worker {
            w.stop();
        }
        drop(open);
        self.round_rows.store(0, Ordering::Relaxed);
    }

    /// Starts a round now; `false` when no worker runs.
    pub fn sync_now(&self) -> bool {
        match self.inner().worker.as_ref() {
            Some(w) => {
                w.sync_now();
                true
            }
            None => false,
        }
    }

    fn portal_session(&self, inner: &Inner) -> PortalSession {
        if self.config.portal_url.is_none() {
            PortalSession::None
        } else if inner.worker.as_ref().is_some_and(Worker::running) {
            PortalSession::SignedIn
        } else {
            PortalSession::SignedOut {
                reachable: !self.unreachable.load(Ordering::Relaxed),
            }
        }
    }

    /// The sync part of the status bar. Before sign-in (or locked) it tells the state only.
    pub fn sync_bar(&self, at: Instant) -> SyncBar {
        let rows = self.round_rows.load(Ordering::Relaxed);
        let mut inner = self.inner();
        let session = self.portal_session(&inner);
        if let Ok(open) = self.gate(&mut inner, at)
            && let Ok(bar) = open.desk.sync_bar(session, rows)
        {
            return bar;
        }
        sync_signin::signed_out_bar(session)
    }

    /// Stops the worker when the window closes.
    pub fn shutdown(&self) {
        self.sign_out();
    }
}

/// The portal's refusals of an e-mail step as the clerk's words.
fn email_error(e: sync::Error) -> Error {
    match &e {
        sync::Error::Refused { problem, .. } => match problem.code.as_str() {
            "CODE_INCORRECT" => Error::EmailCode {
                code: "CODE_INCORRECT",
            },
            "CODE_EXPIRED" => Error::EmailCode {
                code: "CODE_EXPIRED",
            },
            _ => Error::Portal(e),
        },
        // The route's only 429: three wrong codes burnt it.
        sync::Error::Busy { .. } => Error::EmailCode {
            code: "CODE_ATTEMPTS_EXCEEDED",
        },
        _ => Error::Portal(e),
    }
}

/// A journal made on this desk without a portal (the demo journal): its clerk counts as
/// known here, so they can sign in offline. Does nothing when the desk knows clerks.
pub fn adopt_local_clerk(journal: &std::path::Path, desk: &Desk) -> Result<(), Error> {
    let mut profile = DeskProfile::load(journal);
    if !profile.clerks.is_empty() {
        return Ok(());
    }
    // The journal's own clerk (the one it was made for), else any staff member it knows.
    let own = match desk.current_clerk() {
        Ok(iin) => desk.store().staff(&iin)?,
        Err(_) => None,
    };
    let Some(staff) = own.or(desk.store().any_staff()?) else {
        return Ok(());
    };
    let district = desk
        .store()
        .schools()?
        .into_iter()
        .find(|s| s.id == staff.school)
        .and_then(|s| s.district_id)
        .unwrap_or_default();
    profile.remember(&staff.iin, &staff.name.display(), "", &district);
    profile.save(journal)
}

#[cfg(test)]
mod tests;
