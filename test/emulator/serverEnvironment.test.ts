import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "lync-server-emulator/dist/index";
import { sshExec } from "./sshExec";

describe("server environment", function () {
  this.timeout(60_000);
  let stateDir: string;
  let emulator: RunningEmulator;

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), "server-environment-"));
    emulator = await startEmulator({
      stateDir,
      users: [{ name: "lyncadmin", password: "Pa55w.rd" }],
      defaultShell: "powershell",
    });
  });
  after(async () => {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("shows each server its own computer name and DNS domain, as a domain-joined Windows server does", async () => {
    const script = "$env:COMPUTERNAME + '.' + $env:userdnsdomain; $env:USERDOMAIN; $env:USERNAME";
    for (const server of emulator.servers.filter((s) => !s.fqdn.startsWith("edge"))) {
      const result = await sshExec(server, { username: "lyncadmin", password: "Pa55w.rd" }, script);
      assert.deepEqual(result.stdout.trimEnd().split("\r\n"), [server.fqdn.toUpperCase(), "CONTOSO", "lyncadmin"]);
    }
  });

  it("shows an Edge server, outside the domain, no DNS domain and its own name as the user's domain", async () => {
    const edge = emulator.servers.find((s) => s.fqdn === "edge01.contoso.com")!;
    const script = "[string]$env:USERDNSDOMAIN; $env:USERDOMAIN; $env:COMPUTERNAME";
    const result = await sshExec(edge, { username: "lyncadmin", password: "Pa55w.rd" }, script);
    assert.deepEqual(result.stdout.trimEnd().split("\r\n"), ["", "EDGE01", "EDGE01"]);
  });

  it("never shows the emulator's own process environment", async () => {
    process.env.EMULATOR_CANARY = "must-not-leak";
    try {
      const result = await sshExec(
        emulator.servers[0],
        { username: "lyncadmin", password: "Pa55w.rd" },
        "[string]$env:EMULATOR_CANARY; [string]$env:PATH; $env:SystemRoot",
      );
      assert.deepEqual(result.stdout.trimEnd().split("\r\n"), ["", "", "C:\\Windows"]);
    } finally {
      delete process.env.EMULATOR_CANARY;
    }
  });
});
