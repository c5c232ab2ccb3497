//! `qabyldau bench`: measures the product's speed targets through the real public APIs
//! (desk, store, signing, receipts, sync) on real files, a real SoftHSM2 token and real
//! HTTP on 127.0.0.1, and prints the figures beside their targets. The marks (PASS / OVER)
//! are information only: the command exits 0 unless a measurement itself failed.
//!
//! Targets: issue 3 (journal search p95 ≤ 5 ms on 1 M applications), issue 6 (one PKCS#11
//! signature within 1.3× of `openssl cms -sign` with the same key), issue 7 (a receipt
//! ≤ 20 ms and ≤ 100 KB), issue 5 (first pull of 100 000 applications ≤ 10 s and within
//! 1.5× of fetching the same pages raw; push of 10 000 queued decisions ≤ 20 s).
//! How to run and the figures of this machine: BENCHMARKS.md at the top of the repository.

use anyhow::{Context, bail, ensure};
use clap::{Args, ValueEnum};
use desk::Desk;
use desk::demo_data::{DemoFill, fill};
use desk::signing::{P12Signer, Pkcs11Signer, Signer, TokenTarget, Zeroizing};
use desk::sync_run::{self, SyncTarget};
use desk::views::{DecisionInput, JournalQuery, JournalSort, StatusKey};
use domain::Iin;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Section {
    Journal,
    Signing,
    Receipts,
    Sync,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Tiny sizes (seconds, for CI): 1 000 applications, 20 runs, a 300-application portal.
    #[arg(long, conflicts_with = "full")]
    pub quick: bool,
    /// The targets' full sizes: a journal of 1 000 000 applications.
    #[arg(long)]
    pub full: bool,
    /// Applications in the journal (default 100 000; 1 000 000 with --full).
    #[arg(long)]
    pub applications: Option<u64>,
    /// The journal to fill (default: in the work directory, removed afterwards).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Measure the journal at --db as it is when it exists, without filling it (build a
    /// big journal once, measure it many times).
    #[arg(long, requires = "db")]
    pub reuse: bool,
    /// Runs of each journal query kind (default 200).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Signatures per signer (default 200).
    #[arg(long)]
    pub signatures: Option<usize>,
    /// Applications of the one school on the simulated portal (default 100 000).
    #[arg(long)]
    pub sync_applications: Option<u64>,
    /// Decisions queued at the desk and pushed (default 10 000).
    #[arg(long)]
    pub push_decisions: Option<u64>,
    /// Measure against this running portal (its first demo clerk) instead of starting
    /// `portal-sim`.
    #[arg(long, value_name = "URL")]
    pub portal: Option<String>,
    /// The portal-sim binary (default: next to this executable).
    #[arg(long, value_name = "PATH")]
    pub portal_sim: Option<PathBuf>,
    /// The SoftHSM2 PKCS#11 module.
    #[arg(long, default_value = "/usr/lib/softhsm/libsofthsm2.so")]
    pub softhsm_module: PathBuf,
    /// Only these sections (repeatable); all by default.
    #[arg(long, value_enum)]
    pub only: Vec<Section>,
    /// Where keys, tokens and temporary databases go (default: a fresh directory under
    /// the system temp directory, removed afterwards).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// Keep the work directory.
    #[arg(long)]
    pub keep: bool,
    /// Internal: the PKCS#11 half of the signing section, run in a child process that has
    /// `SOFTHSM2_CONF` pointing at the bench token.
    #[arg(long, hide = true, value_name = "DIR")]
    pub signing_worker: Option<PathBuf>,
}

/// The sizes of one run.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    applications: u64,
    runs: usize,
    signatures: usize,
    openssl_runs: usize,
    receipt_runs: usize,
    sync_applications: u64,
    push_decisions: u64,
}

