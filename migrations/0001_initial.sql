-- 0001: the local replica of the school's journal (R-4, R-5) and everything done offline (R-33).
-- Never edit once landed: add a new numbered file instead (the store refuses edited migrations).

CREATE TABLE district (
    id      TEXT PRIMARY KEY,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL
) STRICT;

CREATE TABLE school (
    id          TEXT PRIMARY KEY,
    district_id TEXT REFERENCES district(id),
    name_kk     TEXT NOT NULL,
    name_ru     TEXT NOT NULL,
    address_kk  TEXT NOT NULL,
    address_ru  TEXT NOT NULL
) STRICT;

-- R-12: free places per class and language of instruction.
CREATE TABLE school_places (
    school_id TEXT    NOT NULL REFERENCES school(id),
    grade     INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 11),
    language  TEXT    NOT NULL CHECK (language IN ('kk', 'ru')),
    capacity  INTEGER NOT NULL CHECK (capacity >= 0),
    taken     INTEGER NOT NULL CHECK (taken >= 0),
    PRIMARY KEY (school_id, grade, language)
) STRICT;

CREATE TABLE micro_district (
    id        TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES school(id),
    name_kk   TEXT NOT NULL,
    name_ru   TEXT NOT NULL
) STRICT;

-- R-7: the reject-reason catalogue as the portal publishes it.
CREATE TABLE reject_reason (
    code     TEXT PRIMARY KEY,
    label_kk TEXT NOT NULL,
    label_ru TEXT NOT NULL,
    position INTEGER NOT NULL
) STRICT;

-- R-1: staff of the school known to this desk (no passwords are stored here).
CREATE TABLE staff (
    iin        TEXT PRIMARY KEY CHECK (length(iin) = 12),
    surname    TEXT NOT NULL,
    given      TEXT NOT NULL,
    patronymic TEXT,
    school_id  TEXT NOT NULL REFERENCES school(id),
    email      TEXT
) STRICT;

CREATE TABLE application (
    id                   TEXT PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    provisional          INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1)),
    status               TEXT NOT NULL CHECK (status IN ('new', 'under_review', 'accepted', 'rejected', 'withdrawn')),
    version              INTEGER NOT NULL CHECK (version >= 0),
    submitted_at         TEXT NOT NULL,  -- RFC 3339 in UTC: sorts as text
    submitted_day        TEXT NOT NULL,  -- YYYY-MM-DD in the office's time zone, for date filters
    school_id            TEXT NOT NULL,
    grade                INTEGER NOT NULL,
    language             TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    micro_district_id    TEXT,
    child_iin            TEXT NOT NULL CHECK (length(child_iin) = 12),
    child_surname        TEXT NOT NULL,
    child_given          TEXT NOT NULL,
    child_patronymic     TEXT,
    child_search         TEXT NOT NULL,  -- lower-cased "surname given patronymic" for prefix search
    child_birth_cert     TEXT NOT NULL,
    registered_address_id TEXT,
    registered_address   TEXT NOT NULL,
    applicant_iin        TEXT NOT NULL CHECK (length(applicant_iin) = 12),
    applicant_surname    TEXT NOT NULL,
    applicant_given      TEXT NOT NULL,
    applicant_patronymic TEXT,
    phone                TEXT NOT NULL,
    extra_phone          TEXT,
    email                TEXT,
    actual_address       TEXT,
    temp_address         TEXT,
    temp_from            TEXT,
    temp_until           TEXT,
    consent_rules        INTEGER NOT NULL,
    consent_terms        INTEGER NOT NULL,
    consent_personal     INTEGER NOT NULL,
    notify_lang          TEXT,
    reject_code          TEXT,
    reject_text          TEXT,
    on_behalf            INTEGER NOT NULL DEFAULT 0,
    -- R-33: what the portal does not know yet, or refused.
    sync_mark            TEXT NOT NULL DEFAULT 'none' CHECK (sync_mark IN ('none', 'waiting', 'refused')),
    refusal_code         TEXT,
    refusal_message      TEXT
) STRICT;

CREATE TABLE document (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES application(id),
    kind           TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size >= 0),
    sha256         TEXT NOT NULL,
    content        BLOB,            -- cached bytes; NULL until downloaded
    generated      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX document_by_application ON document(application_id);

-- R-5: the whole history of an application. Append-only.
CREATE TABLE history (
    id             INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES application(id),
    at             TEXT NOT NULL,
    actor_iin      TEXT,
    actor_name     TEXT,
    kind           TEXT NOT NULL,
    details        TEXT NOT NULL DEFAULT '{}'   -- JSON object
) STRICT;
CREATE INDEX history_by_application ON history(application_id, id);
CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- R-33: every local action waits here until the portal has it, exactly once.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    application_id  TEXT NOT NULL REFERENCES application(id),
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,     -- JSON: what is sent
    signature       BLOB,              -- CMS SignedData over the canonical payload
    created_at      TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error      TEXT,
    response        TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox(state, seq);

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
