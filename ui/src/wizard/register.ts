// «ЖСН-ды тексеру» in the population register (R-20, R-22, issue 11): fills the person
// (and for the child the birth certificate and the registered address); the portal out
// of reach leaves manual entry, marked «тексерілмеген», which desk checks against the
// register before sending. Presentation only: desk asks the portal (walk_in_register_person).
import { CommandError, walkInApi } from "../api";
import { errorText } from "../catalogue";
import { h } from "../dom";
import type { RegisterPersonView } from "../generated";
import { t } from "../i18n";
import type { WizardContext } from "./form";

export type Who = "applicant" | "child";

/** The badge beside a person: from the register, or typed («тексерілмеген»). */
export function checkedBadge(ctx: WizardContext, who: Who): HTMLElement {
  const ok = ctx.draft.checked[who];
  return h(
    "span",
    { id: `wizard-${who}-checked`, class: ok ? "badge badge-ok" : "badge badge-warn", "data-checked": String(ok) },
    ok ? t("walk-in-checked") : t("walk-in-unchecked"),
  );
}

/** Asks the register; `null` when the portal is out of reach (type by hand: the banner
 *  says so) or the IIN is wrong (its error is shown next to the field). */
export async function lookUp(ctx: WizardContext, who: Who, iin: string): Promise<RegisterPersonView | null> {
  const field = who === "applicant" ? "applicant.iin" : "child.person.iin";
  try {
    const found = await walkInApi.registerPerson(iin.trim(), field);
    ctx.errors.delete(field);
    const d = ctx.draft;
    d.checked[who] = true;
    if (who === "applicant") {
      d.input.applicant = { ...found.person };
    } else {
      const c = d.input.child;
      c.person = { ...found.person };
      c.birth_certificate = found.birth_certificate;
      c.registered_address = found.registered_address_kk;
      c.registered_address_id = found.registered_address_id;
      c.micro_district_id = found.micro_district_id;
      c.binding = null;
      d.bound = false;
      // The applicant too, when the register names the child's parents and none is typed.
      const parent = found.parents[0];
      if (parent && !d.input.applicant.iin.trim()) {
        d.input.applicant = { ...parent };
        d.checked.applicant = true;
      }
    }
    ctx.banner = null;
    ctx.persist();
    return found;
  } catch (e) {
    ctx.draft.checked[who] = false;
    if (e instanceof CommandError && e.code === "PORTAL_OFFLINE_MANUAL") {
      ctx.banner = errorText(e);
    } else {
      ctx.showErrors(e);
    }
    ctx.persist();
    return null;
  }
}
