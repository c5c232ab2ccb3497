// End-to-end test of decisions and receipts in the real window (R-6, R-7, R-35; issues
// 6 and 7): a test CA and an NCA-shaped signing certificate for the demo clerk made with
// the openssl CLI, packed as `RSA_*.p12`; then, in the window, a wrong password refused
// inside the dialog with nothing changed, an acceptance signed with the key file (the
// row shows accepted + waiting to send), a rejection with a reason, and the receipt
// printed to a PDF whose text carries the application's number (pdftotext).
//
// File dialogs cannot be driven by WebDriver: the key file is typed into the dialog's
// path field (clerks paste paths too); "Print" writes into QABYLDAU_RECEIPTS_DIR and
// QABYLDAU_NO_EXTERNAL_VIEWER=1 keeps the system's viewer closed.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanProfile, clerkKeyFile, dialogPicks, recordSecrets, ensureDisplay, gostKeyFile, ensureOutputDir, makeTempDir, openWindow, signIn, startTauriDriver, stopAll, run, createDemoJournal, windowActions, journalActions } from "./harness.mjs";

const WAIT = { timeout: 15000, interval: 100 };
const PASSWORD = "Qwerty12";

/** @type {WebdriverIO.Browser} */
let browser;
const { screenshot, pageText: textOf, waitUntil } = windowActions(() => browser, WAIT);
const { rows, openRow, dialogOpen } = journalActions(() => browser, WAIT);
/** @type {(() => string) | undefined} */
let driverLog;

const SOFTHSM_MODULE = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"].find((m) => existsSync(m)) ?? "";
const TOKEN_LABEL = "clerk-token";
const PIN = "123456";

/**
 * A SoftHSM2 token in `dir` (SOFTHSM2_CONF) holding the same key and certificate, as a
 * Kaztoken holds a clerk's RSA key: initialised with softhsm2-util, written with pkcs11-tool.
 */
function clerkToken(dir) {
  const conf = path.join(dir, "softhsm2.conf");
  const tokens = path.join(dir, "softhsm-tokens");
  mkdirSync(tokens, { recursive: true });
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const f = (name) => path.join(dir, name);
  run("softhsm2-util", ["--init-token", "--free", "--label", TOKEN_LABEL, "--so-pin", "12345678", "--pin", PIN], { env });
  run("openssl", ["pkey", "-in", f("clerk.key"), "-outform", "DER", "-out", f("clerk.key.der")]);
  run("openssl", ["x509", "-in", f("clerk.pem"), "-outform", "DER", "-out", f("clerk.der")]);
  const p11 = ["--module", SOFTHSM_MODULE, "--token-label", TOKEN_LABEL, "--login", "--pin", PIN, "--id", "01", "--label", "RSA"];
  run("pkcs11-tool", [...p11, "--write-object", f("clerk.key.der"), "--type", "privkey"], { env });
  run("pkcs11-tool", [...p11, "--write-object", f("clerk.der"), "--type", "cert"], { env });
  return conf;
}

/** @type {ReturnType<typeof dialogPicks>} */
let picks;

/** Chooses the key file through the dialog's button (issue 15: no path typed) and fills
 *  the password; nothing else is touched. */
async function typeKey(p12, password) {
  picks.pick(p12);
  const browse = await browser.$("#dd-key-browse");
  await browse.waitForClickable(WAIT);
  await browse.click();
  await waitUntil("the key file's name shown", async () => (await browser.$("#dd-key-path").getValue()) === path.basename(p12));
  const secret = await browser.$("#dd-secret");
  await secret.setValue(password);
}

