//! Deterministic nonces (RFC 6979 style): the same key and message give the same
//! signature, which verifies; another message gives another.

use gost::{Error, ParamSet, SigningKey};

#[test]
fn deterministic_signatures_repeat_and_verify_on_every_curve() {
    for (set, d) in [
        (ParamSet::Tc26A512, vec![0x31u8; 64]),
        (ParamSet::Tc26A256, vec![0x32u8; 32]),
        (ParamSet::StandardExample512, vec![0x13u8; 64]),
        (ParamSet::StandardExample256, vec![0x23u8; 32]),
    ] {
        let key = SigningKey::from_nca_bytes(set, &d).expect("key");
        let one = key.sign_deterministic(b"decision 1").expect("sign");
        let again = key.sign_deterministic(b"decision 1").expect("sign");
        let other = key.sign_deterministic(b"decision 2").expect("sign");
        assert_eq!(one, again, "{set:?}");
        assert_ne!(one, other, "{set:?}");
        assert_eq!(
            key.verifying_key().verify(b"decision 1", &one),
            Ok(()),
            "{set:?}"
        );
        assert_eq!(
            key.verifying_key().verify(b"decision 2", &other),
            Ok(()),
            "{set:?}"
        );
        assert_eq!(
            key.verifying_key().verify(b"decision 2", &one),
            Err(Error::BadSignature),
            "{set:?}"
        );
        let n = set.size().byte_len();
        assert_eq!(
            key.sign_digest_deterministic(&vec![0u8; n + 1]).err(),
            Some(Error::DigestLength {
                got: n + 1,
                expected: n
            })
        );
    }
}
