//! The push (R-33, issue 12): outbox entries in `seq` order **per application**, several
//! requests in flight for different applications, answers marked in batches.
//!
//! - An entry leaves `pending` only with the portal's answer (marked after it arrived).
//! - Order: within a pass at most one entry of an application is sent; its next entry
//!   waits for a later pass, after the first one's mark (an on-behalf row gets the
//!   portal's id before its decision is sent). An entry that is not due yet
//!   (`next_attempt_at`, kept across restarts) or that failed holds back the later
//!   entries of its application only.
//! - Each entry sends the exact bytes written with it (migration 0007); entries older
//!   than that send the typed request serialised from their payload, as before.
//! - Passing trouble is retried within the round with full-jitter backoff; an overloaded
//!   portal (429 / 503 / `Retry-After`) stops the round at once: nothing new is sent, the
//!   answers in flight are awaited and marked, and the loop waits.
//! - A 2xx whose body cannot be read is tried again in later rounds; after
//!   `answer_unreadable_tries` the entry is marked sent with the body kept
//!   (`PORTAL_ANSWER_UNREADABLE`), shown in the row's history, and the rest goes on.

use crate::backoff::Backoff;
use crate::client::PortalClient;
use crate::error::{Error, ErrorClass};
use crate::pull::blocking;
use crate::push_batch::{Queued, try_batch};
use crate::state::SyncEvent;
use crate::worker::{Events, RoundClock, RoundReport, SyncWorker, pulled, retry_in_round};
use portal_api as wire;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::Duration;
use store::{OutboxEntry, PulledApplication, Refusal, SentAnswer, Store};
use tokio::task::JoinSet;

/// What one entry's tries came to.
pub(crate) struct Tried {
    pub(crate) entry: OutboxEntry,
    /// Codes of the passing failures before the outcome, in order.
    pub(crate) failures: Vec<&'static str>,
    pub(crate) outcome: Result<Sent, Error>,
    /// The pause the last failure asked for (for `next_attempt_at`).
    pub(crate) pause: Duration,
}

pub(crate) struct Sent {
    pub(crate) body: String,
    pub(crate) application: Option<wire::Application>,
}

/// What a request sends: the kept bytes, or (older entries) the typed request.
pub(crate) enum Body {
    Decision {
        portal_id: String,
        bytes: Vec<u8>,
    },
    OnBehalf {
        bytes: Vec<u8>,
    },
    /// R-15…R-17: the clerk's signed binding, before the submission that needs it.
    Binding {
        bytes: Vec<u8>,
    },
}

/// The request of `entry`, built on the round's thread (it reads the store).
fn request_of(store: &Store, entry: &OutboxEntry) -> Result<Body, Error> {
    let invalid = |detail: String| Error::OutboxEntryInvalid {
        seq: entry.seq,
        detail,
    };
    let kept = store.outbox_request(entry.seq)?;
    let typed = |v: Result<Vec<u8>, serde_json::Error>| v.map_err(|e| invalid(e.to_string()));
    match entry.kind.as_str() {
        "decision" => {
            let bytes = match kept {
                Some(b) => {
                    serde_json::from_slice::<wire::DecisionRequest>(&b)
                        .map_err(|e| invalid(e.to_string()))?;
                    b
                }
                None => {
                    let r: wire::DecisionRequest = serde_json::from_value(entry.payload.clone())
                        .map_err(|e| invalid(e.to_string()))?;
                    typed(serde_json::to_vec(&r))?
                }
            };
            Ok(Body::Decision {
                portal_id: store.portal_id(&entry.application_id)?,
                bytes,
            })
        }
        "on_behalf" => {
            let bytes = match kept {
                Some(b) => {
                    serde_json::from_slice::<wire::OnBehalfRequest>(&b)
                        .map_err(|e| invalid(e.to_string()))?;
                    b
                }
                None => {
                    let r: wire::OnBehalfRequest = serde_json::from_value(entry.payload.clone())
                        .map_err(|e| invalid(e.to_string()))?;
                    typed(serde_json::to_vec(&r))?
                }
            };
            Ok(Body::OnBehalf { bytes })
        }
        "binding" => {
            // Bindings were always written with their bytes.
            let bytes = kept.ok_or_else(|| invalid("a binding without its request".into()))?;
            serde_json::from_slice::<wire::BindingRequest>(&bytes)
                .map_err(|e| invalid(e.to_string()))?;
            Ok(Body::Binding { bytes })
        }
        other => Err(invalid(format!("unknown kind {other:?}"))),
    }
}

