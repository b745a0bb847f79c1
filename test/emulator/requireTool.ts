// Tests that cross-check with tools nobody here wrote (openssl, ssh). When CI=true a missing tool
// fails the test; elsewhere the test is skipped with a message saying what to install.

import { spawnSync } from "node:child_process";

const cache = new Map<string, boolean>();

function hasTool(tool: string): boolean {
  if (!cache.has(tool)) {
    const probe = spawnSync(tool, tool === "ssh" ? ["-V"] : ["version"], { stdio: "ignore" });
    cache.set(tool, probe.error === undefined);
  }
  return cache.get(tool) === true;
}

export function requireTool(context: Mocha.Context, tool: string): void {
  if (hasTool(tool)) return;
  if (process.env.CI === "true") throw new Error(`${tool} is not installed; CI needs it for this test`);
  console.warn(`skipping: ${tool} is not installed`);
  context.skip();
}
