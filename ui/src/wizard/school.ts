// Step 2, where the child is to study: the grade, the language of instruction and the
// school with its free places (R-24: the micro-district's school is offered first).
// Presentation only: desk lists the schools and checks the choice.
import { wizardApi, type CommandError } from "../api";
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
    const grade = h("select", { id: fieldId("grade") }, h("option", { value: "1", selected: true }, t("gradeValue", { grade: 1 })));
    grade.addEventListener("change", () => {
      i.grade = Number(grade.value);
      ctx.persist();
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
      h("option", { value: "" }, ctx.schools === null ? t("loading") : t("wizardPickSchool")),
      ...(ctx.schools ?? []).map((s) =>
        h(
          "option",
          { value: s.id, selected: s.id === i.school_id },
          `${pick(s.name_kk, s.name_ru)} — ${t("wizardFreePlaces", { count: s.free })}${s.of_micro_district ? " · " + t("wizardOwnSchool") : ""}`,
        ),
      ),
    );
    schoolSelect.addEventListener("change", () => {
      i.school_id = schoolSelect.value;
      form.clearError("school_id", schoolSelect);
      ctx.persist();
    });
    const own = (ctx.schools ?? []).some((s) => s.of_micro_district);
    if (ctx.schools === null) void this.load();
    return form.section(
      t("wizardSchoolSection"),
      h(
        "div",
        { class: "field-row" },
        h("div", { class: "field" }, h("label", { for: grade.id }, t("wizardGrade")), grade),
        h("div", { class: "field" }, h("label", { for: language.id }, t("wizardLanguage")), language, form.errorFor("language")),
      ),
      h(
        "div",
        { class: "field wide" },
        h("label", { for: schoolSelect.id }, t("wizardSchool"), h("span", { class: "req", "aria-hidden": "true" }, " *")),
        schoolSelect,
        h("p", { class: "field-hint" }, t("wizardSchoolHint")),
        ctx.schools !== null && !own && !d.temporary ? h("p", { class: "field-hint warn" }, t("wizardNoOwnSchool")) : null,
        form.errorFor("school_id"),
      ),
    );
  }

  /** Asks desk for the schools; the review of step 3 names the chosen one from them too. */
  async load(): Promise<void> {
    const ctx = this.ctx;
    const i = ctx.draft.input;
    const md = ctx.draft.temporary ? null : i.child.micro_district_id;
    try {
      const list = await wizardApi.schools(i.grade || 1, i.language, md);
      ctx.schools = list;
      const own = list.find((s) => s.of_micro_district);
      if (!i.school_id && own) {
        // the school of the micro-district is chosen for the clerk; they may change it.
        i.school_id = own.id;
        ctx.persist();
      }
    } catch (e) {
      ctx.schools = [];
      ctx.banner = errorText(e as CommandError);
    }
    if (ctx.isOpen && ctx.draft.step >= 2) ctx.rerender();
  }
}
