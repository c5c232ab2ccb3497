//! 3. Receipts (issue 7): validate and render each document, and `Desk::receipt`.

use super::figures::{mark, section_title, spread};
use super::results::Results;
use super::{BenchArgs, Sizes};
use desk::views::{JournalQuery, JournalSort, StatusKey};
use std::path::Path;
use std::time::{Duration, Instant};

const RECEIPT_MS: f64 = 20.0;
const RECEIPT_BYTES: usize = 100 * 1024;

/// The documented example inputs of the three documents in both languages.
const RECEIPT_EXAMPLES: &[(&str, &str)] = &[
    (
        "acceptance kk",
        include_str!("../../../../receipts/examples/acceptance-kk.json"),
    ),
    (
        "acceptance ru",
        include_str!("../../../../receipts/examples/acceptance-ru.json"),
    ),
    (
        "documents kk",
        include_str!("../../../../receipts/examples/documents-kk.json"),
    ),
    (
        "documents ru",
        include_str!("../../../../receipts/examples/documents-ru.json"),
    ),
    (
        "rejection kk",
        include_str!("../../../../receipts/examples/rejection-kk.json"),
    ),
    (
        "rejection ru",
        include_str!("../../../../receipts/examples/rejection-ru.json"),
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

pub(super) fn receipts(
    args: &BenchArgs,
    sizes: &Sizes,
    work: &Path,
    _results: &mut Results,
) -> anyhow::Result<()> {
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
    let desk = super::journal::open_journal(args, &db)?;
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
