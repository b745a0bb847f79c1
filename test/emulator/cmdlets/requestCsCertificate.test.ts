import assert from "node:assert/strict";
import { requestCsCertificate } from "lync-server-emulator/dist/cmdlets/requestCsCertificate";
import type { PSEnum, PSObject } from "lync-server-emulator/dist/powershell/values";
import { describeCertificate, readCsr } from "lync-server-emulator/dist/x509";
import { invoke, invokeError, newTestServer, type TestServer } from "./cmdletHarness";

const MOBILITY = {
  New: true,
  Type: ["Default", "WebServicesInternal", "WebServicesExternal"],
  CA: "dc\\myca",
} as const;

describe("Request-CsCertificate", () => {
  let server: TestServer;
  beforeEach(() => {
    server = newTestServer();
  });
  afterEach(() => server.dispose());

  const only = (output: unknown[]) => {
    assert.equal(output.length, 1);
    return output[0] as PSObject;
  };

  it("issues online with -AllSipDomain: Autodiscover names for every SIP domain, key in the store, Thumbprint returned", async () => {
    const { output } = await invoke(requestCsCertificate, server.host, { ...MOBILITY, AllSipDomain: true });
    const result = only(output);
    const thumbprint = String(result.get("Thumbprint"));
    const stored = server.host.getCertificate(thumbprint);
    assert.ok(stored?.privateKeyPem, "the issued certificate lands in My with its key");
    const info = describeCertificate(stored.certificatePem);
    assert.equal(info.subject, "CN=pool01.contoso.com");
    for (const name of [
      "lyncdiscoverinternal.contoso.com",
      "lyncdiscoverinternal.contoso.net",
      "lyncdiscover.contoso.com",
      "lyncdiscover.contoso.net",
      "sip.contoso.net",
      "fe01.contoso.com",
    ]) {
      assert.ok(info.dnsNames.includes(name), `${name} in ${info.dnsNames.join(", ")}`);
    }
    assert.deepEqual(result.get("AlternativeNames"), info.dnsNames);
    assert.equal(result.get("Subject"), info.subject);
    assert.equal(result.get("SerialNumber"), info.serialNumber.toUpperCase());
    assert.equal(info.publicKeyBits, 2048);
    assert.equal(
      server.host.listAssignments("local")[0].thumbprint === thumbprint,
      false,
      "requesting assigns nothing",
    );
  });

  it("adds -DomainName's comma-separated names, trimmed", async () => {
    const { output } = await invoke(requestCsCertificate, server.host, {
      ...MOBILITY,
      Type: ["WebServicesExternal"],
      DomainName: "Lyncdiscover.contoso.com,  Lyncdiscover.contoso.net ",
    });
    const info = describeCertificate(
      server.host.getCertificate(String(only(output).get("Thumbprint")))!.certificatePem,
    );
    assert.ok(info.dnsNames.includes("Lyncdiscover.contoso.com"));
    assert.ok(info.dnsNames.includes("Lyncdiscover.contoso.net"));
    assert.ok(!info.dnsNames.some((n) => n !== n.trim() || n === ""));
  });

  it("uses -KeySize and -FriendlyName, and -PrivateKeyExportable", async () => {
    const { output } = await invoke(requestCsCertificate, server.host, {
      ...MOBILITY,
      KeySize: 1024,
      FriendlyName: "Mobility 2026",
      PrivateKeyExportable: true,
    });
    const stored = server.host.getCertificate(String(only(output).get("Thumbprint")))!;
    assert.equal(describeCertificate(stored.certificatePem).publicKeyBits, 1024);
    assert.equal(stored.friendlyName, "Mobility 2026");
    assert.equal(stored.privateKeyExportable, true);
  });

  it("rejects a key size outside 1024, 2048, 4096 and ECDH key algorithms", async () => {
    const size = await invokeError(requestCsCertificate, server.host, { ...MOBILITY, KeySize: 3072 });
    assert.match(size.message, /does not belong to the set "1024,2048,4096"/);
    const ecdh = await invokeError(requestCsCertificate, server.host, { ...MOBILITY, KeyAlg: "ECDH_P256" });
    assert.match(ecdh.message, /not supported by the Lync emulator/);
    assert.equal(ecdh.category, "NotImplemented");
  });

  it("returns only the documented CertificateReference properties for an issued certificate", async () => {
    const result = only((await invoke(requestCsCertificate, server.host, { ...MOBILITY })).output);
    assert.deepEqual(result.typeNames[0], "Microsoft.Rtc.Management.Deployment.CertificateReference");
    assert.deepEqual(
      [...result.entries()].map(([name]) => name),
      ["Issuer", "NotAfter", "NotBefore", "SerialNumber", "Subject", "AlternativeNames", "Thumbprint", "Use"],
    );
    assert.equal(result.get("Issuer"), "CN=contoso-DC-CA, DC=contoso, DC=com");
  });

  it("writes an offline request with -Output: CSR on disk, pending request kept, nothing returned", async () => {
    const { output, warnings } = await invoke(requestCsCertificate, server.host, {
      New: true,
      Type: ["WebServicesExternal"],
      Output: "C:\\Certificates\\WebServicesExternal.req",
      AllSipDomain: true,
    });
    assert.deepEqual(output, []);
    assert.deepEqual(warnings, []);
    const csr = server.host.fileSystem.read("C:\\Certificates\\WebServicesExternal.req");
    assert.ok(csr);
    const parsed = readCsr(new TextDecoder().decode(csr));
    assert.ok(parsed.dnsNames.includes("lyncdiscover.contoso.net"));
    const [pending] = server.host.listPendingRequests();
    assert.equal(pending.outputPath, "C:\\Certificates\\WebServicesExternal.req");
    assert.deepEqual(pending.types, ["WebServicesExternal"]);
    assert.equal(server.state.authority("dc\\myca")!.state.requestCount, 0, "an offline request never reaches the CA");
  });

  it("needs -Ca or -Output", async () => {
    const error = await invokeError(requestCsCertificate, server.host, { New: true, Type: ["Default"] });
    assert.match(error.message, /-Ca "<CA host>\\<CA name>"/);
  });

  it("fails with the CA's text when the CA denies, and stores nothing", async () => {
    server.host.emulator.setCaBehavior({ kind: "deny" });
    const before = server.host.listCertificates().length;
    const error = await invokeError(requestCsCertificate, server.host, { ...MOBILITY });
    assert.match(error.message, /Denied by Policy Module 0x80094800/);
    assert.equal(server.host.listCertificates().length, before);
  });

  it("passes on the CA client's failure when the CA is unreachable", async () => {
    server.host.emulator.setCaBehavior({ kind: "unreachable" });
    const error = await invokeError(requestCsCertificate, server.host, { ...MOBILITY });
    assert.match(error.message, /Unable to contact certification authority/);
  });

  it("enrolls as -CaAccount: an account without rights gets the CA's refusal", async () => {
    server.state.setAccounts([{ name: "CONTOSO\\someone", password: "pw" }]);
    const error = await invokeError(requestCsCertificate, server.host, {
      ...MOBILITY,
      CaAccount: "CONTOSO\\someone",
      CaPassword: "pw",
    });
    assert.match(error.message, /do not allow the current user to enroll/);
    assert.doesNotMatch(error.message, /pw\b/);
  });

  it("returns nothing for a request the CA leaves pending, and warns with its request ID", async () => {
    server.host.emulator.setCaBehavior({ kind: "pending" });
    const { output, warnings } = await invoke(requestCsCertificate, server.host, { ...MOBILITY });
    assert.deepEqual(output, []);
    assert.equal(warnings.length, 1);
    const requestId = Number(/request (\d+) is pending/.exec(warnings[0])?.[1]);
    const record = server.state.authority("dc\\myca")!.state.requests[String(requestId)];
    assert.equal(record?.status, "Pending", warnings[0]);
    assert.match(warnings[0], new RegExp(`Request-CsCertificate -Retrieve -RequestId ${requestId}\\b`));
    assert.equal(server.host.listPendingRequests().length, 1, "the key waits in the REQUEST store");
  });

  it("lists the requests the CA left pending with RequestId and CertificateUses, not offline ones", async () => {
    await invoke(requestCsCertificate, server.host, { New: true, Type: ["WebServicesExternal"], Output: "C:\\r.req" });
    server.host.emulator.setCaBehavior({ kind: "pending" });
    await invoke(requestCsCertificate, server.host, { ...MOBILITY });
    await invoke(requestCsCertificate, server.host, { ...MOBILITY, Type: ["WebServicesInternal"] });
    const database = server.state.authority("dc\\myca")!.state.requests;
    const pendingIds = Object.values(database)
      .filter((r) => r.status === "Pending")
      .map((r) => r.requestId);

    const { output } = await invoke(requestCsCertificate, server.host, { List: true }, { parameterSetName: "ByList" });
    const listed = output as PSObject[];
    assert.deepEqual(
      listed.map((o) => o.get("RequestId")),
      pendingIds,
    );
    assert.deepEqual(
      listed.map((o) => (o.get("CertificateUses") as PSEnum[]).map((u) => u.name)),
      [["Default", "WebServicesInternal", "WebServicesExternal"], ["WebServicesInternal"]],
    );
    assert.deepEqual(
      [...listed[0].entries()].map(([name]) => name),
      ["RequestId", "CertificateUses"],
    );
    const one = await invoke(
      requestCsCertificate,
      server.host,
      { List: true, RequestId: pendingIds[1] },
      { parameterSetName: "ByList" },
    );
    assert.deepEqual(
      (one.output as PSObject[]).map((o) => o.get("RequestId")),
      [pendingIds[1]],
    );
  });

  it("retrieves a pending request once the CA issues it: warns while pending, then returns the certificate", async () => {
    server.host.emulator.setCaBehavior({ kind: "pending" });
    const { warnings } = await invoke(requestCsCertificate, server.host, { ...MOBILITY, FriendlyName: "Mobility" });
    const requestId = Number(/request (\d+)/.exec(warnings[0])?.[1]);
    const retrieve = () =>
      invoke(
        requestCsCertificate,
        server.host,
        { Retrieve: true, RequestId: requestId },
        { parameterSetName: "ByRetrieve" },
      );

    const still = await retrieve();
    assert.deepEqual(still.output, []);
    assert.match(still.warnings[0], new RegExp(`request ${requestId} is pending`));

    server.host.emulator.setCaBehavior({ kind: "issue" });
    const issued = only((await retrieve()).output);
    const stored = server.host.getCertificate(String(issued.get("Thumbprint")));
    assert.ok(stored?.privateKeyPem);
    assert.equal(stored.friendlyName, "Mobility");
    assert.deepEqual(server.host.listPendingRequests(), []);
    const listed = await invoke(requestCsCertificate, server.host, { List: true }, { parameterSetName: "ByList" });
    assert.deepEqual(listed.output, []);
  });

  it("clears pending requests, one by -RequestId or all", async () => {
    server.host.emulator.setCaBehavior({ kind: "pending" });
    const first = await invoke(requestCsCertificate, server.host, { ...MOBILITY });
    await invoke(requestCsCertificate, server.host, { ...MOBILITY });
    const firstId = Number(/request (\d+)/.exec(first.warnings[0])?.[1]);
    await invoke(
      requestCsCertificate,
      server.host,
      { Clear: true, RequestId: firstId },
      { parameterSetName: "ByClear" },
    );
    assert.equal(server.host.listPendingRequests().length, 1);
    await invoke(requestCsCertificate, server.host, { Clear: true }, { parameterSetName: "ByClear" });
    assert.equal(server.host.listPendingRequests().length, 0);
    const missing = await invokeError(
      requestCsCertificate,
      server.host,
      { List: true, RequestId: 999 },
      { parameterSetName: "ByList" },
    );
    assert.match(missing.message, /No pending certificate request with ID 999/);
  });

  it("writes verbose lines with -Verbose, naming the computed names", async () => {
    const { verbose } = await invoke(
      requestCsCertificate,
      server.host,
      { ...MOBILITY, AllSipDomain: true },
      { verbose: true },
    );
    assert.ok(
      verbose.some((line) =>
        /^Creating new log file ".*Request-CsCertificate-\[\d{4}_\d{2}_\d{2}\]\[\d{2}_\d{2}_\d{2}\]\.xml"\.$/.test(
          line,
        ),
      ),
    );
    assert.ok(verbose.some((line) => line.includes("lyncdiscover.contoso.net")));
  });

  it("requests for another computer of the topology with -ComputerFqdn", async () => {
    const { output } = await invoke(requestCsCertificate, server.host, {
      ...MOBILITY,
      ComputerFqdn: "dir01.contoso.com",
    });
    const info = describeCertificate(
      server.host.getCertificate(String(only(output).get("Thumbprint")))!.certificatePem,
    );
    assert.equal(info.subject, "CN=dirpool.contoso.com");
    const error = await invokeError(requestCsCertificate, server.host, {
      ...MOBILITY,
      ComputerFqdn: "nowhere.contoso.com",
    });
    assert.match(error.message, /not in the topology/);
  });

  it("refuses Edge usages for a Front End or Director", async () => {
    const error = await invokeError(requestCsCertificate, server.host, {
      ...MOBILITY,
      Type: ["External"],
      ComputerFqdn: "dir01",
    });
    assert.match(error.message, /External is not used by the Director role of dir01\.contoso\.com/);
    assert.equal(server.state.authority("dc\\myca")!.state.requestCount, 0);
  });

  it("changes nothing with -WhatIf", async () => {
    await invoke(requestCsCertificate, server.host, { ...MOBILITY }, { whatIf: true });
    assert.equal(server.state.authority("dc\\myca")!.state.requestCount, 0);
  });
});
