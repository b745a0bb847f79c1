// `npm run demo` is the first thing a new user runs: run it as they would (after the build) and
// hold it to its promise, every stage shown and exit code 0.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/support/emulatorProcess";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";

function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", "demo.js")], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("npm run demo", function () {
  this.timeout(8 * 60_000);

  before(async function () {
    this.timeout(ENGINE_BUILD_TIMEOUT_MS);
    await requirePulumiEngine(this);
  });

  it("runs every stage against the emulator and exits 0", async () => {
    const { code, output } = await runDemo();
    assert.equal(code, 0, output);
    for (const title of [
      "Find the Pulumi engine",
      "Start the emulator",
      "Deploy examples/mobility",
      "Drift",
      "Converge",
      "Renewal",
      "Tear down",
    ]) {
      assert.match(output, new RegExp(`== Stage \\d: ${title}`), `the demo shows the stage "${title}"`);
    }
    assert.match(output, /Demo passed/);
    assert.doesNotMatch(output, /^\s+at .+:\d+:\d+\)?$/m, "no stack trace on the happy path");
    assert.match(output, /Thumbprint/, "the demo shows the table of assigned certificates");
  });
});
