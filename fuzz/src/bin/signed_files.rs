//! What arrives signed or to sign with: certificates (and the IIN in them), detached CMS
//! signatures (RSA and GOST 34.10-2015), PKCS#12 key files (RSA and NCA's GOST), and
//! NCALayer's answers. The first byte picks the parser; each decodes or refuses with a
//! coded error, never a panic.

use signing::{CertificateFacts, P12Signer, Zeroizing, certificates_from_pem_or_der};

/// What the seeds' signatures were made over (crates/gost/tests/data).
const CONTENT: &[u8] = include_bytes!("../../../crates/gost/tests/data/nca_cms_content.txt");
/// The password of NCA's test key files.
const PASSWORD: &str = "Aa123456";

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Some((&pick, bytes)) = data.split_first() else {
            return;
        };
        match pick % 4 {
            0 => {
                let _ = CertificateFacts::from_pem_or_der(bytes)
                    .map(|f| (f.owner_iin, f.key_purpose, f.not_after));
                let _ = certificates_from_pem_or_der(bytes);
            }
            1 => {
                let _ = signing::verify_detached(CONTENT, bytes, None);
            }
            2 => {
                let _ = P12Signer::from_bytes(bytes, Zeroizing::new(PASSWORD.into()));
            }
            _ => {
                let _ = signing::ncalayer::protocol::parse_answer(bytes);
                let _ = signing::ncalayer::protocol::parse_version(bytes);
            }
        }
    });
}
