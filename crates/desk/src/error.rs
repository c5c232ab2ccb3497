use domain::Lang;
use serde::Serialize;
use ts_rs::TS;

/// Every error a desk use case can give. The UI shows text chosen by [`Error::code`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] store::Error),
    #[error(transparent)]
    Domain(#[from] domain::Error),
    #[error(transparent)]
    Signing(#[from] signing::Error),
    /// NCALayer did not sign, or what it returned was refused (issue 14).
    #[error(transparent)]
    NcaLayer(#[from] signing::NcaLayerError),
    #[error("bad query: {field} {reason}")]
    BadQuery { field: &'static str, reason: String },
    #[error("the school has no free places left for this class and language")]
    NoFreePlaces,
    #[error("some fields are wrong: {}", fields.iter().map(|(f, e)| format!("{f}: {e}")).collect::<Vec<_>>().join("; "))]
    Invalid {
        fields: Vec<(String, domain::Error)>,
    },
    #[error("cannot read the file {file_name}: {detail}")]
    DocumentUnreadable { file_name: String, detail: String },
    #[error("{file_name} is not a regular file (a folder, a device or a pipe)")]
    FileNotRegular { file_name: String },
    #[error("{file_name} is bigger than {limit} bytes")]
    FileTooLarge { file_name: String, limit: u64 },
    #[error("{file_name} is not a JPEG, PNG or PDF file (whatever its name says)")]
    DocumentTypeUnsupported { file_name: String },
    #[error("the chosen file is no longer known to this window: choose it again")]
    FileHandleUnknown,
    /// A file for the clerk (a receipt, a saved document) that could not be written;
    /// `disk_full` when the disk said so. Nothing half-written is left (issue 15).
    #[error("cannot write {path}: {detail}")]
    FileNotWritten {
        path: String,
        detail: String,
        disk_full: bool,
    },
    #[error("school {id} is not in the reference list")]
    SchoolUnknown { id: String },
    #[error(transparent)]
    Receipt(#[from] receipts::Error),
    #[error("no receipt for an application in status {status}")]
    ReceiptNotAvailable { status: &'static str },
    #[error("the receipt does not match the journal: {what}")]
    ReceiptMismatch { what: &'static str },
    #[error("the application has a provisional number: the portal does not have it yet")]
    ApplicationProvisional,
    #[error("the journal file cannot be reached: {detail}")]
    JournalUnreachable { detail: String },
    #[error("no clerk is signed in on this desk")]
    NotSignedIn,
    #[error("the document {file_name} is not stored on this computer")]
    DocumentNotCached { file_name: String },
    // --- who is at the desk (session, issue 16) ---
    #[error("the desk is locked: the clerk signs in again to go on")]
    Locked,
    #[error(transparent)]
    Portal(sync::Error),
    #[error("no district or city chosen")]
    DistrictRequired,
    #[error("the clerk's school is in {right_ru}, not in the chosen district")]
    DistrictMismatch { right_kk: String, right_ru: String },
    #[error("no password typed")]
    PasswordEmpty,
    #[error("this clerk has not signed in online on this desk yet")]
    OfflineSignInUnavailable,
    #[error("the e-mail confirmation: {code}")]
    EmailCode { code: &'static str },
    /// The walk-in wizard's talk with the portal (issue 11): a contact's code,
    /// the register, a held submission; `seconds` for a wait.
    #[error("walk-in: {code}")]
    WalkIn { code: &'static str, seconds: u64 },
    #[error("no first sign-in is waiting for an e-mail")]
    NoEmailStep,
    #[error("wrong password (wait {wait_seconds} s before the next try)")]
    WrongPassword { wait_seconds: u64 },
    #[error("too many wrong passwords: wait {seconds} s")]
    SignInWait { seconds: u64 },
    #[error("this clerk has not signed in online on this desk yet")]
    ClerkNotEnrolled,
    #[error("the password does not open this clerk's journal key: it changed on the portal")]
    PasswordChanged,
    #[error("the journal is locked with the keys of other clerks ({})", clerks.join(", "))]
    KeyHeldByOthers { clerks: Vec<String> },
    #[error(
        "the journal {path} cannot be opened: it is encrypted (or not a Qabyldau journal) and no key file is beside it"
    )]
    KeysMissing { path: String },
    #[error("the key file {path} is damaged: {detail}")]
    KeysDamaged { path: String, detail: String },
    #[error("the key file {path} was written by a newer Qabyldau (version {version})")]
    KeysNewer { path: String, version: u32 },
    // --- sign-in by EDS (issue 16) ---
    #[error("a signing key was chosen to sign in: sign-in needs the authentication key")]
    EdsNotAuthenticationKey,
    #[error("the portal refused the EDS sign-in ({code})")]
    EdsRefused { code: &'static str },
    #[error("this key does not open the journal on this desk: the password is needed once")]
    EdsPasswordNeeded,
    #[error("the key is not the signed-in clerk's")]
    EdsNotThisClerk,
    /// The portal refuses the account itself (locked after wrong passwords, revoked); its
    /// words carry the details (how long to wait).
    #[error("the portal refuses the account ({code})")]
    AccountRefused {
        code: &'static str,
        kk: String,
        ru: String,
    },
    // Settings and PKCS#11 modules (issue 13, issue 15).
    #[error("setting {setting} = {value:?}: {why}")]
    SettingInvalid {
        setting: &'static str,
        value: String,
        why: &'static str,
    },
    #[error("the configuration file {path} cannot be read: {detail}; it was left as it is")]
    SettingsFileInvalid { path: String, detail: String },
    #[error("the configuration file {path} is of version {found}; this app knows {known}")]
    SettingsFileNewer {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("the configuration file {path} cannot be written: {detail}")]
    SettingsFileUnwritable { path: String, detail: String },
    #[error("PKCS#11 module {id:?} is not one of this computer's modules")]
    Pkcs11ModuleUnknown { id: String },
    #[error("PKCS#11 module {path:?} is refused: {why}")]
    Pkcs11ModuleRefused { path: String, why: &'static str },
    #[error("no portal configured yet: the first-run screen asks for it")]
    FirstRunRequired,
    #[error("the journal opens: nothing to restore from the window")]
    RestoreNotNeeded,
    #[error("no backup at {path}")]
    BackupNotFound { path: String },
    #[error("{path} is not a sound journal ({code}); nothing was restored")]
    RestoreSourceInvalid { path: String, code: &'static str },
}

impl Error {
    /// A portal refusal of the staff account itself (`ACCOUNT_LOCKED`, `ACCOUNT_REVOKED`)
    /// as [`Error::AccountRefused`]; anything else as [`Error::Portal`].
    pub fn from_portal(e: sync::Error) -> Error {
        if let sync::Error::Refused { problem, .. } = &e {
            let code = match problem.code.as_str() {
                portal_api::codes::ACCOUNT_LOCKED => Some("ACCOUNT_LOCKED"),
                portal_api::codes::ACCOUNT_REVOKED => Some("ACCOUNT_REVOKED"),
                _ => None,
            };
            if let Some(code) = code {
                return Error::AccountRefused {
                    code,
                    kk: problem.messages.kk.clone(),
                    ru: problem.messages.ru.clone(),
                };
            }
        }
        Error::Portal(e)
    }
}

impl From<signing::SignError> for Error {
    fn from(e: signing::SignError) -> Error {
        match e {
            signing::SignError::Key(e) => Error::Signing(e),
            signing::SignError::NcaLayer(e) => Error::NcaLayer(e),
        }
    }
}

impl Error {
    pub fn code(&self) -> &'static str {
        match self {
            Error::Store(e) => e.code(),
            Error::Domain(e) => e.code().as_str(),
            Error::Signing(e) => e.code(),
            Error::NcaLayer(e) => e.code(),
            Error::BadQuery { .. } => "BAD_QUERY",
            Error::NoFreePlaces => "NO_FREE_PLACES",
            Error::Invalid { .. } => "INVALID_INPUT",
            Error::DocumentUnreadable { .. } => "DOCUMENT_UNREADABLE",
            Error::FileNotRegular { .. } => "FILE_NOT_REGULAR",
            Error::FileTooLarge { .. } => "FILE_TOO_LARGE",
            Error::DocumentTypeUnsupported { .. } => "DOCUMENT_TYPE_UNSUPPORTED",
            Error::FileHandleUnknown => "FILE_HANDLE_UNKNOWN",
            Error::FileNotWritten {
                disk_full: true, ..
            } => "FILE_DISK_FULL",
            Error::FileNotWritten { .. } => "FILE_NOT_WRITTEN",
            Error::SchoolUnknown { .. } => "SCHOOL_UNKNOWN",
            Error::Receipt(e) => e.code().as_str(),
            Error::ReceiptNotAvailable { .. } => "RECEIPT_NOT_AVAILABLE",
            Error::ReceiptMismatch { .. } => "RECEIPT_MISMATCH",
            Error::JournalUnreachable { .. } => "DB_IO",
            Error::ApplicationProvisional => "APPLICATION_PROVISIONAL",
            Error::NotSignedIn => "NOT_SIGNED_IN",
            Error::DocumentNotCached { .. } => "DOCUMENT_NOT_CACHED",
            Error::Locked => "LOCKED",
            Error::Portal(e) => e.code(),
            Error::DistrictRequired => "DISTRICT_REQUIRED",
            Error::DistrictMismatch { .. } => "DISTRICT_MISMATCH",
            Error::PasswordEmpty => "PASSWORD_EMPTY",
            Error::OfflineSignInUnavailable => "OFFLINE_SIGN_IN_UNAVAILABLE",
            Error::EmailCode { code } => code,
            Error::WalkIn { code, .. } => code,
            Error::NoEmailStep => "EMAIL_STEP_MISSING",
            Error::WrongPassword { .. } => "VAULT_WRONG_PASSWORD",
            Error::SignInWait { .. } => "VAULT_WAIT",
            Error::ClerkNotEnrolled => "VAULT_NOT_ENROLLED",
            Error::PasswordChanged => "VAULT_PASSWORD_CHANGED",
            Error::KeyHeldByOthers { .. } => "VAULT_KEY_HELD_BY_OTHERS",
            Error::KeysMissing { .. } => "VAULT_KEYS_MISSING",
            Error::KeysDamaged { .. } => "VAULT_KEYS_DAMAGED",
            Error::KeysNewer { .. } => "VAULT_KEYS_NEWER",
            Error::EdsNotAuthenticationKey => "EDS_NOT_AUTHENTICATION_KEY",
            Error::EdsRefused { code } => code,
            Error::EdsPasswordNeeded => "EDS_PASSWORD_NEEDED",
            Error::EdsNotThisClerk => "EDS_NOT_THIS_CLERK",
            Error::AccountRefused { code, .. } => code,
            Error::SettingInvalid { .. } => "SETTING_INVALID",
            Error::SettingsFileInvalid { .. } => "SETTINGS_FILE_INVALID",
            Error::SettingsFileNewer { .. } => "SETTINGS_FILE_NEWER",
            Error::SettingsFileUnwritable { .. } => "SETTINGS_FILE_UNWRITABLE",
            Error::Pkcs11ModuleUnknown { .. } => "PKCS11_MODULE_UNKNOWN",
            Error::Pkcs11ModuleRefused { .. } => "PKCS11_MODULE_REFUSED",
            Error::FirstRunRequired => "FIRST_RUN_REQUIRED",
            Error::RestoreNotNeeded => "RESTORE_NOT_NEEDED",
            Error::BackupNotFound { .. } => "BACKUP_NOT_FOUND",
            Error::RestoreSourceInvalid { .. } => "RESTORE_SOURCE_INVALID",
        }
    }

    /// The message for a person in their language: domain errors carry detail; the
    /// rest use the catalogue text of their code.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Domain(e) => e.message(lang),
            Error::Signing(e) => e.message(lang),
            Error::NcaLayer(e) => e.message(lang),
            Error::Receipt(e) => e.message(lang),
            Error::Portal(e) => e.message(lang),
            Error::DistrictMismatch { right_kk, right_ru } => {
                let district = match lang {
                    Lang::Kk => right_kk,
                    Lang::Ru => right_ru,
                };
                crate::catalogue::error_text_with(
                    "DISTRICT_MISMATCH",
                    lang,
                    &[("district", district.into())],
                )
            }
            Error::WrongPassword { wait_seconds } if *wait_seconds > 0 => {
                crate::catalogue::wait_text("VAULT_WRONG_PASSWORD", *wait_seconds, lang)
            }
            Error::AccountRefused { kk, ru, .. } => match lang {
                Lang::Kk => kk.clone(),
                Lang::Ru => ru.clone(),
            },
            Error::FileNotWritten { path, .. } => {
                crate::catalogue::error_text_with(self.code(), lang, &[("path", path.into())])
            }
            Error::WalkIn { code, seconds } if *seconds > 0 => {
                crate::catalogue::wait_text(code, *seconds, lang)
            }
            Error::SignInWait { seconds } => {
                crate::catalogue::wait_text("VAULT_WAIT", *seconds, lang)
            }
            other => crate::catalogue::error_text(other.code(), lang).to_string(),
        }
    }
}

/// What crosses to the UI when something fails: a stable code the UI acts on, the
/// message in both languages with its details (an expiry date, a token's label) so the
/// UI shows it in the language of the moment, and the English detail for logs.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UiError {
    /// The stable code (every one is a `&'static str` of its crate's error type).
    pub code: &'static str,
    pub kk: String,
    pub ru: String,
    pub detail: Option<String>,
    /// For a form: every wrong field with its own code, shown next to the field.
    pub fields: Vec<crate::views::FieldErrorView>,
    /// Where the window shows it (next to the key, the PIN, the school, …), decided by
    /// [`crate::error_place::place_of`] from the code.
    pub place: crate::error_place::ErrorPlace,
}

impl UiError {
    /// An error of `code` with its words, placed by its code; no field errors.
    pub fn new(code: &'static str, kk: String, ru: String, detail: Option<String>) -> UiError {
        UiError {
            code,
            kk,
            ru,
            detail,
            fields: Vec::new(),
            place: crate::error_place::place_of(code),
        }
    }
}

impl From<Error> for UiError {
    fn from(e: Error) -> UiError {
        let fields = match &e {
            Error::Invalid { fields } => fields
                .iter()
                .map(|(field, err)| crate::views::FieldErrorView {
                    field: field.clone(),
                    code: err.code().as_str().to_string(),
                })
                .collect(),
            Error::SettingInvalid { setting, .. } => vec![crate::views::FieldErrorView {
                field: setting.to_string(),
                code: e.code().to_string(),
            }],
            _ => Vec::new(),
        };
        UiError {
            fields,
            ..UiError::new(
                e.code(),
                e.message(Lang::Kk),
                e.message(Lang::Ru),
                Some(e.to_string()),
            )
        }
    }
}
