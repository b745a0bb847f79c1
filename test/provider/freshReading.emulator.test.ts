// The provider's diff and update trust the reading its read took moments ago (a refresh in the same
// run) and read the server live otherwise; counted in reads (Get-CsCertificate runs) and in remote
// sessions (powershell.exe processes, each importing the Lync module once) on the emulator.

import assert from "node:assert/strict";
import { certificateAssignmentProvider as provider } from "pulumi-lync-certificates/dist/certificateAssignmentProvider";
import { diffPacing, SEQUENTIAL_READS_BEFORE_NOTICE } from "pulumi-lync-certificates/dist/diffPacing";
import type { ProviderOutputs } from "pulumi-lync-certificates/dist/outputs";
import { closeAllConnections, openConnectionCount } from "pulumi-lync-certificates/dist/sshTransport";
import { captureStderr } from "./support/captureStderr";
import {
  connectionTo,
  assignments,
  FE01,
  readCount,
  runAsAdmin,
  sessionCount,
  startFixture,
  stopFixture,
  type EmulatorFixture,
} from "./support/emulatorFixture";

const WEB = ["Default", "WebServicesInternal", "WebServicesExternal"];

function inputs(fixture: EmulatorFixture) {
  return {
    connection: connectionTo(fixture),
    managementModule: "Lync",
    resourceKey: "f7e5a11d",
    resourceName: FE01,
    certificates: [
      { usages: WEB, subjectAlternativeNames: ["fe01.contoso.com", "pool01.contoso.com"], ca: "dc\\myca" },
    ],
    // The seeded certificate lacks the Autodiscover names: create requests a new one.
    sipDomains: [{ name: "contoso.com", mobility: true }],
  };
}

async function create(fixture: EmulatorFixture): Promise<{ id: string; outs: ProviderOutputs }> {
  const checked = await provider.check!({}, inputs(fixture));
  assert.deepEqual(checked.failures ?? [], []);
  const { result } = await captureStderr(() => provider.create(checked.inputs));
  return result as { id: string; outs: ProviderOutputs };
}

