//! Decisions sent in batches (issue 12): one request carries up to
//! `SyncConfig::decisions_per_request` decisions of different applications, each with
//! its own key and kept bytes, and each answer is handled exactly as the single
//! request's (`push.rs`). What concerns the batch as a whole:
//!
//! - passing trouble (no connection, 5xx, a lost answer) is retried within the round
//!   with full-jitter backoff, the whole batch again (the keys make a second effect
//!   impossible); an item's own passing trouble is retried the same way, alone in a
//!   smaller batch;
//! - an overloaded portal (429 / 503 / `Retry-After`), an expired session: each entry
//!   gets that answer, as if it had been sent alone;
//! - a 2xx answer that cannot be read as a batch's: each entry gets it as its own
//!   unreadable answer (tried again in later rounds, then marked with the body kept);
//! - a portal that does not take batches (404 / 405, the portal's or a proxy's HTML, or
//!   it refuses the batch itself): the same entries go one by one, and so does every
//!   later batch of this round; the next round asks again (`SyncWorker::no_batches`).

use crate::backoff::Backoff;
use crate::client::{BatchDecision, PortalClient};
use crate::error::Error;
use crate::push::{Body, Sent, Tried, try_entry};
use crate::worker::retry_in_round;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use store::OutboxEntry;

/// A decision of a batch: its entry, the portal's id of its application, its bytes.
pub(crate) struct Queued {
    pub entry: OutboxEntry,
    pub portal_id: String,
    pub bytes: Vec<u8>,
    failures: Vec<&'static str>,
}

impl Queued {
    pub(crate) fn new(entry: OutboxEntry, portal_id: String, bytes: Vec<u8>) -> Queued {
        Queued {
            entry,
            portal_id,
            bytes,
            failures: Vec::new(),
        }
    }

    fn tried(self, outcome: Result<Sent, Error>, pause: Duration) -> Tried {
        Tried {
            entry: self.entry,
            failures: self.failures,
            outcome,
            pause,
        }
    }
}

/// The same error for another entry of the batch, for what the portal says of a whole
/// batch; `None` for what says nothing of its decisions (then each goes alone).
fn for_each_entry(e: &Error) -> Option<Error> {
    Some(match e {
        Error::Busy { retry_after } => Error::Busy {
            retry_after: *retry_after,
        },
        Error::Unavailable {
            status,
            code,
            retry_after,
        } => Error::Unavailable {
            status: *status,
            code: code.clone(),
            retry_after: *retry_after,
        },
        Error::Unreachable { detail } => Error::Unreachable {
            detail: detail.clone(),
        },
        Error::Timeout => Error::Timeout,
        Error::ConnectionLost { detail } => Error::ConnectionLost {
            detail: detail.clone(),
        },
        // A 2xx that does not read as a batch's answer: the batch was most likely done;
        // each entry is tried again and after its tries marked with the body kept, as a
        // single answer that cannot be read is.
        Error::AnswerUnreadable {
            status,
            detail,
            body,
        } => Error::AnswerUnreadable {
            status: *status,
            detail: detail.clone(),
            body: body.clone(),
        },
        Error::SignInRequired { code } => Error::SignInRequired { code: code.clone() },
        Error::CredentialsInvalid => Error::CredentialsInvalid,
        Error::Gateway { status, detail } if *status != 404 && *status != 405 => Error::Gateway {
            status: *status,
            detail: detail.clone(),
        },
        _ => return None,
    })
}

/// Whether the portal does not take the batch as such: no such route (404 / 405, the
/// portal's or a gateway's), or a refusal of the batch itself — which says nothing of
/// its decisions.
fn batches_unknown(e: &Error) -> bool {
    matches!(
        e,
        Error::Refused { .. }
            | Error::Gateway {
                status: 404 | 405,
                ..
            }
    )
}

/// Sends `batch` until every entry has its outcome, or the round's tries are spent, or
/// the portal is overloaded.
pub(crate) async fn try_batch(
    client: PortalClient,
    mut batch: Vec<Queued>,
    tries: u32,
    mut backoff: Backoff,
    no_batches: Arc<AtomicBool>,
) -> Vec<Tried> {
    let mut done = Vec::with_capacity(batch.len());
    let mut attempt = 0u32;
    let mut pause = Duration::ZERO;
    loop {
        if no_batches.load(Ordering::Relaxed) {
            return one_by_one(client, batch, done, tries, backoff).await;
        }
        let items: Vec<BatchDecision<'_>> = batch
            .iter()
            .map(|q| BatchDecision {
                application_id: &q.portal_id,
                idempotency_key: &q.entry.idempotency_key,
                bytes: &q.bytes,
            })
            .collect();
        let answer = client.decide_batch(&items).await;
        drop(items);
        let last_try = attempt + 1 >= tries;
        match answer {
            Err(e) if batches_unknown(&e) => {
                no_batches.store(true, Ordering::Relaxed);
                return one_by_one(client, batch, done, tries, backoff).await;
            }
            Ok(answers) => {
                let mut again = Vec::new();
                for (mut q, answer) in batch.into_iter().zip(answers) {
                    match answer {
                        Err(e)
                            if retry_in_round(&e)
                                && !matches!(e, Error::AnswerUnreadable { .. })
                                && !last_try =>
                        {
                            q.failures.push(e.code());
                            again.push(q);
                        }
                        outcome => {
                            let outcome = outcome.map(|w| Sent {
                                body: w.body,
                                application: Some(w.value.application),
                            });
                            done.push(q.tried(outcome, pause));
                        }
                    }
                }
                if again.is_empty() {
                    return done;
                }
                batch = again;
            }
            Err(e)
                if retry_in_round(&e)
                    && !matches!(e, Error::AnswerUnreadable { .. })
                    && !last_try =>
            {
                for q in &mut batch {
                    q.failures.push(e.code());
                }
            }
            Err(e) => {
                let copies: Option<Vec<Error>> = batch.iter().map(|_| for_each_entry(&e)).collect();
                let Some(copies) = copies else {
                    return one_by_one(client, batch, done, tries, backoff).await;
                };
                for (q, copy) in batch.into_iter().zip(copies) {
                    done.push(q.tried(Err(copy), pause));
                }
                return done;
            }
        }
        pause = backoff.delay(attempt);
        attempt += 1;
        tokio::time::sleep(pause).await;
    }
}

/// The entries of a batch sent one by one, as the push sends any entry.
async fn one_by_one(
    client: PortalClient,
    batch: Vec<Queued>,
    mut done: Vec<Tried>,
    tries: u32,
    backoff: Backoff,
) -> Vec<Tried> {
    for q in batch {
        let body = Body::Decision {
            portal_id: q.portal_id,
            bytes: q.bytes,
        };
        let mut tried = try_entry(client.clone(), q.entry, body, tries, backoff.clone()).await;
        let mut failures = q.failures;
        failures.append(&mut tried.failures);
        tried.failures = failures;
        done.push(tried);
    }
    done
}
