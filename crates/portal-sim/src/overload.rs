//! Overload mode (issue 12): the portal on 1 April. A capacity in requests per second
//! (`--capacity`, `PUT /admin/overload`); beyond it API requests are answered 429 (or 503
//! when demand is more than twice the capacity) with `Retry-After`, or — in the slow mode —
//! served with a latency that grows with the requests in flight. Every API request that
//! reaches the portal is counted per second (`GET /admin/overload`), so a bench can tell
//! how calm the clients were.
//!
//! Also here: what stands in front of the portal (a proxy's own HTML answers, a gateway
//! that garbles the answers to writes), a portal from before the decision batches
//! (`decision_batches: false`), and conditional reads of the reference lists (`ETag` /
//! `If-None-Match` → 304).

use crate::{AppState, RawBody, lock, parse_json};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How the portal behaves beyond its capacity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverloadMode {
    /// 429 / 503 with `Retry-After` beyond the capacity.
    Reject,
    /// Everything is served, later and later: latency grows with the requests in flight.
    Slow,
}

/// The overload settings (`PUT /admin/overload` takes this).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverloadConfig {
    /// Requests per second served; `None`: unlimited (overload mode off).
    pub capacity_rps: Option<f64>,
    pub mode: OverloadMode,
    /// Slow mode: added latency per request in flight beyond the capacity, in ms.
    #[serde(default = "default_slow_ms")]
    pub slow_ms_per_in_flight: u64,
    /// Reject mode: the answer beyond the capacity, 429 or 503 (both with `Retry-After`).
    #[serde(default = "default_reject_status")]
    pub reject_status: u16,
    /// A broken gateway in front of the portal: the 2xx answers to writes arrive as an
    /// HTML page (the write itself is done and stored).
    #[serde(default)]
    pub garble_write_answers: bool,
    /// A proxy in front of the portal that answers API requests with its own HTML page of
    /// this status (e.g. 403, 404, 405, 413); `None`: no such proxy.
    #[serde(default)]
    pub gateway_status: Option<u16>,
    /// Which API requests that proxy answers.
    #[serde(default)]
    pub gateway_scope: GatewayScope,
    /// The portal takes decision batches (issue 12). `false`: a portal from before them —
    /// `POST /api/v1/decision-batches` is answered as any route it does not have (404
    /// `NOT_FOUND`), and the desk has to send the decisions one by one.
    #[serde(default = "default_decision_batches")]
    pub decision_batches: bool,
}

/// The requests the proxy of [`OverloadConfig::gateway_status`] answers itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GatewayScope {
    /// Every API request.
    #[default]
    All,
    /// The writes (`POST` of decisions, decision batches, on-behalf submissions and
    /// bindings): the reads pass, the push meets the proxy.
    Writes,
    /// Only `POST /api/v1/decision-batches` (a proxy that does not know the route).
    DecisionBatches,
}

const DECISION_BATCHES: &str = "/api/v1/decision-batches";

impl GatewayScope {
    fn covers(self, req: &Request) -> bool {
        let path = req.uri().path();
        let post = req.method() == axum::http::Method::POST;
        match self {
            GatewayScope::All => true,
            GatewayScope::Writes => post && is_write(path),
            GatewayScope::DecisionBatches => post && path == DECISION_BATCHES,
        }
    }
}

/// The API's writes that carry an `Idempotency-Key` and change the portal's state.
fn is_write(path: &str) -> bool {
    path.starts_with("/api/v1/applications")
        || path == DECISION_BATCHES
        || path == "/api/v1/micro-district-bindings"
}

fn default_decision_batches() -> bool {
    true
}

fn default_slow_ms() -> u64 {
    20
}

fn default_reject_status() -> u16 {
    429
}

impl Default for OverloadConfig {
    fn default() -> Self {
        OverloadConfig {
            capacity_rps: None,
            mode: OverloadMode::Reject,
            slow_ms_per_in_flight: default_slow_ms(),
            reject_status: default_reject_status(),
            garble_write_answers: false,
            gateway_status: None,
            gateway_scope: GatewayScope::All,
            decision_batches: true,
        }
    }
}

