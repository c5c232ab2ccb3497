//! portal-sim: a real HTTP server that speaks the portal API contract
//! (`api/portal.openapi.yaml`) over its own SQLite, seeded from `demo`, enforcing the
//! portal's rules (R-28, R-29, capacity, withdrawn not acceptable, every signed write's
//! CMS verified and its certificate the signed-in clerk's), with idempotent writes, EDS
//! sign-in and fault injection. See README.md.

mod accounts;
mod admin;
mod admin_decisions;
mod api;
mod chain_cache;
mod db;
mod error;
mod idempotency;
mod overload;
mod revocation_check;
pub mod verification;

pub use error::Error;
pub use overload::{GatewayScope, OverloadConfig, OverloadMode, OverloadStats};
pub use portal_api::Faults;

pub(crate) use idempotency::WriteRequest;

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use demo::{Region, RegionSpec};
use rand::{Rng, SeedableRng};
use rusqlite::Connection;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use time::{Duration, OffsetDateTime};
use tokio::sync::{Notify, watch};

/// How to run the simulator.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub spec: RegionSpec,
    /// Parent applications generated at first start.
    pub applications: u64,
    /// SQLite file; in memory when `None`. An already seeded file is reused as it is.
    pub db: Option<PathBuf>,
    /// New parent applications per minute (and some withdrawals); 0 = a still world.
    pub arrivals_per_minute: f64,
    pub faults: Faults,
    pub token_ttl: Duration,
    pub code_ttl: Duration,
    /// CA certificates (DER) that signers' certificates may chain to (`--trust-ca`), next
    /// to NCA's bundled production roots; the chain is always checked (`verification.rs`).
    pub trust_ca: Vec<Vec<u8>>,
    /// Trust NCA's test PKI too (`--nca-test-pki`; off by default).
    pub nca_test_pki: bool,
    /// Capacity and behaviour beyond it (issue 12); off by default.
    pub overload: OverloadConfig,
}

impl Config {
    pub fn new(listen: SocketAddr, seed: u64, applications: u64) -> Config {
        Config {
            listen,
            spec: RegionSpec {
                seed,
                ..RegionSpec::default()
            },
            applications,
            db: None,
            arrivals_per_minute: 0.0,
            faults: no_faults(),
            token_ttl: Duration::hours(8),
            code_ttl: Duration::minutes(5),
            trust_ca: Vec::new(),
            nca_test_pki: false,
            overload: OverloadConfig::default(),
        }
    }
}

pub fn no_faults() -> Faults {
    Faults {
        fault_5xx_rate: 0.0,
        drop_after_commit_rate: 0.0,
        latency_ms: 0,
        outage: false,
        damaged_changes: None,
    }
}

/// A running server. Dropping it (or [`ServerHandle::shutdown`]) stops accepting,
/// closes open connections and the arrivals task; the database file stays.
#[derive(Debug)]
pub struct ServerHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl ServerHandle {
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

pub(crate) struct Session {
    pub staff_iin: String,
    pub schools: Vec<String>,
    pub expires_at: OffsetDateTime,
}

pub(crate) struct Sim {
    pub spec: RegionSpec,
    pub region: Region,
    pub db: Mutex<Connection>,
    pub faults: Mutex<Faults>,
    pub sessions: Mutex<HashMap<String, Session>>,
    pub rng: Mutex<rand::rngs::StdRng>,
    pub token_ttl: Duration,
    pub code_ttl: Duration,
    /// Every certificate a signer's chain may end at: NCA's bundled roots, the test PKI
    /// when configured, [`Config::trust_ca`].
    pub trust: Vec<Vec<u8>>,
    /// EDS sign-in challenges handed out and not used yet (base64 → expiry).
    pub challenges: Mutex<HashMap<String, OffsetDateTime>>,
    /// Locked-out and revoked staff accounts.
    pub accounts: Mutex<accounts::Accounts>,
    pub overload: overload::Overload,
    /// Certificate paths verified already (issue 12).
    pub chains: chain_cache::ChainCache,
}

pub(crate) type AppState = Arc<Sim>;

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Sim {
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        lock(&self.db)
    }
    pub fn faults(&self) -> Faults {
        lock(&self.faults).clone()
    }
    pub fn chance(&self, rate: f64) -> bool {
        rate > 0.0 && lock(&self.rng).random_bool(rate.clamp(0.0, 1.0))
    }
    pub fn random_bytes(&self, n: usize) -> Vec<u8> {
        let mut rng = lock(&self.rng);
        (0..n).map(|_| rng.random()).collect()
    }
    pub fn random_range(&self, range: std::ops::Range<u64>) -> u64 {
        lock(&self.rng).random_range(range)
    }
    /// The certificates signatures must chain to.
    pub fn trust(&self) -> &[Vec<u8>] {
        &self.trust
    }
}

