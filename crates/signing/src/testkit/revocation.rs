//! A test PKI with real revocation services (issue 10): a CA whose certificates name a
//! **real `openssl ocsp` responder** on 127.0.0.1 (started by the test, killed when the
//! [`OcspResponder`] is dropped) and CRLs and delta CRLs made with `openssl ca -gencrl`,
//! served over HTTP from 127.0.0.1. The OpenSSL CA database (`index.txt`) is written here
//! as `openssl ca` writes it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use openssl::pkey::HasPublic;
use openssl::pkey::PKeyRef;
use time::OffsetDateTime;

use super::{CertSpec, TestCa, ok};

/// A CA with an OpenSSL CA directory, an HTTP server for its CRLs and the port of its OCSP
/// responder (started on demand).
#[derive(Debug)]
pub struct TestPki {
    pub dir: PathBuf,
    pub ca: TestCa,
    ocsp_port: u16,
    http_port: u16,
    index: Mutex<()>,
}

fn free_port() -> u16 {
    let l = ok(TcpListener::bind("127.0.0.1:0"), "free port");
    ok(l.local_addr(), "free port").port()
}

fn asn1_time(t: OffsetDateTime) -> String {
    format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        t.year() % 100,
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn serial_hex(cert_der: &[u8]) -> String {
    let cert = ok(openssl::x509::X509::from_der(cert_der), "cert");
    let bn = ok(cert.serial_number().to_bn(), "serial");
    let hex = ok(bn.to_hex_str(), "serial hex").to_string();
    if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex
    }
}

fn not_after(cert_der: &[u8]) -> OffsetDateTime {
    crate::CertificateFacts::from_der(cert_der)
        .map(|f| f.not_after)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Serves the files of `root` over HTTP/1.0 on `port`, for the life of the process.
fn serve_files(root: PathBuf, port: u16) {
    let listener = ok(TcpListener::bind(("127.0.0.1", port)), "CRL server");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
}

fn answer(mut stream: TcpStream, root: &Path) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let file = root.join(path.trim_start_matches('/'));
    let response = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => {
            let mut r = format!(
                "HTTP/1.0 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend(body);
            r
        }
        _ => b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
    };
    let _ = stream.write_all(&response);
    let _ = stream.read(&mut [0u8; 1]);
}

impl TestPki {
    /// A CA named `name` with its OpenSSL directory in `dir`.
    pub fn new(dir: &Path, name: &str) -> TestPki {
        let ca = TestCa::new(name);
        ok(std::fs::create_dir_all(dir.join("www")), "pki dir");
        ca.write_pem(&dir.join("ca.pem"));
        ca.write_key_pem(&dir.join("ca.key"));
        ok(std::fs::write(dir.join("index.txt"), ""), "index");
        ok(
            std::fs::write(dir.join("index.txt.attr"), "unique_subject = no\n"),
            "index attr",
        );
        ok(std::fs::write(dir.join("crlnumber"), "1000\n"), "crlnumber");
        ok(
            std::fs::write(
                dir.join("ca.cnf"),
                "[ ca ]\ndefault_ca = test_ca\n[ test_ca ]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\n[ delta ]\n2.5.29.27 = critical, DER:02:02:03:E8\n",
            ),
            "ca.cnf",
        );
        let http_port = free_port();
        serve_files(dir.join("www"), http_port);
        TestPki {
            dir: dir.to_path_buf(),
            ca,
            ocsp_port: free_port(),
            http_port,
            index: Mutex::new(()),
        }
    }

