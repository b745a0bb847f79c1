// The WinRM listener runs a remote shell's command as an SSH exec runs it: powershell.exe with an encoded
// bootstrap reading its script from stdin, over HTTPS with NTLM or Basic, its output and exit code
// coming back through Receive, and the same records kept on the server.

import assert from "node:assert/strict";
import { PASSWORD, STDIN_POWERSHELL, useWinRmFixture } from "./winrmFixture";
import { WinRmError } from "../support/winrmTestClient";

describe("WinRM remote shell", function () {
  this.timeout(60_000);
  const fixture = useWinRmFixture();
  const fe01 = () => fixture.current.emulator.host("fe01.contoso.com");
  const requestAsSelf = "(Request-CsCertificate -New -Type Default -Ca dc\\myca";

  it("runs powershell.exe with its script on stdin and returns its output and exit code over NTLM", async () => {
    const winrm = fixture.current.client();
    const shellId = await winrm.createShell();
    const result = await winrm.run(
      shellId,
      "powershell.exe",
      STDIN_POWERSHELL,
      "Write-Output $env:COMPUTERNAME; exit 3",
    );
    assert.equal(result.exitCode, 3, result.stderr);
    assert.equal(result.stdout, "FE01\r\n");
    await winrm.deleteShell(shellId);
  });

  it("runs commands one after another in one shell over Basic, as the server's local account", async () => {
    const winrm = fixture.current.client({ auth: "basic" });
    const shellId = await winrm.createShell();
    const first = await winrm.run(shellId, "powershell.exe", STDIN_POWERSHELL, "(Get-CsCertificate).Count");
    const second = await winrm.run(shellId, "powershell.exe", STDIN_POWERSHELL, "$env:USERNAME");
    assert.equal(first.exitCode, 0, first.stderr);
    assert.ok(Number(first.stdout.trim()) > 0, first.stdout);
    assert.equal(second.stdout.trim(), "lyncadmin");
    assert.equal(fe01().emulator.auditLog().at(-1)?.user, "FE01\\lyncadmin");
    await winrm.deleteShell(shellId);
  });

  it("records the command line and the stdin script as Windows does, keeping the script off the command line", async () => {
    const canary = "canary-7f3a";
    const winrm = fixture.current.client();
    const shellId = await winrm.createShell();
    const result = await winrm.run(shellId, "powershell.exe", STDIN_POWERSHELL, `Write-Output '${canary}'`);
    assert.equal(result.stdout.trim(), canary, result.stderr);
    const processes = fe01().emulator.processLog().slice(-2);
    assert.match(processes[0].commandLine, /^"C:\\Windows\\System32\\cmd\.exe" \/c powershell\.exe -NoProfile/);
    assert.match(processes[1].commandLine, /^powershell\.exe -NoProfile -NonInteractive -EncodedCommand /);
    assert.ok(processes.every((p) => !p.commandLine.includes(canary)));
    assert.ok(
      fe01()
        .emulator.scriptBlockLog()
        .some((b) => b.text.includes(canary)),
    );
  });

  it("gives an NTLM logon no network credentials: the CA refuses it until -CaAccount names one", async () => {
    const winrm = fixture.current.client();
    const shellId = await winrm.createShell();
    const requestsBefore = fixture.current.emulator.certificationAuthority().requestCount;
    const refused = await winrm.run(shellId, "powershell.exe", STDIN_POWERSHELL, `${requestAsSelf}).Thumbprint`);
    assert.equal(refused.stdout.trim(), "", "no certificate came back");
    assert.match(refused.stderr, /0x80070005/);
    assert.equal(fixture.current.emulator.certificationAuthority().requestCount, requestsBefore + 1);

    const script = `${requestAsSelf} -CaAccount lyncadmin -CaPassword ${PASSWORD}).Thumbprint`;
    const fixed = await winrm.run(shellId, "powershell.exe", STDIN_POWERSHELL, script);
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    assert.ok(fe01().getCertificate(fixed.stdout.trim()), fixed.stdout);
  });

  it("applies cmd.exe's 8,191-character limit to a Command run through cmd, and CreateProcess's without it", async () => {
    const winrm = fixture.current.client();
    const shellId = await winrm.createShell();
    const processesBefore = fe01().emulator.processLog().length;
    const long = ["-NoProfile", "-Command", `Write-Output '${"x".repeat(9_000)}'`];
    const viaCmd = await winrm.run(shellId, "powershell.exe", long);
    assert.equal(viaCmd.exitCode, 1);
    assert.match(viaCmd.stderr, /The command line is too long/);
    // Only cmd.exe started: it refused the line before creating powershell.exe.
    assert.equal(fe01().emulator.processLog().length, processesBefore + 1);

    const direct = await winrm.command(shellId, "powershell.exe", long, true).then(
      () => undefined,
      (error: WinRmError) => error,
    );
    assert.equal(direct, undefined, "9,000 characters are within CreateProcess's limit");
    const tooLong = ["-Command", `Write-Output '${"x".repeat(33_000)}'`];
    const refused = await winrm.command(shellId, "powershell.exe", tooLong, true).then(
      () => assert.fail("a 33,000-character command line was started"),
      (error: WinRmError) => error,
    );
    assert.equal(refused.response.status, 500);
    assert.equal(fe01().emulator.processLog().length, processesBefore + 2);
  });

  it("terminates a command on Signal and keeps the shell for the next one", async () => {
    const winrm = fixture.current.client();
    const shellId = await winrm.createShell();
    const commandId = await winrm.command(shellId, "powershell.exe", STDIN_POWERSHELL);
    await winrm.signal(shellId, commandId);
    const gone = await winrm.receive(shellId, commandId).then(
      () => assert.fail("a terminated command still answered Receive"),
      (error: WinRmError) => error,
    );
    assert.equal(gone.response.status, 500);
    const next = await winrm.run(shellId, "powershell.exe", STDIN_POWERSHELL, "exit 0");
    assert.equal(next.exitCode, 0, next.stderr);
  });

  it("hands large output over in several Receives within the client's MaxEnvelopeSize", async () => {
    const winrm = fixture.current.client();
    const shellId = await winrm.createShell();
    const commandId = await winrm.command(shellId, "powershell.exe", STDIN_POWERSHELL);
    await winrm.send(shellId, commandId, "'y' * 1000000");
    const first = await winrm.receive(shellId, commandId);
    assert.equal(first.exitCode, undefined, "the first Receive cannot hold a million characters");
    let stdout = first.stdout;
    let part = first;
    while (part.exitCode === undefined) {
      part = await winrm.receive(shellId, commandId);
      stdout += part.stdout;
    }
    assert.equal(stdout.trim(), "y".repeat(1_000_000));
  });
});
