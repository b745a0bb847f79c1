// The README is the first thing a user runs: its commands must work and its words must match the schema.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSchemaReference } from "./schemaReference";

const root = join(__dirname, "..", "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

interface CodeBlock {
  language: string;
  lines: string[];
}

function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    language: m[1],
    lines: m[2].split("\n").filter((line) => line.trim() !== ""),
  }));
}

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has no "## ${title}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function exampleSources(): string[] {
  const examples = join(root, "examples");
  return readdirSync(examples, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(join(examples, entry.name))
        .filter((file) => file.endsWith(".ts"))
        .map((file) => readFileSync(join(examples, entry.name, file), "utf8")),
    );
}

/** True when the block's lines appear consecutively in the source, ignoring indentation. */
function isExcerpt(block: string[], source: string): boolean {
  const lines = source.split("\n").map((line) => line.trim());
  const wanted = block.map((line) => line.trim());
  return lines.some((_, i) => wanted.every((line, j) => lines[i + j] === line));
}

describe("README", () => {
  it("has a quickstart of exactly two commands: the demo and the tests, the latter run by CI", () => {
    const commands = codeBlocks(section("Quickstart")).flatMap((block) => block.lines);
    assert.deepEqual(commands, ["npm run demo", "npm test"]);
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts;
    assert.ok(scripts.demo && scripts.test, "package.json defines the demo and test scripts");
    const ci = readFileSync(join(root, ".ci", "run"), "utf8");
    assert.match(ci, /^npm test$/m, ".ci/run runs the README's test command");
  });

  it("states the Node and @pulumi/pulumi ranges that the two test lanes run", () => {
    const requirements = section("Requirements");
    const provider = JSON.parse(readFileSync(join(root, "provider", "package.json"), "utf8"));
    const workspace = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const peer = provider.peerDependencies["@pulumi/pulumi"];
    assert.ok(requirements.includes(`\`${peer}\``), `Requirements names the peer range ${peer}`);
    // The tests run at the lowest version the range admits.
    assert.equal(workspace.devDependencies["@pulumi/pulumi"], peer.replace(/^\^/, ""));
    assert.match(requirements, /Node\.js 20 or 22/);
    assert.ok(workspace.scripts["test:node22"], "package.json defines the Node 22 lane");
    assert.match(readFileSync(join(root, ".ci", "run"), "utf8"), /^npm run test:node22$/m);
  });

  it("states the reference in the same words as schema.json", () => {
    const schema = JSON.parse(readFileSync(join(root, "provider", "schema.json"), "utf8"));
    const expected = renderSchemaReference(schema);
    assert.ok(
      section("Reference").includes(expected),
      `README's Reference section must contain, verbatim:\n\n${expected}`,
    );
  });

  it("shows TypeScript only as excerpts of the examples", () => {
    const sources = exampleSources();
    const blocks = codeBlocks(readme).filter((block) => block.language === "ts");
    assert.ok(blocks.length > 0);
    for (const block of blocks) {
      assert.ok(
        sources.some((source) => isExcerpt(block.lines, source)),
        `this README block is not an excerpt of an example:\n${block.lines.join("\n")}`,
      );
    }
  });

  it("shows only shell commands that a test runs, and only diagrams besides", () => {
    const tested = new Set(["npm run demo", "npm test", EMULATOR_COMMAND]);
    for (const block of codeBlocks(readme)) {
      if (block.language === "ts" || block.language === "text") continue;
      assert.equal(block.language, "bash", `code block without a known language: ${block.lines[0]}`);
      for (const line of block.lines) assert.ok(tested.has(line), `no test runs the README command: ${line}`);
    }
  });

  it("starts the emulator with its README command and gets one JSON line of servers", async function () {
    this.timeout(180_000);
    const stateDir = mkdtempSync(join(tmpdir(), "readme-emulator-"));
    try {
      const command = EMULATOR_COMMAND.replace("./.emulator", stateDir);
      const ready = await firstStdoutLine(command);
      const servers = JSON.parse(ready).servers as { fqdn: string; port: number; hostKey: string }[];
      assert.deepEqual(servers.map((s) => s.fqdn).sort(), [
        "dir01.contoso.com",
        "edge01.contoso.com",
        "edge02.contoso.com",
        "fe01.contoso.com",
        "fe02.contoso.com",
      ]);
      for (const server of servers) assert.match(server.hostKey, /^ssh-ed25519 /);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

const EMULATOR_COMMAND = "npm run --silent emulator -- --state ./.emulator --password lyncadmin:Pa55w.rd";

/** Runs a shell command in the repository, stops it after its first stdout line, and resolves with that line. */
function firstStdoutLine(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `exec ${command}`], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let ready: string | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline >= 0 && ready === undefined) {
        ready = stdout.slice(0, newline);
        process.kill(-child.pid!, "SIGTERM");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Resolve only once it has stopped: it saves its state on the way out.
    child.on("exit", (code) =>
      ready === undefined
        ? reject(new Error(`emulator exited (${code}) before it was ready: ${stderr}`))
        : resolve(ready),
    );
  });
}
