// The on-behalf wizard («Өтініш берушінің атынан беру», R-8…R-18): its own full-height
// view with the steps at the top (1 · 2 · Қол қою және жіберу) and Back / «Алға қарай»
// at the bottom. Every rule is asked of desk (wizard_* commands); this file only shows
// the fields, keeps the draft (wizard-draft.ts) and puts each error next to its field.
import { api, FormError, wizardApi, type CommandError } from "./api";
import { entries, errorText, labels } from "./catalogue";
import { byId, h } from "./dom";
import { dateTime, isoDate } from "./format";
import type { KeyChoice, MicroDistrictView, PersonInput, SchoolChoiceView, TokenView } from "./generated";
import { lang, t, type StringKey } from "./i18n";
import {
  clearDraft,
  DOC_KINDS,
  emptyDraft,
  hasContent,
  inputOf,
  loadDraft,
  MANDATORY_DOCS,
  saveDraft,
  type DocKind,
  type WizardDraft,
} from "./wizard-draft";

export interface WizardEvents {
  /** The wizard closed; `submittedId` is the new application when one was sent. */
  closed: (submittedId: string | null) => void;
}

type Field = string;

const fieldId = (f: Field) => "wz-" + f.replace(/[.[\]]+/g, "-").replace(/-+$/, "");

