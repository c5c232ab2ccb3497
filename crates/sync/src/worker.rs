//! One sync round: reference data, pull (page by page, each page with its cursor in one
//! transaction), push (the outbox in order, each entry under its idempotency key), then
//! documents into the offline cache. See SYNC.md.

use crate::backoff::Backoff;
use crate::client::PortalClient;
use crate::error::{Error, ErrorClass};
use crate::state::{self, SyncEvent, SyncState};
use domain::{FullName, Grade, Iin, InstructionLanguage, MicroDistrictId, SchoolId};
use portal_api as wire;
use portal_api::convert;
use std::time::{Duration, Instant};
use store::{OutboxEntry, PulledApplication, Refusal, SentAnswer, Store};
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
    /// Refresh schools and places, micro-districts and districts each round.
    pub refresh_reference: bool,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            page_size: wire::PAGE_MAX,
            push_batch: 200,
            tries_per_round: 6,
            backoff_base: Duration::from_millis(250),
            backoff_max: Duration::from_secs(30),
            documents_per_round: 100,
            document_cache_bytes: 512 * 1024 * 1024,
            refresh_reference: true,
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
    /// Pulled items the client could not read (counted, skipped).
    pub malformed: u64,
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
    /// Why the round stopped early; `None` when it completed.
    pub stopped: Option<Error>,
}

impl RoundReport {
    pub fn completed(&self) -> bool {
        self.stopped.is_none()
    }
}

/// Wall-clock time within a round: the time passed in, moved on by a monotonic clock.
struct RoundClock {
    start: Instant,
    at_start: OffsetDateTime,
}

impl RoundClock {
    fn now(&self) -> OffsetDateTime {
        self.at_start + self.start.elapsed()
    }
}

type Events<'a> = &'a mut (dyn FnMut(SyncEvent) + Send);