    pub fn ocsp_url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.ocsp_port)
    }

    pub fn crl_url(&self) -> String {
        format!("http://127.0.0.1:{}/ca.crl", self.http_port)
    }

    pub fn delta_crl_url(&self) -> String {
        format!("http://127.0.0.1:{}/delta.crl", self.http_port)
    }

    /// `spec` with this PKI's OCSP responder, CRL and delta CRL named in it.
    pub fn with_urls(&self, spec: CertSpec) -> CertSpec {
        CertSpec {
            ocsp_url: Some(self.ocsp_url()),
            crl_url: Some(self.crl_url()),
            delta_crl_url: Some(self.delta_crl_url()),
            ..spec
        }
    }

    /// Issues a certificate and records it in the CA database as valid.
    pub fn issue<T: HasPublic>(&self, key: &PKeyRef<T>, spec: &CertSpec) -> Vec<u8> {
        let der = self.ca.issue(key, spec);
        let _one = self.index.lock().unwrap_or_else(|p| p.into_inner());
        let line = format!(
            "V\t{}\t\t{}\tunknown\t/CN=test-{}\n",
            asn1_time(not_after(&der)),
            serial_hex(&der),
            serial_hex(&der)
        );
        let mut index = std::fs::read_to_string(self.dir.join("index.txt")).unwrap_or_default();
        index.push_str(&line);
        ok(std::fs::write(self.dir.join("index.txt"), index), "index");
        der
    }

    /// A `.p12` key file (RSA) whose certificate this CA issues from `spec` with its
    /// revocation URLs; returns the certificate (DER).
    pub fn write_p12(&self, path: &Path, spec: &CertSpec, password: &str) -> Vec<u8> {
        let spec = self.with_urls(spec.clone());
        super::write_p12_issued(path, |key| self.issue(key, &spec), password, false)
    }

    /// Marks a certificate revoked at `at` in the CA database (`reason`: an RFC 5280 name,
    /// e.g. `keyCompromise`). Restart the responder and publish CRLs to make it known.
    pub fn revoke(&self, cert_der: &[u8], at: OffsetDateTime, reason: &str) {
        let _one = self.index.lock().unwrap_or_else(|p| p.into_inner());
        let serial = serial_hex(cert_der);
        let index = std::fs::read_to_string(self.dir.join("index.txt")).unwrap_or_default();
        let updated: String = index
            .lines()
            .map(|l| {
                let mut f: Vec<String> = l.split('\t').map(str::to_string).collect();
                if f.len() >= 4 && f[3] == serial {
                    f[0] = "R".into();
                    f[2] = format!("{},{reason}", asn1_time(at));
                }
                f.join("\t") + "\n"
            })
            .collect();
        ok(std::fs::write(self.dir.join("index.txt"), updated), "index");
    }

    fn gencrl(&self, file: &str, delta: bool) {
        let pem = self.dir.join(format!("{file}.pem"));
        let mut cmd = Command::new("openssl");
        cmd.current_dir(&self.dir)
            .args(["ca", "-config", "ca.cnf", "-gencrl", "-keyfile", "ca.key"])
            .args(["-cert", "ca.pem", "-out"])
            .arg(&pem);
        if delta {
            cmd.args(["-crlexts", "delta"]);
        }
        let out = ok(cmd.output(), "openssl ca -gencrl");
        assert!(
            out.status.success(),
            "openssl ca -gencrl: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = ok(
            Command::new("openssl")
                .args(["crl", "-in"])
                .arg(&pem)
                .args(["-outform", "DER", "-out"])
                .arg(self.dir.join("www").join(file))
                .output(),
            "openssl crl",
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Publishes the CRL (`openssl ca -gencrl`) of the CA database as it is now.
    pub fn publish_crl(&self) {
        self.gencrl("ca.crl", false);
    }

    /// Publishes a delta CRL (deltaCRLIndicator) of the CA database as it is now.
    pub fn publish_delta_crl(&self) {
        self.gencrl("delta.crl", true);
    }

    /// Removes the published CRLs (the CRL server answers 404).
    pub fn withdraw_crls(&self) {
        let _ = std::fs::remove_file(self.dir.join("www").join("ca.crl"));
        let _ = std::fs::remove_file(self.dir.join("www").join("delta.crl"));
    }

    /// Starts `openssl ocsp` on this PKI's port with the CA database as it is now; it
    /// answers signed by the CA and copies the request's nonce.
    pub fn start_ocsp(&self) -> OcspResponder {
        let mut child = ok(
            Command::new("openssl")
                .current_dir(&self.dir)
                // OpenSSL 3.0's `-port` takes a number only (not host:port); clients reach
                // it on 127.0.0.1.
                .args(["ocsp", "-index", "index.txt", "-port"])
                .arg(self.ocsp_port.to_string())
                .args(["-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem"])
                .args(["-ignore_err", "-nmin", "60"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn(),
            "start openssl ocsp",
        );
        // Ready when it says so (a bare probe connection would stall its one-at-a-time
        // loop); its output is drained for the rest of its life.
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        for pipe in [
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let ready_tx = ready_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if line.contains("waiting for OCSP client connections") {
                        let _ = ready_tx.send(());
                    }
                }
            });
        }
        if ready_rx.recv_timeout(Duration::from_secs(10)).is_err() {
            let _ = child.kill();
            panic!(
                "testkit: openssl ocsp did not start on port {}",
                self.ocsp_port
            );
        }
        OcspResponder { child }
    }
}

/// A running `openssl ocsp`; killed when dropped.
#[derive(Debug)]
pub struct OcspResponder {
    child: Child,
}

impl Drop for OcspResponder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