impl Sizes {
    fn of(a: &BenchArgs) -> Sizes {
        let base = if a.quick {
            Sizes {
                applications: 1_000,
                runs: 20,
                signatures: 10,
                openssl_runs: 5,
                receipt_runs: 5,
                sync_applications: 300,
                push_decisions: 20,
            }
        } else {
            Sizes {
                applications: if a.full { 1_000_000 } else { 100_000 },
                runs: 200,
                signatures: 200,
                openssl_runs: 50,
                receipt_runs: 50,
                sync_applications: 100_000,
                push_decisions: 10_000,
            }
        };
        Sizes {
            applications: a.applications.unwrap_or(base.applications),
            runs: a.runs.unwrap_or(base.runs).max(1),
            signatures: a.signatures.unwrap_or(base.signatures).max(1),
            openssl_runs: a.signatures.map_or(base.openssl_runs, |s| s.clamp(1, 50)),
            receipt_runs: base.receipt_runs,
            sync_applications: a.sync_applications.unwrap_or(base.sync_applications),
            push_decisions: a.push_decisions.unwrap_or(base.push_decisions),
        }
    }
}

// ---- figures ----

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50, p95 and max of a set of timings, in milliseconds.
#[derive(Debug, Clone, Copy)]
struct Spread {
    p50: f64,
    p95: f64,
    max: f64,
}

fn spread(times: &[Duration]) -> Spread {
    let mut v: Vec<f64> = times.iter().map(|d| ms(*d)).collect();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return Spread {
            p50: 0.0,
            p95: 0.0,
            max: 0.0,
        };
    }
    let at = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
    Spread {
        p50: at(0.50),
        p95: at(0.95),
        max: v[v.len() - 1],
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "PASS" } else { "OVER" }
}

fn section_title(title: &str) {
    println!();
    println!("== {title} ==");
}

// ---- the command ----

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.signing_worker {
        return signing_worker(dir, &args.softhsm_module, Sizes::of(&args).signatures);
    }
    let sizes = Sizes::of(&args);
    let work = match &args.work_dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("qabyldau-bench-{}", std::process::id())),
    };
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    let wanted = |s: Section| args.only.is_empty() || args.only.contains(&s);

    println!(
        "qabyldau bench: {} build, {} CPU(s), work directory {}",
        if cfg!(debug_assertions) {
            "DEBUG (figures not representative; use scripts/bench)"
        } else {
            "release"
        },
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        work.display()
    );
    let mut failed = Vec::new();
    let mut section = |name: Section, f: &dyn Fn() -> anyhow::Result<()>| {
        if !wanted(name) {
            return;
        }
        if let Err(e) = f() {
            println!("{name:?}: FAILED: {e:#}");
            failed.push(name);
        }
    };
    section(Section::Journal, &|| journal(&args, &sizes, &work));
    section(Section::Signing, &|| signing(&args, &sizes, &work));
    section(Section::Receipts, &|| receipts(&args, &sizes, &work));
    section(Section::Sync, &|| sync(&args, &sizes, &work));

    if !args.keep && args.work_dir.is_none() {
        let _ = std::fs::remove_dir_all(&work);
    }
    println!();
    if failed.is_empty() {
        println!("bench: done (marks are information; speed is never a test failure)");
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "bench: {} section(s) could not be measured: {failed:?}",
            failed.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

// ---- 1. the journal (issue 3) ----

const SEARCH_P95_MS: f64 = 5.0;

/// The journal the window reads, filled with `desk::demo_data::fill` unless reused.
fn journal_db(args: &BenchArgs, sizes: &Sizes, work: &Path) -> anyhow::Result<PathBuf> {
    let db = args
        .db
        .clone()
        .unwrap_or_else(|| work.join("journal.sqlite"));
    if db.exists() {
        ensure!(
            args.reuse,
            "{} exists: pass --reuse to measure it as it is, or remove it to fill it again",
            db.display()
        );
        println!("fill: reusing {} as it is (not filled)", db.display());
        return Ok(db);
    }
    let started = Instant::now();
    let summary = fill(
        &db,
        &DemoFill {
            seed: 1,
            applications: sizes.applications,
        },
    )?;
    let took = started.elapsed();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "fill: {} applications in {:.1} s = {:.0} applications/s (the demo generates ~12 per \
         application kept: only the first of 12 demo schools is kept); file {:.0} MB",
        summary.applications,
        took.as_secs_f64(),
        f64::from(summary.applications) / took.as_secs_f64().max(1e-9),
        size as f64 / 1e6
    );
    Ok(db)
}

