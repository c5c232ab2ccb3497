use domain::{
    ApplicationNumber, FullName, Grade, Iin, InstructionLanguage, Lang, PersonName, Phone,
    RejectReason,
};
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

/// A validated receipt: every value parsed once (see [`crate::ReceiptInput::parse`]),
/// so rendering cannot fail on bad data. The child's birth date is the one in the IIN
/// and the provisional mark follows the number, so neither can disagree with itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub kind: ReceiptKind,
    /// The language the document is printed in.
    pub lang: Lang,
    /// A portal number, or a local `L-…` number when printed offline.
    pub number: ApplicationNumber,
    pub school: School,
    pub child: Person,
    pub applicant: Applicant,
    pub grade: Grade,
    pub language_of_instruction: InstructionLanguage,
    /// When the decision (or the on-behalf submission) was made, in the school's offset.
    pub decided_at: OffsetDateTime,
    pub clerk: Clerk,
    /// Names of the documents received, as the clerk sees them, in order.
    pub documents: Vec<String>,
    /// SHA-256 of the signed decision bytes; `None` when printed before signing.
    pub signature_digest: Option<SignatureDigest>,
}

/// The three documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptKind {
    /// The application was accepted; originals due by 5 September.
    Acceptance,
    /// An on-behalf application was submitted with these documents.
    Documents,
    /// The application was rejected for this reason; the parent may apply again.
    Rejection(RejectReason),
}

impl ReceiptKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ReceiptKind::Acceptance => "acceptance",
            ReceiptKind::Documents => "documents",
            ReceiptKind::Rejection(_) => "rejection",
        }
    }
}

/// The school's name and address as printed in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub name: String,
    pub address: String,
}

/// The child: full name and IIN (the birth date is read from the IIN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: FullName,
    pub iin: Iin,
}

impl Person {
    pub fn birth_date(&self) -> Date {
        self.iin.birth_date()
    }
}

/// The parent or legal representative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub name: FullName,
    pub iin: Iin,
    pub phone: Phone,
}

/// The staff member who decided (or registered) and signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clerk {
    pub name: PersonName,
    pub iin: Iin,
}

impl Receipt {
    /// Printed before the portal confirmed the application: marked provisional.
    pub fn is_provisional(&self) -> bool {
        self.number.is_provisional()
    }
}

/// SHA-256 of the signed decision bytes (the canonical JSON the clerk's EDS signed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignatureDigest(pub [u8; 32]);

impl SignatureDigest {
    pub fn of(signed_bytes: &[u8]) -> SignatureDigest {
        SignatureDigest(Sha256::digest(signed_bytes).into())
    }

    /// Parses 64 hexadecimal digits, either case.
    pub fn from_hex(hex: &str) -> Option<SignatureDigest> {
        let bytes = hex.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(bytes.chunks(2)) {
            *slot = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
        }
        Some(SignatureDigest(out))
    }

    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// The first 8 bytes, as carried in the QR payload.
    pub fn short(&self) -> [u8; 8] {
        let mut s = [0u8; 8];
        s.copy_from_slice(&self.0[..8]);
        s
    }
}

pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_hex_round_trips_and_matches_known_sha256() {
        let d = SignatureDigest::of(b"abc");
        assert_eq!(
            d.to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            SignatureDigest::from_hex(&d.to_hex().to_uppercase()),
            Some(d)
        );
        assert_eq!(SignatureDigest::from_hex("ba78"), None);
        assert_eq!(SignatureDigest::from_hex(&"g".repeat(64)), None);
        assert_eq!(to_hex(&d.short()), "ba7816bf8f01cfea");
    }
}
