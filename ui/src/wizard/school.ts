// Step 2, where the child is to study: the grade, the language of instruction and the
// school with its free places. Presentation only: desk offers the grades, lists the
// schools for what was typed and assigns the micro-district's.
import { wizardApi, type CommandError } from "../api";
import { inputOf } from "./draft";
import { entries, errorText } from "../catalogue";
import { h } from "../dom";
import { t } from "../i18n";
import { fieldId, pick, type WizardContext } from "./form";

export class SchoolStep {
  constructor(private readonly ctx: WizardContext) {}

  section(): HTMLElement {
    const ctx = this.ctx;
    const { draft: d, form, errors } = ctx;
    const i = d.input;
    const grades = ctx.formView?.grades ?? [ctx.formView?.default_grade ?? i.grade];
    const grade = h(
      "select",
      { id: fieldId("grade") },
      ...grades.map((g) => h("option", { value: String(g), selected: g === (i.grade || ctx.formView?.default_grade) }, t("grade-value", { grade: g }))),
    );
    grade.addEventListener("change", () => {
      i.grade = Number(grade.value);
      i.school_id = "";
      ctx.schools = null;
      ctx.persist();
      ctx.render();
    });
    const language = h(
      "select",
      { id: fieldId("language"), "aria-invalid": errors.has("language") ? "true" : undefined },
      ...entries("languages").map((e) => h("option", { value: e.key, selected: e.key === i.language }, pick(e.kk, e.ru))),
    );
    language.addEventListener("change", () => {
      i.language = language.value;
      i.school_id = "";
      ctx.schools = null;
      ctx.persist();
      ctx.render();
    });
    const schoolSelect = h(
      "select",
      { id: fieldId("school_id"), "aria-required": "true", "aria-invalid": errors.has("school_id") ? "true" : undefined },
      h("option", { value: "" }, ctx.schools === null ? t("loading") : t("wizard-pick-school")),
      ...(ctx.schools?.schools ?? []).map((s) =>
        h(
          "option",
          { value: s.id, selected: s.id === i.school_id },
          `${pick(s.name_kk, s.name_ru)} — ${t("wizard-free-places", { count: s.free })}${s.of_micro_district ? " · " + t("wizard-own-school") : ""}`,
        ),
      ),
    );
    schoolSelect.addEventListener("change", () => {
      i.school_id = schoolSelect.value;
      form.clearError("school_id", schoolSelect);
      ctx.persist();
    });
    if (ctx.schools === null) void this.load();
    return form.section(
      t("wizard-school-section"),
      h(
        "div",
        { class: "field-row" },
        h("div", { class: "field" }, h("label", { for: grade.id }, t("wizard-grade")), grade),
        h("div", { class: "field" }, h("label", { for: language.id }, t("wizard-language")), language, form.errorFor("language")),
      ),
      h(
        "div",
        { class: "field wide" },
        h("label", { for: schoolSelect.id }, t("wizard-school"), h("span", { class: "req", "aria-hidden": "true" }, " *")),
        schoolSelect,
        h("p", { class: "field-hint" }, t("wizard-school-hint")),
        ctx.schools?.own_school_missing ? h("p", { class: "field-hint warn" }, t("wizard-no-own-school")) : null,
        form.errorFor("school_id"),
      ),
    );
  }

  /** Asks desk for the schools; the review of step 3 names the chosen one from them too. */
  async load(): Promise<void> {
    const ctx = this.ctx;
    const i = ctx.draft.input;
    try {
      const choices = await wizardApi.schools(inputOf(ctx.draft).input);
      ctx.schools = choices;
      if (!i.school_id && choices.assigned) {
        // desk assigns the micro-district's school; the clerk may change it.
        i.school_id = choices.assigned;
        ctx.persist();
      }
    } catch (e) {
      ctx.schools = { schools: [], assigned: null, own_school_missing: false };
      ctx.banner = errorText(e as CommandError);
    }
    if (ctx.isOpen && ctx.draft.step >= 2) ctx.rerender();
  }
}
