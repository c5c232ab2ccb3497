import { kk } from "./kk";
import { ru } from "./ru";
import type { StringKey, Strings } from "./strings";

export type UiLang = "kk" | "ru";
export type { StringKey, Strings };

const TABLES: Record<UiLang, Strings> = { kk, ru };
const STORAGE_KEY = "qabyldau.lang";

let current: UiLang = readStored();
const listeners: Array<(lang: UiLang) => void> = [];

function readStored(): UiLang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === "ru" ? "ru" : "kk";
  } catch {
    return "kk";
  }
}

export function lang(): UiLang {
  return current;
}

/** Switches the interface language at any time and remembers the choice. */
export function setLang(next: UiLang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // A locked-down profile without storage still switches for this session.
  }
  document.documentElement.lang = next;
  for (const l of listeners) l(next);
}

export function onLangChange(f: (lang: UiLang) => void): void {
  listeners.push(f);
}

/** The string `key` in the current language, with `{name}` placeholders filled. */
export function t(key: StringKey, vars?: Record<string, string | number>): string {
  let s = TABLES[current][key];
  if (vars) {
    for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  }
  return s;
}
