//! The settings screen's portal «check» (issue 13) against a real portal-sim on
//! 127.0.0.1: reachable over http to this computer (not TLS), a portal that is gone, and
//! https spoken to a server that only speaks http.

use desk::settings::view::check_portal;

#[test]
fn the_check_tells_reachable_unreachable_and_a_failed_tls() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let config = portal_sim::Config::new("127.0.0.1:0".parse().unwrap(), 1, 20);
    let (addr, handle) = rt.block_on(portal_sim::serve(config)).unwrap();

    let ok = check_portal(&format!("http://{addr}/"));
    assert!(ok.reachable, "{ok:?}");
    assert!(!ok.tls_ok, "plain http to this computer is not TLS");
    assert_eq!(ok.code, None);
    assert_eq!(ok.url, format!("http://{addr}"));

    let tls = check_portal(&format!("https://{addr}"));
    assert!(!tls.reachable && !tls.tls_ok, "{tls:?}");
    assert_eq!(tls.code.as_deref(), Some("PORTAL_TLS_FAILED"), "{tls:?}");

    let refused = check_portal("http://portal.example.kz");
    assert_eq!(refused.code.as_deref(), Some("SETTING_INVALID"));

    rt.block_on(handle.shutdown());
    let gone = check_portal(&format!("http://{addr}"));
    assert!(!gone.reachable);
    assert!(
        gone.code
            .as_deref()
            .is_some_and(|c| c.starts_with("PORTAL_")),
        "{gone:?}"
    );
    let catalogue = desk::catalogue();
    for code in [
        "PORTAL_TLS_FAILED",
        "SETTING_INVALID",
        "PKCS11_MODULE_UNKNOWN",
        "BACKUP_NOT_FOUND",
    ] {
        assert!(
            catalogue
                .errors
                .iter()
                .any(|e| e.key == code && !e.kk.is_empty() && !e.ru.is_empty()),
            "{code}"
        );
    }
}
