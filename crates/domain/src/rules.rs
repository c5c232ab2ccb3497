//! Admission rules as plain functions over values.
//! Time is always passed in.

use crate::{Error, Grade, InstructionLanguage, SchoolId, Status};
use time::{Date, Month};

/// each attached file is at most 1 MB.
pub const DOCUMENT_MAX_BYTES: u64 = 1_048_576;

pub fn check_document_size(size: u64) -> Result<(), Error> {
    match size {
        0 => Err(Error::DocumentEmpty),
        s if s > DOCUMENT_MAX_BYTES => Err(Error::DocumentTooLarge {
            size: s,
            limit: DOCUMENT_MAX_BYTES,
        }),
        _ => Ok(()),
    }
}

/// every mandatory kind of document is attached.
pub fn check_mandatory_documents(attached: &[crate::DocumentKind]) -> Result<(), Error> {
    match crate::DocumentKind::MANDATORY
        .iter()
        .find(|k| !attached.contains(k))
    {
        Some(kind) => Err(Error::DocumentMissing {
            kind: kind.as_str(),
        }),
        None => Ok(()),
    }
}

/// while an application for the child is under review no second one may be
/// submitted; R-28: after a rejection (or a withdrawal) the parent may apply again.
/// `existing` are the statuses of the child's other applications.
pub fn check_can_submit(existing: impl IntoIterator<Item = Status>) -> Result<(), Error> {
    let mut accepted = false;
    for status in existing {
        if status.is_pending() {
            return Err(Error::PendingApplicationExists);
        }
        accepted |= status == Status::Accepted;
    }
    if accepted {
        Err(Error::ChildAlreadyAccepted)
    } else {
        Ok(())
    }
}

/// The outcome of the age rule: children turn 6 in the admission year; older children
/// may be admitted (late start, return from abroad) but the clerk is warned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeCheck {
    Usual,
    OlderThanUsual { age: i32 },
}

pub fn check_age(birth: Date, admission_year: i32) -> Result<AgeCheck, Error> {
    let age = admission_year - birth.year();
    match age {
        ..6 => Err(Error::ChildTooYoung { age }),
        6 => Ok(AgeCheck::Usual),
        _ => Ok(AgeCheck::OlderThanUsual { age }),
    }
}

/// When applications are taken: by default 1 April – 31 August, both inclusive.
/// Regions may move the dates, so it is configuration, not a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdmissionCalendar {
    pub opens: (Month, u8),
    pub closes: (Month, u8),
}

impl Default for AdmissionCalendar {
    fn default() -> Self {
        AdmissionCalendar {
            opens: (Month::April, 1),
            closes: (Month::August, 31),
        }
    }
}

impl AdmissionCalendar {
    pub fn is_open(&self, today: Date) -> bool {
        let key = (today.month() as u8, today.day());
        let opens = (self.opens.0 as u8, self.opens.1);
        let closes = (self.closes.0 as u8, self.closes.1);
        opens <= key && key <= closes
    }

    pub fn check(&self, today: Date) -> Result<(), Error> {
        if self.is_open(today) {
            Ok(())
        } else {
            Err(Error::OutsideAdmissionPeriod)
        }
    }
}

/// after acceptance the originals must be brought to the school by 5 September.
pub fn originals_deadline(admission_year: i32) -> Date {
    Date::from_calendar_date(admission_year, Month::September, 5).expect("5 September exists")
}

/// Places of one school for one class and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    pub school: SchoolId,
    pub grade: Grade,
    pub language: InstructionLanguage,
    pub capacity: u32,
    pub taken: u32,
}

impl Places {
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.taken)
    }
}

/// R-12, the one meaning of "free places": a school takes a child for a class and
/// language only while its places row for them has a free place. A school with no row
/// for that class and language does not teach it, so it has no place either — the same
/// answer in the wizard's list, on sending a walk-in application and on acceptance.
pub fn has_free_place(
    places: &[Places],
    school: &SchoolId,
    grade: Grade,
    language: InstructionLanguage,
) -> bool {
    places
        .iter()
        .find(|p| &p.school == school && p.grade == grade && p.language == language)
        .is_some_and(|p| p.free() > 0)
}

