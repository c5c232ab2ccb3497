use anyhow::bail;
use clap::Args;
use desk::Desk;
use desk::views::{JournalQuery, JournalRow, StatusKey, SyncMarkKey};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct JournalArgs {
    #[arg(long)]
    pub db: PathBuf,
    /// new | under_review | accepted | rejected | withdrawn | waiting | refused
    #[arg(long)]
    pub status: Option<String>,
    /// A surname prefix, an IIN (or its start) or an application number.
    #[arg(long)]
    pub search: Option<String>,
    /// At most this many rows (all of them with --limit 0).
    #[arg(long, default_value_t = 50)]
    pub limit: u64,
    /// Print a JSON array, one object per application.
    #[arg(long)]
    pub json: bool,
}

fn parse_status(s: &str) -> anyhow::Result<(Option<StatusKey>, Option<SyncMarkKey>)> {
    Ok(match s {
        "new" => (Some(StatusKey::New), None),
        "under_review" => (Some(StatusKey::UnderReview), None),
        "accepted" => (Some(StatusKey::Accepted), None),
        "rejected" => (Some(StatusKey::Rejected), None),
        "withdrawn" => (Some(StatusKey::Withdrawn), None),
        "waiting" => (None, Some(SyncMarkKey::Waiting)),
        "refused" => (None, Some(SyncMarkKey::Refused)),
        other => bail!(
            "unknown status {other:?}: use new, under_review, accepted, rejected, withdrawn, waiting or refused"
        ),
    })
}

pub fn run(args: JournalArgs) -> anyhow::Result<ExitCode> {
    if !args.db.exists() {
        bail!(
            "{}: no such journal (create one with `qabyldau demo --db {}` or `qabyldau sync`)",
            args.db.display(),
            args.db.display()
        );
    }
    let desk = Desk::open(&args.db)?;
    let (status, sync) = args
        .status
        .as_deref()
        .map(parse_status)
        .transpose()?
        .unwrap_or((None, None));
    let mut query = JournalQuery {
        search: args.search.clone(),
        status,
        sync,
        ..JournalQuery::default()
    };
    let mut rows: Vec<JournalRow> = Vec::new();
    let wanted = if args.limit == 0 {
        u64::MAX
    } else {
        args.limit
    };
    loop {
        let left = wanted.saturating_sub(rows.len() as u64);
        if left == 0 {
            break;
        }
        query.limit = u32::try_from(left.min(1000)).unwrap_or(1000);
        let page = desk.journal(&query)?;
        rows.extend(page.rows);
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        print_table(&rows);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(rows: &[JournalRow]) {
    println!(
        "{:<14} {:<40} {:<12} {:<10} {:<5} {:<4} {:<13} school",
        "number", "child", "IIN", "submitted", "class", "lang", "status"
    );
    for r in rows {
        let status = domain::Status::from(r.status).as_str();
        let status = match r.sync {
            SyncMarkKey::None => status.to_string(),
            SyncMarkKey::Waiting => format!("{status}/waiting"),
            SyncMarkKey::Refused => format!("{status}/refused"),
        };
        let name: String = r.child_name.chars().take(40).collect();
        println!(
            "{:<14} {:<40} {:<12} {:<10} {:<5} {:<4} {:<13} {}",
            r.number,
            name,
            r.child_iin,
            r.submitted_at.get(..10).unwrap_or(&r.submitted_at),
            r.grade,
            r.language,
            status,
            r.school_name_ru
        );
    }
    println!("{} rows", rows.len());
}
