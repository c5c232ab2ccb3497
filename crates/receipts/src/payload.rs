//! The QR payload: `QBL1|<number>|<A|D|R>|<YYYYMMDD>|<16 hex or ->` (FORMAT.md).

use crate::error::Error;
use crate::receipt::{Receipt, ReceiptKind, SignatureDigest, hex_value, to_hex};
use domain::ApplicationNumber;
use time::{Date, Month};

pub const PAYLOAD_VERSION: &str = "QBL1";

/// What the document says was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// `A`: accepted (acceptance receipt).
    Accepted,
    /// `D`: documents received, application submitted on behalf (document receipt).
    DocumentsReceived,
    /// `R`: rejected (rejection notice).
    Rejected,
}

impl Decision {
    pub fn letter(self) -> char {
        match self {
            Decision::Accepted => 'A',
            Decision::DocumentsReceived => 'D',
            Decision::Rejected => 'R',
        }
    }

    pub fn from_letter(s: &str) -> Option<Decision> {
        match s {
            "A" => Some(Decision::Accepted),
            "D" => Some(Decision::DocumentsReceived),
            "R" => Some(Decision::Rejected),
            _ => None,
        }
    }

    pub fn of(kind: &ReceiptKind) -> Decision {
        match kind {
            ReceiptKind::Acceptance => Decision::Accepted,
            ReceiptKind::Documents => Decision::DocumentsReceived,
            ReceiptKind::Rejection(_) => Decision::Rejected,
        }
    }
}

/// The verification text carried by the QR code of every document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPayload {
    pub number: ApplicationNumber,
    pub decision: Decision,
    /// The decision date in the school's offset (as printed).
    pub date: Date,
    /// The first 8 bytes of SHA-256 of the signed decision bytes; `None` (`-`) if unsigned.
    pub digest: Option<[u8; 8]>,
}

impl QrPayload {
    pub fn for_receipt(receipt: &Receipt) -> QrPayload {
        QrPayload {
            number: receipt.number.clone(),
            decision: Decision::of(&receipt.kind),
            date: receipt.decided_at.date(),
            digest: receipt.signature_digest.map(|d| d.short()),
        }
    }

    /// Parses the text a scanner read. Strict: five `|`-separated fields, known version.
    pub fn parse(text: &str) -> Result<QrPayload, Error> {
        let bad = |detail: &str| Error::PayloadInvalid {
            detail: detail.to_string(),
        };
        let parts: Vec<&str> = text.trim().split('|').collect();
        let [version, number, decision, date, digest] = parts.as_slice() else {
            return Err(bad("expected 5 fields separated by |"));
        };
        if *version != PAYLOAD_VERSION {
            return Err(bad("unknown version, expected QBL1"));
        }
        let number = ApplicationNumber::parse(number).map_err(|_| bad("bad application number"))?;
        let decision =
            Decision::from_letter(decision).ok_or_else(|| bad("decision must be A, D or R"))?;
        let date = parse_compact_date(date).ok_or_else(|| bad("date must be YYYYMMDD"))?;
        let digest = match *digest {
            "-" => None,
            hex => Some(
                parse_short_digest(hex).ok_or_else(|| bad("digest must be 16 hex digits or -"))?,
            ),
        };
        Ok(QrPayload {
            number,
            decision,
            date,
            digest,
        })
    }
}

impl std::fmt::Display for QrPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digest = self
            .digest
            .map(|d| to_hex(&d))
            .unwrap_or_else(|| "-".to_string());
        write!(
            f,
            "{PAYLOAD_VERSION}|{}|{}|{:04}{:02}{:02}|{digest}",
            self.number,
            self.decision.letter(),
            self.date.year(),
            u8::from(self.date.month()),
            self.date.day()
        )
    }
}

/// Checks a scanned payload against the signed decision bytes: the payload's digest must
/// be the first 16 hex digits of SHA-256 of those bytes. Returns the parsed payload so the
/// caller can compare number, decision and date with its own record.
pub fn verify(payload: &str, signed_bytes: &[u8]) -> Result<QrPayload, Error> {
    let parsed = QrPayload::parse(payload)?;
    let expected = parsed.digest.ok_or(Error::PayloadUnsigned)?;
    let actual = SignatureDigest::of(signed_bytes).short();
    if expected != actual {
        return Err(Error::DigestMismatch {
            expected: to_hex(&expected),
            actual: to_hex(&actual),
        });
    }
    Ok(parsed)
}

fn parse_compact_date(s: &str) -> Option<Date> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = s[0..4].parse().ok()?;
    let month: u8 = s[4..6].parse().ok()?;
    let day: u8 = s[6..8].parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

fn parse_short_digest(s: &str) -> Option<[u8; 8]> {
    let b = s.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let mut out = [0u8; 8];
    for (slot, pair) in out.iter_mut().zip(b.chunks(2)) {
        *slot = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn payload_text_round_trips() {
        let p = QrPayload {
            number: ApplicationNumber::parse("L-2026-000017").unwrap(),
            decision: Decision::Rejected,
            date: Date::from_calendar_date(2026, Month::June, 1).unwrap(),
            digest: Some(SignatureDigest::of(b"x").short()),
        };
        let text = p.to_string();
        assert_eq!(
            text,
            format!(
                "QBL1|L-2026-000017|R|20260601|{}",
                &SignatureDigest::of(b"x").to_hex()[..16]
            )
        );
        assert_eq!(QrPayload::parse(&text), Ok(p));
    }

    #[test]
    fn parse_table() {
        let ok = "QBL1|2026-0001234|A|20260601|0123456789abcdef";
        let cases: &[(&str, Result<(), ErrorCode>)] = &[
            (ok, Ok(())),
            ("QBL1|2026-0001234|D|20260601|-", Ok(())),
            ("QBL1|2026-0001234|A|20260601|0123456789ABCDEF", Ok(())),
            (
                "QBL2|2026-0001234|A|20260601|0123456789abcdef",
                Err(ErrorCode::PayloadInvalid),
            ),
            (
                "QBL1|2026-001234|A|20260601|0123456789abcdef",
                Err(ErrorCode::PayloadInvalid),
            ),
            (
                "QBL1|2026-0001234|X|20260601|0123456789abcdef",
                Err(ErrorCode::PayloadInvalid),
            ),
            (
                "QBL1|2026-0001234|A|20260231|0123456789abcdef",
                Err(ErrorCode::PayloadInvalid),
            ),
            (
                "QBL1|2026-0001234|A|20260601|0123456789abcde",
                Err(ErrorCode::PayloadInvalid),
            ),
            (
                "QBL1|2026-0001234|A|20260601",
                Err(ErrorCode::PayloadInvalid),
            ),
            ("", Err(ErrorCode::PayloadInvalid)),
        ];
        for (text, want) in cases {
            assert_eq!(
                QrPayload::parse(text).map(|_| ()).map_err(|e| e.code()),
                *want,
                "{text:?}"
            );
        }
    }

    #[test]
    fn verify_accepts_the_signed_bytes_and_nothing_else() {
        let signed = br#"{"application":"2026-0001234","decision":"accept"}"#;
        let short = to_hex(&SignatureDigest::of(signed).short());
        let payload = format!("QBL1|2026-0001234|A|20260601|{short}");
        assert!(verify(&payload, signed).is_ok());
        assert_eq!(
            verify(&payload, b"tampered").map_err(|e| e.code()),
            Err(ErrorCode::DigestMismatch)
        );
        assert_eq!(
            verify("QBL1|2026-0001234|A|20260601|-", signed).map_err(|e| e.code()),
            Err(ErrorCode::PayloadUnsigned)
        );
    }
}
