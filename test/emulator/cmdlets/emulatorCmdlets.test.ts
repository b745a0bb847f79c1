import assert from "node:assert/strict";
import { clearEmulatorFault } from "lync-server-emulator/dist/cmdlets/clearEmulatorFault";
import { getEmulatorAuditLog } from "lync-server-emulator/dist/cmdlets/getEmulatorAuditLog";
import { emulatorCommands, lyncCommands, serverCommands } from "lync-server-emulator/dist/cmdlets/index";
import { setEmulatorCaBehavior } from "lync-server-emulator/dist/cmdlets/setEmulatorCaBehavior";
import { setEmulatorFault } from "lync-server-emulator/dist/cmdlets/setEmulatorFault";
import { setEmulatorTime } from "lync-server-emulator/dist/cmdlets/setEmulatorTime";
import { createCsr, describeCertificate } from "lync-server-emulator/dist/x509";
import { invoke, invokeError, newTestServer, type TestServer } from "./cmdletHarness";

describe("Emulator-only cmdlets", () => {
  let server: TestServer;
  beforeEach(() => {
    server = newTestServer();
  });
  afterEach(() => server.dispose());

  it("sets the clock to an ISO 8601 date and moves it by days", async () => {
    await invoke(setEmulatorTime, server.host, { Date: "2030-01-01T00:00:00Z" });
    assert.ok(Math.abs(server.host.now().getTime() - Date.parse("2030-01-01T00:00:00Z")) < 5_000);
    await invoke(setEmulatorTime, server.host, { AddDays: 30 }, { parameterSetName: "AddDays" });
    assert.ok(Math.abs(server.host.now().getTime() - Date.parse("2030-01-31T00:00:00Z")) < 5_000);
    await invoke(setEmulatorTime, server.host, { AddDays: "-1.5" }, { parameterSetName: "AddDays" });
    assert.ok(Math.abs(server.host.now().getTime() - Date.parse("2030-01-29T12:00:00Z")) < 5_000);
  });

  it("rejects a date that is not ISO 8601", async () => {
    const error = await invokeError(setEmulatorTime, server.host, { Date: "1/2/2030" });
    assert.match(error.message, /not an ISO 8601 date/);
  });

  it("returns the audit log as one JSON string", async () => {
    server.host.appendAudit("Get-CsCertificate", { Type: ["Default"] });
    const { output } = await invoke(getEmulatorAuditLog, server.host, {});
    assert.equal(output.length, 1);
    const log = JSON.parse(String(output[0]));
    assert.equal(log.at(-1).command, "Get-CsCertificate");
    assert.deepEqual(log.at(-1).parameters, { Type: ["Default"] });
  });

  it("adds faults of each kind and clears them", async () => {
    await invoke(setEmulatorFault, server.host, { Kind: "latency", Milliseconds: 250, Command: "Import-Module" });
    await invoke(setEmulatorFault, server.host, {
      Kind: "drop",
      Command: "Set-CsCertificate",
      When: "after",
      Times: 2,
    });
    await invoke(setEmulatorFault, server.host, { Kind: "hang", Command: "Get-CsCertificate" });
    await invoke(setEmulatorFault, server.host, { Kind: "ignoreSetCsCertificate" });
    assert.deepEqual(server.host.emulator.faults(), [
      { kind: "latency", milliseconds: 250, command: "Import-Module" },
      { kind: "drop", command: "Set-CsCertificate", when: "after", times: 2 },
      { kind: "hang", command: "Get-CsCertificate" },
      { kind: "ignoreSetCsCertificate" },
    ]);
    await invoke(clearEmulatorFault, server.host, { Kind: "hang" });
    assert.equal(server.host.emulator.faults().length, 3);
    await invoke(clearEmulatorFault, server.host, {});
    assert.deepEqual(server.host.emulator.faults(), []);
  });

  it("rejects faults that miss what they need", async () => {
    assert.match((await invokeError(setEmulatorFault, server.host, { Kind: "drop" })).message, /needs -Command/);
    assert.match(
      (await invokeError(setEmulatorFault, server.host, { Kind: "latency" })).message,
      /needs -Milliseconds/,
    );
    assert.deepEqual(server.host.emulator.faults(), []);
  });

  it("sets the CA behaviour the next request meets", async () => {
    const request = () =>
      server.host.ca.submit({
        ca: "dc\\myca",
        csrPem: createCsr({
          privateKeyPem: server.host.listCertificates()[0].privateKeyPem!,
          subject: "CN=pool01.contoso.com",
          dnsNames: ["pool01.contoso.com"],
        }),
        account: server.host.user,
      });
    await invoke(setEmulatorCaBehavior, server.host, { Behavior: "slow", DelayMilliseconds: 10, ValidityDays: 3 });
    const outcome = await request();
    assert.equal(outcome.status, "Issued");
    const info = describeCertificate(outcome.status === "Issued" ? outcome.certificatePem : "");
    assert.equal(Math.round((info.notAfter.getTime() - info.notBefore.getTime()) / 86_400_000), 3);

    await invoke(setEmulatorCaBehavior, server.host, { Behavior: "deny" });
    assert.equal((await request()).status, "Denied");
    await invoke(setEmulatorCaBehavior, server.host, { Behavior: "pending" });
    assert.equal((await request()).status, "Pending");
    await invoke(setEmulatorCaBehavior, server.host, { Behavior: "unreachable" });
    await assert.rejects(request(), /Unable to contact certification authority/);
    assert.match(
      (await invokeError(setEmulatorCaBehavior, server.host, { Behavior: "slow" })).message,
      /DelayMilliseconds/,
    );
  });
});

describe("the cmdlet catalogue", () => {
  it("registers every Cs cmdlet under both Lync and SkypeForBusiness", () => {
    const names = (module: string) =>
      lyncCommands
        .filter((c) => c.module === module)
        .map((c) => c.name)
        .sort();
    assert.deepEqual(names("Lync"), names("SkypeForBusiness"));
    assert.ok(names("Lync").includes("Set-CsCertificate"));
    assert.equal(lyncCommands.length, 2 * names("Lync").length);
  });

  it("keeps emulator cmdlets in module Emulator with Emulator in their names, and the Cert: drive module-less", () => {
    assert.ok(emulatorCommands.every((c) => c.module === "Emulator" && c.name.includes("Emulator")));
    const drive = serverCommands.filter((c) => c.module === undefined).map((c) => c.name);
    assert.deepEqual(drive.sort(), ["Get-ChildItem", "Get-Item", "Test-Path"]);
  });
});
