use crate::Error;

/// A Kazakh mobile number, held as the 10 digits after +7, starting with 7.
/// Accepts what people type: `+7 701 234 56 78`, `87012345678`, `8 (701) 234-56-78`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, Error> {
        let mut digits = String::new();
        for (i, c) in input.trim().chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '(' | ')' => {}
                _ => return Err(Error::PhoneInvalid),
            }
        }
        let national = match digits.len() {
            11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
            10 => &digits[..],
            _ => return Err(Error::PhoneInvalid),
        };
        if input.trim().starts_with('+') && !(digits.len() == 11 && digits.starts_with('7')) {
            return Err(Error::PhoneInvalid);
        }
        // Kazakh mobile operators' codes are 70x, 747 and 77x.
        if !["70", "747", "77"]
            .iter()
            .any(|code| national.starts_with(code))
        {
            return Err(Error::PhoneInvalid);
        }
        Ok(Phone(national.to_string()))
    }

    /// `+77012345678`, for machines.
    pub fn e164(&self) -> String {
        format!("+7{}", self.0)
    }

    /// `+7 701 234 56 78`, for people.
    pub fn display(&self) -> String {
        let d = &self.0;
        format!("+7 {} {} {} {}", &d[0..3], &d[3..6], &d[6..8], &d[8..10])
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// An e-mail address: one `@`, a non-empty local part, a dotted domain.
/// Stored lower-cased in the domain part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, Error> {
        let s = input.trim();
        let (local, domain) = s.split_once('@').ok_or(Error::EmailInvalid)?;
        let ok_local = !local.is_empty()
            && local.len() <= 64
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        let labels: Vec<&str> = domain.split('.').collect();
        let ok_domain = labels.len() >= 2
            && domain.len() <= 253
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if ok_local && ok_domain {
            Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
        } else {
            Err(Error::EmailInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("+7 701 234 56 78", Some("+7 701 234 56 78")),
            ("87012345678", Some("+7 701 234 56 78")),
            ("8 (777) 123-45-67", Some("+7 777 123 45 67")),
            ("7012345678", Some("+7 701 234 56 78")),
            ("+77471234567", Some("+7 747 123 45 67")),
            ("+7 727 123 45 67", None), // Almaty landline, not mobile
            ("+8 701 234 56 78", None),
            ("+7 701 234 56 7", None),
            ("+7 701 234 56 789", None),
            ("701-234-56-78x", None),
            ("", None),
        ];
        for (input, want) in cases {
            let got = Phone::parse(input).ok().map(|p| p.display());
            assert_eq!(got.as_deref(), *want, "input {input:?}");
        }
    }

    #[test]
    fn email_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("ata.ana@mail.kz", Some("ata.ana@mail.kz")),
            (
                " Aigerim+school@Gmail.COM ",
                Some("Aigerim+school@gmail.com"),
            ),
            ("no-at-sign.kz", None),
            ("two@@mail.kz", None),
            ("x@localhost", None),
            ("x@mail.k", None),
            (".x@mail.kz", None),
            ("x..y@mail.kz", None),
            ("ата@mail.kz", None),
            ("x@-mail.kz", None),
        ];
        for (input, want) in cases {
            let got = Email::parse(input).ok().map(|e| e.to_string());
            assert_eq!(got.as_deref(), *want, "input {input:?}");
        }
    }

    proptest! {
        #[test]
        fn phone_display_parses_back(n in 0u32..100_000_000, op in prop::sample::select(vec!["70", "77"])) {
            let typed = format!("8{op}{n:08}");
            let phone = Phone::parse(&typed).unwrap();
            prop_assert_eq!(Phone::parse(&phone.display()).unwrap(), phone.clone());
            prop_assert_eq!(Phone::parse(&phone.e164()).unwrap(), phone);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = Phone::parse(&s);
            let _ = Email::parse(&s);
        }
    }
}
