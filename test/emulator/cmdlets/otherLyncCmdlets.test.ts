import assert from "node:assert/strict";
import { getCsSipDomain } from "lync-server-emulator/dist/cmdlets/getCsSipDomain";
import { startCsWindowsService } from "lync-server-emulator/dist/cmdlets/startCsWindowsService";
import { stopCsWindowsService } from "lync-server-emulator/dist/cmdlets/stopCsWindowsService";
import type { PSObject } from "lync-server-emulator/dist/powershell/values";
import { invoke, invokeError, newTestServer, type TestServer } from "./cmdletHarness";

describe("Get-CsSipDomain and Start-/Stop-CsWindowsService", () => {
  let server: TestServer;
  beforeEach(() => {
    server = newTestServer();
  });
  afterEach(() => server.dispose());

  it("lists the SIP domains, the primary one as default", async () => {
    const { output } = await invoke(getCsSipDomain, server.host, {});
    assert.deepEqual(
      (output as PSObject[]).map((d) => [d.get("Identity"), d.get("Name"), d.get("IsDefault")]),
      [
        ["contoso.com", "contoso.com", true],
        ["contoso.net", "contoso.net", false],
      ],
    );
    assert.equal((output[0] as PSObject).typeNames[0], "Microsoft.Rtc.Management.Xds.SipDomain");
  });

  it("selects SIP domains by -Identity and by -Filter wildcard", async () => {
    const byIdentity = await invoke(getCsSipDomain, server.host, { Identity: "CONTOSO.NET" });
    assert.deepEqual(
      (byIdentity.output as PSObject[]).map((d) => d.get("Name")),
      ["contoso.net"],
    );
    const byFilter = await invoke(getCsSipDomain, server.host, { Filter: "*.com" }, { parameterSetName: "Filter" });
    assert.deepEqual(
      (byFilter.output as PSObject[]).map((d) => d.get("Name")),
      ["contoso.com"],
    );
    const none = await invoke(getCsSipDomain, server.host, { Identity: "fabrikam.com" });
    assert.deepEqual(none.output, []);
  });

  it("stops every Lync service without -Name and starts them again", async () => {
    await invoke(stopCsWindowsService, server.host, {});
    const states = server.host.serviceStates();
    assert.ok(Object.keys(states).length > 3);
    assert.ok(Object.values(states).every((s) => s === "Stopped"));
    await invoke(startCsWindowsService, server.host, {});
    assert.ok(Object.values(server.host.serviceStates()).every((s) => s === "Running"));
  });

  it("stops one service by name, case-insensitively, and spares W3SVC and RTCCLSAGT when told", async () => {
    await invoke(stopCsWindowsService, server.host, { Name: "rtcsrv" });
    assert.equal(server.host.serviceStates().RTCSRV, "Stopped");
    assert.equal(server.host.serviceStates().W3SVC, "Running");
    await invoke(stopCsWindowsService, server.host, { LeaveWebServerRunning: true, LeaveClsAgentRunning: true });
    assert.equal(server.host.serviceStates().W3SVC, "Running");
    assert.equal(server.host.serviceStates().RTCCLSAGT, "Running");
    assert.equal(server.host.serviceStates().RTCMEDSRV, "Stopped");
  });

  it("refuses a service that is not a Lync service, and another computer", async () => {
    const spooler = await invokeError(stopCsWindowsService, server.host, { Name: "Spooler" });
    assert.match(spooler.message, /"Spooler" is not a Lync Server service/);
    const remote = await invokeError(startCsWindowsService, server.host, {
      Name: "RTCSRV",
      ComputerName: "fe02.contoso.com",
    });
    assert.match(remote.message, /not supported by the Lync emulator/);
  });

  it("keeps the Front End service from starting while the Default certificate is expired", async () => {
    await invoke(stopCsWindowsService, server.host, {});
    server.host.emulator.addDays(3 * 365);
    const error = await invokeError(startCsWindowsService, server.host, {});
    assert.match(
      error.message,
      /Service RTCSRV failed to start on fe01\.contoso\.com: the Default certificate [0-9A-F]{40} expired/,
    );
    assert.equal(server.host.serviceStates().RTCSRV, "Stopped");
    assert.equal(server.host.serviceStates().W3SVC, "Running", "the other services start");
    server.host.emulator.addDays(-3 * 365);
    await invoke(startCsWindowsService, server.host, { Name: "RTCSRV" });
    assert.equal(server.host.serviceStates().RTCSRV, "Running");
  });

  it("changes nothing with -WhatIf", async () => {
    await invoke(stopCsWindowsService, server.host, {}, { whatIf: true });
    assert.ok(Object.values(server.host.serviceStates()).every((s) => s === "Running"));
  });
});
