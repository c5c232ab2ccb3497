use crate::views::{Catalogue, CatalogueEntry};
use domain::{DocumentKind, ErrorCode, InstructionLanguage, Lang, RejectReasonCode, Status};

fn entry(key: &str, text: impl Fn(Lang) -> String) -> CatalogueEntry {
    CatalogueEntry {
        key: key.to_string(),
        kk: text(Lang::Kk),
        ru: text(Lang::Ru),
    }
}

/// Sync marks: keys of `sync-mark-<key>` in desk.ftl.
const SYNC_MARKS: &[&str] = &["none", "waiting", "refused"];

/// Kinds of history entries: keys of `history-kind-<key>` in desk.ftl.
pub const HISTORY_KINDS: &[&str] = &[
    "submitted",
    "submitted_on_behalf",
    "taken_for_review",
    "accepted",
    "rejected",
    "withdrawn",
    "sent_to_portal",
    "refused_by_portal",
    "number_assigned",
    "changed_on_portal",
    // The walk-in wizard and the portal (issue 11).
    "micro_district_binding",
    "micro_district_bound",
    "register_checked",
    "register_differs",
    "register_difference_kept",
    "contact_confirmed",
    // A held walk-in corrected and signed again (issue 11).
    "submission_corrected",
];

/// Codes of the store and desk, which have no detail worth more than their text; each
/// is a message id of desk.ftl.
const OTHER_ERRORS: &[&str] = &[
    // The walk-in wizard and the portal (issue 11).
    "CONTACT_CODE_INCORRECT",
    "CONTACT_CODE_EXPIRED",
    "CONTACT_CODE_ATTEMPTS",
    "CONTACT_CODE_WAIT",
    "CONTACT_CODE_NOT_SENT",
    "PERSON_NOT_IN_REGISTER",
    "PORTAL_OFFLINE_MANUAL",
    "HOLD_NOT_FOUND",
    "REGISTER_DIFFERS",
    // A held walk-in corrected and signed again (issue 11).
    "REGISTER_PERSON_MISSING",
    "DB_NOT_A_DATABASE",
    "DB_CORRUPT",
    "DB_NEWER_THAN_APP",
    "DB_MIGRATION_EDITED",
    "DB_IO",
    "DB_DISK_FULL",
    "FILE_NOT_WRITTEN",
    "FILE_DISK_FULL",
    "DB_DAMAGED",
    "DB_ERROR",
    "APPLICATION_NOT_FOUND",
    "DOCUMENT_NOT_FOUND",
    "NO_FREE_PLACES",
    "INVALID_INPUT",
    "DOCUMENT_UNREADABLE",
    "FILE_NOT_REGULAR",
    "FILE_TOO_LARGE",
    "DOCUMENT_TYPE_UNSUPPORTED",
    "FILE_HANDLE_UNKNOWN",
    "SCHOOL_UNKNOWN",
    "RECEIPT_NOT_AVAILABLE",
    "RECEIPT_MISMATCH",
    "APPLICATION_PROVISIONAL",
    "LOCKED",
    "DISTRICT_REQUIRED",
    "PASSWORD_EMPTY",
    "OFFLINE_SIGN_IN_UNAVAILABLE",
    "CODE_INCORRECT",
    "CODE_EXPIRED",
    "CODE_ATTEMPTS_EXCEEDED",
    "EMAIL_STEP_MISSING",
    "NOT_SIGNED_IN",
    "DOCUMENT_NOT_CACHED",
    "BAD_QUERY",
    "DB_WRONG_KEY",
    "VAULT_WRONG_PASSWORD",
    "VAULT_WAIT",
    "VAULT_NOT_ENROLLED",
    "VAULT_PASSWORD_CHANGED",
    "VAULT_KEY_HELD_BY_OTHERS",
    "VAULT_KEYS_MISSING",
    "VAULT_KEYS_DAMAGED",
    "VAULT_KEYS_NEWER",
    "ACCOUNT_LOCKED",
    "ACCOUNT_REVOKED",
    "EDS_NOT_AUTHENTICATION_KEY",
    "EDS_CHALLENGE_INVALID",
    "EDS_SIGNER_UNKNOWN",
    "EDS_REFUSED",
    "EDS_PASSWORD_NEEDED",
    "EDS_NOT_THIS_CLERK",
    "UNKNOWN",
    // Settings, configuration file, PKCS#11 modules, backups (issue 13).
    "SETTING_INVALID",
    "SETTINGS_FILE_INVALID",
    "SETTINGS_FILE_NEWER",
    "SETTINGS_FILE_UNWRITABLE",
    "PKCS11_MODULE_UNKNOWN",
    "PKCS11_MODULE_REFUSED",
    "PORTAL_TLS_FAILED",
    "FIRST_RUN_REQUIRED",
    "RESTORE_NOT_NEEDED",
    "BACKUP_NOT_FOUND",
    "RESTORE_SOURCE_INVALID",
    // The window's own (src-tauri).
    "CACHE_DIR_MISSING",
];

/// The kk/ru text of any error code; unknown codes get the generic text.
pub fn error_text(code: &str, lang: Lang) -> &'static str {
    if let Some(c) = ErrorCode::ALL.iter().find(|c| c.as_str() == code) {
        return c.text(lang);
    }
    let id = OTHER_ERRORS
        .iter()
        .find(|c| **c == code)
        .copied()
        .unwrap_or("UNKNOWN");
    i18n::static_text(lang, id)
}