/// What `GET /admin/overload` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverloadStats {
    pub config: OverloadConfig,
    /// API requests that reached the portal, per second since it started (index = second).
    pub arrivals_per_second: Vec<u32>,
    pub served: u64,
    pub rejected_429: u64,
    pub rejected_503: u64,
    /// 304 answers to conditional reads.
    pub not_modified: u64,
    /// Requests to `POST /api/v1/decision-batches`, whoever answered them (the portal, its
    /// proxy, or the portal without the route): how often a desk asked for batches.
    pub decision_batch_requests: u64,
}

/// The token bucket and the counters.
pub(crate) struct Overload {
    started: Instant,
    inner: Mutex<Inner>,
    in_flight: AtomicU64,
}

struct Inner {
    config: OverloadConfig,
    tokens: f64,
    refilled: Instant,
    arrivals: Vec<u32>,
    served: u64,
    rejected_429: u64,
    rejected_503: u64,
    not_modified: u64,
    decision_batch_requests: u64,
    /// Arrivals in the last second, for the demand estimate.
    window: std::collections::VecDeque<Instant>,
    /// Requests turned away in the last ten seconds, for `Retry-After`.
    rejected_recent: std::collections::VecDeque<Instant>,
}

enum Verdict {
    Serve {
        delay: Duration,
    },
    Reject {
        status: StatusCode,
        retry_after: u64,
    },
}

impl Overload {
    pub(crate) fn new(config: OverloadConfig) -> Overload {
        let now = Instant::now();
        Overload {
            started: now,
            inner: Mutex::new(Inner {
                config,
                tokens: config.capacity_rps.unwrap_or(0.0),
                refilled: now,
                arrivals: Vec::new(),
                served: 0,
                rejected_429: 0,
                rejected_503: 0,
                not_modified: 0,
                decision_batch_requests: 0,
                window: std::collections::VecDeque::new(),
                rejected_recent: std::collections::VecDeque::new(),
            }),
            in_flight: AtomicU64::new(0),
        }
    }

    pub(crate) fn set(&self, config: OverloadConfig) {
        let mut i = lock(&self.inner);
        i.config = config;
        i.tokens = config.capacity_rps.unwrap_or(0.0);
        i.refilled = Instant::now();
    }

    pub(crate) fn stats(&self) -> OverloadStats {
        let i = lock(&self.inner);
        OverloadStats {
            config: i.config,
            arrivals_per_second: i.arrivals.clone(),
            served: i.served,
            rejected_429: i.rejected_429,
            rejected_503: i.rejected_503,
            not_modified: i.not_modified,
            decision_batch_requests: i.decision_batch_requests,
        }
    }

    fn arrive(&self) -> Verdict {
        let now = Instant::now();
        let in_flight = self.in_flight.load(Ordering::Relaxed);
        let mut i = lock(&self.inner);
        let second = usize::try_from(now.duration_since(self.started).as_secs()).unwrap_or(0);
        if i.arrivals.len() <= second {
            i.arrivals.resize(second + 1, 0);
        }
        i.arrivals[second] = i.arrivals[second].saturating_add(1);
        i.window.push_back(now);
        while i
            .window
            .front()
            .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1))
        {
            i.window.pop_front();
        }
        let Some(capacity) = i.config.capacity_rps.filter(|c| *c > 0.0) else {
            i.served += 1;
            return Verdict::Serve {
                delay: Duration::ZERO,
            };
        };
        // Refill: `capacity` tokens a second, at most one second's worth held.
        let elapsed = now.duration_since(i.refilled).as_secs_f64();
        i.tokens = (i.tokens + elapsed * capacity).min(capacity);
        i.refilled = now;
        match i.config.mode {
            OverloadMode::Slow => {
                i.served += 1;
                let over = in_flight.saturating_sub(capacity as u64);
                Verdict::Serve {
                    delay: Duration::from_millis(i.config.slow_ms_per_in_flight * over),
                }
            }
            OverloadMode::Reject if i.tokens >= 1.0 => {
                i.tokens -= 1.0;
                i.served += 1;
                Verdict::Serve {
                    delay: Duration::ZERO,
                }
            }
            OverloadMode::Reject => {
                // Long enough for what was turned away lately to be served at the capacity:
                // the hint grows while the overload lasts, so the retries spread out.
                i.rejected_recent.push_back(now);
                while i
                    .rejected_recent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(10))
                {
                    i.rejected_recent.pop_front();
                }
                let backlog = i.rejected_recent.len() as f64;
                let retry_after = (backlog / capacity).ceil().clamp(1.0, 120.0) as u64;
                let status = if i.config.reject_status == 503 {
                    i.rejected_503 += 1;
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    i.rejected_429 += 1;
                    StatusCode::TOO_MANY_REQUESTS
                };
                Verdict::Reject {
                    status,
                    retry_after,
                }
            }
        }
    }
}

