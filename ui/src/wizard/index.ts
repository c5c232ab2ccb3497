// The on-behalf wizard («Өтініш берушінің атынан беру», R-8…R-18): its own full-height
// view with the steps at the top (1 · 2 · Қол қою және жіберу) and Back / «Алға қарай»
// at the bottom. This module is the shell: opening, the steps' navigation, the draft
// (draft.ts) and desk's errors put next to their fields; each step's sections live in
// their own module (applicant, contacts, address, school, documents, consents, sign).
// Every rule is asked of desk (wizard_* commands); the UI only presents.
import { api, FormError, wizardApi, type CommandError } from "../api";
import { errorText } from "../catalogue";
import { byId, h } from "../dom";
import { dateTime } from "../format";
import type { MicroDistrictView, SchoolChoicesView, WizardFormView } from "../generated";
import { t, type PlainId } from "../i18n";
import { AddressStep } from "./address";
import { ApplicantStep } from "./applicant";
import { ConsentsStep } from "./consents";
import { ContactsStep } from "./contacts";
import { DocumentsStep } from "./documents";
import { emptyDraft, hasContent, inputOf, loadDraft, saveDraft, type DocKind, type WizardDraft } from "./draft";
import { Form, pick, type Field, type WizardContext } from "./form";
import { wizardModal } from "./modal";
import { SchoolStep } from "./school";
import { SignStep } from "./sign";

export interface WizardEvents {
  /** The wizard closed; `submittedId` is the new application when one was sent. */
  closed: (submittedId: string | null) => void;
}

/** Which step shows a field desk reported (an error there sends the clerk back to it). */
function fieldOnStep(field: string): number {
  if (/^(grade|language|school_id|documents)/.test(field)) return 2;
  if (/^(consents|notification)/.test(field)) return 3;
  return 1;
}

export class Wizard implements WizardContext {
  draft: WizardDraft = emptyDraft();
  readonly errors = new Map<Field, string>();
  banner: string | null = null;
  microDistricts: MicroDistrictView[] = [];
  schools: SchoolChoicesView | null = null;
  formView: WizardFormView | null = null;
  readonly lostFiles = new Map<string, string>();
  readonly root: HTMLElement;
  readonly form: Form = new Form(this);
  modalOpen = false;
  isOpen = false;
  private clerk = "";
  private readonly applicant = new ApplicantStep(this);
  private readonly contacts = new ContactsStep(this);
  private readonly address = new AddressStep(this);
  private readonly school = new SchoolStep(this);
  private readonly documents = new DocumentsStep(this);
  private readonly consents = new ConsentsStep(this);
  private readonly sign = new SignStep(this, () => this.clerk, fieldOnStep);

  constructor(private readonly events: WizardEvents) {
    this.root = h("section", { id: "wizard", class: "wizard", hidden: true, "aria-labelledby": "wizard-title" });
    byId("app").insertBefore(this.root, byId("status-bar"));
    const open = h(
      "button",
      { id: "wizard-open", type: "button", class: "top-action", "data-i18n": "wizard-open", "data-i18n-title": "wizard-open-shortcut", "aria-keyshortcuts": "Alt+N" },
      t("wizard-open"),
    );
    open.title = t("wizard-open-shortcut");
    open.addEventListener("click", () => void this.open());
    const bar = document.querySelector(".top-bar");
    bar?.insertBefore(open, bar.querySelector(".lang-switch"));
  }

  /** Opens the wizard with the clerk's draft (or a new one). */
  async open(): Promise<void> {
    if (this.isOpen) return;
    try {
      this.clerk = (await api.statusBar()).clerk_iin ?? "";
    } catch {
      this.clerk = "";
    }
    this.draft = (await loadDraft(this.clerk)) ?? emptyDraft();
    this.errors.clear();
    this.lostFiles.clear();
    this.banner = null;
    this.sign.reset();
    this.isOpen = true;
    byId("app").dataset.view = "wizard";
    this.root.hidden = false;
    try {
      this.formView ??= await wizardApi.form();
      this.microDistricts = await wizardApi.microDistricts();
    } catch (e) {
      this.banner = errorText(e as CommandError);
    }
    await this.forgetLostFiles();
    this.render();
    this.focusFirst();
  }

