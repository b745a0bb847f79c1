import assert from "node:assert/strict";
import { getCsCertificate } from "lync-server-emulator/dist/cmdlets/getCsCertificate";
import { PSDateTime, PSEnum, PSObject } from "lync-server-emulator/dist/powershell/values";
import { describeCertificate } from "lync-server-emulator/dist/x509";
import { invoke, invokeError, newTestServer, storeTestCertificate, type TestServer } from "./cmdletHarness";

describe("Get-CsCertificate", () => {
  let server: TestServer;
  beforeEach(() => {
    server = newTestServer();
  });
  afterEach(() => server.dispose());

  const rows = (output: unknown[]) => output as PSObject[];

  it("returns one CertificateReference per assigned usage, a combined certificate once per usage", async () => {
    const { output } = await invoke(getCsCertificate, server.host, {});
    const refs = rows(output);
    assert.deepEqual(
      refs.map((r) => String(r.get("Use"))),
      ["Default", "WebServicesInternal", "WebServicesExternal"],
    );
    assert.equal(new Set(refs.map((r) => r.get("Thumbprint"))).size, 1);
    assert.equal(refs[0].typeNames[0], "Microsoft.Rtc.Management.Deployment.CertificateReference");
  });

  it("describes the certificate from the store: issuer, subject, dates, serial and the full SAN list", async () => {
    const { output } = await invoke(getCsCertificate, server.host, { Type: ["Default"] });
    const [ref] = rows(output);
    const stored = server.host.getCertificate(String(ref.get("Thumbprint")));
    assert.ok(stored);
    const info = describeCertificate(stored.certificatePem);
    assert.equal(ref.get("Subject"), info.subject);
    assert.equal(ref.get("Issuer"), info.issuer);
    assert.equal(ref.get("SerialNumber"), info.serialNumber);
    assert.deepEqual(ref.get("AlternativeNames"), info.dnsNames);
    assert.ok(info.dnsNames.length > 4, "the seeded certificate carries more SANs than a table shows");
    const notAfter = ref.get("NotAfter");
    assert.ok(notAfter instanceof PSDateTime);
    assert.equal(notAfter.date.getTime(), info.notAfter.getTime());
    const use = ref.get("Use");
    assert.ok(use instanceof PSEnum);
    assert.equal(use.typeName, "Microsoft.Rtc.Management.Deployment.CertType");
    assert.equal(use.value, 0);
  });

  it("filters by -Type", async () => {
    const { output } = await invoke(getCsCertificate, server.host, { Type: ["WebServicesExternal", "Default"] });
    assert.deepEqual(
      rows(output).map((r) => String(r.get("Use"))),
      ["Default", "WebServicesExternal"],
    );
  });

  it("lists the global OAuthTokenIssuer on every Front End, and only global ones with -Identity global", async () => {
    const thumbprint = storeTestCertificate(server);
    server.host.putAssignment("global", { type: "OAuthTokenIssuer", thumbprint });
    const all = rows((await invoke(getCsCertificate, server.host, {})).output);
    assert.deepEqual(
      all.map((r) => String(r.get("Use"))),
      ["Default", "WebServicesInternal", "WebServicesExternal", "OAuthTokenIssuer"],
    );
    const global = rows((await invoke(getCsCertificate, server.host, { Identity: "Global" })).output);
    assert.deepEqual(
      global.map((r) => [String(r.get("Use")), r.get("Thumbprint"), r.get("SourceScope")]),
      [["OAuthTokenIssuer", thumbprint, "Global"]],
    );
  });

  it("lists an assignment whose certificate left the store, with its thumbprint, no details and a warning", async () => {
    const [seeded] = server.host.listAssignments("local");
    server.host.removeCertificate(seeded.thumbprint);
    const { output, warnings } = await invoke(getCsCertificate, server.host, { Type: ["Default"] });
    const [ref] = rows(output);
    assert.equal(ref.get("Thumbprint"), seeded.thumbprint);
    assert.equal(ref.get("Subject"), null);
    assert.equal(ref.get("NotAfter"), null);
    assert.deepEqual(ref.get("AlternativeNames"), []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], new RegExp(`${seeded.thumbprint}.*not found`));
  });

  it("shows the previous thumbprint and the effective date of a staged roll", async () => {
    const [seeded] = server.host.listAssignments("local");
    const next = storeTestCertificate(server);
    server.host.putAssignment("local", {
      type: "Default",
      thumbprint: next,
      previousThumbprint: seeded.thumbprint,
      effectiveDate: "2030-01-02T03:04:05.000Z",
    });
    const [ref] = rows((await invoke(getCsCertificate, server.host, { Type: ["Default"] })).output);
    assert.equal(ref.get("PreviousThumbprint"), seeded.thumbprint);
    assert.equal((ref.get("EffectiveDate") as PSDateTime).date.toISOString(), "2030-01-02T03:04:05.000Z");
  });

  it("rejects an -Identity other than global", async () => {
    const error = await invokeError(getCsCertificate, server.host, { Identity: "site:Redmond" });
    assert.match(error.message, /Identity "site:Redmond" is not valid/);
    assert.equal(error.category, "InvalidArgument");
  });

  it("writes an HTML report with -Report", async () => {
    await invoke(getCsCertificate, server.host, { Report: "C:\\Logs\\certs.html" });
    const report = server.host.fileSystem.read("C:\\Logs\\certs.html");
    assert.ok(report);
    assert.match(new TextDecoder().decode(report), /WebServicesExternal/);
  });
});
