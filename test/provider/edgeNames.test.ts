import assert from "node:assert/strict";
import type { CertificateUsage } from "pulumi-lync-certificates/dist/certificateUsages";
import { desiredCertificates } from "pulumi-lync-certificates/dist/desiredCertificates";
import { requiredEdgeNames, withEdgeNames } from "pulumi-lync-certificates/dist/edgeNames";
import { inspectCertificate } from "pulumi-lync-certificates/dist/inspectCertificate";
import type { EdgeTopology } from "pulumi-lync-certificates/dist/parseServerState";
import { certificateProblems } from "pulumi-lync-certificates/dist/planChanges";
import { makeCertificate } from "./support/testCertificates";

const EDGE: EdgeTopology = {
  poolFqdn: "edgepool.contoso.com",
  accessEdgeFqdn: "sip.contoso.com",
  webConferencingEdgeFqdn: "webcon.contoso.com",
  audioVideoEdgeFqdn: "av.contoso.com",
  xmppFederation: true,
  sipDomains: ["contoso.com", "contoso.net"],
};
const NOW = new Date();
const RENEWAL = { renewBeforeDays: undefined, renewBeforePercentage: undefined };

function desired(usages: CertificateUsage[], names: string[] = []) {
  return desiredCertificates({
    connection: { host: "edge01.contoso.com" },
    resourceKey: "ed9e0001",
    certificates: [{ usages, subjectAlternativeNames: names, offline: true }],
  });
}

describe("Edge names required by the topology", function () {
  this.timeout(30_000);
  const table: [string, CertificateUsage[], string[]][] = [
    ["Access Edge", ["AccessEdgeExternal"], ["sip.contoso.com", "sip.contoso.net"]],
    ["Web Conferencing Edge", ["DataEdgeExternal"], ["webcon.contoso.com"]],
    ["A/V authentication alone", ["AudioVideoAuthentication"], []],
    [
      "the combined external certificate",
      ["AccessEdgeExternal", "DataEdgeExternal", "AudioVideoAuthentication"],
      ["sip.contoso.com", "sip.contoso.net", "webcon.contoso.com"],
    ],
    ["the old External type", ["External"], ["sip.contoso.com", "sip.contoso.net", "webcon.contoso.com"]],
    ["XMPP federation", ["XmppServer"], ["sip.contoso.com", "sip.contoso.net", "xmpp.contoso.com", "xmpp.contoso.net"]],
    ["the internal interface (a subject, no SAN)", ["Internal"], []],
  ];
  for (const [what, usages, names] of table) {
    it(`requires ${names.join(", ") || "no alternative name"} for ${what}`, () => {
      assert.deepEqual(
        requiredEdgeNames(usages, EDGE).map((r) => r.name),
        names,
      );
    });
  }

  it("never requires the A/V Edge FQDN", () => {
    const all: CertificateUsage[] = ["External", "AccessEdgeExternal", "DataEdgeExternal", "AudioVideoAuthentication"];
    assert.ok(!requiredEdgeNames([...all, "XmppServer"], EDGE).some((r) => r.name === EDGE.audioVideoEdgeFqdn));
  });

  it("adds the names to Edge entries with the reason, and names the internal pool as the Internal subject", () => {
    const { desired: checked, problems } = withEdgeNames(
      desired(["AccessEdgeExternal"], ["sip.contoso.com"]),
      EDGE,
      "edge01",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(checked.certificates[0].subjectAlternativeNames, ["sip.contoso.com", "sip.contoso.net"]);
    assert.match(checked.certificates[0].nameReasons?.["sip.contoso.net"] ?? "", /SIP domain contoso\.net/);
    assert.equal(withEdgeNames(desired(["Internal"]), EDGE, "edge01").desired.certificates[0].subject, EDGE.poolFqdn);
  });

  it("leaves Front End entries alone", () => {
    const frontEnd = desired(["Default"], ["fe01.contoso.com"]);
    assert.deepEqual(withEdgeNames(frontEnd, undefined, "fe01").desired, frontEnd);
  });

  it("says Edge usages need an Edge Server, and XmppServer needs XMPP federation", () => {
    assert.match(
      withEdgeNames(desired(["Internal"]), undefined, "fe01").problems.join(),
      /no Edge pool with this server/,
    );
    const noXmpp = withEdgeNames(desired(["XmppServer"]), { ...EDGE, xmppFederation: false }, "edge01").problems;
    assert.match(noXmpp.join(), /XMPP federation is not enabled on the Edge pool edgepool\.contoso\.com/);
  });

  it("does not let a wildcard stand for an Edge name", () => {
    const { desired: checked } = withEdgeNames(desired(["AccessEdgeExternal"]), EDGE, "edge01");
    const wildcard = inspectCertificate(
      makeCertificate({ commonName: "sip.contoso.com", dnsNames: ["sip.contoso.com", "*.contoso.net"] }).certificatePem,
    );
    const problems = certificateProblems(wildcard, checked.certificates[0], NOW, RENEWAL);
    assert.match(
      problems.join(),
      /certificate lacks sip\.contoso\.net \(the Access Edge name of SIP domain contoso\.net/,
    );
  });

  it("accepts the internal certificate Microsoft describes: the pool FQDN as subject and no SAN", () => {
    const { desired: checked } = withEdgeNames(desired(["Internal"]), EDGE, "edge01");
    const internal = inspectCertificate(
      makeCertificate({ commonName: "edgepool.contoso.com", dnsNames: [] }).certificatePem,
    );
    assert.deepEqual(certificateProblems(internal, checked.certificates[0], NOW, RENEWAL), []);
  });
});
