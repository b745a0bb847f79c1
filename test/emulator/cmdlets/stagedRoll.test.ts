// Staged rolls (-Roll -EffectiveDate): the new certificate takes over at the effective date on the server's
// clock, the one it replaces stays in force until then, and Remove-CsCertificate -Previous drops it after.

import assert from "node:assert/strict";
import { getCsCertificate } from "lync-server-emulator/dist/cmdlets/getCsCertificate";
import { importCsCertificate } from "lync-server-emulator/dist/cmdlets/importCsCertificate";
import { removeCsCertificate } from "lync-server-emulator/dist/cmdlets/removeCsCertificate";
import { setCsCertificate } from "lync-server-emulator/dist/cmdlets/setCsCertificate";
import { thumbprintInForce } from "lync-server-emulator/dist/cmdlets/lyncRules";
import type { Assignment } from "lync-server-emulator/dist/lyncHost";
import type { LyncServer } from "lync-server-emulator/dist/lyncServer";
import { formatDateTimeEnUs, type PSDateTime, type PSObject } from "lync-server-emulator/dist/powershell/values";
import { writePfx } from "lync-server-emulator/dist/x509";
import {
  invoke,
  invokeError,
  issueTestCertificate,
  newTestServer,
  storeTestCertificate,
  type TestServer,
} from "./cmdletHarness";

const HOUR = 3_600_000;

