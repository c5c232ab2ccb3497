//! The parameter sets (curves), their sizes and NCA's object identifiers.

use crate::Error;

/// NCA's object identifiers (dotted form), as they appear in NCA's certificates, key files
/// and CMS. Source: NCA's test certificates and key files (see `FORMAT.md`).
pub mod oid {
    /// Public key, GOST 34.10-2015 512-bit (`AlgorithmIdentifier` of a SubjectPublicKeyInfo
    /// or PrivateKeyInfo).
    pub const PUBLIC_KEY_512: &str = "1.2.398.3.10.1.1.2.2";
    /// Public key, GOST 34.10-2015 256-bit.
    pub const PUBLIC_KEY_256: &str = "1.2.398.3.10.1.1.2.1";
    /// Parameter set A, 512-bit (= id-tc26-gost-3410-12-512-paramSetA, RFC 7836 §A.1).
    pub const PARAM_SET_512_A: &str = "1.2.398.3.10.1.1.2.2.1";
    /// Parameter set A, 256-bit (= id-tc26-gost-3410-2012-256-paramSetA, RFC 7836 §A.2).
    pub const PARAM_SET_256_A: &str = "1.2.398.3.10.1.1.2.1.1";
    /// Signature GOST 34.10-2015 512-bit with GOST 34.11-2015 512-bit (certificates' and
    /// CMS `signatureAlgorithm`).
    pub const SIGNATURE_512: &str = "1.2.398.3.10.1.1.2.3.2";
    /// Signature GOST 34.10-2015 256-bit with GOST 34.11-2015 256-bit.
    pub const SIGNATURE_256: &str = "1.2.398.3.10.1.1.2.3.1";
    /// Hash GOST 34.11-2015 512-bit (Streebog-512; CMS `digestAlgorithm`).
    pub const STREEBOG_512: &str = "1.2.398.3.10.1.3.3";
    /// Hash GOST 34.11-2015 256-bit (Streebog-256).
    pub const STREEBOG_256: &str = "1.2.398.3.10.1.3.2";
    /// Public key GOST 34.310-2004 — retired by NCA, recognised only to say so.
    pub const GOST_2004_PUBLIC_KEY: &str = "1.2.398.3.10.1.1.1.1";
    /// Parameter set of GOST 34.310-2004 keys — retired.
    pub const GOST_2004_PARAM_SET: &str = "1.2.398.3.10.1.1.1.1.1";
    /// Signature GOST 34.310-2004 — retired.
    pub const GOST_2004_SIGNATURE: &str = "1.2.398.3.10.1.1.1.2";
    /// Hash GOST 34.311-95 (of GOST 34.310-2004 signatures) — retired.
    pub const GOST_34_311_95: &str = "1.2.398.3.10.1.3.1";
}

/// Whether an OID names a GOST 34.310-2004 (retired) key, parameter set, signature or hash
/// (NCA's arcs `1.2.398.3.10.1.1.1` and `1.2.398.3.10.1.3.1`, with everything under them).
pub fn is_gost_2004(oid: &str) -> bool {
    ["1.2.398.3.10.1.1.1", "1.2.398.3.10.1.3.1"]
        .iter()
        .any(|arc| {
            oid == *arc
                || oid
                    .strip_prefix(arc)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
}

/// The size of a GOST 34.10-2015 key: it fixes the public key, signature and hash OIDs and
/// every byte length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeySize {
    /// 256-bit keys, Streebog-256, 64-byte signatures.
    Bits256,
    /// 512-bit keys, Streebog-512, 128-byte signatures (NCA's default for new keys).
    Bits512,
}

impl KeySize {
    /// Bytes of a private key, of each public coordinate, of `r` and `s`, of the digest.
    pub const fn byte_len(self) -> usize {
        match self {
            KeySize::Bits256 => 32,
            KeySize::Bits512 => 64,
        }
    }

    /// The public key algorithm OID.
    pub const fn public_key_oid(self) -> &'static str {
        match self {
            KeySize::Bits256 => oid::PUBLIC_KEY_256,
            KeySize::Bits512 => oid::PUBLIC_KEY_512,
        }
    }

    /// The signature algorithm OID.
    pub const fn signature_oid(self) -> &'static str {
        match self {
            KeySize::Bits256 => oid::SIGNATURE_256,
            KeySize::Bits512 => oid::SIGNATURE_512,
        }
    }

    /// The digest algorithm OID (Streebog of this size).
    pub const fn digest_oid(self) -> &'static str {
        match self {
            KeySize::Bits256 => oid::STREEBOG_256,
            KeySize::Bits512 => oid::STREEBOG_512,
        }
    }

    /// The size a signature algorithm OID names; GOST 2004 is [`Error::Retired2004`].
    pub fn from_signature_oid(oid: &str) -> Result<KeySize, Error> {
        match oid {
            oid::SIGNATURE_512 => Ok(KeySize::Bits512),
            oid::SIGNATURE_256 => Ok(KeySize::Bits256),
            other => Err(unknown(other)),
        }
    }

    /// The size a digest algorithm OID names; GOST 34.311-95 is [`Error::Retired2004`].
    pub fn from_digest_oid(oid: &str) -> Result<KeySize, Error> {
        match oid {
            oid::STREEBOG_512 => Ok(KeySize::Bits512),
            oid::STREEBOG_256 => Ok(KeySize::Bits256),
            other => Err(unknown(other)),
        }
    }

    /// A short label for people: `GOST 34.10-2015 512` / `GOST 34.10-2015 256`.
    pub const fn label(self) -> &'static str {
        match self {
            KeySize::Bits256 => "GOST 34.10-2015 256",
            KeySize::Bits512 => "GOST 34.10-2015 512",
        }
    }
}

