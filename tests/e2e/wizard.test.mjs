// End-to-end test of the on-behalf wizard (R-8…) in the real
// window: a walk-in child from the demo register (`qabyldau demo --walk-ins --json`),
// step 1 with a wrong phone first (the message next to it, nothing typed lost), the
// address bound to a micro-district (R-15…R-17), a reload mid-way (the draft survives),
// step 2 with files made here (one over 1 MB refused with its size), step 3 signed with
// a .p12 made here by the openssl CLI for the demo clerk's IIN → the provisional number
// and the row in the journal.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  cleanProfile,
  CLI_BIN,
  dialogPicks,
  recordSecrets,
  gostKeyFile,
  ensureDisplay,
  ensureOutputDir,
  journalActions,
  makeTempDir,
  openWindow,
  run,
  signIn,
  startTauriDriver,
  stopAll,
  windowActions,
  wizardActions,
} from "./harness.mjs";

const WAIT = { timeout: 15000, interval: 100 };
const P12_PASSWORD = "Qwerty12";

/** @type {WebdriverIO.Browser} */
let browser;
const { screenshot, textOf, waitText, valueOf, type, click } = windowActions(() => browser, WAIT);
/** @type {(() => string) | undefined} */
let driverLog;

const tmp = makeTempDir();
const db = path.join(tmp.dir, "journal.sqlite");
/** @type {string} */
let p12;
/** @type {any} */
let demo;
/** @type {any} */
let child;

/** The demo journal and its walk-in children (none of them has an application yet). */
function makeJournal() {
  demo = JSON.parse(run(CLI_BIN, ["demo", "--db", db, "--applications", "200", "--walk-ins", "8", "--json"]));
  // a child whose registered address is in no micro-district.
  child = demo.walk_ins.find((/** @type {any} */ w) => w.micro_district_id === null);
  assert.ok(child, "the demo register has a walk-in child at an unbound address");
}

/** When the suite began: every draft it saves is saved after this. */
const suiteStart = Date.now();

/**
 * Issue 17: the draft's «saved at» line is desk's office time (UTC+5), whatever zone the
 * PC is set to (the window runs with TZ=America/New_York here): the instant its digits
 * name at +05:00 lies between the suite's start and now.
 */
async function assertSavedInOfficeTime() {
  const saved = await waitText("#wizard-saved", "the draft's saved-at line");
  const m = /(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2})/.exec(saved);
  assert.ok(m, saved);
  const [, d, mo, y, hh, mm] = m.map(Number);
  const at = Date.UTC(y, mo - 1, d, hh - 5, mm);
  assert.ok(at >= Math.floor(suiteStart / 60000) * 60000 && at <= Date.now(), `${saved}: not the office's time of a save in this suite`);
}

function placeholderOf(selector) {
  return browser.execute(/** @type {any} */ ((/** @type {string} */ sel) => /** @type {HTMLInputElement | null} */ (document.querySelector(sel))?.placeholder ?? null), selector);
}

const picks = dialogPicks(tmp.dir);
const { currentStep, waitStep, openWizard: openWizardByKeyboard, file, pickFile } = wizardActions(() => browser, WAIT, { dir: tmp.dir, picks });
const { ready: waitReady } = journalActions(() => browser, WAIT);

