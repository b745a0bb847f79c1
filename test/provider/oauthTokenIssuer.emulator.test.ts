// The OAuthTokenIssuer provider against the emulator: requested once through fe01 at the global
// scope, replication pending on fe02 and the Director until their clocks pass the delay, a renewal
// staged a day ahead, and the previous certificate removed once the new one is current everywhere.

import assert from "node:assert/strict";
import { oauthTokenIssuerProvider as provider } from "pulumi-lync-certificates/dist/oauthTokenIssuerProvider";
import type { OAuthOutputs } from "pulumi-lync-certificates/dist/applyOAuthTokenIssuer";
import { captureStderr } from "./support/captureStderr";
import { connectionTo, runAsAdmin, startFixture, stopFixture, type EmulatorFixture } from "./support/emulatorFixture";
import { makeCertificate, makePfx } from "./support/testCertificates";

const SERVERS = ["fe01.contoso.com", "fe02.contoso.com", "dir01.contoso.com"];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("OAuthTokenIssuer provider against the emulator", function () {
  this.timeout(90_000);
  let fixture: EmulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture();
  });
  afterEach(() => stopFixture(fixture));

  const inputs = (extra: Record<string, unknown> = {}) => ({
    servers: SERVERS.map((fqdn) => connectionTo(fixture, fqdn)),
    ca: "dc\\myca",
    replicationDelay: "5m",
    resourceKey: "0a0a0a0a",
    resourceName: "oauth",
    ...extra,
  });
  const host = (fqdn: string) => fixture.emulator.host(fqdn);
  const row = () =>
    host(SERVERS[0])
      .listAssignments("global")
      .find((a) => a.type === "OAuthTokenIssuer");
  const later = (ms: number) => {
    for (const fqdn of SERVERS) host(fqdn).emulator.setTime(new Date(host(fqdn).now().getTime() + ms));
  };
  const checked = async (news: unknown) => {
    const result = await provider.check!({}, news);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs;
  };
  const diff = (olds: OAuthOutputs, news: unknown) => captureStderr(() => provider.diff!("oauth/0a0a0a0a", olds, news));

  it("requests it once with an exportable key, reports replication pending by server, then nothing once it arrived", async () => {
    const news = await checked(inputs());
    const { outs } = (await provider.create(news)) as { outs: OAuthOutputs };
    const assigned = row();
    assert.ok(assigned, "assigned at the global scope");
    assert.equal(outs.thumbprint, assigned.thumbprint);
    assert.deepEqual(outs.serversWithCertificate, ["fe01.contoso.com"]);
    assert.ok(host(SERVERS[0]).getCertificate(assigned.thumbprint)?.privateKeyExportable);
    const requests = host(SERVERS[0])
      .emulator.auditLog()
      .filter((e) => e.command === "Request-CsCertificate");
    assert.equal(requests.length, 1);

    const pending = await diff(outs, news);
    assert.equal(pending.result.changes, false, "replication is Lync's work, not a change to make");
    assert.match(pending.text, /fe02\.contoso\.com, dir01\.contoso\.com have not received certificate/);

    later(6 * MINUTE);
    const done = await diff(outs, news);
    assert.equal(done.result.changes, false);
    assert.doesNotMatch(done.text, /not received/);
    const refreshed = (await provider.read!("oauth/0a0a0a0a", outs)).props as OAuthOutputs;
    assert.deepEqual(refreshed.serversWithCertificate, SERVERS);
  });

  it("stages a renewal a day ahead, switches at the effective date, then removes the previous certificate", async () => {
    const news = await checked(inputs({ renewBeforeDays: 30 }));
    const { outs } = (await provider.create(news)) as { outs: OAuthOutputs };
    const first = row()!.thumbprint;
    later(6 * MINUTE);
    // Into the renewal window: the CA issues for 730 days.
    later(710 * 24 * HOUR);
    const due = await diff(outs, news);
    assert.equal(due.result.changes, true);
    assert.match(due.text, /renewal due/);

    const staging = Date.parse(host(SERVERS[0]).now().toISOString());
    const { outs: staged } = (await provider.update!("oauth/0a0a0a0a", outs, news)) as { outs: OAuthOutputs };
    const now = row()!;
    assert.notEqual(now.thumbprint, first);
    assert.equal(now.previousThumbprint, first);
    const lead = Date.parse(now.effectiveDate!) - staging;
    assert.ok(Math.abs(lead - 24 * HOUR) < 5 * MINUTE, `staged ${lead / HOUR}h ahead`);
    assert.equal(staged.thumbprint, first, "the old certificate serves until the effective date");
    assert.equal(staged.stagedThumbprint, now.thumbprint);
    assert.equal(staged.effectiveDate, now.effectiveDate);

    const waiting = await diff(staged, news);
    assert.equal(waiting.result.changes, false, "a staged roll in progress is not drift");
    assert.match(waiting.text, new RegExp(`${now.thumbprint} staged, becomes current at ${now.effectiveDate}`));

    later(25 * HOUR);
    const over = await diff(staged, news);
    assert.equal(over.result.changes, true);
    assert.match(over.text, /current on every server.*previous certificate/);
    const { outs: final } = (await provider.update!("oauth/0a0a0a0a", staged, news)) as { outs: OAuthOutputs };
    assert.equal(row()!.previousThumbprint, undefined);
    assert.equal(final.thumbprint, now.thumbprint);
    assert.equal((await diff(final, news)).result.changes, false);
  });

  it("waits for a request the CA keeps pending, then assigns it once retrieved, asking the CA once", async () => {
    const news = await checked(inputs());
    fixture.emulator.setCaBehavior({ kind: "pending" });
    const requestId = await provider.create(news).then(
      () => assert.fail("a pending request must not succeed"),
      (error: Error) => {
        assert.match(error.message, /pending.*Request-CsCertificate -Retrieve -RequestId (\d+)/);
        return Number(/-RequestId (\d+)/.exec(error.message)![1]);
      },
    );
    const asked = fixture.emulator.certificationAuthority().requestCount;
    await assert.rejects(
      provider.create(news),
      /the CA keeps the request "[^"]*pulumi-lync 0a0a0a0a #0 [^"]*" pending/,
    );
    assert.equal(fixture.emulator.certificationAuthority().requestCount, asked, "no second request while pending");
    const nothingYet = {
      ...news,
      serverNames: [],
      serversWithCertificate: [],
      hostKeys: [],
    } as unknown as OAuthOutputs;
    const preview = await diff(nothingYet, news);
    assert.equal(preview.result.changes, true);
    assert.match(
      preview.text,
      /pending; once a CA manager issues it, run Request-CsCertificate -Retrieve on fe01\.contoso\.com/,
    );

    fixture.emulator.setCaBehavior({ kind: "issue" });
    await runAsAdmin(fixture, `Import-Module Lync; Request-CsCertificate -Retrieve -RequestId ${requestId}`);
    const { outs } = (await provider.create(news)) as { outs: OAuthOutputs };
    assert.equal(
      fixture.emulator.certificationAuthority().requestCount,
      asked,
      "the retrieved certificate is assigned",
    );
    assert.equal(row()?.thumbprint, outs.thumbprint);
  });

  it("refuses a key under 2048 bits and a PFX without its key in check, naming the field and the fix", async () => {
    const { failures } = await provider.check!({}, inputs({ keySize: 1024, allowWeakKeySize: true }));
    assert.ok(failures?.some((f) => f.property === "keySize" && /2048/.test(f.reason)));
    const short = makeCertificate({ keyBits: 1024, dnsNames: ["pool01.contoso.com"] });
    const { ca: _ca, ...supplied } = inputs({ pfx: makePfx(short, "pw"), pfxPassword: "pw" });
    const shortKey = await provider.check!({}, supplied);
    assert.deepEqual(
      shortKey.failures?.map((f) => f.property),
      ["pfx"],
    );
    assert.match(shortKey.failures![0].reason, /1024-bit key.*at least 2048 bits/);
  });
});
