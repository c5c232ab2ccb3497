//! Every printed word, in Kazakh and Russian, from the catalogues
//! (`assets/i18n/{kk,ru}/receipts.ftl`, issue 17), kept apart from the layout.

use domain::{ApplicationNumber, Lang};
use std::sync::OnceLock;
use time::{Date, OffsetDateTime};

/// The labels and sentences of one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Words {
    pub acceptance_title: &'static str,
    pub documents_title: &'static str,
    pub rejection_title: &'static str,
    pub provisional_banner: &'static str,
    pub number: &'static str,
    pub decision: &'static str,
    pub status: &'static str,
    pub decision_accepted: &'static str,
    pub decision_documents: &'static str,
    pub decision_rejected: &'static str,
    pub submission_way: &'static str,
    pub submission_on_behalf: &'static str,
    pub child: &'static str,
    pub child_iin: &'static str,
    pub birth_date: &'static str,
    pub applicant: &'static str,
    pub applicant_iin: &'static str,
    pub phone: &'static str,
    pub class: &'static str,
    pub language: &'static str,
    pub decided_at: &'static str,
    pub submitted_at: &'static str,
    pub clerk_decided: &'static str,
    pub clerk_registered: &'static str,
    pub clerk_iin: &'static str,
    pub reason: &'static str,
    pub reason_text: &'static str,
    pub documents_received: &'static str,
    pub documents_attached: &'static str,
    pub documents_presented: &'static str,
    pub no_documents: &'static str,
    pub right_to_apply_again: &'static str,
    pub clerk_signature: &'static str,
    pub applicant_signature: &'static str,
    pub signature_hint: &'static str,
    pub verify_caption: &'static str,
    pub unsigned_caption: &'static str,
    pub page: &'static str,
}

/// The words of `lang`, read once from the catalogues (`assets/i18n/*/receipts.ftl`).
pub(crate) fn words(lang: Lang) -> &'static Words {
    static WORDS: OnceLock<[Words; 2]> = OnceLock::new();
    let [kk, ru] = WORDS.get_or_init(|| {
        Lang::ALL.map(|lang| {
            let w = |id: &str| {
                debug_assert!(i18n::has(id), "{id} is not in receipts.ftl");
                i18n::static_text(lang, id)
            };
            Words {
                acceptance_title: w("receipt-acceptance-title"),
                documents_title: w("receipt-documents-title"),
                rejection_title: w("receipt-rejection-title"),
                provisional_banner: w("receipt-provisional-banner"),
                number: w("receipt-number"),
                decision: w("receipt-decision"),
                status: w("receipt-status"),
                decision_accepted: w("receipt-decision-accepted"),
                decision_documents: w("receipt-decision-documents"),
                decision_rejected: w("receipt-decision-rejected"),
                submission_way: w("receipt-submission-way"),
                submission_on_behalf: w("receipt-submission-on-behalf"),
                child: w("receipt-child"),
                child_iin: w("receipt-child-iin"),
                birth_date: w("receipt-birth-date"),
                applicant: w("receipt-applicant"),
                applicant_iin: w("receipt-applicant-iin"),
                phone: w("receipt-phone"),
                class: w("receipt-class"),
                language: w("receipt-language"),
                decided_at: w("receipt-decided-at"),
                submitted_at: w("receipt-submitted-at"),
                clerk_decided: w("receipt-clerk-decided"),
                clerk_registered: w("receipt-clerk-registered"),
                clerk_iin: w("receipt-clerk-iin"),
                reason: w("receipt-reason"),
                reason_text: w("receipt-reason-text"),
                documents_received: w("receipt-documents-received"),
                documents_attached: w("receipt-documents-attached"),
                documents_presented: w("receipt-documents-presented"),
                no_documents: w("receipt-no-documents"),
                right_to_apply_again: w("receipt-right-to-apply-again"),
                clerk_signature: w("receipt-clerk-signature"),
                applicant_signature: w("receipt-applicant-signature"),
                signature_hint: w("receipt-signature-hint"),
                verify_caption: w("receipt-verify-caption"),
                unsigned_caption: w("receipt-unsigned-caption"),
                page: w("receipt-page"),
            }
        })
    });
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
    }
}

/// the reminder on the acceptance receipt.
pub(crate) fn originals_reminder(lang: Lang, deadline: Date) -> String {
    i18n::text_with(
        lang,
        "receipt-originals-reminder",
        &[
            ("year", i64::from(deadline.year()).into()),
            ("day", u32::from(deadline.day()).into()),
            ("month", u32::from(u8::from(deadline.month())).into()),
        ],
    )
}

/// what the document receipt tells the parent.
pub(crate) fn registered_notice(lang: Lang, number: &ApplicationNumber) -> String {
    let number = number.to_string();
    i18n::text_with(
        lang,
        "receipt-registered-notice",
        &[("number", (&number).into())],
    )
}

/// why the document is provisional and what number it carries.
pub(crate) fn provisional_notice(lang: Lang, number: &ApplicationNumber) -> String {
    let number = number.to_string();
    i18n::text_with(
        lang,
        "receipt-provisional-notice",
        &[("number", (&number).into())],
    )
}

pub(crate) fn date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

pub(crate) fn date_time(t: OffsetDateTime) -> String {
    format!("{} {:02}:{:02}", date(t.date()), t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_r30_reminder_names_the_day_the_month_in_its_case_and_the_year() {
        for (d, kk, ru) in [
            (
                date!(2026 - 04 - 30),
                "2026 жылғы 30 сәуірге дейін",
                "до 30 апреля 2026 года",
            ),
            (
                date!(2026 - 01 - 05),
                "2026 жылғы 5 қаңтарға дейін",
                "до 5 января 2026 года",
            ),
            (
                date!(2026 - 12 - 31),
                "2026 жылғы 31 желтоқсанға дейін",
                "до 31 декабря 2026 года",
            ),
        ] {
            assert!(originals_reminder(Lang::Kk, d).contains(kk), "{d}");
            assert!(originals_reminder(Lang::Ru, d).contains(ru), "{d}");
        }
    }

    #[test]
    fn every_word_comes_from_the_catalogue() {
        // `words` asserts (debug builds) that each of its ids is in both catalogues.
        assert_ne!(
            words(Lang::Kk).acceptance_title,
            words(Lang::Ru).acceptance_title
        );
        let n = ApplicationNumber::parse("2026-0000001").unwrap();
        assert!(registered_notice(Lang::Ru, &n).contains("2026-0000001"));
        assert!(provisional_notice(Lang::Kk, &n).contains("2026-0000001"));
    }
}
