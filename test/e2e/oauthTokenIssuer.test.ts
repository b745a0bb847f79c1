// examples/oauth-token-issuer end to end: the real pulumi CLI, the provider in the engine's own
// process, the emulator as its own process (replication delay 5 minutes of each server's clock),
// checked on the live servers over SSH and in fe01's audit log.

import assert from "node:assert/strict";
import { startExampleEnvironment, type ExampleEnvironment } from "../support/exampleEnvironment";
import type { AdminServer } from "../../scripts/support/lyncAdmin";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";
import { readSampleTopology, serverConfig } from "../../scripts/support/sampleStackConfig";

const SERVERS = ["fe01.contoso.com", "fe02.contoso.com", "dir01.contoso.com"];
const HOUR_MS = 3_600_000;

/** The OAuthTokenIssuer row of Get-CsCertificate on one server, and whether its certificate is in the store. */
interface OAuthRow {
  readonly thumbprint: string;
  readonly previousThumbprint: string;
  readonly effectiveDate: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly inStore: boolean;
}

const OAUTH_ROW = `$ErrorActionPreference = 'Stop'
Import-Module Lync
function Iso($value) { if ($null -eq $value) { return $null }; return ([datetime]$value).ToUniversalTime().ToString('o') }
$rows = @(Get-CsCertificate -Type OAuthTokenIssuer | ForEach-Object {
  [pscustomobject]@{
    Thumbprint = [string]$_.Thumbprint
    PreviousThumbprint = [string]$_.PreviousThumbprint
    EffectiveDate = (Iso $_.EffectiveDate)
    NotBefore = (Iso $_.NotBefore)
    NotAfter = (Iso $_.NotAfter)
    InStore = (Test-Path -Path ('Cert:\\LocalMachine\\My\\' + $_.Thumbprint))
  }
})
ConvertTo-Json -InputObject $rows -Depth 3 -Compress`;

