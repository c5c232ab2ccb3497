// What the window test needs around it: a display, a demo journal, tauri-driver on a
// free port, and the certainty that every process it started is gone at the end,
// pass or fail. Waits are bounded polls on a condition, never fixed sleeps.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { remote } from "webdriverio";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, "target");
/** Built by `npx tauri build --debug --no-bundle` (serves the built ui/, not a dev server). */
export const APP_BIN = process.env.QABYLDAU_APP_BIN ?? path.join(TARGET, "debug", "qabyldau-app");
/** The CLI that fills the demo journal: `cargo build -p cli`. */
export const CLI_BIN = process.env.QABYLDAU_CLI_BIN ?? path.join(TARGET, "debug", "qabyldau");
export const OUTPUT_DIR = path.join(ROOT, "test-output", "e2e");

/** @type {import("node:child_process").ChildProcess[]} */
const started = [];

/** Ends a process and everything it started (it leads its own process group). */
function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Resolves true when `child` has exited, false when `ms` passed first. */
function exited(child, ms) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Stops every process started here, newest first; with `{ keepDisplay: true }` the Xvfb
 * of ensureDisplay() stays up for the next window (a bench that starts several). */
export async function stopAll({ keepDisplay = false } = {}) {
  const children = started.splice(0).reverse();
  for (const child of children) {
    if (keepDisplay && child === displayServer) {
      started.push(child);
      continue;
    }
    killGroup(child, "SIGTERM");
    if (!(await exited(child, 5000))) killGroup(child, "SIGKILL");
  }
}
// Even when the runner is interrupted, take the children down with us.
process.on("exit", () => {
  for (const child of started) killGroup(child, "SIGKILL");
});

function startProcess(cmd, args, options = {}) {
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], ...options });
  started.push(child);
  let log = "";
  const keep = (chunk) => {
    log = (log + chunk.toString()).slice(-20000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, log: () => log };
}

export async function waitFor(what, condition, timeoutMs = 30000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const v = await condition();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ""}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** A display: the one we have, or a fresh Xvfb that reports its own free number. */
/** The Xvfb ensureDisplay() started, if it did. */
let displayServer = null;

export async function ensureDisplay() {
  if (process.env.DISPLAY) return process.env.DISPLAY;
  const xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1366x768x24", "-nolisten", "tcp"], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  started.push(xvfb);
  displayServer = xvfb;
  let number = "";
  const fd3 = /** @type {import("node:stream").Readable} */ (xvfb.stdio[3]);
  fd3.on("data", (d) => (number += d.toString()));
  await waitFor("Xvfb to report its display number", () => /\d+\n/.test(number), 15000);
  const display = `:${number.trim()}`;
  console.log(`e2e: no DISPLAY, started Xvfb on ${display}`);
  return display;
}

/** Runs a command; fails the test with its output when it fails. Returns its stdout. */
export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function makeTempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "qabyldau-e2e-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Built by `cargo build -p portal-sim --bin portal-sim`. */
export const PORTAL_SIM_BIN = process.env.QABYLDAU_PORTAL_SIM_BIN ?? path.join(TARGET, "debug", "portal-sim");

/**
 * A real portal for a suite: portal-sim in its own process group, started on a free port
 * of 127.0.0.1 (or on `listen`, to come back where it was), stopped with SIGKILL (gone at
 * once, as an outage is); its output is kept for the suite's log.
 */