/// The text of a code with its variables (a file's path, a district's name).
pub fn error_text_with(code: &str, lang: Lang, args: &[(&str, i18n::Arg<'_>)]) -> String {
    i18n::text_with(lang, code, args)
}

/// A waiting time after wrong passwords, in words: "… Wait 40 seconds." (issue 16).
pub fn wait_text(code: &str, seconds: u64, lang: Lang) -> String {
    let wait = i18n::text_with(
        lang,
        "wait-before-retry",
        &[
            ("minutes", (seconds / 60).into()),
            ("seconds", (seconds % 60).into()),
        ],
    );
    format!("{} {wait}", error_text(code, lang))
}

/// Every label that comes from the rules, in both languages, for the UI.
pub fn catalogue() -> Catalogue {
    let table = |prefix: &str, keys: &[&str]| {
        keys.iter()
            .map(|k| entry(k, |l| i18n::text(l, &format!("{prefix}-{k}"))))
            .collect()
    };
    let mut errors: Vec<CatalogueEntry> = ErrorCode::ALL
        .iter()
        .map(|c| entry(c.as_str(), |l| c.text(l).to_string()))
        .collect();
    errors.extend(OTHER_ERRORS.iter().map(|k| entry(k, |l| i18n::text(l, k))));
    Catalogue {
        statuses: Status::ALL
            .iter()
            .map(|s| entry(s.as_str(), |l| s.label(l).to_string()))
            .collect(),
        sync_marks: table("sync-mark", SYNC_MARKS),
        reject_reasons: RejectReasonCode::ALL
            .iter()
            .map(|c| entry(c.as_str(), |l| c.label(l).to_string()))
            .collect(),
        document_kinds: DocumentKind::ALL
            .iter()
            .map(|k| entry(k.as_str(), |l| k.label(l).to_string()))
            .collect(),
        languages: InstructionLanguage::ALL
            .iter()
            .map(|k| entry(k.as_str(), |l| k.label(l).to_string()))
            .collect(),
        notification_channels: domain::NotificationChannel::ALL
            .iter()
            .map(|c| {
                entry(c.as_str(), |l| {
                    i18n::text(l, &format!("notification-channel-{}", c.as_str()))
                })
            })
            .collect(),
        history_kinds: table("history-kind", HISTORY_KINDS),
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_the_desk_can_give_has_text() {
        let cat = catalogue();
        let keys: std::collections::BTreeSet<&str> =
            cat.errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys.len(), cat.errors.len(), "no duplicate keys");
        for code in [
            "DB_NOT_A_DATABASE",
            "DB_CORRUPT",
            "DB_NEWER_THAN_APP",
            "DB_MIGRATION_EDITED",
            "DB_IO",
            "DB_DISK_FULL",
            "DB_DAMAGED",
            "DB_ERROR",
            "APPLICATION_NOT_FOUND",
            "DOCUMENT_NOT_FOUND",
            "BAD_QUERY",
            "IIN_CHECK_DIGIT",
        ] {
            assert!(keys.contains(code), "{code} has no text");
        }
        for e in &cat.errors {
            assert!(
                !e.kk.is_empty() && !e.ru.is_empty() && e.kk != e.ru,
                "{}",
                e.key
            );
        }
    }

    #[test]
    fn every_id_the_desk_asks_for_is_in_both_catalogues() {
        let ids = SYNC_MARKS
            .iter()
            .map(|k| format!("sync-mark-{k}"))
            .chain(HISTORY_KINDS.iter().map(|k| format!("history-kind-{k}")))
            .chain(
                domain::NotificationChannel::ALL
                    .iter()
                    .map(|c| format!("notification-channel-{}", c.as_str())),
            )
            .chain(OTHER_ERRORS.iter().map(|c| c.to_string()))
            .chain(["DISTRICT_MISMATCH", "wait-before-retry"].map(String::from));
        for id in ids {
            assert!(i18n::has(&id), "{id} is not in desk.ftl");
        }
    }

    #[test]
    fn a_wait_reads_in_minutes_and_seconds_with_russian_plurals() {
        let ru = |s| wait_text("VAULT_WAIT", s, Lang::Ru);
        assert!(ru(1).ends_with("подождите 1 секунду."), "{}", ru(1));
        assert!(ru(3).ends_with("подождите 3 секунды."), "{}", ru(3));
        assert!(ru(40).ends_with("подождите 40 секунд."), "{}", ru(40));
        assert!(ru(60).ends_with("подождите 1 минуту."), "{}", ru(60));
        assert!(
            ru(125).ends_with("подождите 2 минуты 5 секунд."),
            "{}",
            ru(125)
        );
        assert!(
            ru(21 * 60 + 21).ends_with("21 минуту 21 секунду."),
            "{}",
            ru(1281)
        );
        let kk = |s| wait_text("VAULT_WAIT", s, Lang::Kk);
        assert!(kk(40).ends_with("дейін 40 секунд күтіңіз."), "{}", kk(40));
        assert!(kk(60).ends_with("дейін 1 минут күтіңіз."), "{}", kk(60));
        assert!(
            kk(125).ends_with("дейін 2 минут 5 секунд күтіңіз."),
            "{}",
            kk(125)
        );
        assert!(kk(5).starts_with(error_text("VAULT_WAIT", Lang::Kk)));
    }
}
