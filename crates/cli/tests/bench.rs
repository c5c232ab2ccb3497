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
    let (addr, handle) = rt.block_on(portal_sim::serve(config)).unwrap();

    let work = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args([
            "bench",
            "--quick",
            "--portal",
            &format!("http://{addr}"),
            "--work-dir",
        ])
        .arg(work.path())
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
        "== journal search (issue 3)",
        "fill: 1000 applications",
        "surname kk, 3 letters",
        "surname ru, 1 letter",
        "exact IIN",
        "IIN prefix",
        "number prefix",
        "status + submitted week",
        "next page (keyset",
        "target p95 ≤ 5 ms",
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
    assert!(marked >= 14 + 6 + 3, "marks: {marked}\n{stdout}");
}