describe("staged rolls", () => {
  let server: TestServer;
  let seeded: string;
  beforeEach(() => {
    server = newTestServer();
    seeded = server.host.listAssignments("local")[0].thumbprint;
  });
  afterEach(() => server.dispose());

  // Whole seconds, as an en-US date string carries them.
  const hoursAhead = (host: LyncServer, hours: number) =>
    new Date(Math.floor((host.now().getTime() + hours * HOUR) / 1000) * 1000);
  const find = (host: LyncServer, type: string, scope: "local" | "global" = "local"): Assignment | undefined =>
    host.listAssignments(scope).find((a) => a.type === type);

  it("keeps the old certificate in force until the effective date on the server's clock, then switches", async () => {
    const next = storeTestCertificate(server);
    const at = hoursAhead(server.host, 8);
    await invoke(setCsCertificate, server.host, {
      Type: ["Default"],
      Thumbprint: next,
      Roll: true,
      EffectiveDate: formatDateTimeEnUs(at),
    });

    const [row] = (await invoke(getCsCertificate, server.host, { Type: ["Default"] })).output as PSObject[];
    assert.equal(row.get("Thumbprint"), next);
    assert.equal(row.get("PreviousThumbprint"), seeded);
    assert.equal((row.get("EffectiveDate") as PSDateTime).date.toISOString(), at.toISOString());
    assert.equal(thumbprintInForce(find(server.host, "Default")!, server.host.now()), seeded);

    const early = await invokeError(removeCsCertificate, server.host, { Type: ["Default"], Previous: true });
    assert.match(early.message, new RegExp(`previous Default certificate ${seeded} .* is in use until`));
    assert.equal(find(server.host, "Default")?.previousThumbprint, seeded, "nothing was removed");

    // Around the switch some certificate is always in force, and it is in the store.
    for (const offset of [-1, 0, 1]) {
      const inForce = thumbprintInForce(find(server.host, "Default")!, new Date(at.getTime() + offset));
      assert.equal(inForce, offset < 0 ? seeded : next);
      assert.ok(server.host.getCertificate(inForce!));
    }

    server.host.emulator.setTime(new Date(at.getTime() + 1000));
    assert.equal(thumbprintInForce(find(server.host, "Default")!, server.host.now()), next);
    await invoke(removeCsCertificate, server.host, { Type: ["Default"], Previous: true });
    assert.deepEqual(find(server.host, "Default"), { type: "Default", thumbprint: next });
  });

  it("replaces a staged certificate that has not taken over, keeping the one in force as previous", async () => {
    const staged = storeTestCertificate(server);
    const other = storeTestCertificate(server);
    await invoke(setCsCertificate, server.host, {
      Type: ["WebServicesExternal"],
      Thumbprint: staged,
      Roll: true,
      EffectiveDate: formatDateTimeEnUs(hoursAhead(server.host, 24)),
    });
    await invoke(setCsCertificate, server.host, { Type: ["WebServicesExternal"], Thumbprint: other });
    assert.deepEqual(find(server.host, "WebServicesExternal"), {
      type: "WebServicesExternal",
      thumbprint: other,
      previousThumbprint: seeded,
    });
  });

  it("stages the global OAuthTokenIssuer without -Identity, as Microsoft's staging page runs it", async () => {
    const current = storeTestCertificate(server, { exportable: true });
    await invoke(setCsCertificate, server.host, {
      Identity: "global",
      Type: ["OAuthTokenIssuer"],
      Thumbprint: current,
    });
    const next = storeTestCertificate(server, { exportable: true });
    const at = hoursAhead(server.host, 48);
    await invoke(setCsCertificate, server.host, {
      Type: ["OAuthTokenIssuer"],
      Thumbprint: next,
      Roll: true,
      EffectiveDate: formatDateTimeEnUs(at),
    });
    assert.deepEqual(find(server.host, "OAuthTokenIssuer", "global"), {
      type: "OAuthTokenIssuer",
      thumbprint: next,
      previousThumbprint: current,
      effectiveDate: at.toISOString(),
    });

    // Each server switches on its own clock; replication has brought the staged certificate long before.
    const fe02 = server.server("fe02.contoso.com");
    fe02.emulator.setTime(new Date(at.getTime() + 1000));
    assert.ok(fe02.getCertificate(next)?.privateKeyPem);
    await invoke(removeCsCertificate, fe02, { Type: ["OAuthTokenIssuer"], Previous: true });
    assert.deepEqual(find(fe02, "OAuthTokenIssuer", "global"), { type: "OAuthTokenIssuer", thumbprint: next });
  });

  it("stages a global import with Import-CsCertificate -Roll -EffectiveDate", async () => {
    const current = storeTestCertificate(server, { exportable: true });
    await invoke(setCsCertificate, server.host, {
      Identity: "global",
      Type: ["OAuthTokenIssuer"],
      Thumbprint: current,
    });
    const issued = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\next.pfx", writePfx(issued.certificatePem, issued.privateKeyPem, "pw"));
    const at = hoursAhead(server.host, 30);
    await invoke(
      importCsCertificate,
      server.host,
      {
        Identity: "global",
        Type: ["OAuthTokenIssuer"],
        Path: "C:\\c\\next.pfx",
        Password: "pw",
        Roll: true,
        EffectiveDate: formatDateTimeEnUs(at),
      },
      { parameterSetName: "CMS" },
    );
    const staged = find(server.host, "OAuthTokenIssuer", "global")!;
    assert.equal(staged.effectiveDate, at.toISOString());
    assert.equal(thumbprintInForce(staged, server.host.now()), current);
    assert.equal(thumbprintInForce(staged, new Date(at.getTime())), issued.thumbprint);
  });

  it("fails Import-CsCertificate -Roll without -EffectiveDate and assigns nothing", async () => {
    const issued = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\next.pfx", writePfx(issued.certificatePem, issued.privateKeyPem, "pw"));
    const error = await invokeError(
      importCsCertificate,
      server.host,
      { Identity: "global", Type: ["OAuthTokenIssuer"], Path: "C:\\c\\next.pfx", Password: "pw", Roll: true },
      { parameterSetName: "CMS" },
    );
    assert.match(error.message, /Roll parameter requires the EffectiveDate/);
    assert.deepEqual(server.host.listAssignments("global"), []);
    assert.equal(server.host.getCertificate(issued.thumbprint), undefined);
  });

  it("imports locally with -Roll -EffectiveDate without staging anything: a local import names no usage", async () => {
    const issued = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\local.pfx", writePfx(issued.certificatePem, issued.privateKeyPem, "pw"));
    const before = server.host.listAssignments("local");
    await invoke(importCsCertificate, server.host, {
      Path: "C:\\c\\local.pfx",
      Password: "pw",
      Roll: true,
      EffectiveDate: formatDateTimeEnUs(hoursAhead(server.host, 8)),
    });
    assert.ok(server.host.getCertificate(issued.thumbprint));
    assert.deepEqual(server.host.listAssignments("local"), before);
  });
});
