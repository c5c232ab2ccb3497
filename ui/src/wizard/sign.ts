// Step 3, «Қол қою және жіберу»: the review of what is sent, the key
// (keypicker.ts, shared with the decision dialog), the submission, the success message
// with the number and the document receipt. Presentation only: desk checks, signs, records.
import { FormError, api, syncEvents, wizardApi, type CommandError } from "../api";
import { errorText, labels } from "../catalogue";
import { h } from "../dom";
import { isoDate } from "../format";
import type { PersonInput } from "../generated";
import { lang, t } from "../i18n";
import { KeyPicker, type PickedKey } from "../keypicker";
import { emptyDraft, inputOf, clearDraft, saveDraft, type DocKind, type WizardDraft } from "./draft";
import { pick, type WizardContext } from "./form";

/** The draft's key as the picker takes it. */
function pickedOf(k: WizardDraft["key"]): PickedKey | null {
  if (k.kind === "ncalayer") return { key: { kind: "ncalayer", locale: lang() }, fileName: "" };
  if (k.kind === "token" && k.token_label) return { key: { kind: "token", module: k.module, token_label: k.token_label }, fileName: "" };
  if (k.kind === "key_file" && k.file) return { key: { kind: "key_file", file: k.file }, fileName: k.file_name };
  return null;
}

export class SignStep {
  private picker: KeyPicker | null = null;
  busy = false;

  constructor(
    private readonly ctx: WizardContext,
    private readonly clerk: () => string,
    private readonly fieldOnStep: (field: string) => number,
  ) {}

  /** A new picker for a newly opened wizard; the secret of the last one is gone. */
  reset(): void {
    this.picker?.clearSecret();
    this.picker = null;
    this.busy = false;
  }

  private keyPicker(): KeyPicker {
    if (!this.picker) {
      const d = this.ctx.draft;
      this.picker = new KeyPicker({
        ids: { prefix: "wz", browse: "wz-key-pick", path: "wz-key-path", secret: "wz-pin" },
        initial: pickedOf(d.key),
        sectionClass: "wizard-section",
        onChange: (picked) => {
          const k = this.ctx.draft.key;
          const key = picked.key;
          if (key?.kind === "key_file") Object.assign(k, { kind: "key_file", file: key.file, file_name: picked.fileName });
          else if (key?.kind === "token") Object.assign(k, { kind: "token", module: key.module, token_label: key.token_label });
          else if (key?.kind === "ncalayer") k.kind = "ncalayer";
          this.ctx.persist();
        },
        onEnter: () => void this.submit(),
      });
    }
    return this.picker;
  }

  /** Shows a key or PIN error of desk next to the picker; false when it is not one. */
  showKeyError(e: CommandError): boolean {
    return this.picker?.showError(e) ?? false;
  }

  clearKeyErrors(): void {
    this.picker?.clearErrors();
  }

