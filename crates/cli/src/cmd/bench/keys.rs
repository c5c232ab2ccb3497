//! Keys: an NCA-shaped certificate and its `.p12`, made with the openssl CLI.

use anyhow::{Context, ensure};
use desk::signing::{P12Signer, Zeroizing};
use domain::Iin;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub(super) fn tool(
    program: &str,
    args: &[&str],
    dir: &Path,
    env: &[(&str, &Path)],
) -> anyhow::Result<()> {
    let mut c = Command::new(program);
    c.args(args).current_dir(dir).stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .output()
        .with_context(|| format!("cannot run {program} (scripts/setup installs it)"))?;
    ensure!(
        out.status.success(),
        "{program} {}: {}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// Files of one signing key: `key.pem` (PKCS#8), `cert.pem`, `cert.der`, `key.p12`
/// (password [`P12_PASSWORD`]), issued by a bench CA like an NCA `RSA_*` certificate
/// (SERIALNUMBER=IIN…, keyUsage digitalSignature + nonRepudiation).
pub(super) struct KeyFiles {
    dir: PathBuf,
}

pub(super) const P12_PASSWORD: &str = "bench";

impl KeyFiles {
    /// The bench CA (`ca.pem`, `ca.key`) in `dir`, made once: portal-sim is told to trust
    /// it before the clerk's key is issued (portal-sim always checks the chain, issue 10).
    pub(super) fn make_ca(dir: &Path) -> anyhow::Result<PathBuf> {
        std::fs::create_dir_all(dir)?;
        if !dir.join("ca.pem").exists() {
            Self::new_ca(dir)?;
        }
        Ok(dir.join("ca.pem"))
    }

    pub(super) fn make(dir: &Path, iin: &Iin, full_name: &str) -> anyhow::Result<KeyFiles> {
        Self::make_ca(dir)?;
        let mut parts = full_name.split_whitespace();
        let surname = parts.next().unwrap_or("BENCH").to_uppercase();
        let given = parts.next().unwrap_or("BENCH").to_uppercase();
        Self::leaf(dir, iin, &surname, &given)
    }

    fn new_ca(dir: &Path) -> anyhow::Result<()> {
        tool(
            "openssl",
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "3650",
                "-subj",
                "/CN=Qabyldau bench CA/O=Qabyldau bench/C=KZ",
            ],
            dir,
            &[],
        )?;
        Ok(())
    }

    fn leaf(dir: &Path, iin: &Iin, surname: &str, given: &str) -> anyhow::Result<KeyFiles> {
        let subject = format!("/CN={surname} {given}/SN={surname}/serialNumber=IIN{iin}/C=KZ");
        tool(
            "openssl",
            &[
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-utf8", "-keyout", "key.pem",
                "-out", "req.csr", "-subj", &subject,
            ],
            dir,
            &[],
        )?;
        std::fs::write(
            dir.join("ext.cnf"),
            "keyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        )?;
        tool(
            "openssl",
            &[
                "x509",
                "-req",
                "-in",
                "req.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "3650",
                "-sha256",
                "-extfile",
                "ext.cnf",
                "-out",
                "cert.pem",
            ],
            dir,
            &[],
        )?;
        tool(
            "openssl",
            &[
                "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der",
            ],
            dir,
            &[],
        )?;
        tool(
            "openssl",
            &[
                "pkcs12",
                "-export",
                "-inkey",
                "key.pem",
                "-in",
                "cert.pem",
                "-name",
                "RSA",
                "-out",
                "key.p12",
                "-passout",
                &format!("pass:{P12_PASSWORD}"),
            ],
            dir,
            &[],
        )?;
        Ok(KeyFiles {
            dir: dir.to_path_buf(),
        })
    }

    pub(super) fn p12(&self) -> anyhow::Result<P12Signer> {
        Ok(P12Signer::open(
            &self.dir.join("key.p12"),
            Zeroizing::new(P12_PASSWORD.into()),
        )?)
    }
}
