// The settings screen, the first-run screen and the about box (issue 13). Rules live in
// Rust (desk::settings): this module shows what `settings_view_get` gives, sends what the
// clerk typed, and shows each error next to its field in the clerk's language. Modules
// are added through the native dialog (Rust picks the file) and named by id: the UI
// never sends a library path (issue 15).
import { api, CommandError, FormError, settingsApi } from "./api";
import { errorText } from "./catalogue";
import { byId, h } from "./dom";
import { dateTime } from "./format";
import type { ModuleView, PortalCheckView, SettingsInput, SettingsView, TokenView } from "./generated";
import { lang, onLangChange, t, type PlainId } from "./i18n";

function asError(e: unknown): CommandError {
  return e instanceof CommandError ? e : new CommandError("UI_BRIDGE", String(e));
}

function sourceText(source: string): string {
  const key: Record<string, PlainId> = {
    default: "source-default",
    file: "source-file",
    environment: "source-environment",
    screen: "source-screen",
  };
  return t(key[source] ?? "source-default");
}

function portalCheckLines(c: PortalCheckView): HTMLElement {
  if (c.code) {
    return h("p", { class: "settings-error", role: "alert", "data-code": c.code }, errorText({ code: c.code }));
  }
  const region = lang() === "ru" ? c.region_ru : c.region_kk;
  return h(
    "ul",
    { class: "settings-check", id: "settings-portal-result" },
    h("li", { class: "ok" }, t("settings-portal-ok")),
    h("li", { class: c.tls_ok ? "ok" : "warn" }, c.tls_ok ? t("settings-portal-tls-ok") : t("settings-portal-no-tls")),
    h("li", {}, region ? t("settings-portal-region", { region }) : t("settings-portal-region-later")),
  );
}

/** «Copy diagnostic log» in the about box (issue 15): for the school's IT person; nothing
 *  personal in it (the log masks IINs and phones, holds no secret). */
function copyLogButton(): HTMLElement {
  const b = h("button", { type: "button", class: "secondary", id: "about-copy-log", title: t("copy-log-hint") }, t("copy-log"));
  b.addEventListener("click", async () => {
    try {
      const text = await api.diagnosticLog();
      await navigator.clipboard.writeText(text);
      b.textContent = t("log-copied");
    } catch {
      b.textContent = t("log-not-copied");
    }
  });
  return b;
}

/** The about box's line: version, commit, build date. */
function aboutLine(v: SettingsView): string {
  return t("about-version", { version: v.about.version, commit: v.about.commit, date: v.about.build_date });
}

export class SettingsDialog {
  private readonly dialog = h("dialog", { class: "settings-dialog", id: "settings-dialog", "aria-labelledby": "settings-title" });
  // Inputs live across re-renders (a language switch), so what is typed stays.
  private readonly portal = h("input", { id: "settings-portal", type: "url", spellcheck: "false", autocomplete: "off" });
  private readonly receiptLang = h("select", { id: "settings-receipt-language" });
  private readonly lock = h("input", { id: "settings-lock", type: "number", min: 1, max: 240, step: 1 });
  private view: SettingsView | null = null;
  private error: CommandError | null = null;
  private notice: PlainId | null = null;
  private check: PortalCheckView | null = null;
  private checking = false;
  private tokens = new Map<string, TokenView[] | CommandError>();
  private remove: string[] = [];
  private busy = false;

