// End-to-end: who is at the desk (issue 16) on a local demo journal. No journal before a
// sign-in; the lock after inactivity (shortened here by QABYLDAU_LOCK_SECONDS) hides
// everything, keeps a half-typed reject reason, never keeps a PIN, and opens only with
// the clerk's password; signing out leaves nothing of the journal on screen.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanProfile, createDemoJournal, ensureDisplay, ensureOutputDir, makeTempDir, openWindow, signIn, startTauriDriver, stopAll, windowActions } from "./harness.mjs";

const LOCK_SECONDS = 6;
const WAIT = { timeout: 20000, interval: 100 };

/** @type {WebdriverIO.Browser} */
let browser;
const { screenshot } = windowActions(() => browser, WAIT);
/** @type {(() => string) | undefined} */
let driverLog;

function facts() {
  return browser.execute(() => {
    const el = (/** @type {string} */ id) => document.getElementById(id);
    const lock = /** @type {HTMLDialogElement | null} */ (el("lock-screen"));
    const app = el("app");
    const err = el("lock-error");
    return {
      signinOpen: el("signin")?.hidden === false,
      rows: document.querySelectorAll("#journal-rows tr").length,
      locked: lock?.open === true,
      appVisible: app ? getComputedStyle(app).visibility !== "hidden" : false,
      dialogVisible: [...document.querySelectorAll("dialog.decision-dialog")].some((d) => getComputedStyle(d).visibility !== "hidden"),
      lockError: err && !err.hidden ? { code: err.dataset.code ?? "", text: err.innerText } : null,
      reason: /** @type {HTMLTextAreaElement | null} */ (el("dd-reason-text"))?.value ?? null,
      secret: /** @type {HTMLInputElement | null} */ (el("dd-secret"))?.value ?? null,
    };
  });
}

