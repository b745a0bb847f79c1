// What the WinRM listener refuses, and how: wrong credentials get 401 with Windows' offers, an unknown
// shell, an expired Receive, an oversized envelope and an unauthorised account get their SOAP faults,
// plain HTTP gets nothing it could run, and a fault that cuts the client off loses the shell.

import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { PASSWORD, STDIN_POWERSHELL, useWinRmFixture } from "./winrmFixture";
import { WinRmError, type WinRmResponse } from "../support/winrmTestClient";

const TIMED_OUT = "2150858793";
const SHELL_NOT_FOUND = "2150858843";

describe("WinRM listener faults", function () {
  this.timeout(60_000);
  const fixture = useWinRmFixture([
    { name: "lyncadmin", password: PASSWORD },
    { name: "auditor", password: "Aud1tor.pw", remoteManagementUser: false },
  ]);
  const fe01 = () => fixture.current.emulator.host("fe01.contoso.com");
  const failure = (promise: Promise<unknown>): Promise<WinRmResponse> =>
    promise.then(
      () => assert.fail("the listener accepted the request"),
      (error: unknown) => {
        if (error instanceof WinRmError) return error.response;
        throw error;
      },
    );

  it("answers a wrong NTLM password with 401 offering Negotiate, Kerberos and Basic, and runs nothing", async () => {
    const processesBefore = fe01().emulator.processLog().length;
    const refused = await failure(fixture.current.client({ password: "wrong" }).createShell());
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.wwwAuthenticate, ["Negotiate", "Kerberos", 'Basic realm="WSMAN"']);
    assert.equal(fe01().emulator.processLog().length, processesBefore);
  });

  it("takes Basic for local accounts only, with their password", async () => {
    const wrong = await failure(fixture.current.client({ auth: "basic", password: "wrong" }).createShell());
    assert.equal(wrong.status, 401);
    const domain = await failure(fixture.current.client({ auth: "basic", user: "CONTOSO\\lyncadmin" }).createShell());
    assert.equal(domain.status, 401);
    const local = await fixture.current.client({ auth: "basic", user: "FE01\\lyncadmin" }).createShell();
    assert.match(local, /^[0-9A-F-]{36}$/);
  });

  it("answers an authenticated account outside Remote Management Users with the access-denied fault", async () => {
    const denied = await failure(fixture.current.client({ user: "auditor", password: "Aud1tor.pw" }).createShell());
    assert.equal(denied.status, 500);
    assert.equal(denied.faultSubcode, "w:AccessDenied");
    assert.equal(denied.faultCode, "5");
  });

  it("answers an unknown or deleted ShellId with the shell-not-found fault", async () => {
    const winrm = fixture.current.client();
    const unknown = await failure(winrm.command("0B9F1D8E-0000-4000-8000-000000000000", "powershell.exe", []));
    assert.equal(unknown.status, 500);
    assert.equal(unknown.faultCode, SHELL_NOT_FOUND);
    const shellId = await winrm.createShell();
    await winrm.deleteShell(shellId);
    const deleted = await failure(winrm.command(shellId, "powershell.exe", STDIN_POWERSHELL));
    assert.equal(deleted.faultCode, SHELL_NOT_FOUND);
  });

  it("answers a Receive that outlasts OperationTimeout with w:TimedOut, and the retry gets the result", async () => {
    fe01().emulator.setFaults([{ kind: "latency", milliseconds: 2_500, command: "Get-CsCertificate" }]);
    const winrm = fixture.current.client({ operationTimeout: "PT1S" });
    const shellId = await winrm.createShell();
    const commandId = await winrm.command(shellId, "powershell.exe", STDIN_POWERSHELL);
    await winrm.send(shellId, commandId, "(Get-CsCertificate).Count");
    const expired = await failure(winrm.receive(shellId, commandId));
    assert.equal(expired.status, 500);
    assert.equal(expired.faultCode, TIMED_OUT);
    assert.equal(expired.faultSubcode, "w:TimedOut");
    let part;
    do {
      part = await winrm.receive(shellId, commandId).catch((error: unknown) => {
        if (error instanceof WinRmError && error.response.faultCode === TIMED_OUT) return undefined;
        throw error;
      });
    } while (part?.exitCode === undefined);
    assert.equal(part.exitCode, 0);
    assert.ok(Number(part.stdout.trim()) > 0, part.stdout);
  });

  it("refuses an envelope over MaxEnvelopeSizekb (500 KB) with w:EncodingLimit before reading it", async () => {
    const winrm = fixture.current.client();
    const shellId = await winrm.createShell();
    const commandId = await winrm.command(shellId, "powershell.exe", STDIN_POWERSHELL);
    const big = "A".repeat(520 * 1024);
    const refused = await failure(winrm.send(shellId, commandId, big));
    assert.equal(refused.status, 500);
    assert.equal(refused.faultSubcode, "w:EncodingLimit");
    const fits = await winrm.run(shellId, "powershell.exe", STDIN_POWERSHELL, `'${"A".repeat(300 * 1024)}'.Length`);
    assert.equal(fits.stdout.trim(), String(300 * 1024), fits.stderr);
  });

  it("drops plain HTTP sent to the HTTPS port without an HTTP answer", async () => {
    const port = fixture.current.emulator.servers[0].winrmPort;
    const outcome = await new Promise<string>((resolve) => {
      const request = httpRequest({ host: "127.0.0.1", port, path: "/wsman", method: "POST" }, (response) =>
        resolve(`HTTP ${response.statusCode}`),
      );
      request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      request.end("<s:Envelope/>");
    });
    assert.match(outcome, /ECONNRESET|socket hang up/i);
  });

  it("keeps the HTTP listener to AllowUnencrypted=false: no Basic offered, NTLM then a refusal, nothing run", async () => {
    const processesBefore = fe01().emulator.processLog().length;
    const basic = await failure(fixture.current.httpClient({ auth: "basic" }).createShell());
    assert.equal(basic.status, 401);
    assert.deepEqual(basic.wwwAuthenticate, ["Negotiate", "Kerberos"]);
    const ntlm = await failure(fixture.current.httpClient().createShell());
    assert.equal(ntlm.status, 500);
    assert.equal(fe01().emulator.processLog().length, processesBefore);
  });

  it("loses the shell when a drop fault cuts the client off mid-script", async () => {
    fe01().emulator.setFaults([{ kind: "drop", command: "Get-CsCertificate", when: "before" }]);
    const winrm = fixture.current.client();
    const shellId = await winrm.createShell();
    const commandId = await winrm.command(shellId, "powershell.exe", STDIN_POWERSHELL);
    await winrm.send(shellId, commandId, "Get-CsCertificate");
    // The client never learns the exit code: its pending Receive loses the connection, or a later one the shell.
    const outcome = await winrm.receive(shellId, commandId).then(
      (received) => `exit code ${received.exitCode}`,
      (error: Error) => (error instanceof WinRmError ? `fault ${error.response.faultCode}` : error.message),
    );
    assert.match(outcome, new RegExp(`ECONNRESET|socket hang up|fault ${SHELL_NOT_FOUND}`, "i"));
    const again = await failure(fixture.current.client().receive(shellId, commandId));
    assert.equal(again.faultCode, SHELL_NOT_FOUND);
  });
});
