//! One sync round: reference data (conditionally, not every round), pull (`pull.rs`:
//! pages fetched ahead while the previous one is applied, each page with its cursor in one
//! transaction), push (`push.rs`: the outbox in order per application, several requests
//! in flight), then documents into the offline cache. See SYNC.md.

use crate::backoff::Backoff;
use crate::client::{Conditional, PortalClient};
use crate::error::{Error, ErrorClass};
use crate::state::{self, SyncEvent, SyncState};
use domain::{FullName, Grade, Iin, InstructionLanguage, MicroDistrictId, SchoolId};
use portal_api as wire;
use portal_api::convert;
use std::time::{Duration, Instant};
use store::{PulledApplication, Store};
use time::OffsetDateTime;

/// How a worker paces itself. [`SyncConfig::default`] is what the desk uses.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// Applications per pulled page (the portal allows up to 1000).
    pub page_size: u32,
    /// Outbox entries read from the database at a time.
    pub push_batch: u32,
    /// Tries of one request within a round before the round stops (transient errors).
    pub tries_per_round: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Documents downloaded into the cache per round.
    pub documents_per_round: u32,
    /// The cache stops growing at this many bytes.
    pub document_cache_bytes: u64,
    /// Refresh schools and places, micro-districts and districts (conditionally: ETag).
    pub refresh_reference: bool,
    /// ... at most this often (the first round always does).
    pub reference_every: Duration,
    /// Outbox requests in flight at once, each for a different application. 32: while a
    /// batch of answers is marked (one transaction) the requests already sent keep the
    /// portal busy; with 8 the portal sat idle during each mark (issue 12's profile).
    pub push_in_flight: usize,
    /// Decisions sent together in one request (`POST /api/v1/decision-batches`, issue
    /// 12); 1 sends each alone. The portal's cost per request (HTTP, its lock, a commit)
    /// is then paid once per batch.
    pub decisions_per_request: usize,
    /// Batches in flight at once (instead of `push_in_flight` when batching).
    pub batches_in_flight: usize,
    /// The pause cap while the portal says it is overloaded (429 / 503 / `Retry-After`).
    pub overload_max: Duration,
    /// Tries of an entry whose 2xx answer cannot be read before it is marked sent with
    /// the answer kept, so that it holds up nothing (issue 12).
    pub answer_unreadable_tries: i64,
    /// This app's version: pulled items quarantined by another version are tried again.
    pub app_version: String,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            page_size: wire::PAGE_MAX,
            push_batch: 500,
            tries_per_round: 6,
            backoff_base: Duration::from_millis(250),
            backoff_max: Duration::from_secs(30),
            documents_per_round: 100,
            document_cache_bytes: 512 * 1024 * 1024,
            refresh_reference: true,
            reference_every: Duration::from_secs(10 * 60),
            push_in_flight: 32,
            decisions_per_request: 50,
            batches_in_flight: 4,
            overload_max: Duration::from_secs(5 * 60),
            answer_unreadable_tries: 3,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// What one round did.
#[derive(Debug, Default)]
pub struct RoundReport {
    /// Applications received (all pages).
    pub pulled: u64,
    pub pages: u32,
    pub inserted: u64,
    pub updated: u64,
    /// Pulled rows that kept the clerk's pending change (portal state kept as base).
    pub kept_local: u64,
    /// Pulled items this app could not read this round: kept raw in the quarantine.
    pub malformed: u64,
    /// Quarantined items read after all (an app update) and applied this round.
    pub unquarantined: u64,
    /// Of the pull: time spent applying pages to the journal, and waiting for the next
    /// page to arrive (the wire and the parsing, when they are slower than the journal).
    pub pull_applying: Duration,
    pub pull_waiting: Duration,
    /// Of a first pull: building the journal's read-only indexes after the last page.
    pub pull_indexing: Duration,
    /// Outbox entries the portal accepted this round.
    pub pushed: u64,
    /// Outbox entries the portal refused this round.
    pub refused: u64,
    /// Requests tried again after a transient failure.
    pub retried: u64,
    pub documents_cached: u64,
    pub documents_failed: u64,
    /// After the round: entries still waiting, and rows marked refused.
    pub pending_left: u64,
    pub refused_rows: u64,
    /// After the round: pulled items kept raw because they could not be read.
    pub quarantined: u64,
    /// Reference lists the portal sent (200) and those it said were unchanged (304).
    pub reference_fetched: u32,
    pub reference_unchanged: u32,
    /// Why the round stopped early; `None` when it completed.
    pub stopped: Option<Error>,
}

