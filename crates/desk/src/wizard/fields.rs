//! The wizard's fields as typed, parsed once for both the step checks
//! ([`crate::wizard_steps`]) and the submission ([`crate::on_behalf`]): every wrong field is
//! collected with its name (`applicant.iin`, `temporary_registration.from`, …) so the
//! window shows each message next to its field, all at once.

use crate::views::{PersonInput, TemporaryRegistrationInput};
use domain::{FullName, Iin, PersonName, TemporaryRegistration};

/// Every field error instead of stopping at the first.
#[derive(Default)]
pub(crate) struct Fields(pub(crate) Vec<(String, domain::Error)>);

impl Fields {
    /// `r`'s value, or `None` with its error kept under `field`.
    pub(crate) fn take<T>(&mut self, field: &str, r: Result<T, domain::Error>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push((field.to_string(), e));
                None
            }
        }
    }

    /// An optional field: empty is `Some(None)`, a wrong value `None`.
    pub(crate) fn optional<T>(
        &mut self,
        field: &str,
        s: &str,
        parse: impl Fn(&str) -> Result<T, domain::Error>,
    ) -> Option<Option<T>> {
        if s.trim().is_empty() {
            Some(None)
        } else {
            self.take(field, parse(s)).map(Some)
        }
    }

    /// A person's IIN and name, under `{prefix}.iin`, `.surname`, `.given`, `.patronymic`.
    pub(crate) fn person(
        &mut self,
        prefix: &str,
        p: &PersonInput,
    ) -> (Option<Iin>, Option<FullName>) {
        let iin = self.take(&format!("{prefix}.iin"), Iin::parse(&p.iin));
        let surname = self.take(&format!("{prefix}.surname"), PersonName::parse(&p.surname));
        let given = self.take(&format!("{prefix}.given"), PersonName::parse(&p.given));
        let patronymic = self.optional(
            &format!("{prefix}.patronymic"),
            &p.patronymic,
            PersonName::parse,
        );
        let name = match (surname, given, patronymic) {
            (Some(surname), Some(given), Some(patronymic)) => Some(FullName {
                surname,
                given,
                patronymic,
            }),
            _ => None,
        };
        (iin, name)
    }

    /// the temporary registration, when given. A date that is not `dd.mm.yyyy` is
    /// `DATE_INVALID` next to its field (`temporary_registration.from` / `.until`); an
    /// empty address or a period that ends before it starts is
    /// `TEMPORARY_REGISTRATION_INVALID` for the whole.
    pub(crate) fn temporary_registration(
        &mut self,
        t: Option<&TemporaryRegistrationInput>,
    ) -> Option<Option<TemporaryRegistration>> {
        let Some(t) = t else {
            return Some(None);
        };
        let from = self.take("temporary_registration.from", domain::parse_date(&t.from));
        let until = self.take("temporary_registration.until", domain::parse_date(&t.until));
        let (from, until) = (from?, until?);
        self.take(
            "temporary_registration",
            TemporaryRegistration::new(&t.address, from, until),
        )
        .map(Some)
    }
}
