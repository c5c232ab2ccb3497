// End-to-end: sign-in and background sync against a real portal-sim.
// The built `portal-sim` binary listens on a free port of 127.0.0.1; the window starts
// with QABYLDAU_PORTAL and an empty journal, shows the sign-in view, refuses a wrong
// password in kk and ru, signs in a demo staff member of /admin/demo-staff, fills the
// journal from the portal, and shows "offline" calmly once the portal is gone.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanProfile, ensureDisplay, recordSecrets, ensureOutputDir, makeTempDir, openWindow, portalSim, startTauriDriver, stopAll, waitFor, windowActions } from "./harness.mjs";

const APPLICATIONS = 600;
const WAIT = { timeout: 20000, interval: 100 };

/** @type {WebdriverIO.Browser | undefined} */
let browser;
const { screenshot, requiredText: textOf } = windowActions(() => browser, WAIT);
const portal = portalSim();
/** @type {(() => string) | undefined} */
let driverLog;

/** portal-sim with the suite's applications; resolves with its URL. */
function startPortal() {
  return portal.start(["--seed", "1", "--applications", String(APPLICATIONS)]);
}

function stopPortal() {
  return portal.stop();
}

/** Facts about the window in one round trip. */
function facts() {
  return browser.execute(() => {
    const el = (/** @type {string} */ id) => document.getElementById(id);
    const error = el("signin-error");
    return {
      ready: document.body.dataset.ready === "true",
      signinOpen: el("signin")?.hidden === false,
      districts: el("signin-district")?.querySelectorAll("option").length ?? 0,
      signinError: error && !error.hidden ? { code: error.dataset.code ?? "", text: error.innerText.trim() } : null,
      iin: /** @type {HTMLInputElement | null} */ (el("signin-iin"))?.value ?? null,
      password: /** @type {HTMLInputElement | null} */ (el("signin-password"))?.value ?? null,
      busy: /** @type {HTMLButtonElement | null} */ (el("signin-submit"))?.disabled ?? false,
      rows: document.querySelectorAll("#journal-rows tr").length,
      shown: el("journal-shown")?.innerText ?? "",
      journalError: el("journal-error")?.hidden === false ? el("journal-error")?.innerText : null,
      state: el("sb-online")?.dataset.state ?? null,
      stateText: el("sb-online")?.innerText.trim() ?? "",
      lastSync: el("sb-last-sync")?.innerText.trim() ?? "",
    };
  });
}

