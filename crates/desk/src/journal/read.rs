//! Reading the journal: the list, one application with its three tabs,
//! and the status bar.

use crate::views::{
    ApplicationView, ChildView, ConsentsView, ContactsView, HistoryEntryView, JournalPage,
    JournalQuery, JournalRow, JournalSort, PersonView, RefusalView, RejectReasonView, SchoolView,
    StatusBar, StatusCounts, StatusKey, TemporaryRegistrationView,
};
use crate::{Desk, Error};
use domain::{FullName, Grade, Iin, InstructionLanguage, Status};
use store::{JournalFilter, Keyset, SearchTerm};
use time::{Date, OffsetDateTime};

pub const DEFAULT_PAGE: u32 = 100;

/// Times go out in the office's offset, so the day a person reads is the office's day.
fn rfc3339(t: OffsetDateTime) -> String {
    domain::office_rfc3339(t)
}

fn bad(field: &'static str, reason: impl Into<String>) -> Error {
    Error::BadQuery {
        field,
        reason: reason.into(),
    }
}

fn day(field: &'static str, s: &Option<String>) -> Result<Option<Date>, Error> {
    s.as_deref()
        .filter(|s| !s.trim().is_empty())
        // Typed as in Kazakhstan, `dd.mm.yyyy` (or ISO), like every date field (issue 17).
        .map(|s| {
            domain::parse_date(s).map_err(|_| bad(field, format!("{s:?} is not a dd.mm.yyyy date")))
        })
        .transpose()
}

fn encode_cursor(k: &Keyset) -> String {
    format!("{}|{}", k.key, k.id)
}

fn decode_cursor(s: &str) -> Result<Keyset, Error> {
    let (key, id) = s
        .rsplit_once('|')
        .ok_or_else(|| bad("after", "not a cursor"))?;
    Ok(Keyset {
        key: key.to_string(),
        id: id.to_string(),
    })
}

/// Turns what the UI sent into a store filter, once: bad values are an error naming the field.
fn filter_of(q: &JournalQuery) -> Result<JournalFilter, Error> {
    Ok(JournalFilter {
        search: q.search.as_deref().and_then(SearchTerm::parse),
        status: q.status.map(Status::from),
        sync_mark: q.sync.map(store::SyncMark::from),
        grade: q.grade.map(Grade::new).transpose()?,
        language: q
            .language
            .as_deref()
            .filter(|l| !l.is_empty())
            .map(InstructionLanguage::parse)
            .transpose()?,
        micro_district: q.micro_district.clone().filter(|m| !m.is_empty()),
        submitted_from: day("submitted_from", &q.submitted_from)?,
        submitted_to: day("submitted_to", &q.submitted_to)?,
        sort: match q.sort {
            JournalSort::SubmittedDesc => store::JournalSort::SubmittedDesc,
            JournalSort::SubmittedAsc => store::JournalSort::SubmittedAsc,
            JournalSort::ChildName => store::JournalSort::ChildName,
        },
        after: q
            .after
            .as_deref()
            .filter(|a| !a.is_empty())
            .map(decode_cursor)
            .transpose()?,
        limit: if q.limit == 0 {
            DEFAULT_PAGE
        } else {
            q.limit.min(1000)
        },
    })
}

fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn person(iin: &Iin, name: &FullName) -> PersonView {
    PersonView {
        iin: iin.to_string(),
        surname: name.surname.to_string(),
        given: name.given.to_string(),
        patronymic: name.patronymic.as_ref().map(ToString::to_string),
        full_name: name.display(),
    }
}

fn status_key(details: &serde_json::Value, field: &str) -> Option<StatusKey> {
    details
        .get(field)
        .and_then(|v| v.as_str())
        .and_then(|s| Status::parse(s).ok())
        .map(StatusKey::from)
}

impl Desk {
    /// A page of the journal with the counts for the filter panel.
    pub fn journal(&self, q: &JournalQuery) -> Result<JournalPage, Error> {
        let filter = filter_of(q)?;
        let store = self.store();
        let rows = store.journal(&filter)?;
        let next = if rows.len() == filter.limit as usize {
            rows.last().map(|r| encode_cursor(&r.keyset))
        } else {
            None
        };
        let total = store.journal_count(&filter)?;
        let c = store.status_counts()?;
        Ok(JournalPage {
            rows: rows
                .into_iter()
                .map(|r| JournalRow {
                    id: r.id,
                    number: r.number,
                    provisional: r.provisional,
                    child_name: r.child_name,
                    child_iin: r.child_iin,
                    submitted_at: rfc3339(r.submitted_at),
                    school_name_kk: r.school_name_kk.unwrap_or_else(|| r.school_id.clone()),
                    school_name_ru: r.school_name_ru.unwrap_or_else(|| r.school_id.clone()),
                    school_id: r.school_id,
                    grade: r.grade,
                    language: r.language,
                    status: r.status.into(),
                    sync: r.sync_mark.into(),
                })
                .collect(),
            next,
            total: count(total.min(store::COUNT_CAP)),
            total_capped: total > store::COUNT_CAP,
            counts: StatusCounts {
                all: count(c.all()),
                new: count(c.new),
                under_review: count(c.under_review),
                accepted: count(c.accepted),
                rejected: count(c.rejected),
                withdrawn: count(c.withdrawn),
                waiting: count(c.waiting),
                refused: count(c.refused),
                unreadable: count(store.quarantined_count()?),
            },
        })
    }

