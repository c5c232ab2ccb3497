//! The pull (R-4, R-33, issue 12): the change feed after the saved cursor, page by page.
//!
//! A fetcher task reads the next pages — HTTP, JSON, each item parsed on its own into
//! the domain — while the round applies the ones before to the journal, so the wire and
//! the database work at the same time. Up to [`PAGES_PER_TRANSACTION`] pages are applied
//! together, in one transaction with the cursor after the last of them; the channel
//! between them holds one such group: memory holds at most three groups, never the whole
//! result. When a fetch fails, the pages read before it are applied first. An item this
//! app cannot read is kept raw in the quarantine with its page, never counted and
//! dropped.

use crate::backoff::Backoff;
use crate::client::{PortalClient, RawChangesPage};
use crate::error::Error;
use crate::state::SyncEvent;
use crate::worker::{Events, RoundClock, RoundReport, SyncWorker, pulled_as_sent, retry_in_round};
use portal_api as wire;
use sha2::{Digest, Sha256};
use store::{PulledApplication, Store, Unreadable};
use tokio::sync::mpsc;

/// Pages applied in one transaction with the cursor after the last of them: the B-trees'
/// last leaves are written once for four pages instead of once for each (issue 12; in
/// alternating runs on a noisy machine the applying took 8.4–9.7 s against 10.5–13.7 s
/// one page to a transaction, BENCHMARKS.md).
const PAGES_PER_TRANSACTION: u32 = 4;

/// Pages fetched and read, ready to be applied together.
struct Fetched {
    pages: u32,
    items: Vec<PulledApplication>,
    unreadable: Vec<Unreadable>,
    received: u64,
    next_cursor: String,
    retried: u64,
}

/// Reads one pulled item: the wire type, then the domain's rules. Its raw text is kept as
/// the portal's JSON of the row (no second serialisation).
pub(crate) fn read_item(raw: &str, app_version: &str) -> Result<PulledApplication, Unreadable> {
    let unreadable = |error: String| {
        let id = serde_json::from_str::<serde_json::Value>(raw)
            .ok()
            .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
            .filter(|id| !id.is_empty() && id.len() <= 200)
            .unwrap_or_else(|| {
                let digest = Sha256::digest(raw.as_bytes());
                format!("sha256:{}", hex::encode(digest))
            });
        Unreadable {
            portal_id: id,
            raw: raw.to_string(),
            error: error.chars().take(500).collect(),
            app_version: app_version.to_string(),
        }
    };
    let wire: wire::Application =
        serde_json::from_str(raw).map_err(|e| unreadable(e.to_string()))?;
    pulled_as_sent(&wire, raw.to_string()).map_err(|e| unreadable(e.to_string()))
}

fn read_page(page: RawChangesPage, app_version: &str, retried: u64) -> Fetched {
    let received = page.items.len() as u64;
    let mut items = Vec::with_capacity(page.items.len());
    let mut unreadable = Vec::new();
    for raw in &page.items {
        match read_item(raw.get(), app_version) {
            Ok(p) => items.push(p),
            Err(u) => unreadable.push(u),
        }
    }
    Fetched {
        pages: 1,
        items,
        unreadable,
        received,
        next_cursor: page.next_cursor,
        retried,
    }
}

/// Fetches pages after `cursor` until the feed has no more, one page ahead of the
/// applier; stops when the applier hangs up.
async fn fetch_pages(
    client: PortalClient,
    mut cursor: Option<String>,
    page_size: u32,
    tries: u32,
    mut backoff: Backoff,
    app_version: String,
    out: mpsc::Sender<Result<(Fetched, bool), Error>>,
) {
    let mut held: Option<Fetched> = None;
    let mut merged = 0u32;
    loop {
        let mut attempt = 0u32;
        let page = loop {
            match client.changes_raw(cursor.as_deref(), page_size).await {
                Err(e) if retry_in_round(&e) && attempt + 1 < tries => {
                    let pause = backoff.delay(attempt);
                    attempt += 1;
                    tokio::time::sleep(pause).await;
                }
                other => break other,
            }
        };
        let page = match page {
            Ok(p) => p,
            Err(e) => {
                // The pages read before the failure are applied, then the failure.
                if let Some(h) = held.take()
                    && out.send(Ok((h, true))).await.is_err()
                {
                    return;
                }
                let _ = out.send(Err(e)).await;
                return;
            }
        };
        let moved = cursor.as_deref() != Some(page.next_cursor.as_str());
        let more = page.has_more && moved;
        cursor = Some(page.next_cursor.clone());
        // Parsing is CPU work: off the runtime's reactor, beside the applier.
        let version = app_version.clone();
        let fetched =
            tokio::task::spawn_blocking(move || read_page(page, &version, u64::from(attempt)))
                .await;
        let Ok(fetched) = fetched else { return };
        let fetched = match held.take() {
            Some(mut h) => {
                h.absorb(fetched);
                h
            }
            None => fetched,
        };
        merged += 1;
        if more && merged < PAGES_PER_TRANSACTION {
            held = Some(fetched);
            continue;
        }
        merged = 0;
        if out.send(Ok((fetched, more))).await.is_err() || !more {
            return;
        }
    }
}

impl Fetched {
    /// Takes the next page into this one: its items after these, its cursor.
    fn absorb(&mut self, next: Fetched) {
        self.pages += next.pages;
        self.items.extend(next.items);
        self.unreadable.extend(next.unreadable);
        self.received += next.received;
        self.retried += next.retried;
        self.next_cursor = next.next_cursor;
    }
}

