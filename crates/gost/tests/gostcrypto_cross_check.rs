//! Cross-check with an independent implementation: the Python `gostcrypto` package
//! (installed by `scripts/setup`). It verifies signatures made here, derives the same public
//! keys, hashes the same digests, and its own signatures verify here. `gostcrypto` reads
//! every number big-endian; the conversion is the one `FORMAT.md` describes. Fails (does
//! not skip) when python3 or gostcrypto is missing.

use std::io::Write;
use std::process::{Command, Stdio};

use gost::{ParamSet, Signature, SigningKey};
use rand::{RngCore, SeedableRng};

const SCRIPT: &str = r#"
import sys, gostcrypto
from gostcrypto import gostsignature as gs
for line in sys.stdin:
    curve, d, pub, message, sig = line.split()
    size = 64 if '512' in curve else 32
    mode = gs.MODE_512 if size == 64 else gs.MODE_256
    signer = gs.new(mode, gs.CURVES_R_1323565_1_024_2019[curve])
    digest = gostcrypto.gosthash.new('streebog512' if size == 64 else 'streebog256',
                                     data=bytes.fromhex(message)).digest()
    digest_be = bytearray(reversed(digest))
    derived = signer.public_key_generate(bytearray.fromhex(d)).hex()
    verified = signer.verify(bytearray.fromhex(pub), digest_be, bytearray.fromhex(sig))
    own = signer.sign(bytearray.fromhex(d), digest_be).hex()
    print(digest.hex(), derived == pub, verified, own)
"#;

fn unhex(text: &str) -> Vec<u8> {
    hex::decode(text).expect("hex")
}

/// Big-endian halves of NCA's little-endian `a‖b` (x‖y or r‖s).
fn halves_be(nca: &[u8]) -> Vec<u8> {
    let n = nca.len() / 2;
    let mut out: Vec<u8> = nca[..n].iter().rev().copied().collect();
    out.extend(nca[n..].iter().rev());
    out
}

struct Case {
    set: ParamSet,
    curve: &'static str,
    d_le: Vec<u8>,
    key: SigningKey,
    /// Not empty: the script reads whitespace-separated words.
    message: Vec<u8>,
    signature: Signature,
}

fn line(case: &Case, signature_nca: &[u8]) -> String {
    let d_be: Vec<u8> = case.d_le.iter().rev().copied().collect();
    format!(
        "{} {} {} {} {}\n",
        case.curve,
        hex::encode(&d_be),
        hex::encode(halves_be(&case.key.verifying_key().to_nca_bytes())),
        hex::encode(&case.message),
        hex::encode(halves_be(signature_nca)),
    )
}

fn cases() -> Vec<Case> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3410);
    let mut cases = Vec::new();
    for (set, curve) in [
        (ParamSet::Tc26A512, "id-tc26-gost-3410-12-512-paramSetA"),
        (ParamSet::Tc26A256, "id-tc26-gost-3410-2012-256-paramSetA"),
    ] {
        for length in [1usize, 64, 1000] {
            let n = set.size().byte_len();
            let mut d_le = vec![0u8; n];
            rng.fill_bytes(&mut d_le);
            d_le[n - 1] &= 0x3f; // below q on both curves
            let key = SigningKey::from_nca_bytes(set, &d_le).expect("key");
            let mut message = vec![0u8; length];
            rng.fill_bytes(&mut message);
            let signature = key.sign(&message, &mut rng).expect("sign");
            cases.push(Case {
                set,
                curve,
                d_le,
                key,
                message,
                signature,
            });
        }
    }
    cases
}

#[test]
fn gostcrypto_verifies_our_signatures_and_we_verify_its() {
    let cases = cases();
    let input: String = cases
        .iter()
        .map(|case| line(case, &case.signature.to_nca_bytes()))
        .collect();
    let output = run_python(&input);
    let answers: Vec<&str> = output.lines().collect();
    assert_eq!(answers.len(), cases.len(), "one answer per case:\n{output}");
    for (case, answer) in cases.iter().zip(answers) {
        let fields: Vec<&str> = answer.split_whitespace().collect();
        let set = case.set;
        assert_eq!(
            fields[0],
            hex::encode(gost::digest(set.size(), &case.message)),
            "Streebog {set:?}"
        );
        assert_eq!(
            fields[1], "True",
            "gostcrypto derives the same public key ({set:?})"
        );
        assert_eq!(
            fields[2], "True",
            "gostcrypto verifies our signature ({set:?})"
        );
        let theirs = Signature::from_nca_bytes(set.size(), &halves_be(&unhex(fields[3])))
            .expect("their signature's length");
        assert_eq!(
            case.key.verifying_key().verify(&case.message, &theirs),
            Ok(()),
            "we verify gostcrypto's signature ({set:?})"
        );
    }
}

#[test]
fn gostcrypto_verifies_our_deterministic_signatures() {
    let cases: Vec<Case> = cases().into_iter().step_by(3).collect();
    let input: String = cases
        .iter()
        .map(|case| {
            let signature = case.key.sign_deterministic(&case.message).expect("sign");
            line(case, &signature.to_nca_bytes())
        })
        .collect();
    let output = run_python(&input);
    assert_eq!(output.lines().count(), cases.len(), "{output}");
    for (case, answer) in cases.iter().zip(output.lines()) {
        let fields: Vec<&str> = answer.split_whitespace().collect();
        assert_eq!(fields[2], "True", "gostcrypto verifies it ({:?})", case.set);
    }
}

#[test]
fn gostcrypto_refuses_a_changed_signature_of_ours() {
    let cases: Vec<Case> = cases().into_iter().step_by(3).collect();
    let input: String = cases
        .iter()
        .map(|case| {
            let mut changed = case.signature.to_nca_bytes();
            changed[5] ^= 0x10;
            line(case, &changed)
        })
        .collect();
    let output = run_python(&input);
    assert_eq!(output.lines().count(), cases.len(), "{output}");
    for (case, answer) in cases.iter().zip(output.lines()) {
        let fields: Vec<&str> = answer.split_whitespace().collect();
        assert_eq!(
            fields[2], "False",
            "a changed signature is refused ({:?})",
            case.set
        );
    }
}

fn run_python(input: &str) -> String {
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 must be installed (scripts/setup)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to python3");
    let out = child.wait_with_output().expect("python3 runs");
    assert!(
        out.status.success(),
        "python3 with gostcrypto failed (scripts/setup installs it): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}
