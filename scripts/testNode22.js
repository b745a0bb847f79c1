#!/usr/bin/env node
// `npm run test:node22`: the provider's tests and the consumer test (the packed packages with the newest
// @pulumi/pulumi, end to end with the real pulumi CLI) under Node 22, whatever Node runs npm.
// Node 22 comes from the npm registry: the `node` package only runs a preinstall script that fetches
// node-<platform>-<arch>, which holds the binary, so that package is installed directly (no scripts).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const MAJOR = 22;
const root = path.resolve(__dirname, "..");
const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-lync-certificates");
const prefix = path.join(cache, `node${MAJOR}`);
const packageName = `node-${process.platform}-${process.arch}`;
const binDir = path.join(prefix, "node_modules", packageName, "bin");
const node = path.join(binDir, "node");

function fail(message) {
  process.stderr.write(`test:node${MAJOR}: ${message}\n`);
  process.exit(1);
}

function version() {
  const result = spawnSync(node, ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

if (!version()?.startsWith(`v${MAJOR}.`)) {
  process.stderr.write(`test:node${MAJOR}: installing ${packageName}@${MAJOR} from the npm registry into ${prefix}\n`);
  fs.mkdirSync(prefix, { recursive: true });
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ["npm", []];
  const args = ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix, `${packageName}@${MAJOR}`];
  const installed = spawnSync(npm[0], [...npm[1], ...args], { stdio: "inherit" });
  if (installed.status !== 0) fail(`npm install ${packageName}@${MAJOR} failed (output above)`);
}
const running = version();
if (!running?.startsWith(`v${MAJOR}.`)) fail(`${node} reports ${running ?? "nothing"}, not Node ${MAJOR}`);
process.stderr.write(`test:node${MAJOR}: running the tests under Node ${running}\n`);

// PATH first: the pulumi language host and the dynamic-provider shim start `node` from PATH.
const env = { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` };
const mocha = path.join(root, "node_modules", "mocha", "bin", "mocha.js");
const specs = ["dist/test/provider/**/*.test.js", "dist/test/consumer/**/*.test.js"];
const run = spawnSync(
  node,
  [mocha, "--no-config", "--timeout", "120000", "--reporter", "./test/support/summaryReporter.js", ...specs],
  { cwd: root, env, stdio: "inherit" },
);
process.exit(run.status ?? 1);
