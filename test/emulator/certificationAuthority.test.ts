import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CA_DENIED_MESSAGE,
  CA_ENROLL_DENIED_MESSAGE,
  CA_UNREACHABLE_MESSAGE,
  CA_UNSUPPORTED_TEMPLATE_MESSAGE,
  CertificationAuthority,
  createCaClient,
  mayEnroll,
} from "lync-server-emulator/dist/certificationAuthority";
import type { CaBehavior, CaOutcome } from "lync-server-emulator/dist/lyncHost";
import { PowerShellError } from "lync-server-emulator/dist/powershell/command";
import { loadTopology, SAMPLE_TOPOLOGY_PATH } from "lync-server-emulator/dist/topology";
import { createCsr, describeCertificate, generateRsaKeyPair } from "lync-server-emulator/dist/x509";
import { requireTool } from "./requireTool";

describe("certification authority", function () {
  const topology = loadTopology(SAMPLE_TOPOLOGY_PATH);
  const definition = topology.certificationAuthorities[0];
  const keys = generateRsaKeyPair(2048);
  const csrPem = createCsr({
    privateKeyPem: keys.privateKeyPem,
    subject: "CN=pool01.contoso.com",
    dnsNames: ["pool01.contoso.com", "lyncdiscover.contoso.com"],
  });
  let authority: CertificationAuthority;
  let behavior: CaBehavior;
  let clock: Date;
  const client = () =>
    createCaClient({
      topology,
      server: "fe01.contoso.com",
      authorities: new Map([[definition.name.toLowerCase(), authority]]),
      behavior: () => behavior,
      now: () => clock,
    });
  const request = { ca: "dc\\myca", csrPem, account: "CONTOSO\\lyncadmin" };
  const issued = (outcome: CaOutcome): string => {
    assert.equal(outcome.status, "Issued");
    return (outcome as Extract<CaOutcome, { status: "Issued" }>).certificatePem;
  };

  before(() => {
    authority = CertificationAuthority.create(definition, topology, new Date("2026-01-01T00:00:00Z"));
  });
  beforeEach(() => {
    behavior = { kind: "issue" };
    clock = new Date("2026-06-01T08:00:00Z");
  });

  it("issues a SHA-256 server certificate with the CSR's subject and SANs that chains to its root", function () {
    requireTool(this, "openssl");
    return client()
      .submit({ ...request, ca: "DC\\MYCA" })
      .then((outcome) => {
        const pem = issued(outcome);
        const dir = mkdtempSync(path.join(tmpdir(), "ca-test-"));
        writeFileSync(path.join(dir, "leaf.pem"), pem);
        writeFileSync(path.join(dir, "root.pem"), authority.rootCertificatePem);
        const verify = execFileSync(
          "openssl",
          ["verify", "-CAfile", path.join(dir, "root.pem"), path.join(dir, "leaf.pem")],
          {
            encoding: "utf8",
          },
        );
        assert.match(verify, /leaf\.pem: OK/);
        const text = execFileSync("openssl", ["x509", "-in", path.join(dir, "leaf.pem"), "-noout", "-text"], {
          encoding: "utf8",
        });
        assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
        assert.match(text, /TLS Web Server Authentication/);
        assert.doesNotMatch(text, /TLS Web Client Authentication/);
        assert.match(text, /DNS:pool01\.contoso\.com, DNS:lyncdiscover\.contoso\.com/);
        assert.match(text, /X509v3 Authority Key Identifier/);
        assert.match(text, /X509v3 Subject Key Identifier/);
        assert.match(text, /Version: 3/);
        const summary = describeCertificate(pem);
        assert.equal(summary.subject, "CN=pool01.contoso.com");
        // Backdated by AD CS's default clock skew; the two years still count from the time of issue.
        assert.equal(summary.notBefore.toISOString(), "2026-06-01T07:50:00.000Z");
        assert.equal(summary.notAfter.toISOString(), "2028-05-31T08:00:00.000Z");
        assert.match(summary.serialNumber, /^[4-7][0-9A-F]{31}$/);
      });
  });

  it("adds the Client Authentication EKU only when asked", async () => {
    const pem = issued(await client().submit({ ...request, clientEku: true }));
    const dir = mkdtempSync(path.join(tmpdir(), "ca-test-"));
    writeFileSync(path.join(dir, "leaf.pem"), pem);
    assert.equal(describeCertificate(pem).hasServerAuthEku, true);
    const forge = await import("node-forge");
    const eku = forge.pki.certificateFromPem(pem).getExtension("extKeyUsage") as Record<string, unknown>;
    assert.equal(eku.clientAuth, true);
  });

  it("gives each certificate a new serial number", async () => {
    const a = describeCertificate(issued(await client().submit(request))).serialNumber;
    const b = describeCertificate(issued(await client().submit(request))).serialNumber;
    assert.notEqual(a, b);
  });

  it("honours a short validity, counted from the time of issue", async () => {
    behavior = { kind: "issue", validityDays: 3 };
    const summary = describeCertificate(issued(await client().submit(request)));
    assert.equal(summary.notAfter.getTime() - summary.notBefore.getTime(), 3 * 86_400_000 + 10 * 60_000);
  });

  it("denies with the policy module's text", async () => {
    behavior = { kind: "deny" };
    const outcome = await client().submit(request);
    assert.equal(outcome.status, "Denied");
    assert.equal((outcome as Extract<CaOutcome, { status: "Denied" }>).message, CA_DENIED_MESSAGE);
    assert.equal(CA_DENIED_MESSAGE, "Denied by Policy Module 0x80094800");
  });

  it("keeps a pending request and issues it on retrieve once the CA issues again", async () => {
    behavior = { kind: "pending" };
    const outcome = await client().submit(request);
    assert.equal(outcome.status, "Pending");
    assert.equal((await client().retrieve("dc\\myca", outcome.requestId)).status, "Pending");
    behavior = { kind: "issue" };
    clock = new Date("2026-07-01T00:00:00Z");
    const retrieved = await client().retrieve("dc\\myca", outcome.requestId);
    const pem = issued(retrieved);
    assert.equal(describeCertificate(pem).notBefore.toISOString(), "2026-06-30T23:50:00.000Z");
    // A second retrieve returns the same certificate, as the CA database does.
    assert.equal(issued(await client().retrieve("dc\\myca", outcome.requestId)), pem);
  });

  it("denies a pending request on retrieve when the CA now denies", async () => {
    behavior = { kind: "pending" };
    const outcome = await client().submit(request);
    behavior = { kind: "deny" };
    assert.equal((await client().retrieve("dc\\myca", outcome.requestId)).status, "Denied");
  });

  it("fails retrieve of an unknown request id", async () => {
    await assert.rejects(client().retrieve("dc\\myca", 999_999), /Cannot find object or property\. 0x80092004/);
  });

  it("fails with Lync's text when the CA is unreachable, and for a CA the topology does not have", async () => {
    behavior = { kind: "unreachable" };
    await assert.rejects(client().submit(request), (error: PowerShellError) => {
      assert.ok(error instanceof PowerShellError);
      assert.ok(error.message.startsWith(CA_UNREACHABLE_MESSAGE));
      return true;
    });
    behavior = { kind: "issue" };
    await assert.rejects(client().submit({ ...request, ca: "dc\\otherca" }), new RegExp(CA_UNREACHABLE_MESSAGE));
  });

  it("waits for a slow CA before issuing", async () => {
    behavior = { kind: "slow", delayMs: 300 };
    const started = Date.now();
    issued(await client().submit(request));
    assert.ok(Date.now() - started >= 290);
  });

  it("refuses an account without enroll rights with CERTSRV_E_ENROLL_DENIED's text", async () => {
    await assert.rejects(client().submit({ ...request, account: "CONTOSO\\helpdesk" }), (error: PowerShellError) => {
      assert.ok(error.message.includes(CA_ENROLL_DENIED_MESSAGE));
      assert.equal(error.category, "PermissionDenied");
      return true;
    });
  });

  it("refuses a template the CA does not offer", async () => {
    await assert.rejects(
      client().submit({ ...request, template: "User" }),
      new RegExp(CA_UNSUPPORTED_TEMPLATE_MESSAGE),
    );
    issued(await client().submit({ ...request, template: "webserver" }));
  });

  it("counts every submit, whatever its outcome", async () => {
    const before = authority.state.requestCount;
    await client().submit(request);
    behavior = { kind: "deny" };
    await client().submit(request);
    behavior = { kind: "unreachable" };
    await assert.rejects(client().submit(request));
    assert.equal(authority.state.requestCount, before + 3);
  });

  it("matches enrollers with or without the domain", () => {
    assert.equal(mayEnroll(["CONTOSO\\lyncadmin"], "lyncadmin"), true);
    assert.equal(mayEnroll(["CONTOSO\\lyncadmin"], "contoso\\LyncAdmin"), true);
    assert.equal(mayEnroll(["lyncadmin"], "FABRIKAM\\lyncadmin"), true);
    assert.equal(mayEnroll(["CONTOSO\\lyncadmin"], "FABRIKAM\\lyncadmin"), false);
    assert.equal(mayEnroll(["CONTOSO\\lyncadmin"], "CONTOSO\\other"), false);
  });

  it("survives a restart from its saved state: the same root signs", async () => {
    const copy = new CertificationAuthority(definition, JSON.parse(JSON.stringify(authority.state)));
    assert.equal(copy.rootCertificatePem, authority.rootCertificatePem);
    const pem = copy.issue(csrPem, { now: clock });
    assert.equal(describeCertificate(pem).issuer, "CN=contoso-DC-CA, DC=contoso, DC=com");
  });
});
