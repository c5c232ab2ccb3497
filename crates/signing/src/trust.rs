//! The certificates this program trusts: NCA's (НУЦ РК) production roots and intermediates,
//! bundled from `assets/pki/production/`, and NCA's test PKI (`assets/pki/test/`), which
//! is trusted only behind a setting that is off by default (issue 10). Sources:
//! `assets/pki/README.md`.

/// NCA's production root and intermediate certificates (DER) bundled here: the RSA chain
/// (КОРНЕВОЙ / ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)). The GOST 2022 and RSA 2022 chains are
/// not bundled yet (see `assets/pki/README.md`): operators add them with `--trust-ca`.
pub fn nca_production() -> Vec<Vec<u8>> {
    [
        &include_bytes!("../../../assets/pki/production/root_rsa.cer")[..],
        &include_bytes!("../../../assets/pki/production/nca_rsa.cer")[..],
    ]
    .iter()
    .map(|c| c.to_vec())
    .collect()
}

/// NCA's test CAs (DER), which issue NCA's published test key files.
pub fn nca_test() -> Vec<Vec<u8>> {
    [
        &include_bytes!("../../../assets/pki/test/nca_gost_test_2022.cer")[..],
        &include_bytes!("../../../assets/pki/test/nca_rsa_test_3.0.cer")[..],
        &include_bytes!("../../../assets/pki/test/nca_gost2004_test_3.0.cer")[..],
    ]
    .iter()
    .map(|c| c.to_vec())
    .collect()
}

/// Which certificates anchor a chain: NCA's production ones always, NCA's test PKI when
/// `test_pki` is set, and the `extra` ones an operator configured.
pub fn trust_anchors(test_pki: bool, extra: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut out = nca_production();
    if test_pki {
        out.extend(nca_test());
    }
    out.extend(extra.iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CertificateFacts;

    #[test]
    fn every_bundled_certificate_reads_and_is_a_ca() {
        for der in nca_production().iter().chain(nca_test().iter()) {
            let facts = CertificateFacts::from_der(der).unwrap();
            assert!(facts.is_ca, "{}", facts.subject);
        }
        assert_eq!(trust_anchors(false, &[]).len(), 2);
        assert_eq!(trust_anchors(true, &[vec![1]]).len(), 6);
    }

    #[test]
    fn ncas_production_intermediates_chain_to_their_roots() {
        let all = nca_production();
        // nca_rsa under root_rsa while both were valid; not after they expired.
        let at = time::macros::datetime!(2024-01-01 0:00 UTC);
        let path = crate::verify_chain(&all[1], &[], &[all[0].clone()], at).unwrap();
        assert_eq!(path.len(), 2);
        let late = time::macros::datetime!(2026-01-01 0:00 UTC);
        assert!(crate::verify_chain(&all[1], &[], &[all[0].clone()], late).is_err());
    }
}
