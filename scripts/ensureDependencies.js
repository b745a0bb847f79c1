#!/usr/bin/env node
// Makes `npm test` and `npm run demo` work on a fresh clone: installs the locked dependencies when
// node_modules is missing or older than package-lock.json. Plain Node, no dependencies of its own.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const lock = path.join(root, "package-lock.json");
// npm writes this file on every install; its age tells whether node_modules matches the lock.
const installed = path.join(root, "node_modules", ".package-lock.json");

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

const installedAt = mtime(installed);
if (installedAt === undefined || installedAt < mtime(lock)) {
  process.stderr.write("Installing dependencies (npm ci)...\n");
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ["npm", []];
  const result = spawnSync(npm[0], [...npm[1], "ci", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: ["ignore", process.stderr, "inherit"],
  });
  if (result.status !== 0) {
    process.stderr.write("npm ci failed; fix the error above and run the command again.\n");
    process.exit(result.status ?? 1);
  }
}
