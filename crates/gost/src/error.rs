//! The one error type of this crate, with stable codes for the UI's kk/ru texts.

/// What went wrong with a GOST key, signature or algorithm. No variant carries key
/// material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The key, signature or hash is GOST 34.310-2004 (`1.2.398.3.10.1.1.1.1` and
    /// kin), which NCA has retired; the holder needs a GOST 34.10-2015 key set.
    #[error(
        "the key is GOST 34.310-2004, which NCA has retired; a GOST 34.10-2015 or RSA key is needed"
    )]
    Retired2004,
    /// An algorithm or parameter set OID this crate does not know.
    #[error("unknown GOST algorithm or parameter set {oid}")]
    UnknownAlgorithm {
        /// The OID, dotted.
        oid: String,
    },
    /// The parameter set OID does not belong to the public key algorithm's size.
    #[error("the GOST parameter set does not match the key algorithm")]
    ParameterSetMismatch,
    /// A private key of the wrong length, zero, or not below the curve's order.
    #[error("the GOST private key is malformed")]
    PrivateKey,
    /// A public key of the wrong length, or not a point of the curve's subgroup.
    #[error("the GOST public key is malformed or not on its curve")]
    PublicKey,
    /// A signature of the wrong length for its key size.
    #[error("the GOST signature has the wrong length: {got} bytes, {expected} expected")]
    SignatureLength {
        /// Bytes given.
        got: usize,
        /// Bytes of `r‖s` for the key size.
        expected: usize,
    },
    /// A digest of the wrong length for the key size (Streebog-256 for 256-bit keys,
    /// Streebog-512 for 512-bit keys).
    #[error("the digest has {got} bytes, {expected} expected for this GOST key size")]
    DigestLength {
        /// Bytes given.
        got: usize,
        /// Bytes the key size needs.
        expected: usize,
    },
    /// The DER of a PrivateKeyInfo or SubjectPublicKeyInfo could not be read.
    #[error("the GOST key structure is not valid DER: {0}")]
    Encoding(String),
    /// The signature does not verify under this public key.
    #[error("the GOST signature does not verify")]
    BadSignature,
}

impl Error {
    /// The stable code the UI and the logs use (`GOST_…`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Retired2004 => "GOST_2004_RETIRED",
            Error::UnknownAlgorithm { .. } => "GOST_UNKNOWN_ALGORITHM",
            Error::ParameterSetMismatch => "GOST_PARAMETER_SET_MISMATCH",
            Error::PrivateKey => "GOST_PRIVATE_KEY",
            Error::PublicKey => "GOST_PUBLIC_KEY",
            Error::SignatureLength { .. } => "GOST_SIGNATURE_LENGTH",
            Error::DigestLength { .. } => "GOST_DIGEST_LENGTH",
            Error::Encoding(_) => "GOST_ENCODING",
            Error::BadSignature => "GOST_BAD_SIGNATURE",
        }
    }
}