async fn send_once(client: &PortalClient, key: &str, body: &Body) -> Result<Sent, Error> {
    match body {
        Body::Decision { portal_id, bytes } => {
            let w = client.decide_bytes(portal_id, key, bytes.clone()).await?;
            Ok(Sent {
                body: w.body,
                application: Some(w.value.application),
            })
        }
        Body::OnBehalf { bytes } => {
            let w = client.submit_on_behalf_bytes(key, bytes.clone()).await?;
            Ok(Sent {
                body: w.body,
                application: Some(w.value.application),
            })
        }
        Body::Binding { bytes } => {
            let w = client.bind_micro_district_bytes(key, bytes.clone()).await?;
            Ok(Sent {
                body: w.body,
                application: None,
            })
        }
    }
}

/// One entry: tried until it is answered, or the round's tries are spent, or the portal
/// is overloaded.
pub(crate) async fn try_entry(
    client: PortalClient,
    entry: OutboxEntry,
    body: Body,
    tries: u32,
    mut backoff: Backoff,
) -> Tried {
    let mut failures = Vec::new();
    let mut pause = Duration::ZERO;
    loop {
        let outcome = send_once(&client, &entry.idempotency_key, &body).await;
        match outcome {
            Err(e) if retry_in_round(&e) && !matches!(e, Error::AnswerUnreadable { .. }) => {
                pause = backoff.delay(failures.len() as u32);
                failures.push(e.code());
                if failures.len() as u32 >= tries {
                    return Tried {
                        entry,
                        failures: failures[..failures.len() - 1].to_vec(),
                        outcome: Err(e),
                        pause,
                    };
                }
                tokio::time::sleep(pause).await;
            }
            outcome => {
                return Tried {
                    entry,
                    failures,
                    outcome,
                    pause,
                };
            }
        }
    }
}

/// An answer waiting to be marked (owned; borrowed into [`SentAnswer`] at the flush).
struct Answered {
    seq: i64,
    application_id: String,
    body: String,
    application: Option<PulledApplication>,
    unreadable: bool,
}

