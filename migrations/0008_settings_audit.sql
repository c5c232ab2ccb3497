-- 0008: every change made on the settings screen (issue 13): who, when, which setting,
-- the value before and after. Append-only like `history`: a school's IT person reads
-- here who pointed the desk at another portal or token module.

CREATE TABLE settings_audit (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    changed_at TEXT NOT NULL,
    clerk_iin  TEXT NOT NULL,
    setting    TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT
) STRICT;

CREATE TRIGGER settings_audit_no_update BEFORE UPDATE ON settings_audit
BEGIN
    SELECT RAISE(ABORT, 'settings_audit is append-only');
END;

CREATE TRIGGER settings_audit_no_delete BEFORE DELETE ON settings_audit
BEGIN
    SELECT RAISE(ABORT, 'settings_audit is append-only');
END;
