// End-to-end test of the real window (issue 3): the app built with
// `npx tauri build --debug --no-bundle` (it serves the built ui/), started by
// tauri-driver + WebKitWebDriver under Xvfb, on a demo journal made by the CLI.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanProfile, createDemoJournal, ensureDisplay, ensureOutputDir, makeTempDir, openWindow, signIn, startTauriDriver, stopAll, windowActions } from "./harness.mjs";

const APPLICATIONS = 300;
const WAIT = { timeout: 15000, interval: 100 };

/** @type {WebdriverIO.Browser | undefined} */
let browser;
const { screenshot, requiredText: textOf } = windowActions(() => browser, WAIT);
/** @type {{ dir: string, remove: () => void } | undefined} */
let tmp;
/** @type {(() => string) | undefined} */
let driverLog;

/** Runs in the page: facts about the journal on screen, in one round trip. */
function journalFacts() {
  return browser.execute(() => {
    const rows = [...document.querySelectorAll("#journal-rows tr")];
    return {
      ready: document.body.dataset.ready === "true",
      count: rows.length,
      iins: rows.map((r) => r.querySelector(".c-iin")?.textContent ?? ""),
      statuses: rows.map((r) => r.getAttribute("data-status") ?? ""),
      error: document.getElementById("journal-error")?.hidden === false ? document.getElementById("journal-error")?.textContent : null,
      loading: document.getElementById("load-more")?.hasAttribute("disabled") ?? false,
    };
  });
}

async function waitForJournal(what, predicate) {
  const facts = await browser.waitUntil(
    async () => {
      const f = await journalFacts();
      if (f.error) throw new Error(`the journal shows an error: ${f.error}`);
      return f.ready && predicate(f) ? f : false;
    },
    { ...WAIT, timeoutMsg: `journal: ${what}` },
  );
  if (!facts) throw new Error(`journal: ${what}`);
  return facts;
}

/**
 * How many elements match `selector` now.
 * @param {string} selector
 * @returns {Promise<number>}
 */
function countOf(selector) {
  return browser.execute((/** @type {string} */ sel) => document.querySelectorAll(sel).length, selector);
}

/** Replaces the search text as a clerk does: select all, delete, type. */
async function typeSearch(text) {
  const search = await browser.$("#search");
  await search.click();
  // `keys` presses all its keys down before releasing any: one chord per call.
  await browser.keys(["Control", "a"]);
  await browser.keys("Backspace");
  if (text) await search.addValue(text);
}

/** Presses the keys one after the other. */
async function press(...keys) {
  for (const k of keys) await browser.keys(k);
}

/**
 * Starts the window on the journal file `db` (tauri-driver, WebKitWebDriver, the app)
 * and points `browser` at it.
 * @param {string} db
 * @param {string} dir a scratch directory for the WebKit profile
 * @param {string} lastShot file name of the screenshot taken when the suite ends
 * @param {() => ({ iin: string, password: string } | null)} clerk who signs in first (none: the file is refused)
 */
function windowOn(db, dir, lastShot, clerk) {
  before(async () => {
    const display = await ensureDisplay();
    const env = {
      ...process.env,
      DISPLAY: display,
      QABYLDAU_DB: db,
      // A clean WebKit profile: no language remembered from an earlier run, and the
      // clerk's own data directory is never touched.
      ...cleanProfile(dir),
    };
    const driver = await startTauriDriver(env);
    driverLog = driver.log;
    browser = await openWindow(driver.port);
    const who = clerk();
    if (who) await signIn(browser, who);
  });

  after(async () => {
    try {
      // The window as the suite left it: the first thing to look at after a failure.
      if (browser) await screenshot(lastShot);
      if (browser) await browser.deleteSession();
    } catch {
      /* the window may already be gone; the process kill below covers it */
    } finally {
      // The driver's and the window's own output, for when something above failed.
      if (driverLog) writeFileSync(path.join(ensureOutputDir(), "tauri-driver.log"), driverLog());
      browser = undefined;
      driverLog = undefined;
      await stopAll();
    }
  });
}

