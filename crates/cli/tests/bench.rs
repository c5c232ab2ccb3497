//! `qabyldau bench --quick` keeps working: every section is measured and printed against
//! a real portal-sim on 127.0.0.1, a real SoftHSM2 token and a real journal file. The
//! timings themselves are never asserted (they are information: BENCHMARKS.md).
#![allow(clippy::unwrap_used)]

use std::process::Command;

#[test]
fn bench_quick_prints_every_section_with_its_targets() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // The portal in this process (the portal-sim binary is not built by `cargo test -p cli`):
    // one school, so that all of its applications are the clerk's.
    let mut config = portal_sim::Config::new("127.0.0.1:0".parse().unwrap(), 1, 300);
    config.spec.schools = 1;
    // portal-sim always checks the chain (issue 10): the bench's CA, made here where the
    // bench looks for it (`<work>/clerk-key/ca.pem`), is trusted.
    let work = tempfile::tempdir().unwrap();
    let ca_dir = work.path().join("clerk-key");
    std::fs::create_dir_all(&ca_dir).unwrap();
    let ca = signing::testkit::TestCa::new("Qabyldau bench CA");
    ca.write_pem(&ca_dir.join("ca.pem"));
    ca.write_key_pem(&ca_dir.join("ca.key"));
    config.trust_ca = vec![ca.cert_der()];
    let (addr, handle) = rt.block_on(portal_sim::serve(config)).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args([
            "bench",
            "--quick",
            "--portal",
            &format!("http://{addr}"),
            "--work-dir",
        ])
        .arg(work.path())
        .arg("--results")
        .arg(work.path().join("results.json"))
        .output()
        .unwrap();
    rt.block_on(handle.shutdown());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        out.status
    );

    for expected in [
        // 1. the journal: filled, then every query kind with its target
        "== journal search (issues 3, 16)",
        "encrypted journal (SQLCipher)",
        "fill: 1000 applications",
        "offline sign-in: vault::unlock (Argon2id m=64 MiB t=3 p=1 + unwrap)",
        "target ≤ 1 s",
        "surname kk, 3 letters",
        "surname ru, 1 letter",
        "exact IIN",
        "IIN prefix",
        "number prefix",
        "status + submitted week",
        "next page (keyset",
        "target p95 ≤ 2 ms",
        // 2. signing: the token, the same key in software, the openssl CLI
        "== signing (issue 6)",
        "PKCS#11 SoftHSM2 token (10 signatures)",
        ".p12 in process, OpenSSL (10 signatures)",
        "openssl cms -sign, one process each",
        "token ÷ openssl cms -sign (process)",
        // GOST 34.10-2015 512 in Rust (issue 10)
        "gost512.sign ",
        "gost512.verify ",
        // 3. receipts: three documents in two languages, and from the journal
        "== receipts (issue 7)",
        "acceptance kk (example input)",
        "documents ru (example input)",
        "rejection ru (example input)",
        "(Desk::receipt",
        // 4. sync: raw paging, the first pull, the push of queued decisions
        "== sync (issue 5)",
        "raw paging (reqwest + JSON parse, nothing stored): 300 applications",
        "first pull: 300 applications",
        "first pull ÷ raw paging",
        "queued 20 decisions",
        "push: 20 accepted, 0 refused",
        "bench: done",
    ] {
        assert!(
            stdout.contains(expected),
            "{expected:?} missing from:\n{stdout}\n{stderr}"
        );
    }
    assert!(!stdout.contains("FAILED"), "{stdout}");
    // Each journal query kind and each receipt row carries a mark beside its figure.
    let marked = stdout
        .lines()
        .filter(|l| l.ends_with("PASS") || l.ends_with("OVER"))
        .count();
    assert!(marked >= 14 + 1 + 6 + 3, "marks: {marked}\n{stdout}");

    // The figures for external checks: an array of {name, value, unit, target, reference,
    // ratio}; the pull is measured against raw paging.
    let results: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(work.path().join("results.json")).unwrap()).unwrap();
    let figure = |name: &str| {
        results
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing from {results:?}"))
    };
    let pull = figure("sync.pull");
    assert_eq!(pull["unit"], "s");
    assert!(pull["value"].as_f64().unwrap() > 0.0, "{pull}");
    assert!(pull["reference"].as_f64().unwrap() > 0.0, "{pull}");
    assert!(pull["ratio"].as_f64().unwrap() > 0.0, "{pull}");
    assert_eq!(figure("sync.push")["target"], 20.0);
}