impl RoundReport {
    pub fn completed(&self) -> bool {
        self.stopped.is_none()
    }
}

/// Wall-clock time within a round: the time passed in, moved on by a monotonic clock.
pub(crate) struct RoundClock {
    start: Instant,
    at_start: OffsetDateTime,
}

impl RoundClock {
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.at_start + self.start.elapsed()
    }
}

pub(crate) type Events<'a> = &'a mut (dyn FnMut(SyncEvent) + Send);

/// Whether a failed try may be tried again within the round: passing trouble, but not
/// an overloaded portal (the round stops at once and the loop waits, with jitter, at
/// least as long as the portal asked).
pub(crate) fn retry_in_round(e: &Error) -> bool {
    e.is_transient() && !e.is_overload()
}

/// Retries a portal read on passing trouble, with full-jitter backoff, within the
/// round's budget; an overloaded portal ends the round at once.
macro_rules! retrying {
    ($self:ident, $report:ident, $call:expr) => {{
        let mut attempt = 0u32;
        loop {
            let result = $call.await;
            match result {
                Err(e)
                    if crate::worker::retry_in_round(&e)
                        && attempt + 1 < $self.config.tries_per_round =>
                {
                    $report.retried += 1;
                    let pause = $self.backoff.delay(attempt);
                    attempt += 1;
                    tokio::time::sleep(pause).await;
                }
                other => break other,
            }
        }
    }};
}

/// The sync engine of one desk: a portal client, its session, and its pacing.
#[derive(Debug)]
pub struct SyncWorker {
    pub(crate) client: PortalClient,
    pub(crate) backoff: Backoff,
    pub(crate) config: SyncConfig,
    staff: Option<wire::StaffMember>,
    /// When the reference lists were last asked for (this process).
    reference_at: Option<Instant>,
    pub(crate) seed: u64,
    /// The portal does not take decision batches (an older portal, a proxy that does not
    /// know the route): this round's decisions go alone. Cleared when a push begins.
    pub(crate) no_batches: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

pub(crate) fn pulled(w: &wire::Application) -> Result<PulledApplication, Error> {
    let portal_json = serde_json::to_string(w).map_err(|e| Error::Protocol {
        detail: e.to_string(),
    })?;
    pulled_as_sent(w, portal_json)
}

/// [`pulled`] with the portal's JSON of the row as it arrived (a pulled page's item):
/// not serialised a second time (issue 12).
pub(crate) fn pulled_as_sent(
    w: &wire::Application,
    portal_json: String,
) -> Result<PulledApplication, Error> {
    let application = convert::application_from_wire(w).map_err(|e| Error::Protocol {
        detail: e.to_string(),
    })?;
    Ok(PulledApplication {
        application,
        portal_json,
    })
}

impl SyncWorker {
    /// `seed` drives the jitter of the backoff.
    pub fn new(client: PortalClient, config: SyncConfig, seed: u64) -> SyncWorker {
        let backoff = Backoff::new(config.backoff_base, config.backoff_max, seed);
        SyncWorker {
            client,
            backoff,
            config,
            staff: None,
            reference_at: None,
            seed,
            no_batches: std::sync::Arc::default(),
        }
    }

    pub fn client(&self) -> &PortalClient {
        &self.client
    }

    pub fn config(&self) -> &SyncConfig {
        &self.config
    }

    /// The signed-in staff member, as the portal described them.
    pub fn staff(&self) -> Option<&wire::StaffMember> {
        self.staff.as_ref()
    }

    /// signs in; a wrong password or an unreachable portal is written to the sync
    /// state too, so the window shows it.
    pub async fn sign_in(
        &mut self,
        store: &mut Store,
        iin: &Iin,
        password: &str,
        now: OffsetDateTime,
        events: Events<'_>,
    ) -> Result<(), Error> {
        let mut scratch = RoundReport::default();
        let result = retrying!(self, scratch, self.client.sign_in(iin, password));
        self.reference_at = None;
        match result {
            Ok(answer) => {
                store.set_sync_value("clerk_iin", &answer.staff.iin)?;
                self.staff = Some(answer.staff);
                Ok(())
            }
            Err(e) => {
                state::record_failure(store, &e, now, events)?;
                Err(e)
            }
        }
    }