  /** A picked document is kept with the draft in the encrypted journal and comes back
   *  under its handle after a restart (issue 11); one that is gone all the same (picked
   *  before that, or not attachable) is asked for again, with its message next to its row. */
  private async forgetLostFiles(): Promise<void> {
    const d = this.draft;
    for (const [kind, handle] of Object.entries(d.docs)) {
      if (!handle) continue;
      try {
        await wizardApi.documentFile(handle);
      } catch (e) {
        const name = d.docInfo[kind]?.file_name;
        delete d.docs[kind];
        delete d.docInfo[kind];
        this.lostFiles.set(kind, `${name ? `${name}: ` : ""}${errorText(e as CommandError)}`);
      }
    }
    if (d.key.kind === "key_file" && d.key.file) {
      // The key file is picked again too; its name stays to say which one.
      d.key.file = "";
    }
  }

  /** Back to the journal; the draft stays (UI.md: "A draft is never lost"). */
  close(submittedId: string | null = null): void {
    if (!this.isOpen) return;
    this.persist();
    this.isOpen = false;
    this.sign.reset();
    this.root.hidden = true;
    this.root.replaceChildren();
    delete byId("app").dataset.view;
    this.events.closed(submittedId);
  }

  rerender(): void {
    if (this.isOpen && !this.modalOpen) this.render();
  }

  /** Keys of the wizard: Esc goes back to the journal (the draft is kept). */
  handleKey(e: KeyboardEvent): boolean {
    if (!this.isOpen || this.modalOpen) return false;
    if (e.key === "Escape") {
      e.preventDefault();
      this.close();
      return true;
    }
    return false;
  }

  persist(): void {
    // The «saved at» line shows the desk's answer: office time, not this PC's clock.
    saveDraft(this.clerk, this.draft, (savedAt) => {
      const saved = this.root.querySelector<HTMLElement>("#wizard-saved");
      if (saved) saved.textContent = t("wizard-draft-saved", { time: dateTime(savedAt) });
    });
  }

  focusFirst(): void {
    const first =
      this.root.querySelector<HTMLElement>("[aria-invalid='true']") ??
      this.root.querySelector<HTMLElement>(".wizard-body input:not([readonly]), .wizard-body select, .wizard-body button");
    first?.focus();
  }

  focus(selector: string): void {
    this.root.querySelector<HTMLElement>(selector)?.focus();
  }

  async modal(title: string, text: string | HTMLElement, okText: string, cancelText: string | null, id = "wizard-modal"): Promise<boolean> {
    this.modalOpen = true;
    try {
      return await wizardModal(this.root, title, text, okText, cancelText, id);
    } finally {
      this.modalOpen = false;
    }
  }

