use crate::Error;

/// A person's surname, given name or patronymic in Kazakh, Russian or Latin letters
/// (names keep their own letters: ә ғ қ ң ө ұ ү һ і). Hyphens, apostrophes and
/// single spaces are allowed inside. Surrounding and repeated spaces are folded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonName(String);

pub const NAME_MAX_CHARS: usize = 100;

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, Error> {
        let folded = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.is_empty() {
            return Err(Error::NameEmpty);
        }
        if folded.chars().count() > NAME_MAX_CHARS {
            return Err(Error::NameTooLong {
                max: NAME_MAX_CHARS,
            });
        }
        if let Some(ch) = folded.chars().find(|c| !is_name_char(*c)) {
            return Err(Error::NameInvalid { ch });
        }
        if !folded.chars().next().is_some_and(char::is_alphabetic)
            || !folded.chars().last().is_some_and(char::is_alphabetic)
        {
            let ch = folded.chars().find(|c| !c.is_alphabetic()).unwrap_or('-');
            return Err(Error::NameInvalid { ch });
        }
        Ok(PersonName(folded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key the journal searches by: lower-case, so «Әлімов» is found by «әлі».
    pub fn search_key(&self) -> String {
        search_key(&self.0)
    }
}

/// Lower-cases Kazakh, Russian and Latin text the same way for storage and for queries.
pub fn search_key(text: &str) -> String {
    text.trim().to_lowercase().replace('ё', "е")
}

fn is_name_char(c: char) -> bool {
    matches!(c, ' ' | '-' | '\'' | '’')
        || c.is_ascii_alphabetic()
        || matches!(c, 'А'..='я' | 'Ё' | 'ё')
        || "ӘәҒғҚқҢңӨөҰұҮүҺһІі".contains(c)
}

impl std::fmt::Display for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use proptest::prelude::*;

    #[test]
    fn name_table() {
        let cases: &[(&str, Result<&str, ErrorCode>)] = &[
            ("Әлімжан", Ok("Әлімжан")),
            ("  Нұрсұлтан   Ұлы ", Ok("Нұрсұлтан Ұлы")),
            ("Қасым-Жомарт", Ok("Қасым-Жомарт")),
            ("Ғалия", Ok("Ғалия")),
            ("Пётр", Ok("Пётр")),
            ("O'Brien", Ok("O'Brien")),
            ("Һәмидолла Үсенұлы Іңкәр", Ok("Һәмидолла Үсенұлы Іңкәр")),
            ("", Err(ErrorCode::NameEmpty)),
            ("   ", Err(ErrorCode::NameEmpty)),
            ("Иван2", Err(ErrorCode::NameInvalid)),
            ("-Иван", Err(ErrorCode::NameInvalid)),
            ("Иван!", Err(ErrorCode::NameInvalid)),
        ];
        for (input, want) in cases {
            let got = PersonName::parse(input)
                .map(|n| n.to_string())
                .map_err(|e| e.code());
            assert_eq!(got, want.map(str::to_string), "input {input:?}");
        }
        assert_eq!(
            PersonName::parse(&"а".repeat(101)).map_err(|e| e.code()),
            Err(ErrorCode::NameTooLong)
        );
    }

    #[test]
    fn search_key_folds_case_of_kazakh_letters() {
        assert_eq!(search_key("ӘЛІМОВ"), "әлімов");
        assert_eq!(search_key("Ұлықбек"), "ұлықбек");
        assert_eq!(search_key("Фёдоров"), "федоров");
    }

    proptest! {
        #[test]
        fn parsed_names_parse_again_to_themselves(s in "[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]{1,10}( [А-Яа-яӘә]{1,10})?") {
            let n = PersonName::parse(&s).unwrap();
            prop_assert_eq!(PersonName::parse(n.as_str()).unwrap(), n);
        }
    }
}
