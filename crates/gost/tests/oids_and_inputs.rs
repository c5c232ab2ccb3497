//! OIDs ↔ parameter sets and sizes, and how bad inputs are refused (each with its code).

use gost::{Error, KeySize, ParamSet, Signature, SigningKey, VerifyingKey, oid};
use rand::SeedableRng;

/// (public key OID, parameter set OID, expected set or error code)
const ALGORITHMS: &[(&str, Option<&str>, Result<ParamSet, &str>)] = &[
    (
        oid::PUBLIC_KEY_512,
        Some(oid::PARAM_SET_512_A),
        Ok(ParamSet::Tc26A512),
    ),
    (
        oid::PUBLIC_KEY_256,
        Some(oid::PARAM_SET_256_A),
        Ok(ParamSet::Tc26A256),
    ),
    (oid::PUBLIC_KEY_512, None, Ok(ParamSet::Tc26A512)),
    (
        oid::PUBLIC_KEY_512,
        Some(oid::PARAM_SET_256_A),
        Err("GOST_PARAMETER_SET_MISMATCH"),
    ),
    (
        oid::PUBLIC_KEY_256,
        Some("1.2.643.7.1.2.1.1.1"),
        Err("GOST_UNKNOWN_ALGORITHM"),
    ),
    (
        oid::GOST_2004_PUBLIC_KEY,
        Some(oid::GOST_2004_PARAM_SET),
        Err("GOST_2004_RETIRED"),
    ),
    ("1.2.840.113549.1.1.1", None, Err("GOST_UNKNOWN_ALGORITHM")),
];

#[test]
fn algorithm_identifiers_map_to_parameter_sets() {
    for (key_oid, param_oid, expected) in ALGORITHMS {
        let got = ParamSet::from_algorithm(key_oid, *param_oid).map_err(|e| e.code());
        assert_eq!(&got, expected, "{key_oid} {param_oid:?}");
    }
}

/// The size an OID names, or the error code.
type SizeOrCode = Result<KeySize, &'static str>;

/// (OID, read as a signature OID, read as a digest OID)
const SIZES: &[(&str, SizeOrCode, SizeOrCode)] = &[
    (
        oid::SIGNATURE_512,
        Ok(KeySize::Bits512),
        Err("GOST_UNKNOWN_ALGORITHM"),
    ),
    (
        oid::SIGNATURE_256,
        Ok(KeySize::Bits256),
        Err("GOST_UNKNOWN_ALGORITHM"),
    ),
    (
        oid::STREEBOG_512,
        Err("GOST_UNKNOWN_ALGORITHM"),
        Ok(KeySize::Bits512),
    ),
    (
        oid::STREEBOG_256,
        Err("GOST_UNKNOWN_ALGORITHM"),
        Ok(KeySize::Bits256),
    ),
    (
        oid::GOST_2004_SIGNATURE,
        Err("GOST_2004_RETIRED"),
        Err("GOST_2004_RETIRED"),
    ),
    (
        "1.2.398.3.10.1.3.1.1.0",
        Err("GOST_2004_RETIRED"),
        Err("GOST_2004_RETIRED"),
    ),
];

#[test]
fn signature_and_digest_oids_map_to_sizes_and_back() {
    for (id, by_signature, by_digest) in SIZES {
        assert_eq!(
            &KeySize::from_signature_oid(id).map_err(|e| e.code()),
            by_signature,
            "{id}"
        );
        assert_eq!(
            &KeySize::from_digest_oid(id).map_err(|e| e.code()),
            by_digest,
            "{id}"
        );
    }
    for size in [KeySize::Bits256, KeySize::Bits512] {
        assert_eq!(KeySize::from_signature_oid(size.signature_oid()), Ok(size));
        assert_eq!(KeySize::from_digest_oid(size.digest_oid()), Ok(size));
    }
    for set in [ParamSet::Tc26A512, ParamSet::Tc26A256] {
        assert_eq!(
            ParamSet::from_public_key_oid(set.size().public_key_oid()),
            Ok(set)
        );
        let param = set.parameter_set_oid().expect("NCA sets have OIDs");
        assert_eq!(ParamSet::from_parameter_set_oid(param), Ok(set));
    }
    assert_eq!(ParamSet::StandardExample512.parameter_set_oid(), None);
}