function pick(kk: string | null | undefined, ru: string | null | undefined): string {
  return (lang() === "ru" ? ru : kk) ?? kk ?? ru ?? "";
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export class Wizard {
  private draft: WizardDraft = emptyDraft();
  private clerk = "";
  private root: HTMLElement;
  private errors = new Map<Field, string>();
  private banner: string | null = null;
  private busy = false;
  private pin = "";
  private microDistricts: MicroDistrictView[] = [];
  private schools: SchoolChoiceView[] | null = null;
  private tokens: TokenView[] | null = null;
  /** NCALayer's version when it answers (issue 14): offered as a third key; undefined until asked. */
  private ncalayer: string | null | undefined = undefined;
  private modalOpen = false;
  isOpen = false;

  constructor(private readonly events: WizardEvents) {
    this.root = h("section", { id: "wizard", class: "wizard", hidden: true, "aria-labelledby": "wizard-title" });
    byId("app").insertBefore(this.root, byId("status-bar"));
    const open = h(
      "button",
      { id: "wizard-open", type: "button", class: "top-action", "data-i18n": "wizardOpen", "data-i18n-title": "wizardOpenShortcut", "aria-keyshortcuts": "Alt+N" },
      t("wizardOpen"),
    );
    open.title = t("wizardOpenShortcut");
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
    this.banner = null;
    this.pin = "";
    this.isOpen = true;
    byId("app").dataset.view = "wizard";
    this.root.hidden = false;
    try {
      this.microDistricts = await wizardApi.microDistricts();
    } catch (e) {
      this.banner = errorText(e as CommandError);
    }
    this.render();
    this.focusFirst();
  }

  /** Back to the journal; the draft stays (UI.md: "A draft is never lost"). */
  close(submittedId: string | null = null): void {
    if (!this.isOpen) return;
    this.persist();
    this.isOpen = false;
    this.pin = "";
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

  private persist(): void {
    if (!saveDraft(this.clerk, this.draft)) return;
    const saved = this.root.querySelector<HTMLElement>("#wizard-saved");
    if (saved && this.draft.savedAt) saved.textContent = t("wizardDraftSaved", { time: dateTime(this.draft.savedAt) });
  }

  private focusFirst(): void {
    const first = this.root.querySelector<HTMLElement>("[aria-invalid='true']") ?? this.root.querySelector<HTMLElement>(".wizard-body input:not([readonly]), .wizard-body select, .wizard-body button");
    first?.focus();
  }

  // ---- rendering ----

  private render(): void {
    const d = this.draft;
    const steps: Array<[1 | 2 | 3, StringKey]> = [
      [1, "wizardStep1"],
      [2, "wizardStep2"],
      [3, "wizardStep3"],
    ];
    const head = h(
      "header",
      { class: "wizard-head" },
      h("h2", { id: "wizard-title" }, t("wizardOpen")),
      h(
        "ol",
        { class: "wizard-steps", "aria-label": t("wizardStepsLabel") },
        ...steps.map(([n, key]) =>
          h(
            "li",
            { class: n === d.step ? "current" : n < d.step ? "done" : "", "aria-current": n === d.step ? "step" : undefined, "data-step": n },
            h("span", { class: "step-number" }, String(n)),
            h("span", { class: "step-name" }, t(key)),
          ),
        ),
      ),
      h("span", { id: "wizard-saved", class: "wizard-saved", "aria-live": "polite" }, d.savedAt ? t("wizardDraftSaved", { time: dateTime(d.savedAt) }) : ""),
    );
    const body = h("div", { class: "wizard-body" });
    if (this.banner) body.append(h("div", { id: "wizard-error", class: "error-banner", role: "alert" }, this.banner));
    if (d.step === 1) this.renderStep1(body);
    else if (d.step === 2) this.renderStep2(body);
    else this.renderStep3(body);

    const back = h("button", { id: "wizard-back", type: "button", class: "secondary" }, d.step === 1 ? t("wizardToJournal") : t("wizardBack"));
    back.addEventListener("click", () => {
      if (this.draft.step === 1) this.close();
      else this.go((this.draft.step - 1) as 1 | 2);
    });
    const foot = h("footer", { class: "wizard-foot" }, back);
    if (d.step < 3) {
      const next = h("button", { id: "wizard-next", type: "button", class: "primary" }, t("wizardNext"));
      next.addEventListener("click", () => void this.next());
      foot.append(h("span", { class: "wizard-foot-hint" }, t("wizardDraftHint")), next);
    } else {
      const send = h("button", { id: "wizard-submit", type: "button", class: "primary", disabled: this.busy }, this.busy ? t("wizardSigning") : t("wizardSubmit"));
      send.addEventListener("click", () => void this.submit());
      foot.append(h("span", { class: "wizard-foot-hint" }, t("wizardSignHint")), send);
    }
    this.root.replaceChildren(head, body, foot);
  }

  private go(step: 1 | 2 | 3): void {
    this.draft.step = step;
    this.errors.clear();
    this.banner = null;
    this.persist();
    this.render();
    this.root.querySelector(".wizard-body")?.scrollTo(0, 0);
    this.focusFirst();
  }

  /** An error next to the field, in the clerk's language (codes → catalogue `errors`). */
  private errorFor(field: Field): HTMLElement | null {
    const msg = this.errors.get(field);
    if (!msg) return null;
    return h("p", { class: "field-error", id: fieldId(field) + "-error", role: "alert" }, msg);
  }

  /** A labelled input bound to the draft: typing saves, an error shows under it. */
  private input(
    field: Field,
    label: string,
    get: () => string,
    set: (v: string) => void,
    opts: { type?: string; required?: boolean; readonly?: boolean; hint?: string; inputmode?: string; wide?: boolean } = {},
  ): HTMLElement {
    const id = fieldId(field);
    const el = h("input", {
      id,
      type: opts.type ?? "text",
      autocomplete: "off",
      spellcheck: "false",
      inputmode: opts.inputmode,
      readonly: opts.readonly,
      "aria-required": opts.required ? "true" : undefined,
      "aria-invalid": this.errors.has(field) ? "true" : undefined,
      "aria-describedby": this.errors.has(field) ? id + "-error" : undefined,
      "data-field": field,
    });
    el.value = get();
    el.addEventListener("input", () => {
      set(el.value);
      this.clearError(field, el);
      this.persist();
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

  private clearError(field: Field, el: HTMLElement | null): void {
    if (!this.errors.delete(field)) return;
    el?.removeAttribute("aria-invalid");
    el?.removeAttribute("aria-describedby");
    document.getElementById(fieldId(field) + "-error")?.remove();
  }

  private person(prefix: string, p: PersonInput, withIin = true): HTMLElement[] {
    const out: HTMLElement[] = [];
    if (withIin)
      out.push(this.input(`${prefix}.iin`, t("wizardIin"), () => p.iin, (v) => (p.iin = v), { required: true, inputmode: "numeric" }));
    out.push(
      this.input(`${prefix}.surname`, t("wizardSurname"), () => p.surname, (v) => (p.surname = v), { required: true }),
      this.input(`${prefix}.given`, t("wizardGiven"), () => p.given, (v) => (p.given = v), { required: true }),
      this.input(`${prefix}.patronymic`, t("wizardPatronymic"), () => p.patronymic, (v) => (p.patronymic = v)),
    );
    return out;
  }

  private section(title: string, ...children: Array<HTMLElement | null>): HTMLElement {
    return h("fieldset", { class: "wizard-section" }, h("legend", {}, title), ...children);
  }

  private renderStep1(body: HTMLElement): void {
    const d = this.draft;
    const i = d.input;
    body.append(this.section(t("wizardApplicant"), h("div", { class: "field-row" }, ...this.person("applicant", i.applicant))));

    // The child: IIN with «ЖСН-ды тексеру» (R-22).
    const check = h("button", { id: "wizard-check-iin", type: "button", class: "secondary" }, t("wizardCheckIin"));
    check.addEventListener("click", () => void this.checkIin());
    const iinField = this.input("child.person.iin", t("wizardChildIin"), () => i.child.person.iin, (v) => {
      i.child.person.iin = v;
      if (d.lookup && d.lookup.iin !== v.trim()) d.lookup = null;
    }, { required: true, inputmode: "numeric" });
    iinField.querySelector("input")?.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void this.checkIin();
      }
    });
    const facts = d.lookup
      ? h(
          "p",
          { id: "wizard-lookup", class: "lookup-facts", role: "status" },
          t("wizardBorn", { date: isoDate(d.lookup.birth_date), sex: t(d.lookup.sex === "female" ? "wizardFemale" : "wizardMale") }),
          " · ",
          d.lookup.child ? t("wizardKnownChild") : t("wizardUnknownChild"),
        )
      : null;
    body.append(
      this.section(
        t("wizardChild"),
        h("div", { class: "field-row" }, iinField, h("div", { class: "field field-action" }, check)),
        facts,
        h(
          "div",
          { class: "field-row" },
          ...this.person("child.person", i.child.person, false),
          this.input("child.birth_certificate", t("wizardBirthCertificate"), () => i.child.birth_certificate, (v) => (i.child.birth_certificate = v), { required: true }),
        ),
      ),
    );

    // Contacts (R-21).
    body.append(
      this.section(
        t("wizardContacts"),
        h(
          "div",
          { class: "field-row" },
          this.input("phone", t("wizardPhone"), () => i.phone, (v) => (i.phone = v), { required: true, type: "tel", hint: t("wizardPhoneHint") }),
          this.input("extra_phone", t("wizardExtraPhone"), () => i.extra_phone, (v) => (i.extra_phone = v), { type: "tel" }),
          this.input("email", t("wizardEmail"), () => i.email, (v) => (i.email = v), { type: "email" }),
        ),
      ),
    );

    body.append(this.addressSection(), this.temporarySection());
  }

  /** The registered address and its micro-district (R-15…R-17). */
  private addressSection(): HTMLElement {
    const d = this.draft;
    const child = d.input.child;
    const known = Boolean(d.lookup?.child);
    const md = this.microDistricts.find((m) => m.id === child.micro_district_id);
    const parts: Array<HTMLElement | null> = [];
    parts.push(
      h(
        "div",
        { class: "field-row" },
        this.input("child.registered_address", t("wizardRegisteredAddress"), () => child.registered_address, (v) => (child.registered_address = v), {
          required: true,
          readonly: known && !d.editing,
          wide: true,
        }),
      ),
    );
    if (md) {
      parts.push(
        h(
          "p",
          { id: "wizard-md", class: "md-line" },
          h("span", { class: "md-label" }, t("wizardMicroDistrict") + ": "),
          h("strong", {}, pick(md.name_kk, md.name_ru)),
          d.bound ? h("span", { class: "md-bound" }, " · " + t("wizardBoundNote")) : null,
        ),
      );
    } else if (!d.editing) {
      const edit = h("button", { id: "wizard-edit", type: "button", class: "secondary" }, t("wizardEdit"));
      edit.addEventListener("click", () => void this.startEditing());
      parts.push(h("div", { id: "wizard-md-missing", class: "notice" }, h("p", {}, t("wizardNoMicroDistrict")), edit));
      if (d.mdSaved && d.mdChoice) {
        const chosen = this.microDistricts.find((m) => m.id === d.mdChoice);
        const bind = h("button", { id: "wizard-bind", type: "button", class: "primary" }, t("wizardBind"));
        bind.addEventListener("click", () => void this.bind());
        parts.push(
          h(
            "div",
            { class: "notice" },
            h("p", {}, t("wizardChosenMicroDistrict", { name: chosen ? pick(chosen.name_kk, chosen.name_ru) : d.mdChoice })),
            bind,
          ),
        );
      }
    }
    if (d.editing) {
      const select = h(
        "select",
        { id: fieldId("md-choice"), "data-field": "md-choice" },
        h("option", { value: "" }, t("wizardPickMicroDistrict")),
        ...this.microDistricts.map((m) => h("option", { value: m.id, selected: m.id === d.mdChoice }, pick(m.name_kk, m.name_ru))),
      );
      select.addEventListener("change", () => {
        d.mdChoice = select.value;
        this.persist();
      });
      const save = h("button", { id: "wizard-md-save", type: "button", class: "primary" }, t("wizardSave"));
      save.addEventListener("click", () => {
        if (!d.mdChoice) {
          this.errors.set("md-choice", t("wizardPickMicroDistrict"));
          this.render();
          return;
        }
        d.editing = false;
        d.mdSaved = true;
        this.persist();
        this.render();
        this.root.querySelector<HTMLElement>("#wizard-bind")?.focus();
      });
      parts.push(
        h(
          "div",
          { class: "notice editing" },
          h("div", { class: "field" }, h("label", { for: select.id }, t("wizardMicroDistrict")), select, this.errorFor("md-choice")),
          save,
        ),
      );
    }
    parts.push(this.errorFor("child.micro_district_id"));
    return this.section(t("wizardAddress"), ...parts);
  }

  private temporarySection(): HTMLElement {
    const d = this.draft;
    const box = h("input", { id: "wz-temporary", type: "checkbox", checked: d.temporary });
    box.addEventListener("change", () => void this.toggleTemporary(box));
    const parts: Array<HTMLElement | null> = [h("label", { class: "check" }, box, " ", t("wizardTemporary"))];
    if (d.temporary) {
      parts.push(
        h(
          "div",
          { class: "field-row" },
          this.input("temporary_registration.address", t("wizardTempAddress"), () => d.temp.address, (v) => (d.temp.address = v), { required: true, wide: true }),
          this.input("temporary_registration.from", t("wizardTempFrom"), () => d.temp.from, (v) => (d.temp.from = v), { required: true, type: "date" }),
          this.input("temporary_registration.until", t("wizardTempUntil"), () => d.temp.until, (v) => (d.temp.until = v), { required: true, type: "date" }),
        ),
      );
    }
    parts.push(this.errorFor("temporary_registration"));
    return this.section(t("wizardTemporaryTitle"), ...parts);
  }

  private renderStep2(body: HTMLElement): void {
    const d = this.draft;
    const i = d.input;
    const grade = h("select", { id: fieldId("grade") }, h("option", { value: "1", selected: true }, t("gradeValue", { grade: 1 })));
    grade.addEventListener("change", () => {
      i.grade = Number(grade.value);
      this.persist();
    });
    const language = h(
      "select",
      { id: fieldId("language"), "aria-invalid": this.errors.has("language") ? "true" : undefined },
      ...entries("languages").map((e) => h("option", { value: e.key, selected: e.key === i.language }, pick(e.kk, e.ru))),
    );
    language.addEventListener("change", () => {
      i.language = language.value;
      i.school_id = "";
      this.schools = null;
      this.persist();
      this.render();
    });
    const schoolSelect = h(
      "select",
      { id: fieldId("school_id"), "aria-required": "true", "aria-invalid": this.errors.has("school_id") ? "true" : undefined },
      h("option", { value: "" }, this.schools === null ? t("loading") : t("wizardPickSchool")),
      ...(this.schools ?? []).map((s) =>
        h(
          "option",
          { value: s.id, selected: s.id === i.school_id },
          `${pick(s.name_kk, s.name_ru)} — ${t("wizardFreePlaces", { count: s.free })}${s.of_micro_district ? " · " + t("wizardOwnSchool") : ""}`,
        ),
      ),
    );
    schoolSelect.addEventListener("change", () => {
      i.school_id = schoolSelect.value;
      this.clearError("school_id", schoolSelect);
      this.persist();
    });
    const own = (this.schools ?? []).some((s) => s.of_micro_district);
    body.append(
      this.section(
        t("wizardSchoolSection"),
        h(
          "div",
          { class: "field-row" },
          h("div", { class: "field" }, h("label", { for: grade.id }, t("wizardGrade")), grade),
          h("div", { class: "field" }, h("label", { for: language.id }, t("wizardLanguage")), language, this.errorFor("language")),
        ),
        h(
          "div",
          { class: "field wide" },
          h("label", { for: schoolSelect.id }, t("wizardSchool"), h("span", { class: "req", "aria-hidden": "true" }, " *")),
          schoolSelect,
          h("p", { class: "field-hint" }, t("wizardSchoolHint")),
          this.schools !== null && !own && !d.temporary ? h("p", { class: "field-hint warn" }, t("wizardNoOwnSchool")) : null,
          this.errorFor("school_id"),
        ),
      ),
    );
    if (this.schools === null) void this.loadSchools();

    const rows = DOC_KINDS.map((kind) => this.documentRow(kind));
    body.append(this.section(t("wizardDocuments"), h("p", { class: "field-hint" }, t("wizardDocumentsHint")), ...rows, this.errorFor("documents")));
  }

  private async loadSchools(): Promise<void> {
    const i = this.draft.input;
    const md = this.draft.temporary ? null : i.child.micro_district_id;
    try {
      const list = await wizardApi.schools(i.grade || 1, i.language, md);
      this.schools = list;
      const own = list.find((s) => s.of_micro_district);
      if (!i.school_id && own) {
        // R-24: the school of the micro-district is chosen for the clerk; they may change it.
        i.school_id = own.id;
        this.persist();
      }
    } catch (e) {
      this.schools = [];
      this.banner = errorText(e as CommandError);
    }
    if (this.isOpen && this.draft.step === 2 && !this.modalOpen) this.render();
  }

  private documentRow(kind: DocKind): HTMLElement {
    const d = this.draft;
    const field = `doc.${kind}`;
    const id = fieldId(field);
    const mandatory = MANDATORY_DOCS.includes(kind);
    const path = h("input", {
      id,
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      "data-field": field,
      placeholder: t("wizardPathPlaceholder"),
      "aria-invalid": this.errors.has(field) ? "true" : undefined,
      "aria-describedby": this.errors.has(field) ? id + "-error" : undefined,
    });
    path.value = d.docs[kind];
    const info = d.docInfo[kind];
    path.addEventListener("input", () => {
      d.docs[kind] = path.value;
      delete d.docInfo[kind];
      this.clearError(field, path);
      this.persist();
    });
    path.addEventListener("change", () => void this.checkDocument(kind));
    const choose = h("button", { id: id + "-pick", type: "button", class: "secondary" }, t("wizardChooseFile"));
    choose.addEventListener("click", () => void this.pickDocument(kind));
    const status = info
      ? info.problem
        ? null
        : h("p", { class: "doc-ok", id: id + "-info" }, `✓ ${info.file_name} · ${sizeText(info.size)}`)
      : null;
    return h(
      "div",
      { class: "field doc-row", "data-kind": kind },
      h("label", { for: id }, labels.documentKind(kind), mandatory ? h("span", { class: "req", "aria-hidden": "true" }, " *") : h("span", { class: "optional" }, ` (${t("wizardOptional")})`)),
      h("div", { class: "doc-input" }, path, choose),
      status,
      this.errorFor(field),
    );
  }

  private async pickDocument(kind: DocKind): Promise<void> {
    try {
      const chosen = await wizardApi.pickDocument();
      if (!chosen) return;
      this.draft.docs[kind] = chosen;
      this.persist();
      await this.checkDocument(kind);
    } catch (e) {
      this.banner = errorText(e as CommandError);
      this.render();
    }
  }

  /** The chosen file's size; over 1 MB (R-23) the message names the size. */
  private async checkDocument(kind: DocKind): Promise<void> {
    const d = this.draft;
    const path = d.docs[kind].trim();
    const field = `doc.${kind}`;
    this.errors.delete(field);
    if (!path) {
      delete d.docInfo[kind];
    } else {
      const info = await wizardApi.documentFile(path);
      d.docInfo[kind] = info;
      if (info.problem) this.errors.set(field, pick(info.problem_kk, info.problem_ru) || errorText({ code: info.problem }));
    }
    this.persist();
    if (this.isOpen && d.step === 2) this.render();
  }

  private renderStep3(body: HTMLElement): void {
    const d = this.draft;
    const { input } = inputOf(d);
    const dl = (rows: Array<[string, string]>) =>
      h("dl", { class: "review" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v || "—")]));
    const name = (p: PersonInput) => [p.surname, p.given, p.patronymic].filter(Boolean).join(" ");
    const md = this.microDistricts.find((m) => m.id === input.child.micro_district_id);
    const school = (this.schools ?? []).find((s) => s.id === input.school_id);
    body.append(
      h(
        "div",
        { id: "wizard-review", class: "review-grid" },
        this.section(t("wizardApplicant"), dl([[t("wizardIin"), input.applicant.iin], [t("wizardFullName"), name(input.applicant)]])),
        this.section(
          t("wizardChild"),
          dl([
            [t("wizardIin"), input.child.person.iin],
            [t("wizardFullName"), name(input.child.person)],
            [t("wizardBirthCertificate"), input.child.birth_certificate],
            [t("wizardRegisteredAddress"), input.child.registered_address],
            [t("wizardMicroDistrict"), md ? pick(md.name_kk, md.name_ru) : ""],
            ...(input.temporary_registration
              ? ([[t("wizardTemporaryTitle"), `${input.temporary_registration.address}, ${isoDate(input.temporary_registration.from)} – ${isoDate(input.temporary_registration.until)}`]] as Array<[string, string]>)
              : []),
          ]),
        ),
        this.section(t("wizardContacts"), dl([[t("wizardPhone"), input.phone], [t("wizardExtraPhone"), input.extra_phone], [t("wizardEmail"), input.email]])),
        this.section(
          t("wizardSchoolSection"),
          dl([
            [t("wizardGrade"), t("gradeValue", { grade: input.grade || 1 })],
            [t("wizardLanguage"), labels.language(input.language)],
            [t("wizardSchool"), school ? pick(school.name_kk, school.name_ru) : input.school_id],
            [t("wizardDocuments"), input.documents.map((doc) => `${labels.documentKind(doc.kind)}: ${doc.path.split(/[\\/]/).pop()}`).join("; ")],
          ]),
        ),
      ),
    );
    if (this.schools === null) void this.loadSchools().then(() => this.draft.step === 3 && this.rerender());

    // Consents (R-25, R-26).
    const consent = (key: "consent_admission_rules" | "consent_portal_terms" | "consent_personal_data", text: StringKey) => {
      const box = h("input", { id: fieldId(key), type: "checkbox", checked: d.input[key] });
      box.addEventListener("change", () => {
        d.input[key] = box.checked;
        this.clearError("consents", null);
        this.persist();
      });
      return h("label", { class: "check" }, box, " ", t(text));
    };
    const notify = h(
      "select",
      { id: fieldId("notifications") },
      ...entries("languages").map((e) => h("option", { value: e.key, selected: e.key === d.input.notifications }, pick(e.kk, e.ru))),
      h("option", { value: "", selected: d.input.notifications === "" }, t("wizardNoNotifications")),
    );
    notify.addEventListener("change", () => {
      d.input.notifications = notify.value;
      this.persist();
    });
    body.append(
      this.section(
        t("wizardConsents"),
        consent("consent_admission_rules", "wizardConsentRules"),
        consent("consent_portal_terms", "wizardConsentTerms"),
        consent("consent_personal_data", "wizardConsentPersonal"),
        h("div", { class: "field" }, h("label", { for: notify.id }, t("wizardNotifications")), notify),
        this.errorFor("consents"),
      ),
    );
    body.append(this.keySection());
  }

  /** The clerk's key (R-13, R-34): an NCA key file or a token, and its PIN / password. */
  private keySection(): HTMLElement {
    const k = this.draft.key;
    if (this.ncalayer === undefined) {
      this.ncalayer = null;
      void api
        .ncalayerVersion()
        .then((v) => (this.ncalayer = v))
        .catch(() => (this.ncalayer = null))
        .then(() => this.rerender());
    }
    const radio = (kind: "key_file" | "token" | "ncalayer", text: StringKey) => {
      const r = h("input", { id: `wz-key-${kind}`, type: "radio", name: "wz-key", value: kind, checked: k.kind === kind });
      r.addEventListener("change", () => {
        k.kind = kind;
        this.persist();
        this.render();
        document.getElementById(`wz-key-${kind}`)?.focus();
      });
      return h("label", { class: "check" }, r, " ", t(text));
    };
    const kinds = [radio("key_file", "wizardKeyFile"), radio("token", "wizardKeyToken")];
    if (this.ncalayer) kinds.push(radio("ncalayer", "wizardKeyNcaLayer"));
    const parts: Array<HTMLElement | null> = [h("div", { class: "key-kinds", role: "radiogroup" }, ...kinds)];
    if (k.kind === "ncalayer") {
      parts.push(h("p", { class: "muted", id: "wz-ncalayer-hint" }, `${t("ncalayerVersion", { version: this.ncalayer ?? "" })} · ${t("ncalayerHint")}`));
      return this.section(t("wizardSignature"), ...parts);
    }
    if (k.kind === "key_file") {
      const choose = h("button", { id: "wz-key-pick", type: "button", class: "secondary" }, t("wizardChooseFile"));
      choose.addEventListener("click", async () => {
        try {
          const p = await wizardApi.pickKeyFile();
          if (p) {
            k.path = p;
            this.persist();
            this.render();
          }
        } catch (e) {
          this.banner = errorText(e as CommandError);
          this.render();
        }
      });
      const field = this.input("key.path", t("wizardKeyPath"), () => k.path, (v) => (k.path = v), { required: true, wide: true });
      parts.push(h("div", { class: "field-row" }, field, h("div", { class: "field field-action" }, choose)));
    } else {
      if (this.tokens === null) {
        void wizardApi
          .keyTokens()
          .then((list) => (this.tokens = list))
          .catch(() => (this.tokens = []))
          .then(() => this.rerender());
      }
      const select = h(
        "select",
        { id: "wz-key-token" },
        h("option", { value: "" }, this.tokens === null ? t("loading") : this.tokens.length ? t("wizardPickToken") : t("wizardNoTokens")),
        ...(this.tokens ?? []).map((tok) =>
          h(
            "option",
            { value: `${tok.module}\n${tok.label}`, selected: tok.label === k.token_label && tok.module === k.module },
            `${tok.label} — ${tok.certificates.find((c) => c.signing)?.common_name ?? tok.manufacturer}`,
          ),
        ),
      );
      select.addEventListener("change", () => {
        const [module, label] = select.value.split("\n");
        k.module = module ?? "";
        k.token_label = label ?? "";
        this.persist();
      });
      parts.push(h("div", { class: "field wide" }, h("label", { for: select.id }, t("wizardKeyToken")), select, this.errorFor("key.path")));
    }
    const pin = h("input", {
      id: "wz-pin",
      type: "password",
      autocomplete: "off",
      "aria-invalid": this.errors.has("pin") ? "true" : undefined,
      "aria-describedby": this.errors.has("pin") ? "wz-pin-error" : undefined,
    });
    pin.value = this.pin;
    pin.addEventListener("input", () => {
      this.pin = pin.value;
      this.clearError("pin", pin);
    });
    pin.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void this.submit();
      }
    });
    parts.push(
      h(
        "div",
        { class: "field" },
        h("label", { for: "wz-pin" }, t("wizardPin"), h("span", { class: "req", "aria-hidden": "true" }, " *")),
        pin,
        this.errors.has("pin") ? h("p", { class: "field-error", id: "wz-pin-error", role: "alert" }, this.errors.get("pin") ?? "") : null,
      ),
    );
    return this.section(t("wizardSignature"), ...parts);
  }

  // ---- actions ----

  /** Puts the desk's field errors next to their fields (codes → catalogue text). */
  private showErrors(e: unknown, docOrder: DocKind[] = []): void {
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
      if (err.code === "SCHOOL_UNKNOWN" || err.code === "NO_FREE_PLACES") this.errors.set("school_id", errorText(err));
      else if (err.code === "DOCUMENT_UNREADABLE") this.banner = `${errorText(err)}${err.detail ? ` (${err.detail})` : ""}`;
      else if (/^(PIN_|PASSWORD_)/.test(err.code)) this.errors.set("pin", errorText(err));
      else if (/^(FILE_READ_FAILED|KEY_|CERTIFICATE_|IIN_MISMATCH|TOKEN_|NO_CERTIFICATE|NO_PRIVATE_KEY|PKCS11_|GOST_)/.test(err.code))
        this.errors.set("key.path", errorText(err));
      else this.banner = errorText(err);
    } else {
      const shown = new Set(fields.map((f) => f.field));
      if (![...shown].some((f) => this.fieldOnStep(f) === this.draft.step)) this.banner = errorText(err);
    }
  }

  private fieldOnStep(field: string): number {
    if (/^(grade|language|school_id|documents)/.test(field)) return 2;
    if (/^consents/.test(field)) return 3;
    return 1;
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

  private async checkIin(): Promise<void> {
    const d = this.draft;
    const child = d.input.child;
    try {
      const found = await wizardApi.childLookup(child.person.iin.trim());
      d.lookup = found;
      this.errors.delete("child.person.iin");
      if (found.child) {
        // R-22: filled from what is known; the clerk may still correct them.
        child.person = { ...found.child.person };
        child.birth_certificate = found.child.birth_certificate;
        child.registered_address = found.child.registered_address;
        child.registered_address_id = found.child.registered_address_id;
        child.micro_district_id = found.child.micro_district_id;
        d.bound = false;
      }
      this.persist();
      this.render();
      if (found.child && !found.child.micro_district_id) {
        // R-15: the registered address belongs to no micro-district.
        await this.modal(t("wizardNoMicroDistrictTitle"), t("wizardNoMicroDistrict"), t("wizardOk"), null);
        this.root.querySelector<HTMLElement>("#wizard-edit")?.focus();
      } else {
        this.root.querySelector<HTMLElement>(found.child ? "#wz-phone" : "#wz-child-person-surname")?.focus();
      }
    } catch (e) {
      this.showErrors(e);
      this.render();
      this.focusFirst();
    }
  }

  /** «Редакциялау» (R-16): the clerk first takes responsibility for changing the child's data. */
  private async startEditing(): Promise<void> {
    const ok = await this.modal(t("wizardResponsibilityTitle"), t("wizardResponsibility"), t("wizardConfirm"), t("wizardCancel"));
    if (!ok) return;
    this.draft.editing = true;
    this.draft.mdChoice = this.draft.mdChoice || this.draft.input.child.micro_district_id || "";
    this.persist();
    this.render();
    this.root.querySelector<HTMLElement>("#wz-md-choice")?.focus();
  }

  /** «Микротелімдерді біріктіру» → «Біріктіру» (R-17): bound on this draft; the portal gets it with the application. */
  private async bind(): Promise<void> {
    const d = this.draft;
    const chosen = this.microDistricts.find((m) => m.id === d.mdChoice);
    const text = t("wizardBindConfirm", {
      address: d.input.child.registered_address || "—",
      name: chosen ? pick(chosen.name_kk, chosen.name_ru) : d.mdChoice,
    });
    const ok = await this.modal(t("wizardBind"), text, t("wizardBindButton"), t("wizardCancel"));
    if (!ok) return;
    d.input.child.micro_district_id = d.mdChoice;
    d.bound = true;
    d.mdSaved = false;
    this.errors.delete("child.micro_district_id");
    this.persist();
    this.render();
    this.root.querySelector<HTMLElement>("#wizard-next")?.focus();
  }

  /** The temporary registration checkbox (R-18): ticking it needs the responsibility confirmed. */
  private async toggleTemporary(box: HTMLInputElement): Promise<void> {
    const d = this.draft;
    if (box.checked) {
      const ok = await this.modal(t("wizardResponsibilityTitle"), t("wizardResponsibility"), t("wizardConfirm"), t("wizardCancel"));
      d.temporary = ok;
    } else {
      d.temporary = false;
    }
    this.errors.delete("temporary_registration");
    this.persist();
    this.render();
    this.root.querySelector<HTMLElement>(d.temporary ? `#${fieldId("temporary_registration.address")}` : "#wz-temporary")?.focus();
  }

  /** «Қол қою және жіберу» (R-13): signed with the clerk's key; success shows the number (R-14). */
  private async submit(): Promise<void> {
    if (this.busy) return;
    const d = this.draft;
    const { input, docOrder } = inputOf(d);
    const key: KeyChoice =
      d.key.kind === "ncalayer"
        ? { kind: "ncalayer", locale: lang() }
        : d.key.kind === "key_file"
          ? { kind: "key_file", path: d.key.path.trim() }
          : { kind: "token", module: d.key.module, token_label: d.key.token_label };
    this.errors.clear();
    this.banner = null;
    if (key.kind === "key_file" && !key.path) this.errors.set("key.path", t("wizardKeyMissing"));
    if (key.kind === "token" && !key.token_label) this.errors.set("key.path", t("wizardKeyMissing"));
    // NCALayer asks for the storage and the PIN in its own window.
    if (!this.pin && key.kind !== "ncalayer") this.errors.set("pin", t("wizardPinMissing"));
    if (this.errors.size > 0) {
      this.render();
      this.focusFirst();
      return;
    }
    this.busy = true;
    this.render();
    try {
      const outcome = await wizardApi.submit(input, key, this.pin);
      this.pin = "";
      this.busy = false;
      clearDraft(this.clerk);
      const fresh = emptyDraft();
      fresh.key = { ...d.key };
      this.draft = fresh;
      saveDraft(this.clerk, fresh);
      const send = this.root.querySelector<HTMLButtonElement>("#wizard-submit");
      if (send) send.textContent = t("wizardSuccessTitle");
      await this.success(outcome.application_id, outcome.number, outcome.warnings);
      this.close(outcome.application_id);
    } catch (e) {
      this.busy = false;
      this.showErrors(e, docOrder);
      const err = e as CommandError;
      if (/PIN|PASSWORD/.test(err.code)) this.pin = "";
      // A field of an earlier step: go back to it, nothing typed is lost.
      const first = e instanceof FormError ? e.fields.map((f) => this.fieldOnStep(f.field)).sort()[0] : undefined;
      if (first !== undefined && first < 3) {
        this.draft.step = first as 1 | 2;
        this.persist();
      }
      this.render();
      this.focusFirst();
    }
  }

  /** The success message (R-14) with the number and "Print the document receipt". */
  private async success(applicationId: string, number: string, warnings: string[]): Promise<void> {
    const print = h("button", { id: "wizard-print", type: "button", class: "secondary" }, t("wizardPrintReceipt"));
    const printed = h("p", { id: "wizard-print-result", class: "field-hint", "aria-live": "polite" });
    print.addEventListener("click", async () => {
      try {
        const saved = await wizardApi.receiptPrint(applicationId, lang());
        printed.textContent = t("wizardPrinted", { file: saved.file_name });
      } catch (e) {
        printed.textContent = errorText(e as CommandError);
      }
    });
    const content = h(
      "div",
      {},
      h("p", { class: "success-number" }, t("wizardRegistered", { number })),
      number.startsWith("L-") ? h("p", { class: "field-hint" }, t("wizardProvisionalNote")) : null,
      ...warnings.map((w) => h("p", { class: "field-hint warn" }, errorText({ code: w }))),
      print,
      printed,
    );
    await this.modal(t("wizardSuccessTitle"), content, t("wizardOk"), null, "wizard-success");
  }

  /** A modal message in the wizard; resolves true for the primary button, false for cancel / Esc. */
  private modal(title: string, text: string | HTMLElement, okText: string, cancelText: string | null, id = "wizard-modal"): Promise<boolean> {
    return new Promise((resolve) => {
      this.modalOpen = true;
      const returnFocus = document.activeElement as HTMLElement | null;
      const ok = h("button", { id: `${id}-ok`, type: "button", class: "primary" }, okText);
      const cancel = cancelText ? h("button", { id: `${id}-cancel`, type: "button", class: "secondary" }, cancelText) : null;
      const dialog = h(
        "div",
        { id, class: "wizard-modal", role: cancelText ? "dialog" : "alertdialog", "aria-modal": "true", "aria-labelledby": `${id}-title` },
        h("h3", { id: `${id}-title` }, title),
        typeof text === "string" ? h("p", {}, text) : text,
        h("div", { class: "modal-buttons" }, cancel, ok),
      );
      const backdrop = h("div", { class: "wizard-backdrop" }, dialog);
      const done = (v: boolean) => {
        backdrop.remove();
        this.modalOpen = false;
        resolve(v);
        if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
      };
      ok.addEventListener("click", () => done(true));
      cancel?.addEventListener("click", () => done(false));
      backdrop.addEventListener("keydown", (e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          done(false);
        } else if (e.key === "Tab") {
          // Focus stays in the dialog.
          const focusable = [...dialog.querySelectorAll<HTMLElement>("button, input, select")];
          const i = focusable.indexOf(document.activeElement as HTMLElement);
          if (e.shiftKey && i <= 0) {
            e.preventDefault();
            focusable[focusable.length - 1]?.focus();
          } else if (!e.shiftKey && i === focusable.length - 1) {
            e.preventDefault();
            focusable[0]?.focus();
          }
        }
      });
      this.root.append(backdrop);
      ok.focus();
    });
  }
}

/** Whether a draft with content waits for this clerk (the journal may say so). */
export async function draftWaiting(clerk: string): Promise<boolean> {
  const d = await loadDraft(clerk);
  return d !== null && hasContent(d);
}
