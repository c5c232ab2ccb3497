//! NCA's CMS with a GOST signer (made by NCA's Kalkan through NCANode, published in its
//! test suite): the GOST SignerInfo's signature over the DER of its signed attributes
//! verifies under the test user's certificate, with the byte orders of `FORMAT.md`; the
//! messageDigest attribute is Streebog-512 of the content as the `streebog` crate writes it.

use std::path::PathBuf;

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Decode, Encode};
use gost::{KeySize, Signature, VerifyingKey, oid};
use x509_cert::Certificate;

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";

#[test]
fn the_gost_signer_of_ncas_cms_verifies_attached_and_detached() {
    let content = data("nca_cms_content.txt");
    let cert = Certificate::from_der(&data("gost2015_individual.cer")).expect("cert");
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .expect("SPKI");
    let key = VerifyingKey::from_spki_der(&spki).expect("GOST key");
    for file in [
        "nca_cms_gost_and_rsa_attached.p7s",
        "nca_cms_gost_and_rsa_detached.p7s",
    ] {
        let info = ContentInfo::from_der(&data(file)).expect(file);
        let signed: SignedData = info.content.decode_as().expect("SignedData");
        let digest_oids: Vec<String> = signed
            .digest_algorithms
            .iter()
            .map(|a| a.oid.to_string())
            .collect();
        assert!(
            digest_oids.contains(&oid::STREEBOG_512.to_string()),
            "{file}"
        );
        let gost_signers: Vec<_> = signed
            .signer_infos
            .0
            .iter()
            .filter(|s| s.signature_algorithm.oid.to_string() == oid::SIGNATURE_512)
            .collect();
        assert_eq!(
            gost_signers.len(),
            1,
            "{file}: one GOST signer beside the RSA one"
        );
        let signer = gost_signers[0];
        assert_eq!(
            signer.digest_alg.oid.to_string(),
            oid::STREEBOG_512,
            "{file}"
        );

        let attrs = signer.signed_attrs.as_ref().expect("signed attributes");
        let digest_attr = attrs
            .iter()
            .find(|a| a.oid.to_string() == MESSAGE_DIGEST)
            .expect("messageDigest");
        let digest_value = digest_attr.values.iter().next().expect("one value");
        let digest: der::asn1::OctetString = digest_value.decode_as().expect("OCTET STRING");
        assert_eq!(
            digest.as_bytes(),
            gost::digest(KeySize::Bits512, &content).as_slice(),
            "{file}: messageDigest = Streebog-512 of the content"
        );

        // Signed over the DER of the attributes as a SET OF (RFC 5652 §5.4).
        let attrs_der = attrs.to_der().expect("attributes DER");
        let signature =
            Signature::from_nca_bytes(KeySize::Bits512, signer.signature.as_bytes()).expect(file);
        assert_eq!(key.verify(&attrs_der, &signature), Ok(()), "{file}");
        let mut changed = attrs_der.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert!(key.verify(&changed, &signature).is_err(), "{file}");
    }
}
