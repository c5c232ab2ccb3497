//! Office time (issue 17): Kazakhstan keeps one time zone, UTC+5, since March 2024. Every
//! time a clerk or a parent reads — the journal, the status bar, the history, a receipt,
//! the day a backup is for, the journal's date filter — is the office's, whatever zone the
//! PC is set to. This is the one place that says so; the UI shows the digits it is sent.

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

/// The office's offset from UTC.
pub const OFFICE_OFFSET: UtcOffset = match UtcOffset::from_hms(5, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("+05:00 is an offset"),
};

/// `t` as the office's clock shows it (the same instant).
pub fn in_office(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(OFFICE_OFFSET)
}

/// The office's calendar day at `t`.
pub fn office_day(t: OffsetDateTime) -> Date {
    in_office(t).date()
}

/// The instant the office's day `d` begins (00:00 at UTC+5).
pub fn office_day_start(d: Date) -> OffsetDateTime {
    d.midnight().assume_offset(OFFICE_OFFSET)
}

/// `t` as RFC 3339 in the office's offset, to the second (`2026-06-01T10:15:00+05:00`):
/// how every time goes out to the window and `qabyldau journal --json`.
pub fn office_rfc3339(t: OffsetDateTime) -> String {
    let t = in_office(t);
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// An RFC 3339 text (any offset) shown in the office's offset; a text that is not a time
/// is given back as it is.
pub fn office_rfc3339_of(text: &str) -> String {
    OffsetDateTime::parse(text, &Rfc3339)
        .map(office_rfc3339)
        .unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn office_time_is_utc_plus_five_whatever_the_offset_given() {
        let cases = [
            (
                datetime!(2026-06-01 05:15:30.7 UTC),
                "2026-06-01T10:15:30+05:00",
                date!(2026 - 06 - 01),
            ),
            (
                datetime!(2026-05-31 19:00 UTC),
                "2026-06-01T00:00:00+05:00",
                date!(2026 - 06 - 01),
            ),
            (
                datetime!(2026-05-31 18:59:59 UTC),
                "2026-05-31T23:59:59+05:00",
                date!(2026 - 05 - 31),
            ),
            (
                datetime!(2026-06-01 01:00 +03:00),
                "2026-06-01T03:00:00+05:00",
                date!(2026 - 06 - 01),
            ),
            (
                datetime!(2026-06-01 23:30 -05:00),
                "2026-06-02T09:30:00+05:00",
                date!(2026 - 06 - 02),
            ),
        ];
        for (t, text, day) in cases {
            assert_eq!(office_rfc3339(t), text, "{t}");
            assert_eq!(office_day(t), day, "{t}");
        }
        assert_eq!(
            office_day_start(date!(2026 - 06 - 01)),
            datetime!(2026-05-31 19:00 UTC)
        );
        assert_eq!(
            office_rfc3339_of("2026-05-31T19:00:00Z"),
            "2026-06-01T00:00:00+05:00"
        );
        assert_eq!(office_rfc3339_of("not a time"), "not a time");
    }
}
