// A document's preview (R-5 «view», R-23 the readability check), as desk describes it
// (desk::document_preview): an image from its `data:` URL (the CSP allows img-src data:),
// a PDF as a card with its pages (the webview shows no PDF; object-src stays 'none').
// Presentation only.
import { h } from "./dom";
import type { DocumentPreviewView } from "./generated";
import { t } from "./i18n";

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** The preview element; `id` names it for labels and tests. `saved`: where «Жүктеу» is
 *  beside it (the documents tab), a PDF's card says to open it from there. */
export function documentPreview(p: DocumentPreviewView, id: string, large = false, saved = false): HTMLElement {
  if (p.image) {
    const img = h("img", { id, class: `doc-preview-image${large ? " large" : ""}`, src: p.image, alt: t("preview-alt", { name: p.file_name }) });
    return h("figure", { class: "doc-preview" }, img, h("figcaption", { class: "muted" }, `${p.file_name} · ${sizeText(p.size)}`));
  }
  if (p.pdf_damaged) return h("p", { id, class: "doc-preview doc-preview-pdf field-error", role: "alert" }, t("preview-pdf-damaged"));
  return h(
    "div",
    { id, class: "doc-preview doc-preview-pdf", "data-pages": p.pdf_pages ?? "" },
    h("span", { class: "doc-preview-icon", "aria-hidden": "true" }, "PDF"),
    h(
      "div",
      {},
      h("strong", {}, p.file_name),
      h("p", { class: "muted" }, t("preview-pdf", { pages: p.pdf_pages ?? "?", size: sizeText(p.size) })),
      saved ? h("p", { class: "field-hint" }, t("preview-pdf-hint")) : null,
    ),
  );
}
