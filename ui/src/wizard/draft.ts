// The wizard's draft (UI.md: "A draft is never lost"): everything typed, saved on every
// change in the encrypted journal (issue 16: desk `drafts`, commands wizard_draft_*), one
// draft per clerk, kept until the application is sent or for 30 days. The PIN is never
// part of it. A draft an older version left in the webview's localStorage moves into
// the journal once and leaves the webview.
import { wizardApi } from "../api";
import type { ChildLookupView, DocumentFileView, OnBehalfInput, TemporaryRegistrationInput, WizardDraftView } from "../generated";

/** A key of the catalogue's `document_kinds`; which are offered and mandatory is desk's
 *  (`wizard_form`). */
export type DocKind = string;

export interface WizardDraft {
  version: 1;
  step: 1 | 2 | 3;
  input: OnBehalfInput;
  /** The result of «ЖСН-ды тексеру» for `input.child.person.iin`. */
  lookup: ChildLookupView | null;
  /** the clerk confirmed the responsibility and edits the address / micro-district. */
  editing: boolean;
  /** the micro-district chosen while editing, kept by «Сақтау» until bound. */
  mdChoice: string;
  mdSaved: boolean;
  /** the address was bound to `input.child.micro_district_id` on this draft. */
  bound: boolean;
  /** the temporary registration checkbox, confirmed; its fields are kept when unticked. */
  temporary: boolean;
  temp: TemporaryRegistrationInput;
  /** The picked documents by kind, as the handles the file dialog gave (never paths,
   *  issue 15; a handle lives for the window's session), and what the desk said of each. */
  docs: Partial<Record<DocKind, string>>;
  docInfo: Partial<Record<DocKind, DocumentFileView>>;
  /** `file`: the key file's dialog handle, `file_name` its name to show; `module`: the
   *  desk's id of the token's PKCS#11 module (never a path, issue 15). */
  key: { kind: "key_file" | "token" | "ncalayer"; file: string; file_name: string; module: string; token_label: string };
  /** When the desk last saved it, in office time (its answer, never this PC's clock);
   *  not part of the body that is saved. */
  savedAt: string | null;
  /** the population register answered «ЖСН-ды тексеру» for each person;
   *  otherwise the data are «тексерілмеген» and the desk checks them before sending. */
  checked: { applicant: boolean; child: boolean };
  /** the code sent to each contact, and what the clerk typed. */
  codes: { sms: ContactCode | null; email: ContactCode | null };
  /** the actual address looked up by street and house. */
  actual: { street: string; house: string };
}

/** A code sent to a contact: to where, when «Код жіберу» may be pressed again. */
export interface ContactCode {
  code_id: string;
  destination: string;
  resend_at: number;
  typed: string;
  confirmed: boolean;
}

export function emptyInput(): OnBehalfInput {
  return {
    applicant: { iin: "", surname: "", given: "", patronymic: "" },
    child: {
      person: { iin: "", surname: "", given: "", patronymic: "" },
      birth_certificate: "",
      registered_address: "",
      registered_address_id: null,
      micro_district_id: null,
      binding: null,
    },
    phone: "",
    extra_phone: "",
    email: "",
    actual_address: "",
    temporary_registration: null,
    school_id: "",
    grade: 0,
    language: "kk",
    documents: [],
    consent_admission_rules: false,
    consent_portal_terms: false,
    consent_personal_data: false,
    notifications: "kk",
    notification_channel: "sms",
    phone_code_id: "",
    email_code_id: "",
    register_checked: false,
  };
}

export function emptyDraft(): WizardDraft {
  return {
    version: 1,
    step: 1,
    input: emptyInput(),
    lookup: null,
    editing: false,
    mdChoice: "",
    mdSaved: false,
    bound: false,
    temporary: false,
    temp: { address: "", from: "", until: "" },
    docs: {},
    docInfo: {},
    key: { kind: "key_file", file: "", file_name: "", module: "", token_label: "" },
    savedAt: null,
    checked: { applicant: false, child: false },
    codes: { sms: null, email: null },
    actual: { street: "", house: "" },
  };
}

/** Where older versions kept drafts; read once to move them into the journal. */
const LEGACY_PREFIX = "qabyldau.wizard.draft.";

function legacyKey(clerk: string): string {
  return LEGACY_PREFIX + (clerk || "unknown");
}

