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
    /// Also list this many walk-in children of the population register (children with no
    /// application yet, R-8…R-18): their data, address and micro-district (none for the
    /// R-15 case). Shown with `--json`.
    #[arg(long, default_value_t = 0)]
    pub walk_ins: usize,
    /// Print what was made as JSON: the summary and the walk-in children.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let summary = fill(&args.db, &DemoFill { seed: args.seed, applications: args.applications })?;
    if args.json {
        let spec = demo::RegionSpec { seed: args.seed, ..demo::RegionSpec::default() };
        let region = demo::region(&spec);
        let walk_ins: Vec<serde_json::Value> = demo::walk_in_children(&spec, &region, args.walk_ins)
            .iter()
            .map(|c| walk_in_json(&region, c))
            .collect();
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

fn name_json(n: &domain::FullName) -> serde_json::Value {
    serde_json::json!({
        "surname": n.surname.to_string(),
        "given": n.given.to_string(),
        "patronymic": n.patronymic.as_ref().map(ToString::to_string),
    })
}

fn walk_in_json(region: &demo::Region, c: &demo::RegisterPerson) -> serde_json::Value {
    let address = region.address(&c.address_id);
    let md = address.and_then(|a| a.micro_district.as_ref());
    let md_entry = md.and_then(|id| region.micro_districts.iter().find(|m| &m.id == id));
    serde_json::json!({
        "iin": c.iin.to_string(),
        "name": name_json(&c.name),
        "birth_certificate": c.birth_certificate,
        "address_id": c.address_id,
        "address_kk": address.map(|a| a.full_kk.clone()),
        "address_ru": address.map(|a| a.full_ru.clone()),
        "micro_district_id": md.map(|m| m.0.clone()),
        "micro_district_kk": md_entry.map(|m| m.name_kk.clone()),
        "micro_district_ru": md_entry.map(|m| m.name_ru.clone()),
        "school_id": md.and_then(|m| region.school_of(m)).map(|s| s.id.0.clone()),
        "parent_iin": c.parent_iin.to_string(),
        "parent_name": name_json(&c.parent_name),
    })
}
