// End-to-end test of the wizard's documents, consents and draft (issue 11,
// ) in the real window: a photo over 1 MB made to fit by desk and shown for the
// clerk's readability check before it is attached; a `.pdf` that is really an `.exe`
// refused with its message (kk and ru); a PDF over 1 MB refused with its size; the three
// consents and the notification channel required before the key is opened; the draft
// and its picked documents surviving a kill of the app process (they are in the
// encrypted journal, not the webview).
// Against a running portal-sim: the clerk signs in online (the e-mail code read from
// /admin/codes), the journal comes from the portal, the walk-in is one of its register.
// Screenshots of each step in kk and ru go to test-output/e2e/wizard-docs-*.png.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { deflateSync, crc32 } from "node:zlib";
import {
  APP_BIN,
  cleanProfile,
  dialogPicks,
  ensureDisplay,
  ensureOutputDir,
  fetchJson as json,
  gostKeyFile,
  journalActions,
  makeTempDir,
  openWindow,
  portalSim,
  portalToken,
  recordSecrets,
  signInOnline as signInAt,
  startTauriDriver,
  stopAll,
  waitFor,
  windowActions,
  wizardActions,
} from "./harness.mjs";

const WAIT = { timeout: 20000, interval: 100 };
const P12_PASSWORD = "Qwerty12";
const PHONE = "8 701 234 56 78";

/** @type {WebdriverIO.Browser} */
let browser;
const { screenshot, textOf, waitText, valueOf, type, click } = windowActions(() => browser, WAIT);
const { ready: waitReady } = journalActions(() => browser, WAIT);
/** @type {{ port: number, log: () => string }} */
let driver;

const tmp = makeTempDir();
const db = path.join(tmp.dir, "journal.sqlite");
const picks = dialogPicks(tmp.dir);
const { waitStep, openWizard, file, pickFile } = wizardActions(() => browser, WAIT, { dir: tmp.dir, picks });
/** @type {string} */
let p12;
/** @type {any} */
let demo;
/** @type {any} */
let child;

const portal = portalSim();
/** @type {string} */
let url;
/** @type {any} */
let clerk;
/** @type {string} */
let district;

/** The online sign-in; the first one confirms the clerk's e-mail. */
function signInOnline() {
  return signInAt(browser, { url, clerk, district, email: "clerk.docs@mektep.kz" });
}

