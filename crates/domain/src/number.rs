use crate::Error;

/// The number a parent is told. The portal issues `YYYY-NNNNNNN`
/// (`2026-0001234`); an application entered offline carries a provisional local
/// number `L-YYYY-NNNNNN` until the portal confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApplicationNumber {
    Portal { year: u16, seq: u32 },
    Provisional { year: u16, seq: u32 },
}

impl ApplicationNumber {
    pub fn parse(input: &str) -> Result<ApplicationNumber, Error> {
        let s = input.trim();
        let bad = || Error::ApplicationNumberInvalid {
            got: input.to_string(),
        };
        let (provisional, rest) = match s.strip_prefix("L-") {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (year, seq) = rest.split_once('-').ok_or_else(bad)?;
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        // The portal pads to 7 digits; a region past ten million a year gets 8 or 9.
        let seq_ok = if provisional {
            digits(seq, 6)
        } else {
            (7..=9).any(|n| digits(seq, n))
        };
        if !digits(year, 4) || !seq_ok {
            return Err(bad());
        }
        let year: u16 = year.parse().map_err(|_| bad())?;
        let seq: u32 = seq.parse().map_err(|_| bad())?;
        if !(2000..=2099).contains(&year) || seq == 0 {
            return Err(bad());
        }
        Ok(if provisional {
            ApplicationNumber::Provisional { year, seq }
        } else {
            ApplicationNumber::Portal { year, seq }
        })
    }

    pub fn is_provisional(&self) -> bool {
        matches!(self, ApplicationNumber::Provisional { .. })
    }
}

impl std::fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplicationNumber::Portal { year, seq } => write!(f, "{year}-{seq:07}"),
            ApplicationNumber::Provisional { year, seq } => write!(f, "L-{year}-{seq:06}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn number_table() {
        let cases: &[(&str, bool)] = &[
            ("2026-0001234", true),
            ("L-2026-000017", true),
            ("2026-001234", false),
            ("2026-10407377", true),
            ("2026-0000000001", false),
            ("L-2026-0000017", false),
            ("2026-0000000", false),
            ("1999-0000001", false),
            ("20260001234", false),
            ("", false),
        ];
        for (input, ok) in cases {
            assert_eq!(
                ApplicationNumber::parse(input).is_ok(),
                *ok,
                "input {input:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn display_parses_back(year in 2000u16..2100, seq in 1u32..1_000_000_000, prov in any::<bool>()) {
            let n = if prov { ApplicationNumber::Provisional { year, seq: seq % 999_999 + 1 } } else { ApplicationNumber::Portal { year, seq } };
            prop_assert_eq!(ApplicationNumber::parse(&n.to_string()).unwrap(), n);
        }
    }
}
