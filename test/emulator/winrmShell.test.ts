// The WinRM listener runs a remote shell's command as an SSH exec runs it: powershell.exe with an encoded
// bootstrap reading its script from stdin, over HTTPS with NTLM or Basic, its output and exit code
// coming back through Receive, and the same records kept on the server.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodePowerShellCommand, startEmulator, type RunningEmulator } from "lync-server-emulator/dist/index";
import { WinRmTestClient, type WinRmTestClientOptions } from "../support/winrmTestClient";

const PASSWORD = "Pa55w.rd";
const BOOTSTRAP = "$s = [Console]::In.ReadToEnd(); & ([ScriptBlock]::Create($s))";

describe("WinRM remote shell", function () {
  this.timeout(60_000);
  let stateDir: string;
  let emulator: RunningEmulator;
  const clients: WinRmTestClient[] = [];
  const fe01 = () => emulator.servers.find((s) => s.fqdn === "fe01.contoso.com")!;
  const client = (options: Partial<WinRmTestClientOptions> = {}) => {
    const made = new WinRmTestClient({
      port: fe01().winrmPort,
      ca: emulator.certificationAuthority().rootCertificatePem,
      user: "lyncadmin",
      password: PASSWORD,
      auth: "ntlm",
      ...options,
    });
    clients.push(made);
    return made;
  };
  const powershell = ["-NoProfile", "-NonInteractive", "-EncodedCommand", encodePowerShellCommand(BOOTSTRAP)];

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), "winrm-shell-"));
    emulator = await startEmulator({ stateDir, users: [{ name: "lyncadmin", password: PASSWORD }] });
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  after(async () => {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("runs powershell.exe with its script on stdin and returns its output and exit code over NTLM", async () => {
    const winrm = client();
    const shellId = await winrm.createShell();
    const result = await winrm.run(shellId, "powershell.exe", powershell, "Write-Output $env:COMPUTERNAME; exit 3");
    assert.equal(result.exitCode, 3, result.stderr);
    assert.equal(result.stdout.trim(), "FE01");
    await winrm.deleteShell(shellId);
  });

  it("runs commands one after another in one shell over Basic", async () => {
    const winrm = client({ auth: "basic" });
    const shellId = await winrm.createShell();
    const first = await winrm.run(shellId, "powershell.exe", powershell, "(Get-CsCertificate).Count");
    const second = await winrm.run(shellId, "powershell.exe", powershell, "$env:USERNAME");
    assert.equal(first.exitCode, 0, first.stderr);
    assert.ok(Number(first.stdout.trim()) > 0, first.stdout);
    assert.equal(second.stdout.trim(), "lyncadmin");
    await winrm.deleteShell(shellId);
  });
});
