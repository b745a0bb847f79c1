// The cmdlets through real scripts: binding, parameter sets, pipelines and errors as the interpreter
// runs them, with the commands exactly as the reference notes' manual procedure writes them.

import assert from "node:assert/strict";
import { serverCommands } from "lync-server-emulator/dist/cmdlets/index";
import { runScript } from "lync-server-emulator/dist/powershell/interpreter";
import type { ScriptResult } from "lync-server-emulator/dist/powershell/session";
import { describeCertificate } from "lync-server-emulator/dist/x509";
import { newTestServer, storeTestCertificate, type TestServer } from "./cmdletHarness";

describe("Cs cmdlets in scripts", () => {
  let server: TestServer;
  let seeded: string;
  beforeEach(() => {
    server = newTestServer();
    seeded = server.host.listAssignments("local")[0].thumbprint;
  });
  afterEach(() => server.dispose());

  const run = (script: string): Promise<ScriptResult> =>
    runScript(script, {
      fileSystem: server.host.fileSystem,
      commands: serverCommands,
      host: server.host,
      now: () => server.host.now(),
    });
  const sfb = (script: string) => run(`Import-Module SkypeForBusiness\n${script}`);
  const thumbprintOf = (type: string) => server.host.listAssignments("local").find((a) => a.type === type)?.thumbprint;

  for (const module of ["Lync", "SkypeForBusiness"]) {
    it(`makes the Cs cmdlets visible after Import-Module ${module}, and not before`, async () => {
      const before = await run("Get-CsCertificate");
      assert.match(before.stderr, /The term 'Get-CsCertificate' is not recognized/);
      const after = await run(`Import-Module ${module}; (Get-CsCertificate).Count`);
      assert.equal(after.stderr, "");
      assert.equal(after.stdout.trim(), "3");
    });
  }

  it("runs the procedure's Set-CsCertificate forms, one usage at a time and combined", async () => {
    const next = storeTestCertificate(server);
    const one = await sfb(`Set-CsCertificate -Type WebServicesExternal -Thumbprint ${next}`);
    assert.equal(one.exitCode, 0, one.stderr);
    assert.equal(thumbprintOf("WebServicesExternal"), next);
    assert.equal(thumbprintOf("Default"), seeded);
    const all = await sfb(
      `Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint "${next}"`,
    );
    assert.equal(all.exitCode, 0, all.stderr);
    assert.equal(thumbprintOf("Default"), next);
    assert.equal(thumbprintOf("WebServicesInternal"), next);
  });

  it("runs the procedure's Request-CsCertificate forms with -AllSipDomain and with -DomainName", async () => {
    const byAll = await sfb(
      "$c = Request-CsCertificate -New -Type WebServicesExternal -Ca dc\\myca -AllSipDomain -verbose\n$c.Thumbprint",
    );
    assert.equal(byAll.exitCode, 0, byAll.stderr);
    assert.match(byAll.stderr, /VERBOSE: Creating new log file/);
    const issued = server.host.getCertificate(byAll.stdout.trim());
    assert.ok(issued, byAll.stdout);
    assert.ok(describeCertificate(issued.certificatePem).dnsNames.includes("lyncdiscover.contoso.net"));

    const byNames = await sfb(
      'Request-CsCertificate -New -Type Default,WebServicesInternal,WebServicesExternal -Ca dc\\myca -DomainName "LyncdiscoverInternal.contoso.com, LyncdiscoverInternal.contoso.net" -verbose | Select-Object -ExpandProperty Thumbprint',
    );
    assert.equal(byNames.exitCode, 0, byNames.stderr);
    const names = describeCertificate(server.host.getCertificate(byNames.stdout.trim())!.certificatePem).dnsNames;
    assert.ok(names.includes("LyncdiscoverInternal.contoso.net"), names.join(", "));
  });

  it("pipes a new certificate into Set-CsCertificate -Type", async () => {
    const result = await sfb(
      "Request-CsCertificate -New -Type Default,WebServicesInternal,WebServicesExternal -Ca dc\\myca -AllSipDomain | Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal",
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assert.notEqual(thumbprintOf("Default"), seeded);
    assert.equal(server.host.listAssignments("local").find((a) => a.type === "Default")?.previousThumbprint, seeded);
  });

  it("reports Get-CsCertificate as JSON the way Windows PowerShell 5.1 does: Use as a number, full SANs", async () => {
    const result = await sfb("Get-CsCertificate -Type Default | Select-Object Use,AlternativeNames | ConvertTo-Json");
    const json = JSON.parse(result.stdout);
    assert.equal(json.Use, 0);
    const stored = describeCertificate(server.host.getCertificate(seeded)!.certificatePem);
    assert.deepEqual(json.AlternativeNames, stored.dnsNames);
  });

  it("fails Set-CsCertificate -Roll without -EffectiveDate with exit code 1 and changes nothing", async () => {
    const next = storeTestCertificate(server);
    const result = await sfb(`Set-CsCertificate -Type Default -Thumbprint ${next} -Roll`);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /Roll parameter requires the EffectiveDate/);
    assert.equal(thumbprintOf("Default"), seeded);
    const staged = await sfb(
      `Set-CsCertificate -Type Default -Thumbprint ${next} -Roll -EffectiveTime "7/31/2030 8:00 AM"`,
    );
    assert.equal(staged.exitCode, 0, staged.stderr);
    assert.equal(
      server.host.listAssignments("local").find((a) => a.type === "Default")?.effectiveDate,
      "2030-07-31T08:00:00.000Z",
    );
  });

  it("runs Microsoft's OAuthTokenIssuer commands verbatim: assign, stage with -Roll, remove -Previous after the date", async () => {
    // The server-to-server page's example uses the Default certificate: the seeded one's key is not exportable.
    const fromDefault = await sfb(
      "$x = (Get-CsCertificate -Type Default).Thumbprint\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x",
    );
    assert.equal(fromDefault.exitCode, 1);
    assert.match(fromDefault.stderr, /Key not valid for use in specified state\./);

    const current = storeTestCertificate(server, { exportable: true });
    const next = storeTestCertificate(server, { exportable: true });
    const assigned = await sfb(`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint ${current}`);
    assert.equal(assigned.exitCode, 0, assigned.stderr);
    const staged = await sfb(
      `Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint "${next}" -Roll -EffectiveDate "7/21/2030 1:00:00 PM"`,
    );
    assert.equal(staged.exitCode, 0, staged.stderr);
    assert.deepEqual(server.host.listAssignments("global"), [
      {
        type: "OAuthTokenIssuer",
        thumbprint: next,
        previousThumbprint: current,
        effectiveDate: "2030-07-21T13:00:00.000Z",
      },
    ]);
    const early = await sfb("Remove-CsCertificate -Type OAuthTokenIssuer -Previous");
    assert.equal(early.exitCode, 1);
    assert.match(early.stderr, /is in use until the staged certificate/);
    const moved = await run("Set-EmulatorTime -Date 2030-07-21T13:00:01Z");
    assert.equal(moved.exitCode, 0, moved.stderr);
    const removed = await sfb("Remove-CsCertificate -Type OAuthTokenIssuer -Previous");
    assert.equal(removed.exitCode, 0, removed.stderr);
    assert.deepEqual(server.host.listAssignments("global"), [{ type: "OAuthTokenIssuer", thumbprint: next }]);
  });

  it("needs -Force for Remove-CsCertificate in a non-interactive session", async () => {
    const prompt = await sfb("Remove-CsCertificate -Type WebServicesExternal");
    assert.equal(prompt.exitCode, 1);
    assert.match(prompt.stderr, /NonInteractive mode/);
    const forced = await sfb("Remove-CsCertificate -Type WebServicesExternal -Force");
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.equal(thumbprintOf("WebServicesExternal"), undefined);
  });

  it("reads certificates from the Cert: drive by path, with RawData as base64-able bytes", async () => {
    const result = await run(
      `$c = Get-Item Cert:\\LocalMachine\\My\\${seeded}\n[Convert]::ToBase64String($c.RawData)\n$c.HasPrivateKey\n(Get-ChildItem -Path cert:\\localmachine\\my | Where-Object { $_.Thumbprint -eq '${seeded}' }).FriendlyName`,
    );
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.trim().split(/\r?\n/);
    assert.equal(lines[0], describeCertificate(server.host.getCertificate(seeded)!.certificatePem).derBase64);
    assert.equal(lines[1], "True");
    assert.equal(lines[2], "Default certificate");
  });

  it("gets a missing certificate as PowerShell's non-terminating ItemNotFound error", async () => {
    const result = await run('Get-Item Cert:\\LocalMachine\\My\\0000000000000000000000000000000000000000; "next"');
    assert.match(result.stderr, /Cannot find path 'Cert:\\LocalMachine\\My\\0{40}' because it does not exist\./);
    assert.match(result.stdout, /next/);
  });

  it("sets the emulator's clock from a DateTime as well as from an ISO 8601 string", async () => {
    const fromIso = await run("Set-EmulatorTime -Date 2031-02-03T04:05:06Z");
    assert.equal(fromIso.exitCode, 0, fromIso.stderr);
    assert.ok(Math.abs(server.host.now().getTime() - Date.parse("2031-02-03T04:05:06Z")) < 5_000);
    const fromDate = await run("$later = (Get-Date).AddDays(2)\nSet-EmulatorTime -Date $later");
    assert.equal(fromDate.exitCode, 0, fromDate.stderr);
    assert.ok(Math.abs(server.host.now().getTime() - Date.parse("2031-02-05T04:05:06Z")) < 5_000);
  });

  it("drives the emulator's clock and audit log from a script", async () => {
    const result = await run("Set-EmulatorTime -AddDays 10; Get-EmulatorAuditLog");
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(server.host.now().getTime() > Date.now() + 9 * 86_400_000);
    assert.ok(Array.isArray(JSON.parse(result.stdout)));
  });
});