function parseDraft(raw: string): WizardDraft | null {
  try {
    const parsed = JSON.parse(raw) as Partial<WizardDraft>;
    if (parsed.version !== 1) return null;
    const base = emptyDraft();
    return {
      ...base,
      ...parsed,
      input: { ...base.input, ...parsed.input, child: { ...base.input.child, ...parsed.input?.child } },
      docs: { ...base.docs, ...parsed.docs },
      key: { ...base.key, ...parsed.key },
      temp: { ...base.temp, ...parsed.temp },
      checked: { ...base.checked, ...parsed.checked },
      codes: { ...base.codes, ...parsed.codes },
      actual: { ...base.actual, ...parsed.actual },
    } as WizardDraft;
  } catch {
    return null;
  }
}

function takeLegacy(clerk: string): WizardDraft | null {
  try {
    const raw = localStorage.getItem(legacyKey(clerk));
    localStorage.removeItem(legacyKey(clerk));
    return raw ? parseDraft(raw) : null;
  } catch {
    return null;
  }
}

// Saves go to the desk one at a time, in order; a save waiting for its turn takes the
// newest draft, so typing fast sends the latest state, never an older one after it.
let chain: Promise<void> = Promise.resolve();
interface Slot {
  body: string;
  draft: WizardDraft;
  onSaved: ((savedAt: string) => void) | undefined;
  cancelled: boolean;
}
let waiting: Slot | null = null;

function enqueue(job: () => Promise<unknown>): void {
  chain = chain.then(job).then(
    () => undefined,
    (e: unknown) => console.warn("wizard draft not saved", e),
  );
}

/** The clerk's saved draft, or null. A damaged one is ignored, never thrown. */
export async function loadDraft(clerk: string): Promise<WizardDraft | null> {
  await chain;
  const legacy = takeLegacy(clerk);
  let view: WizardDraftView | null = null;
  try {
    view = await wizardApi.draftLoad();
  } catch {
    return legacy;
  }
  const stored = view ? parseDraft(view.body) : null;
  if (stored && view) stored.savedAt = view.saved_at;
  if (legacy) legacy.savedAt = null;
  if (!stored && legacy) saveDraft(clerk, legacy);
  return stored ?? legacy;
}

/** Saves the draft (queued, in order); what is typed stays in the wizard meanwhile.
 *  `onSaved` gets the desk's time of the save (office time) once it landed. */
export function saveDraft(_clerk: string, draft: WizardDraft, onSaved?: (savedAt: string) => void): boolean {
  const body = JSON.stringify({ ...draft, savedAt: null });
  if (waiting) {
    Object.assign(waiting, { body, draft, onSaved });
    return true;
  }
  const slot: Slot = { body, draft, onSaved, cancelled: false };
  waiting = slot;
  enqueue(async () => {
    if (waiting === slot) waiting = null;
    if (slot.cancelled) return;
    const savedAt = await wizardApi.draftSave(slot.body);
    slot.draft.savedAt = savedAt;
    slot.onSaved?.(savedAt);
  });
  return true;
}

export function clearDraft(clerk: string): void {
  if (waiting) {
    waiting.cancelled = true;
    waiting = null;
  }
  takeLegacy(clerk);
  enqueue(() => wizardApi.draftDiscard());
}

/** Whether anything was typed: an empty draft is not worth offering. */
export function hasContent(d: WizardDraft): boolean {
  const i = d.input;
  return Boolean(
    i.applicant.iin || i.applicant.surname || i.child.person.iin || i.child.person.surname || i.phone || Object.values(d.docs).some(Boolean),
  );
}

/** What is submitted: the documents in a fixed order, the temporary registration when ticked. */
export function inputOf(d: WizardDraft): { input: OnBehalfInput; docOrder: DocKind[] } {
  const docOrder = Object.keys(d.docs).filter((k) => (d.docs[k] ?? "").trim() !== "");
  return {
    input: {
      ...d.input,
      // both people from the register, or checked before sending.
      register_checked: d.checked.applicant && d.checked.child,
      phone_code_id: d.codes.sms?.confirmed ? d.codes.sms.code_id : "",
      email_code_id: d.codes.email?.confirmed && d.input.email.trim() ? d.codes.email.code_id : "",
      temporary_registration: d.temporary ? { ...d.temp } : null,
      documents: docOrder.map((k) => ({ kind: k, file: (d.docs[k] ?? "").trim() })),
    },
    docOrder,
  };
}
