//! Writes and single-row reads of applications, history and the outbox (documents:
//! `documents.rs`).

use crate::records::{
    HistoryRecord, LocalAction, NewHistory, NewOutbox, OutboxEntry, Reference, SyncMark,
};
use crate::{Error, Store, documents, history_chain};
use domain::{
    Address, Applicant, Application, ApplicationId, ApplicationNumber, Child, Consents, Contacts,
    DocumentMeta, Email, FullName, Grade, Iin, InstructionLanguage, Lang, MicroDistrictId,
    NotificationChannel, PersonName, Phone, RejectReason, RejectReasonCode, SchoolId, Status,
    TemporaryRegistration,
};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

/// Times are stored in UTC to the whole second, so that as text they sort and compare
/// as times (a fraction would put `…:00.5Z` before `…:00Z`).
pub(crate) fn format_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

pub(crate) fn parse_time(s: &str) -> Result<OffsetDateTime, Error> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|_| Error::Damaged {
        what: format!("time {s:?}"),
    })
}

/// The office's calendar day (`domain::office_time`).
fn office_day(t: OffsetDateTime) -> String {
    domain::office_day(t).to_string()
}

/// An application as stored: the domain value, its sync mark, and the portal's refusal
/// (code, message) when the last local action was refused.
pub type StoredApplication = (Application, SyncMark, Option<(String, String)>);

const UPSERT_APPLICATION: &str = "
INSERT INTO application (
    id, number, provisional, status, version, submitted_at, submitted_day, school_id, grade, language,
    micro_district_id, child_iin, child_surname, child_given, child_patronymic, child_search,
    child_birth_cert, registered_address_id, registered_address, applicant_iin, applicant_surname,
    applicant_given, applicant_patronymic, phone, extra_phone, email, actual_address, temp_address,
    temp_from, temp_until, consent_rules, consent_terms, consent_personal, notify_lang, reject_code,
    reject_text, on_behalf, sync_mark, notify_channel, documents, documents_waiting
) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
          ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39,
          ?40, ?41)
ON CONFLICT(id) DO UPDATE SET
    number = excluded.number, provisional = excluded.provisional, status = excluded.status,
    version = excluded.version, submitted_at = excluded.submitted_at, submitted_day = excluded.submitted_day,
    school_id = excluded.school_id, grade = excluded.grade, language = excluded.language,
    micro_district_id = excluded.micro_district_id, child_iin = excluded.child_iin,
    child_surname = excluded.child_surname, child_given = excluded.child_given,
    child_patronymic = excluded.child_patronymic, child_search = excluded.child_search,
    child_birth_cert = excluded.child_birth_cert, registered_address_id = excluded.registered_address_id,
    registered_address = excluded.registered_address, applicant_iin = excluded.applicant_iin,
    applicant_surname = excluded.applicant_surname, applicant_given = excluded.applicant_given,
    applicant_patronymic = excluded.applicant_patronymic, phone = excluded.phone,
    extra_phone = excluded.extra_phone, email = excluded.email, actual_address = excluded.actual_address,
    temp_address = excluded.temp_address, temp_from = excluded.temp_from, temp_until = excluded.temp_until,
    consent_rules = excluded.consent_rules, consent_terms = excluded.consent_terms,
    consent_personal = excluded.consent_personal, notify_lang = excluded.notify_lang,
    reject_code = excluded.reject_code, reject_text = excluded.reject_text,
    on_behalf = excluded.on_behalf, sync_mark = excluded.sync_mark,
    notify_channel = excluded.notify_channel, documents = excluded.documents,
    documents_waiting = excluded.documents_waiting";

fn search_text(name: &FullName) -> String {
    domain::search_key(&name.display())
}

pub(crate) fn upsert_application(
    tx: &Transaction<'_>,
    a: &Application,
    mark: SyncMark,
) -> Result<(), Error> {
    let waiting = documents::take_over_and_count(tx, &a.id.0, &a.documents)?;
    write_row(tx, UPSERT_APPLICATION, a, mark, waiting)?;
    Ok(())
}

