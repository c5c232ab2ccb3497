// Printing for the parent at the desk: "Print receipt" writes the PDF the desk
// renders (`Desk::receipt`) and opens it in the system's viewer, whose print button is
// the print flow; "Save PDF" asks where. The receipt's language is the interface's by
// default and can be switched here for one application. Which receipt an application
// has (or why none) comes from desk (`application_actions`), never from this file.
import { api, CommandError, type SavedFile } from "./api";
import { errorText } from "./catalogue";
import { h } from "./dom";
import { lang, t, type UiLang } from "./i18n";

export interface PrintEvents {
  /** A line for the clerk (where the file went, or what failed), kept beside the buttons;
   * a function, so it follows a language switch. */
  notice(text: () => string, kind: "ok" | "error"): void;
}

export class PrintControls {
  /** Chosen for this application only; `null` follows the interface language. */
  private chosenLang: UiLang | null = null;
  private busy = false;

  constructor(
    readonly applicationId: string,
    private readonly receiptKind: string | null,
    private readonly events: PrintEvents,
  ) {}

  get available(): boolean {
    return this.receiptKind !== null;
  }

  receiptLang(): UiLang {
    return this.chosenLang ?? lang();
  }

  /** The clerk's own choice, kept when the application is read again (after a decision). */
  get chosen(): UiLang | null {
    return this.chosenLang;
  }

  set chosen(l: UiLang | null) {
    this.chosenLang = l;
  }

  /** The buttons and the language choice; `idPrefix` keeps ids unique per place. */
  element(idPrefix: string): HTMLElement {
    const reason = this.available ? null : errorText({ code: "RECEIPT_NOT_AVAILABLE" });
    const print = h(
      "button",
      {
        type: "button",
        class: "secondary print-button",
        id: `${idPrefix}-print`,
        disabled: !this.available || this.busy,
        title: reason ?? t("print-shortcut"),
        "aria-keyshortcuts": "Alt+P",
      },
      t("print-receipt"),
    );
    print.addEventListener("click", () => void this.print());
    const save = h(
      "button",
      { type: "button", class: "secondary", id: `${idPrefix}-save`, disabled: !this.available || this.busy, title: reason ?? t("save-pdf") },
      t("save-pdf"),
    );
    save.addEventListener("click", () => void this.save());
    const select = h("select", { id: `${idPrefix}-lang`, disabled: !this.available, "aria-label": t("print-receipt-language"), title: t("print-receipt-language") });
    for (const [code, name] of [
      ["kk", t("language-name-kk")],
      ["ru", t("language-name-ru")],
    ] as const) {
      const option = h("option", { value: code, lang: code }, name);
      option.selected = code === this.receiptLang();
      select.append(option);
    }
    select.addEventListener("change", () => {
      this.chosenLang = select.value === "ru" ? "ru" : "kk";
    });
    return h("span", { class: "print-controls", "data-receipt-kind": this.receiptKind ?? "" }, print, save, select);
  }

  async print(): Promise<SavedFile | null> {
    if (!this.available || this.busy) return null;
    return this.run(async () => {
      const file = await api.receiptPrint(this.applicationId, this.receiptLang());
      this.events.notice(() => withProvisional(file, t(file.opened ? "receipt-opened" : "receipt-written", { path: file.path })), "ok");
      return file;
    });
  }

  async save(): Promise<SavedFile | null> {
    if (!this.available || this.busy) return null;
    return this.run(async () => {
      const file = await api.receiptSave(this.applicationId, this.receiptLang());
      if (file) this.events.notice(() => withProvisional(file, t("file-saved", { path: file.path })), "ok");
      return file;
    });
  }

  private async run(f: () => Promise<SavedFile | null>): Promise<SavedFile | null> {
    this.busy = true;
    try {
      return await f();
    } catch (e) {
      const error = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      this.events.notice(() => errorText(error), "error");
      return null;
    } finally {
      this.busy = false;
    }
  }
}

/** a receipt printed before the portal confirmed the application says so. */
function withProvisional(file: SavedFile, text: string): string {
  return file.provisional ? `${text} · ${t("receipt-provisional")}` : text;
}
