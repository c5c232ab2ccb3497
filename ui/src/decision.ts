// The decision dialogs (R-6 accept, R-7 reject; seeds/002 steps 7–10): what is decided,
// the reason (reject), the key (keypicker.ts, shared with the wizard) and its PIN /
// password, then one `decide` call; desk checks, signs and records.
// Errors stay inside the dialog, next to what they are about, in the clerk's language;
// nothing typed is lost (the PIN field alone is cleared after a wrong PIN). Enter
// confirms, Esc cancels. The last key chosen is remembered for the session; the secret
// is read from its field at the moment of signing and never kept.
import { api, CommandError } from "./api";
import { entries, errorText, labels } from "./catalogue";
import { h } from "./dom";
import { KeyPicker, type PickedKey } from "./keypicker";
import type { ApplicationView, DecisionOutcome } from "./generated";
import { lang, onLangChange, t } from "./i18n";

export type DecisionKind = "accept" | "reject";

/** The key chosen last in this session (never the secret), and the key file's name. */
let lastKey: PickedKey | null = null;

let openDialog: DecisionDialog | null = null;

export function decisionDialogOpen(): boolean {
  return openDialog !== null;
}

/** Opens the dialog; resolves with the outcome once signed, or null when cancelled. */
export function openDecisionDialog(view: ApplicationView, kind: DecisionKind): Promise<DecisionOutcome | null> {
  if (openDialog) return Promise.resolve(null);
  return new Promise((resolve) => {
    openDialog = new DecisionDialog(view, kind, (outcome) => {
      openDialog = null;
      resolve(outcome);
    });
  });
}

class DecisionDialog {
  private readonly dialog = h("dialog", { class: "decision-dialog", id: "decision-dialog", "aria-labelledby": "dd-title" });
  // Inputs live across re-renders (a language switch), so what is typed stays.
  private readonly reasonCode = h("select", { id: "dd-reason-code", "aria-describedby": "dd-reason-error" });
  private readonly reasonText = h("textarea", { id: "dd-reason-text", rows: 2, "aria-describedby": "dd-reason-error" });
  private readonly picker: KeyPicker;
  /** An error that is not the key's: the reason's or the dialog's. */
  private error: { place: "reason" | "general"; error: CommandError } | null = null;
  private busy = false;

