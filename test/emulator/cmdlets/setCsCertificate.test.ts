import assert from "node:assert/strict";
import { getCsCertificate } from "lync-server-emulator/dist/cmdlets/getCsCertificate";
import { setCsCertificate } from "lync-server-emulator/dist/cmdlets/setCsCertificate";
import { PSEnum } from "lync-server-emulator/dist/powershell/values";
import { writePfx } from "lync-server-emulator/dist/x509";
import {
  invoke,
  invokeError,
  issueTestCertificate,
  newTestServer,
  storeTestCertificate,
  type TestServer,
} from "./cmdletHarness";

describe("Set-CsCertificate", () => {
  let server: TestServer;
  let seeded: string;
  beforeEach(() => {
    server = newTestServer();
    seeded = server.host.listAssignments("local")[0].thumbprint;
  });
  afterEach(() => server.dispose());

  const assignment = (type: string, scope: "local" | "global" = "local") =>
    server.host.listAssignments(scope).find((a) => a.type === type);

  it("assigns one usage by thumbprint and keeps the replaced certificate as previous", async () => {
    const next = storeTestCertificate(server);
    const { output } = await invoke(setCsCertificate, server.host, { Type: ["WebServicesExternal"], Thumbprint: next });
    assert.deepEqual(output, []);
    assert.equal(assignment("WebServicesExternal")?.thumbprint, next);
    assert.equal(assignment("WebServicesExternal")?.previousThumbprint, seeded);
    assert.equal(assignment("Default")?.thumbprint, seeded, "other usages keep their certificate");
  });

  it("assigns several usages at once when one certificate is meant for all of them", async () => {
    const next = storeTestCertificate(server);
    await invoke(setCsCertificate, server.host, {
      Type: ["Default", "WebServicesInternal", "WebServicesExternal"],
      Thumbprint: next,
    });
    for (const type of ["Default", "WebServicesInternal", "WebServicesExternal"]) {
      assert.equal(assignment(type)?.thumbprint, next);
    }
  });

  it("accepts a thumbprint in lower case or with spaces, as copied from the MMC", async () => {
    const next = storeTestCertificate(server);
    const spaced = next.toLowerCase().replace(/(..)/g, "$1 ").trim();
    await invoke(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: spaced });
    assert.equal(assignment("Default")?.thumbprint, next);
  });

  it("keeps the old previous certificate when the same thumbprint is assigned again", async () => {
    const next = storeTestCertificate(server);
    await invoke(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: next });
    await invoke(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: next });
    assert.equal(assignment("Default")?.previousThumbprint, seeded);
  });

  it("fails for a thumbprint that is not in Cert:\\LocalMachine\\My and changes nothing", async () => {
    const missing = "0123456789ABCDEF0123456789ABCDEF01234567";
    const error = await invokeError(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: missing });
    assert.match(
      error.message,
      /^Command execution failed: Certificate with thumbprint "0123456789ABCDEF0123456789ABCDEF01234567" is not found/,
    );
    assert.match(error.fullyQualifiedErrorId, /^CertificateNotFound,/);
    assert.equal(assignment("Default")?.thumbprint, seeded);
  });

  it("fails for a certificate without its private key", async () => {
    const keyless = storeTestCertificate(server, { withoutKey: true });
    const error = await invokeError(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: keyless });
    assert.match(error.message, /has no private key/);
    assert.equal(assignment("Default")?.thumbprint, seeded);
  });

  it("fails without -Type rather than guessing a usage", async () => {
    const next = storeTestCertificate(server);
    const error = await invokeError(setCsCertificate, server.host, { Thumbprint: next });
    assert.match(error.message, /-Type/);
    assert.equal(assignment("Default")?.thumbprint, seeded);
  });

  it("fails for -Roll without -EffectiveDate and for -EffectiveDate without -Roll", async () => {
    const next = storeTestCertificate(server);
    const roll = await invokeError(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: next, Roll: true });
    assert.match(roll.message, /Roll parameter requires the EffectiveDate/);
    const date = await invokeError(setCsCertificate, server.host, {
      Type: ["Default"],
      Thumbprint: next,
      EffectiveDate: "7/31/2030 8:00 AM",
    });
    assert.match(date.message, /EffectiveDate parameter can only be used with the Roll/);
    assert.equal(assignment("Default")?.thumbprint, seeded);
  });

  it("stages a roll at -EffectiveDate, parsed as an en-US date", async () => {
    const next = storeTestCertificate(server);
    await invoke(setCsCertificate, server.host, {
      Type: ["Default"],
      Thumbprint: next,
      Roll: true,
      EffectiveTime: undefined,
      EffectiveDate: "7/31/2030 8:00 PM",
    });
    assert.deepEqual(assignment("Default"), {
      type: "Default",
      thumbprint: next,
      previousThumbprint: seeded,
      effectiveDate: "2030-07-31T20:00:00.000Z",
    });
  });

  // Microsoft's staging page runs Set-CsCertificate -Type OAuthTokenIssuer without -Identity: it still acts
  // on the global certificate (the emulator used to refuse it).
  it("assigns OAuthTokenIssuer at the global scope, with or without -Identity global", async () => {
    const first = storeTestCertificate(server, { exportable: true });
    await invoke(setCsCertificate, server.host, { Type: ["OAuthTokenIssuer"], Thumbprint: first });
    assert.equal(assignment("OAuthTokenIssuer", "global")?.thumbprint, first);
    assert.equal(assignment("OAuthTokenIssuer"), undefined, "nothing is assigned on the local computer");
    const next = storeTestCertificate(server, { exportable: true });
    await invoke(setCsCertificate, server.host, { Type: ["OAuthTokenIssuer"], Thumbprint: next, Identity: "global" });
    assert.deepEqual(assignment("OAuthTokenIssuer", "global"), {
      type: "OAuthTokenIssuer",
      thumbprint: next,
      previousThumbprint: first,
    });
    assert.equal(
      server
        .server("fe02.contoso.com")
        .listAssignments("global")
        .find((a) => a.type === "OAuthTokenIssuer")?.thumbprint,
      next,
      "global assignments are shared by every server",
    );
    const wrongScope = await invokeError(setCsCertificate, server.host, {
      Type: ["Default"],
      Thumbprint: next,
      Identity: "global",
    });
    assert.match(wrongScope.message, /cannot be used at the global scope/);
  });

  it("refuses Edge usages on a Front End", async () => {
    const next = storeTestCertificate(server);
    const error = await invokeError(setCsCertificate, server.host, {
      Type: ["Default", "AccessEdgeExternal"],
      Thumbprint: next,
    });
    assert.match(error.message, /AccessEdgeExternal is not used by the Front End Server role of fe01\.contoso\.com/);
    assert.equal(assignment("Default")?.thumbprint, seeded);
  });

  it("changes nothing with -WhatIf", async () => {
    const next = storeTestCertificate(server);
    await invoke(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: next }, { whatIf: true });
    assert.equal(assignment("Default")?.thumbprint, seeded);
  });

  it("reports success and changes nothing once under the ignoreSetCsCertificate fault", async () => {
    const next = storeTestCertificate(server);
    server.host.emulator.setFaults([{ kind: "ignoreSetCsCertificate" }]);
    await invoke(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: next });
    assert.equal(assignment("Default")?.thumbprint, seeded);
    await invoke(setCsCertificate, server.host, { Type: ["Default"], Thumbprint: next });
    assert.equal(assignment("Default")?.thumbprint, next, "the fault fires once");
  });

  it("takes a CertificateReference from the pipeline, with its Use as the type", async () => {
    const next = storeTestCertificate(server);
    await invoke(setCsCertificate, server.host, { Type: ["WebServicesInternal"], Thumbprint: next });
    const refs = (await invoke(getCsCertificate, server.host, { Type: ["WebServicesInternal"] })).output;
    assert.equal(refs.length, 1);
    // Put it back on Default too: the reference carries Use WebServicesInternal, -Type overrides it.
    await invoke(
      setCsCertificate,
      server.host,
      { Reference: refs[0], Type: ["Default"] },
      { parameterSetName: "CertificateReference" },
    );
    assert.equal(assignment("Default")?.thumbprint, next);
    // Without -Type the reference's Use applies.
    await invoke(setCsCertificate, server.host, { Type: ["WebServicesInternal"], Thumbprint: seeded });
    await invoke(setCsCertificate, server.host, { Reference: refs[0] }, { parameterSetName: "CertificateReference" });
    assert.equal(assignment("WebServicesInternal")?.thumbprint, next);
    const use = (refs[0] as { get(n: string): unknown }).get("Use");
    assert.ok(use instanceof PSEnum);
  });

  it("imports and assigns a PFX file with -Identity -Path -Type -Password", async () => {
    const issued = issueTestCertificate(server);
    server.host.fileSystem.write(
      "C:\\certs\\oauth.pfx",
      writePfx(issued.certificatePem, issued.privateKeyPem, "s3cret"),
    );
    await invoke(
      setCsCertificate,
      server.host,
      { Identity: "global", Path: "C:\\certs\\oauth.pfx", Type: ["OAuthTokenIssuer"], Password: "s3cret" },
      { parameterSetName: "Path" },
    );
    assert.equal(assignment("OAuthTokenIssuer", "global")?.thumbprint, issued.thumbprint);
    assert.ok(server.host.getCertificate(issued.thumbprint)?.privateKeyPem);
  });

  it("fails with Windows' text for a wrong PFX password and stores nothing", async () => {
    const issued = issueTestCertificate(server);
    server.host.fileSystem.write(
      "C:\\certs\\oauth.pfx",
      writePfx(issued.certificatePem, issued.privateKeyPem, "s3cret"),
    );
    const error = await invokeError(
      setCsCertificate,
      server.host,
      { Identity: "global", Path: "C:\\certs\\oauth.pfx", Type: ["OAuthTokenIssuer"], Password: "wrong" },
      { parameterSetName: "Path" },
    );
    assert.match(error.message, /The specified network password is not correct\./);
    assert.doesNotMatch(error.message, /wrong|s3cret/);
    assert.equal(server.host.getCertificate(issued.thumbprint), undefined);
  });
});
