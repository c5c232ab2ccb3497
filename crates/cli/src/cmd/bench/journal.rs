//! 1. The journal (issue 3): `Desk::journal` per query kind on a filled journal.

use super::figures::{mark, section_title, spread};
use super::results::Results;
use super::{BenchArgs, Sizes};
use anyhow::{Context, ensure};
use desk::Desk;
use desk::demo_data::{DemoFill, fill_desk};
use desk::vault::{self, SecretString};
use desk::views::{JournalQuery, JournalSort, StatusKey};
use domain::Iin;
use std::path::{Path, PathBuf};
use std::time::Instant;
use time::OffsetDateTime;

/// Issue 3's target for a page of the journal with its counts (plaintext journal).
const SEARCH_P95_MS: f64 = 5.0;
/// Issue 16's target for the same with SQLCipher on: encryption must not cost the clerk.
const ENCRYPTED_SEARCH_P95_MS: f64 = 2.0;

/// The bench's clerk: the key of the encrypted bench journal is wrapped for them.
const BENCH_CLERK: &str = "900101300017";
const BENCH_PASSWORD: &str = "bench-clerk-password";
/// Issue 16: an offline sign-in (Argon2id + unwrapping) within a second.
const SIGN_IN_SECONDS: f64 = 1.0;

fn bench_clerk() -> anyhow::Result<(Iin, SecretString)> {
    let iin = Iin::parse(BENCH_CLERK).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok((iin, SecretString::from(BENCH_PASSWORD.to_string())))
}

/// Opens the bench journal: plaintext with --plaintext; else encrypted with the bench
/// clerk's key (made at the first use; a plaintext journal there is migrated once, and
/// the migration is timed).
pub(super) fn open_journal(args: &BenchArgs, db: &Path) -> anyhow::Result<Desk> {
    if args.plaintext {
        return Ok(Desk::open(db)?);
    }
    let (iin, password) = bench_clerk()?;
    let plaintext_before = vault::file_kind(db)? == vault::FileKind::Plaintext;
    let key = vault::enroll(db, &iin, &password, None, OffsetDateTime::now_utc())?;
    let started = Instant::now();
    let desk = Desk::open_encrypted(db, &key)?;
    if plaintext_before {
        let size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
        println!(
            "migrate: the plaintext journal encrypted once (backup, sqlcipher_export, check, rename, shred): {:.1} s for {:.0} MB",
            started.elapsed().as_secs_f64(),
            size as f64 / 1e6
        );
    }
    Ok(desk)
}

/// The offline sign-in the clerk waits for: `vault::unlock` (Argon2id at the envelope's
/// cost, then XChaCha20-Poly1305), and opening the encrypted journal with the key.
fn offline_sign_in(db: &Path, runs: usize, results: &mut Results) -> anyhow::Result<()> {
    let (iin, password) = bench_clerk()?;
    let mut unlock = Vec::with_capacity(runs);
    let mut open = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let key = vault::unlock(db, &iin, &password, OffsetDateTime::now_utc())?;
        unlock.push(started.elapsed());
        let started = Instant::now();
        drop(Desk::open_encrypted(db, &key)?);
        open.push(started.elapsed());
    }
    let u = spread(&unlock);
    let o = spread(&open);
    let cost = vault::KDF;
    println!(
        "offline sign-in: vault::unlock (Argon2id m={} MiB t={} p={} + unwrap) p50 {:.0} ms, max {:.0} ms; \
         then opening the journal (quick_check) p50 {:.0} ms, max {:.0} ms; total max {:.0} ms   target ≤ {SIGN_IN_SECONDS} s   {}",
        cost.m_kib / 1024,
        cost.t,
        cost.p,
        u.p50,
        u.max,
        o.p50,
        o.max,
        u.max + o.max,
        mark((u.max + o.max) / 1000.0 <= SIGN_IN_SECONDS)
    );
    results.add(
        "journal.offline_sign_in",
        (u.max + o.max) / 1000.0,
        "s",
        Some(SIGN_IN_SECONDS),
    );
    Ok(())
}

/// The journal the window reads, filled with `desk::demo_data::fill_desk` unless reused.
pub(super) fn journal_db(args: &BenchArgs, sizes: &Sizes, work: &Path) -> anyhow::Result<PathBuf> {
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
    let summary = fill_desk(
        &mut open_journal(args, &db)?,
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

pub(super) fn journal(
    args: &BenchArgs,
    sizes: &Sizes,
    work: &Path,
    results: &mut Results,
) -> anyhow::Result<()> {
    section_title(if args.plaintext {
        "journal search (issue 3): Desk::journal, a page of 100 rows with the counts — PLAINTEXT journal"
    } else {
        "journal search (issues 3, 16): Desk::journal, a page of 100 rows with the counts — encrypted journal (SQLCipher)"
    });
    let db = journal_db(args, sizes, work)?;
    let desk = open_journal(args, &db)?;
    if !args.plaintext {
        offline_sign_in(&db, if args.quick { 2 } else { 5 }, results)?;
    }
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
    let target = if args.plaintext {
        SEARCH_P95_MS
    } else {
        ENCRYPTED_SEARCH_P95_MS
    };

    println!(
        "{:<36} {:>6} {:>8} {:>8} {:>8}   target p95 ≤ {target} ms ({} runs each, warm)",
        "query", "rows", "p50 ms", "p95 ms", "max ms", sizes.runs
    );
    let mut over = 0;
    let mut worst_p95: f64 = 0.0;
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
        let ok = s.p95 <= target;
        worst_p95 = worst_p95.max(s.p95);
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
    // The slowest kind's p95, named by the journal's size and whether it is encrypted.
    results.add(
        &format!(
            "journal.search_p95_worst.{}{}",
            total,
            if args.plaintext { ".plaintext" } else { "" }
        ),
        worst_p95,
        "ms",
        Some(target),
    );
    Ok(())
}
