// End-to-end test of signing through NCALayer in the real window (issue 14; ).
// NCALayer cannot run here, so the protocol-faithful simulator (`crates/ncalayer-sim`,
// binary `ncalayer-sim`) plays it on a free port with the clerk's `.p12` underneath and a
// TLS root of its own; the debug build is pointed at it by QABYLDAU_NCALAYER_PORT,
// QABYLDAU_NCALAYER_TLS_ROOT and QABYLDAU_NCALAYER_TRUST_CA (read in debug builds only).
// The dialog offers «NCALayer» with its version, asks no PIN for it, and the decision is
// signed, verified and recorded; with the simulator gone, «NCALayer» is not offered.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanProfile, clerkKeyFile, ensureDisplay, ensureOutputDir, makeTempDir, openWindow, signIn, startTauriDriver, stopAll, waitFor, createDemoJournal, windowActions, journalActions } from "./harness.mjs";

const WAIT = { timeout: 15000, interval: 100 };
const PASSWORD = "Qwerty12";
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.resolve("target");
const SIM_BIN = process.env.QABYLDAU_NCALAYER_SIM_BIN ?? path.join(TARGET, "debug", "ncalayer-sim");

/** @type {WebdriverIO.Browser} */
let browser;
const { screenshot, pageText: textOf, waitUntil } = windowActions(() => browser, WAIT);
const { rows, openRow, dialogOpen } = journalActions(() => browser, WAIT);
/** @type {(() => string) | undefined} */
let driverLog;
/** @type {import("node:child_process").ChildProcess | undefined} */
let sim;

/** Starts the simulator on a free port; resolves with the port once it listens. */
async function startSim(p12, rootOut) {
  if (!existsSync(SIM_BIN)) throw new Error(`${SIM_BIN} is missing: run \`cargo build -p ncalayer-sim\` first`);
  const child = spawn(SIM_BIN, ["--port", "0", "--p12", p12, "--tls-root-out", rootOut], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NCALAYER_SIM_SECRET: PASSWORD },
  });
  sim = child;
  let out = "";
  child.stdout?.on("data", (d) => (out += d.toString()));
  child.stderr?.on("data", (d) => (out += d.toString()));
  const m = await waitFor("ncalayer-sim to listen", () => {
    if (child.exitCode !== null) throw new Error(`ncalayer-sim exited: ${out}`);
    return /listening 127\.0\.0\.1:(\d+)/.exec(out);
  }, 30000);
  return Number(m[1]);
}

function stopSim() {
  if (sim?.pid !== undefined && sim.exitCode === null) {
    try {
      process.kill(-sim.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}
process.on("exit", stopSim);

function ncalayerState() {
  return browser.execute(() => document.getElementById("decision-dialog")?.dataset.ncalayer ?? null);
}

describe("signing through NCALayer in the window", { timeout: 300000 }, () => {
  const tmp = makeTempDir();
  const db = path.join(tmp.dir, "journal.sqlite");

  before(async () => {
    const clerk = createDemoJournal(db, 60);
    const p12 = clerkKeyFile(tmp.dir, clerk, PASSWORD);
    const root = path.join(tmp.dir, "ncalayer-tls-root.pem");
    const port = await startSim(p12, root);
    const display = await ensureDisplay();
    const env = {
      ...process.env,
      DISPLAY: display,
      QABYLDAU_DB: db,
      QABYLDAU_NCALAYER_PORT: String(port),
      QABYLDAU_NCALAYER_TLS_ROOT: root,
      QABYLDAU_NCALAYER_TRUST_CA: path.join(tmp.dir, "ca.pem"),
      ...cleanProfile(tmp.dir),
    };
    const driver = await startTauriDriver(env);
    driverLog = driver.log;
    browser = await openWindow(driver.port);
    await signIn(browser, clerk);
    await waitUntil("the journal shown", async () => (await browser.execute(() => document.body.dataset.ready === "true")) && (await rows()).length > 0);
  });

  after(async () => {
    try {
      if (browser) await screenshot("ncalayer-last.png");
      if (browser) await browser.deleteSession();
    } catch {
      /* the window may be gone already */
    } finally {
      if (driverLog) writeFileSync(path.join(ensureOutputDir(), "tauri-driver-ncalayer.log"), driverLog());
      stopSim();
      await stopAll();
      tmp.remove();
    }
  });

  /** @type {string} */
  let signedId = "";

  it("offers NCALayer with its version and signs the decision there", async () => {
    const row = (await rows()).find((r) => r.status === "new" && !r.provisional);
    assert.ok(row, "a new application in the journal");
    signedId = row.id;
    await openRow(row.id);
    await (await browser.$("#decide-accept")).click();
    await waitUntil("the acceptance dialog", dialogOpen);
    await waitUntil("NCALayer offered", async () => browser.$('input[name="dd-key"][value="ncalayer"]').isExisting());
    assert.equal(await ncalayerState(), "1.4");
    assert.match((await textOf("#dd-ncalayer-version")) ?? "", /1\.4/);
    await (await browser.$('input[name="dd-key"][value="ncalayer"]').parentElement()).click();
    await waitUntil("no PIN field for NCALayer", async () => !(await browser.$("#dd-secret").isDisplayed()));
    await screenshot("ncalayer-dialog.png");
    await (await browser.$("#dd-confirm")).click();
    await waitUntil("the dialog closed after signing", async () => !(await dialogOpen()));
    await waitUntil("the row accepted and waiting", async () => {
      const r = (await rows()).find((x) => x.id === signedId);
      return r?.status === "accepted" && r.waiting;
    });
    assert.match((await textOf("#decision-note")) ?? "", /қол қойылды/);
  });

  it("does not offer NCALayer once it is gone", async () => {
    stopSim();
    await waitFor("ncalayer-sim gone", () => sim?.exitCode !== null || sim?.signalCode !== null, 10000);
    const row = (await rows()).find((r) => r.status === "new" && !r.provisional && r.id !== signedId);
    assert.ok(row, "another application");
    await openRow(row.id);
    await (await browser.$("#decide-accept")).click();
    await waitUntil("the acceptance dialog", dialogOpen);
    await waitUntil("the probe answered", async () => (await ncalayerState()) === "absent");
    assert.equal(await browser.$('input[name="dd-key"][value="ncalayer"]').isExisting(), false);
    await (await browser.$("#dd-cancel")).click();
    await waitUntil("the dialog closed", async () => !(await dialogOpen()));
  });
});
