// examples/separate-certificates end to end: one certificate per usage, each assigned on its own.

import assert from "node:assert/strict";
import { startExampleEnvironment, type ExampleEnvironment } from "../support/exampleEnvironment";
import type { AdminServer, AssignedCertificate } from "../../scripts/support/lyncAdmin";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";
import { poolStackConfig, readSampleTopology } from "../../scripts/support/sampleStackConfig";

describe("examples/separate-certificates with the real pulumi CLI", function () {
  this.timeout(5 * 60_000);
  const sample = readSampleTopology();
  let env: ExampleEnvironment | undefined;
  let servers: AdminServer[];
  let deployed: AssignedCertificate[];

  const live = () => env!.admin.getCsCertificateOnEach(servers);

  before(async function () {
    this.timeout(ENGINE_BUILD_TIMEOUT_MS);
    await requirePulumiEngine(this);
    env = await startExampleEnvironment("separate-certificates", (emulator, credentials) =>
      poolStackConfig(emulator.servers, credentials),
    );
    servers = sample.frontEndPool.servers.map((fqdn) => env!.emulator.server(fqdn));
  });

  after(async function () {
    this.timeout(2 * 60_000);
    await env?.dispose();
  });

  it("assigns three different certificates per server on pulumi up, each with the names of its usage", async () => {
    const startOfRun = new Date().toISOString();
    await env!.stack.up();
    deployed = await live();
    const { externalWebFqdn, internalWebFqdn } = sample.frontEndPool;
    for (const server of servers) {
      const byUse = new Map(deployed.filter((r) => r.server === server.fqdn).map((r) => [r.use, r]));
      const thumbprints = ["Default", "WebServicesInternal", "WebServicesExternal"].map(
        (u) => byUse.get(u)?.thumbprint,
      );
      assert.equal(
        new Set(thumbprints).size,
        3,
        `${server.fqdn}: three different certificates: ${thumbprints.join(", ")}`,
      );
      const names = (use: string) => byUse.get(use)!.alternativeNames.map((n) => n.toLowerCase());
      assert.ok(names("Default").includes(server.fqdn), "Default carries the server FQDN");
      assert.ok(names("WebServicesInternal").includes(internalWebFqdn), "the internal web FQDN");
      assert.ok(names("WebServicesExternal").includes(externalWebFqdn), "the external web FQDN");
      for (const domain of sample.sipDomains) {
        assert.ok(names("WebServicesInternal").includes(`lyncdiscoverinternal.${domain}`));
        assert.ok(names("WebServicesExternal").includes(`lyncdiscover.${domain}`));
        assert.ok(!names("Default").includes(`lyncdiscover.${domain}`), "Autodiscover names stay off Default");
      }
    }
    // The procedure's vital rule, seen from the server: with different certificates no
    // Set-CsCertificate call ever names several types.
    for (const server of servers) {
      const sets = (await env!.admin.auditLog(server)).filter(
        (e) => e.command === "Set-CsCertificate" && e.wallTime >= startOfRun,
      );
      assert.ok(sets.length >= 3, `${server.fqdn}: one Set-CsCertificate per usage (${sets.length})`);
      for (const entry of sets) {
        const types = ([] as unknown[]).concat(entry.parameters.Type ?? []);
        assert.equal(types.length, 1, `${server.fqdn}: Set-CsCertificate -Type ${types.join(",")} names one type`);
      }
    }
  });

  it("passes preview --expect-no-changes after up", async () => {
    const preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(preview.code, 0, preview.output);
  });

  it("refreshes without changing what is assigned, and stays quiet", async () => {
    await env!.stack.refresh();
    const preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(preview.code, 0, preview.output);
    assert.deepEqual(
      (await live()).map((r) => [r.server, r.use, r.thumbprint]),
      deployed.map((r) => [r.server, r.use, r.thumbprint]),
    );
  });

  it("destroys the stack and leaves the servers serving", async () => {
    await env!.stack.destroy();
    const exported = await env!.stack.exportState();
    assert.equal(
      (exported.deployment.resources ?? []).filter((r) => r.type.endsWith("CertificateAssignment")).length,
      0,
      "no CertificateAssignment left in the state",
    );
    assert.deepEqual(
      (await live()).map((r) => r.thumbprint),
      deployed.map((r) => r.thumbprint),
    );
  });
});
