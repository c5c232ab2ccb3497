// What a walk-in's submission waits for before it is sent (issue 11), on the application:
// a contact not confirmed by code (R-21: «Код жіберу», the code the parent reads out,
// «Растау»), data not checked against the population register (R-22: the
// differences both ways, «Енгізілгенін қалдыру» or the register's version signed again)
// and a binding the portal refused (R-15…R-17: bound again and signed again,
// holds-correct.ts). Presentation only: desk decides.
import { CommandError, FormError, walkInApi } from "./api";
import { errorText } from "./catalogue";
import { h } from "./dom";
import { rebindSection, takeRegisterSection } from "./holds-correct";
import type { ApplicationView, HoldView } from "./generated";
import { t, type StringKey } from "./i18n";

const REASON: Record<string, StringKey> = {
  phone_unconfirmed: "walkInHoldPhone",
  email_unconfirmed: "walkInHoldEmail",
  register_unchecked: "walkInHoldRegister",
  binding_refused: "walkInHoldBinding",
};

/** The holds panel; `changed` reloads the application after an action. */
export function holdsPanel(v: ApplicationView, changed: () => void): HTMLElement | null {
  if (v.holds.length === 0) return null;
  return h(
    "div",
    { class: "holds", id: "application-holds", role: "region", "aria-label": t("walkInHoldsTitle") },
    h("h3", {}, t("walkInHoldsTitle")),
    ...v.holds.map((hold) => holdRow(v, hold, changed)),
  );
}

function holdRow(v: ApplicationView, hold: HoldView, changed: () => void): HTMLElement {
  const key = REASON[hold.reason];
  const row = h("div", { class: "hold", "data-hold": hold.reason }, h("p", {}, key ? t(key) : hold.reason));
  const problem = h("p", { class: "field-error", role: "alert", hidden: true });
  const fail = (e: unknown) => {
    problem.hidden = false;
    problem.textContent = e instanceof FormError && e.fields[0] ? errorText({ code: e.fields[0].code }) : e instanceof CommandError ? errorText(e) : String(e);
  };
  if (hold.reason === "register_unchecked" && hold.differences.length > 0) {
    row.append(
      h(
        "table",
        { class: "plain-table", id: "hold-differences" },
        h("thead", {}, h("tr", {}, h("th", {}, t("walkInDiffField")), h("th", {}, t("walkInTyped")), h("th", {}, t("walkInRegisterValue")))),
        h("tbody", {}, ...hold.differences.map((d) => h("tr", {}, h("td", {}, d.field), h("td", {}, d.typed ?? "—"), h("td", {}, d.register ?? "—")))),
      ),
    );
    const keep = h("button", { id: "hold-keep-typed", type: "button", class: "primary" }, t("walkInKeepTyped"));
    keep.addEventListener("click", () => {
      walkInApi.keepTyped(v.id).then(changed, fail);
    });
    row.append(h("p", { class: "field-hint" }, t("walkInTakeRegisterHint")), keep, takeRegisterSection(v.id, changed));
  }
  if (hold.reason === "binding_refused") {
    row.append(rebindSection(v.id, hold.message, hold.micro_district_id, changed));
  }
  if (hold.reason === "phone_unconfirmed" || hold.reason === "email_unconfirmed") {
    const channel = hold.reason === "phone_unconfirmed" ? "sms" : "email";
    const contact = channel === "sms" ? v.contacts.phone : (v.contacts.email ?? "");
    let codeId = "";
    const code = h("input", { id: `hold-${channel}-code`, inputmode: "numeric", maxlength: "4", "aria-label": t("walkInCodeLabel"), hidden: true });
    const confirm = h("button", { id: `hold-${channel}-confirm`, type: "button", class: "primary", hidden: true }, t("walkInConfirmCode"));
    const send = h("button", { id: `hold-${channel}-send`, type: "button", class: "secondary" }, t("walkInSendCode"));
    send.addEventListener("click", () => {
      walkInApi.sendCode(channel, contact).then((sent) => {
        codeId = sent.code_id;
        code.hidden = false;
        confirm.hidden = false;
        problem.hidden = true;
        code.focus();
      }, fail);
    });
    confirm.addEventListener("click", () => {
      walkInApi
        .checkCode(codeId, code.value)
        .then(() => walkInApi.contactConfirmed(v.id, channel, codeId))
        .then(changed, fail);
    });
    row.append(h("div", { class: "code-row" }, h("span", {}, contact), send, code, confirm));
  }
  row.append(problem);
  return row;
}
