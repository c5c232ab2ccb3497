// Runs last (files run in name order, one at a time): the diagnostic log every window of
// this E2E run wrote (QABYLDAU_LOG_DIR, see harness e2eLogDir) holds no PIN, password or
// token, and no IIN or phone number unmasked (issue 15). The suites record what they
// typed and used with harness recordSecrets; run the suites first.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { e2eLogDir, ensureOutputDir } from "./harness.mjs";

describe("the diagnostic log after the E2E run", () => {
  it("holds no secret, no IIN and no phone number in the clear", () => {
    const dir = e2eLogDir();
    assert.ok(existsSync(dir), `no log at ${dir}: run the E2E suites first (node --test tests/e2e/)`);
    const log = readdirSync(dir)
      .filter((f) => f.startsWith("qabyldau.log"))
      .map((f) => readFileSync(path.join(dir, f), "utf8"))
      .join("");
    assert.match(log, /qabyldau-app starting/, "the windows wrote their log");
    assert.match(log, /file picked/, "a picked file was logged (its size and verdict)");
    const secretsFile = path.join(ensureOutputDir(), "e2e-secrets.txt");
    assert.ok(existsSync(secretsFile), "the suites recorded what they used");
    const secrets = [...new Set(readFileSync(secretsFile, "utf8").split("\n").filter((s) => s.length >= 4))];
    assert.ok(secrets.length >= 5, `secrets recorded: ${secrets.length}`);
    for (const s of secrets) assert.ok(!log.includes(s), `the log contains a secret or personal number: ${s.slice(0, 4)}…`);
    const iin = /(?<![0-9A-Za-z])\d{12}(?!\d)/.exec(log);
    assert.equal(iin, null, `an IIN in the clear: ${iin?.[0].slice(0, 4)}…`);
    const phone = /(\+7|8)[ (-]*7\d\d[ )-]*\d{3}[ -]*\d{2}[ -]*\d{2}/.exec(log);
    assert.equal(phone, null, "a phone number in the clear");
  });
});