  constructor(
    private readonly view: ApplicationView,
    private readonly kind: DecisionKind,
    private readonly done: (outcome: DecisionOutcome | null) => void,
  ) {
    this.dialog.dataset.kind = kind;
    this.picker = new KeyPicker({
      ids: { prefix: "dd", browse: "dd-key-browse", path: "dd-key-path", secret: "dd-secret" },
      initial: lastKey,
      // For tests and styling: whether NCALayer answered.
      onLoaded: () => {
        const state = this.picker.ncalayerState;
        if (state !== undefined) this.dialog.dataset.ncalayer = state;
      },
    });
    // Esc belongs to the dialog: it must not also close the application behind it.
    this.dialog.addEventListener("keydown", (e) => {
      if (e.key === "Escape") e.stopPropagation();
    });
    this.dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      if (!this.busy) this.close(null);
    });
    this.dialog.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.confirm();
    });
    onLangChange(() => {
      if (this.dialog.isConnected) {
        this.picker.render();
        this.render();
      }
    });
    document.body.append(this.dialog);
    this.render();
    this.dialog.showModal();
    if (kind === "reject") this.reasonCode.focus();
    else this.picker.focus("secret");
  }

  private close(outcome: DecisionOutcome | null): void {
    this.picker.clearSecret();
    this.dialog.close();
    this.dialog.remove();
    this.done(outcome);
  }

  private async confirm(): Promise<void> {
    if (this.busy) return;
    const key = this.picker.chosenKey();
    if (!key) {
      this.picker.focus("key");
      return;
    }
    const input = {
      application_id: this.view.id,
      decision: this.kind,
      reason_code: this.kind === "reject" ? this.reasonCode.value || null : null,
      reason_text: this.kind === "reject" ? this.reasonText.value.trim() || null : null,
    };
    this.busy = true;
    this.error = null;
    this.picker.clearErrors();
    this.render();
    try {
      const outcome = await api.decide(input, key, this.picker.secretValue());
      lastKey = this.picker.picked();
      this.busy = false;
      this.close(outcome);
    } catch (e) {
      this.busy = false;
      const err = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
      const shown = this.picker.showError(err);
      if (!shown) this.error = { place: err.place === "reject_reason" ? "reason" : "general", error: err };
      this.render();
      if (this.error?.place === "reason") this.reasonCode.focus();
      else this.picker.focus();
    }
  }

  private errorLine(place: "reason" | "general"): HTMLElement {
    const err = this.error?.place === place ? this.error.error : null;
    return h("div", { class: "dd-error", id: `dd-${place}-error`, role: "alert", hidden: !err, "data-code": err?.code ?? null }, err ? errorText(err) : "");
  }

  private render(): void {
    // Inputs are moved into the new layout, which blurs them: the focus comes back.
    const active = document.activeElement;
    this.layout();
    if (active instanceof HTMLElement && active !== document.body && this.dialog.contains(active)) active.focus();
  }

  private layout(): void {
    const v = this.view;
    const reject = this.kind === "reject";
    const school = lang() === "ru" ? v.school.name_ru : v.school.name_kk;

    const summary = h(
      "dl",
      { class: "facts dd-summary" },
      h("dt", {}, t("decision-what")),
      h("dd", { class: reject ? "dd-what reject" : "dd-what accept" }, reject ? t("reject") : t("accept")),
      h("dt", {}, t("field-number")),
      h("dd", { class: "num" }, v.number),
      h("dt", {}, t("section-child")),
      h("dd", {}, v.child.person.full_name, h("span", { class: "muted" }, ` · ${t("field-iin")} ${v.child.person.iin}`)),
      h("dt", {}, t("field-school")),
      h("dd", {}, `${school} · ${t("grade-value", { grade: v.grade })} · ${labels.language(v.language)}`),
    );

    let reasonBlock: HTMLElement | null = null;
    if (reject) {
      const chosen = this.reasonCode.value;
      this.reasonCode.replaceChildren(
        h("option", { value: "" }, t("reject-reason-choose")),
        ...entries("reject_reasons").map((e) => h("option", { value: e.key }, lang() === "ru" ? e.ru : e.kk)),
      );
      this.reasonCode.value = chosen;
      reasonBlock = h(
        "div",
        { class: "dd-section" },
        h("label", { class: "dd-field" }, h("span", { class: "dd-label" }, t("reject-reason")), this.reasonCode),
        h(
          "label",
          { class: "dd-field" },
          h("span", { class: "dd-label" }, t("reject-text"), h("span", { class: "muted dd-hint" }, ` (${t("reject-text-required")})`)),
          this.reasonText,
        ),
        this.errorLine("reason"),
      );
    }

    const cancel = h("button", { type: "button", class: "secondary", id: "dd-cancel", disabled: this.busy, title: t("cancel-shortcut") }, t("cancel"));
    cancel.addEventListener("click", () => this.close(null));
    const ncalayer = this.picker.chosenKey()?.kind === "ncalayer";
    const confirm = h(
      "button",
      { type: "submit", class: reject ? "reject" : "accept", id: "dd-confirm", disabled: this.busy, title: t("confirm-shortcut") },
      this.busy ? t(ncalayer ? "signing-busy-nca-layer" : "signing-busy") : reject ? t("confirm-reject") : t("confirm-accept"),
    );

    for (const el of [this.reasonCode, this.reasonText]) el.disabled = this.busy;
    this.picker.setBusy(this.busy);
    this.dialog.setAttribute("aria-busy", String(this.busy));
    this.dialog.replaceChildren(
      h(
        "form",
        { method: "dialog", class: "dd-form" },
        h("h2", { id: "dd-title" }, reject ? t("reject-dialog-title") : t("accept-dialog-title")),
        h("p", { class: "dd-lead" }, reject ? t("reject-dialog-lead") : t("accept-dialog-lead")),
        summary,
        reasonBlock,
        this.picker.root,
        this.errorLine("general"),
        h("div", { class: "dd-buttons" }, cancel, confirm),
      ),
    );
  }
}