describe("examples/oauth-token-issuer with the real pulumi CLI", function () {
  this.timeout(12 * 60_000);
  const sample = readSampleTopology();
  let env: ExampleEnvironment | undefined;
  let servers: AdminServer[];
  const printed: string[] = [];

  const preview = async (extra: string[] = []) => {
    const result = await env!.stack.preview(extra);
    printed.push(result.output);
    return result;
  };
  const up = async () => printed.push((await env!.stack.up()).output);
  const oauthRow = async (server: AdminServer): Promise<OAuthRow> => {
    const parsed = JSON.parse((await env!.admin.run(server, OAUTH_ROW)).trim() || "[]") as unknown;
    const [row] = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
    assert.ok(row, `${server.fqdn} shows an OAuthTokenIssuer row`);
    return {
      thumbprint: String(row.Thumbprint),
      previousThumbprint: String(row.PreviousThumbprint ?? ""),
      effectiveDate: (row.EffectiveDate as string | null) ?? null,
      notBefore: (row.NotBefore as string | null) ?? null,
      notAfter: (row.NotAfter as string | null) ?? null,
      inStore: row.InStore === true,
    };
  };
  /** Moves every server's clock: each counts replication and effective dates on its own. */
  const later = async (days: number) => {
    for (const server of servers) await env!.admin.run(server, `Set-EmulatorTime -AddDays ${days}`);
  };

  before(async function () {
    this.timeout(ENGINE_BUILD_TIMEOUT_MS);
    await requirePulumiEngine(this);
    env = await startExampleEnvironment("oauth-token-issuer", (emulator, credentials) => ({
      user: credentials.user,
      password: { secret: credentials.password },
      servers: JSON.stringify(SERVERS.map((fqdn) => serverConfig(emulator.server(fqdn)))),
      ca: sample.ca,
      // The sample topology's replication delay is the emulator's default, 5 minutes.
      replicationDelay: "5m",
      renewBeforeDays: "30",
    }));
    servers = SERVERS.map((fqdn) => env!.emulator.server(fqdn));
  });

  after(async function () {
    this.timeout(2 * 60_000);
    await env?.dispose();
  });

  let first: OAuthRow;

  it("assigns one certificate at the global scope, and preview names the servers replication has not reached", async () => {
    await up();
    first = await oauthRow(servers[0]);
    assert.ok(first.inStore, "fe01 assigned it and holds it");
    for (const server of servers.slice(1)) {
      const row = await oauthRow(server);
      assert.equal(row.thumbprint, first.thumbprint, `${server.fqdn} shows the global assignment`);
      assert.equal(row.inStore, false, `${server.fqdn} has not received the certificate yet`);
    }
    const outputs = await env!.stack.outputs();
    assert.equal(outputs.thumbprint, first.thumbprint);
    assert.deepEqual(outputs.serversWithCertificate, [SERVERS[0]]);

    const pending = await preview(["--expect-no-changes"]);
    assert.equal(pending.code, 0, `replication is no change for Pulumi to make:\n${pending.output}`);
    assert.match(
      pending.output,
      new RegExp(`fe02\\.contoso\\.com, dir01\\.contoso\\.com have not received certificate ${first.thumbprint}`),
    );
  });

  it("previews clean once every server's clock has passed the replication delay", async () => {
    await later(0.005); // 7.2 minutes
    for (const server of servers) assert.ok((await oauthRow(server)).inStore, `${server.fqdn} received it`);
    const clean = await preview(["--expect-no-changes"]);
    assert.equal(clean.code, 0, clean.output);
    assert.doesNotMatch(clean.output, /not received|staged, becomes current/);
    printed.push((await env!.stack.refresh()).output);
    // Refresh updates the resource's state (the stack's outputs change only with the next up).
    const exported = await env!.stack.exportState();
    const resource = (exported.deployment.resources ?? []).find((r) => r.type.endsWith(":OAuthTokenIssuer"));
    assert.deepEqual((resource?.outputs as { serversWithCertificate?: string[] })?.serversWithCertificate, SERVERS);
  });

  it("stages a renewal a day ahead, switches at the effective date, then removes the previous certificate", async () => {
    await later(705); // 730-day certificates, renewBeforeDays 30
    const due = await preview();
    assert.match(due.output, /renewal due/);
    await up();
    const staged = await oauthRow(servers[0]);
    assert.notEqual(staged.thumbprint, first.thumbprint);
    assert.equal(staged.previousThumbprint, first.thumbprint, "the old certificate serves until the effective date");
    assert.ok(staged.effectiveDate, "staged with an effective date");
    const waiting = await preview(["--expect-no-changes"]);
    assert.equal(waiting.code, 0, `a staged roll in progress is not drift:\n${waiting.output}`);
    const switchAt = new Date(staged.effectiveDate).toISOString();
    assert.match(waiting.output, new RegExp(`${staged.thumbprint} staged, becomes current at ${switchAt}`));
    const outputs = await env!.stack.outputs();
    assert.equal(outputs.thumbprint, first.thumbprint);
    assert.equal(outputs.stagedThumbprint, staged.thumbprint);

    await later(25 / 24);
    const over = await preview();
    assert.match(over.output, /current on every server.*the previous certificate/);
    await up();
    for (const server of servers) {
      const row = await oauthRow(server);
      assert.equal(row.thumbprint, staged.thumbprint);
      assert.equal(row.previousThumbprint, "", `${server.fqdn}: the previous certificate is gone`);
      assert.ok(row.inStore, `${server.fqdn} holds the new certificate`);
    }
    assert.equal((await preview(["--expect-no-changes"])).code, 0, printed.at(-1));

    // No instant without a valid certificate: the old one outlived the effective date, the new one
    // was valid from before it, and the previous one went only after the switch.
    const audit = await env!.admin.auditLog(servers[0]);
    const roll = audit.find(
      (e) =>
        e.command === "Set-CsCertificate" &&
        e.parameters.Roll === true &&
        e.parameters.Thumbprint === staged.thumbprint,
    );
    assert.ok(roll, "the renewal was assigned with -Roll");
    assert.equal(roll.parameters.Identity, "global");
    const effective = Date.parse(String(roll.parameters.EffectiveDate));
    assert.ok(effective - Date.parse(roll.time) >= 24 * HOUR_MS - 60_000, "at least a day ahead");
    assert.ok(Date.parse(first.notAfter!) > effective, "the old certificate was valid until the switch");
    const renewed = await oauthRow(servers[0]);
    assert.ok(Date.parse(renewed.notBefore!) < effective, "the new certificate was valid at the switch");
    const removal = audit.find((e) => e.command === "Remove-CsCertificate" && e.parameters.Previous === true);
    assert.ok(removal && Date.parse(removal.time) >= effective, "the previous certificate went after the switch");
  });
});