/// Starts the server; returns the bound address (useful with port 0) and its handle.
pub async fn serve(config: Config) -> Result<(SocketAddr, ServerHandle), Error> {
    let Config {
        listen,
        spec,
        applications,
        db: db_path,
        arrivals_per_minute,
        faults,
        token_ttl,
        code_ttl,
        trust_ca,
        nca_test_pki,
        overload,
    } = config;
    let trust = signing::trust::trust_anchors(nca_test_pki, &trust_ca);
    let sim = tokio::task::spawn_blocking(move || -> Result<Sim, Error> {
        let region = demo::region(&spec);
        let mut conn = db::open(db_path.as_deref())?;
        db::seed(
            &mut conn,
            &spec,
            &region,
            applications,
            OffsetDateTime::now_utc(),
        )?;
        Ok(Sim {
            spec,
            region,
            db: Mutex::new(conn),
            faults: Mutex::new(faults),
            sessions: Mutex::new(HashMap::new()),
            rng: Mutex::new(rand::rngs::StdRng::from_os_rng()),
            token_ttl,
            code_ttl,
            trust,
            challenges: Mutex::new(HashMap::new()),
            accounts: Mutex::new(HashMap::new()),
            overload: overload::Overload::new(overload),
            chains: chain_cache::ChainCache::default(),
        })
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    let state: AppState = Arc::new(sim);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let app = router(state.clone());
    let (stop, stop_rx) = watch::channel(false);

    if arrivals_per_minute > 0.0 {
        let state = state.clone();
        let mut stop_rx = stop_rx.clone();
        let period = std::time::Duration::from_secs_f64(60.0 / arrivals_per_minute);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.tick().await;
            loop {
                tokio::select! {
                    _ = stop_rx.changed() => break,
                    _ = tick.tick() => {
                        let _ = admin::arrive(&state, 1, OffsetDateTime::now_utc());
                        if state.chance(0.2) {
                            let _ = admin::withdraw_random(&state, OffsetDateTime::now_utc());
                        }
                    }
                }
            }
        });
    }

    let mut accept_stop = stop_rx.clone();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = accept_stop.changed() => break,
                accepted = listener.accept() => {
                    let Ok((stream, peer)) = accepted else { continue };
                    let app = app.clone();
                    let mut conn_stop = stop_rx.clone();
                    tokio::spawn(async move {
                        let kill = Arc::new(Notify::new());
                        let kill_for_requests = kill.clone();
                        let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                            req.extensions_mut().insert(ConnectionKill(kill_for_requests.clone()));
                            req.extensions_mut().insert(Peer(peer));
                            tower::ServiceExt::oneshot(app.clone(), req.map(Body::new))
                        });
                        let conn = hyper::server::conn::http1::Builder::new()
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                        // Dropping the connection future closes the socket without a reply:
                        // that is how a "response lost after commit" is made.
                        tokio::select! {
                            _ = conn => {}
                            _ = kill.notified() => {}
                            _ = conn_stop.changed() => {}
                        }
                    });
                }
            }
        }
    });
    Ok((addr, ServerHandle { stop, task }))
}

/// Lets a handler close its own connection without answering.
#[derive(Clone)]
pub(crate) struct ConnectionKill(pub(crate) Arc<Notify>);

/// The client's address, for the loopback-only admin endpoints.
#[derive(Clone, Copy)]
pub(crate) struct Peer(SocketAddr);

