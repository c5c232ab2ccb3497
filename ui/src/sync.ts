// The window's side of background sync: listens to the worker's events
// (src-tauri/src/sync.rs), keeps the sync part of the status bar current, refreshes the
// journal when rows changed (keeping the clerk's place), and asks for sign-in when the
// portal wants it. No rule lives here: states and counts come from `desk`.
import { api, syncEvents } from "./api";
import type { SyncBar } from "./generated";

export interface SyncHooks {
  /** The bar changed: render it. */
  changed(bar: SyncBar): void;
  /** Rows changed in the journal (a page from the portal, an answer to a local action). */
  rowsChanged(): void;
  /** The portal refused the password the worker holds: show the sign-in view. */
  signInNeeded(): void;
}

/** Pages arrive fast on a first sync: read the journal again at most this often. */
const ROWS_REFRESH_MS = 400;
/** Between events the last-sync time and counts still move (other windows, the clock). */
const REFRESH_MS = 30_000;

export class SyncLink {
  bar: SyncBar | null = null;
  private rowsTimer: number | undefined;
  private roundRows = 0;

  constructor(private readonly hooks: SyncHooks) {}

  async start(): Promise<void> {
    await syncEvents.onState((e) => {
      if (e.state === "syncing") this.roundRows = 0;
      void this.refresh();
      if (e.state === "online") this.rowsSoon();
    });
    await syncEvents.onRows((e) => {
      this.roundRows = e.round_rows;
      if (this.bar) this.hooks.changed({ ...this.bar, round_rows: e.round_rows });
      this.rowsSoon();
    });
    // A worker that stopped is told, never silently gone: a revoked or changed password
    // asks for a new sign-in; anything else restarts by itself (issue 16).
    await syncEvents.onWorker((e) => {
      void this.refresh();
      if (!e.restarting) this.hooks.signInNeeded();
    });
    window.setInterval(() => void this.refresh(), REFRESH_MS);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const bar = await api.syncStatus();
      this.bar = { ...bar, round_rows: Math.max(bar.round_rows, this.roundRows) };
      this.hooks.changed(this.bar);
      if (bar.state === "sign_in_required" && bar.signed_in && bar.last_error === "CREDENTIALS_INVALID") {
        this.hooks.signInNeeded();
      }
    } catch {
      // The journal shows a database error (same cause); the bar keeps what it had.
    }
  }

  /** "Sync now": starts a round; the events tell the rest. */
  async syncNow(): Promise<void> {
    try {
      if (await api.syncNow()) {
        if (this.bar) this.hooks.changed({ ...this.bar, state: "syncing" });
      }
    } catch {
      /* nothing to do: the bar shows the state */
    }
  }

  private rowsSoon(): void {
    if (this.rowsTimer !== undefined) return;
    this.rowsTimer = window.setTimeout(() => {
      this.rowsTimer = undefined;
      this.hooks.rowsChanged();
      void this.refresh();
    }, ROWS_REFRESH_MS);
  }
}
