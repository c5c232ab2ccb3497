// What every step of the wizard shares: the context a step works in (the draft, the
// errors by field, the lists asked of desk) and the labelled fields bound to the draft,
// each with its error next to it (codes → catalogue text). Presentation only.
import { h } from "../dom";
import type { MicroDistrictView, PersonInput, SchoolChoicesView, WizardFormView } from "../generated";
import { lang, t } from "../i18n";
import type { DocKind, WizardDraft } from "./draft";

/** A field's name as desk reports it (`child.person.iin`, `documents[0]`, `consents`). */
export type Field = string;

export const fieldId = (f: Field) => "wz-" + f.replace(/[.[\]]+/g, "-").replace(/-+$/, "");

/** The name in the interface's language (a catalogue or desk value with both). */
export function pick(kk: string | null | undefined, ru: string | null | undefined): string {
  return (lang() === "ru" ? ru : kk) ?? kk ?? ru ?? "";
}

/** What a step module sees of the wizard (index.ts implements it). */
export interface WizardContext {
  draft: WizardDraft;
  readonly errors: Map<Field, string>;
  banner: string | null;
  microDistricts: MicroDistrictView[];
  /** The schools desk offers for what was typed, and the one it assigns; null until asked. */
  schools: SchoolChoicesView | null;
  /** Documents the draft named but this session does not know (picked before a restart),
   *  by kind, with the message to pick them again; until they are. */
  readonly lostFiles: Map<string, string>;
  /** What the form offers (documents, grades), asked of desk when the wizard opens. */
  formView: WizardFormView | null;
  readonly root: HTMLElement;
  readonly isOpen: boolean;
  readonly modalOpen: boolean;
  readonly form: Form;
  /** Saves the draft in the journal (queued) and shows when. */
  persist(): void;
  render(): void;
  /** Renders again unless closed or a modal is open. */
  rerender(): void;
  focusFirst(): void;
  /** Focuses an element of the wizard by selector (after a render). */
  focus(selector: string): void;
  modal(title: string, text: string | HTMLElement, okText: string, cancelText: string | null, id?: string): Promise<boolean>;
  /** Puts desk's field errors next to their fields. */
  showErrors(e: unknown, docOrder?: DocKind[]): void;
  close(submittedId?: string | null): void;
}

export interface InputOptions {
  type?: string;
  required?: boolean;
  readonly?: boolean;
  hint?: string;
  inputmode?: string;
  wide?: boolean;
  /** A date as typed in Kazakhstan, `dd.mm.yyyy` (desk reads it, `domain::parse_date`):
   *  digits, ten characters, the localized pattern as placeholder. */
  date?: boolean;
}

/** The wizard's fields: labelled, bound to the draft, typing saves, the error under it. */
export class Form {
  constructor(private readonly ctx: Pick<WizardContext, "errors" | "persist">) {}

  /** An error next to the field, in the clerk's language. */
  errorFor(field: Field): HTMLElement | null {
    const msg = this.ctx.errors.get(field);
    if (!msg) return null;
    return h("p", { class: "field-error", id: fieldId(field) + "-error", role: "alert" }, msg);
  }

  clearError(field: Field, el: HTMLElement | null): void {
    if (!this.ctx.errors.delete(field)) return;
    el?.removeAttribute("aria-invalid");
    el?.removeAttribute("aria-describedby");
    document.getElementById(fieldId(field) + "-error")?.remove();
  }

  input(field: Field, label: string, get: () => string, set: (v: string) => void, opts: InputOptions = {}): HTMLElement {
    const id = fieldId(field);
    const errors = this.ctx.errors;
    const el = h("input", {
      id,
      type: opts.type ?? "text",
      autocomplete: "off",
      spellcheck: "false",
      inputmode: opts.date ? "numeric" : opts.inputmode,
      placeholder: opts.date ? t("date-placeholder") : undefined,
      maxlength: opts.date ? 10 : undefined,
      readonly: opts.readonly,
      "aria-required": opts.required ? "true" : undefined,
      "aria-invalid": errors.has(field) ? "true" : undefined,
      "aria-describedby": errors.has(field) ? id + "-error" : undefined,
      "data-field": field,
    });
    el.value = get();
    el.addEventListener("input", () => {
      set(el.value);
      this.clearError(field, el);
      this.ctx.persist();
    });
    return h(
      "div",
      { class: `field${opts.wide ? " wide" : ""}` },
      h("label", { for: id }, label, opts.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
      el,
      opts.hint ? h("p", { class: "field-hint" }, opts.hint) : null,
      this.errorFor(field),
    );
  }

  /** Surname, given name, patronymic (and the IIN first when asked). */
  person(prefix: string, p: PersonInput, withIin = true): HTMLElement[] {
    const out: HTMLElement[] = [];
    if (withIin) out.push(this.input(`${prefix}.iin`, t("wizard-iin"), () => p.iin, (v) => (p.iin = v), { required: true, inputmode: "numeric" }));
    out.push(
      this.input(`${prefix}.surname`, t("wizard-surname"), () => p.surname, (v) => (p.surname = v), { required: true }),
      this.input(`${prefix}.given`, t("wizard-given"), () => p.given, (v) => (p.given = v), { required: true }),
      this.input(`${prefix}.patronymic`, t("wizard-patronymic"), () => p.patronymic, (v) => (p.patronymic = v)),
    );
    return out;
  }

  section(title: string, ...children: Array<HTMLElement | null>): HTMLElement {
    return h("fieldset", { class: "wizard-section" }, h("legend", {}, title), ...children);
  }
}