export function portalSim() {
  /** @type {import("node:child_process").ChildProcess | undefined} */
  let child;
  let log = "";
  let url = "";
  const kill = () => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) killGroup(child, "SIGKILL");
  };
  process.on("exit", kill);
  return {
    /**
     * Resolves with the portal's URL once it listens.
     * @param {string[]} args e.g. `["--seed", "1", "--applications", "300"]`
     * @param {string} [listen]
     */
    async start(args, listen = "127.0.0.1:0") {
      if (!existsSync(PORTAL_SIM_BIN)) throw new Error(`${PORTAL_SIM_BIN} is missing: cargo build -p portal-sim --bin portal-sim`);
      log = "";
      const p = spawn(PORTAL_SIM_BIN, ["--listen", listen, ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
      child = p;
      const keep = (/** @type {Buffer} */ chunk) => (log = (log + chunk.toString()).slice(-20000));
      p.stdout?.on("data", keep);
      p.stderr?.on("data", keep);
      url = await waitFor(
        "portal-sim to print its address",
        () => {
          if (p.exitCode !== null) throw new Error(`portal-sim exited: ${log}`);
          return /listening on (http:\/\/\S+)/.exec(log)?.[1] ?? false;
        },
        60000,
      );
      return url;
    },
    /** The URL of the last start. */
    url: () => url,
    /** Stops it (its whole group) and waits until it is gone. */
    async stop() {
      const p = child;
      child = undefined;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const gone = exited(p, 5000);
      killGroup(p, "SIGKILL");
      await gone;
    },
    log: () => log,
  };
}

/** GET (or `init`) `address` and its JSON; fails the test with the status and body. */
export async function fetchJson(address, init = undefined) {
  const r = await fetch(address, init);
  if (!r.ok) throw new Error(`${address}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** A portal session's token for `staff` (the portal's own sign-in route). */
export async function portalToken(url, staff) {
  const r = await fetchJson(`${url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ iin: staff.iin, password: staff.password }),
  });
  return r.token;
}

/** The password the E2E demo journals' clerk signs in with (issue 16). */
export const DEMO_CLERK_PASSWORD = "demo-desk-password";

/**
 * A demo journal made by the CLI; resolves with its clerk, who signs in with
 * DEMO_CLERK_PASSWORD.
 * @returns {{ iin: string, name: string, password: string }}
 */