describe("decisions and receipts in the window", { timeout: 300000 }, () => {
  const tmp = makeTempDir();
  const db = path.join(tmp.dir, "journal.sqlite");
  const receipts = path.join(tmp.dir, "receipts");
  /** @type {{ iin: string, name: string }} */
  let clerk;
  let p12 = "";
  /** The clerk's GOST 34.10-2015 key file, NCA's default key (issue 10). */
  let gostP12 = "";

  before(async () => {
    picks = dialogPicks(tmp.dir);
    clerk = createDemoJournal(db, 120);
    p12 = clerkKeyFile(tmp.dir, clerk, PASSWORD);
    recordSecrets(PASSWORD, PIN, "wrong-password", clerk.iin);
    gostP12 = gostKeyFile(tmp.dir, clerk, PASSWORD);
    const softhsmConf = clerkToken(tmp.dir);
    const display = await ensureDisplay();
    const env = {
      ...process.env,
      DISPLAY: display,
      QABYLDAU_DB: db,
      QABYLDAU_RECEIPTS_DIR: receipts,
      QABYLDAU_NO_EXTERNAL_VIEWER: "1",
      // The desk checks a key's chain when it signs (issue 10): the test CA is trusted.
      QABYLDAU_TRUST_CA: [path.join(tmp.dir, "ca.pem"), path.join(tmp.dir, "gost-ca.cer")].join(path.delimiter),
      // The dialog lists the tokens of this module: our SoftHSM2 token and nothing else.
      QABYLDAU_PKCS11_MODULE: SOFTHSM_MODULE,
      SOFTHSM2_CONF: softhsmConf,
      ...cleanProfile(tmp.dir),
      ...picks.env,
    };
    const driver = await startTauriDriver(env);
    driverLog = driver.log;
    browser = await openWindow(driver.port);
    await signIn(browser, clerk);
    await waitUntil("the journal shown", async () => (await browser.execute(() => document.body.dataset.ready === "true")) && (await rows()).length > 0);
  });

  after(async () => {
    try {
      if (browser) await screenshot("decisions-last.png");
      if (browser) await browser.deleteSession();
    } catch {
      /* the window may be gone already */
    } finally {
      if (driverLog) writeFileSync(path.join(ensureOutputDir(), "tauri-driver-decisions.log"), driverLog());
      await stopAll();
      tmp.remove();
    }
  });

  /** @type {{ id: string, number: string }} */
  let accepted;

  it("refuses a wrong password inside the dialog and changes nothing", async () => {
    const row = (await rows()).find((r) => r.status === "new" && !r.provisional);
    assert.ok(row, "a new application in the journal");
    accepted = row;
    await openRow(row.id);
    await (await browser.$("#decide-accept")).click();
    await waitUntil("the acceptance dialog", dialogOpen);
    assert.match(await textOf("#decision-dialog"), new RegExp(row.number));
    await waitUntil("the token listed", async () => browser.$(".dd-tokens").isExisting());
    const token = await textOf(".dd-tokens");
    assert.ok(token?.includes(TOKEN_LABEL) && token.includes(clerk.iin) && /Қол қою кілті/.test(token), `the token with the clerk's signing certificate: ${token}`);
    assert.equal(await browser.$(`input[name="dd-key"][value="token:${TOKEN_LABEL}"]`).isSelected(), true, "a token with a signing key is offered first");
    await typeKey(p12, "wrong-password");
    await (await browser.$("#dd-confirm")).click();
    await waitUntil("the wrong password shown in the dialog", async () => (await textOf("#dd-secret-error")) !== "");
    assert.equal(await browser.$("#dd-secret-error").getAttribute("data-code"), "PASSWORD_INCORRECT");
    assert.match(await textOf("#dd-secret-error"), /құпиясөз/i, "in Kazakh, the interface's language");
    assert.equal(await browser.$("#dd-key-path").getValue(), path.basename(p12), "the key file stays chosen");
    assert.equal(await browser.$("#dd-secret").getValue(), "", "the password field is cleared after a wrong password");
    await screenshot("decision-wrong-password.png");

    // Esc cancels: the application is as it was.
    await browser.keys("Escape");
    await waitUntil("the dialog closed", async () => !(await dialogOpen()));
    assert.ok(await browser.$("#detail-title").isExisting(), "Esc closed the dialog, not the application");
    const same = (await rows()).find((r) => r.id === row.id);
    assert.equal(same?.status, "new");
    assert.equal(same?.waiting, false);
  });

  it("accepts with the key file: the row shows accepted and waiting to send", async () => {
    await (await browser.$("#decide-accept")).click();
    await waitUntil("the acceptance dialog", dialogOpen);
    // The key file is remembered for the session only after a signature; type it again.
    await typeKey(p12, PASSWORD);
    await screenshot("decision-accept-dialog.png");
    await browser.keys("Enter");
    await waitUntil("the dialog closed after signing", async () => !(await dialogOpen()));
    await waitUntil("the row accepted and waiting", async () => {
      const r = (await rows()).find((x) => x.id === accepted.id);
      return r?.status === "accepted" && r.waiting;
    });
    assert.match(await textOf("#detail .detail-sub"), /Қабылданды/);
    assert.match(await textOf("#decision-note"), /қол қойылды/);
    assert.equal(await browser.$("#decide-accept").isEnabled(), false, "no second decision");
    await screenshot("decision-accepted.png");
  });

  it("prints the receipt to a PDF that carries the number", async () => {
    const print = await browser.$("#detail-print");
    assert.equal(await print.isEnabled(), true);
    assert.match(await print.getAttribute("title"), /Alt\+P/);
    await print.click();
    await waitUntil("the receipt written", async () => /\.pdf/.test((await textOf("#decision-note")) ?? ""));
    const files = readdirSync(receipts).filter((f) => f.endsWith(".pdf"));
    assert.equal(files.length, 1, `one receipt in ${receipts}: ${files}`);
    const file = files[0] ?? "";
    assert.match(file, /acceptance-kk\.pdf$/, "the interface's language by default");
    const text = run("pdftotext", [path.join(receipts, file), "-"]);
    assert.ok(text.includes(accepted.number), `the number ${accepted.number} in the PDF:\n${text}`);

    // Russian from the print menu, for this application only.
    await (await browser.$("#detail-lang")).selectByAttribute("value", "ru");
    await browser.keys(["Alt", "p"]);
    await waitUntil("the Russian receipt", () => readdirSync(receipts).some((f) => f.endsWith("acceptance-ru.pdf")));
  });

  it("rejects another application with a reason from the catalogue", async () => {
    const row = (await rows()).find((r) => (r.status === "new" || r.status === "under_review") && !r.provisional && r.id !== accepted.id);
    assert.ok(row, "another application to reject");
    await openRow(row.id);
    await browser.keys(["Alt", "b"]);
    await waitUntil("the rejection dialog", dialogOpen);
    assert.equal(await browser.$("#dd-confirm").getText(), "Бас тартуды растау");
    // The key file chosen for the acceptance is remembered (the password is not).
    assert.equal(await browser.$("#dd-key-path").getValue(), path.basename(p12));
    assert.equal(await browser.$("#dd-secret").getValue(), "");
    await (await browser.$("#dd-reason-code")).selectByAttribute("value", "other");
    // This one is signed on the token (PKCS#11), with its PIN.
    await waitUntil("the token listed", async () => browser.$(".dd-tokens").isExisting());
    await (await browser.$(`input[name="dd-key"][value="token:${TOKEN_LABEL}"]`).parentElement()).click();
    assert.match(await textOf("#dd-secret-label"), /PIN/);
    await (await browser.$("#dd-secret")).setValue(PIN);
    await (await browser.$("#dd-confirm")).click();
    await waitUntil("the missing text shown next to the reason", async () => (await textOf("#dd-reason-error")) !== "");
    assert.equal(await browser.$("#dd-secret").getValue(), PIN, "nothing typed is lost");
    assert.equal(await browser.$("#dd-reason-code").getValue(), "other");
    await (await browser.$("#dd-reason-text")).setValue("Құжаттар толық емес");
    await screenshot("decision-reject-dialog.png");
    await (await browser.$("#dd-confirm")).click();
    await waitUntil("the dialog closed after signing", async () => !(await dialogOpen()));
    await waitUntil("the row rejected and waiting", async () => {
      const r = (await rows()).find((x) => x.id === row.id);
      return r?.status === "rejected" && r.waiting;
    });
    assert.match(await textOf("#tab-panel"), /Құжаттар толық емес/);
  });

  it("reprints from the documents tab and offers the signature for saving", async () => {
    await (await browser.$("#tab-documents")).click();
    await waitUntil("the documents tab", async () => browser.$("#documents-print").isExisting());
    const signature = await browser.execute(() => {
      const rowsOf = [...document.querySelectorAll("tr[data-document]")];
      const sig = rowsOf.find((r) => r.textContent?.includes(".p7s"));
      const b = sig?.querySelector("button");
      return b ? { disabled: b.hasAttribute("disabled") } : null;
    });
    assert.deepEqual(signature, { disabled: false }, "the decision's .p7s can be saved");
    await screenshot("decision-documents.png");
    await (await browser.$("#documents-print")).click();
    await waitUntil("the rejection notice written", () => readdirSync(receipts).some((f) => /rejection-kk\.pdf$/.test(f)));
  });

  it("accepts with a GOST 2015 key file: the history names the algorithm (issue 10)", async () => {
    const row = (await rows()).find((r) => r.status === "new" && !r.provisional && r.id !== accepted.id);
    assert.ok(row, "another new application");
    await openRow(row.id);
    await (await browser.$("#decide-accept")).click();
    await waitUntil("the acceptance dialog", dialogOpen);
    // Typing a key file's path chooses the key file (the token stays listed).
    await typeKey(gostP12, PASSWORD);
    await (await browser.$("#dd-confirm")).click();
    await waitUntil("the dialog closed after signing", async () => !(await dialogOpen()));
    await waitUntil("the row accepted and waiting", async () => {
      const r = (await rows()).find((x) => x.id === row.id);
      return r?.status === "accepted" && r.waiting;
    });
    await (await browser.$("#tab-history")).click();
    await waitUntil("the signature in the history", async () => browser.$("#history-table .history-signature").isExisting());
    assert.match((await textOf("#history-table")) ?? "", /GOST 34\.10-2015 512/);
    await screenshot("decision-gost-history.png");
  });
});
