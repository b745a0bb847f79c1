// A request already waiting (pending at the CA, or offline until the public CA answers) is reused
// only while it still asks for what is wanted now; otherwise a new one is made and the old one is
// said to be abandoned.

import assert from "node:assert/strict";
import { requestPlaceholder } from "lync-server-emulator/dist/cmdlets/certificateStore";
import { createCsr, generateRsaKeyPair, pemToDer } from "lync-server-emulator/dist/x509";
import type { CertificateUsage } from "pulumi-lync-certificates/dist/certificateUsages";
import { desiredCertificates } from "pulumi-lync-certificates/dist/desiredCertificates";
import type { ServerState } from "pulumi-lync-certificates/dist/parseServerState";
import { planChanges } from "pulumi-lync-certificates/dist/planChanges";

const NOW = new Date("2026-06-01T00:00:00Z");
const USAGES: CertificateUsage[] = ["WebServicesExternal"];
const key = generateRsaKeyPair(2048);
const otherKey = generateRsaKeyPair(2048);

function waiting(names: string[], index = 0): ServerState["requests"][number] {
  const placeholder = requestPlaceholder({
    privateKeyPem: key.privateKeyPem,
    subject: "CN=webext.contoso.com",
    dnsNames: names,
    now: NOW,
  });
  return {
    thumbprint: placeholder.thumbprint,
    friendlyName: `pulumi-lync 0badc0de #${index} 20260531T120000`,
    hasPrivateKey: true,
    rawData: pemToDer(placeholder.certificatePem).toString("base64"),
  };
}

function server(requests: ServerState["requests"]): ServerState {
  return { server: "fe01.contoso.com", now: NOW, assignments: [], store: [], requests };
}

function desired(source: { ca: string } | { offline: true }, names = ["webext.contoso.com"]) {
  return desiredCertificates({
    connection: { host: "fe01.contoso.com" },
    resourceKey: "0badc0de",
    certificates: [{ usages: USAGES, subjectAlternativeNames: names, ...source }],
  });
}

const csrOf = (privateKeyPem: string) =>
  createCsr({ privateKeyPem, subject: "webext.contoso.com", dnsNames: ["webext.contoso.com"] });

describe("waiting requests", () => {
  it("waits for a request the CA keeps pending instead of asking the CA again", () => {
    const plan = planChanges(desired({ ca: "dc\\myca" }), server([waiting(["webext.contoso.com"])]), {
      server: "fe01.contoso.com",
      facts: new Map(),
      supplied: new Map(),
    });
    assert.equal(plan.entries[0].action?.kind, "awaitCa");
  });

  it("requests again, saying the old request is abandoned, when the pending one lacks a name now wanted", () => {
    const plan = planChanges(
      desired({ ca: "dc\\myca" }, ["webext.contoso.com", "lyncdiscover.contoso.com"]),
      server([waiting(["webext.contoso.com"])]),
      { server: "fe01.contoso.com", facts: new Map(), supplied: new Map() },
    );
    assert.equal(plan.entries[0].action?.kind, "request");
    assert.ok(
      plan.reasons.some((r) =>
        /abandoning the earlier request ".*#0.*": it does not ask for lyncdiscover\.contoso\.com/.test(r),
      ),
      plan.reasons.join("\n"),
    );
  });

  it("waits for the answer to an offline request only while its CSR is the one in the state", () => {
    const offline = desired({ offline: true });
    const requests = [waiting(["webext.contoso.com"])];
    const plan = (csr?: string) =>
      planChanges(offline, server(requests), {
        server: "fe01.contoso.com",
        facts: new Map(),
        supplied: new Map(),
        csrs: csr ? new Map([[0, csr]]) : undefined,
      });
    assert.equal(plan(csrOf(key.privateKeyPem)).entries[0].action?.kind, "awaitIssued");
    for (const [csr, why] of [
      [undefined, /its CSR is no longer known/],
      [csrOf(otherKey.privateKeyPem), /the CSR in the state belongs to another request/],
    ] as const) {
      const fresh = plan(csr);
      assert.equal(fresh.entries[0].action?.kind, "requestOffline");
      assert.ok(
        fresh.reasons.some((r) => why.test(r)),
        fresh.reasons.join("\n"),
      );
    }
  });

  it("ignores another entry's waiting request (#1 is not #0)", () => {
    const plan = planChanges(desired({ ca: "dc\\myca" }), server([waiting(["webext.contoso.com"], 1)]), {
      server: "fe01.contoso.com",
      facts: new Map(),
      supplied: new Map(),
    });
    assert.equal(plan.entries[0].action?.kind, "request");
  });
});
