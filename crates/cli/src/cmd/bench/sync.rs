//! Sync (issues 5, 12): raw paging of the portal, the first pull through the desk and the
//! push of queued decisions, against portal-sim over HTTP on 127.0.0.1.

use super::figures::{mark, ms, section_title};
use super::keys::KeyFiles;
use super::results::Results;
use super::{BenchArgs, Sizes};
use anyhow::{Context, bail, ensure};
use desk::Desk;
use desk::sync_run::{self, SyncTarget};
use desk::vault::{self, SecretString};
use desk::views::{DecisionInput, JournalQuery, StatusKey};
use domain::Iin;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const PULL_SECONDS: f64 = 10.0;
const PULL_RATIO: f64 = 1.5;
const PUSH_SECONDS: f64 = 20.0;

/// A portal-sim process started by the bench; stopped when dropped.
pub(super) struct PortalProcess {
    child: Child,
    pub(super) url: String,
}

impl Drop for PortalProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn start_portal(
    args: &BenchArgs,
    sizes: &Sizes,
    work: &Path,
) -> anyhow::Result<PortalProcess> {
    let started = Instant::now();
    let portal = spawn_portal(
        args,
        work,
        &[
            "--schools".into(),
            "1".into(),
            "--applications".into(),
            sizes.sync_applications.to_string(),
            "--trust-ca".into(),
            KeyFiles::make_ca(&work.join("clerk-key"))?
                .display()
                .to_string(),
        ],
        &format!("portal-{}.sqlite", sizes.sync_applications),
    )?;
    println!(
        "portal: portal-sim, one school, {} applications, seeded and listening in {:.1} s at {}",
        sizes.sync_applications,
        started.elapsed().as_secs_f64(),
        portal.url
    );
    Ok(portal)
}

/// Starts the portal-sim binary (seed 1, a port of its own) with `extra` arguments and
/// its database `db_name` in `work`; returns once it listens.
pub(super) fn spawn_portal(
    args: &BenchArgs,
    work: &Path,
    extra: &[String],
    db_name: &str,
) -> anyhow::Result<PortalProcess> {
    let bin = match &args.portal_sim {
        Some(p) => p.clone(),
        None => std::env::current_exe()?.with_file_name("portal-sim"),
    };
    ensure!(
        bin.exists(),
        "no portal-sim binary at {} (cargo build -p portal-sim, or pass --portal-sim / --portal)",
        bin.display()
    );
    let db = work.join(db_name);
    let mut child = Command::new(&bin)
        .args(["--listen", "127.0.0.1:0", "--seed", "1"])
        .args(extra)
        .arg("--db")
        .arg(&db)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        BufReader::new(out).read_line(&mut line)?;
    }
    let portal = PortalProcess {
        url: line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or("")
            .to_string(),
        child,
    };
    ensure!(
        !portal.url.is_empty(),
        "portal-sim did not say where it listens: {line:?}"
    );
    Ok(portal)
}

/// The portal's demo clerks.
pub(super) struct DemoClerk {
    pub iin: Iin,
    pub password: String,
    pub name: String,
    pub school_id: String,
}

