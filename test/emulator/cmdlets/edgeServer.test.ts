// An Edge Server of the sample topology through real scripts: the usages it takes, the names
// Request-CsCertificate computes for them, offline requests only, and the topology it reads.

import assert from "node:assert/strict";
import { serverCommands } from "lync-server-emulator/dist/cmdlets/index";
import { runScript } from "lync-server-emulator/dist/powershell/interpreter";
import type { ScriptResult } from "lync-server-emulator/dist/powershell/session";
import { readCsr } from "lync-server-emulator/dist/x509";
import { newTestServer, storeTestCertificate, type TestServer } from "./cmdletHarness";

describe("an Edge Server's certificates", function () {
  this.timeout(30_000);
  let server: TestServer;
  beforeEach(() => {
    server = newTestServer("edge01.contoso.com");
  });
  afterEach(() => server.dispose());

  const run = (script: string, host = server.host): Promise<ScriptResult> =>
    runScript(`Import-Module Lync\n${script}`, {
      fileSystem: host.fileSystem,
      commands: serverCommands,
      host,
      now: () => host.now(),
    });
  const csrAt = (path: string) => readCsr(new TextDecoder().decode(server.host.fileSystem.read(path)!));

  it("assigns every Edge usage, XmppServer included where the pool federates over XMPP", async () => {
    const thumbprint = storeTestCertificate(server);
    const types = ["Internal", "AccessEdgeExternal", "DataEdgeExternal", "AudioVideoAuthentication", "XmppServer"];
    for (const type of types) {
      const result = await run(`Set-CsCertificate -Type ${type} -Thumbprint ${thumbprint}`);
      assert.equal(result.exitCode, 0, result.stderr);
    }
    assert.deepEqual(
      server.host.listAssignments("local").map((a) => a.type),
      types,
    );
  });

  it("refuses the Front End usages on an Edge Server and the Edge usages on a Front End", async () => {
    const thumbprint = storeTestCertificate(server);
    const onEdge = await run(`Set-CsCertificate -Type Default -Thumbprint ${thumbprint}`);
    assert.match(onEdge.stderr, /CertificateTypeNotValidForRole/);
    const frontEnd = server.server("fe01.contoso.com");
    const onFrontEnd = await run(`Request-CsCertificate -New -Type AccessEdgeExternal -Output C:\\fe.csr`, frontEnd);
    assert.match(onFrontEnd.stderr, /CertificateTypeNotValidForRole/);
    assert.deepEqual(server.host.listAssignments("local"), []);
  });

  it("computes the external names of Microsoft's Edge table: Access Edge, Web Conferencing Edge, sip.<domain>", async () => {
    const result = await run(
      "Request-CsCertificate -New -Type AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication -Output C:\\ext.csr -AllSipDomain",
    );
    assert.equal(result.exitCode, 0, result.stderr);
    const csr = csrAt("C:\\ext.csr");
    assert.equal(csr.subject, "CN=sip.contoso.com");
    assert.deepEqual(csr.dnsNames, ["sip.contoso.com", "webcon.contoso.com", "sip.contoso.net"]);
  });

  it("adds xmpp.<domain> and *.<domain> for XmppServer, and names the internal certificate after the pool", async () => {
    await run("Request-CsCertificate -New -Type AccessEdgeExternal,XmppServer -Output C:\\xmpp.csr");
    assert.deepEqual(csrAt("C:\\xmpp.csr").dnsNames, ["sip.contoso.com", "xmpp.contoso.com", "*.contoso.com"]);
    await run("Request-CsCertificate -New -Type Internal -Output C:\\int.csr");
    const internal = csrAt("C:\\int.csr");
    assert.equal(internal.subject, "CN=edgepool.contoso.com");
    assert.ok(!internal.dnsNames.some((n) => n.startsWith("edge01")), internal.dnsNames.join(", "));
  });

  it("cannot enroll online from an Edge Server: the request fails before reaching the CA", async () => {
    const result = await run("Request-CsCertificate -New -Type Internal -Ca dc\\myca");
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /Unable to contact certification authority "dc\\myca" from edge01\.contoso\.com/);
    assert.equal(server.state.authority("dc\\myca")!.state.requestCount, 0);
    assert.deepEqual(server.host.listCertificates(), []);
  });

  it("shows the Edge pool and its external names through Get-CsPool and Get-CsService -EdgeServer", async () => {
    const result = await run(
      "$p = Get-CsPool -Identity edgepool.contoso.com; $s = Get-CsService -EdgeServer -PoolFqdn $p.Fqdn\n" +
        "$p.Computers -join ','; $s.AccessEdgeExternalFqdn; $s.DataEdgeExternalFqdn; $s.AVEdgeExternalFqdn; $s.XmppListeningPort; @(Get-CsService -EdgeServer).Count",
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split(/\r?\n/), [
      "edge01.contoso.com,edge02.contoso.com",
      "sip.contoso.com",
      "webcon.contoso.com",
      "av.contoso.com",
      "5269",
      "1",
    ]);
  });
});

describe("an Edge pool without XMPP federation", () => {
  it("refuses XmppServer", async () => {
    const { checkUsagesForRole } = await import("lync-server-emulator/dist/cmdlets/lyncRules");
    const pool = {
      role: "Edge" as const,
      fqdn: "edgepool.contoso.com",
      edge: {
        accessEdgeFqdn: "sip.contoso.com",
        webConferencingEdgeFqdn: "w.contoso.com",
        audioVideoEdgeFqdn: "av.contoso.com",
      },
    };
    assert.throws(
      () => checkUsagesForRole("Set-CsCertificate", ["XmppServer"], pool, "edge01"),
      /XMPP federation is not enabled/,
    );
    assert.doesNotThrow(() => checkUsagesForRole("Set-CsCertificate", ["AccessEdgeExternal"], pool, "edge01"));
  });
});