fn overloaded(status: StatusCode, retry_after: u64) -> Response {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": "Overloaded",
        "status": status.as_u16(),
        "code": portal_api::codes::OVERLOADED,
        "detail": i18n::text(domain::Lang::Kk, "portal-overloaded"),
        "messages": {
            "kk": i18n::text(domain::Lang::Kk, "portal-overloaded"),
            "ru": i18n::text(domain::Lang::Ru, "portal-overloaded"),
        }
    });
    let mut r = (
        status,
        [(header::CONTENT_TYPE, portal_api::PROBLEM_JSON)],
        body.to_string(),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

fn html(status: StatusCode) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!("<html><body><h1>{status}</h1><p>proxy</p></body></html>"),
    )
        .into_response()
}

/// The middleware in front of every API route.
pub(crate) async fn limit(State(sim): State<AppState>, req: Request, next: Next) -> Response {
    let post = req.method() == axum::http::Method::POST;
    let batch = post && req.uri().path() == DECISION_BATCHES;
    let config = {
        let mut i = lock(&sim.overload.inner);
        if batch {
            i.decision_batch_requests += 1;
        }
        i.config
    };
    if let Some(status) = config
        .gateway_status
        .and_then(|s| StatusCode::from_u16(s).ok())
        .filter(|_| config.gateway_scope.covers(&req))
    {
        return html(status);
    }
    if batch && !config.decision_batches {
        // What the router's fallback answers for a route it does not have.
        return crate::Error::NotFound("route".into()).into_response();
    }
    let write = post && is_write(req.uri().path());
    let r = limited(&sim, req, next).await;
    if config.garble_write_answers && write && r.status().is_success() {
        return html(r.status());
    }
    r
}

async fn limited(sim: &AppState, req: Request, next: Next) -> Response {
    match sim.overload.arrive() {
        Verdict::Reject {
            status,
            retry_after,
        } => overloaded(status, retry_after),
        Verdict::Serve { delay } => {
            sim.overload.in_flight.fetch_add(1, Ordering::Relaxed);
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let r = next.run(req).await;
            sim.overload.in_flight.fetch_sub(1, Ordering::Relaxed);
            r
        }
    }
}

/// Conditional reads of the reference lists: the answer's SHA-256 is its `ETag`; a
/// request whose `If-None-Match` names it gets 304 with no body.
pub(crate) async fn conditional(State(sim): State<AppState>, req: Request, next: Next) -> Response {
    let cacheable = req.method() == axum::http::Method::GET
        && matches!(
            req.uri().path(),
            "/api/v1/schools" | "/api/v1/micro-districts" | "/api/v1/reference"
        );
    if !cacheable {
        return next.run(req).await;
    }
    let asked = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, portal_api::BODY_MAX_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let digest = Sha256::digest(&bytes);
    let tag = hex::encode(&digest[..16]);
    let etag = format!("\"{tag}\"");
    if asked
        .as_deref()
        .is_some_and(|a| a.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        lock(&sim.overload.inner).not_modified += 1;
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            r.headers_mut().insert(header::ETAG, v);
        }
        return r;
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    Response::from_parts(parts, Body::from(bytes))
}

pub async fn get_overload(State(sim): State<AppState>) -> Response {
    axum::Json(sim.overload.stats()).into_response()
}

pub async fn put_overload(State(sim): State<AppState>, RawBody(body): RawBody) -> Response {
    match parse_json::<OverloadConfig>(&body) {
        Ok(c) => {
            sim.overload.set(c);
            axum::Json(sim.overload.stats().config).into_response()
        }
        Err(e) => e.into_response(),
    }
}