#[test]
fn both_nca_curves_sign_and_verify_and_make_their_spki() {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2015);
    for (set, d) in [
        (ParamSet::Tc26A512, [0x11u8; 64].to_vec()),
        (ParamSet::Tc26A256, [0x22u8; 32].to_vec()),
    ] {
        let key = SigningKey::from_nca_bytes(set, &d).expect("key");
        let public = key.verifying_key();
        let again = VerifyingKey::from_nca_bytes(set, &public.to_nca_bytes()).expect("x‖y");
        assert_eq!(&again, public);
        let spki = public.to_spki_der().expect("NCA SPKI");
        assert_eq!(
            &VerifyingKey::from_spki_der(&spki).expect("read back"),
            public
        );
        for message in [&b""[..], b"a", &[0u8; 1000]] {
            let signature = key.sign(message, &mut rng).expect("sign");
            assert_eq!(signature.to_nca_bytes().len(), 2 * set.size().byte_len());
            assert_eq!(public.verify(message, &signature), Ok(()), "{set:?}");
        }
    }
}

#[test]
fn bad_keys_signatures_and_digests_are_refused_with_their_codes() {
    let n = 64;
    // Private keys: zero, q itself, wrong length.
    assert_eq!(
        SigningKey::from_nca_bytes(ParamSet::Tc26A512, &[0u8; 64]).err(),
        Some(Error::PrivateKey)
    );
    assert_eq!(
        SigningKey::from_nca_bytes(ParamSet::Tc26A512, &[0xffu8; 64]).err(),
        Some(Error::PrivateKey)
    );
    assert_eq!(
        SigningKey::from_nca_bytes(ParamSet::Tc26A512, &[1u8; 32]).err(),
        Some(Error::PrivateKey)
    );
    // Public keys: wrong length, not on the curve, the 256-bit curve's point outside the subgroup.
    let key = SigningKey::from_nca_bytes(ParamSet::Tc26A512, &[7u8; 64]).expect("key");
    let mut xy = key.verifying_key().to_nca_bytes();
    assert_eq!(
        VerifyingKey::from_nca_bytes(ParamSet::Tc26A512, &xy[..n]).err(),
        Some(Error::PublicKey)
    );
    xy[n] ^= 1;
    assert_eq!(
        VerifyingKey::from_nca_bytes(ParamSet::Tc26A512, &xy).err(),
        Some(Error::PublicKey)
    );
    assert_eq!(
        VerifyingKey::from_nca_bytes(ParamSet::Tc26A512, &[0xffu8; 128]).err(),
        Some(Error::PublicKey)
    );
    // (8, y) is on the 256-bit curve (cofactor 4) but not of order q.
    let outside = "080000000000000000000000000000000000000000000000000000000000000007fdadf25214b9a2553b35536820ff02586db76832822fe4b400a8c3be8135ed";
    let outside: Vec<u8> = hex::decode(outside).expect("hex");
    assert_eq!(
        VerifyingKey::from_nca_bytes(ParamSet::Tc26A256, &outside).err(),
        Some(Error::PublicKey)
    );
    // Signatures and digests of the wrong size.
    assert_eq!(
        Signature::from_nca_bytes(KeySize::Bits512, &[1u8; 64])
            .err()
            .map(|e| e.code()),
        Some("GOST_SIGNATURE_LENGTH")
    );
    let short =
        Signature::from_nca_bytes(KeySize::Bits256, &[1u8; 64]).expect("a 256-bit signature");
    assert_eq!(
        key.verifying_key()
            .verify(b"m", &short)
            .err()
            .map(|e| e.code()),
        Some("GOST_SIGNATURE_LENGTH")
    );
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    assert_eq!(
        key.sign_digest(&[0u8; 32], &mut rng).err(),
        Some(Error::DigestLength {
            got: 32,
            expected: 64
        })
    );
    // r = 0 or s ≥ q never verify.
    let zero = Signature::from_nca_bytes(KeySize::Bits512, &[0u8; 128]).expect("length");
    assert_eq!(
        key.verifying_key().verify(b"m", &zero),
        Err(Error::BadSignature)
    );
    let huge = Signature::from_nca_bytes(KeySize::Bits512, &[0xffu8; 128]).expect("length");
    assert_eq!(
        key.verifying_key().verify(b"m", &huge),
        Err(Error::BadSignature)
    );
    // No key material in Debug.
    let shown = format!("{key:?}");
    assert!(!shown.contains("0707070707"), "{shown}");
}

#[test]
fn streebog_is_the_standards() {
    // GOST R 34.11-2012, example 1 (M1), digests as the streebog crate writes them.
    let m1 = b"012345678901234567890123456789012345678901234567890123456789012";
    assert_eq!(
        hex::encode(gost::digest(KeySize::Bits512, m1)),
        "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48"
    );
    assert_eq!(
        hex::encode(gost::digest(KeySize::Bits256, m1)),
        "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"
    );
}
