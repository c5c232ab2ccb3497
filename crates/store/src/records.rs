//! What the store reads and writes besides [`domain::Application`].

use domain::{Application, DocumentKind, MicroDistrictId, SchoolId};
use time::OffsetDateTime;

/// Whether the portal has what the journal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncMark {
    /// The portal has it.
    None,
    /// A local action waits in the outbox.
    Waiting,
    /// The portal refused the last local action; its message is on the application.
    Refused,
}

impl SyncMark {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncMark::None => "none",
            SyncMark::Waiting => "waiting",
            SyncMark::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<SyncMark> {
        match s {
            "none" => Some(SyncMark::None),
            "waiting" => Some(SyncMark::Waiting),
            "refused" => Some(SyncMark::Refused),
            _ => None,
        }
    }
}

/// An entry of an application's history, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    pub id: i64,
    pub application_id: String,
    pub at: OffsetDateTime,
    pub actor_iin: Option<String>,
    pub actor_name: Option<String>,
    pub kind: String,
    /// A JSON object with the facts of the change.
    pub details: serde_json::Value,
}

/// A history entry to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewHistory {
    pub at: OffsetDateTime,
    pub actor_iin: Option<String>,
    pub actor_name: Option<String>,
    pub kind: String,
    pub details: serde_json::Value,
}

/// An outbox entry to enqueue: what to send, signed, with its idempotency key.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutbox {
    pub idempotency_key: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub signature: Option<Vec<u8>>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub seq: i64,
    pub idempotency_key: String,
    pub application_id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub signature: Option<Vec<u8>>,
    pub created_at: OffsetDateTime,
    /// `pending`, `sent` or `refused`.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: Option<OffsetDateTime>,
    pub last_error: Option<String>,
    /// The portal's answer (JSON) once it came.
    pub response: Option<String>,
    /// The clerk whose action made it (issue 16); `None` for entries of older journals
    /// that named nobody.
    pub clerk_iin: Option<String>,
}

/// One local action: the changed application, its history entry, its outbox entry and
/// the documents it made (e.g. the `.p7s` of a signed decision), written together or not
/// at all.
#[derive(Debug, Clone)]
pub struct LocalAction<'a> {
    pub application: &'a Application,
    pub history: NewHistory,
    pub outbox: NewOutbox,
    pub attachments: Vec<Attachment>,
}

/// A document made by a local action, with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub meta: domain::DocumentMeta,
    pub content: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    pub id: String,
    pub application_id: String,
    pub kind: DocumentKind,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub cached: bool,
    pub generated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolRecord {
    pub id: SchoolId,
    pub district_id: Option<String>,
    pub name_kk: String,
    pub name_ru: String,
    pub address_kk: String,
    pub address_ru: String,
    pub places: Vec<domain::rules::Places>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    pub iin: domain::Iin,
    pub name: domain::FullName,
    pub school: SchoolId,
    pub email: Option<String>,
}

/// Reference data refreshed from the portal.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub districts: Vec<(String, String, String)>,
    pub schools: Vec<SchoolRecord>,
    pub micro_districts: Vec<(MicroDistrictId, SchoolId, String, String)>,
    pub staff: Vec<StaffRecord>,
}
