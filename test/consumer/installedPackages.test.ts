// Issue 12: the packages as a user installs them. Both are packed, installed into a fresh project with
// the newest @pulumi/pulumi for this Node, and a small program runs against the installed emulator's CLI
// with the real pulumi CLI: create, drift, converge.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  installedCopies,
  newestPulumiSdkForThisNode,
  npmInstall,
  packWorkspaces,
  type PackedPackage,
} from "../support/consumerProject";
import { REPO_ROOT, startEmulatorProcess, type EmulatorProcess } from "../../scripts/support/emulatorProcess";
import { LyncAdmin } from "../../scripts/support/lyncAdmin";
import { createStack, runPulumi, type PulumiRunResult } from "../../scripts/support/pulumiCli";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";
import { readSampleTopology } from "../../scripts/support/sampleStackConfig";

const EMULATOR_PARTS = /lync-server-emulator|tree-sitter|lync-emulator/;
const USAGES = ["Default", "WebServicesInternal", "WebServicesExternal"];

describe("the packages as a user installs them", function () {
  this.timeout(10 * 60_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "lync-consumer-"));
  const project = path.join(work, "project");
  const backendDir = path.join(work, "backend");
  const password = `canary-pw-${randomBytes(8).toString("hex")}`;
  const admin = new LyncAdmin({ user: "lyncadmin", password });
  let provider: PackedPackage;
  let sdkVersion: string;
  let emulator: EmulatorProcess | undefined;

  const pulumi = async (args: string[]): Promise<PulumiRunResult> =>
    runPulumi([...args, "--stack", "consumer", "--non-interactive"], { cwd: project, backendDir });
  const expectSuccess = async (args: string[]): Promise<PulumiRunResult> => {
    const result = await pulumi(args);
    assert.equal(result.code, 0, `pulumi ${args.join(" ")}:\n${result.output}`);
    return result;
  };

  before(async function () {
    this.timeout(ENGINE_BUILD_TIMEOUT_MS);
    await requirePulumiEngine(this);
    const packed = packWorkspaces(work);
    provider = packed.find((p) => p.name === "pulumi-lync-certificates")!;
    const emulatorPackage = packed.find((p) => p.name === "lync-server-emulator")!;
    fs.cpSync(path.join(REPO_ROOT, "test", "fixtures", "consumer"), project, { recursive: true });
    sdkVersion = newestPulumiSdkForThisNode(project);
    console.log(`    installing with @pulumi/pulumi ${sdkVersion} on Node ${process.version}`);
    npmInstall(project, [provider.tarball, emulatorPackage.tarball, `@pulumi/pulumi@${sdkVersion}`]);
  });

  after(async () => {
    if (emulator) await pulumi(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
    await emulator?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("packs the provider under 150 kB with no emulator, grammar or pinned SDK among its dependencies", () => {
    assert.ok(provider.size < 150_000, `the provider tarball is ${provider.size} bytes`);
    assert.deepEqual(
      provider.files.filter((f) => EMULATOR_PARTS.test(f) || f.startsWith("dist/test")),
      [],
    );
    const manifest = JSON.parse(
      fs.readFileSync(path.join(project, "node_modules", "pulumi-lync-certificates", "package.json"), "utf8"),
    );
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), [
      "@ewsjs/ntlm-client",
      "fast-xml-parser",
      "node-forge",
      "ssh2",
    ]);
    assert.deepEqual(Object.keys(manifest.peerDependencies), ["@pulumi/pulumi"]);
    assert.doesNotMatch(JSON.stringify(manifest), EMULATOR_PARTS);
  });

  it("runs without the install scripts npm 11 leaves unapproved (no native part built)", () => {
    const modules = path.join(project, "node_modules");
    assert.ok(fs.existsSync(path.join(modules, "ssh2", "package.json")));
    assert.equal(fs.existsSync(path.join(modules, "cpu-features", "build")), false);
    assert.equal(fs.existsSync(path.join(modules, "ssh2", "lib", "protocol", "crypto", "build")), false);
  });

  it("installs exactly one @pulumi/pulumi, the program's own", () => {
    const copies = installedCopies(project, "@pulumi/pulumi");
    assert.deepEqual(copies, [path.join(project, "node_modules", "@pulumi", "pulumi")]);
    const installed = JSON.parse(fs.readFileSync(path.join(copies[0], "package.json"), "utf8"));
    assert.equal(installed.version, sdkVersion);
  });

  it("installs a provider package that contains neither the emulator nor its grammar", () => {
    const root = path.join(project, "node_modules", "pulumi-lync-certificates");
    const files = fs.readdirSync(root, { recursive: true, encoding: "utf8" });
    assert.deepEqual(
      files.filter((f) => EMULATOR_PARTS.test(f) || f.endsWith(".wasm")),
      [],
    );
    const mentions = files
      .filter((f) => f.endsWith(".js"))
      .filter((f) => /lync-server-emulator|tree-sitter/.test(fs.readFileSync(path.join(root, f), "utf8")));
    assert.deepEqual(mentions, []);
  });

  it("creates, reports drift and converges with the installed provider against the installed emulator", async () => {
    emulator = await startEmulatorProcess({
      cli: path.join(project, "node_modules", ".bin", "lync-emulator"),
      topology: path.join(project, "node_modules", "lync-server-emulator", "topologies", "contoso.json"),
      users: [{ name: "lyncadmin", password }],
      stateDir: path.join(work, "emulator"),
    });
    const sample = readSampleTopology();
    const server = emulator.server(sample.frontEndPool.servers[0]);
    const pool = sample.frontEndPool;
    await createStack(project, "consumer", backendDir, {
      server: JSON.stringify(server),
      user: "lyncadmin",
      password: { secret: password },
      ca: sample.ca,
      sipDomains: JSON.stringify(sample.sipDomains),
      names: JSON.stringify([server.fqdn, pool.fqdn, pool.internalWebFqdn, pool.externalWebFqdn]),
    });
    const before = await admin.getCsCertificate(server);

    await expectSuccess(["up", "--yes", "--skip-preview"]);
    const thumbprint = JSON.parse((await expectSuccess(["stack", "output", "--json"])).stdout).thumbprint;
    const old = before.find((r) => r.use === "Default")!;
    assert.notEqual(thumbprint, old.thumbprint, "pulumi up assigns a new certificate");
    const assigned = (await admin.getCsCertificate(server)).filter((r) => USAGES.includes(r.use));
    assert.deepEqual(
      assigned.map((r) => r.thumbprint),
      USAGES.map(() => thumbprint),
    );

    await admin.setCsCertificate(server, ["WebServicesExternal"], old.thumbprint);
    const drift = await pulumi(["preview", "--expect-no-changes"]);
    assert.notEqual(drift.code, 0, `preview --expect-no-changes fails on drift:\n${drift.output}`);
    assert.match(drift.output, /WebServicesExternal/);

    await expectSuccess(["up", "--yes", "--skip-preview"]);
    const served = await admin.getCsCertificate(server);
    assert.equal(served.find((r) => r.use === "WebServicesExternal")?.thumbprint, thumbprint);
    await expectSuccess(["preview", "--expect-no-changes"]);
  });
});