impl SyncWorker {
    /// The outbox; see the module's text.
    pub(crate) async fn push(
        &mut self,
        store: &mut Store,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<(), Error> {
        // Whether the portal takes decision batches is asked again each round (a portal
        // updated meanwhile, a proxy's passing 404); within the round its first answer
        // holds, so an older portal is asked at most once per batch already in flight.
        self.no_batches.store(false, Ordering::Relaxed);
        // Applications whose earliest pending entry could not go this round: their later
        // entries wait (order per application).
        let mut held: HashSet<String> = HashSet::new();
        // Entries answered this round with an unreadable body: not tried again now.
        let mut stop: Option<Error> = None;
        loop {
            let mut after = 0i64;
            let mut this_pass: HashSet<String> = HashSet::new();
            let mut deferred = false;
            let mut sent_any = false;
            loop {
                // Only the signed-in clerk's own entries go under their session (issue
                // 16); another clerk's wait for that clerk to sign in.
                let clerk = self.staff().map(|s| s.iin.clone());
                let batch =
                    store.pending_outbox_after(after, clerk.as_deref(), self.config.push_batch)?;
                let Some(last) = batch.last() else { break };
                after = last.seq;
                let now = clock.now();
                let mut ready = Vec::new();
                for entry in batch {
                    let app = entry.application_id.clone();
                    if held.contains(&app) {
                        continue;
                    }
                    if this_pass.contains(&app) {
                        deferred = true;
                        continue;
                    }
                    this_pass.insert(app.clone());
                    if entry.next_attempt_at.is_some_and(|t| t > now) {
                        held.insert(app);
                        continue;
                    }
                    ready.push(entry);
                }
                sent_any |= !ready.is_empty();
                stop = self
                    .send_window(store, ready, &mut held, clock, report, events)
                    .await?;
                if stop.is_some() {
                    break;
                }
            }
            if stop.is_some() || !deferred || !sent_any {
                break;
            }
        }
        match stop {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Sends `ready` (one entry per application) with up to `push_in_flight` requests at
    /// once and marks the answers in batches. Returns the error that stops the round.
    async fn send_window(
        &mut self,
        store: &mut Store,
        ready: Vec<OutboxEntry>,
        held: &mut HashSet<String>,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<Option<Error>, Error> {
        let mut queue = ready.into_iter();
        let mut flight: JoinSet<Vec<Tried>> = JoinSet::new();
        let mut answered: Vec<Answered> = Vec::new();
        let mut stop: Option<Error> = None;
        let per_request = self
            .config
            .decisions_per_request
            .min(wire::DECISION_BATCH_MAX);
        let batching = per_request > 1 && !self.no_batches.load(Ordering::Relaxed);
        let width = if batching {
            self.config.batches_in_flight
        } else {
            self.config.push_in_flight
        }
        .max(1);
        // Decisions waiting to fill the next batch (sent when full, or at the end).
        let mut group: Vec<Queued> = Vec::new();
        loop {
            while stop.is_none() && flight.len() < width {
                let Some(entry) = queue.next() else { break };
                let backoff = self.entry_backoff(&entry);
                match request_of(store, &entry) {
                    Ok(Body::Decision { portal_id, bytes }) if batching => {
                        group.push(Queued::new(entry, portal_id, bytes));
                        if group.len() >= per_request {
                            flight.spawn(try_batch(
                                self.client.clone(),
                                std::mem::take(&mut group),
                                self.config.tries_per_round,
                                backoff,
                                self.no_batches.clone(),
                            ));
                        }
                    }
                    Ok(body) => {
                        let tried = try_entry(
                            self.client.clone(),
                            entry,
                            body,
                            self.config.tries_per_round,
                            backoff,
                        );
                        flight.spawn(async move { vec![tried.await] });
                    }
                    Err(e @ Error::OutboxEntryInvalid { .. }) => {
                        self.refuse(store, &entry, &e, clock).await?;
                        report.refused += 1;
                        events(SyncEvent::RowsChanged {
                            ids: vec![entry.application_id.clone()],
                        });
                    }
                    Err(e) => return Err(e),
                }
            }
            if stop.is_none() && !group.is_empty() && flight.len() < width {
                let backoff = self.entry_backoff(&group[0].entry);
                flight.spawn(try_batch(
                    self.client.clone(),
                    std::mem::take(&mut group),
                    self.config.tries_per_round,
                    backoff,
                    self.no_batches.clone(),
                ));
            }
            let Some(joined) = flight.join_next().await else {
                break;
            };
            let Ok(all_tried) = joined else { continue };
            for tried in all_tried {
                let entry = &tried.entry;
                for code in &tried.failures {
                    report.retried += 1;
                    store.record_attempt(entry.seq, code, clock.now())?;
                }
                match tried.outcome {
                    Ok(sent) => answered.push(Answered {
                        seq: entry.seq,
                        application_id: entry.application_id.clone(),
                        body: sent.body,
                        application: sent.application.as_ref().and_then(|a| pulled(a).ok()),
                        unreadable: false,
                    }),
                    Err(Error::AnswerUnreadable { body, .. })
                        if entry.attempts + 1 >= self.config.answer_unreadable_tries =>
                    {
                        answered.push(Answered {
                            seq: entry.seq,
                            application_id: entry.application_id.clone(),
                            body,
                            application: None,
                            unreadable: true,
                        });
                    }
                    Err(e @ Error::AnswerUnreadable { .. }) => {
                        store.record_attempt(entry.seq, e.code(), clock.now())?;
                        held.insert(entry.application_id.clone());
                    }
                    Err(e) if e.class() == ErrorClass::Refused => {
                        self.refuse(store, entry, &e, clock).await?;
                        report.refused += 1;
                        events(SyncEvent::RowsChanged {
                            ids: vec![entry.application_id.clone()],
                        });
                    }
                    Err(e) if e.is_transient() => {
                        let pause = match e.retry_after() {
                            Some(wait) => self.backoff.after(wait, self.config.overload_max),
                            None => tried.pause,
                        };
                        store.record_attempt(entry.seq, e.code(), clock.now() + pause)?;
                        held.insert(entry.application_id.clone());
                        stop.get_or_insert(e);
                    }
                    Err(e @ Error::Store(_)) => return Err(e),
                    Err(e) => {
                        held.insert(entry.application_id.clone());
                        stop.get_or_insert(e);
                    }
                }
            }
            if answered.len() >= 100 {
                self.flush(store, &mut answered, clock, report, events)?;
            }
        }
        self.flush(store, &mut answered, clock, report, events)?;
        Ok(stop)
    }

    /// The backoff of one entry's tries: full jitter, its own seed.
    fn entry_backoff(&self, entry: &OutboxEntry) -> Backoff {
        Backoff::new(
            self.config.backoff_base,
            self.config.backoff_max,
            self.seed ^ (entry.seq as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        )
    }

    /// Marks the answers so far in one transaction.
    fn flush(
        &self,
        store: &mut Store,
        answered: &mut Vec<Answered>,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<(), Error> {
        if answered.is_empty() {
            return Ok(());
        }
        let marks: Vec<(i64, SentAnswer<'_>)> = answered
            .iter()
            .map(|a| {
                (
                    a.seq,
                    SentAnswer {
                        response_json: &a.body,
                        application: a.application.as_ref(),
                        unreadable: a.unreadable,
                    },
                )
            })
            .collect();
        blocking(|| store.mark_sent_batch(&marks, clock.now()))?;
        report.pushed += marks.len() as u64;
        let ids = answered.drain(..).map(|a| a.application_id).collect();
        events(SyncEvent::RowsChanged { ids });
        Ok(())
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
        // A walk-in's refusal names another application (R-29: the pending one, at
        // another school): that is the portal's answer, not this row's state, which
        // stays as the clerk entered it with the portal's words on it.
        let mut current = current
            .as_ref()
            .filter(|_| entry.kind == "decision")
            .and_then(|a| pulled(a).ok());
        if current.is_none()
            && entry.kind == "decision"
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
}