  constructor() {
    this.dialog.addEventListener("keydown", (e) => {
      if (e.key === "Escape") e.stopPropagation();
    });
    this.dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      if (!this.busy) this.close();
    });
    onLangChange(() => {
      if (this.dialog.open) this.render();
    });
    document.body.append(this.dialog);
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  async open(): Promise<void> {
    if (this.dialog.open) return;
    this.error = null;
    this.notice = null;
    this.check = null;
    this.remove = [];
    this.tokens.clear();
    try {
      this.fill(await settingsApi.view());
    } catch (e) {
      this.error = asError(e);
    }
    this.render();
    this.dialog.showModal();
    this.portal.focus();
  }

  private fill(v: SettingsView): void {
    this.view = v;
    this.portal.value = v.portal_url;
    this.receiptLang.dataset.value = v.receipt_language;
    this.lock.value = String(v.lock_timeout_minutes);
  }

  private close(): void {
    this.dialog.close();
  }

  private input(): SettingsInput {
    return {
      portal_url: this.portal.value.trim(),
      receipt_language: this.receiptLang.value,
      lock_timeout_minutes: this.lock.value.trim(),
      remove_modules: this.remove,
    };
  }

  private async run(f: () => Promise<SettingsView | null>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.notice = null;
    this.render();
    try {
      const before = this.view;
      const v = await f();
      if (v) {
        const changed = JSON.stringify(v.history[0] ?? null) !== JSON.stringify(before?.history[0] ?? null);
        this.remove = [];
        this.fill(v);
        this.notice = changed ? "settings-saved" : "settings-nothing-changed";
      }
    } catch (e) {
      this.error = asError(e);
    }
    this.busy = false;
    this.render();
  }

  private async checkPortal(): Promise<void> {
    this.checking = true;
    this.render();
    try {
      this.check = await settingsApi.checkPortal(this.portal.value.trim());
    } catch (e) {
      this.check = { url: this.portal.value, reachable: false, tls_ok: false, region_kk: null, region_ru: null, code: asError(e).code };
    }
    this.checking = false;
    this.render();
  }

  private async testModule(m: ModuleView): Promise<void> {
    try {
      this.tokens.set(m.id, await settingsApi.testModule(m.id));
    } catch (e) {
      this.tokens.set(m.id, asError(e));
    }
    this.render();
  }

  private fieldError(field: string): HTMLElement | null {
    const e = this.error;
    if (!(e instanceof FormError) || !e.fields.some((f) => f.field === field)) return null;
    return h("p", { class: "settings-error", role: "alert", id: `settings-error-${field}` }, errorText(e));
  }

  private moduleRow(m: ModuleView): HTMLElement {
    const test = h("button", { type: "button", class: "secondary", "data-module": m.id, disabled: !m.present }, t("settings-module-test"));
    test.addEventListener("click", () => void this.testModule(m));
    const removing = this.remove.includes(m.id);
    const remove = m.removable
      ? (() => {
          const b = h("button", { type: "button", class: "link-button", "aria-pressed": String(removing) }, t("settings-module-remove"));
          b.addEventListener("click", () => {
            this.remove = removing ? this.remove.filter((id) => id !== m.id) : [...this.remove, m.id];
            this.render();
          });
          return b;
        })()
      : null;
    const result = this.tokens.get(m.id);
    const tokens =
      result === undefined
        ? null
        : result instanceof CommandError
          ? h("p", { class: "settings-error", role: "alert", "data-code": result.code }, errorText(result))
          : h(
              "p",
              { class: "settings-tokens" },
              result.length
                ? t("settings-module-tokens", { list: result.map((tk) => `${tk.label} (${tk.manufacturer.trim()})`).join(", ") })
                : t("settings-module-no-tokens"),
            );
    return h(
      "li",
      { class: `settings-module${removing ? " removing" : ""}`, "data-module-id": m.id },
      h("div", { class: "settings-module-head" }, h("strong", {}, m.vendor ?? "PKCS#11"), " ",
        h("span", { class: "muted" }, m.origin === "found" ? t("settings-module-found") : t("settings-module-configured")),
        m.present ? null : h("span", { class: "settings-missing" }, ` · ${t("settings-module-missing")}`)),
      h("div", { class: "mono settings-path" }, m.path),
      h("div", { class: "settings-module-actions" }, test, remove),
      tokens,
    );
  }

  render(): void {
    const v = this.view;
    const langValue = this.receiptLang.value || this.receiptLang.dataset.value || "application";
    this.receiptLang.replaceChildren(
      h("option", { value: "application" }, t("settings-receipt-application")),
      h("option", { value: "kk" }, t("language-name-kk")),
      h("option", { value: "ru" }, t("language-name-ru")),
    );
    this.receiptLang.value = langValue;
    const checkButton = h("button", { type: "button", class: "secondary", id: "settings-portal-check", disabled: this.checking }, this.checking ? t("settings-portal-checking") : t("settings-portal-check"));
    checkButton.addEventListener("click", () => void this.checkPortal());
    const addModule = h("button", { type: "button", class: "secondary", id: "settings-module-add", disabled: this.busy }, t("settings-module-add"));
    addModule.addEventListener("click", () => void this.run(() => settingsApi.addModule(this.input())));
    const save = h("button", { type: "submit", class: "primary", id: "settings-save", disabled: this.busy }, t("settings-save"));
    const cancel = h("button", { type: "button", class: "secondary", id: "settings-close" }, t("settings-close"));
    cancel.addEventListener("click", () => this.close());
    const source = (s: string) => h("span", { class: "settings-source" }, t("settings-source", { source: sourceText(s) }));

    const general =
      this.error && !(this.error instanceof FormError && this.error.fields.length)
        ? h("p", { class: "settings-error", role: "alert", id: "settings-error", "data-code": this.error.code },
            this.error.code === "NOT_SIGNED_IN" ? t("settings-sign-in-to-change") : errorText(this.error))
        : null;
    const form = h(
      "form",
      { class: "settings-form", novalidate: true },
      h("h2", { id: "settings-title" }, t("settings-title")),
      v?.demo ? h("p", { class: "settings-demo" }, t("settings-demo")) : null,
      v?.upgraded_from != null ? h("p", { class: "settings-notice", role: "status" }, t("settings-upgraded", { from: v.upgraded_from, kept: v.upgraded_kept_as ?? "" })) : null,
      v?.file_error ? h("p", { class: "settings-error", role: "alert", "data-code": v.file_error.code }, errorText({ code: v.file_error.code }), h("br", {}), h("span", { class: "mono" }, v.file_error.detail)) : null,
      ...(v?.problems ?? []).map((p) => h("p", { class: "settings-notice", "data-code": p.code }, t("settings-problem", { source: sourceText(p.source), detail: p.detail }))),
      h("fieldset", {},
        h("legend", {}, t("settings-portal")),
        h("div", { class: "settings-row" }, this.portal, checkButton),
        v ? source(v.portal_url_source) : null,
        this.fieldError("portal_url"),
        this.check ? portalCheckLines(this.check) : null,
        h("p", { class: "muted" }, t("settings-portal-restart")),
      ),
      h("fieldset", {},
        h("legend", {}, t("settings-modules")),
        h("p", { class: "muted" }, t("settings-modules-hint")),
        v && v.modules.length
          ? h("ul", { class: "settings-modules", id: "settings-modules" }, ...v.modules.map((m) => this.moduleRow(m)))
          : h("p", { id: "settings-modules-none" }, t("settings-modules-none")),
        addModule,
      ),
      h("fieldset", { class: "settings-pair" },
        h("label", { class: "field" }, h("span", {}, t("settings-receipt-language")), this.receiptLang, v ? source(v.receipt_language_source) : null, this.fieldError("receipt_language")),
        h("label", { class: "field" }, h("span", {}, t("settings-lock-timeout")), this.lock, v ? source(v.lock_timeout_source) : null, this.fieldError("lock_timeout_minutes")),
      ),
      v
        ? h("fieldset", { class: "settings-files" },
            h("legend", {}, t("settings-files")),
            h("dl", {},
              h("dt", {}, t("settings-config-file")), h("dd", { class: "mono" }, v.config_file),
              h("dt", {}, t("settings-data-dir")), h("dd", { class: "mono" }, v.data_dir),
              h("dt", {}, t("settings-journal-file")), h("dd", { class: "mono" }, v.journal_file)),
          )
        : null,
      h("fieldset", { class: "settings-history" },
        h("legend", {}, t("settings-history")),
        v && v.history.length
          ? h("ul", { id: "settings-history" }, ...v.history.map((e) =>
              h("li", {}, h("span", { class: "mono" }, dateTime(e.changed_at)), ` · ${e.clerk_iin} · ${e.setting}: `,
                h("span", { class: "mono" }, e.old_value ?? "—"), " → ", h("span", { class: "mono" }, e.new_value ?? "—"))))
          : h("p", { class: "muted" }, t("settings-history-empty")),
      ),
      h("section", { class: "settings-about", "aria-label": t("about-title") },
        h("h3", {}, t("about-title")),
        h("p", { id: "about-version" }, v ? aboutLine(v) : ""),
        copyLogButton()),
      general,
      this.notice ? h("p", { class: "settings-notice", role: "status", id: "settings-notice" }, t(this.notice)) : null,
      h("div", { class: "settings-buttons" }, cancel, save),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.run(() => settingsApi.save(this.input()));
    });
    this.dialog.replaceChildren(form);
  }
}