fn query(search: Option<&str>) -> JournalQuery {
    JournalQuery {
        search: search.map(str::to_string),
        ..JournalQuery::default()
    }
}

fn journal(args: &BenchArgs, sizes: &Sizes, work: &Path) -> anyhow::Result<()> {
    section_title("journal search (issue 3): Desk::journal, a page of 100 rows with the counts");
    let db = journal_db(args, sizes, work)?;
    let desk = Desk::open(&db)?;
    let total = desk
        .journal(&JournalQuery {
            limit: 1,
            ..JournalQuery::default()
        })?
        .counts
        .all;
    ensure!(total > 0, "the journal at {} is empty", db.display());
    println!("journal: {} applications in {}", total, db.display());

    // Values taken from the journal itself: the newest and the oldest thousand rows.
    let newest = desk
        .journal(&JournalQuery {
            limit: 1000,
            ..JournalQuery::default()
        })?
        .rows;
    let oldest = desk
        .journal(&JournalQuery {
            limit: 1000,
            sort: JournalSort::SubmittedAsc,
            ..JournalQuery::default()
        })?
        .rows;
    let sample: Vec<_> = newest.iter().chain(oldest.iter()).collect();
    let iins: Vec<String> = sample
        .iter()
        .step_by(7)
        .map(|r| r.child_iin.clone())
        .collect();
    let iin_prefixes: Vec<String> = sample
        .iter()
        .step_by(11)
        .map(|r| r.child_iin[..6].to_string())
        .collect();
    let number_prefixes: Vec<String> = sample
        .iter()
        .step_by(13)
        .map(|r| r.number[..r.number.len().saturating_sub(2)].to_string())
        .collect();
    let day = |r: &desk::views::JournalRow| {
        time::Date::parse(
            &r.submitted_at[..10],
            time::macros::format_description!("[year]-[month]-[day]"),
        )
    };
    let (first, last) = (
        day(oldest.first().context("no rows")?)?,
        day(newest.first().context("no rows")?)?,
    );
    let middle = first + (last - first) / 2;
    let week = |from: time::Date| {
        (
            from.to_string(),
            (from + time::Duration::days(6)).to_string(),
        )
    };
    let ranges: Vec<(String, String)> = (0..4)
        .map(|k| week(middle + time::Duration::days(7 * k)))
        .collect();

    // Keyset cursors at depths 1…50 pages of the newest-first order.
    let mut cursors = Vec::new();
    let mut q = JournalQuery {
        limit: 100,
        ..JournalQuery::default()
    };
    for _ in 0..50 {
        let page = desk.journal(&q)?;
        let Some(next) = page.next else { break };
        cursors.push(next.clone());
        q.after = Some(next);
    }

    let names = |list: &[&str]| list.iter().map(|s| query(Some(s))).collect::<Vec<_>>();
    let status = |s: StatusKey| JournalQuery {
        status: Some(s),
        ..JournalQuery::default()
    };
    let mut kinds: Vec<(&str, Vec<JournalQuery>)> = vec![
        (
            "surname kk, 1 letter (Қ Ә Ж Н)",
            names(&["Қ", "Ә", "Ж", "Н"]),
        ),
        (
            "surname kk, 2 letters (Қа Әл …)",
            names(&["Қа", "Әл", "Жұ", "Нұ"]),
        ),
        (
            "surname kk, 3 letters (қас әлі …)",
            names(&["Қас", "әлі", "Жұм", "нұр"]),
        ),
        (
            "surname ru, 1 letter (К И П С)",
            names(&["К", "И", "П", "С"]),
        ),
        (
            "surname ru, 2 letters (Ко Ив …)",
            names(&["Ко", "Ив", "Пе", "См"]),
        ),
        (
            "surname ru, 3 letters (коз фед …)",
            names(&["Коз", "ива", "Пет", "фёд"]),
        ),
        ("exact IIN", iins.iter().map(|s| query(Some(s))).collect()),
        (
            "IIN prefix (6 digits)",
            iin_prefixes.iter().map(|s| query(Some(s))).collect(),
        ),
        (
            "number prefix",
            number_prefixes.iter().map(|s| query(Some(s))).collect(),
        ),
        (
            "status filter",
            vec![
                status(StatusKey::New),
                status(StatusKey::Accepted),
                status(StatusKey::Rejected),
            ],
        ),
        (
            "status + submitted week",
            ranges
                .iter()
                .zip([
                    StatusKey::New,
                    StatusKey::Accepted,
                    StatusKey::UnderReview,
                    StatusKey::Rejected,
                ])
                .map(|((from, to), s)| JournalQuery {
                    status: Some(s),
                    submitted_from: Some(from.clone()),
                    submitted_to: Some(to.clone()),
                    ..JournalQuery::default()
                })
                .collect(),
        ),
        (
            "language",
            ["ru", "kk"]
                .iter()
                .map(|l| JournalQuery {
                    language: Some((*l).to_string()),
                    ..JournalQuery::default()
                })
                .collect(),
        ),
        (
            "next page (keyset, pages 2…51)",
            cursors
                .iter()
                .map(|c| JournalQuery {
                    after: Some(c.clone()),
                    limit: 100,
                    ..JournalQuery::default()
                })
                .collect(),
        ),
        (
            "name order, name prefix (Ә)",
            vec![JournalQuery {
                search: Some("Ә".into()),
                sort: JournalSort::ChildName,
                ..JournalQuery::default()
            }],
        ),
    ];
    kinds.retain(|(_, qs)| !qs.is_empty());

    println!(
        "{:<36} {:>6} {:>8} {:>8} {:>8}   target p95 ≤ {SEARCH_P95_MS} ms ({} runs each, warm)",
        "query", "rows", "p50 ms", "p95 ms", "max ms", sizes.runs
    );
    let mut over = 0;
    for (label, queries) in &kinds {
        for q in queries.iter().take(3) {
            desk.journal(q)?; // warm-up
        }
        let mut times = Vec::with_capacity(sizes.runs);
        let mut rows = 0usize;
        for i in 0..sizes.runs {
            let q = &queries[i % queries.len()];
            let started = Instant::now();
            let page = desk.journal(q)?;
            times.push(started.elapsed());
            rows += page.rows.len();
        }
        let s = spread(&times);
        let ok = s.p95 <= SEARCH_P95_MS;
        over += usize::from(!ok);
        println!(
            "{:<36} {:>6} {:>8.2} {:>8.2} {:>8.2}   {}",
            label,
            rows / sizes.runs,
            s.p50,
            s.p95,
            s.max,
            mark(ok)
        );
    }
    println!(
        "journal: {} of {} query kinds over the target",
        over,
        kinds.len()
    );
    Ok(())
}

