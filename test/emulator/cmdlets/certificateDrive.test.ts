import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { getChildItem } from "lync-server-emulator/dist/cmdlets/getChildItem";
import { getItem } from "lync-server-emulator/dist/cmdlets/getItem";
import { requestCsCertificate } from "lync-server-emulator/dist/cmdlets/requestCsCertificate";
import { testPath } from "lync-server-emulator/dist/cmdlets/testPath";
import { PSDateTime, type PSObject } from "lync-server-emulator/dist/powershell/values";
import { describeCertificate } from "lync-server-emulator/dist/x509";
import { invoke, invokeError, newTestServer, storeTestCertificate, type TestServer } from "./cmdletHarness";

describe("Get-ChildItem, Get-Item and Test-Path on the Cert: drive", () => {
  let server: TestServer;
  beforeEach(() => {
    server = newTestServer();
  });
  afterEach(() => server.dispose());

  it("lists Cert:\\LocalMachine\\My as X509Certificate2 objects with the store's fields", async () => {
    const keyless = storeTestCertificate(server, { withoutKey: true, friendlyName: "no key" });
    const { output } = await invoke(getChildItem, server.host, { Path: ["Cert:\\LocalMachine\\My"] });
    const items = output as PSObject[];
    assert.equal(items.length, server.host.listCertificates().length);
    const item = items.find((i) => i.get("Thumbprint") === keyless)!;
    assert.equal(item.typeNames[0], "System.Security.Cryptography.X509Certificates.X509Certificate2");
    assert.equal(item.get("HasPrivateKey"), false);
    assert.equal(item.get("FriendlyName"), "no key");
    const stored = server.host.getCertificate(keyless)!;
    const info = describeCertificate(stored.certificatePem);
    assert.equal(item.get("Subject"), info.subject);
    assert.equal(item.get("Issuer"), info.issuer);
    assert.equal(item.get("SerialNumber"), info.serialNumber);
    assert.ok(item.get("NotAfter") instanceof PSDateTime);
    assert.equal(Buffer.from(item.get("RawData") as Uint8Array).toString("base64"), info.derBase64);
    const dnsNames = item.get("DnsNameList") as PSObject[];
    assert.deepEqual(dnsNames.map(String), [...info.dnsNames]);
    assert.deepEqual(
      dnsNames.map((n) => n.get("Unicode")),
      [...info.dnsNames],
    );
  });

  it("gets one certificate by path, whatever the case and separators", async () => {
    const thumbprint = storeTestCertificate(server);
    for (const path of [
      `Cert:\\LocalMachine\\My\\${thumbprint}`,
      `cert:/localmachine/my/${thumbprint.toLowerCase()}`,
      `CERT:\\LOCALMACHINE\\MY\\${thumbprint}\\`,
    ]) {
      const { output, errors } = await invoke(getItem, server.host, { Path: [path] });
      assert.deepEqual(errors, [], path);
      assert.equal((output as PSObject[])[0].get("Thumbprint"), thumbprint, path);
    }
    const child = await invoke(getChildItem, server.host, { Path: [`Cert:\\LocalMachine\\My\\${thumbprint}`] });
    assert.equal((child.output as PSObject[])[0].get("Thumbprint"), thumbprint);
  });

  it("lists what a wildcard leaf matches, and nothing without an error when it matches nothing", async () => {
    const thumbprint = storeTestCertificate(server);
    const all = await invoke(getChildItem, server.host, { Path: ["Cert:\\LocalMachine\\My\\*"] });
    assert.equal(all.output.length, server.host.listCertificates().length);
    const one = await invoke(getChildItem, server.host, {
      Path: [`Cert:\\LocalMachine\\My\\${thumbprint.slice(0, 6)}*`],
    });
    assert.deepEqual(
      (one.output as PSObject[]).map((i) => i.get("Thumbprint")),
      [thumbprint],
    );
    const none = await invoke(getChildItem, server.host, { Path: ["Cert:\\LocalMachine\\My\\ZZ*"] });
    assert.deepEqual([none.output, none.errors], [[], []]);
  });

  it("writes PowerShell's ItemNotFound error for a missing certificate", async () => {
    const missing = "Cert:\\LocalMachine\\My\\0000000000000000000000000000000000000000";
    const { output, errors } = await invoke(getItem, server.host, { Path: [missing] });
    assert.deepEqual(output, []);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].message, `Cannot find path '${missing}' because it does not exist.`);
    assert.equal(errors[0].fullyQualifiedErrorId, "PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand");
    assert.equal(errors[0].category, "ObjectNotFound");
  });

  it("lists pending requests in Cert:\\LocalMachine\\REQUEST", async () => {
    await invoke(requestCsCertificate, server.host, { New: true, Type: ["Default"], Output: "C:\\r.req" });
    const { output } = await invoke(getChildItem, server.host, { Path: ["Cert:\\LocalMachine\\REQUEST"] });
    const [item] = output as PSObject[];
    assert.equal(item.get("Thumbprint"), server.host.listPendingRequests()[0].thumbprint);
    assert.equal(item.get("Subject"), "CN=pool01.contoso.com");
    assert.equal(item.get("HasPrivateKey"), true);
    // The placeholder is a real certificate: scripts read its RawData like any other.
    const raw = Buffer.from(item.get("RawData") as Uint8Array);
    assert.equal(createHash("sha1").update(raw).digest("hex").toUpperCase(), item.get("Thumbprint"));
    assert.ok((item.get("DnsNameList") as PSObject[]).map(String).includes("sip.contoso.com"));
  });

  it("fails loudly for anything but the two certificate stores", async () => {
    for (const path of ["C:\\Windows", "Cert:\\CurrentUser\\My", "HKLM:\\Software"]) {
      const error = await invokeError(getChildItem, server.host, { Path: [path] });
      assert.match(error.message, /not supported by the Lync emulator/, path);
    }
    const noPath = await invokeError(getChildItem, server.host, {});
    assert.match(noPath.message, /not supported by the Lync emulator/);
  });

  it("answers Test-Path for a certificate, a store and a file, honouring -PathType", async () => {
    const present = storeTestCertificate(server);
    const missing = "0123456789ABCDEF0123456789ABCDEF01234567";
    server.host.fileSystem.write("C:\\c\\a.txt", Buffer.from("x"));
    const test = async (path: string, pathType?: string) =>
      (await invoke(testPath, server.host, { Path: [path], ...(pathType ? { PathType: pathType } : {}) })).output[0];
    assert.equal(await test(`Cert:\\LocalMachine\\My\\${present.toLowerCase()}`), true);
    assert.equal(await test(`cert:/localmachine/my/${missing}`), false);
    assert.equal(await test("Cert:\\LocalMachine\\My", "Container"), true);
    assert.equal(await test("Cert:\\LocalMachine\\My", "Leaf"), false);
    assert.equal(await test(`Cert:\\LocalMachine\\My\\${present}`, "Container"), false);
    assert.equal(await test("C:\\c\\a.txt"), true);
    assert.equal(await test("C:\\c\\b.txt"), false);
  });
});
