//! GOST 34.10-2015 through the `gost` crate: digests, signature checks and key-file keys,
//! in NCA's byte encodings (issue 10). Until that crate is wired in, GOST is refused here.

use crate::Error;

/// GOST 34.11-2015 (Streebog) of `data`, 256 or 512 bit.
pub(crate) fn streebog(_bits: u16, _data: &[u8]) -> Result<Vec<u8>, Error> {
    Err(Error::GostNotSupported)
}

/// Whether `signature` (NCA's layout) over `message` verifies under the GOST public key of
/// `spki_der` (a SubjectPublicKeyInfo).
pub(crate) fn verify(
    _spki_der: &[u8],
    _bits: u16,
    _message: &[u8],
    _signature: &[u8],
) -> Result<bool, Error> {
    Err(Error::GostNotSupported)
}
