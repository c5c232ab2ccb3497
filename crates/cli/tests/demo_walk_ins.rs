//! `qabyldau demo --walk-ins N --json`: the walk-in children the wizard's E2E types in
//! (R-8…R-18), with their address and micro-district (none for the R-15 case).

use std::process::Command;

#[test]
fn demo_lists_walk_in_children_with_their_address_and_micro_district() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args([
            "demo",
            "--db",
            db.to_str().unwrap(),
            "--applications",
            "10",
            "--walk-ins",
            "8",
            "--json",
            "--clerk-iin",
            "900101300017",
            "--password-env",
            "QABYLDAU_TEST_PASSWORD",
        ])
        .env("QABYLDAU_TEST_PASSWORD", "walk-in clerk")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["applications"], 10);
    assert_eq!(v["clerk_iin"].as_str().unwrap().len(), 12);
    let walk_ins = v["walk_ins"].as_array().unwrap();
    assert_eq!(walk_ins.len(), 8);
    for w in walk_ins {
        assert!(domain::Iin::parse(w["iin"].as_str().unwrap()).is_ok());
        assert!(!w["name"]["surname"].as_str().unwrap().is_empty());
        assert!(!w["address_kk"].as_str().unwrap().is_empty());
        // A micro-district comes with its school; none is the R-15 case.
        assert_eq!(w["micro_district_id"].is_null(), w["school_id"].is_null());
    }
    assert!(
        walk_ins.iter().any(|w| w["micro_district_id"].is_null()),
        "every fourth walk-in has no micro-district"
    );
    assert!(walk_ins.iter().any(|w| !w["micro_district_id"].is_null()));

    // Walk-ins are not in the journal: the wizard types them in.
    let journal = Command::new(env!("CARGO_BIN_EXE_qabyldau"))
        .args([
            "journal",
            "--db",
            db.to_str().unwrap(),
            "--search",
            walk_ins[0]["iin"].as_str().unwrap(),
            "--json",
            "--iin",
            "900101300017",
            "--password-env",
            "QABYLDAU_TEST_PASSWORD",
        ])
        .env("QABYLDAU_TEST_PASSWORD", "walk-in clerk")
        .output()
        .unwrap();
    assert!(
        journal.status.success(),
        "{}",
        String::from_utf8_lossy(&journal.stderr)
    );
    let page: serde_json::Value = serde_json::from_slice(&journal.stdout).unwrap();
    assert_eq!(page.as_array().unwrap().len(), 0);
}