/// Every route of the server: the contract test compares this table with the OpenAPI
/// document, both ways.
pub fn route_table() -> Vec<(Method, &'static str)> {
    routes_with_handlers()
        .into_iter()
        .flat_map(|(path, methods, _)| methods.into_iter().map(move |m| (m, path)))
        .collect()
}

type Routes = Vec<(&'static str, Vec<Method>, MethodRouter<AppState>)>;

fn routes_with_handlers() -> Routes {
    use Method as M;
    vec![
        ("/api/v1/auth/sign-in", vec![M::POST], post(api::sign_in)),
        (
            "/api/v1/auth/eds/challenge",
            vec![M::POST],
            post(api::eds_challenge),
        ),
        (
            "/api/v1/auth/eds/sign-in",
            vec![M::POST],
            post(api::eds_sign_in),
        ),
        ("/api/v1/changes", vec![M::GET], get(api::changes)),
        (
            "/api/v1/applications",
            vec![M::POST],
            post(api::submit_on_behalf),
        ),
        (
            "/api/v1/applications/{application_id}",
            vec![M::GET],
            get(api::get_application),
        ),
        (
            "/api/v1/applications/{application_id}/documents/{document_id}",
            vec![M::GET],
            get(api::get_document),
        ),
        (
            "/api/v1/applications/{application_id}/decisions",
            vec![M::POST],
            post(api::decide),
        ),
        (
            "/api/v1/decision-batches",
            vec![M::POST],
            post(api::decide_batch),
        ),
        (
            "/api/v1/register/persons/{iin}",
            vec![M::GET],
            get(api::register_person),
        ),
        (
            "/api/v1/addresses",
            vec![M::GET],
            get(api::search_addresses),
        ),
        (
            "/api/v1/addresses/{address_id}/micro-district",
            vec![M::PUT],
            put(api::bind_address),
        ),
        (
            "/api/v1/micro-district-bindings",
            vec![M::POST],
            post(api::bind_micro_district),
        ),
        (
            "/api/v1/micro-districts",
            vec![M::GET],
            get(api::micro_districts),
        ),
        ("/api/v1/schools", vec![M::GET], get(api::schools)),
        ("/api/v1/reference", vec![M::GET], get(api::reference)),
        (
            "/api/v1/confirmation-codes",
            vec![M::POST],
            post(api::send_code),
        ),
        (
            "/api/v1/confirmation-codes/{code_id}/check",
            vec![M::POST],
            post(api::check_code),
        ),
        (
            "/api/v1/staff/email",
            vec![M::POST],
            post(api::send_staff_email_code),
        ),
        (
            "/api/v1/staff/email/confirm",
            vec![M::POST],
            post(api::confirm_staff_email),
        ),
        ("/admin/stats", vec![M::GET], get(admin::stats)),
        ("/admin/demo-staff", vec![M::GET], get(admin::demo_staff)),
        ("/admin/codes", vec![M::GET], get(admin::codes)),
        ("/admin/bindings", vec![M::GET], get(admin::bindings)),
        (
            "/admin/decisions",
            vec![M::GET],
            get(admin_decisions::decisions),
        ),
        (
            "/admin/staff/{iin}/revoke",
            vec![M::POST],
            post(accounts::revoke),
        ),
        (
            "/admin/faults",
            vec![M::GET, M::PUT],
            get(admin::get_faults).put(admin::put_faults),
        ),
        ("/admin/walk-ins", vec![M::GET], get(admin::walk_ins)),
        (
            "/admin/overload",
            vec![M::GET, M::PUT],
            get(overload::get_overload).put(overload::put_overload),
        ),
        ("/admin/arrivals", vec![M::POST], post(admin::arrivals)),
        ("/admin/places", vec![M::PUT], put(admin::put_places)),
        (
            "/admin/applications/{application_id}/withdraw",
            vec![M::POST],
            post(admin::withdraw),
        ),
        (
            "/admin/applications/{application_id}/edit",
            vec![M::POST],
            post(admin::edit),
        ),
    ]
}

fn router(state: AppState) -> Router {
    let mut api = Router::new();
    let mut adm = Router::new();
    for (path, _, handler) in routes_with_handlers() {
        if path.starts_with("/admin") {
            adm = adm.route(path, handler);
        } else {
            api = api.route(path, handler);
        }
    }
    let api = api
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            overload::conditional,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            inject_faults,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            overload::limit,
        ));
    let adm = adm.layer(axum::middleware::from_fn(loopback_only));
    api.merge(adm)
        .fallback(|| async { Error::NotFound("route".into()) })
        .method_not_allowed_fallback(|| async { Error::NotFound("method".into()) })
        .with_state(state)
}

