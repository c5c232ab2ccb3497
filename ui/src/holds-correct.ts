// A held walk-in corrected and signed again (issue 11, R-13) from the application's
// holds panel: the portal refused the binding (R-15…R-17) — the clerk picks another
// micro-district, confirms the responsibility and signs the binding and the submission
// again; or the register differs — the clerk takes the register's version and
// signs again. The key is the shared picker (keypicker.ts). What the clerk chose lives
// across re-renders of the pane (a sync round refreshing it, a language switch).
// Presentation only: desk checks, signs and records.
import { CommandError, FormError, walkInApi, wizardApi } from "./api";
import { errorText } from "./catalogue";
import { h } from "./dom";
import type { Correction, MicroDistrictView } from "./generated";
import { lang, t } from "./i18n";
import { KeyPicker } from "./keypicker";

/** What the clerk chose for one application's correction. */
interface Chosen {
  picker: KeyPicker;
  microDistrict: string;
  responsibility: boolean;
  /** The register's version: the key shows after «Тізімдегіні алу». */
  open: boolean;
  busy: boolean;
  /** Kept as codes, put into words at each render: a language switch translates them. */
  problem: CommandError | null;
  fieldErrors: Record<string, string>;
}

const chosen = new Map<string, Chosen>();
let microDistricts: MicroDistrictView[] | null = null;

function stateOf(applicationId: string, microDistrict: string): Chosen {
  let c = chosen.get(applicationId);
  if (!c) {
    c = {
      picker: new KeyPicker({
        ids: { prefix: "hold-sign", browse: "hold-sign-key-pick", path: "hold-sign-key-path", secret: "hold-sign-pin" },
        initial: null,
        sectionClass: "dd-section dd-key",
      }),
      microDistrict,
      responsibility: false,
      open: false,
      busy: false,
      problem: null,
      fieldErrors: {},
    };
    chosen.set(applicationId, c);
  }
  return c;
}

/** Signs the correction with the chosen key; `done` reloads the application. */
async function sign(applicationId: string, c: Chosen, rebind: boolean, done: () => void, again: () => void): Promise<void> {
  if (c.busy) return;
  const picker = c.picker;
  const key = picker.chosenKey();
  picker.clearErrors();
  c.problem = null;
  c.fieldErrors = {};
  if (!key) picker.showText("key", t("wizard-key-missing"));
  if (picker.needsSecret() && !picker.secretValue()) picker.showText("secret", t("wizard-pin-missing"));
  if (!key || picker.hasErrors()) {
    picker.focus();
    return;
  }
  c.busy = true;
  picker.setBusy(true);
  again();
  try {
    const secret = picker.secretValue();
    const correction: Correction = rebind
      ? { kind: "rebind", binding: { micro_district_id: c.microDistrict, responsibility_confirmed: c.responsibility } }
      : { kind: "register_version" };
    await walkInApi.correct(applicationId, correction, key, secret);
    picker.clearSecret();
    chosen.delete(applicationId);
    done();
    return;
  } catch (e) {
    if (e instanceof FormError && e.fields.length > 0) {
      for (const f of e.fields) c.fieldErrors[f.field] = f.code;
    } else if (!(e instanceof CommandError && picker.showError(e))) {
      c.problem = e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
    }
  } finally {
    c.busy = false;
    picker.setBusy(false);
  }
  again();
}

/** The nodes that are there (an error shows only when there is one). */
function present(...nodes: Array<HTMLElement | null>): HTMLElement[] {
  return nodes.filter((n): n is HTMLElement => n !== null);
}

function fieldError(c: Chosen, field: string): HTMLElement | null {
  const code = c.fieldErrors[field];
  return code ? h("p", { class: "field-error", role: "alert", id: `${field.replace(/\./g, "-")}-error` }, errorText({ code })) : null;
}

/** The refused binding's row: the portal's words, another micro-district, sign again. */
export function rebindSection(applicationId: string, message: string | null, refused: string | null, done: () => void): HTMLElement {
  const root = h("div", { class: "hold-correct", id: "hold-rebind" });
  const c = stateOf(applicationId, refused ?? "");
  const render = (): void => {
    const select = h("select", { id: "hold-rebind-md", "aria-label": t("wizard-micro-district") }) as HTMLSelectElement;
    select.append(h("option", { value: "" }, "—"));
    for (const m of microDistricts ?? []) {
      const option = h("option", { value: m.id }, lang() === "ru" ? m.name_ru : m.name_kk) as HTMLOptionElement;
      option.selected = m.id === c.microDistrict;
      select.append(option);
    }
    select.addEventListener("change", () => {
      c.microDistrict = select.value;
      delete c.fieldErrors["child.binding.micro_district_id"];
    });
    const responsibility = h("input", { type: "checkbox", id: "hold-rebind-responsibility" }) as HTMLInputElement;
    responsibility.checked = c.responsibility;
    responsibility.addEventListener("change", () => {
      c.responsibility = responsibility.checked;
      delete c.fieldErrors["child.binding.responsibility_confirmed"];
    });
    const button = h("button", { type: "button", class: "primary", id: "hold-rebind-sign", disabled: c.busy }, t("walk-in-rebind-sign"));
    button.addEventListener("click", () => void sign(applicationId, c, true, done, render));
    root.replaceChildren(
      ...present(
      h("p", { class: "portal-message", id: "hold-binding-message" }, message ?? ""),
      h("p", { class: "field-hint" }, t("walk-in-rebind-hint")),
      h("label", { for: "hold-rebind-md" }, t("wizard-micro-district")),
      select,
      fieldError(c, "child.binding.micro_district_id"),
      h("label", { class: "check" }, responsibility, " ", t("walk-in-rebind-responsibility")),
      fieldError(c, "child.binding.responsibility_confirmed"),
      c.picker.root,
      button,
      c.problem ? h("p", { class: "field-error", role: "alert", id: "hold-rebind-error" }, errorText(c.problem)) : null,
      ),
    );
  };
  render();
  if (microDistricts === null) {
    wizardApi.microDistricts().then((list) => {
      microDistricts = list;
      render();
    }, () => undefined);
  }
  return root;
}

/** «Тізімдегіні алу»: the register's version, signed again. */
export function takeRegisterSection(applicationId: string, done: () => void): HTMLElement {
  const root = h("div", { class: "hold-correct", id: "hold-take-register" });
  const c = stateOf(applicationId, "");
  const render = (): void => {
    const take = h("button", { type: "button", class: "secondary", id: "hold-take-register-open", disabled: c.busy }, t("walk-in-take-register"));
    take.addEventListener("click", () => {
      c.open = true;
      render();
      c.picker.focus();
    });
    const button = h("button", { type: "button", class: "primary", id: "hold-take-register-sign", disabled: c.busy }, t("walk-in-take-register-sign"));
    button.addEventListener("click", () => void sign(applicationId, c, false, done, render));
    root.replaceChildren(
      ...(c.open ? [c.picker.root, button] : [take]),
      ...present(c.problem ? h("p", { class: "field-error", role: "alert", id: "hold-take-register-error" }, errorText(c.problem)) : null),
    );
  };
  render();
  return root;
}