  render(): void {
    const d = this.draft;
    const steps: Array<[1 | 2 | 3, PlainId]> = [
      [1, "wizard-step1"],
      [2, "wizard-step2"],
      [3, "wizard-step3"],
    ];
    const head = h(
      "header",
      { class: "wizard-head" },
      h("h2", { id: "wizard-title" }, t("wizard-open")),
      h(
        "ol",
        { class: "wizard-steps", "aria-label": t("wizard-steps-label") },
        ...steps.map(([n, key]) =>
          h(
            "li",
            { class: n === d.step ? "current" : n < d.step ? "done" : "", "aria-current": n === d.step ? "step" : undefined, "data-step": n },
            h("span", { class: "step-number" }, String(n)),
            h("span", { class: "step-name" }, t(key)),
          ),
        ),
      ),
      h("span", { id: "wizard-saved", class: "wizard-saved", "aria-live": "polite" }, d.savedAt ? t("wizard-draft-saved", { time: dateTime(d.savedAt) }) : ""),
    );
    const body = h("div", { class: "wizard-body" });
    if (this.banner) body.append(h("div", { id: "wizard-error", class: "error-banner", role: "alert" }, this.banner));
    if (d.step === 1) body.append(...this.applicant.sections(), this.contacts.section(), ...this.address.sections());
    else if (d.step === 2) body.append(this.school.section(), this.documents.section());
    else {
      body.append(this.sign.review(), this.consents.section(), this.sign.keySection());
      if (this.schools === null) void this.school.load();
    }

    const back = h("button", { id: "wizard-back", type: "button", class: "secondary" }, d.step === 1 ? t("wizard-to-journal") : t("wizard-back"));
    back.addEventListener("click", () => {
      if (this.draft.step === 1) this.close();
      else this.go((this.draft.step - 1) as 1 | 2);
    });
    const foot = h("footer", { class: "wizard-foot" }, back);
    if (d.step < 3) {
      const next = h("button", { id: "wizard-next", type: "button", class: "primary" }, t("wizard-next"));
      next.addEventListener("click", () => void this.next());
      foot.append(h("span", { class: "wizard-foot-hint" }, t("wizard-draft-hint")), next);
    } else {
      const busy = this.sign.busy;
      const send = h("button", { id: "wizard-submit", type: "button", class: "primary", disabled: busy }, busy ? t("wizard-signing") : t("wizard-submit"));
      send.addEventListener("click", () => void this.sign.submit());
      foot.append(h("span", { class: "wizard-foot-hint" }, t("wizard-sign-hint")), send);
    }
    this.root.replaceChildren(head, body, foot);
  }

  private go(step: 1 | 2 | 3): void {
    this.draft.step = step;
    this.errors.clear();
    this.banner = null;
    this.sign.clearKeyErrors();
    this.persist();
    this.render();
    this.root.querySelector(".wizard-body")?.scrollTo(0, 0);
    this.focusFirst();
  }

  /** Puts the desk's field errors next to their fields (codes → catalogue text). */
  showErrors(e: unknown, docOrder: DocKind[] = []): void {
    this.errors.clear();
    this.banner = null;
    const err = e as CommandError;
    const fields = e instanceof FormError ? e.fields : [];
    for (const f of fields) {
      let field = f.field;
      const doc = /^documents\[(\d+)\]$/.exec(field);
      if (doc) field = `doc.${docOrder[Number(doc[1])] ?? "photo"}`;
      const info = doc ? this.draft.docInfo[field.slice(4) as DocKind] : undefined;
      const text = info?.problem ? pick(info.problem_kk, info.problem_ru) : errorText({ code: f.code });
      if (!this.errors.has(field)) this.errors.set(field, text);
    }
    if (fields.length === 0) {
      // Where desk placed it: the school (R-12), the key or its PIN, else the banner.
      if (err.place === "school") this.errors.set("school_id", errorText(err));
      else if (!this.sign.showKeyError(err)) this.banner = errorText(err);
    } else {
      const shown = new Set(fields.map((f) => f.field));
      if (![...shown].some((f) => fieldOnStep(f) === this.draft.step)) this.banner = errorText(err);
    }
  }

  private async next(): Promise<void> {
    const step = this.draft.step;
    if (step === 3) return;
    const { input, docOrder } = inputOf(this.draft);
    try {
      await wizardApi.checkStep(step, input);
    } catch (e) {
      this.showErrors(e, docOrder);
      this.render();
      this.focusFirst();
      return;
    }
    if (step === 1) this.schools = null;
    this.go((step + 1) as 2 | 3);
  }
}

/** Whether a draft with content waits for this clerk (the journal may say so). */
export async function draftWaiting(clerk: string): Promise<boolean> {
  const d = await loadDraft(clerk);
  return d !== null && hasContent(d);
}
