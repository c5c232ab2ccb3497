// The window's texts (issue 17, R-36): Project Fluent catalogues assets/i18n/{kk,ru}/ui.ftl,
// the format and folder the Rust side reads with fluent-bundle, read here with
// @fluent/bundle. `messages.ts` (generated from ui.ftl) types every id and its variables,
// so a misspelt id or a missing variable fails `tsc`. Russian plurals are Fluent
// selectors: pass counts as numbers.
import { FluentBundle, FluentNumber, FluentResource, type FluentVariable } from "@fluent/bundle";
import kkSource from "../../../assets/i18n/kk/ui.ftl?raw";
import ruSource from "../../../assets/i18n/ru/ui.ftl?raw";
import { count } from "../format";
import type { Arg, MessageArgs, PlainId, TextId } from "./messages";

export type UiLang = "kk" | "ru";
export type { MessageArgs, PlainId, TextId };

/** A number in a text: chooses the plural form, written as every count in the window. */
class Count extends FluentNumber {
  override toString(): string {
    return count(this.value);
  }
}

function bundle(locale: UiLang, source: string): FluentBundle {
  const b = new FluentBundle(locale, { useIsolating: false });
  // A syntax error fails crates/i18n's catalogue test; what parsed is still used.
  b.addResource(new FluentResource(source));
  return b;
}

const BUNDLES: Record<UiLang, FluentBundle> = { kk: bundle("kk", kkSource), ru: bundle("ru", ruSource) };
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

/** The text of message `id` in the current language, with its variables. */
export function t(id: PlainId): string;
export function t<K extends keyof MessageArgs>(id: K, args: MessageArgs[K]): string;
export function t(id: TextId, args?: Record<string, Arg>): string {
  const b = BUNDLES[current];
  const pattern = b.getMessage(id)?.value;
  if (!pattern) return id;
  const vars: Record<string, FluentVariable> = {};
  for (const [name, value] of Object.entries(args ?? {})) {
    vars[name] = typeof value === "number" ? new Count(value) : value;
  }
  return b.formatPattern(pattern, vars, []);
}