/// Runs blocking work where the runtime allows it to overlap with its other tasks
/// (`block_in_place` on a multi-thread runtime), else inline.
pub(crate) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match multi_thread_runtime() {
        Some(_) => tokio::task::block_in_place(f),
        None => f(),
    }
}

/// The current runtime when it is a multi-thread one (blocking work may leave its
/// worker), else `None`.
fn multi_thread_runtime() -> Option<tokio::runtime::Handle> {
    tokio::runtime::Handle::try_current()
        .ok()
        .filter(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread)
}

/// Stops the fetcher when the pull ends early (an error, a dropped round).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl SyncWorker {
    /// Page by page after the saved cursor; see the module's text.
    pub(crate) async fn pull(
        &mut self,
        store: &mut Store,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<(), Error> {
        let (tx, mut rx) = mpsc::channel(1);
        store.set_cache_bytes(64 * 1024 * 1024)?;
        let cursor = store.sync_cursor()?;
        // A first pull into an empty journal takes plain inserts (issue 12).
        let first = cursor.is_none() && store.status_counts()?.all() == 0;
        let fetcher = tokio::spawn(fetch_pages(
            self.client.clone(),
            cursor,
            self.config.page_size,
            self.config.tries_per_round,
            Backoff::new(
                self.config.backoff_base,
                self.config.backoff_max,
                self.seed ^ 0x70_75_6c_6c,
            ),
            self.config.app_version.clone(),
            tx,
        ));
        let _stop = AbortOnDrop(fetcher);
        // A first pull builds the read-only indexes once at its end (store::bulk); a
        // first pull cut short by a crash left them to this round.
        if first {
            store.defer_indexes()?;
            // Its pages are copied into the file beside it (store::background_checkpoint).
            store.start_background_checkpoints()?;
        } else {
            blocking(|| store.build_deferred_indexes())?;
        }
        store.set_pulling(true)?;
        let pulled = apply_pages(store, &mut rx, first, clock, report, events).await;
        // The build is a pull's write too (a power cut loses it with nothing else: the
        // indexes stay listed and the next round builds them).
        let built = if first {
            let building = std::time::Instant::now();
            let built = blocking(|| store.build_deferred_indexes());
            report.pull_indexing += building.elapsed();
            built.map(|_| ())
        } else {
            Ok(())
        };
        // The last copy (the indexes' pages) is waited for: the pull ends with its pages
        // in the file. A failed copy left them in the WAL, as safe (the connection's own
        // checkpoint copies them next; a disk that fails fails the next write): not the
        // round's error.
        let _copied = blocking(|| store.stop_background_checkpoints());
        store.set_pulling(false)?;
        built?;
        pulled
    }
}

/// The applier's side of [`SyncWorker::pull`]: each page and its cursor one transaction.
async fn apply_pages(
    store: &mut Store,
    rx: &mut mpsc::Receiver<Result<(Fetched, bool), Error>>,
    first: bool,
    clock: &RoundClock,
    report: &mut RoundReport,
    events: Events<'_>,
) -> Result<(), Error> {
    loop {
        let waited = std::time::Instant::now();
        let Some(message) = rx.recv().await else {
            break;
        };
        report.pull_waiting += waited.elapsed();
        let (page, more) = message?;
        let applying = std::time::Instant::now();
        // Applying is blocking SQLite work; on a multi-thread runtime the fetcher
        // keeps reading the next page meanwhile.
        let applied = blocking(|| {
            let now = clock.now();
            if first {
                store.apply_first_pull_page(&page.items, &page.unreadable, &page.next_cursor, now)
            } else {
                store.apply_pulled_page(&page.items, &page.unreadable, &page.next_cursor, now)
            }
        })?;
        report.pull_applying += applying.elapsed();
        report.pages += page.pages;
        report.pulled += page.received;
        report.retried += page.retried;
        report.malformed += page.unreadable.len() as u64;
        report.inserted += u64::from(applied.inserted);
        report.updated += u64::from(applied.updated);
        report.kept_local += u64::from(applied.kept_local);
        if !applied.changed_ids.is_empty() {
            events(SyncEvent::RowsChanged {
                ids: applied.changed_ids,
            });
        }
        // Freeing a group's ~100 000 strings is work for the other core, not the
        // applier's (issue 12: 0.30 s of a first pull of 100 000, measured).
        drop_elsewhere(page);
        if !more {
            break;
        }
    }
    Ok(())
}

/// Drops `value` on the runtime's blocking pool when there is one (a multi-thread
/// runtime), else here.
fn drop_elsewhere<T: Send + 'static>(value: T) {
    match multi_thread_runtime() {
        Some(h) => drop(h.spawn_blocking(move || drop(value))),
        None => drop(value),
    }
}

impl SyncWorker {
    /// Items quarantined by another version of the app are read again by this one: those
    /// it reads are applied (a newer local row is never overwritten), the rest stay,
    /// marked with this version.
    pub(crate) fn retry_quarantine(
        &mut self,
        store: &mut Store,
        clock: &RoundClock,
        report: &mut RoundReport,
        events: Events<'_>,
    ) -> Result<(), Error> {
        let waiting = store.quarantine_to_retry(&self.config.app_version)?;
        if waiting.is_empty() {
            return Ok(());
        }
        let mut readable = Vec::new();
        let mut still = Vec::new();
        for (_, raw) in &waiting {
            match read_item(raw, &self.config.app_version) {
                Ok(p) => readable.push(p),
                Err(u) => still.push(u),
            }
        }
        let applied = store.retry_quarantine(&readable, &still, clock.now())?;
        report.unquarantined += readable.len() as u64;
        if !applied.changed_ids.is_empty() {
            events(SyncEvent::RowsChanged {
                ids: applied.changed_ids,
            });
        }
        Ok(())
    }
}