/** The first start of a desk without a portal: the address, checked, then sign-in
 * (the window starts again with it). */
export class FirstRunView {
  private readonly root = h("section", { id: "first-run", class: "signin", "aria-labelledby": "first-run-title" });
  private readonly portal = h("input", { id: "first-run-portal", type: "url", spellcheck: "false", autocomplete: "off", placeholder: "https://…" });
  private check: PortalCheckView | null = null;
  private error: CommandError | null = null;
  private needCheck = false;
  private busy = false;

  open(): void {
    document.querySelector<HTMLElement>(".work")?.setAttribute("hidden", "");
    byId("app").insertBefore(this.root, byId("status-bar"));
    document.body.dataset.view = "signin";
    onLangChange(() => this.render());
    this.render();
    this.portal.focus();
  }

  private async doCheck(): Promise<void> {
    this.busy = true;
    this.render();
    this.check = await settingsApi.checkPortal(this.portal.value.trim()).catch((e) => ({
      url: "", reachable: false, tls_ok: false, region_kk: null, region_ru: null, code: asError(e).code,
    }));
    this.busy = false;
    this.needCheck = false;
    this.render();
  }

  private async next(): Promise<void> {
    if (!this.check || this.check.code || this.check.url !== this.portal.value.trim().replace(/\/+$/, "")) {
      this.needCheck = true;
      this.render();
      return;
    }
    this.busy = true;
    this.render();
    try {
      await settingsApi.firstRunSave(this.portal.value.trim());
    } catch (e) {
      this.error = asError(e);
      this.busy = false;
      this.render();
    }
  }