/// The insert part of [`UPSERT_APPLICATION`] that leaves an existing row alone.
static INSERT_APPLICATION_FRESH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let insert = UPSERT_APPLICATION
        .split("ON CONFLICT")
        .next()
        .unwrap_or(UPSERT_APPLICATION);
    format!("{insert} ON CONFLICT(id) DO NOTHING")
});

/// A row new to the journal (a first pull), with its list of documents, unless a row
/// with its id is there already (then nothing is written and `false` is returned).
pub(crate) fn insert_application_row(
    tx: &Transaction<'_>,
    a: &Application,
    mark: SyncMark,
) -> Result<bool, Error> {
    write_row(
        tx,
        &INSERT_APPLICATION_FRESH,
        a,
        mark,
        documents::waiting_new(&a.documents),
    )
}

/// The application's row with its list of documents (`waiting` of them to download),
/// with `sql`; whether it was written.
fn write_row(
    tx: &Transaction<'_>,
    sql: &str,
    a: &Application,
    mark: SyncMark,
    waiting: i64,
) -> Result<bool, Error> {
    let opt_name = |n: &Option<PersonName>| n.as_ref().map(|p| p.as_str().to_string());
    let temp = a.temporary_registration.as_ref();
    let written = tx.prepare_cached(sql)?.execute(params![
        a.id.0,
        a.number.to_string(),
        a.number.is_provisional(),
        a.status.as_str(),
        a.version,
        format_time(a.submitted_at),
        office_day(a.submitted_at),
        a.school.0,
        a.grade.get(),
        a.language.as_str(),
        a.child
            .registered_address
            .micro_district
            .as_ref()
            .map(|m| m.0.clone()),
        a.child.iin.to_string(),
        a.child.name.surname.as_str(),
        a.child.name.given.as_str(),
        opt_name(&a.child.name.patronymic),
        search_text(&a.child.name),
        a.child.birth_certificate,
        a.child.registered_address.id,
        a.child.registered_address.full,
        a.applicant.iin.to_string(),
        a.applicant.name.surname.as_str(),
        a.applicant.name.given.as_str(),
        opt_name(&a.applicant.name.patronymic),
        a.contacts.phone.e164(),
        a.contacts.extra_phone.as_ref().map(Phone::e164),
        a.contacts.email.as_ref().map(|e| e.as_str().to_string()),
        a.actual_address,
        temp.map(|t| t.address().to_string()),
        temp.map(|t| t.from().to_string()),
        temp.map(|t| t.until().to_string()),
        a.consents.admission_rules,
        a.consents.portal_terms,
        a.consents.personal_data,
        a.consents.notifications.map(Lang::code),
        a.reject_reason.as_ref().map(|r| r.code().as_str()),
        a.reject_reason
            .as_ref()
            .and_then(|r| r.text().map(str::to_string)),
        a.on_behalf,
        mark.as_str(),
        a.consents
            .notification_channel
            .map(NotificationChannel::as_str),
        documents::encode(&a.documents),
        waiting,
    ])?;
    Ok(written > 0)
}

/// Rows per multi-row `INSERT` of history entries: a first pull writes a page's in a few
/// statements instead of one per row (issue 12).
const ROWS_PER_INSERT: usize = 32;

/// `head` followed by `rows` groups of `columns` numbered parameters, then `tail`.
fn multi_row_sql(head: &str, columns: usize, rows: usize, tail: &str) -> String {
    let groups: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=columns)
                .map(|c| format!("?{}", r * columns + c))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!("{head} VALUES {} {tail}", groups.join(", "))
}