    /// A portal session made by a sign-in elsewhere (an EDS sign-in in the window): its
    /// token and staff member, as if [`SyncWorker::sign_in`] had made them. When the
    /// portal ends it (401) the client forgets the token and a new sign-in is needed.
    pub fn resume(
        &mut self,
        store: &mut Store,
        session: &wire::SignInResponse,
    ) -> Result<(), Error> {
        self.client.use_token(&session.token);
        store.set_sync_value("clerk_iin", &session.staff.iin)?;
        self.staff = Some(session.staff.clone());
        Ok(())
    }

    /// One round: reference, pull, push, documents. Portal trouble ends the round early
    /// (`report.stopped`) and leaves everything in place for the next; only a failure of
    /// the local database is an `Err`.
    pub async fn run_round(
        &mut self,
        store: &mut Store,
        now: OffsetDateTime,
        events: Events<'_>,
    ) -> Result<RoundReport, Error> {
        let clock = RoundClock {
            start: Instant::now(),
            at_start: now,
        };
        state::set_state(store, SyncState::Syncing, events)?;
        let mut report = RoundReport::default();
        match self.steps(store, &clock, &mut report, events).await {
            Ok(()) => state::record_success(store, clock.now(), events)?,
            Err(Error::Store(e)) => {
                let _ = state::set_state(store, SyncState::Offline, events);
                return Err(Error::Store(e));
            }
            Err(e) => {
                if e.class() == ErrorClass::SignIn {
                    self.client.sign_out();
                }
                state::record_failure(store, &e, clock.now(), events)?;
                report.stopped = Some(e);
            }
        }
        report.pending_left = store.outbox_counts()?.pending;
        report.refused_rows = store.status_counts()?.refused;
        report.quarantined = store.quarantined_count()?;
        Ok(report)
    }

