//! The WebSocket connection to NCALayer: TLS (rustls) that trusts only the given roots —
//! NCA's, whose RSA root issues NCALayer's `127.0.0.1` certificate — never the OS store
//! and never "any certificate"; then the WebSocket handshake (tungstenite), the version
//! message, one request and its answer, each within a deadline.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::{CertificateDer, IpAddr, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

use super::NcaLayerError;
use super::protocol::{self, MAX_ANSWER_BYTES};

type Tls = StreamOwned<ClientConnection, TcpStream>;

/// One open connection to NCALayer, after its version message.
#[derive(Debug)]
pub(crate) struct Connection {
    ws: WebSocket<Tls>,
    port: u16,
    pub(crate) version: String,
}

fn tls_config(roots: &[Vec<u8>]) -> Result<Arc<ClientConfig>, String> {
    let mut store = RootCertStore::empty();
    for der in roots {
        // A root that rustls cannot read is skipped; with none left nothing is trusted.
        let _ = store.add(CertificateDer::from(der.clone()));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(store)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn rustls_error(e: &io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

fn timed_out(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

impl Connection {
    /// Connects to `127.0.0.1:port`, checks its certificate against `roots` and reads the
    /// version message, all within `timeout`.
    pub(crate) fn open(
        port: u16,
        roots: &[Vec<u8>],
        timeout: Duration,
    ) -> Result<Connection, NcaLayerError> {
        let deadline = Instant::now() + timeout;
        let not_running = |detail: String| NcaLayerError::NotRunning { port, detail };
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let tcp =
            TcpStream::connect_timeout(&addr, timeout).map_err(|e| not_running(e.to_string()))?;
        let _ = tcp.set_nodelay(true);
        tcp.set_read_timeout(Some(timeout))
            .map_err(|e| not_running(e.to_string()))?;
        tcp.set_write_timeout(Some(timeout))
            .map_err(|e| not_running(e.to_string()))?;
        let config = tls_config(roots).map_err(not_running)?;
        let name = ServerName::IpAddress(IpAddr::from(std::net::IpAddr::from(Ipv4Addr::LOCALHOST)));
        let conn = ClientConnection::new(config, name).map_err(|e| not_running(e.to_string()))?;
        let mut tls = StreamOwned::new(conn, tcp);
        // The TLS handshake first, so that a certificate that is not NCA's is told apart
        // from a program that is not there.
        while tls.conn.is_handshaking() {
            if let Err(e) = tls.conn.complete_io(&mut tls.sock) {
                return Err(match rustls_error(&e) {
                    Some(rustls::Error::InvalidCertificate(c)) => NcaLayerError::ServerUntrusted {
                        port,
                        detail: format!("{c:?}"),
                    },
                    Some(other) => NcaLayerError::ServerUntrusted {
                        port,
                        detail: other.to_string(),
                    },
                    None if timed_out(&e) => NcaLayerError::Timeout {
                        seconds: timeout.as_secs().max(1),
                    },
                    None => not_running(e.to_string()),
                });
            }
        }
        let mut ws_config = WebSocketConfig::default();
        ws_config.max_message_size = Some(MAX_ANSWER_BYTES);
        ws_config.max_frame_size = Some(MAX_ANSWER_BYTES);
        let url = format!("wss://127.0.0.1:{port}/");
        let (ws, _response) =
            tungstenite::client::client_with_config(url.as_str(), tls, Some(ws_config)).map_err(
                |e| match e {
                    tungstenite::HandshakeError::Interrupted(_) => NcaLayerError::Timeout {
                        seconds: timeout.as_secs().max(1),
                    },
                    tungstenite::HandshakeError::Failure(e) => not_running(e.to_string()),
                },
            )?;
        let mut connection = Connection {
            ws,
            port,
            version: String::new(),
        };
        let hello = connection.read_text(deadline, timeout)?;
        connection.version =
            protocol::parse_version(&hello).map_err(|e| NcaLayerError::AnswerMalformed {
                detail: e.to_string(),
            })?;
        Ok(connection)
    }

    /// Sends one request and reads its answer within `timeout`.
    pub(crate) fn request(
        &mut self,
        json: &str,
        timeout: Duration,
    ) -> Result<Vec<u8>, NcaLayerError> {
        let deadline = Instant::now() + timeout;
        self.ws
            .send(Message::text(json))
            .map_err(|e| NcaLayerError::Closed {
                detail: e.to_string(),
            })?;
        self.read_text(deadline, timeout)
    }

    /// The next text (or binary) message before `deadline`; pings are answered by
    /// tungstenite and skipped here.
    fn read_text(
        &mut self,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<Vec<u8>, NcaLayerError> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(NcaLayerError::Timeout {
                    seconds: timeout.as_secs().max(1),
                });
            }
            let _ = self.ws.get_ref().sock.set_read_timeout(Some(left));
            match self.ws.read() {
                Ok(Message::Text(t)) => return Ok(t.as_bytes().to_vec()),
                Ok(Message::Binary(b)) => return Ok(b.to_vec()),
                Ok(Message::Close(_)) => {
                    return Err(NcaLayerError::Closed {
                        detail: "close frame".into(),
                    });
                }
                Ok(_) => continue,
                Err(tungstenite::Error::Io(e)) if timed_out(&e) => continue,
                Err(tungstenite::Error::Capacity(e)) => {
                    return Err(NcaLayerError::AnswerMalformed {
                        detail: e.to_string(),
                    });
                }
                Err(e) => {
                    return Err(NcaLayerError::Closed {
                        detail: format!("port {}: {e}", self.port),
                    });
                }
            }
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let _ = self.ws.close(None);
        let _ = self.ws.flush();
    }
}
