// Step 2, the documents: one row per kind, the file picked through the native
// dialog (issue 15: a handle, never a path), what desk said of it (its size, a problem
// with its kk/ru text next to the row). Presentation only: desk checks the files.
import { wizardApi, type CommandError } from "../api";
import { errorText, labels } from "../catalogue";
import { h } from "../dom";
import type { DocumentFileView } from "../generated";
import { t } from "../i18n";
import type { DocKind } from "./draft";
import { fieldId, pick, sizeText, type WizardContext } from "./form";

export class DocumentsStep {
  constructor(private readonly ctx: WizardContext) {}

  section(): HTMLElement {
    const rows = (this.ctx.formView?.documents ?? []).map((slot) => this.row(slot.kind, slot.mandatory));
    return this.ctx.form.section(t("wizardDocuments"), h("p", { class: "field-hint" }, t("wizardDocumentsHint")), ...rows, this.ctx.form.errorFor("documents"));
  }

  private row(kind: DocKind, mandatory: boolean): HTMLElement {
    const { draft: d, errors, form } = this.ctx;
    const field = `doc.${kind}`;
    const id = fieldId(field);
    // Issue 15: the file comes only from the dialog; the field shows its name (read-only)
    // and a click on it opens the dialog too.
    const info = d.docInfo[kind];
    const path = h("input", {
      id,
      type: "text",
      readonly: true,
      "data-field": field,
      placeholder: t("wizardPathPlaceholder"),
      "aria-invalid": errors.has(field) ? "true" : undefined,
      "aria-describedby": errors.has(field) ? id + "-error" : undefined,
    });
    path.value = info?.file_name ?? "";
    path.addEventListener("click", () => void this.pick(kind));
    const choose = h("button", { id: id + "-pick", type: "button", class: "secondary" }, t("wizardChooseFile"));
    choose.addEventListener("click", () => void this.pick(kind));
    const status = info && !info.problem ? h("p", { class: "doc-ok", id: id + "-info" }, `✓ ${info.file_name} · ${sizeText(info.size)}`) : null;
    return h(
      "div",
      { class: "field doc-row", "data-kind": kind },
      h(
        "label",
        { for: id },
        labels.documentKind(kind),
        mandatory ? h("span", { class: "req", "aria-hidden": "true" }, " *") : h("span", { class: "optional" }, ` (${t("wizardOptional")})`),
      ),
      h("div", { class: "doc-input" }, path, choose),
      status,
      form.errorFor(field),
    );
  }

  private async pick(kind: DocKind): Promise<void> {
    const ctx = this.ctx;
    try {
      const chosen = await wizardApi.pickDocument();
      if (!chosen) return;
      ctx.draft.docs[kind] = chosen.file;
      this.show(kind, chosen);
    } catch (e) {
      ctx.banner = errorText(e as CommandError);
      ctx.render();
    }
  }

  /** What the desk said of the picked file; over 1 MB the message names the size. */
  private show(kind: DocKind, info: DocumentFileView): void {
    const ctx = this.ctx;
    const d = ctx.draft;
    const field = `doc.${kind}`;
    ctx.errors.delete(field);
    d.docInfo[kind] = info;
    if (info.problem) ctx.errors.set(field, pick(info.problem_kk, info.problem_ru) || errorText({ code: info.problem }));
    ctx.persist();
    if (ctx.isOpen && d.step === 2) ctx.render();
  }
}