    async fn steps(
        &mut self,
        store: &mut Store,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<(), Error> {
        if !self.client.signed_in() {
            return Err(Error::SignInRequired {
                code: wire::codes::TOKEN_MISSING.into(),
            });
        }
        let reference_due = self
            .reference_at
            .is_none_or(|at| at.elapsed() >= self.config.reference_every);
        if self.config.refresh_reference && reference_due {
            self.refresh_reference(store, report).await?;
            self.reference_at = Some(Instant::now());
        }
        self.retry_quarantine(store, clock, report, events)?;
        self.pull(store, clock, report, events).await?;
        self.check_register(store, clock, events).await?;
        self.push(store, clock, report, events).await?;
        self.cache_documents(store, report).await
    }

    /// districts, schools with their free places, micro-districts.
    async fn refresh_reference(
        &mut self,
        store: &mut Store,
        report: &mut RoundReport,
    ) -> Result<(), Error> {
        // Conditional reads (If-None-Match): when none of the three changed, nothing is
        // downloaded or written. When one did, the others are read whole too, since the
        // reference is replaced as a whole.
        const SCHOOLS: &str = "/api/v1/schools";
        const MICRO: &str = "/api/v1/micro-districts";
        const REFERENCE: &str = "/api/v1/reference";
        let tag = |store: &Store, path: &str| store.sync_value(&format!("etag {path}"));
        let (t_schools, t_micro, t_reference) = (
            tag(store, SCHOOLS)?,
            tag(store, MICRO)?,
            tag(store, REFERENCE)?,
        );
        let mut fresh = 0u32;
        let schools_c = retrying!(
            self,
            report,
            self.client
                .reference_if_changed::<wire::SchoolList>(SCHOOLS, t_schools.as_deref())
        )?;
        let micro_c = retrying!(
            self,
            report,
            self.client
                .reference_if_changed::<wire::MicroDistrictList>(MICRO, t_micro.as_deref())
        )?;
        let reference_c = retrying!(
            self,
            report,
            self.client
                .reference_if_changed::<wire::Reference>(REFERENCE, t_reference.as_deref())
        )?;
        let mut etags = Vec::new();
        fn take<T>(
            c: Conditional<T>,
            path: &'static str,
            fresh: &mut u32,
            etags: &mut Vec<(&'static str, String)>,
        ) -> Option<T> {
            match c {
                Conditional::Fresh { value, etag } => {
                    *fresh += 1;
                    if let Some(t) = etag {
                        etags.push((path, t));
                    }
                    Some(value)
                }
                Conditional::NotModified => None,
            }
        }
        let (schools, micro, reference) = (
            take(schools_c, SCHOOLS, &mut fresh, &mut etags),
            take(micro_c, MICRO, &mut fresh, &mut etags),
            take(reference_c, REFERENCE, &mut fresh, &mut etags),
        );
        report.reference_fetched += fresh;
        report.reference_unchanged += 3 - fresh;
        if fresh == 0 {
            return Ok(());
        }
        let schools = match schools {
            Some(v) => v,
            None => retrying!(self, report, self.client.schools())?,
        };
        let micro = match micro {
            Some(v) => v,
            None => retrying!(self, report, self.client.micro_districts())?,
        };
        let reference = match reference {
            Some(v) => v,
            None => retrying!(self, report, self.client.reference())?,
        };
        let bad = |what: &str| Error::Protocol {
            detail: format!("reference: {what}"),
        };
        let mut r = store::Reference {
            districts: reference
                .districts
                .iter()
                .map(|d| (d.id.clone(), d.name_kk.clone(), d.name_ru.clone()))
                .collect(),
            ..store::Reference::default()
        };
        for s in &schools.items {
            let mut places = Vec::new();
            for p in &s.places {
                places.push(domain::rules::Places {
                    school: SchoolId(s.id.clone()),
                    grade: Grade::new(p.grade).map_err(|_| bad("grade"))?,
                    language: InstructionLanguage::parse(&p.language)
                        .map_err(|_| bad("language"))?,
                    capacity: p.capacity,
                    taken: p.taken,
                });
            }
            r.schools.push(store::SchoolRecord {
                id: SchoolId(s.id.clone()),
                district_id: Some(s.district_id.clone()),
                name_kk: s.name_kk.clone(),
                name_ru: s.name_ru.clone(),
                address_kk: s.address_kk.clone(),
                address_ru: s.address_ru.clone(),
                places,
            });
        }
        r.micro_districts = micro
            .items
            .iter()
            .map(|m| {
                (
                    MicroDistrictId(m.id.clone()),
                    SchoolId(m.school_id.clone()),
                    m.name_kk.clone(),
                    m.name_ru.clone(),
                )
            })
            .collect();
        if let Some(staff) = &self.staff {
            let iin = convert::iin("staff.iin", &staff.iin).map_err(|_| bad("staff iin"))?;
            let name: FullName = convert::name_from_wire("staff.name", &staff.name)
                .map_err(|_| bad("staff name"))?;
            for school in staff
                .school_ids
                .iter()
                .filter(|id| schools.items.iter().any(|s| &s.id == *id))
            {
                r.staff.push(store::StaffRecord {
                    iin,
                    name: name.clone(),
                    school: SchoolId(school.clone()),
                    email: Some(staff.email.clone()),
                });
            }
        }
        store.put_reference(&r)?;
        for (path, t) in etags {
            store.set_sync_value(&format!("etag {path}"), &t)?;
        }
        Ok(())
    }

    /// Documents into the offline cache (R-5 "General documents" open offline), newest
    /// applications first, each at most 1 MB, the cache bounded in bytes.
    async fn cache_documents(
        &mut self,
        store: &mut Store,
        report: &mut RoundReport,
    ) -> Result<(), Error> {
        if self.config.documents_per_round == 0 {
            return Ok(());
        }
        let mut room = self
            .config
            .document_cache_bytes
            .saturating_sub(store.cached_document_bytes()?);
        for d in store.uncached_documents(self.config.documents_per_round)? {
            if d.size > room {
                break;
            }
            match self
                .client
                .document(
                    &d.portal_application_id,
                    &d.document_id,
                    domain::rules::DOCUMENT_MAX_BYTES,
                )
                .await
            {
                Ok(bytes) => {
                    room = room.saturating_sub(bytes.len() as u64);
                    store.cache_document(&d.application_id, &d.document_id, &bytes)?;
                    report.documents_cached += 1;
                }
                Err(e) if e.class() == ErrorClass::SignIn => return Err(e),
                // The cache is a convenience: a failure waits for the next round.
                Err(e) if e.is_transient() => {
                    report.documents_failed += 1;
                    break;
                }
                Err(_) => report.documents_failed += 1,
            }
        }
        Ok(())
    }
}
