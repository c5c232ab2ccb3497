// Start-up and the keys that work everywhere. Screens: journal.ts (the list),
// application.ts (beside it), statusbar.ts (bottom). Strings: i18n/.
import "./styles.css";
import { api, settingsApi } from "./api";
import { ApplicationPanel } from "./application";
import { setCatalogue } from "./catalogue";
import { Journal } from "./journal";
import { lang, onLangChange, setLang, t, type StringKey, type UiLang } from "./i18n";
import { StatusBar } from "./statusbar";
import { LockScreen } from "./lock";
import { SignInView } from "./signin";
import { FirstRunView, installSettingsButton, offerBackupIfDamaged, SettingsDialog } from "./settings";
import { SyncLink } from "./sync";
import { Wizard } from "./wizard";

/** Fills every static element that names its string with data-i18n attributes. */
function translateStatic(): void {
  document.documentElement.lang = lang();
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n as StringKey);
  }
  for (const el of document.querySelectorAll<HTMLInputElement>("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder as StringKey);
  }
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n-title]")) {
    el.title = t(el.dataset.i18nTitle as StringKey);
  }
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n-aria]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAria as StringKey));
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>(".lang-switch button")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === lang()));
  }
  document.title = `${t("appName")} · ${t("journalTitle")}`;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}

async function start(): Promise<void> {
  translateStatic();
  setCatalogue(await api.catalogue());
  for (const b of document.querySelectorAll<HTMLButtonElement>(".lang-switch button")) {
    b.addEventListener("click", () => setLang(b.dataset.lang as UiLang));
  }

  // --- settings and the first run (issue 13): no portal configured → the first-run
  // screen alone (the window starts again once the portal is saved) ---
  const settings = await settingsApi.view().catch(() => null);
  if (settings?.first_run && !settings.demo) {
    onLangChange(() => translateStatic());
    new FirstRunView().open();
    document.body.dataset.ready = "true";
    return;
  }
  installSettingsButton(new SettingsDialog());

  const statusBar = new StatusBar();
  let journal: Journal | null = null;
  const panel = new ApplicationPanel(() => journal?.closed());
  journal = new Journal({ open: (row) => void panel.open(row) });

  onLangChange(() => {
    translateStatic();
    journal?.rerender();
    panel.rerender();
    statusBar.render();
  });

  document.addEventListener("keydown", (e) => {
    if ((e.key === "/" && !isTyping(e.target)) || (e.key.toLowerCase() === "f" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      journal?.focusSearch();
    } else if (e.key === "Escape" && panel.isOpen) {
      e.preventDefault();
      panel.close();
    }
  });

  // --- decisions: after a signed decision the row shows it,
  // waiting to send, and a sync round starts when someone is signed in to the portal ---
  document.addEventListener("qabyldau:application-changed", () => {
    void journal?.refreshKeepingPlace();
    void statusBar.refresh();
    // The bar's waiting count comes from the sync status when a portal is configured.
    void sync.refresh();
    void sync.syncNow();
  });

  // --- sign-in, the clerk's session and background sync (R-1, R-33, issue 16): the
  // journal is loaded only after a sign-in; Rust refuses it before ---
  let opened = false;
  const openJournal = async (): Promise<void> => {
    if (!opened) {
      opened = true;
      statusBar.start();
      await journal?.start();
      void offerBackupIfDamaged();
      lock.watch();
    } else {
      void journal?.reload();
      void statusBar.refresh();
    }
    void sync.refresh();
    document.getElementById("journal-table")?.focus();
  };
  const signIn = new SignInView({ done: () => void openJournal() });
  const lock = new LockScreen({
    unlocked: () => {
      void journal?.refreshKeepingPlace();
      void statusBar.refresh();
      void sync.refresh();
    },
    // Another clerk: a fresh window, nothing of this clerk's screens kept.
    switchClerk: () => window.location.reload(),
  });
  onLangChange(() => lock.render());
  const sync = new SyncLink({
    changed: (bar) => statusBar.setSync(bar),
    rowsChanged: () => {
      void journal?.refreshKeepingPlace();
      void statusBar.refresh();
      void panel.refreshOpen();
    },
    signInNeeded: () => {
      if (!signIn.isOpen) void signIn.open();
    },
  });
  statusBar.onSyncNow = () => void sync.syncNow();
  statusBar.onSignIn = () => void signIn.open();
  statusBar.onLock = () => void lock.lockNow();
  statusBar.onSignOut = () => void api.signOut().finally(() => window.location.reload());
  statusBar.onSwitchClerk = () => void api.switchClerk().finally(() => window.location.reload());
  onLangChange(() => signIn.render());

  // --- the on-behalf wizard (R-8…R-18): Alt+N from anywhere, Esc back (draft kept) ---
  const wizard = new Wizard({
    closed: (submittedId) => {
      if (submittedId) void journal?.reload();
      void statusBar.refresh();
      document.getElementById("journal-table")?.focus();
    },
  });
  onLangChange(() => wizard.rerender());
  document.addEventListener(
    "keydown",
    (e) => {
      if (e.altKey && !e.ctrlKey && (e.key.toLowerCase() === "n" || e.code === "KeyN") && !wizard.isOpen && !signIn.isOpen && !lock.isLocked) {
        e.preventDefault();
        e.stopPropagation();
        void wizard.open();
      } else if (wizard.isOpen && (wizard.handleKey(e) || e.key === "/")) {
        e.stopPropagation();
      }
    },
    true,
  );

  await sync.start();
  const session = await api.sessionState();
  if (session.state === "signed_out") {
    // The bar tells whether the portal answers; the form is the only thing shown.
    await api.portalReachable().catch(() => false);
    void sync.refresh();
    try {
      await signIn.open();
    } catch {
      // The journal file itself is refused (not a journal, from a newer app): the
      // journal's error banner says why, in the clerk's language.
      await openJournal();
    }
  } else {
    await openJournal();
    lock.follow(session);
  }
  document.body.dataset.ready = "true";
}

void start();
