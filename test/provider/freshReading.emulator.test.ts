// The provider's diff trusts the reading its read took moments ago (a refresh in the same run) and
// reads the server live otherwise; counted in remote sessions on the emulator, where each session
// imports the Lync module once.

import assert from "node:assert/strict";
import { certificateAssignmentProvider as provider } from "pulumi-lync-certificates/dist/certificateAssignmentProvider";
import { diffPacing, SEQUENTIAL_READS_BEFORE_NOTICE } from "pulumi-lync-certificates/dist/diffPacing";
import type { ProviderOutputs } from "pulumi-lync-certificates/dist/outputs";
import { captureStderr } from "./support/captureStderr";
import {
  connectionTo,
  FE01,
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
    const before = sessionCount(f);
    const read = await provider.read!(id, outs);
    const { result: inRefresh } = await captureStderr(() => provider.diff!(id, read.props, read.inputs));
    const { result: inUpdate } = await captureStderr(() => provider.diff!(id, read.props, inputs(f)));
    assert.equal(inRefresh.changes, false);
    assert.equal(inUpdate.changes, false);
    assert.equal(sessionCount(f) - before, 1, "one remote session in all");
  });

  it("still reports what a refresh read: drift found by read shows in the diff that trusts it", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const original = outs.certificates[0].previousThumbprints.Default!;
    await runAsAdmin(f, `Import-Module Lync; Set-CsCertificate -Type WebServicesExternal -Thumbprint ${original}`);
    const before = sessionCount(f);
    const read = await provider.read!(id, outs);
    const { result, text } = await captureStderr(() => provider.diff!(id, read.props, inputs(f)));
    assert.equal(result.changes, true);
    assert.match(text, /WebServicesExternal/);
    assert.equal(sessionCount(f) - before, 1);
  });

  it("reads the server live when no refresh read it in this process", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const original = outs.certificates[0].previousThumbprints.Default!;
    await runAsAdmin(f, `Import-Module Lync; Set-CsCertificate -Type WebServicesExternal -Thumbprint ${original}`);
    const before = sessionCount(f);
    const { result } = await captureStderr(() => provider.diff!(id, outs, inputs(f)));
    assert.equal(result.changes, true, "the out-of-band change is seen");
    assert.equal(sessionCount(f) - before, 1, "one live read");
    await captureStderr(() => provider.diff!(id, outs, inputs(f)));
    assert.equal(sessionCount(f) - before, 2, "a second diff without a refresh reads again");
  });

  it("reads live after update changed the server, not the reading taken before it", async () => {
    const f = fixture!;
    const { id, outs } = await create(f);
    const read = await provider.read!(id, outs);
    await captureStderr(() => provider.update!(id, read.props, inputs(f)));
    const before = sessionCount(f);
    await captureStderr(() => provider.diff!(id, read.props, inputs(f)));
    assert.equal(sessionCount(f) - before, 1);
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
