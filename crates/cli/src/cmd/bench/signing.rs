//! 2. Signing (issue 6): a PKCS#11 token, the same key in a `.p12`, the openssl CLI.

use super::figures::{mark, ms, section_title, spread};
use super::keys::{KeyFiles, tool};
use super::results::Results;
use super::{BenchArgs, Sizes};
use anyhow::ensure;
use desk::signing::{Pkcs11Signer, Signer, TokenTarget, Zeroizing};
use domain::Iin;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

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
pub(super) fn signing_worker(dir: &Path, module: &Path, n: usize) -> anyhow::Result<ExitCode> {
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

pub(super) fn signing(
    args: &BenchArgs,
    sizes: &Sizes,
    work: &Path,
    results: &mut Results,
) -> anyhow::Result<()> {
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
        results.add(&format!("signing.{name}"), p50, "ms", Some(5.0));
    }
    Ok(())
}
