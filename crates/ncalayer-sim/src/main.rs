//! `ncalayer-sim`: the NCALayer simulator as a program, for the window's end-to-end tests
//! (tests/e2e/ncalayer.test.mjs) and for trying the desk by hand. It prints
//! `listening 127.0.0.1:<port>` once it accepts connections, writes its TLS root (PEM) to
//! `--tls-root-out`, and runs until killed.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use ncalayer_sim::{Config, Fault, TlsIdentity};
use signing::{P12Signer, Pkcs11Signer, Signer, TokenTarget, Zeroizing};

#[derive(Debug, Parser)]
#[command(about = "A protocol-faithful NCALayer for tests (issue 14)")]
struct Args {
    /// 0: a free port (printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The key file that plays NCALayer's storage.
    #[arg(long, conflicts_with = "module")]
    p12: Option<PathBuf>,
    /// Its password, or the token's PIN.
    #[arg(long, env = "NCALAYER_SIM_SECRET", default_value = "")]
    secret: String,
    /// A PKCS#11 module (SoftHSM2) whose token plays NCALayer's storage.
    #[arg(long, requires = "token_label")]
    module: Option<PathBuf>,
    #[arg(long)]
    token_label: Option<String>,
    /// Where to write the TLS root the client must trust (PEM).
    #[arg(long)]
    tls_root_out: PathBuf,
    /// none, cancel, error, slow:<ms>, other-bytes, close, garbage.
    #[arg(long, default_value = "none")]
    fault: String,
    #[arg(long, default_value = "1.4")]
    version: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let secret = Zeroizing::new(args.secret.clone());
    let key: Arc<dyn Signer> = match (&args.p12, &args.module, &args.token_label) {
        (Some(p12), _, _) => Arc::new(P12Signer::open(p12, secret)?),
        (None, Some(module), Some(label)) => Arc::new(Pkcs11Signer::open(
            &TokenTarget {
                module: module.clone(),
                token_label: label.clone(),
            },
            secret,
        )?),
        _ => return Err("give --p12 or --module with --token-label".into()),
    };
    let fault = Fault::parse(&args.fault).ok_or("unknown --fault")?;
    let tls = TlsIdentity::generate("NCALayer simulator TLS root")?;
    std::fs::write(&args.tls_root_out, tls.root_pem())?;
    let sim = ncalayer_sim::start(Config {
        port: args.port,
        tls,
        version: args.version,
        fault,
        key,
    })?;
    let mut out = std::io::stdout();
    writeln!(out, "listening {}", sim.addr)?;
    out.flush()?;
    loop {
        std::thread::park();
    }
}