  review(): HTMLElement {
    const d = this.ctx.draft;
    const { form, microDistricts, schools } = this.ctx;
    const { input } = inputOf(d);
    const dl = (rows: Array<[string, string]>) => h("dl", { class: "review" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v || "—")]));
    const name = (p: PersonInput) => [p.surname, p.given, p.patronymic].filter(Boolean).join(" ");
    const md = microDistricts.find((m) => m.id === input.child.micro_district_id);
    const school = (schools?.schools ?? []).find((s) => s.id === input.school_id);
    const temp = input.temporary_registration;
    return h(
      "div",
      { id: "wizard-review", class: "review-grid" },
      form.section(t("wizard-applicant"), dl([[t("wizard-iin"), input.applicant.iin], [t("wizard-full-name"), name(input.applicant)]])),
      form.section(
        t("wizard-child"),
        dl([
          [t("wizard-iin"), input.child.person.iin],
          [t("wizard-full-name"), name(input.child.person)],
          [t("wizard-birth-certificate"), input.child.birth_certificate],
          [t("wizard-registered-address"), input.child.registered_address],
          [t("wizard-micro-district"), md ? pick(md.name_kk, md.name_ru) : ""],
          ...(temp ? ([[t("wizard-temporary-title"), `${temp.address}, ${isoDate(temp.from)} – ${isoDate(temp.until)}`]] as Array<[string, string]>) : []),
        ]),
      ),
      form.section(t("wizard-contacts"), dl([[t("wizard-phone"), input.phone], [t("wizard-extra-phone"), input.extra_phone], [t("wizard-email"), input.email]])),
      form.section(
        t("wizard-school-section"),
        dl([
          [t("wizard-grade"), t("grade-value", { grade: input.grade || (this.ctx.formView?.default_grade ?? 0) })],
          [t("wizard-language"), labels.language(input.language)],
          [t("wizard-school"), school ? pick(school.name_kk, school.name_ru) : input.school_id],
          [t("wizard-documents"), input.documents.map((doc) => `${labels.documentKind(doc.kind)}: ${d.docInfo[doc.kind as DocKind]?.file_name ?? ""}`).join("; ")],
        ]),
      ),
    );
  }

  /** The key and its PIN / password. */
  keySection(): HTMLElement {
    const picker = this.keyPicker();
    picker.setBusy(this.busy);
    return picker.root;
  }

  /** «Қол қою және жіберу»: signed with the clerk's key; success shows the number. */
  async submit(): Promise<void> {
    const ctx = this.ctx;
    const picker = this.keyPicker();
    if (this.busy) return;
    const d = ctx.draft;
    const { input, docOrder } = inputOf(d);
    const key = picker.chosenKey();
    ctx.errors.clear();
    ctx.banner = null;
    picker.clearErrors();
    if (!key) picker.showText("key", t("wizard-key-missing"));
    // NCALayer asks for the storage and the PIN in its own window.
    if (picker.needsSecret() && !picker.secretValue()) picker.showText("secret", t("wizard-pin-missing"));
    if (picker.hasErrors() || !key) {
      ctx.render();
      picker.focus();
      return;
    }
    this.busy = true;
    ctx.render();
    try {
      const outcome = await wizardApi.submit(input, key, picker.secretValue());
      picker.clearSecret();
      this.busy = false;
      clearDraft(this.clerk());
      const fresh = emptyDraft();
      fresh.key = { ...d.key };
      ctx.draft = fresh;
      saveDraft(this.clerk(), fresh);
      const send = ctx.root.querySelector<HTMLButtonElement>("#wizard-submit");
      if (send) send.textContent = t("wizard-success-title");
      await this.success(outcome.application_id, outcome.number, outcome.warnings);
      ctx.close(outcome.application_id);
    } catch (e) {
      this.busy = false;
      ctx.showErrors(e, docOrder);
      // A field of an earlier step: go back to it, nothing typed is lost.
      const first = e instanceof FormError ? e.fields.map((f) => this.fieldOnStep(f.field)).sort()[0] : undefined;
      if (first !== undefined && first < 3) {
        ctx.draft.step = first as 1 | 2;
        ctx.persist();
      }
      ctx.render();
      if (ctx.draft.step === 3 && picker.hasErrors()) picker.focus();
      else ctx.focusFirst();
    }
  }

  /** The success message with the number and "Print the document receipt". */
  private async success(applicationId: string, number: string, warnings: string[]): Promise<void> {
    const print = h("button", { id: "wizard-print", type: "button", class: "secondary" }, t("wizard-print-receipt"));
    const printed = h("p", { id: "wizard-print-result", class: "field-hint", "aria-live": "polite" });
    print.addEventListener("click", async () => {
      try {
        const saved = await wizardApi.receiptPrint(applicationId, lang());
        printed.textContent = t("wizard-printed", { file: saved.file_name });
      } catch (e) {
        printed.textContent = errorText(e as CommandError);
      }
    });
    // the round started at once; the portal's number replaces the provisional one
    // here when it answers, or its refusal shows in its words (R-29 says where the
    // pending application is).
    const numberLine = h("p", { class: "success-number", id: "wizard-number" }, t("wizard-registered", { number }));
    const note = number.startsWith("L-") ? h("p", { class: "field-hint" }, t("wizard-provisional-note")) : null;
    const answer = h("p", { id: "wizard-portal-answer", class: "field-hint", "aria-live": "polite" });
    const watch = async () => {
      try {
        const v = await api.application(applicationId);
        if (v.refusal) {
          answer.textContent = t("walk-in-portal-refused", { message: v.refusal.message });
          answer.classList.add("warn");
        } else if (!v.provisional) {
          numberLine.textContent = t("wizard-registered", { number: v.number });
          answer.textContent = t("walk-in-number-assigned", { number: v.number });
          note?.remove();
        }
      } catch {
        /* the journal shows the row; nothing to add here */
      }
    };
    const unlisten = await syncEvents
      .onRows((e) => {
        if (e.ids.includes(applicationId)) void watch();
      })
      .catch(() => null);
    const content = h(
      "div",
      {},
      numberLine,
      note,
      answer,
      ...warnings.map((w) => h("p", { class: "field-hint warn" }, errorText({ code: w }))),
      print,
      printed,
    );
    void watch();
    try {
      await this.ctx.modal(t("wizard-success-title"), content, t("wizard-ok"), null, "wizard-success");
    } finally {
      unlisten?.();
    }
  }
}