async function until(what, predicate, timeout = WAIT.timeout) {
  /** @type {any} */
  let last;
  try {
    await browser.waitUntil(async () => predicate((last = await facts())), { timeout, interval: WAIT.interval });
  } catch (e) {
    throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)} (${e})`);
  }
  return last;
}

/** Types IIN + password into the sign-in view and waits for the refusal with `code`. */
async function signInExpectingError(iin, password, code) {
  await browser.execute(
    /** @type {any} */ ((/** @type {string} */ i, /** @type {string} */ p) => {
      /** @type {HTMLInputElement} */ (document.getElementById("signin-iin")).value = i;
      /** @type {HTMLInputElement} */ (document.getElementById("signin-password")).value = p;
      /** @type {HTMLButtonElement} */ (document.getElementById("signin-submit")).click();
    }),
    iin,
    password,
  );
  const got = await browser.waitUntil(
    () => browser.execute(() => {
      const e = document.getElementById("signin-error");
      return e && !e.hidden ? e.dataset.code ?? "" : false;
    }),
    { timeout: 30000, interval: 100, timeoutMsg: `the refusal ${code}` },
  );
  assert.equal(got, code);
  assert.equal(await browser.execute(() => document.querySelectorAll("#journal-rows tr").length), 0);
}

describe("who is at the desk", { timeout: 240000 }, () => {
  const tmp = makeTempDir();
  const db = path.join(tmp.dir, "journal.sqlite");
  /** @type {{ iin: string, name: string, password: string }} */
  let clerk;

  before(async () => {
    clerk = createDemoJournal(db, 60);
    const display = await ensureDisplay();
    /** @type {NodeJS.ProcessEnv} */
    const env = { ...process.env, DISPLAY: display, QABYLDAU_DB: db, QABYLDAU_LOCK_SECONDS: String(LOCK_SECONDS), ...cleanProfile(tmp.dir) };
    delete env.QABYLDAU_PORTAL;
    const driver = await startTauriDriver(env);
    driverLog = driver.log;
    browser = await openWindow(driver.port);
  });

  after(async () => {
    try {
      if (browser) await screenshot("identity-last.png");
      if (browser) await browser.deleteSession();
    } catch {
      /* gone already */
    } finally {
      if (driverLog) writeFileSync(path.join(ensureOutputDir(), "tauri-driver-identity.log"), driverLog());
      await stopAll();
      tmp.remove();
    }
  });

  it("shows the sign-in view and nothing of the journal before a sign-in", async () => {
    const f = await until("the sign-in view", (x) => x.signinOpen);
    assert.equal(f.rows, 0);
    // The window's own commands refuse the journal too: the gate is in Rust.
    const refused = await browser.executeAsync((/** @type {(v: string) => void} */ done) => {
      // @ts-expect-error Tauri's global bridge
      window.__TAURI_INTERNALS__.invoke("journal", { query: { limit: 5 } }).then(() => done("answered"), (/** @type {any} */ e) => done(e.code));
    });
    assert.equal(refused, "NOT_SIGNED_IN");
  });

  it("locks after the lock time, hides everything and keeps a half-typed reject reason, not the PIN", async () => {
    await signIn(browser, clerk);
    await until("the journal", (x) => x.rows > 0 && !x.locked);
    const id = await browser.execute(() => document.querySelector("#journal-rows tr[data-status='new'], #journal-rows tr[data-status='under_review']")?.getAttribute("data-id") ?? "");
    assert.ok(id, "an application to reject");
    await (await browser.$(`#journal-rows tr[data-id="${id}"] .c-child`)).click();
    await browser.waitUntil(() => browser.$("#decide-accept").isExisting(), { ...WAIT, timeoutMsg: "the application opens" });
    await browser.keys(["Alt", "b"]);
    await browser.waitUntil(() => browser.$("#dd-reason-text").isExisting(), { ...WAIT, timeoutMsg: "the rejection dialog" });
    await (await browser.$("#dd-reason-text")).setValue("Құжаттар тол");
    await (await browser.$("#dd-secret")).setValue("123456");
    const f = await until("the lock screen", (x) => x.locked, (LOCK_SECONDS + 15) * 1000);
    assert.equal(f.appVisible, false, "nothing of the journal is visible");
    assert.equal(f.dialogVisible, false, "nor the signing dialog");
    assert.equal(f.secret, "", "the PIN is not kept across the lock");
    await screenshot("identity-locked.png");
    // Locked in Rust too.
    const refused = await browser.executeAsync((/** @type {(v: string) => void} */ done) => {
      // @ts-expect-error Tauri's global bridge
      window.__TAURI_INTERNALS__.invoke("journal", { query: { limit: 5 } }).then(() => done("answered"), (/** @type {any} */ e) => done(e.code));
    });
    assert.equal(refused, "LOCKED");

    await (await browser.$("#lock-password")).setValue("wrong password");
    await (await browser.$("#lock-submit")).click();
    const wrong = await until("the wrong password refused", (x) => x.lockError !== null);
    assert.equal(wrong.lockError.code, "VAULT_WRONG_PASSWORD");
    assert.ok(wrong.locked);

    await (await browser.$("#lock-password")).setValue(clerk.password);
    await (await browser.$("#lock-submit")).click();
    const open = await until("unlocked", (x) => !x.locked && x.appVisible);
    assert.equal(open.reason, "Құжаттар тол", "the half-typed reason is kept");
    assert.equal(open.dialogVisible, true, "the dialog is where it was");
  });

  it("signs out: the sign-in view again, no journal rows", async () => {
    await browser.keys("Escape");
    await browser.execute(() => /** @type {HTMLButtonElement} */ (document.getElementById("sb-sign-out"))?.click());
    const f = await until("the sign-in view after sign-out", (x) => x.signinOpen && x.rows === 0);
    assert.equal(f.locked, false);
  });

  it("signs in again only with the clerk's password: the journal is encrypted for them now", async () => {
    await signInExpectingError(clerk.iin, "not the password", "VAULT_WRONG_PASSWORD");
    await signIn(browser, clerk);
    await until("the journal again", (x) => x.rows > 0 && !x.signinOpen);
  });
});