/// A curve (parameter set) GOST keys live on.
///
/// NCA issues keys on [`ParamSet::Tc26A512`] (default) and [`ParamSet::Tc26A256`]. The two
/// `StandardExample*` sets are the test curves of the worked examples in GOST R 34.10-2012,
/// appendix A; they exist for the test vectors and appear in no certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamSet {
    /// id-tc26-gost-3410-12-512-paramSetA; NCA `1.2.398.3.10.1.1.2.2.1`.
    Tc26A512,
    /// id-tc26-gost-3410-2012-256-paramSetA; NCA `1.2.398.3.10.1.1.2.1.1`.
    Tc26A256,
    /// The 512-bit example curve of GOST R 34.10-2012 appendix A.2 (tests only).
    StandardExample512,
    /// The 256-bit example curve of GOST R 34.10-2012 appendix A.1 (tests only).
    StandardExample256,
}

impl ParamSet {
    /// The key size of this curve.
    pub const fn size(self) -> KeySize {
        match self {
            ParamSet::Tc26A512 | ParamSet::StandardExample512 => KeySize::Bits512,
            ParamSet::Tc26A256 | ParamSet::StandardExample256 => KeySize::Bits256,
        }
    }

    /// NCA's parameter set OID; `None` for the standard's example curves.
    pub const fn parameter_set_oid(self) -> Option<&'static str> {
        match self {
            ParamSet::Tc26A512 => Some(oid::PARAM_SET_512_A),
            ParamSet::Tc26A256 => Some(oid::PARAM_SET_256_A),
            ParamSet::StandardExample512 | ParamSet::StandardExample256 => None,
        }
    }

    /// The curve a public key algorithm OID names (NCA uses one curve per size).
    /// GOST 34.310-2004 is [`Error::Retired2004`]; anything else [`Error::UnknownAlgorithm`].
    pub fn from_public_key_oid(oid: &str) -> Result<ParamSet, Error> {
        match oid {
            oid::PUBLIC_KEY_512 => Ok(ParamSet::Tc26A512),
            oid::PUBLIC_KEY_256 => Ok(ParamSet::Tc26A256),
            other => Err(unknown(other)),
        }
    }

    /// The curve a parameter set OID names.
    pub fn from_parameter_set_oid(oid: &str) -> Result<ParamSet, Error> {
        match oid {
            oid::PARAM_SET_512_A => Ok(ParamSet::Tc26A512),
            oid::PARAM_SET_256_A => Ok(ParamSet::Tc26A256),
            other => Err(unknown(other)),
        }
    }

    /// The curve of an `AlgorithmIdentifier` as NCA writes it: the public key OID and,
    /// when present, the parameter set OID of its parameters, which must agree.
    pub fn from_algorithm(
        public_key_oid: &str,
        parameter_set_oid: Option<&str>,
    ) -> Result<ParamSet, Error> {
        let set = ParamSet::from_public_key_oid(public_key_oid)?;
        if let Some(param) = parameter_set_oid {
            let named = ParamSet::from_parameter_set_oid(param)?;
            if named != set {
                return Err(Error::ParameterSetMismatch);
            }
        }
        Ok(set)
    }
}

fn unknown(oid: &str) -> Error {
    if is_gost_2004(oid) {
        Error::Retired2004
    } else {
        Error::UnknownAlgorithm {
            oid: oid.to_owned(),
        }
    }
}