/** @returns {Promise<any>} the facts that satisfied the predicate */
async function until(what, predicate, timeout = WAIT.timeout) {
  /** @type {any} */
  let last;
  try {
    await browser.waitUntil(
      async () => {
        last = await facts();
        return predicate(last);
      },
      { timeout, interval: WAIT.interval },
    );
  } catch (e) {
    throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)} (${e})`);
  }
  return last;
}

/** Replaces the value of an input as a clerk does: select all, delete, type. */
async function typeInto(selector, text) {
  const input = await browser.$(selector);
  await input.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  if (text) await input.addValue(text);
}

/** Chooses a district or city in the sign-in form. */
async function pickDistrict(id) {
  await browser.execute(/** @type {any} */ ((/** @type {string} */ value) => {
    const s = /** @type {HTMLSelectElement} */ (document.getElementById("signin-district"));
    s.value = value;
    s.dispatchEvent(new Event("change"));
  }), id);
}

describe("sign-in and sync with the portal", { timeout: 300000 }, () => {
  const tmp = makeTempDir();
  const db = path.join(tmp.dir, "journal.sqlite");
  /** @type {string} */
  let url;
  /** @type {{ iin: string, password: string, school_id: string, name: string }} */
  let clerk;
  let schoolApplications = 0;
  /** The district of the clerk's school, and one that is not. */
  let district = "";
  let otherDistrict = "";

  before(async () => {
    url = await startPortal();
    const staff = await (await fetch(`${url}/admin/demo-staff`)).json();
    clerk = staff[0];
    recordSecrets(clerk.password, clerk.iin, "wrong-password");
    const stats = await (await fetch(`${url}/admin/stats`)).json();
    schoolApplications = stats.applications_by_school[clerk.school_id];
    assert.ok(schoolApplications > 0, "the demo school has applications on the portal");
    // Where the clerk's school is, as the portal says (its schools and reference lists).
    const signedIn = await (
      await fetch(`${url}/api/v1/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ iin: clerk.iin, password: clerk.password }) })
    ).json();
    const auth = { headers: { authorization: `Bearer ${signedIn.token}` } };
    const schools = await (await fetch(`${url}/api/v1/schools`, auth)).json();
    district = schools.items.find((/** @type {any} */ x) => x.id === clerk.school_id).district_id;
    const reference = await (await fetch(`${url}/api/v1/reference`, auth)).json();
    otherDistrict = reference.districts.find((/** @type {any} */ d) => d.id !== district).id;

    const display = await ensureDisplay();
    /** @type {NodeJS.ProcessEnv} */
    const env = {
      ...process.env,
      DISPLAY: display,
      QABYLDAU_DB: db,
      QABYLDAU_PORTAL: url,
      ...cleanProfile(tmp.dir),
    };
    delete env.QABYLDAU_DEMO_IIN;
    delete env.QABYLDAU_DEMO_PASSWORD;
    const driver = await startTauriDriver(env);
    driverLog = driver.log;
    browser = await openWindow(driver.port);
  });

  after(async () => {
    try {
      if (browser) await screenshot("sync-last.png");
      if (browser) await browser.deleteSession();
    } catch {
      /* the window may already be gone; the process kill below covers it */
    } finally {
      if (driverLog) writeFileSync(path.join(ensureOutputDir(), "tauri-driver-sync.log"), driverLog());
      writeFileSync(path.join(ensureOutputDir(), "portal-sim.log"), portal.log());
      browser = undefined;
      await stopPortal();
      await stopAll();
      tmp.remove();
    }
  });

  it("opens on the sign-in view with the region's districts (R-1, R-3)", async () => {
    const f = await until("the sign-in view", (x) => x.ready && x.signinOpen);
    assert.ok(f.districts > 2, `a district/city list to pick from (${f.districts} options)`);
    assert.equal(f.rows, 0, "the new journal is empty until the portal fills it");
    assert.match(await textOf("#signin-title"), /Жүйеге кіру/);
    assert.match(await textOf(".signin-method"), /ЖСН бойынша/);
    assert.match(await textOf("#signin-submit"), /Кіру/);
    assert.equal(f.state, "sign_in_required");
    // Issue 16: no button opens the journal without a password.
    assert.equal(await browser.execute(() => document.getElementById("signin-offline") === null || document.getElementById("signin-offline")?.tagName !== "BUTTON"), true);
    assert.equal(await browser.execute(() => [...document.querySelectorAll("button")].some((b) => /Желіден тыс жұмыс|Работать без сети/.test(b.textContent ?? ""))), false);
    await screenshot("signin-kk.png");
  });

  it("refuses a wrong password in Kazakh and Russian, keeping the IIN", async () => {
    await pickDistrict(otherDistrict);
    await typeInto("#signin-iin", clerk.iin);
    await typeInto("#signin-password", "wrong-password");
    await browser.keys("Enter");
    const f = await until("the wrong-password message", (x) => x.signinError !== null && !x.busy);
    assert.equal(f.signinError.code, "CREDENTIALS_INVALID");
    assert.match(f.signinError.text, /ЖСН немесе құпиясөз қате/);
    assert.equal(f.iin, clerk.iin, "the IIN typed stays");
    assert.equal(f.password, "", "the wrong password is cleared");
    assert.ok(f.signinOpen);
    await screenshot("signin-wrong-password-kk.png");

    await (await browser.$("#lang-ru")).click();
    const ru = await until("the message in Russian", (x) => /Неверный ИИН или пароль/.test(x.signinError?.text ?? ""));
    assert.equal(ru.iin, clerk.iin);
    assert.match(await textOf("#signin-submit"), /Войти/);
    assert.match(await textOf(".signin-method"), /По ИИН/);
    await screenshot("signin-wrong-password-ru.png");
    await (await browser.$("#lang-kk")).click();
  });

  it("refuses a district that is not the school's, naming the right one (R-3)", async () => {
    await typeInto("#signin-password", clerk.password);
    await browser.keys("Enter");
    const f = await until("the district message", (x) => x.signinError !== null && !x.busy);
    assert.equal(f.signinError.code, "DISTRICT_MISMATCH");
    const right = await browser.execute((/** @type {string} */ id) => document.querySelector(`#signin-district option[value="${id}"]`)?.textContent ?? "", district);
    assert.ok(right.length > 0);
    assert.ok(f.signinError.text.includes(right), `${f.signinError.text} names ${right}`);
    assert.equal(f.rows, 0, "nothing of the journal yet");
    assert.equal(f.password, clerk.password, "nothing typed is lost");
  });

  it("asks for the e-mail at the first sign-in and confirms it with the code the portal sent (R-2)", async () => {
    await pickDistrict(district);
    await typeInto("#signin-password", clerk.password);
    await browser.keys("Enter");
    await browser.waitUntil(() => browser.$("#signin-email").isExisting(), { timeout: 30000, timeoutMsg: "the e-mail step" });
    assert.equal((await facts()).rows, 0, "no journal before the e-mail is confirmed");
    assert.match(await textOf("#signin-title"), /Электрондық поштаны растау/);
    const email = "clerk.e2e@mektep.kz";
    await typeInto("#signin-email", email);
    await browser.keys("Enter");
    await browser.waitUntil(() => browser.$("#signin-code").isExisting(), { timeout: 30000, timeoutMsg: "the code step" });
    const codes = await (await fetch(`${url}/admin/codes`)).json();
    const sent = codes.find((/** @type {any} */ c) => c.destination === email && !c.confirmed);
    assert.ok(sent, "portal-sim sent a code to the e-mail given");
    const wrong = sent.code === "0000" ? "1111" : "0000";
    await typeInto("#signin-code", wrong);
    await browser.keys("Enter");
    const w = await until("the wrong code refused", (x) => x.signinError !== null && !x.busy);
    assert.equal(w.signinError.code, "CODE_INCORRECT");
    assert.match(w.signinError.text, /Код қате/);
    await screenshot("signin-email-code-kk.png");
    await typeInto("#signin-code", sent.code);
    await browser.keys("Enter");
    await until("the sign-in view to close", (x) => !x.signinOpen, 30000);
  });

  it("signs in, and the journal fills from the portal; the status bar shows online and the last sync (R-33)", async () => {
    const f = await until(
      "the journal to fill from the portal and the bar to say online",
      (x) => x.rows > 0 && x.state === "online" && x.shown.replace(/\s/g, "").includes(String(schoolApplications)),
      90000,
    );
    assert.equal(f.journalError, null);
    assert.equal(f.rows, Math.min(100, schoolApplications), "the first page of the school's applications");
    assert.match(f.stateText, /Желіде/);
    assert.doesNotMatch(f.lastSync, /әлі болған жоқ/, "a last sync time is shown");
    assert.match(f.lastSync, /\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/);
    assert.match(await textOf("#sb-clerk"), new RegExp(clerk.name.split(" ")[0]));
    await screenshot("sync-online.png");
  });

  it("shows offline calmly when the portal stops; the journal stays", async () => {
    const before = await facts();
    await stopPortal();
    await (await browser.$("#sb-sync-now")).click();
    const f = await until("the bar to say offline", (x) => x.state === "offline", 90000);
    assert.equal(f.journalError, null, "no error page: offline is a normal state");
    assert.equal(f.rows, before.rows, "the rows stay on screen");
    assert.match(f.stateText, /Желіден тыс/);
    assert.match(await textOf("#sb-error"), /Порталмен байланыс жоқ/);
    assert.equal(f.lastSync, before.lastSync, "the last successful sync is still shown");
    await screenshot("sync-offline.png");
  });

  it("offline, signs in again only with the right password (issue 16): a wrong one is refused", async () => {
    await browser.execute(() => /** @type {HTMLButtonElement} */ (document.getElementById("sb-sign-out")).click());
    const out = await until("the sign-in view after sign-out", (x) => x.ready && x.signinOpen && x.rows === 0);
    assert.equal(out.iin, clerk.iin, "the IIN of the last clerk is offered");
    assert.equal(await browser.execute(() => [...document.querySelectorAll("button")].some((b) => /Желіден тыс жұмыс|Работать без сети/.test(b.textContent ?? ""))), false, "no way in without a password");
    await pickDistrict(district);
    await typeInto("#signin-password", "wrong-password");
    await browser.keys("Enter");
    const wrong = await until("the wrong password refused offline", (x) => x.signinError !== null && !x.busy, 60000);
    assert.equal(wrong.signinError.code, "VAULT_WRONG_PASSWORD");
    assert.equal(wrong.rows, 0, "nothing of the journal");
    await typeInto("#signin-password", clerk.password);
    await browser.keys("Enter");
    const open = await until("the journal open", (x) => !x.signinOpen && x.rows > 0, 60000);
    assert.ok(open.rows > 0);
    // The worker's first round tries the portal (and its retries) before the bar settles.
    const f = await until("the bar to say offline", (x) => x.state === "offline", 60000);
    assert.equal(f.rows, open.rows, "the journal stays while the portal is away");
  });
});
