// examples/pool-rollout end to end: the emulator's audit log proves the Lync services were
// restarted one server at a time, each only after that server's new certificate was assigned.

import assert from "node:assert/strict";
import { filesContaining } from "../support/filesContaining";
import { startExampleEnvironment, type ExampleEnvironment } from "../support/exampleEnvironment";
import type { AdminServer, AssignedCertificate, AuditEntry } from "../../scripts/support/lyncAdmin";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";
import { poolStackConfig, readSampleTopology } from "../../scripts/support/sampleStackConfig";

const DAY_MS = 86_400_000;

/** The rollout's steps per server, in wall-clock order across the pool. */
interface Step {
  readonly server: string;
  readonly kind: "assign" | "stop" | "start";
  readonly wallTime: string;
  /** Set-CsCertificate's -Thumbprint. */
  readonly thumbprint?: string;
}

function stepsSince(log: readonly AuditEntry[], since: string): Step[] {
  const kinds: Record<string, Step["kind"]> = {
    "Set-CsCertificate": "assign",
    "Stop-CsWindowsService": "stop",
    "Start-CsWindowsService": "start",
  };
  return log
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry.wallTime >= since && kinds[entry.command] !== undefined)
    .sort((a, b) => a.entry.wallTime.localeCompare(b.entry.wallTime) || a.index - b.index)
    .map(({ entry }) => ({
      server: entry.server,
      kind: kinds[entry.command],
      wallTime: entry.wallTime,
      thumbprint: typeof entry.parameters.Thumbprint === "string" ? entry.parameters.Thumbprint : undefined,
    }));
}

/** Asserts: every server restarted once, after the assignment of its new certificate; no two servers down at once. */
function assertOneServerAtATime(steps: readonly Step[], newThumbprints: ReadonlyMap<string, string>): void {
  const servers = [...newThumbprints.keys()];
  const trace = steps.map((s) => `${s.wallTime} ${s.server} ${s.kind}`).join("\n");
  const down = new Set<string>();
  for (const step of steps) {
    if (step.kind === "stop") {
      assert.equal(down.size, 0, `${step.server} stops while ${[...down].join(", ")} is down:\n${trace}`);
      down.add(step.server);
    } else if (step.kind === "start") {
      down.delete(step.server);
    }
  }
  assert.equal(down.size, 0, `every stopped server started again:\n${trace}`);
  for (const server of servers) {
    const mine = steps.filter((s) => s.server === server);
    const stop = mine.findIndex((s) => s.kind === "stop");
    const start = mine.findIndex((s) => s.kind === "start");
    const lastAssign = mine.map((s) => s.kind).lastIndexOf("assign");
    assert.ok(stop >= 0 && start > stop, `${server} is stopped, then started:\n${trace}`);
    assert.ok(lastAssign >= 0 && lastAssign < stop, `${server} is restarted only after its assignment:\n${trace}`);
    assert.equal(
      mine[lastAssign].thumbprint?.toUpperCase(),
      newThumbprints.get(server),
      `${server}: the assignment before the restart is of its new certificate:\n${trace}`,
    );
    assert.equal(mine.filter((s) => s.kind === "stop").length, 1, `${server} restarts once:\n${trace}`);
  }
}

function defaultThumbprints(rows: readonly AssignedCertificate[]): Map<string, string> {
  return new Map(rows.filter((r) => r.use === "Default").map((r) => [r.server, r.thumbprint.toUpperCase()]));
}

describe("examples/pool-rollout with the real pulumi CLI", function () {
  this.timeout(5 * 60_000);
  const sample = readSampleTopology();
  let env: ExampleEnvironment | undefined;
  let servers: AdminServer[];
  let deployed: AssignedCertificate[];

  async function auditSteps(since: string): Promise<Step[]> {
    const log: AuditEntry[] = [];
    for (const server of servers) log.push(...(await env!.admin.auditLog(server)));
    return stepsSince(log, since);
  }

  const live = () => env!.admin.getCsCertificateOnEach(servers);

  before(async function () {
    this.timeout(ENGINE_BUILD_TIMEOUT_MS);
    await requirePulumiEngine(this);
    env = await startExampleEnvironment("pool-rollout", (emulator, credentials) =>
      poolStackConfig(emulator.servers, credentials),
    );
    servers = sample.frontEndPool.servers.map((fqdn) => env!.emulator.server(fqdn));
    // Each server stays down for a second between stop and start, so restarts that ran concurrently
    // would overlap in the audit log rather than slip through by luck.
    for (const server of servers) {
      await env.admin.run(server, "Set-EmulatorFault -Kind latency -Command Start-CsWindowsService -Milliseconds 1000");
    }
  });

  after(async function () {
    this.timeout(2 * 60_000);
    await env?.dispose();
  });

  it("assigns on every server and restarts the services one server at a time, each after its assignment", async () => {
    const since = new Date().toISOString();
    const initial = await live();
    await env!.stack.up();
    deployed = await live();
    for (const server of servers) {
      const mine = deployed.filter((r) => r.server === server.fqdn);
      assert.ok(mine.length >= 3, `${server.fqdn}: every usage assigned`);
      assert.equal(new Set(mine.map((r) => r.thumbprint)).size, 1, `${server.fqdn}: one combined certificate`);
      assert.ok(!initial.some((r) => r.thumbprint === mine[0].thumbprint), `${server.fqdn}: a new certificate`);
    }
    assertOneServerAtATime(await auditSteps(since), defaultThumbprints(deployed));
  });

  it("restarts nothing when nothing changed (preview --expect-no-changes passes)", async () => {
    const preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(preview.code, 0, preview.output);
  });

  it("renews and restarts again, one server at a time, when the renewal time passes", async () => {
    const days =
      Math.ceil(
        Math.max(
          ...deployed.map((r) => {
            const start = Date.parse(r.notBefore);
            return (Date.parse(r.notAfter) - start) * (2 / 3) + start - Date.now();
          }),
        ) / DAY_MS,
      ) + 2;
    for (const server of servers) await env!.admin.addDays(server, days);
    const since = new Date().toISOString();
    await env!.stack.up();
    const renewed = await live();
    for (const server of servers) {
      const now = renewed.find((r) => r.server === server.fqdn && r.use === "Default")!;
      const was = deployed.find((r) => r.server === server.fqdn && r.use === "Default")!;
      assert.notEqual(now.thumbprint, was.thumbprint, `${server.fqdn} renewed`);
    }
    assertOneServerAtATime(await auditSteps(since), defaultThumbprints(renewed));
    deployed = renewed;
  });

  it("keeps the SSH password out of the state, the restart commands' connections included", async () => {
    const exported = JSON.stringify(await env!.stack.exportState());
    assert.ok(exported.includes("command:remote:Command"), "the state holds the restart commands");
    assert.ok(!exported.includes(env!.password), "stack export holds no plaintext password");
    assert.deepEqual(filesContaining([env!.backendDir, env!.stack.configFile], env!.password), []);
  });

  it("refreshes and destroys", async () => {
    await env!.stack.refresh();
    const preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(preview.code, 0, preview.output);
    await env!.stack.destroy();
    assert.deepEqual(
      (await live()).map((r) => r.thumbprint),
      deployed.map((r) => r.thumbprint),
      "destroy leaves the certificates assigned",
    );
  });
});