describe("the on-behalf wizard", { timeout: 300000 }, () => {
  before(async () => {
    makeJournal();
    // The walk-in is signed with a GOST 34.10-2015 key file, NCA's default key (issue 10);
    // the decisions suite signs with RSA.
    p12 = gostKeyFile(tmp.dir, { iin: demo.clerk_iin, name: demo.clerk_name }, P12_PASSWORD);
    recordSecrets(P12_PASSWORD, "wrong-password", demo.clerk_iin, child.iin, child.parent_iin, "8 701 234 56 78", "87012345678");
    const display = await ensureDisplay();
    /** @type {NodeJS.ProcessEnv} */
    const env = {
      ...process.env,
      DISPLAY: display,
      QABYLDAU_DB: db,
      QABYLDAU_TRUST_CA: path.join(tmp.dir, "gost-ca.cer"),
      ...cleanProfile(tmp.dir),
      ...picks.env,
      QABYLDAU_RECEIPTS_DIR: path.join(tmp.dir, "receipts"),
      QABYLDAU_NO_EXTERNAL_VIEWER: "1",
      // A PC set to another zone than the office's (issue 17): times still show UTC+5.
      TZ: "America/New_York",
    };
    delete env.QABYLDAU_PORTAL;
    const driver = await startTauriDriver(env);
    driverLog = driver.log;
    browser = await openWindow(driver.port);
    await signIn(browser, { iin: demo.clerk_iin });
    await waitReady();
  });

  after(async () => {
    try {
      if (browser) await screenshot("wizard-last.png");
      if (browser) await browser.deleteSession();
    } catch {
      /* the window may be gone already */
    } finally {
      if (driverLog) writeFileSync(path.join(ensureOutputDir(), "tauri-driver-wizard.log"), driverLog());
      await stopAll();
      tmp.remove();
    }
  });

  it("opens from the journal header and by Alt+N, as its own view with three steps", async () => {
    const button = await textOf("#wizard-open");
    assert.equal(button, "Өтініш берушінің атынан беру");
    // A date is typed dd.mm.yyyy whatever the PC's locale; the field says how (issue 17).
    assert.equal(await placeholderOf("#filter-from"), "кк.аа.жжжж");
    await openWizardByKeyboard();
    assert.equal(await currentStep(), "1");
    const steps = await browser.execute(() => [...document.querySelectorAll(".wizard-steps li")].map((li) => li.textContent));
    assert.deepEqual(steps.map((s) => s?.replace(/^\d/, "")), ["Өтініш беруші және бала", "Мектеп және құжаттар", "Қол қою және жіберу"]);
    assert.equal(await textOf("#wizard-next"), "Алға қарай");
    assert.equal(await browser.execute(() => document.getElementById("journal")?.offsetParent === null), true, "the journal is out of the way");
  });

  it("step 1: a wrong phone is reported next to it and nothing typed is lost", async () => {
    await type("#wz-applicant-iin", child.parent_iin);
    await type("#wz-applicant-surname", child.parent_name.surname);
    await type("#wz-applicant-given", child.parent_name.given);
    if (child.parent_name.patronymic) await type("#wz-applicant-patronymic", child.parent_name.patronymic);
    await type("#wz-child-person-iin", child.iin);
    await click("#wizard-check-iin");
    // Not in this journal (a walk-in): the IIN's facts, and the clerk types the rest.
    const facts = await waitText("#wizard-lookup", "the IIN check result");
    assert.match(facts, /журналда бұл бала жоқ/);
    await type("#wz-child-person-surname", child.name.surname);
    await type("#wz-child-person-given", child.name.given);
    if (child.name.patronymic) await type("#wz-child-person-patronymic", child.name.patronymic);
    await type("#wz-child-birth_certificate", child.birth_certificate);
    await type("#wz-child-registered_address", child.address_kk);
    await type("#wz-phone", "+7 727 123 45 67"); // a landline: not a mobile number
    await click("#wizard-next");
    const error = await waitText("#wz-phone-error", "the phone's error next to it");
    assert.match(error, /телефон/i);
    assert.equal(await browser.execute(() => document.getElementById("wz-phone")?.getAttribute("aria-invalid")), "true");
    // The address has no micro-district either: said next to the address.
    assert.ok(await textOf("#wz-child-micro_district_id-error"), "the micro-district error next to the address");
    assert.equal(await currentStep(), "1");
    assert.equal(await valueOf("#wz-applicant-iin"), child.parent_iin, "nothing typed is cleared by an error");
    assert.equal(await valueOf("#wz-phone"), "+7 727 123 45 67");
    await screenshot("wizard-step1-errors.png");
  });

  it("step 1: the address is bound to a micro-district (Редакциялау → Сақтау → Біріктіру)", async () => {
    await click("#wizard-edit");
    assert.match(await waitText("#wizard-modal", "the responsibility message"), /жауапкершілі/);
    await click("#wizard-modal-ok");
    const select = await browser.$("#wz-md-choice");
    await select.waitForDisplayed(WAIT);
    const option = await browser.execute(() => {
      const s = document.getElementById("wz-md-choice");
      return s instanceof HTMLSelectElement ? s.options[1]?.value ?? null : null;
    });
    assert.ok(option, "micro-districts to choose from");
    await select.selectByAttribute("value", option);
    await click("#wizard-md-save");
    await click("#wizard-bind");
    assert.match(await waitText("#wizard-modal", "the binding confirmation"), /микротелім/);
    assert.equal(await textOf("#wizard-modal-ok"), "Біріктіру");
    await click("#wizard-modal-ok");
    const bound = await waitText("#wizard-md", "the bound micro-district");
    assert.match(bound, /біріктірілді/);
    await assertSavedInOfficeTime();
  });

  it("keeps the draft through a reload of the window", async () => {
    await browser.refresh();
    await waitReady();
    await openWizardByKeyboard();
    await waitStep(1);
    assert.equal(await valueOf("#wz-applicant-iin"), child.parent_iin);
    assert.equal(await valueOf("#wz-child-person-iin"), child.iin);
    assert.equal(await valueOf("#wz-child-person-surname"), child.name.surname);
    assert.equal(await valueOf("#wz-phone"), "+7 727 123 45 67");
    assert.ok(await textOf("#wizard-md"), "the binding is part of the draft");
    await assertSavedInOfficeTime();
  });

  it("speaks Russian when switched, with what was typed kept", async () => {
    await click("#lang-ru");
    assert.equal(await waitText("#wizard-next", "the Russian wizard"), "Далее");
    assert.equal(await textOf("#wizard-check-iin"), "Проверить ИИН");
    assert.equal(await valueOf("#wz-child-person-iin"), child.iin);
    assert.equal(await placeholderOf("#filter-to"), "дд.мм.гггг");
    await screenshot("wizard-step1-ru.png");
    await click("#lang-kk");
    assert.equal(await waitText("#wizard-next", "the Kazakh wizard"), "Алға қарай");
  });

  it("step 1 → 2 once the phone is fixed", async () => {
    await type("#wz-phone", "8 701 234 56 78");
    await click("#wizard-next");
    await waitStep(2);
  });

  it("step 2: only schools with places, the micro-district's first; a file over 1 MB is refused with its size", async () => {
    await browser.waitUntil(() => browser.execute(() => (document.getElementById("wz-school_id")?.querySelectorAll("option").length ?? 0) > 1), {
      ...WAIT,
      timeoutMsg: "schools listed",
    });
    const school = await valueOf("#wz-school_id");
    assert.ok(school, "the micro-district's school is chosen (R-24)");
    const first = await browser.execute(() => document.querySelector("#wz-school_id option:nth-child(2)")?.textContent ?? "");
    assert.match(first, /микротелім бойынша/);
    assert.match(first, /бос орын: \d+/);

    await pickFile("#wz-doc-photo-pick", file("big-photo.jpg", 2_621_440));
    const tooBig = await waitText("#wz-doc-photo-error", "the size error next to the photo");
    assert.match(tooBig, /1 МБ/);
    assert.match(tooBig, /2\.5 MB/);

    await click("#wizard-next");
    await waitText("#wz-doc-photo-error", "the photo still refused");
    assert.equal(await currentStep(), "2");

    await pickFile("#wz-doc-photo-pick", file("photo.jpg", 40_000));
    await waitText("#wz-doc-photo-info", "the photo accepted");
    // A program named .pdf (issue 15): refused by its bytes, next to the field.
    await pickFile("#wz-doc-medical_certificate-pick", file("medical-scan.pdf", 9_000, "MZ\x90\x00\x03"));
    const fake = await waitText("#wz-doc-medical_certificate-error", "the fake PDF refused");
    assert.match(fake, /PDF/);
    await pickFile("#wz-doc-medical_certificate-pick", file("medical.pdf", 90_000));
    await waitText("#wz-doc-medical_certificate-info", "the certificate accepted");
    await screenshot("wizard-step2.png");
    await click("#wizard-next");
    await waitStep(3);
  });

  it("step 3: review, consents, a wrong password next to the PIN field, then signed and sent", async () => {
    const review = await waitText("#wizard-review", "the review");
    assert.ok(review.includes(child.name.surname), "the child in the review");
    assert.ok(review.includes("8 701 234 56 78"));
    await click("#wz-consent_admission_rules");
    await click("#wz-consent_portal_terms");
    await click("#wz-consent_personal_data");
    await pickFile("#wz-key-pick", p12);
    await browser.waitUntil(async () => (await valueOf("#wz-key-path")) === path.basename(p12), { ...WAIT, timeoutMsg: "the key file's name shown" });
    await type("#wz-pin", "wrong-password");
    await click("#wizard-submit");
    const wrong = await waitText("#wz-pin-error", "the wrong password next to the PIN field");
    assert.match(wrong, /құпиясөзі қате/);
    assert.equal(await valueOf("#wz-key-path"), path.basename(p12), "the key file stays chosen");
    assert.equal(await browser.execute(() => /** @type {HTMLInputElement} */ (document.getElementById("wz-consent_personal_data")).checked), true);

    await type("#wz-pin", P12_PASSWORD);
    await screenshot("wizard-step3.png");
    await click("#wizard-submit");
    const success = await waitText("#wizard-success", "the success message");
    const year = new Date().getFullYear();
    assert.ok(success.includes(`L-${year}-000001`), success);
    await screenshot("wizard-success.png");
    // The document receipt of the provisional application, written without a viewer here.
    await click("#wizard-print");
    const printed = await waitText("#wizard-print-result", "the receipt printed");
    assert.match(printed, /Қолхат дайын: .+\.pdf/);
    await click("#wizard-success-ok");
    await browser.waitUntil(() => browser.execute(() => document.getElementById("wizard")?.hidden === true), { ...WAIT, timeoutMsg: "back in the journal" });
  });

  it("the journal shows the provisional row at once, and the draft is gone", async () => {
    const search = await browser.$("#search");
    await search.click();
    await search.addValue(child.iin);
    await browser.waitUntil(
      async () => {
        const rows = await browser.execute(() => [...document.querySelectorAll("#journal-rows tr")].map((r) => r.textContent ?? ""));
        return rows.length === 1 && rows[0].includes(child.iin);
      },
      { ...WAIT, timeoutMsg: "the walk-in's row" },
    );
    const number = await textOf("#journal-rows tr .c-number");
    assert.match(number ?? "", new RegExp(`L-${new Date().getFullYear()}-000001`));
    await screenshot("wizard-journal-row.png");

    // Its history names the GOST key it was signed with (issue 10).
    await click("#journal-rows tr .c-child");
    await click("#tab-history");
    const signed = await waitText("#history-table .history-signature", "the signature's algorithm in the history");
    assert.match(signed, /GOST 34\.10-2015 512/);
    await screenshot("wizard-history-gost.png");
    await browser.keys("Escape");

    await openWizardByKeyboard();
    await waitStep(1);
    assert.equal(await valueOf("#wz-applicant-iin"), "", "a new, empty draft");
    await browser.keys("Escape");
    await browser.waitUntil(() => browser.execute(() => document.getElementById("wizard")?.hidden === true), { ...WAIT, timeoutMsg: "Esc back to the journal" });
  });
});
