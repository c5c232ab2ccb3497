// The window's figures (issue 13), information only: cold start of the given build under
// Xvfb to its first interactive screen (the sign-in form: the journal opens only at a
// clerk's sign-in, issue 16) and from the sign-in to the first journal row rendered
// (the offline sign-in's Argon2id included), and the memory of the app and
// its WebKit processes (PSS, from /proc/<pid>/smaps_rollup) after a minute idle on a
// 3 000-row demo journal. Prints the figures beside their targets and writes
// target/bench/window.json. Used by scripts/bench-window.
//
//   node scripts/bench-window.mjs <app binary> [--idle-seconds 60] [--runs 3]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CLI_BIN, ROOT, cleanProfile, ensureDisplay, makeTempDir, signIn, startTauriDriver, stopAll, waitFor } from "../tests/e2e/harness.mjs";
import { remote } from "webdriverio";

const args = process.argv.slice(2);
const app = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const idleSeconds = opt("--idle-seconds", 60);
const runs = opt("--runs", 3);
if (!app || !existsSync(app)) {
  console.error(`bench-window: no app binary at ${app}`);
  process.exit(1);
}

/** Every process below `root` (by parent pid), with its command name. */
function descendants(root) {
  const parent = new Map();
  const name = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      name.set(Number(entry), stat.slice(stat.indexOf("(") + 1, close));
      parent.set(Number(entry), Number(stat.slice(close + 2).split(" ")[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [];
  const walk = (pid) => {
    for (const [child, p] of parent) {
      if (p === pid) {
        out.push({ pid: child, name: name.get(child) });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

/** When a process started, in epoch milliseconds: its age (now since boot, /proc/uptime,
 * minus its start after boot, /proc/<pid>/stat field 22 in clock ticks) before Date.now(),
 * to the 10 ms of a clock tick. */
function startedAtMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  const hz = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  const now = Date.now();
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  return now - (uptime - ticks / hz) * 1000;
}

/** The mappings of a process that hold the most PSS, summed by what is mapped (a file, or
 * [heap], [anon], …): what holds the memory (BENCH_WINDOW_SMAPS=<n> prints the top n). */
function topMappings(pid, n) {
  const by = new Map();
  let current = "";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
    if (head) {
      current = head[1] || "[anon]";
      continue;
    }
    const pss = line.match(/^Pss:\s+(\d+) kB/);
    if (pss) by.set(current, (by.get(current) ?? 0) + Number(pss[1]));
  }
  return [...by].sort((a, b) => b[1] - a[1]).slice(0, n);
}

function pssKb(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function rssKb(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const tmp = makeTempDir();
const db = path.join(tmp.dir, "journal.sqlite");
const r = spawnSync(CLI_BIN, ["demo", "--db", db, "--applications", "3000", "--seed", "2025"], { encoding: "utf8" });
if (r.status !== 0) throw new Error(`qabyldau demo: ${r.stderr}`);

const display = await ensureDisplay();
const env = { ...process.env, ...cleanProfile(tmp.dir), DISPLAY: display, QABYLDAU_DB: db, QABYLDAU_NO_EXTERNAL_VIEWER: "1" };
delete env.QABYLDAU_PORTAL;

const starts = [];
// The same start measured from the app's own process start (the WebDriver session's
// set-up before it excluded): what a clerk waits for after a double-click.
const appStarts = [];
// Of that, the native part: process start to the page's navigation start
// (performance.timeOrigin: GTK, the WebKit processes, the app's setup).
const nativeParts = [];
const signIns = [];
let memory = null;
// The demo journal's clerk (prefilled as the clerk known here); their first sign-in
// encrypts the demo journal with this password, later runs sign in with it again.
const PASSWORD = "bench-window-password";
try {
  for (let run = 0; run < runs; run++) {
    const driver = await startTauriDriver(env);
    const t0 = performance.now();
    const browser = await remote({
      hostname: "127.0.0.1",
      port: driver.port,
      logLevel: "warn",
      connectionRetryCount: 0,
      capabilities: {
        // @ts-expect-error tauri-driver's own capability
        "tauri:options": { application: app, args: ["--demo"] },
        "wdio:enforceWebDriverClassic": true,
      },
    });
    await waitFor(
      "the sign-in form",
      async () => browser.execute(() => document.body.dataset.ready === "true" && document.getElementById("signin")?.hidden === false),
      60000,
      20,
    );
    const readyAt = Date.now();
    const ms = performance.now() - t0;
    starts.push(ms);
    const driverPid = process.pid;
    const appProc = descendants(driverPid).find((p) => p.name === "qabyldau-app");
    if (appProc) {
      const started = startedAtMs(appProc.pid);
      const origin = await browser.execute(() => performance.timeOrigin);
      appStarts.push(readyAt - started);
      nativeParts.push(origin - started);
    }
    const iin = await browser.execute(() => /** @type {HTMLInputElement} */ (document.getElementById("signin-iin")).value);
    const t1 = performance.now();
    await signIn(browser, { iin, password: PASSWORD });
    await waitFor("the first journal row", async () => (await browser.$$("#journal-rows tr[data-id]")).length > 0, 60000, 20);
    const rowMs = performance.now() - t1;
    signIns.push(rowMs);
    const own = appStarts.length ? `, ${appStarts[appStarts.length - 1].toFixed(0)} ms after the app's process started (native part ${nativeParts[nativeParts.length - 1].toFixed(0)} ms)` : "";
    console.log(`bench-window: start ${run + 1}: ${ms.toFixed(0)} ms to the sign-in form${own}, then ${rowMs.toFixed(0)} ms from the sign-in to the first journal row`);
    if (run === runs - 1) {
      const rows = await browser.execute(() => document.querySelectorAll("#journal-rows tr").length);
      const nodes = await browser.execute(() => document.getElementsByTagName("*").length);
      console.log(`bench-window: idle ${idleSeconds} s on the 3 000-row journal (${rows} rows, ${nodes} DOM elements rendered)…`);
      await new Promise((res) => setTimeout(res, idleSeconds * 1000));
      const procs = descendants(driverPid).filter((p) => !/tauri-driver|WebKitWebDriver|Xvfb/.test(p.name ?? ""));
      const per = procs.map((p) => ({ ...p, pss_kb: pssKb(p.pid), rss_kb: rssKb(p.pid) })).filter((p) => p.pss_kb > 0);
      const total = per.reduce((s, p) => s + p.pss_kb, 0);
      memory = { total_pss_mb: total / 1024, processes: per, rows_rendered: rows, dom_elements: nodes };
      for (const p of per) console.log(`  ${p.name.padEnd(24)} PSS ${(p.pss_kb / 1024).toFixed(1).padStart(7)} MB   RSS ${(p.rss_kb / 1024).toFixed(1).padStart(7)} MB`);
      const top = Number(process.env.BENCH_WINDOW_SMAPS ?? 0);
      for (const p of top > 0 ? per : []) {
        console.log(`  ${p.name}: the ${top} mappings holding the most PSS`);
        for (const [what, kb] of topMappings(p.pid, top)) console.log(`    ${(kb / 1024).toFixed(1).padStart(7)} MB  ${what}`);
      }
    }
    await browser.deleteSession().catch(() => {});
    // The display stays for the next start (stopAll would take the Xvfb down with it).
    await stopAll({ keepDisplay: true });
  }
} finally {
  await stopAll();
  tmp.remove();
}

starts.sort((a, b) => a - b);
appStarts.sort((a, b) => a - b);
nativeParts.sort((a, b) => a - b);
const appMedian = appStarts.length ? appStarts[Math.floor(appStarts.length / 2)] : null;
const nativeMedian = nativeParts.length ? nativeParts[Math.floor(nativeParts.length / 2)] : null;
signIns.sort((a, b) => a - b);
const median = starts[Math.floor(starts.length / 2)];
const signInMedian = signIns[Math.floor(signIns.length / 2)];
console.log();
console.log(`bench-window: cold start to the first interactive screen (sign-in form): median ${median.toFixed(0)} ms of ${starts.length} (target ≤ 1000 ms; includes the WebDriver session)`);
if (appMedian !== null) console.log(`bench-window: cold start from the app's process start to the sign-in form: median ${appMedian.toFixed(0)} ms (target ≤ 1000 ms; native part to the page's navigation ${nativeMedian.toFixed(0)} ms; ±10 ms, the process clock's tick)`);
console.log(`bench-window: sign-in to the first journal row: median ${signInMedian.toFixed(0)} ms (offline sign-in, Argon2id 64 MiB t=3, then the first page)`);
console.log(`bench-window: memory after ${idleSeconds} s idle, app + WebKit processes: ${memory.total_pss_mb.toFixed(1)} MB PSS (target ≤ 150 MB)`);
const out = path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, "target"), "bench");
mkdirSync(out, { recursive: true });
writeFileSync(
  path.join(out, "window.json"),
  JSON.stringify(
    { app, cold_start_ms: starts, cold_start_median_ms: median, app_cold_start_ms: appStarts, app_cold_start_median_ms: appMedian, native_part_median_ms: nativeMedian, sign_in_to_first_row_ms: signIns, sign_in_to_first_row_median_ms: signInMedian, idle_seconds: idleSeconds, memory },
    null,
    2,
  ),
);
process.exit(0);
