//! `portal-sim --listen 127.0.0.1:0 --seed 1 --applications 1000`: prints
//! `listening on http://ADDR` as the first line of stdout, then serves until Ctrl-C.

use clap::Parser;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "portal-sim",
    about = "Regional admissions portal simulator (api/portal.openapi.yaml)"
)]
struct Args {
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 1000)]
    applications: u64,
    /// SQLite file; reused as it is when already seeded. In memory when absent.
    #[arg(long)]
    db: Option<PathBuf>,
    #[arg(long, default_value_t = 12)]
    schools: usize,
    #[arg(long, default_value_t = 2026)]
    admission_year: i32,
    #[arg(long, default_value_t = 0.0)]
    arrivals_per_minute: f64,
    #[arg(long, default_value_t = 0.0)]
    fault_5xx_rate: f64,
    #[arg(long, default_value_t = 0.0)]
    fault_drop_after_commit_rate: f64,
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Answer every API request 503.
    #[arg(long)]
    outage: bool,
    #[arg(long, default_value_t = 8 * 3600)]
    token_ttl_secs: i64,
    /// CA certificate file (PEM, one or more certificates, or DER) that signers'
    /// certificates may chain to, next to NCA's bundled roots; repeatable. The chain is
    /// always checked.
    #[arg(long = "trust-ca", value_name = "PEM")]
    trust_ca: Vec<PathBuf>,
    /// Trust NCA's test PKI (the CAs of NCA's published test key files) too.
    #[arg(long)]
    nca_test_pki: bool,
    /// Overload mode (issue 12): API requests served per second; beyond it 429 / 503
    /// with Retry-After (or, with --overload-slow, later and later). Off when absent.
    #[arg(long, value_name = "RPS")]
    capacity: Option<f64>,
    /// With --capacity: serve everything, with a latency that grows with the load.
    #[arg(long)]
    overload_slow: bool,
    /// With --capacity: answer 503 instead of 429 beyond it.
    #[arg(long)]
    overload_503: bool,
    /// A portal from before the decision batches (issue 12): `POST
    /// /api/v1/decision-batches` answers 404 `NOT_FOUND`, so the desk sends decisions one
    /// by one.
    #[arg(long)]
    without_decision_batches: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    for (name, rate) in [
        ("--fault-5xx-rate", args.fault_5xx_rate),
        (
            "--fault-drop-after-commit-rate",
            args.fault_drop_after_commit_rate,
        ),
    ] {
        anyhow::ensure!(
            (0.0..=1.0).contains(&rate),
            "{name} must be between 0 and 1"
        );
    }
    let mut config = portal_sim::Config::new(args.listen, args.seed, args.applications);
    config.nca_test_pki = args.nca_test_pki;
    config.spec.schools = args.schools;
    config.spec.admission_year = args.admission_year;
    config.db = args.db;
    config.arrivals_per_minute = args.arrivals_per_minute;
    config.token_ttl = time::Duration::seconds(args.token_ttl_secs);
    config.faults = portal_sim::Faults {
        fault_5xx_rate: args.fault_5xx_rate,
        drop_after_commit_rate: args.fault_drop_after_commit_rate,
        latency_ms: args.latency_ms,
        outage: args.outage,
        damaged_changes: None,
    };
    if let Some(c) = args.capacity {
        anyhow::ensure!(c > 0.0, "--capacity must be above 0");
    }
    config.overload = portal_sim::OverloadConfig {
        capacity_rps: args.capacity,
        mode: if args.overload_slow {
            portal_sim::OverloadMode::Slow
        } else {
            portal_sim::OverloadMode::Reject
        },
        reject_status: if args.overload_503 { 503 } else { 429 },
        decision_batches: !args.without_decision_batches,
        ..portal_sim::OverloadConfig::default()
    };
    for path in &args.trust_ca {
        let bytes = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("--trust-ca {}: {e}", path.display()))?;
        let certs = signing::certificates_from_pem_or_der(&bytes)
            .map_err(|e| anyhow::anyhow!("--trust-ca {}: {e}", path.display()))?;
        anyhow::ensure!(
            !certs.is_empty(),
            "--trust-ca {}: no certificate",
            path.display()
        );
        for der in &certs {
            signing::CertificateFacts::from_der(der)
                .map_err(|e| anyhow::anyhow!("--trust-ca {}: {e}", path.display()))?;
        }
        config.trust_ca.extend(certs);
    }
    let (addr, handle) = portal_sim::serve(config).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{addr}")?;
    out.flush()?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    handle.shutdown().await;
    Ok(())
}
