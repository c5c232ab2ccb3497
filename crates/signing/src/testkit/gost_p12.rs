//! A GOST key file written as NCA writes `GOST512_*.p12` (issue 10): OpenSSL cannot write
//! one (it cannot load the key), so the PKCS#12 (RFC 7292) is put together here, in the
//! legacy form NCA's files use and `pkcs12_decode` reads — the PrivateKeyInfo (NCA's
//! nested OCTET STRING with the little-endian scalar) in a shrouded key bag under
//! `pbeWithSHAAnd3-KeyTripleDES-CBC`, the certificate in a certificate bag, both with the
//! same `localKeyId`, and a SHA-1 HMAC over the authenticated safe, 2048 iterations each.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeEncrypt, KeyIvInit};
use der::Encode;
use der::asn1::ObjectIdentifier;
use hmac::Mac;
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use zeroize::Zeroizing;

use super::{ok, tlv};

const ITERATIONS: u16 = 2048;

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OCTET_STRING: u8 = 0x04;
const INTEGER: u8 = 0x02;
const EXPLICIT_0: u8 = 0xa0;

fn oid(dotted: &str) -> Vec<u8> {
    ok(ObjectIdentifier::new_unwrap(dotted).to_der(), "OID")
}

fn integer(n: u16) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let mut content: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    if content.first().is_none_or(|b| b & 0x80 != 0) {
        content.insert(0, 0);
    }
    tlv(INTEGER, &content)
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

/// `SET { Attribute localKeyId }`.
fn local_key_id(id: &[u8]) -> Vec<u8> {
    let attribute = seq(&[
        &oid("1.2.840.113549.1.9.21"),
        &tlv(SET, &tlv(OCTET_STRING, id)),
    ]);
    tlv(SET, &attribute)
}

/// The DER of a PKCS#12 file holding `scalar` (little-endian, under `algorithm`, the
/// key's AlgorithmIdentifier DER) and its certificate `cert_der`, for `password`.
pub(super) fn encode(algorithm: &[u8], scalar: &[u8], cert_der: &[u8], password: &str) -> Vec<u8> {
    // PrivateKeyInfo { version 0, algorithm, privateKey OCTET STRING { OCTET STRING d } }
    let private_key_info = Zeroizing::new(seq(&[
        &integer(0),
        algorithm,
        &tlv(OCTET_STRING, &tlv(OCTET_STRING, scalar)),
    ]));
    let key_id = sha1_of(cert_der);

    let salt: [u8; 8] = rand::random();
    let key = derive(password, &salt, Pkcs12KeyType::EncryptionKey, 24);
    let iv = derive(password, &salt, Pkcs12KeyType::Iv, 8);
    let padded_len = (private_key_info.len() / 8 + 1) * 8;
    let mut buf = Zeroizing::new(vec![0u8; padded_len]);
    buf[..private_key_info.len()].copy_from_slice(&private_key_info);
    let encrypted = ok(
        ok(
            cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv),
            "3DES key",
        )
        .encrypt_padded::<Pkcs7>(&mut buf, private_key_info.len()),
        "3DES",
    )
    .to_vec();
    let encrypted_key_info = seq(&[
        &seq(&[
            &oid("1.2.840.113549.1.12.1.3"),
            &seq(&[&tlv(OCTET_STRING, &salt), &integer(ITERATIONS)]),
        ]),
        &tlv(OCTET_STRING, &encrypted),
    ]);
    let key_bag = seq(&[
        &oid("1.2.840.113549.1.12.10.1.2"),
        &tlv(EXPLICIT_0, &encrypted_key_info),
        &local_key_id(&key_id),
    ]);
    let cert_bag = seq(&[
        &oid("1.2.840.113549.1.12.10.1.3"),
        &tlv(
            EXPLICIT_0,
            &seq(&[
                &oid("1.2.840.113549.1.9.22.1"),
                &tlv(EXPLICIT_0, &tlv(OCTET_STRING, cert_der)),
            ]),
        ),
        &local_key_id(&key_id),
    ]);
    let data = oid("1.2.840.113549.1.7.1");
    let safe_contents = seq(&[&key_bag, &cert_bag]);
    let authenticated_safe = seq(&[&seq(&[
        &data,
        &tlv(EXPLICIT_0, &tlv(OCTET_STRING, &safe_contents)),
    ])]);

    let mac_salt: [u8; 8] = rand::random();
    let mac_key = derive(password, &mac_salt, Pkcs12KeyType::Mac, 20);
    let mut hmac = ok(
        hmac::Hmac::<sha1::Sha1>::new_from_slice(&mac_key),
        "MAC key",
    );
    hmac.update(&authenticated_safe);
    let mac = hmac.finalize().into_bytes();
    let mac_data = seq(&[
        &seq(&[
            &seq(&[&oid("1.3.14.3.2.26"), &[0x05, 0x00]]),
            &tlv(OCTET_STRING, &mac),
        ]),
        &tlv(OCTET_STRING, &mac_salt),
        &integer(ITERATIONS),
    ]);
    seq(&[
        &integer(3),
        &seq(&[
            &data,
            &tlv(EXPLICIT_0, &tlv(OCTET_STRING, &authenticated_safe)),
        ]),
        &mac_data,
    ])
}

fn derive(password: &str, salt: &[u8], id: Pkcs12KeyType, len: usize) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(ok(
        derive_key_utf8::<sha1::Sha1>(password, salt, id, i32::from(ITERATIONS), len),
        "PKCS#12 KDF",
    ))
}

fn sha1_of(bytes: &[u8]) -> Vec<u8> {
    use sha1::Digest;
    sha1::Sha1::digest(bytes).to_vec()
}
