// `npm run demo`: the mobility example end to end on the emulator with the real Pulumi engine.
// Every stage checks what it claims on the live servers (over SSH, as an admin would) and the demo
// exits non-zero, without a stack trace, as soon as one does not hold.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT, startEmulatorProcess, type EmulatorProcess } from "./support/emulatorProcess";
import { ExampleStack, type PulumiResult } from "./support/exampleStack";
import { LyncAdmin, type AdminServer, type AssignedCertificate } from "./support/lyncAdmin";
import { poolStackConfig, readSampleTopology } from "./support/sampleStackConfig";
import { renderCertificateTable } from "./renderCertificateTable";

const USER = "lyncadmin";
const MOBILITY_USAGES = ["Default", "WebServicesInternal", "WebServicesExternal"];
const DAY_MS = 24 * 60 * 60 * 1000;

/** A stage's check failed: printed as one line, no stack. */
class StageFailure extends Error {}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const green = (s: string) => (color ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s: string) => (color ? `\x1b[31m${s}\x1b[0m` : s);
const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);

let stageNumber = 0;
function stage(title: string): void {
  stageNumber += 1;
  console.log(`\n${bold(`== Stage ${stageNumber}: ${title} ==`)}`);
}
function step(text: string): void {
  console.log(`  ${dim("$")} ${text}`);
}
function ok(text: string): void {
  console.log(`  ${green("✔")} ${text}`);
}
function check(condition: boolean, claim: string, detail = ""): void {
  if (!condition) throw new StageFailure(`${claim}${detail ? `\n${detail}` : ""}`);
  ok(claim);
}
function indent(text: string, lines?: (line: string) => boolean): string {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "" && (lines ? lines(line) : true))
    .map((line) => `    ${line}`)
    .join("\n");
}

