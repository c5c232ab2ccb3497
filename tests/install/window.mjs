// The installed package's window (issue 13, scripts/install-check): /usr/bin/qabyldau-app
// started with --demo under Xvfb through tauri-driver, in a clean profile. The demo
// journal's clerk signs in (the journal opens only then); passes when the journal's
// first row is rendered; saves a screenshot. Bounded waits only.
import assert from "node:assert/strict";
import path from "node:path";
import { cleanProfile, ensureDisplay, ensureOutputDir, makeTempDir, openWindow, signIn, startTauriDriver, stopAll, waitFor } from "../e2e/harness.mjs";

const tmp = makeTempDir();
let browser = null;
let failed = false;
try {
  const display = await ensureDisplay();
  const env = {
    ...process.env,
    ...cleanProfile(tmp.dir),
    DISPLAY: display,
    QABYLDAU_DB: path.join(tmp.dir, "journal.sqlite"),
    QABYLDAU_NO_EXTERNAL_VIEWER: "1",
  };
  delete env.QABYLDAU_PORTAL;
  const driver = await startTauriDriver(env);
  browser = await openWindow(driver.port);
  await waitFor(
    "the sign-in form with the demo journal's clerk",
    async () => browser.execute(() => document.body.dataset.ready === "true" && /** @type {HTMLInputElement | null} */ (document.getElementById("signin-iin"))?.value !== ""),
    60000,
    200,
  );
  const iin = await browser.execute(() => /** @type {HTMLInputElement} */ (document.getElementById("signin-iin")).value);
  await signIn(browser, { iin, password: "install-check-password" });
  await waitFor(
    "the installed window's journal to show its first row",
    async () =>
      browser.execute(() => document.body.dataset.ready === "true" && document.querySelectorAll("#journal-rows tr[data-id]").length > 0),
    60000,
    200,
  );
  const title = await browser.getTitle();
  assert.match(title, /Qabyldau/);
  // The frame on screen is the one with the rows (two animation frames later).
  await browser.executeAsync((/** @type {() => void} */ done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  const shot = path.join(ensureOutputDir(), "installed-window.png");
  await browser.saveScreenshot(shot);
  console.log(`install-check: the installed window opened (${title}); screenshot ${shot}`);
} catch (e) {
  failed = true;
  console.error(`install-check: ${e instanceof Error ? e.stack : e}`);
} finally {
  if (browser) await browser.deleteSession().catch(() => {});
  await stopAll();
  tmp.remove();
}
process.exit(failed ? 1 : 0);
