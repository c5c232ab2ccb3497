//! Issue 15: the parsers at the edge survive garbage. Property tests over arbitrary
//! strings and odd Unicode (combining marks, right-to-left text and marks, zero-width
//! characters, NUL, lone surrogates are impossible in `&str` but every other scalar is
//! drawn): parsing never panics, what is accepted prints back to itself, and odd
//! characters in names are refused with the character named. `PROPTEST_CASES` sets the
//! number of cases (`scripts/fuzz` runs many).
#![allow(clippy::unwrap_used)] // the helpers outside #[test] fns too

use domain::{ApplicationNumber, Email, Iin, PersonName, Phone, RejectReasonCode, Status};
use proptest::prelude::*;

/// Characters that have broken text handling elsewhere: combining marks, RTL letters
/// and controls, zero-width joiners and spaces, BOM, NUL, line separators, emoji with
/// modifiers, full-width digits.
const ODD: &[char] = &[
    '\u{0301}',
    '\u{0308}',
    '\u{0336}', // combining acute, diaeresis, long stroke
    '\u{05D0}',
    '\u{0627}',
    '\u{202E}',
    '\u{202B}',
    '\u{200F}',
    '\u{2067}', // RTL
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\u{2060}',
    '\u{FEFF}', // zero-width
    '\u{0000}',
    '\u{0007}',
    '\u{2028}',
    '\u{2029}',
    '\u{00A0}',
    '\u{3000}',
    '\u{1F468}',
    '\u{1F3FD}',
    '\u{FF17}',
    '\u{0661}',
    'İ',
    'ß',
    'ǅ',
];

fn odd_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        proptest::sample::select(ODD).prop_map(|c| c.to_string()),
        "[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі -]{0,6}",
        "[0-9+() -]{0,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), odd_text()]
}

proptest! {
    #[test]
    fn iin_parse_never_panics_and_accepted_prints_back(s in any_text()) {
        if let Ok(iin) = Iin::parse(&s) {
            let printed = iin.to_string();
            prop_assert_eq!(printed.len(), 12);
            prop_assert_eq!(Iin::parse(&printed), Ok(iin));
        }
    }

    #[test]
    fn iin_of_twelve_digits_never_panics(s in "[0-9]{12}") {
        let _ = Iin::parse(&s).map(|i| (i.birth_date(), i.sex()));
    }

    #[test]
    fn phone_parse_never_panics_and_accepted_is_canonical(s in any_text()) {
        if let Ok(p) = Phone::parse(&s) {
            prop_assert!(p.e164().starts_with("+77"));
            prop_assert_eq!(Phone::parse(&p.e164()), Ok(p.clone()));
            prop_assert_eq!(Phone::parse(&p.display()), Ok(p));
        }
    }

    #[test]
    fn email_parse_never_panics_and_accepted_is_stable(s in any_text()) {
        if let Ok(e) = Email::parse(&s) {
            prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
            prop_assert!(!e.as_str().chars().any(char::is_whitespace));
        }
    }

    #[test]
    fn names_refuse_odd_unicode_and_keep_what_they_accept(s in any_text()) {
        match PersonName::parse(&s) {
            Ok(n) => {
                prop_assert_eq!(PersonName::parse(n.as_str()), Ok(n.clone()));
                for c in ['\u{0301}', '\u{200B}', '\u{202E}', '\u{FEFF}', '\u{0000}'] {
                    prop_assert!(!n.as_str().contains(c), "{:?} kept in {:?}", c, n);
                }
            }
            Err(e) => prop_assert!(!e.code().as_str().is_empty()),
        }
    }

    #[test]
    fn codes_and_numbers_never_panic(s in any_text()) {
        let _ = ApplicationNumber::parse(&s).map(|n| n.to_string());
        let _ = Status::parse(&s);
        let _ = RejectReasonCode::parse(&s);
        let _ = domain::search_key(&s);
    }
}

/// Named cases: each odd character inside an otherwise good name is refused.
#[test]
fn a_good_name_with_an_odd_character_inside_is_refused() {
    for c in ODD.iter().filter(|c| !c.is_whitespace()) {
        let name = format!("Әлі{c}мов");
        assert!(
            PersonName::parse(&name).is_err(),
            "{c:?} (U+{:04X}) accepted in a name",
            *c as u32
        );
    }
    assert!(PersonName::parse("Әлімов").is_ok());
}