describe("the Qabyldau window", { timeout: 240000 }, () => {
  tmp = makeTempDir();
  const db = path.join(tmp.dir, "journal.sqlite");
  /** @type {{ iin: string, password: string } | null} */
  let clerk = null;
  before(() => {
    clerk = createDemoJournal(db, APPLICATIONS);
  });
  windowOn(db, tmp.dir, "last.png", () => clerk);
  after(() => tmp?.remove());

  it("opens on the demo journal in Kazakh", async () => {
    const facts = await waitForJournal("demo rows shown", (f) => f.count > 0);
    assert.equal(facts.count, 100, "the first page holds 100 rows");
    assert.equal(await textOf("#journal-title"), "Өтініштер журналы");
    assert.equal(await textOf("th.c-child"), "Бала");
    const shown = await textOf("#journal-shown");
    assert.match(shown.replace(/\s/g, ""), new RegExp(`${APPLICATIONS}өтініштің100`), shown);
    for (const iin of facts.iins) assert.match(iin, /^\d{12}$/);
    // The status bar fills when its own view arrives, after the journal's first page.
    await browser.waitUntil(async () => /Қызметкер/.test(await textOf("#sb-clerk")), { ...WAIT, timeoutMsg: "the clerk in the status bar: Қызметкер" });
    await screenshot("journal-start.png");
  });

  it("loads the next page by keyset when the list is scrolled to its end", async () => {
    const first = await journalFacts();
    await browser.execute(() => {
      const pane = document.getElementById("table-scroll");
      if (pane) pane.scrollTop = pane.scrollHeight;
    });
    const facts = await waitForJournal("a second page", (f) => f.count === 200);
    assert.deepEqual(facts.iins.slice(0, 100), first.iins, "the first page stays in place");
    assert.equal(new Set(facts.iins).size, 200, "no row twice");
  });

  it("narrows to exactly one row when an IIN is typed", async () => {
    const before = await journalFacts();
    const iin = before.iins[7];
    assert.ok(iin, "a row to search for");
    await typeSearch(iin);
    const facts = await waitForJournal(`only ${iin}`, (f) => f.count === 1);
    assert.deepEqual(facts.iins, [iin]);
  });

  it("narrows by surname prefix", async () => {
    await typeSearch("");
    await waitForJournal("all rows back", (f) => f.count === 100);
    const name = await textOf("#journal-rows tr:first-child .c-child");
    const surname = name.split(/\s+/)[0] ?? "";
    const prefix = surname.slice(0, 3);
    await typeSearch(prefix.toLowerCase());
    const facts = await waitForJournal(`rows of "${prefix}…"`, (f) => f.count > 0 && f.count < 100);
    const names = await browser.execute(() => [...document.querySelectorAll("#journal-rows .c-child")].map((td) => td.textContent ?? ""));
    assert.equal(names.length, facts.count);
    for (const n of names) assert.ok(n.toLowerCase().startsWith(prefix.toLowerCase()), `${n} starts with ${prefix}`);
    await typeSearch("");
    await waitForJournal("all rows back", (f) => f.count === 100);
  });

  it("narrows by status with the filter", async () => {
    // The status with the fewest (but some) applications: every row must have it.
    const counts = await browser.execute(() =>
      [...document.querySelectorAll("[data-status-filter]")]
        .map((b) => ({ key: b.getAttribute("data-status-filter") ?? "", n: Number((b.querySelector(".count")?.textContent ?? "").replace(/\D/g, "")) }))
        .filter((c) => c.key !== "all" && c.n > 0),
    );
    assert.ok(counts.length >= 2, `demo data has several statuses: ${JSON.stringify(counts)}`);
    counts.sort((a, b) => a.n - b.n);
    const pick = counts[0];
    assert.ok(pick);
    await (await browser.$(`[data-status-filter="${pick.key}"]`)).click();
    const facts = await waitForJournal(`only ${pick.key}`, (f) => f.count === Math.min(pick.n, 100) && f.statuses.every((s) => s === pick.key));
    assert.ok(facts.count > 0);
    await (await browser.$('[data-status-filter="all"]')).click();
    await waitForJournal("all statuses back", (f) => f.count === 100 && new Set(f.statuses).size > 1);
  });

  it("opens an application beside the list with its three tabs", async () => {
    await (await browser.$("#journal-rows tr:nth-child(3) td.c-child")).click();
    await browser.waitUntil(async () => (await countOf("#detail [role=tab]")) === 3, { ...WAIT, timeoutMsg: "three tabs" });
    const labels = await browser.execute(() => [...document.querySelectorAll("#detail [role=tab]")].map((t) => t.textContent));
    assert.deepEqual(labels, ["Өтініш туралы ақпарат", "Өзгерістер тарихы", "Жалпы құжаттар"]);
    assert.equal(await textOf("#decide-accept"), "Қабылдау");
    assert.equal(await textOf("#decide-reject"), "Бас тарту");

    await (await browser.$("#tab-history")).click();
    await browser.waitUntil(async () => (await browser.$("#tab-history")).getAttribute("aria-selected").then((v) => v === "true"), {
      ...WAIT,
      timeoutMsg: "history tab selected",
    });
    await screenshot("tab-history.png");
    await (await browser.$("#tab-documents")).click();
    await browser.waitUntil(async () => (await countOf("#tab-panel [data-document]")) > 0, { ...WAIT, timeoutMsg: "documents listed" });
    await screenshot("tab-documents.png");
    await (await browser.$("#tab-info")).click();
    await browser.waitUntil(async () => (await countOf("#tab-panel dl.facts")) > 0, { ...WAIT, timeoutMsg: "information shown" });
    await screenshot("journal-kk.png");
  });

  it("switches the language of every label, and back", async () => {
    await (await browser.$("#lang-ru")).click();
    await browser.waitUntil(async () => (await textOf("#journal-title")) === "Журнал заявлений", { ...WAIT, timeoutMsg: "Russian title" });
    assert.equal(await textOf("th.c-child"), "Ребёнок");
    assert.equal(await textOf("#tab-info"), "Информация о заявлении");
    assert.equal(await textOf("#tab-history"), "История изменений");
    assert.equal(await textOf("#tab-documents"), "Общие документы");
    assert.equal(await (await browser.$("#search")).getAttribute("placeholder"), "Фамилия, ИИН или номер заявления");
    // The status bar fills when its own view arrives, after the journal's first page.
    await browser.waitUntil(async () => /Сотрудник/.test(await textOf("#sb-clerk")), { ...WAIT, timeoutMsg: "the clerk in the status bar: Сотрудник" });
    await screenshot("journal-ru.png");

    await (await browser.$("#lang-kk")).click();
    await browser.waitUntil(async () => (await textOf("#journal-title")) === "Өтініштер журналы", { ...WAIT, timeoutMsg: "Kazakh title" });
    assert.equal(await textOf("#tab-info"), "Өтініш туралы ақпарат");
  });

  it("works from the keyboard: Esc closes, / searches, arrows move, Enter opens", async () => {
    await press("Escape");
    await browser.waitUntil(async () => !(await (await browser.$("#detail")).isDisplayed()), { ...WAIT, timeoutMsg: "detail closed" });
    const before = await browser.execute(() => Number(document.querySelector('#journal-rows tr[aria-selected="true"]')?.getAttribute("data-index")));
    await press("/");
    await browser.waitUntil(async () => browser.execute(() => document.activeElement?.id === "search"), { ...WAIT, timeoutMsg: "search focused" });
    await press("ArrowDown", "ArrowDown", "Enter");
    await browser.waitUntil(async () => (await countOf("#detail [role=tab]")) === 3, { ...WAIT, timeoutMsg: "opened with Enter" });
    const selected = await browser.execute(() => document.querySelector('#journal-rows tr[aria-selected="true"]')?.getAttribute("data-index"));
    // Down from the search box enters the list at the selected row, the next Down moves on.
    assert.equal(selected, String(before + 1));
  });
});

describe("a file that is not a journal", { timeout: 120000 }, () => {
  const scratch = makeTempDir();
  const db = path.join(scratch.dir, "journal.sqlite");
  const bytes = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24));
  before(() => writeFileSync(db, bytes));
  windowOn(db, scratch.dir, "not-a-journal.png", () => null);
  after(() => scratch.remove());

  it("is refused with a clear message in the clerk's language, and left untouched", async () => {
    const banner = await browser.$("#journal-error");
    await banner.waitForDisplayed({ timeout: WAIT.timeout, timeoutMsg: "the error banner" });
    const kk = await textOf("#journal-error");
    assert.match(kk, /журналы емес/, kk);
    assert.match(kk, /DB_NOT_A_DATABASE/);
    await (await browser.$("#lang-ru")).click();
    await browser.waitUntil(async () => /не является журналом/.test(await textOf("#journal-error")), {
      ...WAIT,
      timeoutMsg: "the message in Russian",
    });
    assert.equal(await countOf("#journal-rows tr"), 0);
    assert.deepEqual(readFileSync(db), bytes, "the file is never overwritten");
  });
});
