// examples/edge end to end on an emulated Edge Server: offline requests for both certificates (the
// external one answered by a public CA, the internal one by the internal CA), the Edge names of the
// topology required on them, and every Edge usage assigned as the emulator's Get-CsCertificate shows.

import assert from "node:assert/strict";
import { describeCertificate, readCsr, thumbprintOf } from "lync-server-emulator/dist/x509";
import { SAMPLE_TOPOLOGY } from "../../scripts/support/emulatorProcess";
import { startExampleEnvironment, type ExampleEnvironment } from "../support/exampleEnvironment";
import { issueFromInternalCa } from "../support/internalCa";
import type { AdminServer, AuditEntry } from "../../scripts/support/lyncAdmin";
import { PublicCa } from "../support/publicCa";
import { ENGINE_BUILD_TIMEOUT_MS, requirePulumiEngine } from "../support/requirePulumiEngine";
import { readSampleTopology, serverConfig } from "../../scripts/support/sampleStackConfig";

const EDGE01 = "edge01.contoso.com";
const HOUR = 60 * 60 * 1000;
const EXTERNAL = ["AccessEdgeExternal", "DataEdgeExternal", "AudioVideoAuthentication", "XmppServer"];

describe("examples/edge with the real pulumi CLI", function () {
  this.timeout(5 * 60_000);
  const sample = readSampleTopology();
  const publicCa = new PublicCa();
  let env: ExampleEnvironment | undefined;
  let edge: AdminServer;
  let externalPem: string;
  let internalPem: string;
  /** Every certificate an A/V authentication assignment may name. */
  const issued: string[] = [];

  const held = async () =>
    Object.fromEntries((await env!.admin.getCsCertificate(edge)).map((row) => [row.use, row.thumbprint]));

  before(async function () {
    this.timeout(ENGINE_BUILD_TIMEOUT_MS);
    await requirePulumiEngine(this);
    env = await startExampleEnvironment("edge", (emulator, credentials) => ({
      user: credentials.user,
      password: { secret: credentials.password },
      server: JSON.stringify(serverConfig(emulator.server(EDGE01))),
      xmppFederation: "true",
    }));
    edge = env.emulator.server(EDGE01);
  });

  after(async function () {
    this.timeout(2 * 60_000);
    await env?.dispose();
  });

  it("exports both CSRs on the first pulumi up, asking for the topology's Edge names, and assigns nothing yet", async () => {
    await env!.stack.up();
    const outputs = await env!.stack.outputs();
    const external = readCsr(outputs.externalCsr as string);
    assert.equal(external.subject, "CN=sip.contoso.com");
    const names = external.dnsNames.map((n) => n.toLowerCase());
    for (const domain of sample.sipDomains) {
      for (const name of [`sip.${domain}`, `xmpp.${domain}`]) assert.ok(names.includes(name), `${name}: ${names}`);
    }
    assert.ok(names.includes("webcon.contoso.com"), names.join(", "));
    assert.equal(readCsr(outputs.internalCsr as string).subject, "CN=edgepool.contoso.com");
    assert.deepEqual(await held(), {}, "nothing is assigned before the CAs answer");
  });

  it("refuses a public CA's answer that lacks a name the topology requires, saying which and why", async () => {
    const outputs = await env!.stack.outputs();
    const lacking = publicCa.answerWithout(outputs.externalCsr as string, ["sip.contoso.net"]);
    await env!.stack.setConfig("externalCertificatePem", lacking);
    const up = await env!.stack.run(["up", "--yes", "--skip-preview", "--non-interactive"]);
    assert.notEqual(up.code, 0, up.output);
    assert.match(
      up.output,
      /certificate lacks sip\.contoso\.net \(the Access Edge name of SIP domain contoso\.net in the topology\)/,
    );
    const thumbprints = await held();
    for (const use of EXTERNAL) assert.equal(thumbprints[use], undefined, `${use} stays unassigned`);
  });

  it("assigns the public CA's external certificate and the internal CA's internal one once they are in config", async () => {
    const outputs = await env!.stack.outputs();
    externalPem = publicCa.answer(outputs.externalCsr as string);
    internalPem = issueFromInternalCa(env!.emulator.stateDir, SAMPLE_TOPOLOGY, outputs.internalCsr as string);
    issued.push(externalPem);
    await env!.stack.setConfig("externalCertificatePem", externalPem);
    await env!.stack.setConfig("internalCertificatePem", internalPem);
    await env!.stack.up();
    const rows = await env!.admin.getCsCertificate(edge);
    const thumbprints = await held();
    for (const use of EXTERNAL) assert.equal(thumbprints[use], thumbprintOf(externalPem), use);
    assert.equal(thumbprints.Internal, thumbprintOf(internalPem));
    assert.match(rows.find((r) => r.use === "Internal")!.issuer, /CN=contoso-DC-CA/);
    assert.match(rows.find((r) => r.use === "AccessEdgeExternal")!.issuer, /CN=Test Public Root CA/);
    const outputsAfter = await env!.stack.outputs();
    assert.equal(outputsAfter.externalThumbprint, thumbprintOf(externalPem));
    assert.equal(outputsAfter.internalThumbprint, thumbprintOf(internalPem));
  });

  it("passes preview --expect-no-changes, refreshes and stays quiet", async () => {
    let preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(preview.code, 0, preview.output);
    await env!.stack.refresh();
    preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(preview.code, 0, preview.output);
  });

  it("reports a hand-assigned external certificate and puts the declared one back", async () => {
    // An administrator's own offline request, answered and assigned by hand.
    await env!.admin.run(
      edge,
      `$ErrorActionPreference = 'Stop'\nImport-Module Lync\nRequest-CsCertificate -New -Type ${EXTERNAL.join(",")} -Output C:\\admin.csr`,
    );
    const csr = await env!.admin.run(edge, "[System.IO.File]::ReadAllText('C:\\admin.csr')");
    const handMade = publicCa.answer(csr.trim());
    issued.push(handMade);
    const base64 = Buffer.from(handMade).toString("base64");
    await env!.admin.run(
      edge,
      `$ErrorActionPreference = 'Stop'\nImport-Module Lync\n[System.IO.File]::WriteAllBytes('C:\\admin.cer', [Convert]::FromBase64String('${base64}'))\n` +
        `Import-CsCertificate -Path C:\\admin.cer\nSet-CsCertificate -Type ${EXTERNAL.join(",")} -Thumbprint ${thumbprintOf(handMade)}`,
    );
    assert.equal((await held()).AccessEdgeExternal, thumbprintOf(handMade));

    const preview = await env!.stack.preview(["--expect-no-changes"]);
    assert.notEqual(preview.code, 0, preview.output);
    assert.ok(
      preview.output.includes(
        `${EXTERNAL.join(", ")}: holds certificate ${thumbprintOf(handMade)}, the declared certificate is ${thumbprintOf(externalPem)}`,
      ),
      preview.output,
    );
    await env!.stack.up();
    const thumbprints = await held();
    for (const use of EXTERNAL) assert.equal(thumbprints[use], thumbprintOf(externalPem), use);
  });

  it("renews A/V authentication staged 8 hours ahead, switching when the clock passes, never without a valid certificate", async function () {
    this.timeout(15 * 60_000);
    // Two thirds into the certificates' two years, both are due. Renewing from a public CA is a new offline
    // request: the old answers leave the config, the new CSRs go to the CAs, their answers come back.
    await env!.admin.addDays(edge, 500);
    for (const key of ["externalCertificatePem", "internalCertificatePem"])
      await env!.stack.expectSuccess(["config", "rm", key], `removing ${key}`);
    const serverNow = async () => new Date((await env!.admin.run(edge, "[DateTime]::UtcNow.ToString('o')")).trim());
    await env!.stack.up();
    const outputs = await env!.stack.outputs();
    const issuedAt = await serverNow();
    const renewedPem = publicCa.answer(outputs.externalCsr as string, issuedAt);
    const internalRenewed = issueFromInternalCa(
      env!.emulator.stateDir,
      SAMPLE_TOPOLOGY,
      outputs.internalCsr as string,
      issuedAt,
    );
    await env!.stack.setConfig("externalCertificatePem", renewedPem);
    await env!.stack.setConfig("internalCertificatePem", internalRenewed);
    await env!.stack.up();

    const staged = (await rolls()).AudioVideoAuthentication;
    assert.equal(staged.thumbprint, thumbprintOf(renewedPem));
    assert.equal(staged.previousThumbprint, thumbprintOf(externalPem), "the old certificate serves until the date");
    const effective = Date.parse(staged.effectiveDate!);
    const lead = effective - (await serverNow()).getTime();
    assert.ok(lead > 7.5 * HOUR && lead <= 8 * HOUR + 5 * 60_000, `staged ${lead / HOUR} hours ahead`);
    assert.equal((await held()).AccessEdgeExternal, thumbprintOf(renewedPem), "the other usages switch at once");
    const during = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(during.code, 0, `a staged roll in progress is not drift:\n${during.output}`);
    assert.match(during.output, /staged, becomes current at/);

    await env!.admin.addDays(edge, 1);
    const after = (await rolls()).AudioVideoAuthentication;
    assert.ok(
      Date.parse(after.effectiveDate ?? "0") <= (await serverNow()).getTime(),
      "the new certificate is current",
    );
    const quiet = await env!.stack.preview(["--expect-no-changes"]);
    assert.equal(quiet.code, 0, quiet.output);

    // From the audit log: which certificate served A/V authentication from when (the hand-assigned one of
    // the drift test included), and each one valid throughout its time.
    const served = avTimeline(await env!.admin.auditLog(edge));
    const end = (await serverNow()).getTime();
    assert.deepEqual(
      served.slice(-2).map((s) => s.thumbprint),
      [thumbprintOf(externalPem), thumbprintOf(renewedPem)],
    );
    assert.equal(served.at(-1)!.from, effective, "the renewed certificate took over at the effective date");
    issued.push(renewedPem);
    served.forEach(({ thumbprint, from }, i) => {
      const pem = issued.find((p) => thumbprintOf(p) === thumbprint);
      assert.ok(pem, `${thumbprint} is a certificate this test issued`);
      const until = served[i + 1]?.from ?? end;
      const { notBefore, notAfter } = describeCertificate(pem);
      assert.ok(notBefore.getTime() <= from, `${thumbprint} is valid when it takes over`);
      assert.ok(notAfter.getTime() >= until, `${thumbprint} is valid until it is replaced`);
    });
  });

  it("destroys the stack and leaves the Edge Server's certificates assigned", async () => {
    await env!.stack.destroy();
    const exported = await env!.stack.exportState();
    assert.equal((exported.deployment.resources ?? []).length, 0);
    assert.ok((await held()).Internal, "Internal stays assigned");
  });

  /** Get-CsCertificate's staged-roll fields per usage, as an administrator reads them. */
  async function rolls(): Promise<
    Record<string, { thumbprint: string; previousThumbprint?: string; effectiveDate?: string }>
  > {
    const script = `$ErrorActionPreference = 'Stop'
Import-Module Lync
function ConvertTo-IsoDate($value) { if ($null -eq $value) { return '' }; return ([datetime]$value).ToUniversalTime().ToString('o') }
ConvertTo-Json -Compress -InputObject @(Get-CsCertificate | ForEach-Object {
  [pscustomobject]@{
    Use = [string]$_.Use
    Thumbprint = [string]$_.Thumbprint
    PreviousThumbprint = [string]$_.PreviousThumbprint
    EffectiveDate = (ConvertTo-IsoDate $_.EffectiveDate)
  }
})`;
    const rows = JSON.parse(await env!.admin.run(edge, script)) as Record<string, string>[];
    return Object.fromEntries(
      rows.map((r) => [
        r.Use,
        {
          thumbprint: r.Thumbprint,
          previousThumbprint: r.PreviousThumbprint || undefined,
          effectiveDate: r.EffectiveDate || undefined,
        },
      ]),
    );
  }
});

/**
 * Which certificate served AudioVideoAuthentication from when, replayed from the audit log: a plain
 * Set-CsCertificate takes over at once, a -Roll one at its -EffectiveDate; a Remove-CsCertificate of the
 * usage would leave it without one.
 */
function avTimeline(log: readonly AuditEntry[]): { thumbprint: string; from: number }[] {
  const served: { thumbprint: string; from: number }[] = [];
  for (const entry of log) {
    const types = [entry.parameters.Type].flat().map(String);
    if (!types.includes("AudioVideoAuthentication")) continue;
    assert.notEqual(entry.command, "Remove-CsCertificate", "A/V authentication is never unassigned");
    if (entry.command !== "Set-CsCertificate") continue;
    const from =
      entry.parameters.Roll === true ? Date.parse(String(entry.parameters.EffectiveDate)) : Date.parse(entry.time);
    served.push({ thumbprint: String(entry.parameters.Thumbprint).toUpperCase(), from });
  }
  return served;
}