export function createDemoJournal(dbPath, applications) {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run \`cargo build -p cli\` first`);
  const r = spawnSync(CLI_BIN, ["demo", "--db", dbPath, "--applications", String(applications), "--json"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`qabyldau demo failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout);
  return { iin: out.clerk_iin, name: out.clerk_name, password: DEMO_CLERK_PASSWORD };
}

/**
 * The shared first step of every suite (issue 16: no journal before a sign-in): waits
 * for the sign-in view, signs `clerk` in with IIN + password, and waits until the view
 * is gone.
 * @param {WebdriverIO.Browser} browser
 * @param {{ iin: string, password?: string }} clerk
 */
export async function signIn(browser, clerk) {
  const password = clerk.password ?? DEMO_CLERK_PASSWORD;
  await browser.waitUntil(
    () => browser.execute(() => document.body.dataset.ready === "true" && document.getElementById("signin")?.hidden === false),
    { timeout: 30000, interval: 100, timeoutMsg: "the sign-in view is shown first" },
  );
  const journalBefore = await browser.execute(() => document.querySelectorAll("#journal-rows tr").length);
  if (journalBefore !== 0) throw new Error(`${journalBefore} journal rows were on screen before the sign-in`);
  await browser.execute(
    (/** @type {string} */ iin, /** @type {string} */ pw) => {
      const set = (/** @type {string} */ id, /** @type {string} */ v) => {
        const el = /** @type {HTMLInputElement} */ (document.getElementById(id));
        el.value = v;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      };
      set("signin-iin", iin);
      set("signin-password", pw);
      /** @type {HTMLButtonElement} */ (document.getElementById("signin-submit")).click();
    },
    clerk.iin,
    password,
  );
  await browser.waitUntil(
    async () => {
      const f = await browser.execute(() => {
        const err = document.getElementById("signin-error");
        return { open: document.getElementById("signin")?.hidden === false, error: err && !err.hidden ? err.innerText : null };
      });
      if (f.error) throw new Error(`sign-in refused: ${f.error}`);
      return !f.open;
    },
    { timeout: 60000, interval: 100, timeoutMsg: "the sign-in view closes" },
  );
}

/**
 * The online sign-in against portal-sim (R-1, R-3) in the district `district`; a first
 * sign-in confirms `email` with the code the portal sent (R-2, read from /admin/codes).
 * With `emailAsked` the e-mail step must come (a clerk who never confirmed one); without,
 * it is answered when it comes. Resolves once the sign-in view is gone.
 * @param {WebdriverIO.Browser} browser
 * @param {{ url: string, clerk: { iin: string, password: string }, district: string, email: string, emailAsked?: boolean }} how
 */
export async function signInOnline(browser, { url, clerk, district, email, emailAsked = false }) {
  const { type } = windowActions(() => browser, { timeout: 30000, interval: 100 });
  const until = (/** @type {string} */ what, /** @type {() => Promise<boolean>} */ f) => browser.waitUntil(f, { timeout: 30000, interval: 100, timeoutMsg: what });
  await until("the sign-in view", () => browser.execute(() => document.body.dataset.ready === "true" && document.getElementById("signin")?.hidden === false));
  await browser.execute(/** @type {any} */ ((/** @type {string} */ id) => {
    const s = /** @type {HTMLSelectElement} */ (document.getElementById("signin-district"));
    s.value = id;
    s.dispatchEvent(new Event("change"));
  }), district);
  await type("#signin-iin", clerk.iin);
  await type("#signin-password", clerk.password);
  await browser.keys("Enter");
  if (emailAsked) await until("the e-mail step", () => browser.$("#signin-email").isExisting());
  else await until("the e-mail step or the journal", () => browser.execute(() => document.getElementById("signin-email") !== null || document.getElementById("signin")?.hidden === true));
  if (await browser.$("#signin-email").isExisting()) {
    await type("#signin-email", email);
    await browser.keys("Enter");
    await until("the code step", () => browser.$("#signin-code").isExisting());
    const codes = await fetchJson(`${url}/admin/codes`);
    await type("#signin-code", codes.find((/** @type {any} */ c) => c.destination === email && !c.confirmed).code);
    await browser.keys("Enter");
  }
  await until("signed in", () => browser.execute(() => document.getElementById("signin")?.hidden === true));
}

/** tauri-driver (which starts WebKitWebDriver) on free ports; resolves when it answers. */
export async function startTauriDriver(env) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const driver = startProcess("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], { env });
  await waitFor(
    "tauri-driver to answer /status",
    async () => {
      if (driver.child.exitCode !== null) throw new Error(`tauri-driver exited: ${driver.log()}`);
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      return res.ok;
    },
    30000,
    150,
  );
  return { port, log: driver.log };
}

export function ensureOutputDir() {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return OUTPUT_DIR;
}

/** The XDG directories of a clean profile under `dir`: no language remembered from an
 * earlier run, and the clerk's own data directory never touched. */
/**
 * The debug build's stand-in for the native open dialog (src-tauri/src/picked.rs,
 * compiled only with debug assertions): with `env` in the window's environment, a
 * click on a "choose file" button "picks" the path last given to `pick` (WebDriver
 * cannot drive a native dialog). The window still reads and checks the file itself
 * and gets only a handle back, as with the real dialog.
 * @param {string} dir
 */
export function dialogPicks(dir) {
  const control = path.join(dir, "dialog-pick.txt");
  writeFileSync(control, "");
  return {
    env: { QABYLDAU_E2E_PICK_FILE: control },
    /** @param {string} file */
    pick: (file) => writeFileSync(control, file),
    /** Resolves once the window has read the pick (it empties the file): the next pick
     *  cannot be taken for this one, however slowly the window answers a click. */
    taken: () => waitFor("the window to take the dialog's pick", () => readFileSync(control, "utf8") === "", 30000),
  };
}

/** Where every window of an E2E run writes its diagnostic log (QABYLDAU_LOG_DIR), kept
 *  after the suites so that zz-diagnostic-log.test.mjs can read it (issue 15). */
export function e2eLogDir() {
  return path.join(ensureOutputDir(), "logs");
}

/** Records secrets and personal numbers a suite typed or used (PINs, passwords, IINs,
 *  phones), for zz-diagnostic-log.test.mjs to check none of them reached the log. */
export function recordSecrets(...values) {
  mkdirSync(e2eLogDir(), { recursive: true });
  const lines = values.filter((v) => typeof v === "string" && v.length >= 4).map((v) => `${v}\n`);
  appendFileSync(path.join(ensureOutputDir(), "e2e-secrets.txt"), lines.join(""));
}

export function cleanProfile(dir) {
  return {
    QABYLDAU_LOG_DIR: e2eLogDir(),
    XDG_DATA_HOME: path.join(dir, "data"),
    XDG_CONFIG_HOME: path.join(dir, "config"),
    XDG_CACHE_HOME: path.join(dir, "cache"),
  };
}

/** Opens the built window through the tauri-driver listening on `port`. */
export function openWindow(port) {
  return remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      // @ts-expect-error tauri-driver's own capability
      "tauri:options": { application: APP_BIN, args: ["--demo"] },
      "wdio:enforceWebDriverClassic": true,
    },
  });
}

/** @param {string[]} args */
function openssl(args) {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/**
 * A test CA and the clerk's NCA-shaped signing certificate (digitalSignature +
 * nonRepudiation, extended key usage emailProtection as NCA's `RSA_*` signing keys carry,
 * SERIALNUMBER=IIN…), as `RSA_<iin>.p12` with `password`, in `dir` (openssl CLI): the
 * key the window signs with, or NCALayer's simulator underneath. The desk is told to trust
 * `<dir>/ca.pem` (QABYLDAU_TRUST_CA): it checks a key's chain when it signs (issue 10).
 * @param {string} dir
 * @param {{ iin: string, name: string }} clerk
 * @param {string} password
 */
export function clerkKeyFile(dir, clerk, password) {
  const [surname = "", given = "", patronymic = ""] = clerk.name.toUpperCase().split(/\s+/);
  const f = (/** @type {string} */ name) => path.join(dir, name);
  openssl([
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out", f("ca.pem"),
    "-subj", "/CN=Test NCA/C=KZ", "-days", "3650",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  const subject = `/CN=${surname} ${given}/SN=${surname}/serialNumber=IIN${clerk.iin}/C=KZ${patronymic ? `/GN=${patronymic}` : ""}`;
  openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-utf8", "-keyout", f("clerk.key"), "-out", f("clerk.csr"), "-subj", subject]);
  writeFileSync(f("ext.cnf"), "keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\nbasicConstraints=CA:FALSE\n");
  openssl([
    "x509", "-req", "-in", f("clerk.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"), "-CAcreateserial",
    "-out", f("clerk.pem"), "-days", "365", "-extfile", f("ext.cnf"),
  ]);
  const p12 = f(`RSA_${clerk.iin}.p12`);
  openssl(["pkcs12", "-export", "-inkey", f("clerk.key"), "-in", f("clerk.pem"), "-certfile", f("ca.pem"), "-out", p12, "-passout", `pass:${password}`]);
  return p12;
}

/** Built by `cargo build -p signing --example gost_key_file` (scripts/test-all does). */
export const GOST_KEY_FILE_BIN = process.env.QABYLDAU_GOST_KEY_FILE_BIN ?? path.join(TARGET, "debug", "examples", "gost_key_file");

/**
 * A GOST 34.10-2015 512 test CA (`<dir>/gost-ca.cer`, DER) and the clerk's NCA-shaped GOST
 * signing key file `GOST512_<iin>.p12` with `password`, in `dir` (issue 10: NCA's default
 * key; OpenSSL cannot make one, the signing crate's testkit does). Trust the CA with
 * QABYLDAU_TRUST_CA, as for {@link clerkKeyFile}.
 * @param {string} dir
 * @param {{ iin: string, name: string }} clerk
 * @param {string} password
 */
export function gostKeyFile(dir, clerk, password) {
  if (!existsSync(GOST_KEY_FILE_BIN)) throw new Error(`${GOST_KEY_FILE_BIN} is missing: cargo build -p signing --example gost_key_file`);
  const r = spawnSync(GOST_KEY_FILE_BIN, [dir, clerk.iin, clerk.name, password], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gost_key_file failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/**
 * What a test does in the window as a clerk would, for the browser `getBrowser()` gives
 * (the session the suite opened in `before`) with the suite's `wait` options:
 * screenshots into test-output/e2e, reading a field's text or value, typing, clicking.
 * @param {() => WebdriverIO.Browser} getBrowser
 * @param {{ timeout: number, interval: number }} wait
 */
export function windowActions(getBrowser, wait) {
  async function screenshot(name) {
    const browser = getBrowser();
    const out = path.join(ensureOutputDir(), name);
    await browser.executeAsync((/** @type {() => void} */ done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
    writeFileSync(out, Buffer.from(await browser.takeScreenshot(), "base64"));
    console.log(`e2e: screenshot ${path.relative(process.cwd(), out)}`);
  }

  /** innerText of the first match, hidden or not (WebKitWebDriver's getText can be
   *  empty), or null when there is none. */
  function pageText(selector) {
    return getBrowser().execute(/** @type {any} */ ((/** @type {string} */ sel) => {
      const el = document.querySelector(sel);
      return el instanceof HTMLElement ? el.innerText.trim() : null;
    }), selector);
  }

  /** {@link pageText} of an element that must be there. */
  async function requiredText(selector) {
    const text = await pageText(selector);
    if (text === null) throw new Error(`no element ${selector}`);
    return text;
  }

  /** innerText of the first match, or null when there is none / it is hidden. */
  function textOf(selector) {
    return getBrowser().execute(/** @type {any} */ ((/** @type {string} */ sel) => {
      const el = document.querySelector(sel);
      return el instanceof HTMLElement && el.offsetParent !== null ? el.innerText.trim() : null;
    }), selector);
  }

  async function waitText(selector, what) {
    return getBrowser().waitUntil(async () => (await textOf(selector)) || false, { ...wait, timeoutMsg: `${what} (${selector})` });
  }

  function valueOf(selector) {
    return getBrowser().execute(/** @type {any} */ ((/** @type {string} */ sel) => {
      const el = document.querySelector(sel);
      return el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.value : null;
    }), selector);
  }

  /** Types into a field as a clerk does: click, select all, type. */
  async function type(selector, text) {
    const browser = getBrowser();
    const el = await browser.$(selector);
    await el.waitForDisplayed(wait);
    await el.click();
    await browser.keys(["Control", "a"]);
    await browser.keys("Backspace");
    if (text) await el.addValue(text);
  }

  async function click(selector) {
    const el = await getBrowser().$(selector);
    await el.waitForClickable(wait);
    await el.click();
  }

  /** `f` true within the suite's wait, or the test fails saying `what`. */
  async function waitUntil(what, f) {
    return getBrowser().waitUntil(f, { ...wait, timeoutMsg: what });
  }

  return { screenshot, textOf, pageText, requiredText, waitText, valueOf, type, click, waitUntil };
}

/**
 * The journal as a test sees it, for the browser `getBrowser()` gives: the rows on screen,
 * opening one, whether the decision dialog is open.
 * @param {() => WebdriverIO.Browser} getBrowser
 * @param {{ timeout: number, interval: number }} wait
 */
export function journalActions(getBrowser, wait) {
  const { pageText, waitUntil } = windowActions(getBrowser, wait);

  /** Rows on screen: id, number, status, sync mark. */
  function rows() {
    return getBrowser().execute(() =>
      [...document.querySelectorAll("#journal-rows tr")].map((r) => ({
        id: r.getAttribute("data-id") ?? "",
        number: r.querySelector(".c-number")?.textContent ?? "",
        status: r.getAttribute("data-status") ?? "",
        waiting: r.querySelector(".c-status .sy-waiting") !== null,
        provisional: r.querySelector(".c-number .sy-provisional, .c-number .prov") !== null,
      })),
    );
  }

  /** Opens the row with `id` from the journal: one click. */
  async function openRow(id) {
    const browser = getBrowser();
    await (await browser.$(`#journal-rows tr[data-id="${id}"] .c-child`)).click();
    await waitUntil(`application ${id} open`, async () => (await pageText("#detail-title")) !== null && (await browser.$("#decide-accept").isExisting()));
  }

  function dialogOpen() {
    return getBrowser().execute(() => document.getElementById("decision-dialog") instanceof HTMLDialogElement);
  }

  /** The journal shown with rows: the window is ready to work in. */
  async function ready() {
    await waitUntil("the journal is ready", () => getBrowser().execute(() => document.body.dataset.ready === "true" && document.querySelectorAll("#journal-rows tr").length > 0));
  }

  return { rows, openRow, dialogOpen, ready };
}

