// The only place that talks to the Rust side. Each function is one Tauri command
// (src-tauri/src/commands.rs); the types are generated from Rust (./generated, ts-rs).
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  AboutView,
  AddressChoiceView,
  ApplicationActions,
  ApplicationView,
  Catalogue,
  ChildLookupView,
  CodeSentView,
  Correction,
  DecisionInput,
  DecisionOutcome,
  DocumentFileView,
  DocumentPreviewView,
  ErrorPlace,
  FieldErrorView,
  JournalPage,
  JournalQuery,
  KeyChoice,
  MicroDistrictView,
  OnBehalfInput,
  PortalCheckView,
  RegisterPersonView,
  SchoolChoicesView,
  SessionView,
  SettingsInput,
  SettingsView,
  SignInForm,
  StatusBar,
  SubmissionOutcome,
  SyncBar,
  TokenView,
  UiError,
  WizardDraftView,
  WizardFormView,
} from "./generated";

/** A failed command: the stable code of `desk`, its message in both languages, and
 *  where desk says it is shown (`UiError.place`: next to the key, the PIN, the school…). */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string | null,
    readonly kk: string | null = null,
    readonly ru: string | null = null,
    readonly place: ErrorPlace = "form",
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}

function asCommandError(e: unknown): CommandError {
  if (e && typeof e === "object" && "code" in e && typeof (e as UiError).code === "string") {
    const ue = e as UiError;
    return new CommandError(ue.code, ue.detail ?? null, ue.kk || null, ue.ru || null, ue.place ?? "form");
  }
  // Not a UiError: the bridge itself failed (e.g. a command missing from the capability).
  return new CommandError("UI_BRIDGE", typeof e === "string" ? e : String(e));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asCommandError(e);
  }
}

export const api = {
  catalogue: () => call<Catalogue>("catalogue"),
  journal: (query: JournalQuery) => call<JournalPage>("journal", { query }),
  application: (id: string) => call<ApplicationView>("application", { id }),
  statusBar: () => call<StatusBar>("status_bar"),
  /** The diagnostic log's text, IINs and phones already masked (issue 15). */
  diagnosticLog: () => call<string>("diagnostic_log"),
  // --- sign-in and sync: src-tauri/src/sync.rs ---
  signInForm: () => call<SignInForm>("sign_in_form"),
  portalReachable: () => call<boolean>("portal_reachable"),
  /** Opens the journal for this clerk (online, or offline for a clerk known here). */
  signIn: (iin: string, password: string, districtId: string | null) =>
    call<SessionView>("sign_in", { iin, password, districtId }),
  /** R-1 by EDS: the portal's challenge signed with the authentication key; `password` only when asked once. */
  signInEds: (key: KeyChoice, secret: string, password: string | null, districtId: string | null) =>
    call<SessionView>("sign_in_eds", { key, secret, password, districtId }),
  /** The lock screen by EDS: the key the clerk signed in with. */
  sessionUnlockEds: (key: KeyChoice, secret: string) => call<SessionView>("session_unlock_eds", { key, secret }),
  // --- the clerk's session (issue 16): signed out / open / locked ---
  sessionState: () => call<SessionView>("session_state"),
  sessionTouch: () => call<SessionView>("session_touch"),
  sessionLock: () => call<SessionView>("session_lock"),
  sessionUnlock: (password: string) => call<SessionView>("session_unlock", { password }),
  signOut: () => call<SessionView>("sign_out"),
  /** Another clerk signs in; the journal's key waits for them in memory (vault::enroll). */
  switchClerk: () => call<SessionView>("switch_clerk"),
  /** R-2, the first sign-in: the e-mail, then the code sent to it. */
  signInEmailSend: (email: string) => call<SessionView>("sign_in_email_send", { email }),
  signInEmailConfirm: (code: string) => call<SessionView>("sign_in_email_confirm", { code }),
  syncStatus: () => call<SyncBar>("sync_status"),
  /** Starts a sync round now (after a decision, "Sync now"); false when nobody signed in. */
  syncNow: () => call<boolean>("sync_now"),
  // --- decisions, receipts, documents: src-tauri/src/decisions.rs ---
  keyTokens: () => call<TokenView[]>("key_tokens"),
  /** The file dialog for an NCA key file: its handle and name (never a path); null when cancelled. */
  pickKeyFile: () => call<DocumentFileView | null>("pick_key_file"),
  /** NCALayer's version when it answers on its port, else null (issue 14). */
  ncalayerVersion: () => call<string | null>("ncalayer_version"),
  /** Signs and records the decision; the secret is never kept by the UI after this call. */
  decide: (input: DecisionInput, key: KeyChoice, secret: string) => call<DecisionOutcome>("decide", { input, key, secret }),
  applicationActions: (applicationId: string) => call<ApplicationActions>("application_actions", { applicationId }),
  receiptPrint: (applicationId: string, lang: string | null) => call<SavedFile>("receipt_print", { applicationId, lang }),
  receiptSave: (applicationId: string, lang: string | null) => call<SavedFile | null>("receipt_save", { applicationId, lang }),
  documentSave: (applicationId: string, documentId: string) =>
    call<SavedFile | null>("document_save", { applicationId, documentId }),
  /** «Қарау»: an image's data URL, a PDF's pages. */
  documentPreview: (applicationId: string, documentId: string) =>
    call<import("./generated").DocumentPreviewView>("document_preview", { applicationId, documentId }),
};

