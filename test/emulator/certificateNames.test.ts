import assert from "node:assert/strict";
import fc from "fast-check";
import { computeCertificateNames } from "lync-server-emulator/dist/certificateNames";
import { CERT_TYPES, type CertType } from "lync-server-emulator/dist/lyncHost";
import { loadTopology, SAMPLE_TOPOLOGY_PATH } from "lync-server-emulator/dist/topology";

const topology = loadTopology(SAMPLE_TOPOLOGY_PATH);
const WEB: CertType[] = ["Default", "WebServicesInternal", "WebServicesExternal"];
const SIMPLE = ["meet.contoso.com", "meet.contoso.net", "dialin.contoso.com", "admin.contoso.com"];

describe("computeCertificateNames", () => {
  const table: {
    name: string;
    server: string;
    types: CertType[];
    allSipDomain: boolean;
    domainNames: string[];
    expected: string[];
  }[] = [
    {
      name: "gives a combined Front End certificate the pool, server, simple URLs, web FQDNs and sip.<primary> without -AllSipDomain",
      server: "fe01.contoso.com",
      types: WEB,
      allSipDomain: false,
      domainNames: [],
      expected: ["pool01.contoso.com", "fe01.contoso.com", ...SIMPLE, "webext.contoso.com", "sip.contoso.com"],
    },
    {
      name: "adds sip, lyncdiscoverinternal and lyncdiscover names for every SIP domain with -AllSipDomain",
      server: "fe02.contoso.com",
      types: WEB,
      allSipDomain: true,
      domainNames: [],
      expected: [
        "pool01.contoso.com",
        "fe02.contoso.com",
        ...SIMPLE,
        "webext.contoso.com",
        "sip.contoso.com",
        "sip.contoso.net",
        "lyncdiscoverinternal.contoso.com",
        "lyncdiscoverinternal.contoso.net",
        "lyncdiscover.contoso.com",
        "lyncdiscover.contoso.net",
      ],
    },
    {
      name: "gives WebServicesInternal alone the internal Autodiscover names but no sip names",
      server: "fe01.contoso.com",
      types: ["WebServicesInternal"],
      allSipDomain: true,
      domainNames: [],
      expected: [
        "pool01.contoso.com",
        "fe01.contoso.com",
        ...SIMPLE,
        "lyncdiscoverinternal.contoso.com",
        "lyncdiscoverinternal.contoso.net",
      ],
    },
    {
      name: "gives WebServicesExternal alone the external web FQDN and lyncdiscover names",
      server: "dir01.contoso.com",
      types: ["WebServicesExternal"],
      allSipDomain: true,
      domainNames: [],
      expected: [
        "dirpool.contoso.com",
        "dir01.contoso.com",
        ...SIMPLE,
        "dirext.contoso.com",
        "lyncdiscover.contoso.com",
        "lyncdiscover.contoso.net",
      ],
    },
    {
      name: "appends -DomainName's comma-separated names, trimmed, after the computed ones",
      server: "fe01.contoso.com",
      types: ["WebServicesInternal"],
      allSipDomain: false,
      domainNames: ["LyncdiscoverInternal.contoso.com, LyncdiscoverInternal.contoso.net"],
      expected: [
        "pool01.contoso.com",
        "fe01.contoso.com",
        ...SIMPLE,
        "LyncdiscoverInternal.contoso.com",
        "LyncdiscoverInternal.contoso.net",
      ],
    },
    {
      name: "drops -DomainName names that repeat computed ones, whatever their case",
      server: "fe01.contoso.com",
      types: ["Default"],
      allSipDomain: false,
      domainNames: ["SIP.contoso.com", "FE01.contoso.com", "extra.contoso.com"],
      expected: ["pool01.contoso.com", "fe01.contoso.com", ...SIMPLE, "sip.contoso.com", "extra.contoso.com"],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const names = computeCertificateNames(topology, row.server, row.types, {
        allSipDomain: row.allSipDomain,
        domainNames: row.domainNames,
      });
      assert.deepEqual(names.alternativeNames, row.expected);
    });
  }

  it("uses the pool FQDN as subject, which is the server FQDN for a single-server pool named after it", () => {
    assert.equal(
      computeCertificateNames(topology, "fe02.contoso.com", ["Default"], { allSipDomain: false, domainNames: [] })
        .subject,
      "CN=pool01.contoso.com",
    );
    const single = loadTopology({
      ...topology,
      pools: [{ fqdn: "se01.contoso.com", site: "Redmond", role: "FrontEnd", servers: ["se01.contoso.com"] }],
    });
    const names = computeCertificateNames(single, "se01.contoso.com", ["Default"], {
      allSipDomain: false,
      domainNames: [],
    });
    assert.equal(names.subject, "CN=se01.contoso.com");
    assert.equal(names.alternativeNames.filter((n) => n === "se01.contoso.com").length, 1);
  });

  it("fails for a server outside the topology, naming it", () => {
    assert.throws(
      () =>
        computeCertificateNames(topology, "fe99.contoso.com", ["Default"], { allSipDomain: false, domainNames: [] }),
      /fe99\.contoso\.com/,
    );
  });

  it("never repeats a name, always starts with pool and server, and keeps every extra name", () => {
    const server = fc.constantFrom("fe01.contoso.com", "fe02.contoso.com", "dir01.contoso.com");
    const types = fc.subarray([...CERT_TYPES], { minLength: 1 });
    const extra = fc.array(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,8}\.contoso\.(com|net)$/), { maxLength: 5 });
    fc.assert(
      fc.property(server, types, fc.boolean(), extra, (s, t, all, domainNames) => {
        const { alternativeNames } = computeCertificateNames(topology, s, t, { allSipDomain: all, domainNames });
        const lower = alternativeNames.map((n) => n.toLowerCase());
        assert.equal(new Set(lower).size, lower.length);
        assert.equal(lower[1], s);
        for (const d of domainNames) assert.ok(lower.includes(d.toLowerCase()));
        if (!all)
          assert.ok(
            !lower.some((n) => n.startsWith("lyncdiscover")) || domainNames.some((d) => /^lyncdiscover/i.test(d)),
          );
      }),
    );
  });
});
