// managementModule against servers of each product: detected when not set (one read session, as
// always), and a module the server lacks refused with the one it has.

import assert from "node:assert/strict";
import { certificateAssignmentProvider as provider } from "pulumi-lync-certificates/dist/certificateAssignmentProvider";
import type { ProviderOutputs } from "pulumi-lync-certificates/dist/outputs";
import { loadTopology, SAMPLE_TOPOLOGY_PATH } from "lync-server-emulator/dist/topology";
import {
  assignments,
  connectionTo,
  FE01,
  sessionCount,
  startFixture,
  stopFixture,
  type EmulatorFixture,
} from "./support/emulatorFixture";

const WEB = ["Default", "WebServicesInternal", "WebServicesExternal"];

/** The sample topology with fe01's pool on Skype for Business Server 2019 (dir01 stays Lync Server 2013). */
function sfbTopology() {
  const sample = loadTopology(SAMPLE_TOPOLOGY_PATH);
  return { ...sample, pools: [{ ...sample.pools[0], version: "SfB2019" as const }, ...sample.pools.slice(1)] };
}

function inputs(f: EmulatorFixture, module?: string) {
  return {
    connection: connectionTo(f),
    ...(module ? { managementModule: module } : {}),
    // As the CertificateAssignment class sends it.
    resourceKey: "0dd1e5e5",
    certificates: [
      { usages: WEB, subjectAlternativeNames: ["fe01.contoso.com", "pool01.contoso.com"], ca: "dc\\myca" },
    ],
    // Mobility's names are not on the seeded certificate: a new one is requested and assigned.
    sipDomains: [{ name: "contoso.com", mobility: true }],
  };
}

async function create(raw: unknown): Promise<{ id: string; outs: ProviderOutputs }> {
  const checked = await provider.check!({}, raw);
  assert.deepEqual(checked.failures ?? [], []);
  return (await provider.create(checked.inputs)) as { id: string; outs: ProviderOutputs };
}

function importedModules(f: EmulatorFixture): unknown[] {
  return f.emulator
    .host(FE01)
    .emulator.auditLog()
    .filter((e) => e.command === "Import-Module")
    .map((e) => e.parameters.Name);
}

describe("managementModule against each product's servers", function () {
  this.timeout(60_000);
  let fixture: EmulatorFixture | undefined;
  beforeEach(async () => {
    fixture = await startFixture(sfbTopology());
  });
  afterEach(async () => {
    await stopFixture(fixture);
    fixture = undefined;
  });

  it("uses the module the server has when managementModule is not set", async () => {
    const f = fixture!;
    const before = assignments(f);
    const { id, outs } = await create(inputs(f));
    const after = assignments(f);
    assert.notEqual(after.Default, before.Default);
    assert.equal(outs.certificates[0].thumbprint, after.Default);
    assert.ok(importedModules(f).length > 0);
    assert.ok(
      importedModules(f).every((name) => JSON.stringify(name) === JSON.stringify(["SkypeForBusiness"])),
      JSON.stringify(importedModules(f)),
    );
    const sessions = sessionCount(f);
    const { changes } = await provider.diff!(id, outs, inputs(f));
    assert.equal(changes, false);
    assert.equal(sessionCount(f) - sessions, 1, "diff still reads the server in one PowerShell session");
  });

  it("refuses a managementModule the server lacks, naming the field, the value and the module it has", async () => {
    const f = fixture!;
    const before = assignments(f);
    const requests = f.emulator.certificationAuthority().requestCount;
    await assert.rejects(create(inputs(f, "Lync")), (error: Error) => {
      assert.match(
        error.message,
        /managementModule is "Lync", but the server has no Lync module; it has SkypeForBusiness/,
      );
      assert.match(error.message, /set managementModule to "SkypeForBusiness", or leave it unset/);
      return true;
    });
    assert.deepEqual(assignments(f), before, "nothing changed");
    assert.equal(f.emulator.certificationAuthority().requestCount, requests, "no certificate was requested");
  });
});
