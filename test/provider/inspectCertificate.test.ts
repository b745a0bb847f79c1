import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspectCertificate } from "pulumi-lync-certificates/dist/inspectCertificate";
import { makeCertificate } from "./support/testCertificates";

function openssl(args: string[], input?: string): string | undefined {
  try {
    return execFileSync("openssl", args, { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      if (process.env.CI === "true") throw new Error("openssl is required in CI for the certificate cross-checks");
      return undefined;
    }
    throw error;
  }
}

describe("inspectCertificate", () => {
  const certificate = makeCertificate({
    commonName: "pool01.contoso.com",
    dnsNames: ["fe01.contoso.com", "pool01.contoso.com", "lyncdiscover.contoso.com"],
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2028-01-01T00:00:00Z"),
    serial: "00ab12",
  });

  it("reads names, validity, serial and key size from PEM and from base64 DER alike", () => {
    const fromPem = inspectCertificate(certificate.certificatePem);
    const fromDer = inspectCertificate(certificate.derBase64);
    assert.deepEqual(fromPem, fromDer);
    assert.equal(fromPem.subject, "CN=pool01.contoso.com");
    assert.equal(fromPem.issuer, "DC=contoso, CN=contoso-DC-CA");
    assert.deepEqual(fromPem.dnsNames, ["fe01.contoso.com", "pool01.contoso.com", "lyncdiscover.contoso.com"]);
    assert.equal(fromPem.notAfter.toISOString(), "2028-01-01T00:00:00.000Z");
    assert.equal(fromPem.serialNumber, "AB12");
    assert.equal(fromPem.keyAlgorithm, "RSA");
    assert.equal(fromPem.keySize, 2048);
    assert.equal(fromPem.serverAuth, true);
  });

  it("computes the thumbprint openssl computes", function () {
    const out = openssl(["x509", "-noout", "-fingerprint", "-sha1"], certificate.certificatePem);
    if (out === undefined) this.skip();
    assert.equal(inspectCertificate(certificate.certificatePem).thumbprint, out.split("=")[1].trim().replace(/:/g, ""));
  });

  it("sees a missing Server Authentication EKU", () => {
    const clientOnly = makeCertificate({ dnsNames: ["fe01.contoso.com"], extKeyUsage: { clientAuth: true } });
    assert.equal(inspectCertificate(clientOnly.certificatePem).serverAuth, false);
  });

  it("reads certificates forge cannot load (RSASSA-PSS and EC keys) and names their key type", function () {
    const dir = mkdtempSync(join(tmpdir(), "inspect-"));
    const made: Record<string, string> = {};
    for (const [kind, keyArgs] of [
      ["pss", ["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048"]],
      ["ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]],
    ] as const) {
      const out = openssl([
        "req",
        "-x509",
        ...keyArgs,
        "-nodes",
        "-keyout",
        join(dir, `${kind}.key`),
        "-out",
        join(dir, `${kind}.pem`),
        "-subj",
        "/CN=fe01.contoso.com",
        "-days",
        "30",
        "-addext",
        "subjectAltName=DNS:fe01.contoso.com",
      ]);
      if (out === undefined) this.skip();
      made[kind] = readFileSync(join(dir, `${kind}.pem`), "utf8");
    }
    writeFileSync(join(dir, "done"), "");
    const pss = inspectCertificate(made.pss);
    assert.equal(pss.keyAlgorithm, "RSASSA-PSS");
    assert.equal(pss.signatureAlgorithm, "RSASSA-PSS");
    assert.deepEqual(pss.dnsNames, ["fe01.contoso.com"]);
    assert.equal(inspectCertificate(made.ec).keyAlgorithm, "EC");
  });

  it("refuses text that holds no certificate", () => {
    assert.throws(() => inspectCertificate(""), /no PEM block or base64 DER/);
  });
});
