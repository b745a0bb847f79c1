import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator } from "lync-server-emulator/dist/index";
import { createCsr, describeCertificate, generateRsaKeyPair } from "lync-server-emulator/dist/x509";
import { sshExec } from "./sshExec";
import { standInRunner } from "./standInRunner";

describe("emulator state", function () {
  this.timeout(60_000);
  const users = [{ name: "lyncadmin", password: "pw" }];
  let stateDir: string;

  beforeEach(() => {
    stateDir = mkdtempSync(path.join(tmpdir(), "emulator-state-"));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it("seeds each Front End and Director with a combined certificate that lacks the Autodiscover SANs", async () => {
    const started = Date.now();
    const emulator = await startEmulator({ stateDir, users, runScript: standInRunner, defaultShell: "powershell" });
    try {
      const root = emulator.certificationAuthority().rootCertificatePem;
      const seeded = emulator.servers.filter((s) => emulator.host(s.fqdn).pool.role !== "Edge");
      assert.equal(seeded.length, 3, "two Front Ends and a Director");
      for (const server of seeded) {
        const host = emulator.host(server.fqdn);
        const assignments = host.listAssignments("local");
        assert.deepEqual(
          assignments.map((a) => a.type),
          ["Default", "WebServicesInternal", "WebServicesExternal"],
        );
        assert.equal(new Set(assignments.map((a) => a.thumbprint)).size, 1);
        const stored = host.getCertificate(assignments[0].thumbprint);
        assert.ok(stored?.privateKeyPem, `${server.fqdn} has no key for its certificate`);
        const summary = describeCertificate(stored.certificatePem);
        assert.ok(summary.dnsNames.includes(server.fqdn));
        assert.ok(summary.dnsNames.includes("sip.contoso.com"));
        assert.ok(!summary.dnsNames.some((n) => n.startsWith("lyncdiscover")), summary.dnsNames.join(", "));
        assert.equal(summary.issuer, "CN=contoso-DC-CA, DC=contoso, DC=com");
        // AD CS backdates NotBefore by 10 minutes; the 730 days count from the time of issue.
        assert.ok(Math.abs(summary.notBefore.getTime() + 10 * 60_000 - started) < 60_000);
        assert.equal(summary.notAfter.getTime() - summary.notBefore.getTime(), 730 * 86_400_000 + 10 * 60_000);
        assert.ok(root.includes("BEGIN CERTIFICATE"));
      }
      assert.equal(emulator.host("dir01.contoso.com").pool.fqdn, "dirpool.contoso.com");
      assert.equal(emulator.certificationAuthority().requestCount, 0);
    } finally {
      await emulator.stop();
    }
  });

  it("keeps certificates, assignments, clock, audit log, CA and host keys across a restart", async () => {
    const first = await startEmulator({ stateDir, users, runScript: standInRunner, defaultShell: "powershell" });
    const fe01 = first.host("fe01.contoso.com");
    const thumbprint = fe01.listAssignments("local")[0].thumbprint;
    fe01.emulator.setTime(new Date("2030-05-05T00:00:00Z"));
    fe01.putAssignment("local", { type: "Default", thumbprint, previousThumbprint: "AB".repeat(20) });
    fe01.putAssignment("global", { type: "OAuthTokenIssuer", thumbprint });
    fe01.fileSystem.write("C:\\certs\\req.csr", new TextEncoder().encode("csr"));
    fe01.emulator.setCaBehavior({ kind: "deny" });
    await sshExec(
      first.servers[0],
      { username: "lyncadmin", password: "pw" },
      'run Get-CsCertificate {"Type":["Default"]}',
    );
    const hostKeys = first.servers.map((s) => s.hostKey);
    const root = first.certificationAuthority().rootCertificatePem;
    await first.stop();

    const second = await startEmulator({ stateDir, users, runScript: standInRunner, defaultShell: "powershell" });
    try {
      const again = second.host("fe01.contoso.com");
      assert.deepEqual(
        second.servers.map((s) => s.hostKey),
        hostKeys,
      );
      assert.equal(second.certificationAuthority().rootCertificatePem, root);
      assert.ok(again.getCertificate(thumbprint)?.privateKeyPem);
      assert.deepEqual(again.listAssignments("local")[0], {
        type: "Default",
        thumbprint,
        previousThumbprint: "AB".repeat(20),
      });
      assert.deepEqual(second.host("fe02.contoso.com").listAssignments("global"), [
        { type: "OAuthTokenIssuer", thumbprint },
      ]);
      assert.ok(Math.abs(again.now().getTime() - Date.parse("2030-05-05T00:00:00Z")) < 60_000);
      assert.equal(new TextDecoder().decode(again.fileSystem.read("c:\\CERTS\\req.csr")), "csr");
      const log = again.emulator.auditLog();
      assert.equal(log.at(-1)?.command, "Get-CsCertificate");
      assert.deepEqual(log.at(-1)?.parameters, { Type: ["Default"] });
      const keys = generateRsaKeyPair(2048);
      const csrPem = createCsr({ privateKeyPem: keys.privateKeyPem, subject: "CN=pool01.contoso.com", dnsNames: [] });
      const outcome = await again.ca.submit({ ca: "dc\\myca", csrPem, account: "lyncadmin" });
      assert.equal(outcome.status, "Denied");
      // The same server state is not seeded twice.
      assert.equal(again.listCertificates().length, 1);
    } finally {
      await second.stop();
    }
  });

  it("writes whole files only: no temporary files are left behind", async () => {
    const emulator = await startEmulator({ stateDir, users, runScript: standInRunner, defaultShell: "powershell" });
    await sshExec(emulator.servers[0], { username: "lyncadmin", password: "pw" }, "run Get-CsCertificate");
    await emulator.stop();
    const files = [stateDir, path.join(stateDir, "servers"), path.join(stateDir, "hostkeys")].flatMap((d) =>
      readdirSync(d),
    );
    assert.ok(!files.some((f) => f.endsWith(".tmp")), files.join(", "));
    assert.ok(existsSync(path.join(stateDir, "shared.json")));
    const hostKey = readFileSync(path.join(stateDir, "hostkeys", "fe01.contoso.com"), "utf8");
    assert.match(hostKey, /BEGIN OPENSSH PRIVATE KEY/);
  });

  it("starts each Edge server as its own endpoint, unseeded, with the Edge services", async () => {
    const emulator = await startEmulator({ stateDir, users, runScript: standInRunner, defaultShell: "powershell" });
    try {
      const edgeServers = emulator.servers.filter((s) => emulator.host(s.fqdn).pool.role === "Edge");
      assert.deepEqual(
        edgeServers.map((s) => s.fqdn),
        ["edge01.contoso.com", "edge02.contoso.com"],
      );
      const edge = emulator.host("edge01.contoso.com");
      assert.deepEqual(edge.listCertificates(), []);
      assert.deepEqual(edge.listAssignments("local"), []);
      assert.equal(edge.serviceStates().RTCMEDIARELAY, "Running");
      const result = await sshExec(edgeServers[0], { username: "lyncadmin", password: "pw" }, "whoami");
      assert.equal(result.exitCode, 0);
    } finally {
      await emulator.stop();
    }
  });

  it("refuses to start without any user", async () => {
    await assert.rejects(startEmulator({ stateDir, users: [] }), /no users/);
  });
});