// ---- keys: an NCA-shaped certificate made with the openssl CLI ----

fn tool(program: &str, args: &[&str], dir: &Path, env: &[(&str, &Path)]) -> anyhow::Result<()> {
    let mut c = Command::new(program);
    c.args(args).current_dir(dir).stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .output()
        .with_context(|| format!("cannot run {program} (scripts/setup installs it)"))?;
    ensure!(
        out.status.success(),
        "{program} {}: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// Files of one signing key: `key.pem` (PKCS#8), `cert.pem`, `cert.der`, `key.p12`
/// (password [`P12_PASSWORD`]), issued by a bench CA like an NCA `RSA_*` certificate
/// (SERIALNUMBER=IIN…, keyUsage digitalSignature + nonRepudiation).
struct KeyFiles {
    dir: PathBuf,
}

const P12_PASSWORD: &str = "bench";

impl KeyFiles {
    fn make(dir: &Path, iin: &Iin, full_name: &str) -> anyhow::Result<KeyFiles> {
        std::fs::create_dir_all(dir)?;
        let mut parts = full_name.split_whitespace();
        let surname = parts.next().unwrap_or("BENCH").to_uppercase();
        let given = parts.next().unwrap_or("BENCH").to_uppercase();
        tool(
            "openssl",
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "3650",
                "-subj",
                "/CN=Qabyldau bench CA/O=Qabyldau bench/C=KZ",
            ],
            dir,
            &[],
        )?;
        let subject = format!("/CN={surname} {given}/SN={surname}/serialNumber=IIN{iin}/C=KZ");
        tool(
            "openssl",
            &[
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-utf8", "-keyout", "key.pem",
                "-out", "req.csr", "-subj", &subject,
            ],
            dir,
            &[],
        )?;
        std::fs::write(
            dir.join("ext.cnf"),
            "keyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        )?;
        tool(
            "openssl",
            &[
                "x509",
                "-req",
                "-in",
                "req.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "3650",
                "-sha256",
                "-extfile",
                "ext.cnf",
                "-out",
                "cert.pem",
            ],
            dir,
            &[],
        )?;
        tool(
            "openssl",
            &[
                "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der",
            ],
            dir,
            &[],
        )?;
        tool(
            "openssl",
            &[
                "pkcs12",
                "-export",
                "-inkey",
                "key.pem",
                "-in",
                "cert.pem",
                "-name",
                "RSA",
                "-out",
                "key.p12",
                "-passout",
                &format!("pass:{P12_PASSWORD}"),
            ],
            dir,
            &[],
        )?;
        Ok(KeyFiles {
            dir: dir.to_path_buf(),
        })
    }

    fn p12(&self) -> anyhow::Result<P12Signer> {
        Ok(P12Signer::open(
            &self.dir.join("key.p12"),
            Zeroizing::new(P12_PASSWORD.into()),
        )?)
    }
}

// ---- 2. signing (issue 6) ----

const TOKEN_LABEL: &str = "qabyldau-bench";
const TOKEN_PIN: &str = "246810";
const SO_PIN: &str = "87654321";
const SIGNING_RATIO: f64 = 1.3;

/// What a decision signs: canonical JSON of a typical decision payload.
const DECISION_BYTES: &[u8] = br#"{"application_id":"A-2026-0001234","base_version":3,"clerk_iin":"900101300017","decided_at":"2026-06-01T09:30:00Z","decision":"reject","reason_code":"incomplete_documents","reason_text":null}"#;

fn time_signatures(signer: &dyn Signer, n: usize) -> anyhow::Result<Vec<Duration>> {
    let now = OffsetDateTime::now_utc();
    for _ in 0..3 {
        signer.sign_detached(DECISION_BYTES, now)?;
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let cms = signer.sign_detached(DECISION_BYTES, now)?;
        times.push(started.elapsed());
        ensure!(!cms.is_empty(), "empty signature");
    }
    Ok(times)
}

/// Runs in the child with `SOFTHSM2_CONF` set: logs in to the bench token, signs, prints
/// `login_ms X` and `sign_ms A B C …`.
fn signing_worker(dir: &Path, module: &Path, n: usize) -> anyhow::Result<ExitCode> {
    let _ = dir;
    let started = Instant::now();
    let signer = Pkcs11Signer::open(
        &TokenTarget {
            module: module.to_path_buf(),
            token_label: TOKEN_LABEL.into(),
        },
        Zeroizing::new(TOKEN_PIN.into()),
    )?;
    println!("login_ms {:.3}", ms(started.elapsed()));
    let times = time_signatures(&signer, n)?;
    println!(
        "sign_ms {}",
        times
            .iter()
            .map(|d| format!("{:.4}", ms(*d)))
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(ExitCode::SUCCESS)
}

fn signing(args: &BenchArgs, sizes: &Sizes, work: &Path) -> anyhow::Result<()> {
    section_title("signing (issue 6): one detached CMS signature of a decision, after login");
    ensure!(
        args.softhsm_module.exists(),
        "no SoftHSM2 module at {}",
        args.softhsm_module.display()
    );
    let dir = work.join("signing");
    let iin = Iin::parse("900101300017").map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let keys = KeyFiles::make(&dir, &iin, "ТЕСТОВ ТЕСТ ТЕСТОВИЧ")?;

    // A SoftHSM2 token of its own, holding the same key and certificate.
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens)?;
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )?;
    let env = [("SOFTHSM2_CONF", conf.as_path())];
    tool(
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            TOKEN_LABEL,
            "--pin",
            TOKEN_PIN,
            "--so-pin",
            SO_PIN,
        ],
        &dir,
        &env,
    )?;
    tool(
        "softhsm2-util",
        &[
            "--import",
            "key.pem",
            "--token",
            TOKEN_LABEL,
            "--label",
            "RSA",
            "--id",
            "01020304",
            "--pin",
            TOKEN_PIN,
        ],
        &dir,
        &env,
    )?;
    let module = args.softhsm_module.display().to_string();
    tool(
        "pkcs11-tool",
        &[
            "--module",
            &module,
            "--token-label",
            TOKEN_LABEL,
            "--login",
            "--pin",
            TOKEN_PIN,
            "--write-object",
            "cert.der",
            "--type",
            "cert",
            "--id",
            "01020304",
            "--label",
            "RSA",
        ],
        &dir,
        &env,
    )?;

    // PKCS#11 in a child process: SoftHSM2 reads SOFTHSM2_CONF when it is loaded.
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .args([
            "bench",
            "--signatures",
            &sizes.signatures.to_string(),
            "--softhsm-module",
            &module,
            "--signing-worker",
        ])
        .arg(&dir)
        .env("SOFTHSM2_CONF", &conf)
        .stdin(Stdio::null())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    ensure!(
        out.status.success(),
        "PKCS#11 signing failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let numbers = |key: &str| -> Vec<f64> {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|rest| {
                rest.split_whitespace()
                    .filter_map(|v| v.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let login = numbers("login_ms ").first().copied().unwrap_or(f64::NAN);
    let token: Vec<Duration> = numbers("sign_ms ")
        .iter()
        .map(|m| Duration::from_secs_f64(m / 1000.0))
        .collect();
    ensure!(
        token.len() == sizes.signatures,
        "the PKCS#11 worker printed {} timings: {text}",
        token.len()
    );

    // The same key in software: a .p12 through the same CMS code, OpenSSL doing the RSA.
    let p12 = time_signatures(&keys.p12()?, sizes.signatures)?;

    // `openssl cms -sign` with the same key: one process per signature (as a script would),
    // and the start of an openssl process alone, to see what the signature itself costs.
    std::fs::write(dir.join("decision.json"), DECISION_BYTES)?;
    let openssl_times = |args: &[&str]| -> anyhow::Result<Vec<Duration>> {
        let mut v = Vec::new();
        for _ in 0..sizes.openssl_runs {
            let started = Instant::now();
            tool("openssl", args, &dir, &[])?;
            v.push(started.elapsed());
        }
        Ok(v)
    };
    let cms_args = [
        "cms",
        "-sign",
        "-binary",
        "-in",
        "decision.json",
        "-signer",
        "cert.pem",
        "-inkey",
        "key.pem",
        "-md",
        "sha256",
        "-nosmimecap",
        "-outform",
        "DER",
        "-out",
        "decision.p7s",
    ];
    let openssl_cms = openssl_times(&cms_args)?;
    let openssl_start = openssl_times(&["version"])?;

    let (t, s, c, o) = (
        spread(&token),
        spread(&p12),
        spread(&openssl_cms),
        spread(&openssl_start),
    );
    println!(
        "{:<52} {:>8} {:>8} {:>8}",
        "signer (RSA-2048, SHA-256, same key)", "p50 ms", "p95 ms", "max ms"
    );
    println!(
        "{:<52} {:>8.3} {:>8.3} {:>8.3}",
        format!("PKCS#11 SoftHSM2 token ({} signatures)", token.len()),
        t.p50,
        t.p95,
        t.max
    );
    println!(
        "{:<52} {:>8.3} {:>8.3} {:>8.3}",
        format!(".p12 in process, OpenSSL ({} signatures)", p12.len()),
        s.p50,
        s.p95,
        s.max
    );
    println!(
        "{:<52} {:>8.3} {:>8.3} {:>8.3}",
        format!(
            "openssl cms -sign, one process each ({} runs)",
            openssl_cms.len()
        ),
        c.p50,
        c.p95,
        c.max
    );
    println!(
        "{:<52} {:>8.3} {:>8.3} {:>8.3}",
        "  of which: starting openssl (openssl version)", o.p50, o.p95, o.max
    );
    println!("PKCS#11 login (open + C_Login + find key): {login:.1} ms, once per signing session");
    let vs_cli = t.p50 / c.p50;
    let cms_only = (c.p50 - o.p50).max(0.001);
    let vs_cms_only = t.p50 / cms_only;
    let vs_p12 = t.p50 / s.p50;
    println!(
        "token ÷ openssl cms -sign (process):            {vs_cli:>6.2}×   target ≤ {SIGNING_RATIO}×   {}",
        mark(vs_cli <= SIGNING_RATIO)
    );
    println!(
        "token ÷ openssl cms -sign without process start: {vs_cms_only:>6.2}×   target ≤ {SIGNING_RATIO}×   {}",
        mark(vs_cms_only <= SIGNING_RATIO)
    );
    println!(
        "token ÷ same key in process (.p12):            {vs_p12:>6.2}×   target ≤ {SIGNING_RATIO}×   {}",
        mark(vs_p12 <= SIGNING_RATIO)
    );
    // GOST 34.10-2015 512 with Streebog-512 in Rust (issue 10): target ≤ 5 ms each.
    let g = desk::signing::gost::timing::gost512(sizes.signatures, &mut rand::rng());
    for (name, d) in [("gost512.sign", g.sign), ("gost512.verify", g.verify)] {
        let p50 = ms(d);
        println!(
            "{name:<15} p50 {p50:>8.3} ms   target ≤ 5 ms   {}",
            mark(p50 <= 5.0)
        );
    }
    Ok(())
}

// ---- 3. receipts (issue 7) ----

const RECEIPT_MS: f64 = 20.0;
const RECEIPT_BYTES: usize = 100 * 1024;

/// The documented example inputs of the three documents in both languages.
const RECEIPT_EXAMPLES: &[(&str, &str)] = &[
    (
        "acceptance kk",
        include_str!("../../../receipts/examples/acceptance-kk.json"),
    ),
    (
        "acceptance ru",
        include_str!("../../../receipts/examples/acceptance-ru.json"),
    ),
    (
        "documents kk",
        include_str!("../../../receipts/examples/documents-kk.json"),
    ),
    (
        "documents ru",
        include_str!("../../../receipts/examples/documents-ru.json"),
    ),
    (
        "rejection kk",
        include_str!("../../../receipts/examples/rejection-kk.json"),
    ),
    (
        "rejection ru",
        include_str!("../../../receipts/examples/rejection-ru.json"),
    ),
];

fn receipt_row(label: &str, times: &[Duration], size: usize) {
    let s = spread(times);
    println!(
        "{:<46} {:>8.2} {:>8.2} {:>8.2} {:>8.1}   {} {}",
        label,
        s.p50,
        s.p95,
        s.max,
        size as f64 / 1024.0,
        mark(s.p95 <= RECEIPT_MS),
        mark(size <= RECEIPT_BYTES)
    );
}

fn receipts(args: &BenchArgs, sizes: &Sizes, work: &Path) -> anyhow::Result<()> {
    use desk::receipts::{ReceiptInput, ReceiptStyle, render};
    section_title("receipts (issue 7): validate + render one PDF");
    println!(
        "{:<46} {:>8} {:>8} {:>8} {:>8}   target ≤ {RECEIPT_MS} ms (p95), ≤ 100 KB ({} runs each)",
        "document", "p50 ms", "p95 ms", "max ms", "KB", sizes.receipt_runs
    );
    for (label, json) in RECEIPT_EXAMPLES {
        let mut times = Vec::new();
        let mut size = 0;
        for i in 0..=sizes.receipt_runs {
            let started = Instant::now();
            let receipt =
                ReceiptInput::parse(json).map_err(|e| anyhow::anyhow!("{label}: {e:?}"))?;
            let pdf = render(&receipt, &ReceiptStyle::default());
            if i > 0 {
                times.push(started.elapsed()); // the first run warms the fonts
            }
            size = pdf.len();
        }
        receipt_row(&format!("{label} (example input)"), &times, size);
    }
    // From the journal, as the window prints them: Desk::receipt reads the application,
    // its history and the school, then renders.
    let db = args
        .db
        .clone()
        .unwrap_or_else(|| work.join("journal.sqlite"));
    if !db.exists() {
        println!(
            "(Desk::receipt from the journal: not measured, no journal; run with the journal section)"
        );
        return Ok(());
    }
    let desk = Desk::open(&db)?;
    for (status, name) in [
        (StatusKey::Accepted, "acceptance"),
        (StatusKey::Rejected, "rejection"),
    ] {
        // Oldest first: the demo numbers its n-th application of the region 2026-NNNNNNN,
        // and a journal of more than ~800 000 holds numbers that no longer parse (8 digits).
        let page = desk.journal(&JournalQuery {
            status: Some(status),
            sort: JournalSort::SubmittedAsc,
            limit: 10,
            ..JournalQuery::default()
        })?;
        let mut rows = Vec::new();
        for r in &page.rows {
            match desk.receipt(&r.id, None) {
                Ok(_) => rows.push(r),
                Err(e) => println!("{name}: Desk::receipt refuses {} ({}): {e}", r.id, r.number),
            }
        }
        let Some(row) = rows.first() else {
            continue;
        };
        for lang in [domain::Lang::Kk, domain::Lang::Ru] {
            let mut times = Vec::new();
            let mut size = 0;
            for i in 0..=sizes.receipt_runs {
                let started = Instant::now();
                let file = desk.receipt(&rows[i % rows.len()].id, Some(lang))?;
                if i > 0 {
                    times.push(started.elapsed());
                }
                size = size.max(file.pdf.len());
            }
            receipt_row(
                &format!("{name} {} (Desk::receipt, {})", lang.code(), row.number),
                &times,
                size,
            );
        }
    }
    Ok(())
}

// ---- 4. sync (issue 5) ----

const PULL_SECONDS: f64 = 10.0;
const PULL_RATIO: f64 = 1.5;
const PUSH_SECONDS: f64 = 20.0;

/// A portal-sim process started by the bench; stopped when dropped.
struct PortalProcess {
    child: Child,
    url: String,
}

impl Drop for PortalProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_portal(args: &BenchArgs, sizes: &Sizes, work: &Path) -> anyhow::Result<PortalProcess> {
    let bin = match &args.portal_sim {
        Some(p) => p.clone(),
        None => std::env::current_exe()?.with_file_name("portal-sim"),
    };
    ensure!(
        bin.exists(),
        "no portal-sim binary at {} (cargo build -p portal-sim, or pass --portal-sim / --portal)",
        bin.display()
    );
    let db = work.join(format!("portal-{}.sqlite", sizes.sync_applications));
    let started = Instant::now();
    let mut child = Command::new(&bin)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "1",
            "--schools",
            "1",
            "--applications",
        ])
        .arg(sizes.sync_applications.to_string())
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
    println!(
        "portal: portal-sim, one school, {} applications, seeded and listening in {:.1} s at {}",
        sizes.sync_applications,
        started.elapsed().as_secs_f64(),
        portal.url
    );
    Ok(portal)
}

/// The first demo clerk of the portal: (IIN, password, name).
async fn demo_clerk(http: &reqwest::Client, url: &str) -> anyhow::Result<(Iin, String, String)> {
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

fn sync(args: &BenchArgs, sizes: &Sizes, work: &Path) -> anyhow::Result<()> {
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
    let mut target = SyncTarget::new(&db, &url, &clerk, &password);
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
    println!(
        "first pull ÷ raw paging: {ratio:.2}×   target ≤ {PULL_RATIO}×   {}",
        mark(ratio <= PULL_RATIO)
    );

    // The next round with the product's settings: nothing new to pull, documents cached.
    let target_docs = SyncTarget::new(&db, &url, &clerk, &password);
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
    let mut desk = Desk::open(&db)?;
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
    ensure!(left == 0, "{left} decisions were not pushed");
    Ok(())
}
