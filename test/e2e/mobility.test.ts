// Issue 4's end-to-end acceptance, on examples/mobility: the real pulumi CLI, the provider in the
// engine's own process, the emulator as its own process, checked on the live servers over SSH.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startExampleEnvironment, type ExampleEnvironment } from "../support/exampleEnvironment";
import type { ExampleStack } from "../../scripts/support/exampleStack";
import type { AdminServer, AssignedCertificate, LyncAdmin } from "../../scripts/support/lyncAdmin";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";
import { poolStackConfig, readSampleTopology } from "../../scripts/support/sampleStackConfig";
import { filesContaining } from "../support/filesContaining";
import { TRANSPORTS } from "../../scripts/support/transports";

/** A CertificateAssignment's outputs as `pulumi stack export` holds them. */
interface StateOutputs {
  certificates: { usages: string[]; thumbprint?: string; previousThumbprints?: Record<string, string> }[];
}

const USAGES = ["Default", "WebServicesInternal", "WebServicesExternal"];
const DAY_MS = 86_400_000;

for (const transport of TRANSPORTS)
  describe(`examples/mobility with the real pulumi CLI over ${transport}`, function () {
    this.timeout(5 * 60_000);
    const sample = readSampleTopology();
    let env: ExampleEnvironment | undefined;
    let stack: ExampleStack | undefined;
    let admin: LyncAdmin;
    // Canaries: unique strings that must never reach the state in plaintext.
    let password: string;
    let passphrase: string;
    let servers: AdminServer[];
    let initial: AssignedCertificate[];
    let deployed: AssignedCertificate[];

    const live = (list: readonly AdminServer[] = servers) => admin.getCsCertificateOnEach(list);

    function assertMobility(rows: readonly AssignedCertificate[], server: string): AssignedCertificate {
      const mine = rows.filter((r) => r.server === server && USAGES.includes(r.use));
      assert.deepEqual(mine.map((r) => r.use).sort(), [...USAGES].sort(), `${server} serves every usage`);
      assert.equal(new Set(mine.map((r) => r.thumbprint)).size, 1, `${server} serves one combined certificate`);
      const names = mine[0].alternativeNames.map((n) => n.toLowerCase());
      for (const domain of sample.sipDomains) {
        assert.ok(
          names.includes(`lyncdiscover.${domain}`),
          `${server} has lyncdiscover.${domain}: ${names.join(", ")}`,
        );
        assert.ok(names.includes(`lyncdiscoverinternal.${domain}`), `${server} has lyncdiscoverinternal.${domain}`);
      }
      for (const name of [server, sample.frontEndPool.fqdn, sample.frontEndPool.externalWebFqdn]) {
        assert.ok(names.includes(name), `${server} keeps ${name}`);
      }
      return mine[0];
    }

    async function stateOutputsOf(server: string): Promise<StateOutputs> {
      const exported = await stack!.exportState();
      const resource = (exported.deployment.resources ?? []).find(
        (r) => r.type.endsWith("CertificateAssignment") && r.urn.endsWith(`::${server}`),
      );
      assert.ok(resource, `the state holds a CertificateAssignment for ${server}`);
      return resource.outputs as StateOutputs;
    }

    before(async function () {
      this.timeout(ENGINE_BUILD_TIMEOUT_MS);
      await requirePulumiEngine(this);
      env = await startExampleEnvironment("mobility", (emulator, credentials) =>
        poolStackConfig(emulator.servers, credentials, transport),
      );
      ({ stack, admin, password, passphrase } = env);
      servers = sample.frontEndPool.servers.map((fqdn) => env!.emulator.server(fqdn));
      initial = await live();
    });

    after(async function () {
      this.timeout(2 * 60_000);
      await env?.dispose();
    });

    it("assigns a combined certificate with every Autodiscover name on each server on pulumi up", async () => {
      assert.ok(
        initial.every((r) => !r.alternativeNames.some((n) => n.toLowerCase().startsWith("lyncdiscover"))),
        "the sample servers start without Autodiscover names",
      );
      await stack!.up();
      deployed = await live();
      for (const server of servers) {
        const assigned = assertMobility(deployed, server.fqdn);
        assert.ok(
          !initial.some((r) => r.thumbprint === assigned.thumbprint),
          `${server.fqdn} serves a new certificate`,
        );
        assert.match(assigned.issuer, /contoso-DC-CA/, "issued by the sample CA dc\\myca");
      }
      const sessions = async () =>
        Promise.all(
          servers.map(async (s) => (await admin.auditLog(s)).filter((e) => e.command === "Import-Module").length),
        );
      // Each WinRM shell is hosted by a winrshost.exe of its own, which process auditing records.
      const shells = async () =>
        Promise.all(
          servers.map(async (s) => (await admin.run(s, "Get-EmulatorProcessLog")).match(/WinrsHost/gi)?.length ?? 0),
        );
      const before = await sessions();
      const shellsBefore = await shells();
      const preview = await stack!.preview(["--expect-no-changes"]);
      assert.equal(preview.code, 0, `preview --expect-no-changes passes right after up:\n${preview.output}`);
      // Pulumi.yaml refreshes always: the engine reads each server in a refresh step and diffs it twice
      // (in the refresh step and against the program); both diffs use that reading.
      const after = await sessions();
      assert.deepEqual(
        after.map((count, i) => count - before[i]),
        servers.map(() => 1),
        "one remote session per server per preview",
      );
      const shellsAfter = await shells();
      assert.deepEqual(
        shellsAfter.map((count, i) => count - shellsBefore[i]),
        servers.map(() => (transport === "winrm" ? 1 : 0)),
        "over WinRM, one shell per server per preview",
      );
    });

    it("fails preview --expect-no-changes after an out-of-band Set-CsCertificate and names the server and usage", async () => {
      const victim = servers[0];
      const old = initial.find((r) => r.server === victim.fqdn && r.use === "Default")!;
      await admin.setCsCertificate(victim, ["WebServicesExternal"], old.thumbprint);
      const preview = await stack!.preview(["--expect-no-changes"]);
      assert.notEqual(preview.code, 0, `preview --expect-no-changes fails on drift:\n${preview.output}`);
      // One line must say both which server and which usage: every emulated server is 127.0.0.1.
      const lines = preview.output.split("\n");
      assert.ok(
        lines.some((line) => line.includes(victim.fqdn) && line.includes("WebServicesExternal")),
        `preview names the drift with the server and the usage in one line:\n${preview.output}`,
      );
      assert.ok(
        !lines.some((line) => line.includes(servers[1].fqdn) && line.includes("WebServicesExternal")),
        `preview does not blame ${servers[1].fqdn}, which did not drift:\n${preview.output}`,
      );
    });

    it("records the live state on pulumi refresh", async () => {
      // Set-CsCertificate moved the deployed certificate into WebServicesExternal's previous slot; only
      // a read of the live server can know that.
      const victim = servers[0];
      const old = initial.find((r) => r.server === victim.fqdn && r.use === "Default")!;
      const ours = deployed.find((r) => r.server === victim.fqdn && r.use === "Default")!;
      const serving = await live([victim]);
      assert.equal(serving.find((r) => r.use === "WebServicesExternal")?.thumbprint, old.thumbprint);
      const previousOf = (outputs: StateOutputs) =>
        outputs.certificates.find((c) => c.usages.includes("WebServicesExternal"))?.previousThumbprints
          ?.WebServicesExternal;
      assert.equal(previousOf(await stateOutputsOf(victim.fqdn)), old.thumbprint, "before refresh: the state at up");
      await stack!.refresh();
      const refreshed = await stateOutputsOf(victim.fqdn);
      assert.equal(
        previousOf(refreshed),
        ours.thumbprint,
        `after refresh the state records the server's previous certificate for WebServicesExternal:\n${JSON.stringify(refreshed, null, 2)}`,
      );
    });

    it("converges on pulumi up and then passes preview --expect-no-changes", async () => {
      await stack!.up();
      const rows = await live();
      for (const server of servers) assertMobility(rows, server.fqdn);
      const preview = await stack!.preview(["--expect-no-changes"]);
      assert.equal(preview.code, 0, `preview --expect-no-changes passes after convergence:\n${preview.output}`);
      deployed = rows;
    });

    it("shows a renewal due in preview once the clock passes the renewal time, and renews on pulumi up", async () => {
      const outputs = (await stack!.outputs()).certificates as Record<
        string,
        { renewalTime: string; notAfter: string }[]
      >;
      const renewal = Math.max(
        ...Object.values(outputs).flatMap((entries) => entries.map((e) => Date.parse(e.renewalTime))),
      );
      const issued = Math.min(...deployed.map((r) => Date.parse(r.notBefore)));
      assert.ok(Number.isFinite(renewal), `outputs carry renewalTime: ${JSON.stringify(outputs)}`);
      const days = Math.ceil((renewal - Math.max(issued, Date.now())) / DAY_MS) + 2;
      for (const server of servers) await admin.addDays(server, days);

      const preview = await stack!.preview(["--expect-no-changes"]);
      assert.notEqual(preview.code, 0, `preview reports the renewal:\n${preview.output}`);
      assert.match(preview.output, /renew/i, "preview says renewal is due");
      assert.ok(
        servers.every((s) => preview.output.includes(s.fqdn)),
        `preview names each server:\n${preview.output}`,
      );

      await stack!.up();
      const renewed = await live();
      for (const server of servers) {
        const now = assertMobility(renewed, server.fqdn);
        const was = deployed.find((r) => r.server === server.fqdn && r.use === "Default")!;
        assert.notEqual(now.thumbprint, was.thumbprint, `${server.fqdn} serves a renewed certificate`);
        assert.ok(Date.parse(now.notAfter) > Date.parse(was.notAfter), `${server.fqdn}: the new one expires later`);
      }
      const settled = await stack!.preview(["--expect-no-changes"]);
      assert.equal(settled.code, 0, `no renewal loop: preview is quiet after renewing:\n${settled.output}`);
    });

    it("keeps the password, the passphrase and every private key out of the state and the stack config", async () => {
      // The canary really is the stack's secret (so its absence below means something).
      const configured = await stack!.expectSuccess(["config", "get", "password"], "reading the password back");
      assert.equal(configured.stdout.trim(), password);
      const exported = JSON.stringify(await stack!.exportState());
      assert.ok(!exported.includes(password), "stack export holds no plaintext password");
      assert.ok(fs.readdirSync(env!.backendDir).length > 0, "the backend holds the stack");
      const places = [env!.backendDir, stack!.configFile];
      for (const canary of [password, passphrase, "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]) {
        assert.deepEqual(
          filesContaining(places, canary),
          [],
          `no file of the backend or stack config contains ${canary}`,
        );
      }
      // The search can fail: a decoy file holding the canary is found.
      const decoy = path.join(env!.work, "decoy", "state.json");
      fs.mkdirSync(path.dirname(decoy), { recursive: true });
      fs.writeFileSync(decoy, JSON.stringify({ password }));
      assert.deepEqual(filesContaining([path.dirname(decoy)], password), [decoy]);
    });

    it("leaves the certificates assigned on pulumi destroy (the default deletion policy)", async () => {
      const beforeDestroy = await live();
      await stack!.destroy();
      const after = await live();
      assert.deepEqual(
        after.map((r) => [r.server, r.use, r.thumbprint]),
        beforeDestroy.map((r) => [r.server, r.use, r.thumbprint]),
      );
    });
  });
