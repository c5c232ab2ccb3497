//! A protocol-faithful NCALayer for tests (issue 14). NCALayer itself cannot run on the
//! build machines, so this program plays it: a TLS WebSocket on 127.0.0.1 with a
//! certificate from a root of its own ([`TlsIdentity`]), the version message on connect,
//! and `kz.gov.pki.knca.basics` `sign` answered by signing with a real key underneath (a
//! `.p12` file or a SoftHSM2 token, through the signing crate), in NCA's answer shapes
//! (`crates/signing/FORMAT.md`, "NCALayer"). [`Fault`] makes it answer as a broken or
//! hostile NCALayer would. Nothing of the app depends on it: only tests and the E2E run it.

mod tls;

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use openssl::ssl::{SslAcceptor, SslMethod};
use serde_json::{Value, json};
use signing::Signer;
use tungstenite::{Message, WebSocket};

pub use tls::TlsIdentity;

/// How the simulator answers `basics.sign`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Signs the bytes it was sent, as NCALayer does.
    None,
    /// The person closed NCALayer's window: `{"status":true,"body":{}}`.
    Cancel,
    /// `{"status":false,"code":…,"message":…,"details":…}`.
    Error { code: String, message: String },
    /// Answers (correctly) after this long.
    Slow(Duration),
    /// Signs other bytes than it was sent.
    OtherBytes,
    /// Closes the connection instead of answering (NCALayer quit mid-way).
    Close,
    /// Answers with bytes that are not JSON.
    Garbage,
}

impl Fault {
    /// `none`, `cancel`, `error`, `slow:<ms>`, `other-bytes`, `close`, `garbage`.
    pub fn parse(s: &str) -> Option<Fault> {
        Some(match s {
            "none" => Fault::None,
            "cancel" => Fault::Cancel,
            "error" => Fault::Error {
                code: "INVOCATION_ERROR".into(),
                message: "An invoked method threw an exception.".into(),
            },
            "other-bytes" => Fault::OtherBytes,
            "close" => Fault::Close,
            "garbage" => Fault::Garbage,
            other => Fault::Slow(Duration::from_millis(
                other.strip_prefix("slow:")?.parse().ok()?,
            )),
        })
    }
}

/// What the simulator runs with.
pub struct Config {
    /// 0: a free port.
    pub port: u16,
    pub tls: TlsIdentity,
    /// Sent on connect as `{"result":{"version":…}}`.
    pub version: String,
    pub fault: Fault,
    /// The key "in NCALayer's storage" (another person's for a wrong-key test).
    pub key: Arc<dyn Signer>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("port", &self.port)
            .field("version", &self.version)
            .field("fault", &self.fault)
            .field("key", &self.key.certificate().subject)
            .finish()
    }
}

#[derive(Debug)]
struct Shared {
    fault: Mutex<Fault>,
    requests: Mutex<Vec<Value>>,
    stop: AtomicBool,
}

