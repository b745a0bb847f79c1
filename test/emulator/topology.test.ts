import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  defaultShellOf,
  findCertificationAuthority,
  loadTopology,
  poolOfServer,
  SAMPLE_TOPOLOGY_PATH,
  TopologyError,
} from "lync-server-emulator/dist/topology";

describe("loadTopology", () => {
  const sample = JSON.parse(readFileSync(SAMPLE_TOPOLOGY_PATH, "utf8"));

  it("loads the bundled contoso sample as documented", () => {
    const topology = loadTopology(SAMPLE_TOPOLOGY_PATH);
    assert.deepEqual(topology.sipDomains, ["contoso.com", "contoso.net"]);
    assert.deepEqual(
      topology.pools.map((p) => [p.fqdn, p.role, p.servers, p.externalWebFqdn]),
      [
        ["pool01.contoso.com", "FrontEnd", ["fe01.contoso.com", "fe02.contoso.com"], "webext.contoso.com"],
        ["dirpool.contoso.com", "Director", ["dir01.contoso.com"], "dirext.contoso.com"],
        ["edgepool.contoso.com", "Edge", ["edge01.contoso.com", "edge02.contoso.com"], undefined],
      ],
    );
    assert.equal(topology.pools[0].internalWebFqdn, "pool01.contoso.com");
    assert.deepEqual(topology.pools[2].edge, {
      accessEdgeFqdn: "sip.contoso.com",
      webConferencingEdgeFqdn: "webcon.contoso.com",
      audioVideoEdgeFqdn: "av.contoso.com",
      xmppFederation: true,
    });
    assert.deepEqual(topology.simpleUrls, {
      meet: ["meet.contoso.com", "meet.contoso.net"],
      dialin: "dialin.contoso.com",
      admin: "admin.contoso.com",
    });
    assert.deepEqual(topology.certificationAuthorities, [
      { name: "dc\\myca", commonName: "contoso-DC-CA", enrollers: ["CONTOSO\\lyncadmin"], templates: ["WebServer"] },
    ]);
  });

  it("requires an Edge pool's external names, and refuses them on other pools", () => {
    const [frontEnd, , edge] = sample.pools;
    const problems = (pools: unknown[]) => {
      try {
        loadTopology({ ...sample, pools });
        return [];
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
    };
    const { edge: _names, ...bare } = edge;
    assert.match(problems([frontEnd, bare]).join("\n"), /\$\.pools\[1\]\.edge: an Edge pool needs its external names/);
    const misplaced = { ...frontEnd, edge: edge.edge };
    assert.match(problems([misplaced]).join("\n"), /\$\.pools\[0\]\.edge: only an Edge pool has external Edge names/);
    const badName = { ...edge, edge: { ...edge.edge, accessEdgeFqdn: "sip" } };
    assert.match(
      problems([frontEnd, badName]).join("\n"),
      /\$\.pools\[1\]\.edge\.accessEdgeFqdn: "sip" is not a fully qualified/,
    );
  });

  it("finds a server's pool and a CA case-insensitively", () => {
    const topology = loadTopology(SAMPLE_TOPOLOGY_PATH);
    assert.equal(poolOfServer(topology, "FE02.contoso.com")?.fqdn, "pool01.contoso.com");
    assert.equal(poolOfServer(topology, "nobody.contoso.com"), undefined);
    assert.equal(findCertificationAuthority(topology, "DC\\MyCA")?.commonName, "contoso-DC-CA");
  });

  it("reports every problem at once, each with its JSON path", () => {
    const broken = {
      ...sample,
      sipDomains: [],
      pools: [
        { ...sample.pools[0], role: "Mediation", site: "Nowhere" },
        { ...sample.pools[1], servers: ["fe01.contoso.com"], externalWebFqdn: "not a name" },
      ],
      certificationAuthorities: [{ ...sample.certificationAuthorities[0], name: "myca" }],
      simpleUrls: { ...sample.simpleUrls, dailin: "x.contoso.com" },
    };
    try {
      loadTopology(broken);
      assert.fail("expected a TopologyError");
    } catch (error) {
      assert.ok(error instanceof TopologyError);
      const text = error.problems.join("\n");
      assert.match(text, /\$\.sipDomains: expected a non-empty array/);
      assert.match(text, /\$\.pools\[0\]\.role: "Mediation" is not a role; use one of FrontEnd, Director, Edge/);
      assert.match(text, /\$\.pools\[0\]\.site: "Nowhere" is not one of the sites/);
      assert.match(
        text,
        /\$\.pools\[1\]\.servers\[0\]: fe01\.contoso\.com is already a member of pool01\.contoso\.com/,
      );
      assert.match(text, /\$\.pools\[1\]\.externalWebFqdn: "not a name" is not a fully qualified domain name/);
      assert.match(text, /\$\.certificationAuthorities\[0\]\.name: "myca" is not "<CA host>\\<CA name>"/);
      assert.match(text, /\$\.simpleUrls\.dailin: unknown property/);
      assert.equal(error.problems.length, 7);
    }
  });

  it("takes OpenSSH's default shell at topology level, overridable per pool, and refuses other shells", () => {
    assert.equal(defaultShellOf(loadTopology(sample), "fe01.contoso.com"), "cmd");
    const mixed = loadTopology({
      ...sample,
      defaultShell: "powershell",
      pools: [sample.pools[0], { ...sample.pools[1], defaultShell: "cmd" }],
    });
    assert.equal(defaultShellOf(mixed, "fe02.contoso.com"), "powershell");
    assert.equal(defaultShellOf(mixed, "dir01.contoso.com"), "cmd");
    assert.throws(
      () => loadTopology({ ...sample, defaultShell: "bash", pools: [{ ...sample.pools[0], defaultShell: "pwsh" }] }),
      (error: TopologyError) =>
        error.problems.length === 2 &&
        /\$\.defaultShell: "bash" is not a default shell; use "cmd" \(Windows' default\) or "powershell"/.test(
          error.problems.join("\n"),
        ) &&
        /\$\.pools\[0\]\.defaultShell: "pwsh"/.test(error.problems.join("\n")),
    );
  });

  it("takes replicationDelayMinutes when it is a number of minutes, and refuses anything else", () => {
    assert.equal(loadTopology(sample).replicationDelayMinutes, undefined);
    assert.equal(loadTopology({ ...sample, replicationDelayMinutes: 0 }).replicationDelayMinutes, 0);
    assert.throws(
      () => loadTopology({ ...sample, replicationDelayMinutes: "5" }),
      (error: TopologyError) =>
        /\$\.replicationDelayMinutes: "5" is not a number of minutes/.test(error.problems.join("\n")),
    );
    assert.throws(() => loadTopology({ ...sample, replicationDelayMinutes: -1 }), TopologyError);
  });

  it("names the file and the JSON error for a file that does not parse", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "topology-")), "bad.json");
    writeFileSync(file, '{ "sipDomains": [');
    assert.throws(
      () => loadTopology(file),
      (error: Error) => error.message.includes(file) && /not valid JSON/.test(error.message),
    );
    assert.throws(() => loadTopology(path.join(path.dirname(file), "missing.json")), /cannot read the file \(ENOENT\)/);
  });
});
