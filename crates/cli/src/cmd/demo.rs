use clap::Args;
use desk::demo_data::{DemoFill, fill};
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
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let summary = fill(&args.db, &DemoFill { seed: args.seed, applications: args.applications })?;
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
