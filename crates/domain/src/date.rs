//! A date as a clerk types it (issue 17): `dd.mm.yyyy`, the way dates are written in
//! Kazakhstan whatever the PC's locale; `yyyy-mm-dd` (ISO 8601) is taken too, for what
//! the CLI and drafts saved before sent.

use crate::Error;
use time::Date;
use time::macros::format_description;

/// Parses `31.08.2026` or `2026-08-31`; anything else, or a day the calendar does not
/// have, is [`Error::DateInvalid`].
pub fn parse_date(s: &str) -> Result<Date, Error> {
    let s = s.trim();
    Date::parse(s, format_description!("[day].[month].[year]"))
        .or_else(|_| Date::parse(s, format_description!("[year]-[month]-[day]")))
        .map_err(|_| Error::DateInvalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_are_read_as_typed_in_kazakhstan_or_iso() {
        let cases: &[(&str, Option<Date>)] = &[
            ("31.08.2026", Some(date!(2026 - 08 - 31))),
            (" 01.09.2026 ", Some(date!(2026 - 09 - 01))),
            ("2026-08-31", Some(date!(2026 - 08 - 31))),
            ("29.02.2028", Some(date!(2028 - 02 - 29))),
            ("29.02.2027", None),
            ("31.04.2026", None),
            ("08/31/2026", None),
            ("1.9.2026", None),
            ("31.08.26", None),
            ("", None),
            ("завтра", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text).ok(), *want, "{text:?}");
            if want.is_none() {
                assert_eq!(parse_date(text), Err(Error::DateInvalid), "{text:?}");
            }
        }
    }
}
