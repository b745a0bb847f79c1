import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { CertificationAuthority } from "lync-server-emulator/dist/certificationAuthority";
import { loadTopology, SAMPLE_TOPOLOGY_PATH } from "lync-server-emulator/dist/topology";
import {
  createCsr,
  describeCertificate,
  generateRsaKeyPair,
  generateRsaKeyPairAsync,
  parseWindowsName,
  PFX_WRONG_PASSWORD_MESSAGE,
  readCsr,
  readPfx,
  thumbprintOf,
  windowsName,
  writePfx,
} from "lync-server-emulator/dist/x509";
import { requireTool } from "./requireTool";

describe("x509 helpers", function () {
  const dir = mkdtempSync(path.join(tmpdir(), "x509-test-"));
  const topology = loadTopology(SAMPLE_TOPOLOGY_PATH);
  const ca = CertificationAuthority.create(
    topology.certificationAuthorities[0],
    topology,
    new Date("2026-01-01T00:00:00Z"),
  );
  const keys = generateRsaKeyPair(2048);
  const dnsNames = ["pool01.contoso.com", "fe01.contoso.com", "lyncdiscoverinternal.contoso.com"];
  const csrPem = createCsr({ privateKeyPem: keys.privateKeyPem, subject: "CN=pool01.contoso.com", dnsNames });
  const certificatePem = ca.issue(csrPem, { now: new Date("2026-03-01T12:00:00Z") });
  const certFile = path.join(dir, "leaf.pem");
  const caFile = path.join(dir, "ca.pem");
  writeFileSync(certFile, certificatePem);
  writeFileSync(caFile, ca.rootCertificatePem);

  it("computes the thumbprint as openssl's SHA-1 fingerprint, upper case without colons", function () {
    requireTool(this, "openssl");
    const out = execFileSync("openssl", ["x509", "-in", certFile, "-noout", "-fingerprint", "-sha1"], {
      encoding: "utf8",
    });
    const expected = out.trim().split("=")[1].replace(/:/g, "");
    assert.equal(thumbprintOf(certificatePem), expected);
    assert.match(thumbprintOf(certificatePem), /^[0-9A-F]{40}$/);
  });

  it("describes subject and issuer in Windows order and form", () => {
    const summary = describeCertificate(certificatePem);
    assert.equal(summary.subject, "CN=pool01.contoso.com");
    assert.equal(summary.issuer, "CN=contoso-DC-CA, DC=contoso, DC=com");
    assert.deepEqual(summary.dnsNames, dnsNames);
    assert.equal(summary.publicKeyBits, 2048);
    assert.equal(summary.hasServerAuthEku, true);
    assert.equal(summary.signatureAlgorithm, "sha256WithRSAEncryption");
    assert.equal(summary.notBefore.toISOString(), "2026-03-01T11:50:00.000Z");
    assert.equal(summary.notAfter.toISOString(), "2028-02-29T12:00:00.000Z");
    assert.equal(Buffer.from(summary.derBase64, "base64").length > 500, true);
  });

  it("reports the serial number as openssl does, upper-case hex", function () {
    requireTool(this, "openssl");
    const out = execFileSync("openssl", ["x509", "-in", certFile, "-noout", "-serial"], { encoding: "utf8" });
    assert.equal(describeCertificate(certificatePem).serialNumber, out.trim().split("=")[1].toUpperCase());
  });

  it("writes a CSR that openssl reads, with the SAN extension request in order", function () {
    requireTool(this, "openssl");
    const file = path.join(dir, "req.pem");
    writeFileSync(file, csrPem);
    const text = execFileSync("openssl", ["req", "-in", file, "-noout", "-text", "-verify"], { encoding: "utf8" });
    assert.match(text, /Subject: CN ?= ?pool01\.contoso\.com/);
    assert.match(text, /DNS:pool01\.contoso\.com, DNS:fe01\.contoso\.com, DNS:lyncdiscoverinternal\.contoso\.com/);
    assert.match(text, /sha256WithRSAEncryption/);
    assert.deepEqual(readCsr(csrPem).dnsNames, dnsNames);
  });

  it("round-trips a PFX and refuses a wrong password with Windows' message", () => {
    const pfx = writePfx(certificatePem, keys.privateKeyPem, "S3cret!");
    const opened = readPfx(pfx, "S3cret!");
    assert.equal(thumbprintOf(opened.certificatePem), thumbprintOf(certificatePem));
    assert.ok(opened.privateKeyPem?.includes("BEGIN PRIVATE KEY"));
    assert.deepEqual(opened.chainPem, []);
    assert.throws(() => readPfx(pfx, "wrong"), { message: PFX_WRONG_PASSWORD_MESSAGE });
  });

  it("writes a PFX that openssl opens with the password, and reads one openssl wrote", function () {
    requireTool(this, "openssl");
    const pfxFile = path.join(dir, "ours.pfx");
    writeFileSync(pfxFile, writePfx(certificatePem, keys.privateKeyPem, "pw", [ca.rootCertificatePem]));
    const listed = execFileSync("openssl", ["pkcs12", "-in", pfxFile, "-passin", "pass:pw", "-nokeys"], {
      encoding: "utf8",
    });
    assert.match(listed, /subject=.*pool01\.contoso\.com/);
    assert.match(listed, /subject=.*contoso-DC-CA/);

    const keyFile = path.join(dir, "key.pem");
    writeFileSync(keyFile, keys.privateKeyPem);
    const theirs = path.join(dir, "theirs.pfx");
    execFileSync("openssl", [
      "pkcs12",
      "-export",
      "-in",
      certFile,
      "-inkey",
      keyFile,
      "-certfile",
      caFile,
      "-passout",
      "pass:pw2",
      "-out",
      theirs,
    ]);
    const opened = readPfx(Uint8Array.from(readFileSync(theirs)), "pw2");
    assert.equal(thumbprintOf(opened.certificatePem), thumbprintOf(certificatePem));
    assert.equal(opened.chainPem.length, 1);
    assert.throws(() => readPfx(Uint8Array.from(readFileSync(theirs)), "nope"), {
      message: PFX_WRONG_PASSWORD_MESSAGE,
    });
  });

  it("generates RSA keys of the requested size, synchronously or off the event loop", async () => {
    const asyncKeys = await generateRsaKeyPairAsync(1024);
    for (const pair of [asyncKeys, generateRsaKeyPair(1024)]) {
      assert.match(pair.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
      assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
      const csr = createCsr({ privateKeyPem: pair.privateKeyPem, subject: "fe01.contoso.com", dnsNames: [] });
      assert.equal(readCsr(csr).publicKeyBits, 1024);
      assert.equal(readCsr(csr).subject, "CN=fe01.contoso.com");
    }
  });

  it("renders any parsed Windows name back to the same text", () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("CN", "OU", "O", "L", "S", "C", "DC"), label), {
          minLength: 1,
          maxLength: 6,
        }),
        (rdns) => {
          const text = rdns.map(([k, v]) => `${k}=${v}`).join(", ");
          assert.equal(windowsName(parseWindowsName(text)), text);
        },
      ),
    );
  });
});
