// OAuthTokenIssuer, the one global certificate: assigned once on any Front End, kept in the Central
// Management store, and deployed with its key to the other Front Ends and Directors after the topology's
// replication delay, counted on each receiving server's own clock.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getCsCertificate } from "lync-server-emulator/dist/cmdlets/getCsCertificate";
import { getItem } from "lync-server-emulator/dist/cmdlets/getItem";
import { importCsCertificate } from "lync-server-emulator/dist/cmdlets/importCsCertificate";
import { setCsCertificate } from "lync-server-emulator/dist/cmdlets/setCsCertificate";
import { EmulatorState } from "lync-server-emulator/dist/emulatorState";
import type { LyncServer } from "lync-server-emulator/dist/lyncServer";
import type { PSObject } from "lync-server-emulator/dist/powershell/values";
import { loadTopology, SAMPLE_TOPOLOGY_PATH } from "lync-server-emulator/dist/topology";
import { writePfx } from "lync-server-emulator/dist/x509";
import {
  invoke,
  invokeError,
  issueTestCertificate,
  newTestServer,
  storeTestCertificate,
  type TestServer,
} from "./cmdletHarness";

const MINUTE = 60_000;

describe("global certificates (OAuthTokenIssuer)", () => {
  let server: TestServer;
  let fe02: LyncServer;
  let dir01: LyncServer;
  beforeEach(() => {
    server = newTestServer();
    fe02 = server.server("fe02.contoso.com");
    dir01 = server.server("dir01.contoso.com");
  });
  afterEach(() => server.dispose());

  const later = (host: LyncServer, minutes: number) =>
    host.emulator.setTime(new Date(host.now().getTime() + minutes * MINUTE));
  const oauthRow = async (host: LyncServer) => {
    const { output, warnings } = await invoke(getCsCertificate, host, { Type: ["OAuthTokenIssuer"] });
    return { rows: output as PSObject[], warnings };
  };
  const certItem = async (host: LyncServer, thumbprint: string) =>
    (await invoke(getItem, host, { Path: [`Cert:\\LocalMachine\\My\\${thumbprint}`] })).output;

  it("shows the global assignment on another Front End at once, and its certificate only after the delay", async () => {
    const oauth = storeTestCertificate(server, { exportable: true });
    await invoke(setCsCertificate, server.host, { Identity: "global", Type: ["OAuthTokenIssuer"], Thumbprint: oauth });

    const before = await oauthRow(fe02);
    assert.deepEqual(
      before.rows.map((r) => [r.get("Thumbprint"), r.get("SourceScope"), r.get("Subject")]),
      [[oauth, "Global", null]],
    );
    assert.match(before.warnings.join("\n"), /has not deployed the global certificate to this server yet/);
    assert.deepEqual(await certItem(fe02, oauth), [], "Cert:\\LocalMachine\\My\\<thumbprint> is not there yet");

    later(fe02, 4);
    assert.equal(fe02.getCertificate(oauth), undefined, "4 minutes are not enough: the default delay is 5");
    later(fe02, 2);
    const replica = fe02.getCertificate(oauth);
    assert.ok(replica?.privateKeyPem, "the replica carries the private key");
    assert.equal((await certItem(fe02, oauth)).length, 1);
    const after = await oauthRow(fe02);
    assert.equal(after.rows[0].get("Subject"), "CN=pool01.contoso.com");
    assert.deepEqual(after.warnings, []);

    assert.equal(dir01.getCertificate(oauth), undefined, "the Director counts the delay on its own clock");
    later(dir01, 6);
    assert.ok(dir01.getCertificate(oauth)?.privateKeyPem, "Directors receive it too");
  });

  it("deploys a PFX imported with Import-CsCertificate -Identity global, and keeps it across a restart", async () => {
    const issued = issueTestCertificate(server);
    server.host.fileSystem.write("C:\\c\\oauth.pfx", writePfx(issued.certificatePem, issued.privateKeyPem, "pw"));
    await invoke(
      importCsCertificate,
      server.host,
      { Identity: "global", Type: ["OAuthTokenIssuer"], Path: "C:\\c\\oauth.pfx", Password: "pw" },
      { parameterSetName: "CMS" },
    );
    assert.ok(server.host.getCertificate(issued.thumbprint), "the importing server has it at once");
    server.state.saveAll();

    const reopened = EmulatorState.open(server.state.stateDir, server.state.topology).server("fe02.contoso.com");
    assert.equal(reopened.getCertificate(issued.thumbprint), undefined);
    later(reopened, 6);
    assert.ok(reopened.getCertificate(issued.thumbprint)?.privateKeyPem);
  });

  it("refuses a certificate whose private key cannot be exported, and assigns nothing", async () => {
    const fixed = storeTestCertificate(server);
    const error = await invokeError(setCsCertificate, server.host, {
      Identity: "global",
      Type: ["OAuthTokenIssuer"],
      Thumbprint: fixed,
    });
    assert.match(error.message, /^Command execution failed: Key not valid for use in specified state\./);
    assert.match(error.message, /-PrivateKeyExportable \$true/);
    assert.equal(error.fullyQualifiedErrorId.split(",")[0], "PrivateKeyNotExportable");
    assert.deepEqual(server.host.listAssignments("global"), []);
    later(fe02, 60);
    assert.equal(fe02.getCertificate(fixed), undefined, "nothing was handed to replication");
  });

  it("refuses a key under 2048 bits, by thumbprint and from a PFX", async () => {
    const short = storeTestCertificate(server, { exportable: true, keyBits: 1024 });
    const byThumbprint = await invokeError(setCsCertificate, server.host, {
      Type: ["OAuthTokenIssuer"],
      Thumbprint: short,
    });
    assert.match(byThumbprint.message, /has a 1024-bit key; a global certificate needs a key of at least 2048 bits/);

    const issued = issueTestCertificate(server, { keyBits: 1024 });
    server.host.fileSystem.write("C:\\c\\short.pfx", writePfx(issued.certificatePem, issued.privateKeyPem, "pw"));
    const fromPfx = await invokeError(
      importCsCertificate,
      server.host,
      { Identity: "global", Type: ["OAuthTokenIssuer"], Path: "C:\\c\\short.pfx", Password: "pw" },
      { parameterSetName: "CMS" },
    );
    assert.match(fromPfx.message, /1024-bit key/);
    assert.deepEqual(server.host.listAssignments("global"), []);
    assert.equal(server.host.getCertificate(issued.thumbprint), undefined);
  });

  it("takes the delay from the topology's replicationDelayMinutes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lync-replication-"));
    try {
      cpSync(server.state.stateDir, dir, { recursive: true });
      const state = EmulatorState.open(dir, { ...loadTopology(SAMPLE_TOPOLOGY_PATH), replicationDelayMinutes: 60 });
      const fe01 = state.server("fe01.contoso.com");
      const other = state.server("fe02.contoso.com");
      const oauth = issueTestCertificate(server);
      fe01.putCertificate({ ...oauth, friendlyName: "oauth", privateKeyExportable: true });
      await invoke(setCsCertificate, fe01, { Type: ["OAuthTokenIssuer"], Thumbprint: oauth.thumbprint });
      later(other, 59);
      assert.equal(other.getCertificate(oauth.thumbprint), undefined);
      later(other, 2);
      assert.ok(other.getCertificate(oauth.thumbprint));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
