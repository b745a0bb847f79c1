// The SSH front door remembers how each session logged on: over ssh2, a key login meets the double hop at
// the CA and a password login does not (the OpenSSH procedure test shows the same with OpenSSH's client).

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateParsableEd25519Key } from "lync-server-emulator/dist/emulatorState";
import { startEmulator, type RunningEmulator } from "lync-server-emulator/dist/index";
import { loadTopology, SAMPLE_TOPOLOGY_PATH } from "lync-server-emulator/dist/topology";
import { sshExec, type SshCredentials } from "./sshExec";

describe("login kinds over SSH", function () {
  this.timeout(60_000);
  const userKey = generateParsableEd25519Key();
  const password: SshCredentials = { username: "lyncadmin", password: "Pa55w.rd" };
  const key: SshCredentials = { username: "lyncadmin", privateKey: userKey.private };
  const request = "Import-Module Lync; (Request-CsCertificate -New -Type Default -Ca dc\\myca";
  let stateDir: string;
  let emulator: RunningEmulator;
  const fe01 = () => emulator.servers.find((s) => s.fqdn === "fe01.contoso.com")!;
  const run = (credentials: SshCredentials, command: string) => sshExec(fe01(), credentials, command);

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), "login-kinds-"));
    emulator = await startEmulator({
      stateDir,
      users: [{ name: "lyncadmin", password: "Pa55w.rd", authorizedKeys: [userKey.public] }],
      // Bare PowerShell command lines, as on a server whose OpenSSH default shell is PowerShell.
      topology: { ...loadTopology(SAMPLE_TOPOLOGY_PATH), defaultShell: "powershell" },
    });
  });
  after(async () => {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("lets a password login request from the CA as itself", async () => {
    const result = await run(password, `${request}).Thumbprint`);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(emulator.host("fe01.contoso.com").getCertificate(result.stdout.trim()), result.stdout);
  });

  it("refuses a key login's request as itself, and accepts it with -CaAccount and -CaPassword", async () => {
    const requestsBefore = emulator.certificationAuthority().requestCount;
    const refused = await run(key, `${request}).Thumbprint`);
    assert.equal(refused.exitCode, 1);
    assert.match(refused.stderr, /Access is denied\. 0x80070005/);
    assert.equal(emulator.certificationAuthority().requestCount, requestsBefore + 1);

    const fixed = await run(key, `${request} -CaAccount lyncadmin -CaPassword Pa55w.rd).Thumbprint`);
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    assert.ok(emulator.host("fe01.contoso.com").getCertificate(fixed.stdout.trim()), fixed.stdout);
  });
});
