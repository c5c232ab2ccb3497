use crate::cmd::credentials;
use clap::Args;
use desk::Desk;
use desk::demo_data::{DemoFill, fill, fill_desk};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The journal database to create or fill.
    #[arg(long)]
    pub db: PathBuf,
    /// How many applications of the demo school to write.
    #[arg(long, default_value_t = 2000)]
    pub applications: u64,
    /// The region's seed; the portal simulator with the same seed serves the same region.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also list this many walk-in children of the population register (children with no
    /// application yet, R-8…R-18): their data, address and micro-district (none for the
    /// R-15 case). Shown with `--json`.
    #[arg(long, default_value_t = 0)]
    pub walk_ins: usize,
    /// Print what was made as JSON: the summary and the walk-in children.
    #[arg(long)]
    pub json: bool,
    /// The clerk who can open the journal: it is created (or filled) ENCRYPTED with a key
    /// wrapped for this clerk's password (issue 16). Without it, a plaintext journal for
    /// the window until it signs in before opening (to be removed).
    #[arg(long, value_name = "IIN", requires = "password_env")]
    pub clerk_iin: Option<String>,
    /// The name of the environment variable that holds that clerk's password.
    #[arg(long, value_name = "VAR", requires = "clerk_iin")]
    pub password_env: Option<String>,
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let what = DemoFill {
        seed: args.seed,
        applications: args.applications,
    };
    let summary = match (&args.clerk_iin, &args.password_env) {
        (Some(iin), Some(var)) => {
            let clerk = credentials::clerk(iin, "--clerk-iin", var)?;
            let now = time::OffsetDateTime::now_utc();
            let key = desk::vault::enroll(&args.db, &clerk.iin, &clerk.password, None, now)
                .map_err(|e| credentials::desk_error(&args.db, &e))?;
            let mut desk = Desk::open_encrypted(&args.db, &key)
                .map_err(|e| credentials::desk_error(&args.db, &e))?;
            fill_desk(&mut desk, &what)?
        }
        _ => fill(&args.db, &what)?,
    };
    if args.json {
        let walk_ins = desk::demo_data::walk_ins(args.seed, args.walk_ins);
        let out = serde_json::json!({
            "db": args.db.display().to_string(),
            "applications": summary.applications,
            "school_id": summary.school_id,
            "clerk_iin": summary.clerk_iin,
            "clerk_name": summary.clerk_name,
            "walk_ins": walk_ins,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}: {} applications of school {} (clerk {} {})",
        args.db.display(),
        summary.applications,
        summary.school_id,
        summary.clerk_iin,
        summary.clerk_name
    );
    Ok(ExitCode::SUCCESS)
}