/// A running simulator; stopped when dropped.
#[derive(Debug)]
pub struct Sim {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl Sim {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far, as JSON.
    pub fn requests(&self) -> Vec<Value> {
        self.shared
            .requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// Changes how the next `sign` is answered.
    pub fn set_fault(&self, fault: Fault) {
        if let Ok(mut f) = self.shared.fault.lock() {
            *f = fault;
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

/// Starts the simulator on 127.0.0.1.
pub fn start(config: Config) -> io::Result<Sim> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))?;
    let addr = listener.local_addr()?;
    let mut acceptor =
        SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).map_err(io::Error::other)?;
    acceptor
        .set_private_key(&config.tls.key)
        .map_err(io::Error::other)?;
    acceptor
        .set_certificate(&config.tls.cert)
        .map_err(io::Error::other)?;
    acceptor.check_private_key().map_err(io::Error::other)?;
    let acceptor = Arc::new(acceptor.build());
    let shared = Arc::new(Shared {
        fault: Mutex::new(config.fault.clone()),
        requests: Mutex::new(Vec::new()),
        stop: AtomicBool::new(false),
    });
    let version = config.version.clone();
    let key = config.key.clone();
    let accept_shared = shared.clone();
    let accept = std::thread::spawn(move || {
        for stream in listener.incoming() {
            if accept_shared.stop.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else { continue };
            let (acceptor, shared, version, key) = (
                acceptor.clone(),
                accept_shared.clone(),
                version.clone(),
                key.clone(),
            );
            std::thread::spawn(move || {
                let _ = serve(stream, &acceptor, &shared, &version, key.as_ref());
            });
        }
    });
    Ok(Sim {
        addr,
        shared,
        accept: Some(accept),
    })
}

fn serve(
    stream: TcpStream,
    acceptor: &openssl::ssl::SslAcceptor,
    shared: &Shared,
    version: &str,
    key: &dyn Signer,
) -> Result<(), Box<dyn std::error::Error>> {
    stream.set_read_timeout(Some(Duration::from_secs(600)))?;
    let tls = acceptor.accept(stream).map_err(|e| e.to_string())?;
    let mut ws = tungstenite::accept(tls).map_err(|e| e.to_string())?;
    ws.send(Message::text(
        json!({ "result": { "version": version } }).to_string(),
    ))?;
    loop {
        let text = match ws.read()? {
            Message::Text(t) => t.as_str().to_string(),
            Message::Close(_) => return Ok(()),
            _ => continue,
        };
        let request: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if let Ok(mut r) = shared.requests.lock() {
            r.push(request.clone());
        }
        let fault = shared
            .fault
            .lock()
            .map(|f| f.clone())
            .unwrap_or(Fault::None);
        if !(request["module"] == "kz.gov.pki.knca.basics" && request["method"] == "sign") {
            // As NCALayer answers a module it does not have.
            send(
                &mut ws,
                json!({ "status": false, "code": "MODULE_NOT_FOUND", "message": "Module not found." }),
            )?;
            continue;
        }
        match fault {
            Fault::Cancel => send(&mut ws, json!({ "status": true, "body": {} }))?,
            Fault::Error { code, message } => send(
                &mut ws,
                json!({ "status": false, "code": code, "message": message, "details": "simulated" }),
            )?,
            Fault::Close => return Ok(()),
            Fault::Garbage => ws.send(Message::text("<html>502 Bad Gateway</html>"))?,
            Fault::Slow(d) => {
                std::thread::sleep(d);
                send(&mut ws, sign_answer(&request, key, false))?;
            }
            Fault::OtherBytes => send(&mut ws, sign_answer(&request, key, true))?,
            Fault::None => send(&mut ws, sign_answer(&request, key, false))?,
        }
    }
}

fn send<S: io::Read + io::Write>(
    ws: &mut WebSocket<S>,
    v: Value,
) -> Result<(), tungstenite::Error> {
    ws.send(Message::text(v.to_string()))
}

fn data_bytes(data: &Value, decode: bool) -> Option<Vec<u8>> {
    let s = data.as_str()?;
    if decode {
        BASE64.decode(s).ok()
    } else {
        Some(s.as_bytes().to_vec())
    }
}

/// Signs what `basics.sign` asked for: one CMS per item of `data` (a string or a list),
/// detached unless `encapsulate` is true (this simulator signs detached only and says so).
fn sign_answer(request: &Value, key: &dyn Signer, other_bytes: bool) -> Value {
    let args = &request["args"];
    let refuse = |details: &str| json!({ "status": false, "code": "INVOCATION_ERROR", "message": "An invoked method threw an exception.", "details": details });
    if args["format"] != "cms" {
        return refuse("only format cms is simulated");
    }
    if args["signingParams"]["encapsulate"] != false {
        return refuse("only detached CMS (encapsulate: false) is simulated");
    }
    let decode = args["signingParams"]["decode"] == true;
    let items: Vec<&Value> = match &args["data"] {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let mut pems = Vec::new();
    for item in items {
        let Some(mut bytes) = data_bytes(item, decode) else {
            return refuse("data is not base64");
        };
        if other_bytes {
            bytes.extend_from_slice(b" ");
        }
        let now = time::OffsetDateTime::now_utc();
        let pem = key
            .sign_detached(&bytes, now)
            .and_then(|der| signing::signature_pem(&der));
        match pem {
            Ok(p) => pems.push(Value::String(p)),
            Err(e) => return refuse(&e.to_string()),
        }
    }
    json!({ "status": true, "body": { "result": pems } })
}