// --- decisions, receipts, documents ---
/** A file the shell wrote (src-tauri/src/decisions.rs `SavedFile`). */
export interface SavedFile {
  path: string;
  file_name: string;
  opened: boolean;
  provisional: boolean;
}

// --- sign-in and sync events ---
export interface SyncStateEvent {
  state: string;
}
export interface SyncRowsEvent {
  ids: string[];
  round_rows: number;
}
export interface SyncWorkerEvent {
  code: string;
  restarting: boolean;
}
export const syncEvents = {
  onWorker: (f: (e: SyncWorkerEvent) => void) => listen<SyncWorkerEvent>("sync-worker", (e) => f(e.payload)),
  onState: (f: (e: SyncStateEvent) => void) => listen<SyncStateEvent>("sync-state", (e) => f(e.payload)),
  onRows: (f: (e: SyncRowsEvent) => void) => listen<SyncRowsEvent>("sync-rows", (e) => f(e.payload)),
};

// --- the on-behalf wizard: src-tauri/src/wizard.rs ---

/** A failed form command: a `CommandError` with every wrong field (`UiError.fields`). */
export class FormError extends CommandError {
  constructor(
    base: CommandError,
    readonly fields: FieldErrorView[],
  ) {
    super(base.code, base.detail, base.kk, base.ru, base.place);
  }
}

async function callForm<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const fields = e && typeof e === "object" && Array.isArray((e as UiError).fields) ? (e as UiError).fields : [];
    throw new FormError(asCommandError(e), fields);
  }
}