    /// One application with its information, history and documents.
    pub fn application(&self, id: &str) -> Result<ApplicationView, Error> {
        let store = self.store();
        let (a, mark, refusal) = store.application(id)?;
        let school = store.schools()?.into_iter().find(|s| s.id == a.school);
        let md = a.child.registered_address.micro_district.as_ref();
        let md_names = md
            .map(|m| store.micro_district_names(&m.0))
            .transpose()?
            .flatten();
        let history: Vec<HistoryEntryView> = store
            .history(id)?
            .into_iter()
            .map(|h| HistoryEntryView {
                at: rfc3339(h.at),
                actor_iin: h.actor_iin,
                actor_name: h.actor_name,
                status_from: status_key(&h.details, "from"),
                status_to: status_key(&h.details, "to"),
                note: h
                    .details
                    .get("note")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                signed_with: h
                    .details
                    .get("algorithm")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                revocation_unchecked: crate::keys::revocation_unchecked(
                    h.details.get("revocation").and_then(|v| v.as_str()),
                ),
                kind: h.kind,
            })
            .collect();
        let documents = store
            .documents(id)?
            .into_iter()
            .map(crate::decisions::documents::document_view)
            .collect();
        // Issue 16: an entry of another clerk waits for that clerk's own portal session.
        let me = self.signed_in.map(|c| c.to_string());
        let waits_for_clerk = store
            .outbox_for(id)?
            .into_iter()
            .filter(|e| e.state == "pending")
            .filter_map(|e| e.clerk_iin)
            .find(|c| me.as_ref().is_some_and(|m| m != c))
            .map(|c| {
                // The staff register's name, else the signer's name in the history.
                Iin::parse(&c)
                    .ok()
                    .and_then(|iin| store.staff(&iin).ok().flatten())
                    .map(|s| s.name.display())
                    .or_else(|| {
                        history
                            .iter()
                            .find(|h| h.actor_iin.as_deref() == Some(c.as_str()))
                            .and_then(|h| h.actor_name.clone())
                    })
                    .unwrap_or(c)
            });
        let holds = crate::walk_in_holds::holds_view(store, &a.id.0)?;
        Ok(ApplicationView {
            holds,
            waits_for_clerk,
            id: a.id.0.clone(),
            number: a.number.to_string(),
            provisional: a.number.is_provisional(),
            status: a.status.into(),
            sync: mark.into(),
            refusal: refusal.map(|(code, message)| RefusalView { code, message }),
            version: a.version,
            submitted_at: rfc3339(a.submitted_at),
            on_behalf: a.on_behalf,
            applicant: person(&a.applicant.iin, &a.applicant.name),
            child: ChildView {
                person: person(&a.child.iin, &a.child.name),
                birth_date: a.child.iin.birth_date().to_string(),
                sex: a.child.iin.sex().as_str().to_string(),
                birth_certificate: a.child.birth_certificate.clone(),
                registered_address: a.child.registered_address.full.clone(),
                micro_district_id: md.map(|m| m.0.clone()),
                micro_district_kk: md_names.as_ref().map(|n| n.0.clone()),
                micro_district_ru: md_names.map(|n| n.1),
            },
            contacts: ContactsView {
                phone: a.contacts.phone.display(),
                extra_phone: a.contacts.extra_phone.as_ref().map(|p| p.display()),
                email: a.contacts.email.as_ref().map(ToString::to_string),
            },
            actual_address: a.actual_address.clone(),
            temporary_registration: a.temporary_registration.as_ref().map(|t| {
                TemporaryRegistrationView {
                    address: t.address().to_string(),
                    from: t.from().to_string(),
                    until: t.until().to_string(),
                }
            }),
            school: match school {
                Some(s) => SchoolView {
                    id: s.id.0,
                    name_kk: s.name_kk,
                    name_ru: s.name_ru,
                    address_kk: s.address_kk,
                    address_ru: s.address_ru,
                },
                None => SchoolView {
                    id: a.school.0.clone(),
                    name_kk: a.school.0.clone(),
                    name_ru: a.school.0.clone(),
                    address_kk: String::new(),
                    address_ru: String::new(),
                },
            },
            grade: a.grade.get(),
            language: a.language.as_str().to_string(),
            consents: ConsentsView {
                admission_rules: a.consents.admission_rules,
                portal_terms: a.consents.portal_terms,
                personal_data: a.consents.personal_data,
                notifications: a.consents.notifications.map(|l| l.code().to_string()),
                notification_channel: a
                    .consents
                    .notification_channel
                    .map(|n| n.as_str().to_string()),
            },
            reject_reason: a.reject_reason.as_ref().map(|r| RejectReasonView {
                code: r.code().as_str().to_string(),
                text: r.text().map(str::to_string),
            }),
            history,
            documents,
        })
    }

    /// The status bar: who works, where, and how the sync stands.
    pub fn status_bar(&self) -> Result<StatusBar, Error> {
        let store = self.store();
        let clerk = match store.sync_value("clerk_iin")?.as_deref().map(Iin::parse) {
            Some(Ok(iin)) => store.staff(&iin)?,
            _ => store.any_staff()?,
        };
        let school = match &clerk {
            Some(c) => store.schools()?.into_iter().find(|s| s.id == c.school),
            None => None,
        };
        let c = store.status_counts()?;
        Ok(StatusBar {
            clerk_name: clerk.as_ref().map(|c| c.name.display()),
            clerk_iin: clerk.as_ref().map(|c| c.iin.to_string()),
            school_name_kk: school.as_ref().map(|s| s.name_kk.clone()),
            school_name_ru: school.map(|s| s.name_ru),
            online: store.sync_value("online")?.as_deref() == Some("true"),
            last_sync: store
                .sync_value("last_sync_at")?
                .map(|t| domain::office_time::office_rfc3339_of(&t)),
            waiting: count(c.waiting),
            refused: count(c.refused),
            history_broken: self.history_broken()?,
            unreadable: count(store.quarantined_count()?),
        })
    }
}