/// Retries a portal read on transient errors, with backoff, within the round's budget.
macro_rules! retrying {
    ($self:ident, $report:ident, $call:expr) => {{
        let mut attempt = 0u32;
        loop {
            let result = $call.await;
            match result {
                Err(e) if e.is_transient() && attempt + 1 < $self.config.tries_per_round => {
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
    client: PortalClient,
    backoff: Backoff,
    config: SyncConfig,
    staff: Option<wire::StaffMember>,
}

struct Sent {
    body: String,
    application: Option<wire::Application>,
}

fn pulled(w: &wire::Application) -> Result<PulledApplication, Error> {
    let application = convert::application_from_wire(w).map_err(|e| Error::Protocol {
        detail: e.to_string(),
    })?;
    let portal_json = serde_json::to_string(w).map_err(|e| Error::Protocol {
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
        if self.config.refresh_reference {
            self.refresh_reference(store, report).await?;
        }
        self.pull(store, clock, report, events).await?;
        self.push(store, clock, report, events).await?;
        self.cache_documents(store, report).await
    }

    /// districts, schools with their free places, micro-districts.
    async fn refresh_reference(
        &mut self,
        store: &mut Store,
        report: &mut RoundReport,
    ) -> Result<(), Error> {
        let schools = retrying!(self, report, self.client.schools())?;
        let micro = retrying!(self, report, self.client.micro_districts())?;
        let reference = retrying!(self, report, self.client.reference())?;
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
        Ok(())
    }

    /// Page by page after the saved cursor; each page and its cursor in one transaction,
    /// so memory holds one page and a crash loses at most a page that is fetched again.
    async fn pull(
        &mut self,
        store: &mut Store,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<(), Error> {
        let mut cursor = store.sync_cursor()?;
        loop {
            let page = retrying!(
                self,
                report,
                self.client
                    .changes(cursor.as_deref(), self.config.page_size)
            )?;
            let mut items = Vec::with_capacity(page.items.len());
            for item in &page.items {
                match pulled(item) {
                    Ok(p) => items.push(p),
                    Err(_) => report.malformed += 1,
                }
            }
            let applied = store.apply_pulled_page(&items, &page.next_cursor, clock.now())?;
            report.pages += 1;
            report.pulled += page.items.len() as u64;
            report.inserted += u64::from(applied.inserted);
            report.updated += u64::from(applied.updated);
            report.kept_local += u64::from(applied.kept_local);
            if !applied.changed_ids.is_empty() {
                events(SyncEvent::RowsChanged {
                    ids: applied.changed_ids,
                });
            }
            let moved = cursor.as_deref() != Some(page.next_cursor.as_str());
            cursor = Some(page.next_cursor);
            if !page.has_more || !moved {
                return Ok(());
            }
        }
    }

    /// The outbox in order. An entry leaves `pending` only with the portal's answer; a
    /// transient failure stops the push so that later entries never overtake it.
    async fn push(
        &mut self,
        store: &mut Store,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<(), Error> {
        loop {
            // Only the signed-in clerk's own entries go under their session (issue 16);
            // another clerk's wait for that clerk to sign in.
            let batch = match &self.staff {
                Some(staff) => store.pending_outbox_of(&staff.iin, self.config.push_batch)?,
                None => store.pending_outbox(self.config.push_batch)?,
            };
            if batch.is_empty() {
                return Ok(());
            }
            for entry in &batch {
                self.push_entry(store, entry, clock, report, events).await?;
            }
        }
    }

    async fn push_entry(
        &mut self,
        store: &mut Store,
        entry: &OutboxEntry,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<(), Error> {
        let mut attempt = 0u32;
        loop {
            match self.send(store, entry).await {
                Ok(sent) => {
                    let application = sent.application.as_ref().and_then(|a| pulled(a).ok());
                    let answer = SentAnswer {
                        response_json: &sent.body,
                        application: application.as_ref(),
                    };
                    store.mark_sent(entry.seq, &answer, clock.now())?;
                    report.pushed += 1;
                    events(SyncEvent::RowsChanged {
                        ids: vec![entry.application_id.clone()],
                    });
                    return Ok(());
                }
                Err(e) if e.class() == ErrorClass::Refused => {
                    self.refuse(store, entry, &e, clock).await?;
                    report.refused += 1;
                    events(SyncEvent::RowsChanged {
                        ids: vec![entry.application_id.clone()],
                    });
                    return Ok(());
                }
                Err(e) if e.is_transient() => {
                    let pause = self.backoff.delay(attempt);
                    attempt += 1;
                    store.record_attempt(entry.seq, e.code(), clock.now() + pause)?;
                    if attempt >= self.config.tries_per_round {
                        return Err(e);
                    }
                    report.retried += 1;
                    tokio::time::sleep(pause).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn send(&self, store: &Store, entry: &OutboxEntry) -> Result<Sent, Error> {
        let invalid = |detail: String| Error::OutboxEntryInvalid {
            seq: entry.seq,
            detail,
        };
        match entry.kind.as_str() {
            "decision" => {
                let request: wire::DecisionRequest = serde_json::from_value(entry.payload.clone())
                    .map_err(|e| invalid(e.to_string()))?;
                let portal_id = store.portal_id(&entry.application_id)?;
                let w = self
                    .client
                    .decide(&portal_id, &entry.idempotency_key, &request)
                    .await?;
                Ok(Sent {
                    body: w.body,
                    application: Some(w.value.application),
                })
            }
            "on_behalf" => {
                let request: wire::OnBehalfRequest = serde_json::from_value(entry.payload.clone())
                    .map_err(|e| invalid(e.to_string()))?;
                let w = self
                    .client
                    .submit_on_behalf(&entry.idempotency_key, &request)
                    .await?;
                Ok(Sent {
                    body: w.body,
                    application: Some(w.value.application),
                })
            }
            other => Err(invalid(format!("unknown kind {other:?}"))),
        }
    }

    /// Marks an entry refused with the portal's code and message, and shows the portal's
    /// state of the row: from the refusal, else asked for once, else the kept base.
    async fn refuse(
        &self,
        store: &mut Store,
        entry: &OutboxEntry,
        e: &Error,
        clock: &RoundClock,
    ) -> Result<(), Error> {
        let (code, message, body, current) = match e {
            Error::Refused { problem, body, .. } => (
                problem.code.clone(),
                problem.detail.clone(),
                body.clone(),
                problem.current.clone(),
            ),
            other => (
                other.code().to_string(),
                other.message(domain::Lang::Kk),
                String::new(),
                None,
            ),
        };
        let mut current = current.as_ref().and_then(|a| pulled(a).ok());
        if current.is_none()
            && entry.kind != "on_behalf"
            && let Ok(portal_id) = store.portal_id(&entry.application_id)
            && let Ok(a) = self.client.application(&portal_id).await
        {
            current = pulled(&a).ok();
        }
        if current.is_none()
            && let Some(base) = store.portal_base(&entry.application_id)?
            && let Ok(a) = serde_json::from_str::<wire::Application>(&base)
        {
            current = pulled(&a).ok();
        }
        let refusal = Refusal {
            code: &code,
            message: &message,
            response_json: &body,
            current: current.as_ref(),
        };
        store.mark_refused(entry.seq, &refusal, clock.now())?;
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
                    store.cache_document(&d.document_id, &bytes)?;
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
