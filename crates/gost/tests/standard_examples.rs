//! GOST R 34.10-2012 appendix A (= RFC 7091 §7): the 256-bit and the 512-bit worked
//! examples on their test curves, through the public API. Numbers are big-endian hex as
//! the standard prints them; the API takes NCA's little-endian bytes.

use gost::{ParamSet, Signature, SigningKey, VerifyingKey};

struct Example {
    name: &'static str,
    set: ParamSet,
    d: &'static str,
    qx: &'static str,
    qy: &'static str,
    /// The digest as a number (α; e = α mod q).
    e: &'static str,
    k: &'static str,
    r: &'static str,
    s: &'static str,
}

const EXAMPLES: &[Example] = &[
    Example {
        name: "A.1 (256-bit)",
        set: ParamSet::StandardExample256,
        d: "7a929ade789bb9be10ed359dd39a72c11b60961f49397eee1d19ce9891ec3b28",
        qx: "7f2b49e270db6d90d8595bec458b50c58585ba1d4e9b788f6689dbd8e56fd80b",
        qy: "26f1b489d6701dd185c8413a977b3cbbaf64d1c593d26627dffb101a87ff77da",
        e: "2dfbc1b372d89a1188c09c52e0eec61fce52032ab1022e8e67ece6672b043ee5",
        k: "77105c9b20bcd3122823c8cf6fcc7b956de33814e95b7fe64fed924594dceab3",
        r: "41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493",
        s: "01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40",
    },
    Example {
        name: "A.2 (512-bit)",
        set: ParamSet::StandardExample512,
        d: "0ba6048aadae241ba40936d47756d7c93091a0e8514669700ee7508e508b102072e8123b2200a0563322dad2827e2714a2636b7bfd18aadfc62967821fa18dd4",
        qx: "115dc5bc96760c7b48598d8ab9e740d4c4a85a65be33c1815b5c320c854621dd5a515856d13314af69bc5b924c8b4ddff75c45415c1d9dd9dd33612cd530efe1",
        qy: "37c7c90cd40b0f5621dc3ac1b751cfa0e2634fa0503b3d52639f5d7fb72afd61ea199441d943ffe7f0c70a2759a3cdb84c114e1f9339fdf27f35eca93677beec",
        e: "3754f3cfacc9e0615c4f4a7c4d8dab531b09b6f9c170c533a71d147035b0c5917184ee536593f4414339976c647c5d5a407adedb1d560c4fc6777d2972075b8c",
        k: "0359e7f4b1410feacc570456c6801496946312120b39d019d455986e364f365886748ed7a44b3e794434006011842286212273a6d14cf70ea3af71bb1ae679f1",
        r: "2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd35492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36",
        s: "1081b394696ffe8e6585e7a9362d26b6325f56778aadbc081c0bfbe933d52ff5823ce288e8c4f362526080df7f70ce406a6eeb1f56919cb92a9853bde73e5b4a",
    },
];

fn be(text: &str) -> Vec<u8> {
    hex::decode(text).expect("hex")
}

fn le(hex: &str) -> Vec<u8> {
    let mut v = be(hex);
    v.reverse();
    v
}

/// An "RNG" that yields fixed bytes: the standard's k, little-endian, as the nonce.
struct FixedBytes(Vec<u8>);

impl rand_core::RngCore for FixedBytes {
    fn next_u32(&mut self) -> u32 {
        unreachable!("sign_digest draws bytes")
    }
    fn next_u64(&mut self) -> u64 {
        unreachable!("sign_digest draws bytes")
    }
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        assert_eq!(
            dst.len(),
            self.0.len(),
            "one nonce of the key size is drawn"
        );
        dst.copy_from_slice(&self.0);
    }
}
impl rand_core::CryptoRng for FixedBytes {}

#[test]
fn the_public_key_is_the_standards() {
    for ex in EXAMPLES {
        let key = SigningKey::from_nca_bytes(ex.set, &le(ex.d)).expect(ex.name);
        let mut expected = le(ex.qx);
        expected.extend(le(ex.qy));
        assert_eq!(key.verifying_key().to_nca_bytes(), expected, "{}", ex.name);
    }
}

#[test]
fn the_signature_with_the_standards_k_is_the_standards() {
    for ex in EXAMPLES {
        let key = SigningKey::from_nca_bytes(ex.set, &le(ex.d)).expect(ex.name);
        let signature = key
            .sign_digest(&le(ex.e), &mut FixedBytes(le(ex.k)))
            .expect(ex.name);
        assert_eq!(signature.r_be(), be(ex.r), "r of {}", ex.name);
        assert_eq!(signature.s_be(), be(ex.s), "s of {}", ex.name);
        let mut nca = le(ex.r);
        nca.extend(le(ex.s));
        assert_eq!(signature.to_nca_bytes(), nca, "{}", ex.name);
    }
}

#[test]
fn the_standards_signature_verifies_and_a_changed_one_does_not() {
    for ex in EXAMPLES {
        let mut public = le(ex.qx);
        public.extend(le(ex.qy));
        let key = VerifyingKey::from_nca_bytes(ex.set, &public).expect(ex.name);
        let mut bytes = le(ex.r);
        bytes.extend(le(ex.s));
        let signature = Signature::from_nca_bytes(ex.set.size(), &bytes).expect(ex.name);
        assert_eq!(
            key.verify_digest(&le(ex.e), &signature),
            Ok(()),
            "{}",
            ex.name
        );

        let mut other_digest = le(ex.e);
        other_digest[0] ^= 1;
        assert_eq!(
            key.verify_digest(&other_digest, &signature)
                .map_err(|e| e.code()),
            Err("GOST_BAD_SIGNATURE"),
            "{}",
            ex.name
        );
        let mut other_s = bytes.clone();
        let last = other_s.len() - 1;
        other_s[last] ^= 0x01;
        let changed = Signature::from_nca_bytes(ex.set.size(), &other_s).expect(ex.name);
        assert_eq!(
            key.verify_digest(&le(ex.e), &changed).map_err(|e| e.code()),
            Err("GOST_BAD_SIGNATURE"),
            "{}",
            ex.name
        );
    }
}
