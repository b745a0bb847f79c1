import assert from "node:assert/strict";
import forge from "node-forge";
import { importCsCertificate } from "lync-server-emulator/dist/cmdlets/importCsCertificate";
import { requestCsCertificate } from "lync-server-emulator/dist/cmdlets/requestCsCertificate";
import { pemToDer, thumbprintOf, writePfx } from "lync-server-emulator/dist/x509";
import { invoke, invokeError, issueTestCertificate, newTestServer, type TestServer } from "./cmdletHarness";

describe("Import-CsCertificate", () => {
  let server: TestServer;
  beforeEach(() => {
    server = newTestServer();
  });
  afterEach(() => server.dispose());

  /** An offline request, answered by the CA out of band (as a public CA would). */
  async function answeredOfflineRequest(): Promise<string> {
    await invoke(requestCsCertificate, server.host, {
      New: true,
      Type: ["WebServicesExternal"],
      Output: "C:\\req\\ext.req",
      AllSipDomain: true,
    });
    const csrPem = new TextDecoder().decode(server.host.fileSystem.read("C:\\req\\ext.req")!);
    return server.state.authority("dc\\myca")!.issue(csrPem, { now: server.host.now() });
  }

  it("completes an offline request from a PEM .cer: the key comes from the request, which leaves REQUEST", async () => {
    const certificatePem = await answeredOfflineRequest();
    server.host.fileSystem.write("C:\\req\\ext.cer", new TextEncoder().encode(certificatePem));
    const { output } = await invoke(importCsCertificate, server.host, { Path: "C:\\req\\ext.cer" });
    assert.deepEqual(output, []);
    const stored = server.host.getCertificate(thumbprintOf(certificatePem));
    assert.ok(stored?.privateKeyPem, "the certificate joined its key");
    assert.deepEqual(server.host.listPendingRequests(), []);
  });

  it("completes an offline request from a DER .cer and from a .p7b with the chain", async () => {
    const certificatePem = await answeredOfflineRequest();
    server.host.fileSystem.write("C:\\req\\ext.der.cer", pemToDer(certificatePem));
    await invoke(importCsCertificate, server.host, { Path: "C:\\req\\ext.der.cer" });
    assert.equal(server.host.listPendingRequests().length, 0);

    const second = await answeredOfflineRequest();
    const p7 = forge.pkcs7.createSignedData();
    p7.addCertificate(server.state.authority("dc\\myca")!.rootCertificatePem);
    p7.addCertificate(second);
    server.host.fileSystem.write("C:\\req\\ext.p7b", new TextEncoder().encode(forge.pkcs7.messageToPem(p7)));
    await invoke(importCsCertificate, server.host, { Path: "C:\\req\\ext.p7b" });
    const stored = server.host.getCertificate(thumbprintOf(second));
    assert.ok(stored?.privateKeyPem, "the leaf, not the CA root, is imported with the request's key");
  });

  it("imports a PFX with its key, and a bare certificate without one", async () => {
    const withKey = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\a.pfx", writePfx(withKey.certificatePem, withKey.privateKeyPem, "pw"));
    await invoke(importCsCertificate, server.host, {
      Path: "C:\\c\\a.pfx",
      Password: "pw",
      PrivateKeyExportable: true,
    });
    assert.ok(server.host.getCertificate(withKey.thumbprint)?.privateKeyPem);
    assert.equal(server.host.getCertificate(withKey.thumbprint)?.privateKeyExportable, true);

    const bare = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\b.cer", new TextEncoder().encode(bare.certificatePem));
    await invoke(importCsCertificate, server.host, { Path: "C:\\c\\b.cer" });
    const stored = server.host.getCertificate(bare.thumbprint);
    assert.ok(stored);
    assert.equal(stored.privateKeyPem, undefined);
  });

  it("gives the store entry the friendly name the PFX carries", async () => {
    const issued = issueTestCertificate(server);
    const asn1 = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(issued.privateKeyPem),
      [forge.pki.certificateFromPem(issued.certificatePem)],
      "pw",
      { algorithm: "3des", friendlyName: "Supplied web certificate" },
    );
    server.host.fileSystem.write("C:\\c\\named.pfx", Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"));
    await invoke(importCsCertificate, server.host, { Path: "C:\\c\\named.pfx", Password: "pw" });
    assert.equal(server.host.getCertificate(issued.thumbprint)?.friendlyName, "Supplied web certificate");
  });

  it("fails with Windows' text for a wrong PFX password", async () => {
    const issued = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\a.pfx", writePfx(issued.certificatePem, issued.privateKeyPem, "pw"));
    const error = await invokeError(importCsCertificate, server.host, { Path: "C:\\c\\a.pfx", Password: "nope" });
    assert.match(error.message, /The specified network password is not correct\./);
    assert.equal(server.host.getCertificate(issued.thumbprint), undefined);
  });

  it("fails for a file that does not exist", async () => {
    const error = await invokeError(importCsCertificate, server.host, { Path: "C:\\c\\missing.cer" });
    assert.match(error.message, /Could not find file 'C:\\c\\missing\.cer'/);
  });

  it("imports and assigns globally with -Identity global -Type OAuthTokenIssuer", async () => {
    const issued = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\oauth.pfx", writePfx(issued.certificatePem, issued.privateKeyPem, "pw"));
    await invoke(
      importCsCertificate,
      server.host,
      { Identity: "global", Type: ["OAuthTokenIssuer"], Path: "C:\\c\\oauth.pfx", Password: "pw" },
      { parameterSetName: "CMS" },
    );
    assert.deepEqual(server.server("fe02.contoso.com").listAssignments("global"), [
      { type: "OAuthTokenIssuer", thumbprint: issued.thumbprint },
    ]);
  });

  it("refuses a global import without a private key", async () => {
    const bare = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\b.cer", new TextEncoder().encode(bare.certificatePem));
    const error = await invokeError(
      importCsCertificate,
      server.host,
      { Identity: "global", Type: ["OAuthTokenIssuer"], Path: "C:\\c\\b.cer" },
      { parameterSetName: "CMS" },
    );
    assert.match(error.message, /holds no private key/);
    assert.deepEqual(server.host.listAssignments("global"), []);
  });
});
