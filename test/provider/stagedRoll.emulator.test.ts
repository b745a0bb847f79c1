// A/V authentication certificates roll staged: the new one is assigned with -Roll -EffectiveDate
// 8 hours ahead, preview calls it "staged" rather than drift, and it takes over when the Edge
// server's clock passes the effective date, with the old one serving until that very moment.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "lync-server-emulator/dist/index";
import { certificateAssignmentProvider as provider } from "pulumi-lync-certificates/dist/certificateAssignmentProvider";
import type { ProviderOutputs } from "pulumi-lync-certificates/dist/outputs";
import { closeAllConnections } from "pulumi-lync-certificates/dist/sshTransport";
import { captureStderr } from "./support/captureStderr";
import { makeCertificate, makePfx, type TestCertificate } from "./support/testCertificates";
import { inspectCertificate } from "pulumi-lync-certificates/dist/inspectCertificate";

const USER = "lyncadmin";
const PASSWORD = "roll-Pa$$w0rd";
const EDGE = "edge01.contoso.com";
const HOUR = 60 * 60 * 1000;

describe("staged A/V roll through the provider, on an emulated Edge Server", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let stateDir: string;

  beforeEach(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "provider-roll-"));
    // The sample topology's Edge pool.
    emulator = await startEmulator({ stateDir, users: [{ name: USER, password: PASSWORD }] });
  });
  afterEach(async () => {
    await closeAllConnections();
    await emulator.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const edge = () => emulator.host(EDGE);
  const av = () =>
    edge()
      .listAssignments("local")
      .find((a) => a.type === "AudioVideoAuthentication");
  const inputs = (certificate: TestCertificate) => {
    const server = emulator.servers.find((s) => s.fqdn === EDGE)!;
    return {
      connection: { host: server.host, port: server.port, user: USER, password: PASSWORD, dialErrorLimit: 2 },
      resourceKey: "a11ce5ed",
      certificates: [{ usages: ["AudioVideoAuthentication"], subjectAlternativeNames: [EDGE] }],
      certificateSecrets: [{ pfx: makePfx(certificate, "pw"), pfxPassword: "pw" }],
    };
  };
  const checked = async (news: unknown) => {
    const result = await provider.check!({}, news);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs;
  };
  const certificate = () =>
    makeCertificate({ commonName: EDGE, dnsNames: [EDGE], notBefore: new Date(Date.now() - HOUR) });

  it("stages a new certificate 8 hours ahead, reports no drift meanwhile, and switches at the effective date", async () => {
    const first = certificate();
    const second = certificate();
    const firstThumbprint = inspectCertificate(first.certificatePem).thumbprint;
    const secondThumbprint = inspectCertificate(second.certificatePem).thumbprint;

    const created = (await provider.create(await checked(inputs(first)))) as { id: string; outs: ProviderOutputs };
    assert.equal(av()?.thumbprint, firstThumbprint, "nothing was in force: assigned at once");
    assert.equal(av()?.effectiveDate, undefined);

    const news = await checked(inputs(second));
    const changed = await provider.diff!(created.id, created.outs, news);
    assert.equal(changed.changes, true);
    const startedAt = edge().now().getTime();
    const { outs } = (await provider.update!(created.id, created.outs, news)) as { outs: ProviderOutputs };
    const staged = av()!;
    assert.equal(staged.thumbprint, secondThumbprint);
    assert.equal(staged.previousThumbprint, firstThumbprint, "the old certificate serves until the effective date");
    const effective = Date.parse(staged.effectiveDate!);
    assert.ok(effective - startedAt >= 8 * HOUR - 60_000 && effective - startedAt <= 8 * HOUR + 60_000);
    assert.equal(outs.certificates[0].stagedThumbprint, secondThumbprint);
    assert.equal(outs.certificates[0].effectiveDate, new Date(effective).toISOString());

    const during = await captureStderr(() => provider.diff!(created.id, outs, news));
    assert.equal(during.result.changes, false, "a staged roll in progress is not drift");
    assert.match(during.text, new RegExp(`${secondThumbprint} staged, becomes current at ${staged.effectiveDate}`));

    edge().emulator.setTime(new Date(effective + HOUR));
    const after = await captureStderr(() => provider.diff!(created.id, outs, news));
    assert.equal(after.result.changes, false);
    assert.doesNotMatch(after.text, /staged/);
    const calls = edge()
      .emulator.auditLog()
      .filter((e) => e.command === "Set-CsCertificate")
      .map((e) => e.parameters);
    assert.equal(calls.length, 2);
    assert.equal(calls[0].Roll, undefined);
    assert.equal(calls[1].Roll, true);
  });
});
