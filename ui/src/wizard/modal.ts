// A modal message inside the wizard (R-15's message, R-16's responsibility, R-17's
// binding, R-14's success): focus stays in it, Esc cancels. Presentation only.
import { h } from "../dom";

/** Resolves true for the primary button, false for cancel / Esc. */
export function wizardModal(
  root: HTMLElement,
  title: string,
  text: string | HTMLElement,
  okText: string,
  cancelText: string | null,
  id = "wizard-modal",
): Promise<boolean> {
  return new Promise((resolve) => {
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
    root.append(backdrop);
    ok.focus();
  });
}