/** The part of `pulumi preview`/`up` output a reader wants: the resource lines, diagnostics, summary. */
function showPulumiOutput(result: PulumiResult): void {
  const kept: string[] = [];
  let inOutputs = false;
  for (const line of result.output.replace(/\r/g, "").split("\n")) {
    // The stack outputs repeat what the table shows; the progress dots carry nothing.
    if (/^Outputs:/.test(line)) inOutputs = true;
    else if (/^(Resources|Diagnostics|Duration):/.test(line)) inOutputs = false;
    // The stack's own lines repeat the provider's messages that Diagnostics lists once more.
    if (
      inOutputs ||
      /^@ |^(Previewing|Updating|Destroying|Refreshing) \(|View (in|Live)|pulumi:pulumi:Stack/.test(line)
    ) {
      continue;
    }
    kept.push(line);
  }
  console.log(dim(indent(kept.join("\n"))));
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "lync-demo-"));
  const password = randomBytes(18).toString("base64url");
  const credentials = { user: USER, password };
  const admin = new LyncAdmin(credentials);
  const sample = readSampleTopology();
  let emulator: EmulatorProcess | undefined;
  let stack: ExampleStack | undefined;
  let deployed = false;
  try {
    stage("Find the Pulumi engine (built from Go on the first run: that takes minutes)");
    ok(`pulumi ${findEngine()}`);

    stage("Start the emulator (sample topology, fresh state)");
    emulator = await startEmulatorProcess({
      users: [{ name: USER, password }],
      stateDir: path.join(work, "emulator"),
    });
    for (const server of emulator.servers) ok(`${server.fqdn} listens on ${server.host}:${server.port}`);
    const servers: AdminServer[] = sample.frontEndPool.servers.map((fqdn) => emulator!.server(fqdn));
    const before = await admin.getCsCertificateOnEach(servers);
    console.log(`\n  Before: what ${sample.frontEndPool.fqdn} serves today (no Autodiscover names yet)\n`);
    console.log(renderCertificateTable(before));

    stage("Deploy examples/mobility: pulumi preview, then pulumi up");
    stack = await ExampleStack.create({
      example: "mobility",
      stack: `demo-${randomBytes(4).toString("hex")}`,
      backendDir: path.join(work, "backend"),
      passphrase: randomBytes(12).toString("base64url"),
      config: poolStackConfig(emulator.servers, credentials),
    });
    ok(`stack ${stack.name} in a file backend under ${work}`);
    step("pulumi preview");
    const firstPreview = await stack.preview();
    showPulumiOutput(firstPreview);
    check(firstPreview.code === 0, "preview succeeds", firstPreview.output);
    step("pulumi up");
    const firstUp = await stack.up();
    deployed = true;
    showPulumiOutput(firstUp);
    const afterUp = await admin.getCsCertificateOnEach(servers);
    console.log("");
    console.log(renderCertificateTable(afterUp));
    console.log("");
    expectMobility(afterUp, servers, sample.sipDomains, before);

    stage("Drift: an admin assigns the old certificate by hand");
    const victim = servers[0];
    const oldThumbprint = before.find((c) => c.server === victim.fqdn && c.use === "Default")?.thumbprint;
    if (!oldThumbprint) throw new StageFailure(`${victim.fqdn} had no Default certificate before the deployment`);
    step(`ssh ${victim.fqdn} Set-CsCertificate -Type ${MOBILITY_USAGES.join(",")} -Thumbprint ${oldThumbprint}`);
    await admin.setCsCertificate(victim, MOBILITY_USAGES, oldThumbprint);
    const drifted = await admin.getCsCertificateOnEach([victim]);
    check(
      drifted.every((c) => c.thumbprint === oldThumbprint),
      `${victim.fqdn} serves the old certificate again`,
    );
    step("pulumi preview --expect-no-changes");
    const driftPreview = await stack.preview(["--expect-no-changes"]);
    showPulumiOutput(driftPreview);
    check(driftPreview.code !== 0, "preview reports changes (the server drifted)", driftPreview.output);
    check(
      driftPreview.output
        .split("\n")
        .some((line) => line.includes(victim.fqdn) && MOBILITY_USAGES.some((u) => line.includes(u))),
      `preview names the drift in words: ${victim.fqdn} and the usage`,
      driftPreview.output,
    );

    stage("Converge: pulumi up, then preview --expect-no-changes");
    step("pulumi up");
    showPulumiOutput(await stack.up());
    const converged = await admin.getCsCertificateOnEach(servers);
    expectMobility(converged, servers, sample.sipDomains, before);
    step("pulumi preview --expect-no-changes");
    const quiet = await stack.preview(["--expect-no-changes"]);
    check(quiet.code === 0, "preview --expect-no-changes passes: live servers match the program", quiet.output);

    stage("Renewal: move every server's clock into the renewal window");
    const days = daysIntoRenewalWindow(converged);
    for (const server of servers) {
      step(`ssh ${server.fqdn} Set-EmulatorTime -AddDays ${days}`);
      await admin.addDays(server, days);
    }
    step("pulumi preview --expect-no-changes");
    const renewalPreview = await stack.preview(["--expect-no-changes"]);
    showPulumiOutput(renewalPreview);
    check(renewalPreview.code !== 0, "preview reports changes", renewalPreview.output);
    check(/renew/i.test(renewalPreview.output), "preview says renewal is due", renewalPreview.output);
    step("pulumi up");
    showPulumiOutput(await stack.up());
    const renewed = await admin.getCsCertificateOnEach(servers);
    console.log("");
    console.log(renderCertificateTable(renewed, converged));
    console.log("");
    expectMobility(renewed, servers, sample.sipDomains, converged);
    check(
      renewed.every((c) => Date.parse(c.notAfter) > Math.max(...converged.map((o) => Date.parse(o.notAfter)))),
      "every renewed certificate expires later than the one it replaced",
    );
    const settled = await stack.preview(["--expect-no-changes"]);
    check(settled.code === 0, "preview --expect-no-changes passes after the renewal", settled.output);

    stage("Tear down");
    step("pulumi destroy");
    await stack.destroy();
    deployed = false;
    ok("stack destroyed (the default deletion policy leaves the certificates assigned: a live server keeps working)");
    await stack.remove();
    stack = undefined;
    await emulator.stop();
    emulator = undefined;
    ok("emulator stopped");
    console.log(
      `\n${green(bold(`Demo passed: every stage did what it says (${Math.round((Date.now() - started) / 1000)} s).`))}`,
    );
  } finally {
    if (stack) {
      if (deployed) await stack.destroy().catch(() => undefined);
      await stack.remove().catch(() => undefined);
    }
    await emulator?.stop().catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Builds or finds scripts/pulumi's engine with its build log on this terminal; returns its version. */
function findEngine(): string {
  const wrapper = path.join(REPO_ROOT, "scripts", "pulumi");
  const built = spawnSync(wrapper, [], {
    env: { ...process.env, PULUMI_LYNC_ENGINE_BUILD_ONLY: "1" },
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (built.status !== 0) {
    throw new StageFailure(`building the Pulumi engine with ${wrapper} failed (exit ${built.status ?? built.signal})`);
  }
  const version = spawnSync(built.stdout.trim(), ["version"], {
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    encoding: "utf8",
  });
  if (version.status !== 0) throw new StageFailure(`${built.stdout.trim()} version failed: ${version.stderr}`);
  return version.stdout.trim();
}

/** Checks the mobility outcome on the live servers: one combined certificate per server with every Autodiscover name. */
function expectMobility(
  rows: readonly AssignedCertificate[],
  servers: readonly AdminServer[],
  sipDomains: readonly string[],
  previous: readonly AssignedCertificate[],
): void {
  for (const server of servers) {
    const mine = rows.filter((c) => c.server === server.fqdn && MOBILITY_USAGES.includes(c.use));
    const thumbprints = new Set(mine.map((c) => c.thumbprint));
    check(
      mine.length === MOBILITY_USAGES.length && thumbprints.size === 1,
      `${server.fqdn}: one certificate serves ${MOBILITY_USAGES.join(", ")}`,
      JSON.stringify(mine, null, 2),
    );
    const names = new Set(mine[0].alternativeNames.map((n) => n.toLowerCase()));
    const missing = sipDomains
      .flatMap((d) => [`lyncdiscover.${d}`, `lyncdiscoverinternal.${d}`])
      .filter((n) => !names.has(n));
    check(
      missing.length === 0,
      `${server.fqdn}: Autodiscover names present for ${sipDomains.join(", ")}`,
      `missing: ${missing.join(", ")}`,
    );
    const old = previous.filter((c) => c.server === server.fqdn).map((c) => c.thumbprint);
    check(!old.includes(mine[0].thumbprint), `${server.fqdn}: a new certificate (${mine[0].thumbprint.slice(0, 8)}…)`);
  }
}

/** Days to add so that every server's clock is past two thirds of its certificates' lifetime (the default renewal point) and before expiry. */
function daysIntoRenewalWindow(rows: readonly AssignedCertificate[]): number {
  const days = rows.map((c) => {
    const start = Date.parse(c.notBefore);
    const end = Date.parse(c.notAfter);
    return Math.ceil((start + ((end - start) * 2) / 3 - start) / DAY_MS) + 2;
  });
  return Math.max(...days);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\n${red(bold(`Demo failed at stage ${stageNumber}:`))} ${message}`);
    if (!(error instanceof StageFailure) && process.env.DEMO_DEBUG && error instanceof Error)
      console.error(error.stack);
    process.exit(1);
  },
);
