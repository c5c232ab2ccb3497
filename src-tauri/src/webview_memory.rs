//! What the WebKitGTK web view may keep in memory (issue 13, BENCHMARKS.md "The window"):
//! measured on a 3 000-row journal after a minute idle, the web process held ~190 MB
//! PSS in accelerated-compositing mode (GL buffers of the layer tree, llvmpipe on most
//! office PCs without a usable GPU) and ~90 MB without it. The journal is a document
//! of text and one scrolling table: it needs no compositing, no back/forward page cache
//! and no memory cache of a browser.

/// Applied to the main window's web view right after it is made (Linux only; WebView2
/// on Windows manages its own memory).
pub fn apply(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        use webkit2gtk::{
            CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
        };
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        let _ = window.with_webview(|webview| {
            let view = webview.inner();
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                settings.set_enable_page_cache(false);
            }
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