describe("CertificateAssignment provider: diff and a fresh reading", function () {
  this.timeout(60_000);
  let fixture: EmulatorFixture | undefined;
  beforeEach(async () => {
    fixture = await startFixture();
    diffPacing.reset();
  });
  afterEach(async () => {
    await stopFixture(fixture);
    fixture = undefined;
  });

  it("diffs from the reading a refresh took moments ago: one session for the read and both diffs", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    // The engine diffs a refreshed resource twice in v3.248.0: in the refresh step (the new
    // outputs as olds, the stored inputs as news) and again against the program.
    // The preview's provider process starts without connections.
    await closeAllConnections();
    const [reads, sessions] = [readCount(f), sessionCount(f)];
    const read = await provider.read!(id, outs);
    const { result: inRefresh } = await captureStderr(() => provider.diff!(id, read.props, read.inputs));
    const { result: inUpdate } = await captureStderr(() => provider.diff!(id, read.props, inputs(f)));
    assert.equal(inRefresh.changes, false);
    assert.equal(inUpdate.changes, false);
    assert.equal(readCount(f) - reads, 1, "one read in all");
    assert.equal(sessionCount(f) - sessions, 1, "one remote session in all");
  });

  it("still reports what a refresh read: drift found by read shows in the diff that trusts it", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const original = outs.certificates[0].previousThumbprints.Default!;
    await runAsAdmin(f, `Import-Module Lync; Set-CsCertificate -Type WebServicesExternal -Thumbprint ${original}`);
    const before = readCount(f);
    const read = await provider.read!(id, outs);
    const { result, text } = await captureStderr(() => provider.diff!(id, read.props, inputs(f)));
    assert.equal(result.changes, true);
    assert.match(text, /WebServicesExternal/);
    assert.equal(readCount(f) - before, 1);
  });

  it("reads the server live when no refresh read it in this process", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const original = outs.certificates[0].previousThumbprints.Default!;
    await runAsAdmin(f, `Import-Module Lync; Set-CsCertificate -Type WebServicesExternal -Thumbprint ${original}`);
    const before = readCount(f);
    const { result } = await captureStderr(() => provider.diff!(id, outs, inputs(f)));
    assert.equal(result.changes, true, "the out-of-band change is seen");
    assert.equal(readCount(f) - before, 1, "one live read");
    await captureStderr(() => provider.diff!(id, outs, inputs(f)));
    assert.equal(readCount(f) - before, 2, "a second diff without a refresh reads again");
  });

  it("lets the server's session go after a live diff that finds nothing to change, and keeps the connection for the update after one that does", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    await closeAllConnections();
    const { result: clean } = await captureStderr(() => provider.diff!(id, outs, inputs(f)));
    assert.equal(clean.changes, false);
    await new Promise(setImmediate);
    assert.equal(openConnectionCount(), 0, "no powershell.exe left idling on the server");

    const wanted = inputs(f);
    wanted.certificates[0].subjectAlternativeNames.push("fe01-extra.contoso.com");
    const checked = await provider.check!({}, wanted);
    const { result: changed } = await captureStderr(() => provider.diff!(id, outs, checked.inputs));
    assert.equal(changed.changes, true);
    await new Promise(setImmediate);
    assert.equal(openConnectionCount(), 1, "kept: an update follows");
    await captureStderr(() => provider.update!(id, outs, checked.inputs));
    assert.equal(openConnectionCount(), 1, "the update ran on the diff's connection");
  });

  it("reads live after update changed the server, not the reading taken before it", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const read = await provider.read!(id, outs);
    await captureStderr(() => provider.update!(id, read.props, inputs(f)));
    const before = readCount(f);
    await captureStderr(() => provider.diff!(id, read.props, inputs(f)));
    assert.equal(readCount(f) - before, 1);
  });

  it("runs an update from its refresh's reading, in the session that reading opened: one session per server", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const wanted = inputs(f);
    // One more name: the update must request a certificate and assign it.
    wanted.certificates[0].subjectAlternativeNames.push("fe01-extra.contoso.com");
    const checked = await provider.check!({}, wanted);
    await closeAllConnections();
    const [reads, sessions, requests] = [
      readCount(f),
      sessionCount(f),
      f.emulator.certificationAuthority().requestCount,
    ];
    const read = await provider.read!(id, outs);
    const { result: diff } = await captureStderr(() => provider.diff!(id, read.props, checked.inputs));
    assert.equal(diff.changes, true);
    const { result } = await captureStderr(() => provider.update!(id, read.props, checked.inputs));
    const updated = (result as { outs: ProviderOutputs }).outs;
    assert.equal(f.emulator.certificationAuthority().requestCount, requests + 1, "one certificate requested");
    assert.ok(assignments(f).Default === updated.certificates[0].thumbprint, "and assigned");
    assert.notEqual(updated.certificates[0].thumbprint, outs.certificates[0].thumbprint);
    // The refresh's read, then the assignment's read-back: no read of the update's own.
    assert.equal(readCount(f) - reads, 2);
    assert.equal(sessionCount(f) - sessions, 1, "read, request and assignment in one powershell.exe");
  });

  it("prints the reasons of a drift once although the engine diffs a refreshed resource twice", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const original = outs.certificates[0].previousThumbprints.Default!;
    await runAsAdmin(f, `Import-Module Lync; Set-CsCertificate -Type WebServicesExternal -Thumbprint ${original}`);
    const read = await provider.read!(id, outs);
    const { text } = await captureStderr(async () => {
      await provider.diff!(id, read.props, read.inputs);
      await provider.diff!(id, read.props, inputs(f));
    });
    const lines = text.split("\n").filter((l) => l.includes("WebServicesExternal"));
    assert.ok(lines.length > 0, text);
    assert.equal(new Set(lines).size, lines.length, `no line printed twice:\n${text}`);
  });

  it("says once what to set when the engine sends its diffs one at a time", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const { text } = await captureStderr(async () => {
      for (let i = 0; i < SEQUENTIAL_READS_BEFORE_NOTICE * 2; i++) await provider.diff!(id, outs, inputs(f));
    });
    const notices = text.split("\n").filter((l) => l.includes("PULUMI_PARALLEL_DIFF=true"));
    assert.equal(notices.length, 1, text);
  });
});