/// Binds each of `rows` with `bind` (its first parameter's number, then the row) and
/// runs the statement once for all of them.
fn bind_rows<T>(
    stmt: &mut rusqlite::Statement<'_>,
    rows: &[T],
    bind: impl Fn(&mut rusqlite::Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> Result<(), Error> {
    let columns = stmt.parameter_count() / rows.len().max(1);
    for (i, row) in rows.iter().enumerate() {
        bind(stmt, i * columns + 1, row)?;
    }
    stmt.raw_execute()?;
    Ok(())
}

pub(crate) fn append_history(
    tx: &Transaction<'_>,
    application_id: &str,
    h: &NewHistory,
) -> Result<i64, Error> {
    let mut head = history_chain::head(tx)?;
    append_history_after(tx, application_id, h, &mut head)
}

/// [`append_history`] after the entry whose chain hash is `head` (the newest; the caller
/// read it in this transaction and wrote nothing to the history since), moving `head` on
/// to this entry's.
pub(crate) fn append_history_after(
    tx: &Transaction<'_>,
    application_id: &str,
    h: &NewHistory,
    head: &mut history_chain::Hash,
) -> Result<i64, Error> {
    append_history_rows(tx, &[(application_id, h)], head)?;
    Ok(tx.last_insert_rowid())
}

/// A history entry as written: its columns, hashes as hex (issue 15: each entry carries
/// its content hash and its link to the entry before).
struct HistoryRow<'a> {
    application_id: &'a str,
    h: &'a NewHistory,
    at: String,
    details: String,
    content: String,
    chain: String,
}

const HISTORY_INSERT: &str = "INSERT INTO history (application_id, at, actor_iin, actor_name, kind, details, content_sha256, chain_sha256)";
const HISTORY_COLUMNS: usize = 8;
static HISTORY_ONE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| multi_row_sql(HISTORY_INSERT, HISTORY_COLUMNS, 1, ""));
static HISTORY_MANY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    multi_row_sql(HISTORY_INSERT, HISTORY_COLUMNS, ROWS_PER_INSERT, "")
});

/// Appends `entries` `(application id, entry)` in their order after the entry whose chain
/// hash is `head`, linking each to the one before; `head` moves on to the last one's. A
/// first pull's page appends its entries in a few statements (issue 12).
pub(crate) fn append_history_rows(
    tx: &Transaction<'_>,
    entries: &[(&str, &NewHistory)],
    head: &mut history_chain::Hash,
) -> Result<(), Error> {
    let rows: Vec<HistoryRow<'_>> = entries
        .iter()
        .map(|&(application_id, h)| {
            let at = format_time(h.at);
            let details = h.details.to_string();
            let content = history_chain::Content {
                application_id,
                at: &at,
                actor_iin: h.actor_iin.as_deref(),
                actor_name: h.actor_name.as_deref(),
                kind: &h.kind,
                details: &details,
            }
            .sha256();
            let chain = history_chain::link(head, &content);
            *head = chain;
            HistoryRow {
                application_id,
                h,
                at,
                details,
                content: history_chain::hex(&content),
                chain: history_chain::hex(&chain),
            }
        })
        .collect();
    let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
    if chunks.len() > 0 {
        let mut many = tx.prepare_cached(&HISTORY_MANY)?;
        for chunk in chunks.by_ref() {
            bind_rows(&mut many, chunk, bind_history)?;
        }
    }
    if !chunks.remainder().is_empty() {
        let mut one = tx.prepare_cached(&HISTORY_ONE)?;
        for row in chunks.remainder() {
            bind_rows(&mut one, std::slice::from_ref(row), bind_history)?;
        }
    }
    Ok(())
}

fn bind_history(
    stmt: &mut rusqlite::Statement<'_>,
    first: usize,
    r: &HistoryRow<'_>,
) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(first, r.application_id)?;
    stmt.raw_bind_parameter(first + 1, &r.at)?;
    stmt.raw_bind_parameter(first + 2, &r.h.actor_iin)?;
    stmt.raw_bind_parameter(first + 3, &r.h.actor_name)?;
    stmt.raw_bind_parameter(first + 4, &r.h.kind)?;
    stmt.raw_bind_parameter(first + 5, &r.details)?;
    stmt.raw_bind_parameter(first + 6, &r.content)?;
    stmt.raw_bind_parameter(first + 7, &r.chain)
}