export const wizardApi = {
  childLookup: (iin: string) => callForm<ChildLookupView>("wizard_child_lookup", { iin }),
  microDistricts: () => callForm<MicroDistrictView[]>("wizard_micro_districts"),
  /** What the form offers: the documents (mandatory or not), the grades (desk decides). */
  form: () => call<WizardFormView>("wizard_form"),
  /** The schools for what was typed and the one desk assigns. */
  schools: (input: OnBehalfInput) => callForm<SchoolChoicesView>("wizard_schools", { input }),
  /** A picked document by its handle (the window never sends a path, issue 15). */
  documentFile: (file: string) => callForm<DocumentFileView>("wizard_document_file", { file }),
  pickDocument: () => callForm<DocumentFileView | null>("wizard_pick_document"),
  /** What a picked document looks like: an image's data URL, a PDF's pages. */
  documentPreview: (file: string) => call<DocumentPreviewView>("wizard_document_preview", { file }),
  /** the clerk looked at an image made to fit 1 MB and found it readable. */
  documentReadable: (file: string) => call<DocumentFileView>("wizard_document_readable", { file }),
  checkStep: (step: number, input: OnBehalfInput) => callForm<null>("wizard_check_step", { step, input }),
  submit: (input: OnBehalfInput, key: KeyChoice, secret: string) =>
    callForm<SubmissionOutcome>("wizard_submit", { input, key, secret }),
  // The draft in the encrypted journal (issue 16): the UI's JSON, one per clerk.
  draftLoad: () => call<WizardDraftView | null>("wizard_draft_load"),
  /** Answers when it was saved, in office time (desk's, never the PC's zone). */
  draftSave: (body: string) => call<string>("wizard_draft_save", { body }),
  draftDiscard: () => call<null>("wizard_draft_discard"),
  // The decision dialog's commands (src-tauri/src/decisions.rs), reused here.
  keyTokens: () => callForm<TokenView[]>("key_tokens"),
  pickKeyFile: () => callForm<DocumentFileView | null>("pick_key_file"),
  receiptPrint: (applicationId: string, lang: string | null) =>
    callForm<{ path: string; file_name: string; opened: boolean; provisional: boolean }>("receipt_print", {
      applicationId,
      lang,
    }),
};

// --- the walk-in wizard and the portal (issue 11): src-tauri/src/walk_in.rs ---
export const walkInApi = {
  /** «ЖСН-ды тексеру» in the population register; `field`: `applicant.iin` or `child.person.iin`. */
  registerPerson: (iin: string, field: string) => callForm<RegisterPersonView>("walk_in_register_person", { iin, field }),
  addresses: (street: string, house: string) => callForm<AddressChoiceView[]>("walk_in_addresses", { street, house }),
  sendCode: (channel: "sms" | "email", contact: string) => callForm<CodeSentView>("walk_in_send_code", { channel, contact }),
  checkCode: (codeId: string, code: string) => callForm<null>("walk_in_check_code", { codeId, code }),
  contactConfirmed: (applicationId: string, channel: "sms" | "email", codeId: string) =>
    callForm<null>("walk_in_contact_confirmed", { applicationId, channel, codeId }),
  keepTyped: (applicationId: string) => callForm<null>("walk_in_keep_typed", { applicationId }),
  /** The held submission corrected and signed again: bound again after the portal
   *  refused the binding (R-15…R-17), or the register's version taken. */
  correct: (applicationId: string, correction: Correction, key: KeyChoice, secret: string) =>
    callForm<SubmissionOutcome>("walk_in_correct", { applicationId, correction, key, secret }),
};

// --- settings, first run, about, backups (issue 13): src-tauri/src/settings.rs, journal_file.rs ---
export const settingsApi = {
  view: () => call<SettingsView>("settings_view_get"),
  /** Only a signed-in clerk: `NOT_SIGNED_IN` otherwise; a bad value: `SETTING_INVALID` with its field. */
  save: (input: SettingsInput) => callForm<SettingsView>("settings_save", { input }),
  /** The native file dialog picks the module (the UI never sends a path); null when cancelled. */
  addModule: (input: SettingsInput) => callForm<SettingsView | null>("settings_add_module", { input }),
  testModule: (moduleId: string) => call<TokenView[]>("settings_test_module", { moduleId }),
  checkPortal: (url: string) => call<PortalCheckView>("settings_check_portal", { url }),
  /** Writes the portal and starts the window again. */
  firstRunSave: (portalUrl: string) => callForm<null>("first_run_save", { portalUrl }),
  about: () => call<AboutView>("about_app"),
  latestBackup: () => call<string | null>("journal_latest_backup"),
  restoreLatest: () => call<null>("journal_restore_latest"),
};