/// the list of schools to choose from shows only schools with free places for
/// the class and language, most free places first, then by id for a stable order.
pub fn schools_with_free_places(
    all: &[Places],
    grade: Grade,
    language: InstructionLanguage,
) -> Vec<&Places> {
    let mut out: Vec<&Places> = all
        .iter()
        .filter(|p| p.grade == grade && p.language == language && p.free() > 0)
        .collect();
    out.sort_by(|a, b| {
        b.free()
            .cmp(&a.free())
            .then_with(|| a.school.cmp(&b.school))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use time::macros::date;

    #[test]
    fn free_place_table() {
        let (kk, ru) = (
            InstructionLanguage::parse("kk").unwrap(),
            InstructionLanguage::parse("ru").unwrap(),
        );
        let (one, two) = (Grade::new(1).unwrap(), Grade::new(2).unwrap());
        let row = |school: &str, language, capacity, taken| Places {
            school: SchoolId(school.into()),
            grade: one,
            language,
            capacity,
            taken,
        };
        let places = [
            row("open", kk, 25, 24),
            row("full", kk, 25, 25),
            row("over", kk, 25, 30),
            row("open", ru, 0, 0),
        ];
        // (school, grade, language) → has a free place
        let cases = [
            ("open", one, kk, true),
            ("full", one, kk, false),
            ("over", one, kk, false),
            ("open", one, ru, false),    // a row with no capacity
            ("full", one, ru, false),    // no row for that language: not taught there
            ("open", two, kk, false),    // no row for that class
            ("nowhere", one, kk, false), // an unknown school
        ];
        for (school, grade, language, want) in cases {
            assert_eq!(
                has_free_place(&places, &SchoolId(school.into()), grade, language),
                want,
                "{school} {grade:?} {language:?}"
            );
        }
    }

    #[test]
    fn document_size_table() {
        let cases: &[(u64, Result<(), ErrorCode>)] = &[
            (0, Err(ErrorCode::DocumentEmpty)),
            (1, Ok(())),
            (DOCUMENT_MAX_BYTES, Ok(())),
            (DOCUMENT_MAX_BYTES + 1, Err(ErrorCode::DocumentTooLarge)),
        ];
        for (size, want) in cases {
            assert_eq!(
                check_document_size(*size).map_err(|e| e.code()),
                *want,
                "size {size}"
            );
        }
    }

    #[test]
    fn mandatory_documents_table() {
        use crate::DocumentKind::*;
        let cases: &[(&[crate::DocumentKind], Result<(), ErrorCode>)] = &[
            (&[Photo, MedicalCertificate], Ok(())),
            (&[MedicalCertificate, BirthCertificate, Photo], Ok(())),
            (&[Photo], Err(ErrorCode::DocumentMissing)),
            (&[], Err(ErrorCode::DocumentMissing)),
        ];
        for (attached, want) in cases {
            assert_eq!(
                check_mandatory_documents(attached).map_err(|e| e.code()),
                *want,
                "{attached:?}"
            );
        }
    }

    #[test]
    fn one_pending_application_per_child_table() {
        use Status::*;
        let cases: &[(&[Status], Result<(), ErrorCode>)] = &[
            (&[], Ok(())),
            (&[Rejected], Ok(())),
            (&[Withdrawn, Rejected], Ok(())),
            (&[New], Err(ErrorCode::PendingApplicationExists)),
            (
                &[Rejected, UnderReview],
                Err(ErrorCode::PendingApplicationExists),
            ),
            (&[Accepted], Err(ErrorCode::ChildAlreadyAccepted)),
        ];
        for (existing, want) in cases {
            assert_eq!(
                check_can_submit(existing.iter().copied()).map_err(|e| e.code()),
                *want,
                "existing {existing:?}"
            );
        }
    }

    #[test]
    fn age_table() {
        assert_eq!(check_age(date!(2020 - 12 - 31), 2026), Ok(AgeCheck::Usual));
        assert_eq!(check_age(date!(2020 - 01 - 01), 2026), Ok(AgeCheck::Usual));
        assert_eq!(
            check_age(date!(2019 - 05 - 01), 2026),
            Ok(AgeCheck::OlderThanUsual { age: 7 })
        );
        assert_eq!(
            check_age(date!(2021 - 01 - 01), 2026).map_err(|e| e.code()),
            Err(ErrorCode::ChildTooYoung)
        );
    }

    #[test]
    fn admission_period_table() {
        let cal = AdmissionCalendar::default();
        for (day, open) in [
            (date!(2026 - 03 - 31), false),
            (date!(2026 - 04 - 01), true),
            (date!(2026 - 06 - 15), true),
            (date!(2026 - 08 - 31), true),
            (date!(2026 - 09 - 01), false),
        ] {
            assert_eq!(cal.is_open(day), open, "{day}");
        }
        assert_eq!(originals_deadline(2026), date!(2026 - 09 - 05));
    }

    #[test]
    fn only_schools_with_free_places_are_offered() {
        let p = |id: &str, lang, capacity, taken| Places {
            school: SchoolId(id.into()),
            grade: Grade::FIRST,
            language: lang,
            capacity,
            taken,
        };
        let all = vec![
            p("s1", InstructionLanguage::Kk, 50, 50),
            p("s2", InstructionLanguage::Kk, 50, 10),
            p("s3", InstructionLanguage::Ru, 50, 0),
            p("s4", InstructionLanguage::Kk, 25, 0),
            p("s5", InstructionLanguage::Kk, 60, 20),
        ];
        let ids: Vec<&str> = schools_with_free_places(&all, Grade::FIRST, InstructionLanguage::Kk)
            .iter()
            .map(|p| p.school.0.as_str())
            .collect();
        assert_eq!(ids, ["s2", "s5", "s4"]);
    }
}
