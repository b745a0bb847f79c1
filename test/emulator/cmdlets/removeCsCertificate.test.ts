import assert from "node:assert/strict";
import { removeCsCertificate } from "lync-server-emulator/dist/cmdlets/removeCsCertificate";
import { invoke, invokeError, newTestServer, storeTestCertificate, type TestServer } from "./cmdletHarness";

describe("Remove-CsCertificate", () => {
  let server: TestServer;
  let seeded: string;
  beforeEach(() => {
    server = newTestServer();
    seeded = server.host.listAssignments("local")[0].thumbprint;
  });
  afterEach(() => server.dispose());

  const types = () => server.host.listAssignments("local").map((a) => a.type);

  it("unassigns a usage with -Force and keeps the certificate in the store", async () => {
    await invoke(removeCsCertificate, server.host, { Type: ["WebServicesExternal"], Force: true });
    assert.deepEqual(types(), ["Default", "WebServicesInternal"]);
    assert.ok(server.host.getCertificate(seeded));
  });

  it("fails as a non-interactive prompt without -Force, and removes nothing", async () => {
    const error = await invokeError(removeCsCertificate, server.host, { Type: ["WebServicesExternal"] });
    assert.equal(
      error.message,
      "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.",
    );
    assert.match(error.fullyQualifiedErrorId, /^InvalidOperation,/);
    assert.equal(types().length, 3);
  });

  it("drops only the previous certificate with -Previous", async () => {
    const next = storeTestCertificate(server);
    server.host.putAssignment("local", { type: "Default", thumbprint: next, previousThumbprint: seeded });
    await invoke(removeCsCertificate, server.host, { Type: ["Default"], Previous: true });
    assert.deepEqual(
      server.host.listAssignments("local").find((a) => a.type === "Default"),
      { type: "Default", thumbprint: next },
    );
  });

  it("unassigns every usage without -Type", async () => {
    await invoke(removeCsCertificate, server.host, { Force: true });
    assert.deepEqual(types(), []);
  });

  // As Microsoft's staging page runs it: Remove-CsCertificate -Type OAuthTokenIssuer -Previous, no -Identity.
  it("removes the global OAuthTokenIssuer with or without -Identity global", async () => {
    const oauth = storeTestCertificate(server);
    server.host.putAssignment("global", { type: "OAuthTokenIssuer", thumbprint: oauth, previousThumbprint: seeded });
    await invoke(removeCsCertificate, server.host, { Type: ["OAuthTokenIssuer"], Previous: true });
    assert.deepEqual(server.host.listAssignments("global"), [{ type: "OAuthTokenIssuer", thumbprint: oauth }]);
    await invoke(removeCsCertificate, server.host, { Type: ["OAuthTokenIssuer"], Identity: "global", Force: true });
    assert.deepEqual(server.host.listAssignments("global"), []);
    assert.equal(types().length, 3, "the local usages stay");
  });

  it("unassigns only the local usages without -Type, leaving the global OAuthTokenIssuer", async () => {
    const oauth = storeTestCertificate(server);
    server.host.putAssignment("global", { type: "OAuthTokenIssuer", thumbprint: oauth });
    await invoke(removeCsCertificate, server.host, { Force: true });
    assert.deepEqual(types(), []);
    assert.equal(server.host.listAssignments("global").length, 1);
  });

  it("changes nothing with -WhatIf", async () => {
    await invoke(removeCsCertificate, server.host, { Type: ["Default"] }, { whatIf: true });
    assert.equal(types().length, 3);
  });
});
