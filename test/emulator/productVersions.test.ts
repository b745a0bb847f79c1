// Each pool runs one product, and its servers have that product's management module and no other:
// `Lync` on Lync Server 2013, `SkypeForBusiness` on Skype for Business Server 2015, 2019 and SE.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "lync-server-emulator/dist/index";
import {
  loadTopology,
  managementModuleOf,
  SAMPLE_TOPOLOGY_PATH,
  TopologyError,
} from "lync-server-emulator/dist/topology";
import { sshExec, type SshCredentials } from "./sshExec";

const SFB = "fe01.contoso.com";
const LYNC = "dir01.contoso.com";
const NOT_FOUND =
  /The specified module '(\w+)' was not loaded because no valid module file was found in any module directory/;

describe("product versions per pool", function () {
  this.timeout(60_000);
  const credentials: SshCredentials = { username: "lyncadmin", password: "Pa55w.rd" };
  const sample = JSON.parse(readFileSync(SAMPLE_TOPOLOGY_PATH, "utf8"));
  let stateDir: string;
  let emulator: RunningEmulator;
  const run = (fqdn: string, command: string) =>
    sshExec(
      emulator.servers.find((s) => s.fqdn === fqdn)!,
      credentials,
      command,
    );

  before(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), "product-versions-"));
    emulator = await startEmulator({
      stateDir,
      users: [{ name: "lyncadmin", password: "Pa55w.rd" }],
      topology: {
        ...loadTopology(SAMPLE_TOPOLOGY_PATH),
        defaultShell: "powershell",
        pools: [{ ...sample.pools[0], version: "SfB2019" }, sample.pools[1]],
      },
    });
  });
  after(async () => {
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("gives a Skype for Business server the SkypeForBusiness module and refuses Import-Module Lync", async () => {
    const refused = await run(SFB, "Import-Module Lync");
    assert.equal(refused.exitCode, 1);
    assert.equal(NOT_FOUND.exec(refused.stderr)?.[1], "Lync", refused.stderr);
    const ok = await run(SFB, "Import-Module SkypeForBusiness; @(Get-CsCertificate -Type Default).Count");
    assert.equal(ok.exitCode, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), "1");
  });

  it("gives a Lync Server 2013 server the Lync module and refuses Import-Module SkypeForBusiness", async () => {
    const refused = await run(LYNC, "Import-Module SkypeForBusiness");
    assert.equal(refused.exitCode, 1);
    assert.equal(NOT_FOUND.exec(refused.stderr)?.[1], "SkypeForBusiness", refused.stderr);
    const ok = await run(LYNC, "Import-Module Lync; @(Get-CsCertificate -Type Default).Count");
    assert.equal(ok.exitCode, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), "1");
  });

  it("auto-loads the module the server has on first use of a Cs cmdlet", async () => {
    for (const [fqdn, module] of [
      [SFB, "SkypeForBusiness"],
      [LYNC, "Lync"],
    ]) {
      const result = await run(
        fqdn,
        "$n = @(Get-CsCertificate).Count; @(Get-Module | ForEach-Object { $_.Name }) -join ','",
      );
      assert.equal(result.exitCode, 0, result.stderr);
      const loaded = result.stdout.trim().split(",");
      assert.ok(loaded.includes(module), `${fqdn} loaded ${loaded.join(", ")}`);
      assert.ok(!loaded.includes(module === "Lync" ? "SkypeForBusiness" : "Lync"), `${fqdn} loaded both`);
      const imports = emulator
        .host(fqdn)
        .emulator.auditLog()
        .filter((e) => e.command === "Import-Module");
      assert.deepEqual(imports[imports.length - 1].parameters.Name, [module]);
    }
  });

  it("lists only the server's module with Get-Module -ListAvailable", async () => {
    const list = "@(Get-Module -ListAvailable -Name Lync,SkypeForBusiness | ForEach-Object { $_.Name }) -join ','";
    assert.equal((await run(SFB, list)).stdout.trim(), "SkypeForBusiness");
    assert.equal((await run(LYNC, list)).stdout.trim(), "Lync");
  });

  it("reads the version from the topology, Lync Server 2013 by default, and refuses an unknown one", () => {
    const pool = (version?: string) => ({ ...sample.pools[0], ...(version ? { version } : {}) });
    assert.equal(managementModuleOf(loadTopology({ ...sample, pools: [pool()] }).pools[0]), "Lync");
    for (const version of ["SfB2015", "SfB2019", "SfBSE"])
      assert.equal(
        managementModuleOf(loadTopology({ ...sample, pools: [pool(version)] }).pools[0]),
        "SkypeForBusiness",
      );
    assert.throws(
      () => loadTopology({ ...sample, pools: [pool("SfB2016")] }),
      (error: unknown) =>
        error instanceof TopologyError &&
        error.problems.length === 1 &&
        /^\$\.pools\[0\]\.version: "SfB2016" is not a product version; use one of Lync2013, SfB2015, SfB2019, SfBSE$/.test(
          error.problems[0],
        ),
    );
  });
});