/// A `sync_state` value, read on `conn` (or inside a transaction).
pub(crate) fn sync_value_in(conn: &Connection, key: &str) -> Result<Option<String>, Error> {
    Ok(conn
        .query_row(
            "SELECT value FROM sync_state WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )
        .optional()?)
}

/// `clerk_iin`: whose action this is (issue 16: pushed only under their portal session).
fn enqueue(
    tx: &Transaction<'_>,
    application_id: &str,
    o: &NewOutbox,
    clerk_iin: Option<&str>,
) -> Result<i64, Error> {
    let payload = o.payload.to_string();
    tx.prepare_cached(
        "INSERT INTO outbox (idempotency_key, application_id, kind, payload, signature, created_at, clerk_iin, request)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        o.idempotency_key,
        application_id,
        o.kind,
        payload,
        o.signature,
        format_time(o.created_at),
        clerk_iin,
        // The exact bytes every try sends (migration 0007, issue 12).
        payload.as_bytes()
    ])?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    /// Writes portal state (pull, demo data) in one transaction; rows keep no local mark.
    pub fn put_applications<'a>(
        &mut self,
        applications: impl IntoIterator<Item = (&'a Application, &'a [NewHistory])>,
    ) -> Result<usize, Error> {
        let tx = self.write_transaction()?;
        let mut n = 0;
        for (a, history) in applications {
            upsert_application(&tx, a, SyncMark::None)?;
            for h in history {
                append_history(&tx, &a.id.0, h)?;
            }
            n += 1;
        }
        tx.commit()?;
        Ok(n)
    }

    /// the change, its history entry and its outbox entry in one transaction; the
    /// row is marked "waiting to send" at once.
    pub fn record_local_action(&mut self, action: &LocalAction<'_>) -> Result<i64, Error> {
        self.record_local_action_after(action, &[], &[])
    }

    /// [`Store::record_local_action`] with acts the action depends on, each with its
    /// history entry and outbox entry, queued before it in the same transaction: the
    /// clerk's binding of the address to a micro-district before the submission that
    /// needs it (R-15…R-17). The push sends them first (order per application) and a
    /// refused binding holds the later entries back. `holds`: why the action's own entry
    /// waits (migration 0013: contacts not confirmed, data not checked against the
    /// register). Returns the action's `seq`.
    pub fn record_local_action_after(
        &mut self,
        action: &LocalAction<'_>,
        before: &[(NewHistory, NewOutbox)],
        holds: &[&str],
    ) -> Result<i64, Error> {
        let tx = self.write_transaction()?;
        let seq = record_in(&tx, action, before, holds)?;
        tx.commit()?;
        Ok(seq)
    }

    /// Replaces the reference data (districts, schools and places, micro-districts, staff).
    pub fn put_reference(&mut self, r: &Reference) -> Result<(), Error> {
        let tx = self.write_transaction()?;
        for (id, kk, ru) in &r.districts {
            tx.execute(
                "INSERT INTO district(id, name_kk, name_ru) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET name_kk = excluded.name_kk, name_ru = excluded.name_ru",
                params![id, kk, ru],
            )?;
        }
        for s in &r.schools {
            tx.execute(
                "INSERT INTO school(id, district_id, name_kk, name_ru, address_kk, address_ru) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET district_id = excluded.district_id, name_kk = excluded.name_kk,
                   name_ru = excluded.name_ru, address_kk = excluded.address_kk, address_ru = excluded.address_ru",
                params![s.id.0, s.district_id, s.name_kk, s.name_ru, s.address_kk, s.address_ru],
            )?;
            for p in &s.places {
                tx.execute(
                    "INSERT INTO school_places(school_id, grade, language, capacity, taken) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(school_id, grade, language) DO UPDATE SET capacity = excluded.capacity, taken = excluded.taken",
                    params![p.school.0, p.grade.get(), p.language.as_str(), p.capacity, p.taken],
                )?;
            }
        }
        for (id, school, kk, ru) in &r.micro_districts {
            tx.execute(
                "INSERT INTO micro_district(id, school_id, name_kk, name_ru) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(id) DO UPDATE SET school_id = excluded.school_id, name_kk = excluded.name_kk, name_ru = excluded.name_ru",
                params![id.0, school.0, kk, ru],
            )?;
        }
        for s in &r.staff {
            tx.execute(
                "INSERT INTO staff(iin, surname, given, patronymic, school_id, email) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(iin) DO UPDATE SET surname = excluded.surname, given = excluded.given,
                   patronymic = excluded.patronymic, school_id = excluded.school_id, email = excluded.email",
                params![
                    s.iin.to_string(),
                    s.name.surname.as_str(),
                    s.name.given.as_str(),
                    s.name.patronymic.as_ref().map(PersonName::as_str),
                    s.school.0,
                    s.email
                ],
            )?;
        }
        for (i, code) in RejectReasonCode::ALL.iter().enumerate() {
            tx.execute(
                "INSERT INTO reject_reason(code, label_kk, label_ru, position) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(code) DO UPDATE SET label_kk = excluded.label_kk, label_ru = excluded.label_ru, position = excluded.position",
                params![code.as_str(), code.label(Lang::Kk), code.label(Lang::Ru), i as i64],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// One application with its local sync mark and the portal's refusal (code, message), if any.
    pub fn application(&self, id: &str) -> Result<StoredApplication, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT * FROM application WHERE id = ?1")?;
        let found = stmt
            .query_row(params![id], |row| {
                Ok((read_application(row), read_mark(row)))
            })
            .optional()?;
        let (application, mark) =
            found.ok_or_else(|| Error::ApplicationNotFound { id: id.to_string() })?;
        let mut application = application?;
        application.documents = self
            .documents(id)?
            .into_iter()
            .map(|d| DocumentMeta {
                id: d.id,
                kind: d.kind,
                file_name: d.file_name,
                media_type: d.media_type,
                size: d.size,
                sha256: d.sha256,
            })
            .collect();
        let mark = mark?;
        Ok((application, mark.0, mark.1))
    }

    /// The statuses of every application of a child, for.
    pub fn statuses_of_child(&self, child: &Iin) -> Result<Vec<(String, Status)>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, status FROM application WHERE child_iin = ?1")?;
        let rows = stmt.query_map(params![child.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        rows.map(|r| {
            let (id, s) = r?;
            let status = Status::parse(&s).map_err(|_| Error::Damaged {
                what: format!("status {s:?}"),
            })?;
            Ok((id, status))
        })
        .collect()
    }

    pub fn history(&self, application_id: &str) -> Result<Vec<HistoryRecord>, Error> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, application_id, at, actor_iin, actor_name, kind, details FROM history WHERE application_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![application_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get::<_, String>(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        rows.map(|r| {
            let (id, application_id, at, actor_iin, actor_name, kind, details) = r?;
            Ok(HistoryRecord {
                id,
                application_id,
                at: parse_time(&at)?,
                actor_iin,
                actor_name,
                kind,
                details: serde_json::from_str(&details).map_err(|_| Error::Damaged {
                    what: "history details".into(),
                })?,
            })
        })
        .collect()
    }

    /// Outbox entries not yet accepted or refused by the portal, oldest first.
    pub fn pending_outbox(&self, limit: u32) -> Result<Vec<OutboxEntry>, Error> {
        self.outbox_where("state = 'pending' ORDER BY seq LIMIT ?1", params![limit])
    }

    /// The pending entries `clerk` may push under their own portal session (issue 16):
    /// theirs, and those that name no clerk. Another clerk's entries wait for them.
    pub fn pending_outbox_of(&self, clerk: &str, limit: u32) -> Result<Vec<OutboxEntry>, Error> {
        self.outbox_where(
            "state = 'pending' AND (clerk_iin = ?1 OR clerk_iin IS NULL) ORDER BY seq LIMIT ?2",
            params![clerk, limit],
        )
    }

    pub(crate) fn outbox_where(
        &self,
        condition: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<OutboxEntry>, Error> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT seq, idempotency_key, application_id, kind, payload, signature, created_at, state, attempts,
                    next_attempt_at, last_error, response, clerk_iin
             FROM outbox WHERE {condition}"
        ))?;
        let rows = stmt.query_map(params, |r| {
            Ok((
                (
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ),
                (
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<Vec<u8>>>(5)?,
                    r.get::<_, String>(6)?,
                ),
                (
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, Option<String>>(9)?,
                ),
                (
                    r.get::<_, Option<String>>(10)?,
                    r.get::<_, Option<String>>(11)?,
                    r.get::<_, Option<String>>(12)?,
                ),
            ))
        })?;
        rows.map(|r| {
            let (
                (seq, idempotency_key, application_id, kind),
                (payload, signature, created_at),
                (state, attempts, next),
                (last_error, response, clerk_iin),
            ) = r?;
            Ok(OutboxEntry {
                seq,
                idempotency_key,
                application_id,
                kind,
                payload: serde_json::from_str(&payload).map_err(|_| Error::Damaged {
                    what: "outbox payload".into(),
                })?,
                signature,
                created_at: parse_time(&created_at)?,
                state,
                attempts,
                next_attempt_at: next.as_deref().map(parse_time).transpose()?,
                last_error,
                response,
                clerk_iin,
            })
        })
        .collect()
    }

    pub fn sync_value(&self, key: &str) -> Result<Option<String>, Error> {
        sync_value_in(self.conn(), key)
    }

    pub fn set_sync_value(&mut self, key: &str, value: &str) -> Result<(), Error> {
        self.write_conn()?.execute(
            "INSERT INTO sync_state(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// The districts and cities of the region as `(id, name_kk, name_ru)`, by id:
    /// the sign-in form's list, from the portal's last reference.
    pub fn districts(&self) -> Result<Vec<(String, String, String)>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name_kk, name_ru FROM district ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn schools(&self) -> Result<Vec<crate::SchoolRecord>, Error> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, district_id, name_kk, name_ru, address_kk, address_ru FROM school ORDER BY id",
        )?;
        let mut schools: Vec<crate::SchoolRecord> = stmt
            .query_map([], |r| {
                Ok(crate::SchoolRecord {
                    id: SchoolId(r.get(0)?),
                    district_id: r.get(1)?,
                    name_kk: r.get(2)?,
                    name_ru: r.get(3)?,
                    address_kk: r.get(4)?,
                    address_ru: r.get(5)?,
                    places: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut places = self.conn().prepare_cached(
            "SELECT grade, language, capacity, taken FROM school_places WHERE school_id = ?1 ORDER BY grade, language",
        )?;
        for s in &mut schools {
            let rows = places.query_map(params![s.id.0], |r| {
                Ok((
                    r.get::<_, u8>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, u32>(3)?,
                ))
            })?;
            for row in rows {
                let (grade, language, capacity, taken) = row?;
                s.places.push(domain::rules::Places {
                    school: s.id.clone(),
                    grade: Grade::new(grade).map_err(|_| Error::Damaged {
                        what: "grade".into(),
                    })?,
                    language: InstructionLanguage::parse(&language).map_err(|_| {
                        Error::Damaged {
                            what: "language".into(),
                        }
                    })?,
                    capacity,
                    taken,
                });
            }
        }
        Ok(schools)
    }

    pub fn staff(&self, iin: &Iin) -> Result<Option<crate::StaffRecord>, Error> {
        let row = self
            .conn()
            .query_row(
                "SELECT surname, given, patronymic, school_id, email FROM staff WHERE iin = ?1",
                params![iin.to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(surname, given, patronymic, school, email)| {
            Ok(crate::StaffRecord {
                iin: *iin,
                name: FullName {
                    surname: name(&surname)?,
                    given: name(&given)?,
                    patronymic: patronymic.as_deref().map(name).transpose()?,
                },
                school: SchoolId(school),
                email,
            })
        })
        .transpose()
    }

    pub fn any_staff(&self) -> Result<Option<crate::StaffRecord>, Error> {
        let iin: Option<String> = self
            .conn()
            .query_row("SELECT iin FROM staff ORDER BY iin LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        match iin {
            Some(s) => self.staff(&parse_iin(&s)?),
            None => Ok(None),
        }
    }
}

pub(crate) fn damaged(what: &str) -> impl Fn(domain::Error) -> Error + '_ {
    move |e| Error::Damaged {
        what: format!("{what}: {e}"),
    }
}

fn name(s: &str) -> Result<PersonName, Error> {
    PersonName::parse(s).map_err(damaged("name"))
}

fn parse_iin(s: &str) -> Result<Iin, Error> {
    Iin::parse(s).map_err(damaged("iin"))
}

fn read_mark(row: &Row<'_>) -> Result<(SyncMark, Option<(String, String)>), Error> {
    let mark: String = row.get("sync_mark")?;
    let mark = SyncMark::parse(&mark).ok_or_else(|| Error::Damaged {
        what: "sync mark".into(),
    })?;
    let code: Option<String> = row.get("refusal_code")?;
    let message: Option<String> = row.get("refusal_message")?;
    Ok((mark, code.map(|c| (c, message.unwrap_or_default()))))
}

/// Reads a row back into the domain type, parsing every value again: the database is
/// an edge too, and a damaged row is reported, not trusted.
fn read_application(row: &Row<'_>) -> Result<Application, Error> {
    let s = |col: &str| -> Result<String, Error> { Ok(row.get::<_, String>(col)?) };
    let o = |col: &str| -> Result<Option<String>, Error> { Ok(row.get::<_, Option<String>>(col)?) };
    let full_name = |prefix: &str| -> Result<FullName, Error> {
        Ok(FullName {
            surname: name(&s(&format!("{prefix}_surname"))?)?,
            given: name(&s(&format!("{prefix}_given"))?)?,
            patronymic: o(&format!("{prefix}_patronymic"))?
                .as_deref()
                .map(name)
                .transpose()?,
        })
    };
    let date = |v: Option<String>| -> Result<Option<Date>, Error> {
        v.map(|d| {
            Date::parse(
                &d,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|_| Error::Damaged {
                what: format!("date {d:?}"),
            })
        })
        .transpose()
    };
    let temporary_registration = match (
        o("temp_address")?,
        date(o("temp_from")?)?,
        date(o("temp_until")?)?,
    ) {
        (Some(addr), Some(from), Some(until)) => Some(
            TemporaryRegistration::new(&addr, from, until)
                .map_err(damaged("temporary registration"))?,
        ),
        _ => None,
    };
    let reject_reason = match o("reject_code")? {
        Some(code) => Some(
            RejectReason::new(
                RejectReasonCode::parse(&code).map_err(damaged("reject code"))?,
                o("reject_text")?.as_deref(),
            )
            .map_err(damaged("reject reason"))?,
        ),
        None => None,
    };
    Ok(Application {
        id: ApplicationId(s("id")?),
        number: ApplicationNumber::parse(&s("number")?).map_err(damaged("number"))?,
        submitted_at: parse_time(&s("submitted_at")?)?,
        applicant: Applicant {
            iin: parse_iin(&s("applicant_iin")?)?,
            name: full_name("applicant")?,
        },
        child: Child {
            iin: parse_iin(&s("child_iin")?)?,
            name: full_name("child")?,
            birth_certificate: s("child_birth_cert")?,
            registered_address: Address {
                id: o("registered_address_id")?,
                full: s("registered_address")?,
                micro_district: o("micro_district_id")?.map(MicroDistrictId),
            },
        },
        contacts: Contacts {
            phone: Phone::parse(&s("phone")?).map_err(damaged("phone"))?,
            extra_phone: o("extra_phone")?
                .as_deref()
                .map(Phone::parse)
                .transpose()
                .map_err(damaged("phone"))?,
            email: o("email")?
                .as_deref()
                .map(Email::parse)
                .transpose()
                .map_err(damaged("email"))?,
        },
        actual_address: o("actual_address")?,
        temporary_registration,
        school: SchoolId(s("school_id")?),
        grade: Grade::new(row.get::<_, u8>("grade")?).map_err(damaged("grade"))?,
        language: InstructionLanguage::parse(&s("language")?).map_err(damaged("language"))?,
        documents: Vec::new(),
        consents: Consents {
            admission_rules: row.get("consent_rules")?,
            portal_terms: row.get("consent_terms")?,
            personal_data: row.get("consent_personal")?,
            notifications: o("notify_lang")?.as_deref().and_then(Lang::from_code),
            notification_channel: o("notify_channel")?
                .as_deref()
                .and_then(NotificationChannel::parse),
        },
        status: Status::parse(&s("status")?).map_err(damaged("status"))?,
        version: row.get("version")?,
        reject_reason,
        on_behalf: row.get("on_behalf")?,
    })
}

impl Store {
    /// The Kazakh and Russian names of a micro-district.
    pub fn micro_district_names(&self, id: &str) -> Result<Option<(String, String)>, Error> {
        Ok(self
            .conn()
            .query_row(
                "SELECT name_kk, name_ru FROM micro_district WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

impl Store {
    /// The next provisional number's sequence (R-33: numbers for applications entered
    /// offline), counted in the database so it never repeats on this desk.
    pub fn next_provisional_seq(&mut self) -> Result<u32, Error> {
        let tx = self.write_transaction()?;
        let current: Option<String> = tx
            .query_row(
                "SELECT value FROM sync_state WHERE key = 'provisional_seq'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let next = current.and_then(|v| v.parse::<u32>().ok()).unwrap_or(0) + 1;
        tx.execute(
            "INSERT INTO sync_state(key, value) VALUES ('provisional_seq', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![next.to_string()],
        )?;
        tx.commit()?;
        Ok(next)
    }
}

impl Store {
    /// Every outbox entry of an application, sent or not, oldest first.
    pub fn outbox_for(&self, application_id: &str) -> Result<Vec<OutboxEntry>, Error> {
        self.outbox_where("application_id = ?1 ORDER BY seq", params![application_id])
    }
}

impl Store {
    /// Every micro-district of the reference list with its school (R-16: the clerk
    /// picks one for an address that has none), ordered by id.
    pub fn micro_districts(
        &self,
    ) -> Result<Vec<(MicroDistrictId, SchoolId, String, String)>, Error> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, school_id, name_kk, name_ru FROM micro_district ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                MicroDistrictId(r.get(0)?),
                SchoolId(r.get(1)?),
                r.get(2)?,
                r.get(3)?,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// [`Store::record_local_action_after`] inside the caller's transaction (also the
/// corrected submission's, `corrections.rs`).
pub(crate) fn record_in(
    tx: &Transaction<'_>,
    action: &LocalAction<'_>,
    before: &[(NewHistory, NewOutbox)],
    holds: &[&str],
) -> Result<i64, Error> {
    let id = &action.application.id.0;
    upsert_application(tx, action.application, SyncMark::Waiting)?;
    tx.execute(
        "UPDATE application SET refusal_code = NULL, refusal_message = NULL WHERE id = ?1",
        params![id],
    )?;
    for (history, outbox) in before {
        append_history(tx, id, history)?;
        enqueue(tx, id, outbox, history.actor_iin.as_deref())?;
    }
    append_history(tx, id, &action.history)?;
    // The outbox entry belongs to the clerk who acted (the history entry's actor).
    let seq = enqueue(tx, id, &action.outbox, action.history.actor_iin.as_deref())?;
    for reason in holds {
        Store::hold_in(tx, seq, reason, action.outbox.created_at)?;
    }
    for a in &action.attachments {
        documents::keep(tx, id, &a.meta, &a.content)?;
    }
    if !action.attachments.is_empty() {
        documents::recount(tx, id)?;
    }
    Ok(seq)
}
