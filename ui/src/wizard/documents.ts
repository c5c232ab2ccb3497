// Step 2, the documents (R-23): one row per kind desk offers, the file picked through the
// native dialog (issue 15: a handle, never a path), what desk said of it (its size, a
// problem with its kk/ru text next to the row), its preview, and — for an image desk
// made to fit 1 MB — the clerk's look («Оқылады» or another file) before it is attached.
// Presentation only: desk checks, reduces and decides what can be attached.
import { wizardApi, type CommandError } from "../api";
import { errorText, labels } from "../catalogue";
import { h } from "../dom";
import type { DocumentFileView, DocumentPreviewView } from "../generated";
import { t } from "../i18n";
import { documentPreview, sizeText } from "../preview";
import type { DocKind } from "./draft";
import { fieldId, pick, type WizardContext } from "./form";

export class DocumentsStep {
  /** Previews by file handle, asked of desk once per picked file. */
  private readonly previews = new Map<string, DocumentPreviewView | "loading" | "none">();

  constructor(private readonly ctx: WizardContext) {}

  section(): HTMLElement {
    const rows = (this.ctx.formView?.documents ?? []).map((slot) => this.row(slot.kind, slot.mandatory));
    // A missing mandatory document is said above the rows, not under the last (optional) one.
    return this.ctx.form.section(t("wizard-documents"), h("p", { class: "field-hint" }, t("wizard-documents-hint")), this.ctx.form.errorFor("documents"), ...rows);
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
      placeholder: t("wizard-path-placeholder"),
      "aria-invalid": errors.has(field) ? "true" : undefined,
      "aria-describedby": errors.has(field) ? id + "-error" : undefined,
    });
    path.value = info?.file_name ?? "";
    path.addEventListener("click", () => void this.pick(kind));
    const choose = h("button", { id: id + "-pick", type: "button", class: "secondary" }, t("wizard-choose-file"));
    choose.addEventListener("click", () => void this.pick(kind));
    const ok = info && !info.problem;
    const status = ok
      ? h(
          "p",
          { class: "doc-ok", id: id + "-info" },
          `✓ ${info.file_name} · ${sizeText(info.size)}`,
          info.reduced_from !== null && !info.needs_readability_check ? ` · ${t("wizard-doc-checked")}` : "",
        )
      : null;
    return h(
      "div",
      { class: "field doc-row", "data-kind": kind },
      h(
        "label",
        { for: id },
        labels.documentKind(kind),
        mandatory ? h("span", { class: "req", "aria-hidden": "true" }, " *") : h("span", { class: "optional" }, ` (${t("wizard-optional")})`),
      ),
      h("div", { class: "doc-input" }, path, choose),
      ok && info.needs_readability_check ? this.readabilityCheck(kind, info, id) : status,
      ok && !info.needs_readability_check ? this.preview(info, id + "-preview") : null,
      this.problemLine(kind, id) ?? form.errorFor(field),
    );
  }

  /** The file's own problem in the language shown now (desk gave both), or a file to pick again. */
  private problemLine(kind: DocKind, id: string): HTMLElement | null {
    const info = this.ctx.draft.docInfo[kind];
    const text = info?.problem ? pick(info.problem_kk, info.problem_ru) || errorText({ code: info.problem }) : this.ctx.lostFiles.get(kind);
    return text ? h("p", { class: "field-error", id: id + "-error", role: "alert" }, text) : null;
  }

  /** R-23: the image desk made to fit, shown large, with «Оқылады» / another file. */
  private readabilityCheck(kind: DocKind, info: DocumentFileView, id: string): HTMLElement {
    const readable = h("button", { id: id + "-readable", type: "button", class: "primary" }, t("wizard-doc-readable"));
    readable.addEventListener("click", () => void this.confirmReadable(kind, info.file));
    const another = h("button", { id: id + "-another", type: "button", class: "secondary" }, t("wizard-doc-pick-another"));
    another.addEventListener("click", () => void this.pick(kind));
    return h(
      "div",
      { class: "doc-check", id: id + "-check", role: "group", "aria-labelledby": id + "-check-text" },
      h("p", { id: id + "-check-text" }, t("wizard-doc-reduced", { from: sizeText(info.reduced_from ?? 0), to: sizeText(info.size) })),
      h("div", { class: "doc-check-buttons" }, readable, another),
      this.preview(info, id + "-preview", true),
    );
  }

  private preview(info: DocumentFileView, id: string, large = false): HTMLElement | null {
    const p = this.previews.get(info.file);
    if (p === undefined) {
      this.previews.set(info.file, "loading");
      void wizardApi
        .documentPreview(info.file)
        .then((view) => this.previews.set(info.file, view))
        .catch(() => this.previews.set(info.file, "none"))
        .then(() => {
          if (this.ctx.draft.step === 2) this.ctx.rerender();
        });
      return null;
    }
    return typeof p === "string" ? null : documentPreview(p, id, large);
  }

  private async confirmReadable(kind: DocKind, file: string): Promise<void> {
    try {
      const view = await wizardApi.documentReadable(file);
      this.show(kind, view);
      this.ctx.focus(`#${fieldId(`doc.${kind}`)}-pick`);
    } catch (e) {
      this.ctx.banner = errorText(e as CommandError);
      this.ctx.render();
    }
  }

  private async pick(kind: DocKind): Promise<void> {
    const ctx = this.ctx;
    try {
      const chosen = await wizardApi.pickDocument();
      if (!chosen) return;
      ctx.lostFiles.delete(kind);
      ctx.draft.docs[kind] = chosen.file;
      this.show(kind, chosen);
      if (chosen.needs_readability_check) ctx.focus(`#${fieldId(`doc.${kind}`)}-readable`);
    } catch (e) {
      ctx.banner = errorText(e as CommandError);
      ctx.render();
    }
  }

  /** What the desk said of the picked file; over 1 MB (R-23) the message names the size. */
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
