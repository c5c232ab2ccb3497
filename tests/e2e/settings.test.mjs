// End-to-end: the settings screen (issue 13) in the real window, on a demo journal whose
// clerk is signed in: the PKCS#11 modules found (a SoftHSM2 token the test makes) with
// «test» listing its token, the portal «check» against a real portal-sim on 127.0.0.1
// and refusing a plain-http remote address next to the field, a saved change audited
// in the history and written into the configuration file, the about box's version.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ROOT, cleanProfile, createDemoJournal, ensureDisplay, ensureOutputDir, makeTempDir, openWindow, signIn, startTauriDriver, stopAll, waitFor, windowActions } from "./harness.mjs";

const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, "target");
const PORTAL_SIM_BIN = process.env.QABYLDAU_PORTAL_SIM_BIN ?? path.join(TARGET, "debug", "portal-sim");
const SOFTHSM_MODULE = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"].find((m) => existsSync(m)) ?? "";
const TOKEN_LABEL = "settings-token";

/** @type {WebdriverIO.Browser} */
let browser;
const { pageText: textOf } = windowActions(() => browser, { timeout: 20000, interval: 100 });
/** @type {import("node:child_process").ChildProcess | undefined} */
let portal;
let portalLog = "";
/** @type {(() => string) | undefined} */
let driverLog;

async function until(what, condition) {
  return waitFor(what, condition, 20000, 100);
}

async function click(selector) {
  await browser.execute(/** @type {any} */ ((/** @type {string} */ sel) => /** @type {HTMLElement | null} */ (document.querySelector(sel))?.click()), selector);
}

async function setValue(selector, value) {
  const el = await browser.$(selector);
  await el.clearValue();
  if (value !== "") await el.setValue(value);
}

