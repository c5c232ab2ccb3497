// Labels that Rust owns (statuses, sync marks, reject reasons, document kinds,
// languages, error codes): fetched once from `desk::catalogue()` and looked up by key.
import type { Catalogue, CatalogueEntry } from "./generated";
import { lang, t } from "./i18n";

let catalogue: Catalogue | null = null;
const index = new Map<string, Map<string, CatalogueEntry>>();

export function setCatalogue(c: Catalogue): void {
  catalogue = c;
  index.clear();
  for (const [group, entries] of Object.entries(c) as Array<[string, CatalogueEntry[]]>) {
    index.set(group, new Map(entries.map((e) => [e.key, e])));
  }
}

export function entries(group: keyof Catalogue): CatalogueEntry[] {
  return catalogue ? catalogue[group] : [];
}

function label(group: keyof Catalogue, key: string): string | null {
  const e = index.get(group)?.get(key);
  if (!e) return null;
  return lang() === "ru" ? e.ru : e.kk;
}

export const labels = {
  status: (key: string) => label("statuses", key) ?? key,
  sync: (key: string) => label("sync_marks", key) ?? key,
  language: (key: string) => label("languages", key) ?? key,
  notificationChannel: (key: string) => label("notification_channels", key) ?? key,
  documentKind: (key: string) => label("document_kinds", key) ?? key,
  rejectReason: (key: string) => label("reject_reasons", key) ?? key,
  historyKind: (key: string) => label("history_kinds", key) ?? key,
};

/**
 * The clerk-facing text of an error in the current language: the message that came
 * with it (it may name a date or a token), else the catalogue text of its code, else
 * the generic text for an unknown code.
 */
export function errorText(e: { code: string; kk?: string | null; ru?: string | null }): string {
  const own = lang() === "ru" ? e.ru : e.kk;
  if (own) return own;
  return label("errors", e.code) ?? t("error-generic");
}
