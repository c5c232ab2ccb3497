// The wizard's draft (UI.md: "A draft is never lost"): everything typed, saved on every
// change in the webview's localStorage, one draft per clerk, and kept until the
// application is sent. The PIN is never part of it.
import type { ChildLookupView, DocumentFileView, OnBehalfInput, TemporaryRegistrationInput } from "./generated";

export type DocKind = "photo" | "medical_certificate" | "birth_certificate";
export const DOC_KINDS: DocKind[] = ["photo", "medical_certificate", "birth_certificate"];
export const MANDATORY_DOCS: DocKind[] = ["photo", "medical_certificate"];

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
  docs: Record<DocKind, string>;
  docInfo: Partial<Record<DocKind, DocumentFileView>>;
  /** `file`: the key file's dialog handle, `file_name` its name to show. */
  key: { kind: "key_file" | "token"; file: string; file_name: string; module: string; token_label: string };
  savedAt: string | null;
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
    },
    phone: "",
    extra_phone: "",
    email: "",
    actual_address: "",
    temporary_registration: null,
    school_id: "",
    grade: 1,
    language: "kk",
    documents: [],
    consent_admission_rules: false,
    consent_portal_terms: false,
    consent_personal_data: false,
    notifications: "kk",
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
    docs: { photo: "", medical_certificate: "", birth_certificate: "" },
    docInfo: {},
    key: { kind: "key_file", file: "", file_name: "", module: "", token_label: "" },
    savedAt: null,
  };
}

const PREFIX = "qabyldau.wizard.draft.";

function storageKey(clerk: string): string {
  return PREFIX + (clerk || "unknown");
}

/** The clerk's saved draft, or null. A damaged entry is ignored, never thrown. */
export function loadDraft(clerk: string): WizardDraft | null {
  try {
    const raw = localStorage.getItem(storageKey(clerk));
    if (!raw) return null;
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
    } as WizardDraft;
  } catch {
    return null;
  }
}

export function saveDraft(clerk: string, draft: WizardDraft): boolean {
  try {
    draft.savedAt = new Date().toISOString();
    localStorage.setItem(storageKey(clerk), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(clerk: string): void {
  try {
    localStorage.removeItem(storageKey(clerk));
  } catch {
    /* nothing stored */
  }
}

/** Whether anything was typed: an empty draft is not worth offering. */
export function hasContent(d: WizardDraft): boolean {
  const i = d.input;
  return Boolean(
    i.applicant.iin || i.applicant.surname || i.child.person.iin || i.child.person.surname || i.phone || d.docs.photo,
  );
}

/** What is submitted: the documents in a fixed order, the temporary registration when ticked. */
export function inputOf(d: WizardDraft): { input: OnBehalfInput; docOrder: DocKind[] } {
  const docOrder = DOC_KINDS.filter((k) => d.docs[k].trim() !== "");
  return {
    input: {
      ...d.input,
      temporary_registration: d.temporary ? { ...d.temp } : null,
      documents: docOrder.map((k) => ({ kind: k, file: d.docs[k].trim() })),
    },
    docOrder,
  };
}
