//! Walking DER by hand where the exact bytes matter (what was signed is taken as sent, not
//! re-encoded): TBSCertificate, signed attributes, CRL and OCSP bodies.

/// One DER TLV: (tag byte, header length, total length).
pub(crate) fn tlv(input: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *input.first()?;
    let first = *input.get(1)? as usize;
    let (len, header) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *input.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let total = header.checked_add(len)?;
    (total <= input.len()).then_some((tag, header, total))
}

/// The children of a constructed TLV.
pub(crate) fn children(input: &[u8]) -> Option<Vec<&[u8]>> {
    let (_, header, total) = tlv(input)?;
    let mut rest = &input[header..total];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (_, _, len) = tlv(rest)?;
        out.push(&rest[..len]);
        rest = &rest[len..];
    }
    Some(out)
}

/// The first child of a SEQUENCE, as sent: the TBSCertificate of a certificate, the
/// tbsCertList of a CRL, the tbsResponseData of a BasicOCSPResponse.
pub(crate) fn first_child(input: &[u8]) -> Option<Vec<u8>> {
    children(input)?.into_iter().next().map(<[u8]>::to_vec)
}
