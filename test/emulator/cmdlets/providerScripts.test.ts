// The provider's own scripts (provider/powershellScripts.ts) against these cmdlets: what the provider
// asks of a Lync server, the cmdlets answer, through the real interpreter.

import assert from "node:assert/strict";
import { serverCommands } from "lync-server-emulator/dist/cmdlets/index";
import { runScript } from "lync-server-emulator/dist/powershell/interpreter";
import {
  assignScript,
  FRIENDLY_NAME_MARKER,
  readScript,
  restoreScript,
  requestScript,
  RESULT_MARKER,
  STATE_MARKER,
} from "pulumi-lync-certificates/dist/powershellScripts";
import { quotePowerShell } from "pulumi-lync-certificates/dist/quotePowerShell";
import type { RemoteScript } from "pulumi-lync-certificates/dist/remoteInvocation";
import { writePfx } from "lync-server-emulator/dist/x509";
import { issueTestCertificate, newTestServer, type TestServer } from "./cmdletHarness";

describe("the provider's scripts against the cmdlets", () => {
  let server: TestServer;
  beforeEach(() => {
    server = newTestServer();
  });
  afterEach(() => server.dispose());

  const TEMP = "C:\\Users\\lyncadmin\\AppData\\Local\\Temp";

  // The script with its parameters bound, as the bootstrap binds them (splatted into its param block).
  async function run({ script, parameters = {} }: RemoteScript, marker: string): Promise<Record<string, unknown>> {
    const bound = Object.entries(parameters).map(([name, value]) => `${name} = ${quotePowerShell(value)}`);
    const result = await runScript(`$p = @{ ${bound.join("; ")} }\n& {\n${script}\n} @p`, {
      fileSystem: server.host.fileSystem,
      commands: serverCommands,
      host: server.host,
      now: () => server.host.now(),
      environment: { TEMP },
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const line = result.stdout.split(/\r?\n/).find((l) => l.startsWith(marker));
    assert.ok(line, `no ${marker} line in:\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(line.slice(marker.length)) as Record<string, unknown>;
  }

  for (const module of ["Lync", "SkypeForBusiness"] as const) {
    it(`reads assignments and the store with Import-Module ${module}`, async () => {
      const state = await run(readScript({ module }), STATE_MARKER);
      const assignments = state.Assignments as { Use: string; Thumbprint: string; AlternativeNames: string[] }[];
      assert.deepEqual(
        assignments.map((a) => a.Use),
        ["Default", "WebServicesInternal", "WebServicesExternal"],
      );
      const seeded = server.host.listAssignments("local")[0].thumbprint;
      assert.ok(assignments.every((a) => a.Thumbprint === seeded));
      assert.ok(assignments[0].AlternativeNames.length > 4, "the full SAN list, not the table's");
      const store = state.Store as { Thumbprint: string; HasPrivateKey: boolean; RawData: string }[];
      assert.deepEqual(
        store.map((s) => [s.Thumbprint, s.HasPrivateKey]),
        [[seeded, true]],
      );
    });
  }

  it("requests online and offline, then reads the offline request back from the REQUEST store", async () => {
    const answer = await run(
      requestScript("SkypeForBusiness", [
        {
          index: 0,
          types: ["WebServicesExternal"],
          friendlyName: `${FRIENDLY_NAME_MARKER} online`,
          keySize: 2048,
          domainNames: ["lyncdiscover.contoso.com", "lyncdiscover.contoso.net"],
          ca: "dc\\myca",
        },
        {
          index: 1,
          types: ["WebServicesInternal"],
          friendlyName: `${FRIENDLY_NAME_MARKER} offline`,
          keySize: 2048,
          domainNames: ["lyncdiscoverinternal.contoso.com"],
        },
      ]),
      RESULT_MARKER,
    );
    const results = answer.Results as {
      Index: number;
      Status: string;
      RawData: string | null;
      Error: string | null;
      Csr: string | null;
    }[];
    assert.deepEqual(
      results.map((r) => [r.Index, r.Status, r.Error]),
      [
        [0, "Issued", null],
        [1, "Waiting", null],
      ],
    );
    const issued = server.host.listCertificates().find((c) => c.friendlyName === `${FRIENDLY_NAME_MARKER} online`);
    assert.ok(issued?.privateKeyPem, "the issued certificate is found in the store by its friendly name");
    assert.ok(String(results[0].RawData).length > 100);
    assert.match(String(results[1].Csr), /BEGIN (NEW )?CERTIFICATE REQUEST/);
    assert.deepEqual(
      server.host.disk.list().filter((f) => /pulumi-lync/i.test(f)),
      [],
      "the CSR file is removed from the server's disk",
    );

    const state = await run(readScript({ module: "SkypeForBusiness" }), STATE_MARKER);
    const requests = state.Requests as { Thumbprint: string; FriendlyName: string; RawData: string }[];
    assert.equal(requests.length, 1);
    assert.equal(requests[0].FriendlyName, `${FRIENDLY_NAME_MARKER} offline`);
    assert.equal(requests[0].Thumbprint, server.host.listPendingRequests()[0].thumbprint);
    assert.ok(requests[0].RawData.length > 100);
  });

  it("finds a request the CA keeps pending in the REQUEST store, with its request ID from -List", async () => {
    server.host.emulator.setCaBehavior({ kind: "pending" });
    const answer = await run(
      requestScript("Lync", [
        {
          index: 0,
          types: ["Default", "WebServicesInternal"],
          friendlyName: `${FRIENDLY_NAME_MARKER} pending`,
          keySize: 2048,
          domainNames: [],
          ca: "dc\\myca",
        },
      ]),
      RESULT_MARKER,
    );
    const [result] = answer.Results as { Status: string; Error: string | null }[];
    assert.deepEqual([result.Status, result.Error], ["Waiting", null]);
    const pending = answer.Pending as { RequestId: string; CertificateUses: string }[];
    assert.equal(pending.length, 1);
    assert.match(pending[0].RequestId, /^\d+$/);
    assert.equal(pending[0].CertificateUses, "Default,WebServicesInternal");
  });

  it("reports a denied request with the CA's text", async () => {
    server.host.emulator.setCaBehavior({ kind: "deny" });
    const answer = await run(
      requestScript("Lync", [
        { index: 0, types: ["Default"], friendlyName: "x", keySize: 2048, domainNames: [], ca: "dc\\myca" },
      ]),
      RESULT_MARKER,
    );
    const [result] = answer.Results as { Status: string; Error: string }[];
    assert.equal(result.Status, "None");
    assert.match(result.Error, /Denied by Policy Module 0x80094800/);
  });

  it("imports a PFX, assigns usages one by one, then restores them", async () => {
    const seeded = server.host.listAssignments("local")[0].thumbprint;
    const issued = issueTestCertificate(server);
    const pfx = Buffer.from(writePfx(issued.certificatePem, issued.privateKeyPem, "pfx-pass")).toString("base64");
    const assigned = await run(
      assignScript(
        "SkypeForBusiness",
        [{ base64: pfx, extension: "pfx", password: "pfx-pass" }],
        [
          { types: ["WebServicesExternal"], thumbprint: issued.thumbprint },
          { types: ["WebServicesInternal"], thumbprint: issued.thumbprint },
        ],
      ),
      RESULT_MARKER,
    );
    assert.equal(assigned.Failure, null);
    const use = (type: string) => server.host.listAssignments("local").find((a) => a.type === type);
    assert.equal(use("WebServicesExternal")?.thumbprint, issued.thumbprint);
    assert.equal(use("WebServicesInternal")?.previousThumbprint, seeded);
    assert.deepEqual(
      server.host.disk.list().filter((f) => /pulumi-lync/i.test(f)),
      [],
      "the PFX is removed from the server's disk",
    );

    const restored = await run(
      restoreScript("SkypeForBusiness", [
        { type: "WebServicesExternal", thumbprint: seeded },
        { type: "WebServicesInternal" },
      ]),
      RESULT_MARKER,
    );
    assert.deepEqual(restored.Errors, []);
    assert.equal(use("WebServicesExternal")?.thumbprint, seeded);
    assert.equal(use("WebServicesInternal"), undefined);
  });

  it("removes the PFX from the server's disk when its import fails", async () => {
    const issued = issueTestCertificate(server);
    const pfx = Buffer.from(writePfx(issued.certificatePem, issued.privateKeyPem, "pfx-pass")).toString("base64");
    const answer = await run(
      assignScript("Lync", [{ base64: pfx, extension: "pfx", password: "wrong" }], []),
      RESULT_MARKER,
    );
    assert.ok(answer.Failure, "the import fails");
    assert.deepEqual(
      server.host.disk.list().filter((f) => /pulumi-lync/i.test(f)),
      [],
    );
  });

  it("reports a failed assignment (a thumbprint not in the store) and still reads the assignments back", async () => {
    const answer = await run(
      assignScript("Lync", [], [{ types: ["Default"], thumbprint: "00112233445566778899AABBCCDDEEFF00112233" }]),
      RESULT_MARKER,
    );
    assert.match(String(answer.Failure), /not found in certificate store/);
    assert.equal((answer.Assignments as unknown[]).length, 3);
  });
});