async fn inject_faults(State(sim): State<AppState>, req: Request, next: Next) -> Response {
    let faults = sim.faults();
    if faults.outage {
        return Error::Outage.into_response();
    }
    if faults.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(faults.latency_ms)).await;
    }
    if sim.chance(faults.fault_5xx_rate) {
        let _ = db::bump(&sim.db(), "injected_5xx", 1);
        return Error::InjectedFault.into_response();
    }
    let damage = faults
        .damaged_changes
        .filter(|_| req.uri().path() == "/api/v1/changes");
    let answer = next.run(req).await;
    match damage {
        Some(how) if answer.status().is_success() => damaged(answer, how).await,
        _ => answer,
    }
}

/// `answer` as a broken proxy or a cut connection would deliver it (fault
/// `damaged_changes`).
async fn damaged(answer: Response, how: portal_api::DamagedAnswer) -> Response {
    use header::{CONTENT_LENGTH, CONTENT_TYPE};
    let (mut parts, body) = answer.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.remove(CONTENT_LENGTH);
    let (kind, out): (&str, Vec<u8>) = match how {
        portal_api::DamagedAnswer::Html => (
            "text/html; charset=utf-8",
            b"<html><body><h1>Proxy error</h1><p>Upstream answered late.</p></body></html>"
                .to_vec(),
        ),
        portal_api::DamagedAnswer::Truncated => {
            ("application/json", bytes[..bytes.len() / 2].to_vec())
        }
        portal_api::DamagedAnswer::Garbage => (
            "application/json",
            bytes.iter().map(|b| b.rotate_left(3) ^ 0xa5).collect(),
        ),
    };
    parts
        .headers
        .insert(CONTENT_TYPE, axum::http::HeaderValue::from_static(kind));
    Response::from_parts(parts, Body::from(out))
}

async fn loopback_only(req: Request, next: Next) -> Response {
    match req.extensions().get::<Peer>() {
        Some(Peer(addr)) if addr.ip().is_loopback() => next.run(req).await,
        _ => Error::AdminLoopbackOnly.into_response(),
    }
}

/// The request body, read up to [`portal_api::BODY_MAX_BYTES`].
pub(crate) struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = Error;
    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        axum::body::to_bytes(req.into_body(), portal_api::BODY_MAX_BYTES)
            .await
            .map(RawBody)
            .map_err(|_| Error::BodyTooLarge)
    }
}

/// Parses a JSON body: syntax errors are 400, unknown or ill-typed fields 422.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data if e.to_string().contains("unknown field") => {
            Error::UnknownField(e.to_string())
        }
        serde_json::error::Category::Data => Error::InvalidField(e.to_string()),
        _ => Error::MalformedJson(e.to_string()),
    })
}

/// The signed-in staff member (from `Authorization: Bearer`).
pub(crate) struct Staff {
    pub iin: String,
    pub schools: Vec<String>,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Error;
    async fn from_request_parts(
        parts: &mut Parts,
        sim: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(Error::TokenMissing)?;
        let sessions = lock(&sim.sessions);
        let s = sessions.get(token.trim()).ok_or(Error::TokenInvalid)?;
        if s.expires_at <= OffsetDateTime::now_utc() {
            return Err(Error::TokenExpired);
        }
        Ok(Staff {
            iin: s.staff_iin.clone(),
            schools: s.schools.clone(),
        })
    }
}

pub(crate) fn json_response<T: serde::Serialize>(
    status: StatusCode,
    value: &T,
) -> Result<(StatusCode, String), Error> {
    Ok((status, serde_json::to_string(value)?))
}

pub(crate) fn respond(status: StatusCode, content_type: &str, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, content_type.to_string())],
        body,
    )
        .into_response()
}