pub(super) async fn demo_clerk_list(
    http: &reqwest::Client,
    url: &str,
) -> anyhow::Result<Vec<DemoClerk>> {
    let staff: Vec<serde_json::Value> = http
        .get(format!("{url}/admin/demo-staff"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    staff
        .iter()
        .map(|s| {
            let field = |k: &str| {
                s.get(k)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .context("demo staff field")
            };
            Ok(DemoClerk {
                iin: Iin::parse(&field("iin")?)
                    .map_err(|e| anyhow::anyhow!("demo staff IIN: {e:?}"))?,
                password: field("password")?,
                name: field("name")?,
                school_id: field("school_id")?,
            })
        })
        .collect()
}

/// The first demo clerk of the portal: (IIN, password, name).
pub(super) async fn demo_clerk(
    http: &reqwest::Client,
    url: &str,
) -> anyhow::Result<(Iin, String, String)> {
    let staff: serde_json::Value = http
        .get(format!("{url}/admin/demo-staff"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let first = staff.get(0).context("the portal lists no demo staff")?;
    let field = |k: &str| {
        first
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .context("demo staff field")
    };
    let iin = Iin::parse(&field("iin")?).map_err(|e| anyhow::anyhow!("demo staff IIN: {e:?}"))?;
    Ok((iin, field("password")?, field("name")?))
}

/// Every page of `/api/v1/changes` as the sync client asks for them, read and parsed as
/// JSON, nothing stored: the floor a pull can reach.
async fn raw_pull(
    http: &reqwest::Client,
    url: &str,
    iin: &Iin,
    password: &str,
    page: u32,
) -> anyhow::Result<(u64, u32)> {
    let signed: serde_json::Value = http
        .post(format!("{url}/api/v1/auth/sign-in"))
        .json(&serde_json::json!({ "iin": iin.to_string(), "password": password }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = signed
        .get("token")
        .and_then(|t| t.as_str())
        .context("no token")?
        .to_string();
    let (mut items, mut pages, mut after) = (0u64, 0u32, None::<String>);
    loop {
        // Cursors are decimal sequence numbers: nothing to escape.
        let query = match &after {
            Some(a) => format!("limit={page}&after={a}"),
            None => format!("limit={page}"),
        };
        let req = http
            .get(format!("{url}/api/v1/changes?{query}"))
            .bearer_auth(&token);
        let body = req.send().await?.error_for_status()?.bytes().await?;
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        pages += 1;
        items += v
            .get("items")
            .and_then(|i| i.as_array())
            .map_or(0, |a| a.len() as u64);
        if v.get("has_more").and_then(serde_json::Value::as_bool) != Some(true) {
            return Ok((items, pages));
        }
        after = v
            .get("next_cursor")
            .and_then(|c| c.as_str())
            .map(str::to_string);
    }
}

pub(super) fn sync(
    args: &BenchArgs,
    sizes: &Sizes,
    work: &Path,
    results: &mut Results,
) -> anyhow::Result<()> {
    section_title("sync (issue 5): desk::sync_run against portal-sim over HTTP on 127.0.0.1");
    let _process;
    let url = match &args.portal {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => {
            let p = start_portal(args, sizes, work)?;
            let u = p.url.clone();
            _process = p;
            u
        }
    };
    if args.quick {
        println!(
            "(--quick: a few hundred applications; fixed costs dominate, the marks mean little)"
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let http = reqwest::Client::builder().no_proxy().build()?;
    let (clerk, password, name) = rt.block_on(demo_clerk(&http, &url))?;
    let page = desk::sync::SyncConfig::default().page_size;

    // Raw paging first (also warms the portal's cache for both).
    let raw = |label: &str| -> anyhow::Result<(Duration, u64, u32)> {
        let started = Instant::now();
        let (items, pages) = rt.block_on(raw_pull(&http, &url, &clerk, &password, page))?;
        let took = started.elapsed();
        println!(
            "raw paging ({label}): {items} applications in {pages} pages of {page}: {:.2} s",
            took.as_secs_f64()
        );
        Ok((took, items, pages))
    };
    let (raw1, raw_items, _) = raw("reqwest + JSON parse, nothing stored")?;

    // The first pull into an empty journal, through the desk: documents are cached by the
    // next rounds, so this round only pulls (and reads the reference lists).
    let db = work.join("synced.sqlite");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(vault::keys_path(&db));
    // Encrypted like the product's (issue 16): the clerk signed in online, then enrolled.
    let key = if args.plaintext {
        None
    } else {
        let secret = SecretString::from(password.clone());
        Some(vault::enroll(
            &db,
            &clerk,
            &secret,
            None,
            OffsetDateTime::now_utc(),
        )?)
    };
    let keyed = |t: SyncTarget| match &key {
        Some(k) => t.with_key(k),
        None => t,
    };
    let mut target = keyed(SyncTarget::new(&db, &url, &clerk, &password));
    target.config.documents_per_round = 0;
    let started = Instant::now();
    let report = sync_run::sync_once_with(&target, OffsetDateTime::now_utc())?;
    let pull = started.elapsed();
    if let Some(e) = &report.stopped {
        bail!("the first pull stopped: {} {e}", e.code());
    }
    let (raw2, _, _) = raw("again")?;
    let raw_best = raw1.min(raw2);
    ensure!(
        report.pulled == raw_items,
        "the desk pulled {} of {raw_items} applications",
        report.pulled
    );
    let ratio = pull.as_secs_f64() / raw_best.as_secs_f64().max(1e-9);
    let scaled = pull.as_secs_f64() * 100_000.0 / (report.pulled.max(1) as f64);
    println!(
        "first pull: {} applications in {} pages, {} inserted: {:.2} s ({:.0} applications/s; {:.2} s per 100 000)   target ≤ {PULL_SECONDS} s for 100 000   {}",
        report.pulled,
        report.pages,
        report.inserted,
        pull.as_secs_f64(),
        report.pulled as f64 / pull.as_secs_f64().max(1e-9),
        scaled,
        mark(scaled <= PULL_SECONDS)
    );
    let peak = peak_memory_bytes();
    println!(
        "peak memory of this process after the first pull (VmHWM): {}",
        peak.map_or("unknown".to_string(), |b| format!(
            "{:.0} MB",
            b as f64 / 1e6
        ))
    );
    if let Some(b) = peak {
        results.add("sync.pull_peak_memory", b as f64 / 1e6, "MB", None);
    }
    println!(
        "  of which: applying pages to the journal {:.2} s, waiting for the next page {:.2} s (fetched and parsed meanwhile), building the read-only indexes after the last page {:.2} s",
        report.pull_applying.as_secs_f64(),
        report.pull_waiting.as_secs_f64(),
        report.pull_indexing.as_secs_f64()
    );
    println!(
        "first pull ÷ raw paging: {ratio:.2}×   target ≤ {PULL_RATIO}×   {}",
        mark(ratio <= PULL_RATIO)
    );
    results.add_against(
        "sync.pull",
        pull.as_secs_f64(),
        "s",
        Some(PULL_RATIO * raw_best.as_secs_f64()),
        raw_best.as_secs_f64(),
    );

    // The next round with the product's settings: nothing new to pull, documents cached.
    let target_docs = keyed(SyncTarget::new(&db, &url, &clerk, &password));
    let started = Instant::now();
    let r2 = sync_run::sync_once_with(&target_docs, OffsetDateTime::now_utc())?;
    println!(
        "next round (nothing new, caches up to {} documents): {} cached, {} pulled in {:.2} s",
        target_docs.config.documents_per_round,
        r2.documents_cached,
        r2.pulled,
        started.elapsed().as_secs_f64()
    );

    // Push: M decisions queued at the desk (each signed with the clerk's .p12 and written
    // with its outbox entry), then the rounds that send them.
    let keys = KeyFiles::make(&work.join("clerk-key"), &clerk, &name)?;
    let signer = keys.p12()?;
    let mut desk = match &key {
        Some(k) => Desk::open_encrypted(&db, k)?,
        None => Desk::open(&db)?,
    };
    let mut ids = Vec::new();
    for status in [StatusKey::New, StatusKey::UnderReview] {
        let mut q = JournalQuery {
            status: Some(status),
            limit: 1000,
            ..JournalQuery::default()
        };
        while (ids.len() as u64) < sizes.push_decisions {
            let p = desk.journal(&q)?;
            ids.extend(p.rows.into_iter().filter(|r| !r.provisional).map(|r| r.id));
            match p.next {
                Some(n) => q.after = Some(n),
                None => break,
            }
        }
    }
    ids.truncate(sizes.push_decisions as usize);
    let started = Instant::now();
    for (n, id) in ids.iter().enumerate() {
        let input = DecisionInput {
            application_id: id.clone(),
            decision: "reject".into(),
            reason_code: Some("incomplete_documents".into()),
            reason_text: None,
        };
        desk.decide(
            &clerk,
            &input,
            &signer,
            OffsetDateTime::now_utc(),
            format!("bench-{}-{n}", std::process::id()),
        )?;
    }
    let queued = started.elapsed();
    drop(desk);
    println!(
        "queued {} decisions at the desk (sign + one transaction each) in {:.1} s ({:.2} ms per decision)",
        ids.len(),
        queued.as_secs_f64(),
        ms(queued) / ids.len().max(1) as f64
    );
    if ids.len() < sizes.push_decisions as usize {
        println!(
            "(only {} decidable applications on this portal; asked for {})",
            ids.len(),
            sizes.push_decisions
        );
    }
    let started = Instant::now();
    let (mut pushed, mut refused, mut retried, mut rounds, mut left) = (0, 0, 0, 0, u64::MAX);
    while left > 0 && rounds < 20 {
        let r = sync_run::sync_once_with(&target, OffsetDateTime::now_utc())?;
        pushed += r.pushed;
        refused += r.refused;
        retried += r.retried;
        left = r.pending_left;
        rounds += 1;
    }
    let push = started.elapsed();
    let scaled = push.as_secs_f64() * 10_000.0 / (pushed + refused).max(1) as f64;
    println!(
        "push: {pushed} accepted, {refused} refused by the portal, {retried} retried, {left} left, in {rounds} round(s): {:.2} s ({:.1} ms per decision; {:.1} s per 10 000)   target ≤ {PUSH_SECONDS} s for 10 000   {}",
        push.as_secs_f64(),
        ms(push) / (pushed + refused).max(1) as f64,
        scaled,
        mark(scaled <= PUSH_SECONDS && left == 0)
    );
    results.add("sync.push", scaled, "s", Some(PUSH_SECONDS));
    ensure!(left == 0, "{left} decisions were not pushed");
    Ok(())
}

/// The peak resident memory of this process so far (Linux `VmHWM`), in bytes.
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
