import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as readline from "node:readline";
import { generateParsableEd25519Key } from "lync-server-emulator/dist/emulatorState";
import { parseCliArguments } from "lync-server-emulator/dist/cli";
import { SAMPLE_TOPOLOGY_PATH } from "lync-server-emulator/dist/topology";
import { sshExec } from "./sshExec";

const CLI = require.resolve("lync-server-emulator/dist/cli.js");

describe("lync-emulator CLI", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "emulator-cli-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("prints one JSON line with every server once ready, serves SSH, and stops on SIGTERM", async () => {
    const key = generateParsableEd25519Key();
    const keysFile = path.join(dir, "authorized_keys");
    writeFileSync(keysFile, `# admins\n${key.public}\n`);
    const child = spawn(
      process.execPath,
      [
        CLI,
        "--topology",
        SAMPLE_TOPOLOGY_PATH,
        "--state",
        path.join(dir, "state"),
        "--authorized-keys",
        keysFile,
        "--default-shell",
        "powershell",
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const first = await new Promise<string>((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stdout });
      rl.on("line", (line) => {
        lines.push(line);
        if (lines.length === 1) resolve(line);
      });
      child.once("exit", (code) => reject(new Error(`exited with ${code} before the ready line`)));
    });
    const ready = JSON.parse(first) as { servers: { fqdn: string; host: string; port: number; hostKey: string }[] };
    assert.deepEqual(Object.keys(ready), ["servers"]);
    assert.deepEqual(
      ready.servers.map((s) => s.fqdn),
      ["fe01.contoso.com", "fe02.contoso.com", "dir01.contoso.com"],
    );
    // The SSH fields first, as before WinRM; then each server's WinRM listeners.
    assert.deepEqual(Object.keys(ready.servers[0]), [
      "fqdn",
      "host",
      "port",
      "hostKey",
      "winrmPort",
      "winrmCertificateSha256",
      "winrmHttpPort",
    ]);
    // Key login as the default user lyncadmin; --default-shell powershell makes a bare PowerShell line work.
    const result = await sshExec(
      ready.servers[0],
      { username: "lyncadmin", privateKey: key.private },
      "$env:COMPUTERNAME",
    );
    child.kill("SIGTERM");
    assert.equal(result.stdout, "FE01\r\n", result.stderr);
    assert.equal(await exited, 0);
    assert.equal(lines.length, 1);
  });

  it("takes --default-shell cmd or powershell and refuses anything else", () => {
    const base = ["--state", dir, "--password", "a:b"];
    assert.equal(parseCliArguments(base).defaultShell, undefined);
    assert.equal(parseCliArguments([...base, "--default-shell", "powershell"]).defaultShell, "powershell");
    assert.equal(parseCliArguments([...base, "--default-shell=cmd"]).defaultShell, "cmd");
    assert.throws(
      () => parseCliArguments([...base, "--default-shell", "bash"]),
      /--default-shell takes cmd or powershell/,
    );
  });

  it("fails with a clear message when no user can log in, or --state is missing", () => {
    const noUser = spawnSync(process.execPath, [CLI, "--state", dir], { encoding: "utf8" });
    assert.equal(noUser.status, 2);
    assert.equal(noUser.stdout, "");
    assert.match(noUser.stderr, /no way to log in: give --password <user>:<password> or --authorized-keys <file>/);
    const noState = spawnSync(process.execPath, [CLI, "--password", "a:b"], { encoding: "utf8" });
    assert.match(noState.stderr, /--state <dir> is required/);
  });

  it("reports a broken topology with its path and the problem", () => {
    const file = path.join(dir, "t.json");
    writeFileSync(file, JSON.stringify({ sipDomains: ["contoso.com"] }));
    const run = spawnSync(process.execPath, [CLI, "--state", dir, "--password", "a:b", "--topology", file], {
      encoding: "utf8",
    });
    assert.equal(run.status, 1);
    assert.ok(run.stderr.includes(file));
    assert.match(run.stderr, /\$\.pools/);
  });

  it("parses repeated --password options and applies --authorized-keys to every user", () => {
    const keysFile = path.join(dir, "keys");
    writeFileSync(keysFile, "ssh-ed25519 AAAA x\n\n");
    const options = parseCliArguments([
      "--state",
      "s",
      "--password",
      "a:p:w",
      "--password=b:",
      "--authorized-keys",
      keysFile,
    ]);
    assert.deepEqual(options.users, [
      { name: "a", password: "p:w", authorizedKeys: ["ssh-ed25519 AAAA x"] },
      { name: "b", password: "", authorizedKeys: ["ssh-ed25519 AAAA x"] },
    ]);
    assert.equal(options.topology, SAMPLE_TOPOLOGY_PATH);
    assert.throws(() => parseCliArguments(["--state", "s", "--password", "nopassword"]), /<user>:<password>/);
    assert.throws(() => parseCliArguments(["--state", "s", "--bogus"]), /unknown argument --bogus/);
  });
});
