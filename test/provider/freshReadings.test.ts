import assert from "node:assert/strict";
import type { DesiredState } from "pulumi-lync-certificates/dist/desiredCertificates";
import { FreshReadings, FRESH_FOR_MS, type ServerReader } from "pulumi-lync-certificates/dist/freshReadings";
import type { ConnectionInputs } from "pulumi-lync-certificates/dist/providerInputs";
import type { ServerReading } from "pulumi-lync-certificates/dist/readServer";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOne";
const OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyTwo";
const CONNECTION: ConnectionInputs = { host: "fe01.contoso.com", port: 22, user: "lyncadmin", password: "x" };

type Desired = Parameters<ServerReader>[1];

function desired(overrides: Partial<Desired> = {}): Desired {
  return {
    managementModule: "Lync",
    resourceKey: "0badc0de",
    resourceName: "fe01",
    certificates: [] as DesiredState["certificates"],
    ...overrides,
  };
}

/** A reader that counts live reads and answers with a reading numbered by the count. */
function liveServer(store: string[] = []) {
  let reads = 0;
  const reader: ServerReader = async () => {
    reads++;
    return {
      state: {
        now: new Date(0),
        assignments: [],
        store: store.map((thumbprint) => ({ thumbprint, friendlyName: "", hasPrivateKey: true, rawData: "" })),
        requests: [],
      },
      session: {
        hostKey: HOST_KEY,
        run: async () => ({ stdout: "", stderr: "", warnings: "", exitCode: 0 }),
        release: () => undefined,
      },
      server: `reading ${reads}`,
      facts: new Map(),
    } satisfies ServerReading;
  };
  return { reader, reads: () => reads };
}

describe("FreshReadings", () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it("gives diff the reading read took in this process instead of reading the server again", async () => {
    const readings = new FreshReadings(now);
    const server = liveServer();
    const refreshed = await readings.recording("id1", server.reader)(CONNECTION, desired(), {});
    const diffed = await readings.trusting("id1", server.reader)(CONNECTION, desired(), {});
    assert.equal(server.reads(), 1);
    assert.equal(diffed, refreshed);
  });

  it("reads the server live when nothing was read before, and does not keep that reading", async () => {
    const readings = new FreshReadings(now);
    const server = liveServer();
    const diff = readings.trusting("id1", server.reader);
    await diff(CONNECTION, desired(), {});
    await diff(CONNECTION, desired(), {});
    assert.equal(server.reads(), 2, "two diffs without a refresh read twice");
    assert.equal(readings.size, 0);
  });

  const misses: [string, (d: Desired) => Parameters<ServerReader>, string?][] = [
    ["another resource", (d) => [CONNECTION, d, {}], "id2"],
    ["another port", (d) => [{ ...CONNECTION, port: 2222 }, d, {}]],
    ["another host", (d) => [{ ...CONNECTION, host: "fe02.contoso.com" }, d, {}]],
    ["another user", (d) => [{ ...CONNECTION, user: "admin2" }, d, {}]],
    ["a proxy in between", (d) => [{ ...CONNECTION, proxy: { host: "bastion" } }, d, {}]],
    ["another module", (d) => [CONNECTION, { ...d, managementModule: "SkypeForBusiness" }, {}]],
    ["a pinned host key the server did not present", (d) => [{ ...CONNECTION, hostKey: OTHER_KEY }, d, {}]],
    ["a recorded host key the server did not present", (d) => [CONNECTION, d, { recordedHostKey: OTHER_KEY }]],
    ["a supplied certificate the reading did not look for", (d) => [CONNECTION, d, { thumbprints: ["AB12"] }]],
  ];
  for (const [what, args, id] of misses) {
    it(`reads live for ${what}`, async () => {
      const readings = new FreshReadings(now);
      const server = liveServer();
      await readings.recording("id1", server.reader)(CONNECTION, desired(), {});
      await readings.trusting(id ?? "id1", server.reader)(...args(desired()));
      assert.equal(server.reads(), 2);
    });
  }

  it("trusts a reading for the same host in another case and with the host key it presented", async () => {
    const readings = new FreshReadings(now);
    const server = liveServer(["AB12"]);
    await readings.recording("id1", server.reader)(CONNECTION, desired(), {});
    await readings.trusting("id1", server.reader)(
      { ...CONNECTION, host: "FE01.contoso.com", hostKey: HOST_KEY, password: "changed" },
      desired(),
      { thumbprints: ["ab12"] },
    );
    assert.equal(server.reads(), 1, "the store held the supplied certificate, so the reading covers it");
  });

  it("reads live once the reading is older than FRESH_FOR_MS, and after forget", async () => {
    const readings = new FreshReadings(now);
    const server = liveServer();
    const diff = readings.trusting("id1", server.reader);
    await readings.recording("id1", server.reader)(CONNECTION, desired(), {});
    clock += FRESH_FOR_MS;
    await diff(CONNECTION, desired(), {});
    assert.equal(server.reads(), 1, "still fresh at the limit");
    clock += 1;
    await diff(CONNECTION, desired(), {});
    assert.equal(server.reads(), 2, "stale one millisecond later");

    await readings.recording("id1", server.reader)(CONNECTION, desired(), {});
    readings.forget("id1");
    await diff(CONNECTION, desired(), {});
    assert.equal(server.reads(), 4);
  });
});