/** A real PNG of noise (noise does not compress): over 1 MB at this size. */
function noisePng(name, width, height) {
  const chunk = (/** @type {string} */ type, /** @type {Buffer} */ data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let seed = 0x2545f491;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // no filter
    for (let i = 1; i <= width * 3; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      // A page-like picture: light background with noise, dark "lines of text".
      raw[row + i] = y % 40 < 6 ? 30 + (seed & 0x1f) : 200 + (seed & 0x37);
    }
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 1 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  const p = path.join(tmp.dir, name);
  writeFileSync(p, png);
  return { path: p, size: png.length };
}

/** A small, well-formed one-page PDF. */
function realPdf(name) {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const p = path.join(tmp.dir, name);
  writeFileSync(p, body, "latin1");
  return p;
}

/** Scrolls `selector` into the middle of the view (what the screenshot is about). */
async function show(selector) {
  await browser.execute(/** @type {any} */ ((/** @type {string} */ sel) => document.querySelector(sel)?.scrollIntoView({ block: "center" })), selector);
}

function checked(id) {
  return browser.execute(/** @type {any} */ ((/** @type {string} */ i) => /** @type {HTMLInputElement | null} */ (document.getElementById(i))?.checked ?? null), id);
}

async function inLanguage(code, check) {
  await click(`#lang-${code}`);
  await check();
}

/** The app processes of this suite: this build, started on this suite's journal. */
function appPids() {
  const out = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/exe`) !== path.resolve(APP_BIN)) continue;
      if (readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(`QABYLDAU_DB=${db}`)) out.push(Number(entry));
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return out;
}

describe("the wizard's documents, consents and draft", { timeout: 400000 }, () => {
  before(async () => {
    url = await portal.start(["--seed", "2", "--applications", "150"]);
    clerk = (await json(`${url}/admin/demo-staff`))[0];
    const token = await portalToken(url, clerk);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const schools = await json(`${url}/api/v1/schools`, auth);
    district = schools.items.find((/** @type {any} */ s) => s.id === clerk.school_id).district_id;
    // A walk-in of the portal's register whose address has a micro-district.
    const walkIn = (await json(`${url}/admin/walk-ins`)).find((/** @type {any} */ w) => w.address_has_micro_district);
    assert.ok(walkIn, "a walk-in child whose address has a micro-district");
    const kid = await json(`${url}/api/v1/register/persons/${walkIn.child_iin}`, auth);
    const parent = await json(`${url}/api/v1/register/persons/${walkIn.parent_iin}`, auth);
    child = {
      iin: kid.iin,
      name: kid.name,
      birth_certificate: kid.birth_certificate,
      address_kk: kid.registered_address.full_kk,
      micro_district_id: kid.registered_address.micro_district_id,
      parent_iin: parent.iin,
      parent_name: parent.name,
    };
    demo = { clerk_iin: clerk.iin, clerk_name: clerk.name };
    p12 = gostKeyFile(tmp.dir, { iin: demo.clerk_iin, name: demo.clerk_name }, P12_PASSWORD);
    recordSecrets(P12_PASSWORD, clerk.password, demo.clerk_iin, child.iin, child.parent_iin, PHONE, "87012345678");
    const display = await ensureDisplay();
    /** @type {NodeJS.ProcessEnv} */
    const env = {
      ...process.env,
      DISPLAY: display,
      QABYLDAU_DB: db,
      QABYLDAU_TRUST_CA: path.join(tmp.dir, "gost-ca.cer"),
      ...cleanProfile(tmp.dir),
      ...picks.env,
      QABYLDAU_NO_EXTERNAL_VIEWER: "1",
      QABYLDAU_PORTAL: url,
    };
    delete env.QABYLDAU_DEMO_IIN;
    delete env.QABYLDAU_DEMO_PASSWORD;
    driver = await startTauriDriver(env);
    browser = await openWindow(driver.port);
    await signInOnline();
    await waitReady();
  });

  after(async () => {
    try {
      if (browser) await screenshot("wizard-docs-last.png");
      if (browser) await browser.deleteSession();
    } catch {
      /* the window may be gone already */
    } finally {
      if (driver) writeFileSync(path.join(ensureOutputDir(), "tauri-driver-wizard-documents.log"), driver.log());
      writeFileSync(path.join(ensureOutputDir(), "portal-sim-wizard-documents.log"), portal.log());
      await portal.stop();
      await stopAll();
      tmp.remove();
    }
  });

  it("step 1: the walk-in typed in, in Kazakh and in Russian", async () => {
    await openWizard();
    await waitStep(1);
    await type("#wz-applicant-iin", child.parent_iin);
    await type("#wz-applicant-surname", child.parent_name.surname);
    await type("#wz-applicant-given", child.parent_name.given);
    await type("#wz-child-person-iin", child.iin);
    await type("#wz-child-person-surname", child.name.surname);
    await type("#wz-child-person-given", child.name.given);
    await type("#wz-child-birth_certificate", child.birth_certificate);
    await type("#wz-child-registered_address", child.address_kk);
    await type("#wz-phone", PHONE);
    // A typed address has no micro-district yet: bound here.
    await click("#wizard-edit");
    await click("#wizard-modal-ok");
    const select = await browser.$("#wz-md-choice");
    await select.waitForDisplayed(WAIT);
    await select.selectByAttribute("value", child.micro_district_id);
    await click("#wizard-md-save");
    await click("#wizard-bind");
    await click("#wizard-modal-ok");
    await waitText("#wizard-md", "the bound micro-district");
    await screenshot("wizard-docs-step1-kk.png");
    await inLanguage("ru", async () => {
      assert.equal(await waitText("#wizard-next", "the Russian wizard"), "Далее");
      await screenshot("wizard-docs-step1-ru.png");
    });
    await click("#lang-kk");
    await click("#wizard-next");
    await waitStep(2);
  });

  it("step 2: a photo over 1 MB is made to fit, shown for the readability check, then attached", async () => {
    const big = noisePng("photo-scan.png", 1400, 1100);
    assert.ok(big.size > 1_048_576, `the photo is over 1 MB (${big.size})`);
    await pickFile("#wz-doc-photo-pick", big.path);
    const check = await waitText("#wz-doc-photo-check", "the readability check");
    assert.match(check, /1 МБ-қа сыятындай/);
    assert.match(check, /MB болатын/);
    await browser.waitUntil(
      () => browser.execute(() => (document.getElementById("wz-doc-photo-preview") instanceof HTMLImageElement ? /** @type {HTMLImageElement} */ (document.getElementById("wz-doc-photo-preview")).naturalWidth : 0) > 0),
      { ...WAIT, timeoutMsg: "the made-to-fit photo shown (a data: URL under the CSP)" },
    );
    assert.equal(await valueOf("#wz-doc-photo"), "photo-scan.jpg", "re-encoded as JPEG");
    await show("#wz-doc-photo-check");
    await screenshot("wizard-docs-step2-check-kk.png");
    await inLanguage("ru", async () => {
      assert.match(await waitText("#wz-doc-photo-check", "the check in Russian"), /уложиться в 1 МБ/);
      assert.equal(await textOf("#wz-doc-photo-readable"), "Читается");
      await show("#wz-doc-photo-check");
      await screenshot("wizard-docs-step2-check-ru.png");
    });
    await click("#lang-kk");

    // Not attached until looked at: desk refuses «Алға қарай» next to the photo.
    await click("#wizard-next");
    const unchecked = await waitText("#wz-doc-photo-error", "the photo not yet checked");
    assert.match(unchecked, /Оқылады/);
    await click("#wz-doc-photo-readable");
    const info = await waitText("#wz-doc-photo-info", "the photo attached");
    assert.match(info, /photo-scan\.jpg/);
    assert.match(info, /оқылатыны тексерілді/);
    const size = Number(/([\d.]+) (KB|MB)/.exec(info)?.[1] ?? "0") * (/MB/.test(info) ? 1024 : 1);
    assert.ok(size > 0 && size <= 1024, `at most 1 MB attached (${info})`);
  });

  it("step 2: a .pdf that is really an .exe is refused with its message, in Kazakh and Russian", async () => {
    await pickFile("#wz-doc-medical_certificate-pick", file("medical-certificate.pdf", 300_000, "MZ\x90\x00\x03\x00\x00\x00"));
    const kk = await waitText("#wz-doc-medical_certificate-error", "the fake PDF refused");
    assert.match(kk, /JPEG, PNG немесе PDF емес/);
    await inLanguage("ru", async () => {
      // Desk gave the message in both languages; picked in Russian, the row says it so.
      await pickFile("#wz-doc-medical_certificate-pick", path.join(tmp.dir, "medical-certificate.pdf"));
      await browser.waitUntil(async () => /не JPEG, PNG или PDF/.test((await textOf("#wz-doc-medical_certificate-error")) ?? ""), {
        ...WAIT,
        timeoutMsg: "the refusal in Russian",
      });
      await show("#wz-doc-medical_certificate-error");
      await screenshot("wizard-docs-step2-exe-ru.png");
    });
    await click("#lang-kk");
    await show("#wz-doc-medical_certificate-error");
    await screenshot("wizard-docs-step2-exe-kk.png");
  });

  it("step 2: a PDF over 1 MB is refused with its size; a real PDF is attached with its preview", async () => {
    await pickFile("#wz-doc-medical_certificate-pick", file("medical-big.pdf", 1_572_864, "%PDF-1.7\n"));
    // The row still shows the fake PDF's refusal until the pick's answer arrives.
    let big = "";
    await browser.waitUntil(async () => /1 МБ/.test((big = (await textOf("#wz-doc-medical_certificate-error")) ?? "")), {
      ...WAIT,
      timeoutMsg: "the big PDF refused with its size",
    });
    assert.match(big, /1 МБ/);
    assert.match(big, /1\.5 MB/);
    await pickFile("#wz-doc-medical_certificate-pick", realPdf("medical.pdf"));
    await waitText("#wz-doc-medical_certificate-info", "the PDF attached");
    const card = await waitText("#wz-doc-medical_certificate-preview", "the PDF's preview card");
    assert.match(card, /PDF құжаты · 1 бет/);
    await show("#wz-doc-medical_certificate-preview");
    await screenshot("wizard-docs-step2-kk.png");
    await inLanguage("ru", async () => {
      assert.match(await waitText("#wz-doc-medical_certificate-preview", "the card in Russian"), /Документ PDF · 1 страница/);
      await show("#wz-doc-medical_certificate-preview");
      await screenshot("wizard-docs-step2-ru.png");
    });
    await click("#lang-kk");
    await browser.waitUntil(() => browser.execute(() => (document.getElementById("wz-school_id")?.querySelectorAll("option").length ?? 0) > 1), {
      ...WAIT,
      timeoutMsg: "schools listed",
    });
    const school = await browser.execute(() => /** @type {HTMLSelectElement} */ (document.getElementById("wz-school_id")).options[1].value);
    await (await browser.$("#wz-school_id")).selectByAttribute("value", school);
    await click("#wizard-next");
    await waitStep(3);
  });

  it("step 3: the consents and the notification channel are required before the key is opened", async () => {
    await pickFile("#wz-key-pick", p12);
    await browser.waitUntil(async () => (await valueOf("#wz-key-path")) === path.basename(p12), { ...WAIT, timeoutMsg: "the key file's name shown" });
    await type("#wz-pin", P12_PASSWORD);
    await click("#wizard-submit");
    const consents = await waitText("#wz-consents-error", "the consents' error next to them");
    assert.match(consents, /келісім/i);
    assert.equal(await valueOf("#wz-pin"), P12_PASSWORD, "the key was not opened: the password stays typed");
    await show("#wz-consents-error");
    await screenshot("wizard-docs-step3-consents-kk.png");
    await inLanguage("ru", async () => {
      await click("#wizard-submit");
      assert.match(await waitText("#wz-consents-error", "the consents' error in Russian"), /соглас/i);
      await show("#wz-consents-error");
      await screenshot("wizard-docs-step3-consents-ru.png");
    });
    await click("#lang-kk");

    await click("#wz-consent_admission_rules");
    await click("#wz-consent_portal_terms");
    await click("#wz-consent_personal_data");
    // E-mail notifications without an e-mail: said next to the channel.
    await (await browser.$("#wz-notification_channel")).selectByAttribute("value", "email");
    await click("#wizard-submit");
    const channel = await waitText("#wz-notification_channel-error", "the channel's error");
    assert.match(channel, /e-mail/);
    await (await browser.$("#wz-notification_channel")).selectByAttribute("value", "sms");
    await show("#wz-notification_channel");
    await screenshot("wizard-docs-step3-kk.png");
    await inLanguage("ru", async () => {
      assert.equal(await waitText("#wizard-submit", "the Russian submit"), "Подписать и отправить");
      await show("#wz-notification_channel");
      await screenshot("wizard-docs-step3-ru.png");
    });
    await click("#lang-kk");
  });

  it("keeps the draft through a kill of the app process (the encrypted journal, not the webview)", async () => {
    // Out and back in: opening waits for every queued save of the draft to land.
    await browser.keys("Escape");
    await openWizard();
    await waitStep(3);
    const pids = appPids();
    assert.equal(pids.length, 1, `one app process of this suite (${pids.join(", ")})`);
    process.kill(pids[0], "SIGKILL");
    await waitFor("the app gone", () => appPids().length === 0, 15000);
    try {
      await browser.deleteSession();
    } catch {
      /* the window died with the process */
    }
    browser = await openWindow(driver.port);
    await signInOnline();
    await waitReady();
    await openWizard();
    await waitStep(3);
    assert.equal(await checked("wz-consent_personal_data"), true, "the consents kept");
    assert.equal(await valueOf("#wz-notification_channel"), "sms");
    assert.equal(await valueOf("#wz-pin"), "", "never the password");
    await screenshot("wizard-docs-after-kill-step3.png");
    await click("#wizard-back");
    await waitStep(2);
    // The files picked in the killed session were kept with the draft in the encrypted
    // journal (issue 11): still attached, the photo still checked as readable.
    const photo = await waitText("#wz-doc-photo-info", "the photo still attached");
    assert.match(photo, /photo-scan\.jpg/);
    assert.match(photo, /оқылатыны тексерілді/);
    assert.match(await waitText("#wz-doc-medical_certificate-info", "the certificate still attached"), /medical\.pdf/);
    assert.equal(await browser.$("#wz-doc-photo-error").isExisting(), false, "nothing to pick again");
    await show("#wz-doc-photo-info");
    await screenshot("wizard-docs-after-kill-step2.png");
    await click("#wizard-back");
    await waitStep(1);
    assert.equal(await valueOf("#wz-applicant-iin"), child.parent_iin);
    assert.equal(await valueOf("#wz-child-person-surname"), child.name.surname);
    assert.equal(await valueOf("#wz-phone"), PHONE);
    assert.ok(await textOf("#wizard-md"), "the binding kept");
    await screenshot("wizard-docs-after-kill-step1.png");
  });
});