describe("the settings screen", { timeout: 240000 }, () => {
  const tmp = makeTempDir();
  const db = path.join(tmp.dir, "journal.sqlite");
  const profile = cleanProfile(tmp.dir);
  let portalUrl = "";

  before(async () => {
    const clerk = createDemoJournal(db, 40);
    // A SoftHSM2 token of its own (SOFTHSM2_CONF), found at SoftHSM2's usual path.
    const conf = path.join(tmp.dir, "softhsm2.conf");
    mkdirSync(path.join(tmp.dir, "tokens"), { recursive: true });
    writeFileSync(conf, `directories.tokendir = ${path.join(tmp.dir, "tokens")}\nobjectstore.backend = file\n`);
    const init = spawnSync("softhsm2-util", ["--init-token", "--free", "--label", TOKEN_LABEL, "--so-pin", "12345678", "--pin", "123456"], {
      env: { ...process.env, SOFTHSM2_CONF: conf },
      encoding: "utf8",
    });
    assert.equal(init.status, 0, init.stderr);

    portal = spawn(PORTAL_SIM_BIN, ["--listen", "127.0.0.1:0", "--seed", "1", "--applications", "20"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    portal.stdout?.on("data", (c) => (portalLog += c.toString()));
    portal.stderr?.on("data", (c) => (portalLog += c.toString()));
    portalUrl = await waitFor("portal-sim to print its address", () => /listening on (http:\/\/\S+)/.exec(portalLog)?.[1] ?? false, 60000);

    const display = await ensureDisplay();
    /** @type {Record<string, string | undefined>} */
    const env = { ...process.env, ...profile, DISPLAY: display, QABYLDAU_DB: db, SOFTHSM2_CONF: conf };
    delete env.QABYLDAU_PORTAL;
    delete env.QABYLDAU_PKCS11_MODULE;
    const driver = await startTauriDriver(env);
    driverLog = driver.log;
    browser = await openWindow(driver.port);
    // Settings are changed only by a signed-in clerk (the journal opens at the sign-in).
    await signIn(browser, clerk);
    await until("the journal", async () => browser.execute(() => document.body.dataset.ready === "true" && document.querySelectorAll("#journal-rows tr").length > 0));
  });

  after(async () => {
    try {
      if (browser) await browser.saveScreenshot(path.join(ensureOutputDir(), "settings-last.png"));
      if (browser) await browser.deleteSession();
    } catch {
      /* gone already */
    } finally {
      if (driverLog) writeFileSync(path.join(ensureOutputDir(), "tauri-driver-settings.log"), driverLog());
      if (portal?.pid) {
        try {
          process.kill(-portal.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      await stopAll();
      tmp.remove();
    }
  });

  it("opens with Ctrl+, and lists the SoftHSM2 module found; «test» lists its token", async () => {
    await browser.keys(["Control", ","]);
    await until("the settings dialog", async () => browser.execute(() => /** @type {HTMLDialogElement | null} */ (document.getElementById("settings-dialog"))?.open === true));
    const modules = await textOf("#settings-modules");
    assert.match(modules ?? "", /SoftHSM2/);
    assert.ok(SOFTHSM_MODULE && (modules ?? "").includes("softhsm"), modules ?? "");
    // The UI holds ids only: no module path is ever sent back.
    const id = await browser.execute(() => document.querySelector("#settings-modules [data-module-id]")?.getAttribute("data-module-id") ?? "");
    assert.match(id, /^[0-9a-f]{12}$/);
    const softhsm = await browser.execute(() =>
      [...document.querySelectorAll("#settings-modules [data-module-id]")].find((li) => li.textContent?.includes("SoftHSM2"))?.getAttribute("data-module-id") ?? "",
    );
    await click(`#settings-modules li[data-module-id="${softhsm}"] button[data-module]`);
    await until("the token listed", async () => ((await textOf(`#settings-modules li[data-module-id="${softhsm}"] .settings-tokens`)) ?? "").includes(TOKEN_LABEL));
  });

  it("checks the portal: portal-sim answers over http to this computer; a remote http address is refused", async () => {
    await setValue("#settings-portal", portalUrl);
    await click("#settings-portal-check");
    await until("the check's answer", async () => (await textOf("#settings-portal-result")) !== null);
    const result = (await textOf("#settings-portal-result")) ?? "";
    assert.match(result, /Портал жауап берді|Портал ответил/);
    assert.match(result, /Шифрланбаған|без шифрования/);

    await setValue("#settings-portal", "http://portal.example.kz");
    await click("#settings-portal-check");
    await until("the refusal", async () => (await browser.execute(() => document.querySelector('#settings-dialog [data-code="SETTING_INVALID"]') !== null)));
  });

  it("saves a change for the signed-in clerk: audited in the history, written to the file, kept over a language switch", async () => {
    await setValue("#settings-portal", "");
    await browser.execute(() => {
      const sel = /** @type {HTMLSelectElement} */ (document.getElementById("settings-receipt-language"));
      sel.value = "ru";
      sel.dispatchEvent(new Event("change"));
    });
    await setValue("#settings-lock", "0");
    await click("#settings-save");
    await until("the lock timeout refused next to its field", async () => (await textOf("#settings-error-lock_timeout_minutes")) !== null);
    await setValue("#settings-lock", "5");
    await click("#settings-save");
    await until("saved", async () => (await textOf("#settings-notice")) !== null);
    const history = (await textOf("#settings-history")) ?? "";
    assert.match(history, /receipt_language/);
    assert.match(history, /lock_timeout_minutes/);
    // A --demo window keeps its configuration apart from the clerk's real one.
    const config = readFileSync(path.join(profile.XDG_CONFIG_HOME, "qabyldau", "demo", "config.toml"), "utf8");
    assert.equal(existsSync(path.join(profile.XDG_CONFIG_HOME, "qabyldau", "config.toml")), false);
    assert.match(config, /\[settings_screen\]/);
    assert.match(config, /receipt_language = "ru"/);
    assert.match(config, /lock_timeout_minutes = 5/);

    await click("#lang-ru");
    await until("Russian", async () => ((await textOf("#settings-title")) ?? "") === "Настройки");
    assert.equal(await browser.execute(() => /** @type {HTMLInputElement} */ (document.getElementById("settings-lock")).value), "5");
    const about = (await textOf("#about-version")) ?? "";
    assert.match(about, /Версия 0\.\d+\.\d+ · сборка \S+ · \d{4}-\d{2}-\d{2}|сборка unknown/);
    await browser.saveScreenshot(path.join(ensureOutputDir(), "settings-ru.png"));
  });
});
