// The only place that talks to the Rust side. Each function is one Tauri command
// (src-tauri/src/commands.rs); the types are generated from Rust (./generated, ts-rs).
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { SignInForm, SyncBar } from "./generated";
import type {
  ApplicationView,
  Catalogue,
  JournalPage,
  JournalQuery,
  StatusBar,
  UiError,
} from "./generated";

/** A failed command: the stable code of `desk` and its message in both languages. */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string | null,
    readonly kk: string | null = null,
    readonly ru: string | null = null,
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}

function asCommandError(e: unknown): CommandError {
  if (e && typeof e === "object" && "code" in e && typeof (e as UiError).code === "string") {
    const ue = e as UiError;
    return new CommandError(ue.code, ue.detail ?? null, ue.kk || null, ue.ru || null);
  }
  // Not a UiError: the bridge itself failed (e.g. a command missing from the capability).
  return new CommandError("UI_BRIDGE", typeof e === "string" ? e : String(e));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asCommandError(e);
  }
}

export const api = {
  catalogue: () => call<Catalogue>("catalogue"),
  journal: (query: JournalQuery) => call<JournalPage>("journal", { query }),
  application: (id: string) => call<ApplicationView>("application", { id }),
  statusBar: () => call<StatusBar>("status_bar"),
  // --- sign-in and sync (helper B): src-tauri/src/sync.rs ---
  signInForm: () => call<SignInForm>("sign_in_form"),
  portalReachable: () => call<boolean>("portal_reachable"),
  signIn: (iin: string, password: string, districtId: string | null) =>
    call<SyncBar>("sign_in", { iin, password, districtId }),
  syncStatus: () => call<SyncBar>("sync_status"),
  /** Starts a sync round now (after a decision, "Sync now"); false when nobody signed in. */
  syncNow: () => call<boolean>("sync_now"),
};

// --- sign-in and sync events (helper B) ---
export interface SyncStateEvent {
  state: string;
}
export interface SyncRowsEvent {
  ids: string[];
  round_rows: number;
}
export const syncEvents = {
  onState: (f: (e: SyncStateEvent) => void) => listen<SyncStateEvent>("sync-state", (e) => f(e.payload)),
  onRows: (f: (e: SyncRowsEvent) => void) => listen<SyncRowsEvent>("sync-rows", (e) => f(e.payload)),
};
