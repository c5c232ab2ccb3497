//! What the diagnostic log may show of a person (issue 15): IINs and phone numbers are
//! masked before a line is written — `871203******27` → `8712******27`, the first
//! four and last two digits kept, so an IT person can tell two apart without reading
//! them. PINs, passwords and tokens are never given to the log at all.

/// Masks every IIN (12 digits standing alone) and Kazakh phone number (`+7 7xx …`,
/// `8 7xx …`, `87xxxxxxxxx`, with spaces, hyphens or brackets) in `text`.
pub fn mask_personal(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_number = (chars[i].is_ascii_digit() || chars[i] == '+')
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'));
        if starts_number && let Some(end) = number_end(&chars, i) {
            out.push_str(&mask_digits(&chars[i..end]));
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Where the IIN or phone number starting at `start` ends, if one does.
fn number_end(chars: &[char], start: usize) -> Option<usize> {
    // An IIN: exactly 12 digits, not inside a longer run.
    let run = chars[start..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let bounded = |end: usize| chars.get(end).is_none_or(|c| !c.is_alphanumeric());
    if run == 12 && bounded(start + 12) {
        return Some(start + 12);
    }
    // A phone: +7 / 7 / 8, then a mobile code 7xx, 11 digits in all (10 after a bare 7).
    let mut digits = String::new();
    let mut end = start;
    for (k, c) in chars[start..].iter().enumerate() {
        match c {
            '0'..='9' => digits.push(*c),
            '+' if k == 0 => {}
            ' ' | '-' | '(' | ')' if !digits.is_empty() && digits.len() < 11 => {}
            _ => break,
        }
        end = start + k + 1;
        if digits.len() == 11 {
            break;
        }
    }
    let phone = digits.len() == 11
        && (digits.starts_with("77") || digits.starts_with("87"))
        && bounded(end)
        && chars.get(end).is_none_or(|c| !c.is_ascii_digit());
    phone.then_some(end)
}

fn mask_digits(number: &[char]) -> String {
    let total = number.iter().filter(|c| c.is_ascii_digit()).count();
    let mut seen = 0;
    number
        .iter()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen <= 4 || seen > total - 2 {
                    *c
                } else {
                    '*'
                }
            } else {
                *c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::mask_personal;

    #[test]
    fn iins_and_phones_are_masked_and_nothing_else() {
        for (given, shown) in [
            ("871203450127", "8712******27"),
            ("clerk 871203450127 signed", "clerk 8712******27 signed"),
            ("iin=871203450127,", "iin=8712******27,"),
            ("+7 701 234 56 78", "+7 701 *** ** 78"),
            ("8 (701) 234-56-78", "8 (701) ***-**-78"),
            ("87012345678", "8701*****78"),
            ("+77012345678.", "+7701*****78."),
            // Not personal: kept as they are.
            ("2026-04-21T11:00:05Z", "2026-04-21T11:00:05Z"),
            ("Ж-2026-000123", "Ж-2026-000123"),
            ("size 1048577 bytes", "size 1048577 bytes"),
            ("8712034501271", "8712034501271"), // 13 digits: not an IIN
            ("id a871203450127", "id a871203450127"),
            ("seq 12345678901", "seq 12345678901"), // 11 digits, not a mobile number
            ("", ""),
            ("ӘЛІМОВ Әлі", "ӘЛІМОВ Әлі"),
        ] {
            assert_eq!(mask_personal(given), shown, "{given:?}");
        }
    }

    #[test]
    fn masking_is_stable_and_never_panics_on_odd_text() {
        for s in [
            "+",
            "8",
            "+7",
            "8 (",
            "٣٣٣",
            "8\u{200B}701",
            "𝟴𝟳𝟭𝟮",
            "+7 701 234 56 78 9",
        ] {
            let once = mask_personal(s);
            assert_eq!(mask_personal(&once), once, "{s:?}");
        }
    }
}
