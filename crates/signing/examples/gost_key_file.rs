//! Writes a GOST 34.10-2015 512 test CA and an NCA-shaped GOST key file for one clerk, for
//! the end-to-end tests in the real window (issue 10; tests/e2e/): OpenSSL cannot make GOST
//! keys or certificates, so the testkit does.
//!
//! `cargo run -p signing --example gost_key_file -- <DIR> <IIN> "<SURNAME NAME PATRONYMIC>" <PASSWORD>`
//! writes `<DIR>/gost-ca.cer` (DER: trust it with `QABYLDAU_TRUST_CA` / portal-sim
//! `--trust-ca`) and `<DIR>/GOST512_<IIN>.p12`, and prints the key file's path.

use std::path::PathBuf;
use std::process::ExitCode;

use signing::testkit::CertSpec;
use signing::testkit::gost::GostTestCa;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, iin, name, password] = args.as_slice() else {
        eprintln!("usage: gost_key_file <DIR> <IIN> \"<SURNAME NAME PATRONYMIC>\" <PASSWORD>");
        return ExitCode::from(2);
    };
    let Ok(iin) = domain::Iin::parse(iin) else {
        eprintln!("gost_key_file: {iin} is not a valid IIN");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let ca = GostTestCa::new("Qabyldau GOST test CA");
    let issued = ca.issue(&CertSpec::signing(&iin, &name.to_uppercase()));
    let p12 = dir.join(format!("GOST512_{iin}.p12"));
    if let Err(e) = std::fs::write(dir.join("gost-ca.cer"), ca.cert_der()) {
        eprintln!("gost_key_file: {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    issued.write_p12(&p12, password);
    println!("{}", p12.display());
    ExitCode::SUCCESS
}