/**
 * The on-behalf wizard as a test drives it, for the browser `getBrowser()` gives: its
 * steps, files made in `dir` and picked through the dialog's stand-in `picks`
 * ({@link dialogPicks}), and a walk-in's steps 2 and 3 sent in one go.
 * @param {() => WebdriverIO.Browser} getBrowser
 * @param {{ timeout: number, interval: number }} wait
 * @param {{ dir: string, picks: { pick: (file: string) => void, taken: () => Promise<unknown> } }} files
 */
export function wizardActions(getBrowser, wait, { dir, picks }) {
  const { click, type, waitText, waitUntil } = windowActions(getBrowser, wait);

  function currentStep() {
    return getBrowser().execute(() => document.querySelector(".wizard-steps li[aria-current='step']")?.getAttribute("data-step") ?? null);
  }

  async function waitStep(n) {
    await waitUntil(`wizard step ${n}`, async () => (await currentStep()) === String(n));
  }

  /** Alt+N, as a clerk opens it from anywhere in the journal; resolves once it shows a
   *  step (the view is shown before desk has answered what the form offers). */
  async function openWizard() {
    const browser = getBrowser();
    await browser.keys(["Alt", "n"]);
    await waitUntil("the wizard opens on Alt+N", () =>
      browser.execute(() => document.getElementById("wizard")?.hidden === false && document.querySelector(".wizard-steps li[aria-current='step']") !== null),
    );
  }

  /** A file of `bytes` bytes in `dir` that begins as its extension says (JPEG or PDF
   *  magic), or with `head`. */
  function file(name, bytes, head = name.endsWith(".pdf") ? "%PDF-1.7\n" : "\xFF\xD8\xFF\xE0") {
    const p = path.join(dir, name);
    const content = Buffer.alloc(bytes, 0x42);
    Buffer.from(head, "latin1").copy(content);
    writeFileSync(p, content);
    return p;
  }

  /** The dialog picks `p` when the button `selector` is clicked (issue 15: no path typed);
   *  resolves once the window has taken it. */
  async function pickFile(selector, p) {
    picks.pick(p);
    await click(selector);
    await picks.taken();
  }

  /**
   * Steps 2 and 3 of a walk-in whose step 1 is filled: the first school offered, a photo
   * and a medical certificate made here (named after `tag`), the three consents, the key
   * file `key` with `pin`, «Қол қою және жіберу».
   * @param {{ tag: string, key: string, pin: string }} what
   */
  async function sendWalkIn({ tag, key, pin }) {
    const browser = getBrowser();
    await click("#wizard-next");
    await waitStep(2);
    await waitUntil("schools", () => browser.execute(() => (document.getElementById("wz-school_id")?.querySelectorAll("option").length ?? 0) > 1));
    const school = await browser.execute(() => /** @type {HTMLSelectElement} */ (document.getElementById("wz-school_id")).options[1]?.value ?? "");
    await (await browser.$("#wz-school_id")).selectByAttribute("value", school);
    await pickFile("#wz-doc-photo-pick", file(`photo-${tag}.jpg`, 40_000));
    if (await (await browser.$("#wz-doc-photo-readable")).isExisting()) await click("#wz-doc-photo-readable");
    await pickFile("#wz-doc-medical_certificate-pick", file(`medical-${tag}.pdf`, 60_000));
    await waitText("#wz-doc-medical_certificate-info", "the certificate attached");
    await click("#wizard-next");
    await waitStep(3);
    await click("#wz-consent_admission_rules");
    await click("#wz-consent_portal_terms");
    await click("#wz-consent_personal_data");
    await pickFile("#wz-key-pick", key);
    await type("#wz-pin", pin);
    await click("#wizard-submit");
  }

  return { currentStep, waitStep, openWizard, file, pickFile, sendWalkIn };
}
