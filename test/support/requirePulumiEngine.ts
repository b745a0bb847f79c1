// The end-to-end suites need the real engine (scripts/pulumi, built from Go on first use) and the
// built emulator. In CI a missing tool is a failure; on a workstation without Go the suites skip
// with a message saying what is missing.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "../../scripts/support/emulatorProcess";
import { runPulumi } from "../../scripts/support/pulumiCli";

/** Long enough for the first Go build of the engine on a 2-core CI machine. */
export const ENGINE_BUILD_TIMEOUT_MS = 45 * 60_000;

let verified: Promise<string> | undefined;

/**
 * Call from a `before` hook (with this.timeout(ENGINE_BUILD_TIMEOUT_MS)): resolves once `pulumi version`
 * runs; skips the suite when a tool is truly absent outside CI; throws in CI.
 */
export async function requirePulumiEngine(context: Mocha.Context): Promise<void> {
  const missing = missingTool();
  if (missing) {
    if (process.env.CI === "true") throw new Error(`end-to-end tests need ${missing} (CI=true: a missing tool fails)`);
    console.warn(`    skipping: ${missing}`);
    context.skip();
  }
  verified ??= checkVersion();
  await verified;
}

function missingTool(): string | undefined {
  if (!fs.existsSync(path.join(REPO_ROOT, "emulator", "dist", "cli.js"))) {
    return "the built emulator (emulator/dist/cli.js); run `npm run build`";
  }
  if (!fs.existsSync(path.join(REPO_ROOT, "provider", "dist", "index.js"))) {
    return "the built provider (provider/dist/index.js); run `npm run build`";
  }
  if (!fs.existsSync(path.join(REPO_ROOT, "scripts", "pulumi"))) return "scripts/pulumi (the engine wrapper)";
  // Without Go, only an engine already built (or a pulumi v3.248.0 on PATH) will do.
  if (spawnSync("go", ["version"]).error) {
    const found = spawnSync(path.join(REPO_ROOT, "scripts", "pulumi"), [], {
      env: { ...process.env, PULUMI_LYNC_ENGINE_BUILD_ONLY: "1" },
      encoding: "utf8",
    });
    if (found.status !== 0) return "Go, to build the pulumi engine (none is built yet)";
  }
  return undefined;
}

async function checkVersion(): Promise<string> {
  const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-version-"));
  try {
    const result = await runPulumi(["version"], { cwd: REPO_ROOT, backendDir });
    if (result.code !== 0) throw new Error(`scripts/pulumi version failed (exit ${result.code}):\n${result.output}`);
    return result.stdout.trim();
  } finally {
    fs.rmSync(backendDir, { recursive: true, force: true });
  }
}