  render(): void {
    const check = h("button", { type: "button", class: "secondary", id: "first-run-check", disabled: this.busy }, t("settings-portal-check"));
    check.addEventListener("click", () => void this.doCheck());
    const next = h("button", { type: "submit", class: "primary", id: "first-run-next", disabled: this.busy }, t("first-run-next"));
    const form = h(
      "form",
      { class: "signin-form", novalidate: true },
      h("label", { class: "field" }, h("span", {}, t("settings-portal")), h("div", { class: "settings-row" }, this.portal, check)),
      this.check ? portalCheckLines(this.check) : null,
      this.needCheck ? h("p", { class: "signin-error", role: "alert" }, t("first-run-check-first")) : null,
      this.error ? h("p", { class: "signin-error", role: "alert", "data-code": this.error.code }, errorText(this.error)) : null,
      next,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.next();
    });
    this.root.replaceChildren(
      h("div", { class: "signin-card" }, h("h2", { id: "first-run-title" }, t("first-run-title")), h("p", { class: "signin-portal" }, t("first-run-intro")), form),
    );
  }
}

/** The codes of a journal that is there but cannot be read (with the right key). */
export const DAMAGED_CODES = ["DB_CORRUPT", "DB_NOT_A_DATABASE", "DB_DAMAGED", "DB_WRONG_KEY"];

/** The latest backup offered beside the message of a damaged journal, never used
 * without the clerk's word; the window starts again on the restored journal. */
export function backupOffer(): HTMLElement {
  const offer = h("div", { class: "restore-offer", id: "restore-offer" });
  let file: string | null = null;
  const render = () => {
    if (!file) {
      offer.replaceChildren(h("p", {}, t("journal-no-backup")));
      return;
    }
    const b = h("button", { type: "button", class: "primary", id: "restore-latest" }, t("journal-restore"));
    b.addEventListener("click", () => {
      b.disabled = true;
      void settingsApi.restoreLatest().catch((err) => offer.append(h("p", { role: "alert" }, errorText(asError(err)))));
    });
    offer.replaceChildren(h("p", {}, t("journal-restore-offer", { file })), b);
  };
  void settingsApi
    .latestBackup()
    .catch(() => null)
    .then((f) => {
      file = f;
      render();
    });
  onLangChange(render);
  return offer;
}

/** A journal that cannot be opened (damaged, not a journal): the offer beside the
 * journal's error banner. */
export async function offerBackupIfDamaged(): Promise<void> {
  try {
    await api.statusBar();
    return;
  } catch (e) {
    if (!DAMAGED_CODES.includes(asError(e).code)) return;
  }
  const box = document.getElementById("journal-error");
  if (!box) return;
  box.append(backupOffer());
  box.hidden = false;
}

/** The gear in the top bar (and Ctrl+,) opens the settings. */
export function installSettingsButton(dialog: SettingsDialog): void {
  const bar = document.querySelector(".top-bar");
  if (!bar) return;
  const button = h("button", { type: "button", id: "settings-open", class: "settings-open", title: `${t("settings-open")} (Ctrl+,)`, "aria-label": t("settings-open") }, "⚙");
  button.addEventListener("click", () => void dialog.open());
  onLangChange(() => {
    button.title = `${t("settings-open")} (Ctrl+,)`;
    button.setAttribute("aria-label", t("settings-open"));
  });
  bar.append(button);
  document.addEventListener("keydown", (e) => {
    if (e.key === "," && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void dialog.open();
    }
  });
}
