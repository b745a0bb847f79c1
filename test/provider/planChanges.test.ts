import assert from "node:assert/strict";
import fc from "fast-check";
import type { CertificateUsage } from "pulumi-lync-certificates/dist/certificateUsages";
import { desiredCertificates, friendlyNameFor } from "pulumi-lync-certificates/dist/desiredCertificates";
import { inspectCertificate } from "pulumi-lync-certificates/dist/inspectCertificate";
import type { ServerState } from "pulumi-lync-certificates/dist/parseServerState";
import { assignmentStep, planChanges, type PlanContext } from "pulumi-lync-certificates/dist/planChanges";
import { inspectStore } from "pulumi-lync-certificates/dist/readServer";
import { makeCertificate } from "./support/testCertificates";

const NOW = new Date("2026-06-01T00:00:00Z");
const WEB: CertificateUsage[] = ["Default", "WebServicesInternal", "WebServicesExternal"];
const ALL_NAMES = [
  "fe01.contoso.com",
  "pool01.contoso.com",
  "webext.contoso.com",
  "lyncdiscover.contoso.com",
  "lyncdiscoverinternal.contoso.com",
];

const good = makeCertificate({ dnsNames: ALL_NAMES, serial: "01" });
const other = makeCertificate({ dnsNames: ALL_NAMES, serial: "02" });
const lacking = makeCertificate({ dnsNames: ["fe01.contoso.com"], serial: "03" });
const expired = makeCertificate({
  dnsNames: ALL_NAMES,
  notBefore: new Date("2024-01-01Z"),
  notAfter: new Date("2026-01-01Z"),
  serial: "04",
});
const CERTS = { good, other, lacking, expired };
const THUMB = Object.fromEntries(
  Object.entries(CERTS).map(([k, c]) => [k, inspectCertificate(c.certificatePem).thumbprint]),
) as Record<keyof typeof CERTS, string>;

function state(held: Partial<Record<CertificateUsage, keyof typeof CERTS | "missing">>): ServerState {
  return {
    server: "fe01.contoso.com",
    now: NOW,
    assignments: Object.entries(held).map(([use, cert]) => ({
      use: use as CertificateUsage,
      thumbprint: cert === "missing" ? "F".repeat(40) : THUMB[cert as keyof typeof CERTS],
      alternativeNames: [],
    })),
    store: Object.entries(CERTS).map(([k, c]) => ({
      thumbprint: THUMB[k as keyof typeof CERTS],
      friendlyName: "",
      hasPrivateKey: true,
      rawData: c.derBase64,
    })),
    requests: [],
  };
}

function desired(layout: CertificateUsage[][], names = ["fe01.contoso.com", "pool01.contoso.com"]) {
  return desiredCertificates({
    connection: { host: "fe01.contoso.com" },
    resourceKey: "0badc0de",
    certificates: layout.map((usages) => ({ usages, subjectAlternativeNames: names, ca: "dc\\myca" })),
    sipDomains: [{ name: "contoso.com", mobility: true }],
  });
}

const context = { server: "fe01.contoso.com", supplied: new Map() };

/** planChanges with the store's certificates read as readServer reads them. */
function planAgainst(
  desired: Parameters<typeof planChanges>[0],
  state: ServerState,
  context: Omit<PlanContext, "facts">,
) {
  return planChanges(desired, state, { ...context, facts: inspectStore(state.store) });
}

describe("planChanges", () => {
  it("changes nothing when the combined certificate carries every name and is in date", () => {
    const plan = planAgainst(
      desired([WEB]),
      state({ Default: "good", WebServicesInternal: "good", WebServicesExternal: "good" }),
      context,
    );
    assert.equal(plan.changes, false);
    assert.deepEqual(plan.reasons, []);
  });

  const table: [string, Parameters<typeof state>[0], RegExp, string][] = [
    [
      "names a missing SAN with the usages its certificate serves",
      { Default: "lacking", WebServicesInternal: "lacking", WebServicesExternal: "lacking" },
      /^fe01\.contoso\.com Default, WebServicesInternal, WebServicesExternal: certificate lacks pool01\.contoso\.com, lyncdiscoverinternal\.contoso\.com, lyncdiscover\.contoso\.com$/,
      "request",
    ],
    [
      "names an unassigned usage",
      { Default: "good", WebServicesInternal: "good" },
      /^fe01\.contoso\.com WebServicesExternal: no certificate assigned$/,
      "assign",
    ],
    [
      "names an assigned certificate missing from the store",
      { Default: "good", WebServicesInternal: "good", WebServicesExternal: "missing" },
      /WebServicesExternal: assigned certificate F{40} is missing from Cert:\\LocalMachine\\My/,
      "assign",
    ],
    [
      "names an expired certificate",
      { Default: "expired", WebServicesInternal: "expired", WebServicesExternal: "expired" },
      /Default, WebServicesInternal, WebServicesExternal: certificate [0-9A-F]{40} expired on 2026-01-01/,
      "request",
    ],
    [
      "names a combined entry whose usages hold different certificates",
      { Default: "good", WebServicesInternal: "other", WebServicesExternal: "good" },
      /Default, WebServicesInternal, WebServicesExternal: declared as one combined certificate but hold different certificates/,
      "assign",
    ],
  ];
  for (const [what, held, reason, action] of table) {
    it(what, () => {
      const plan = planAgainst(desired([WEB]), state(held), context);
      assert.equal(plan.changes, true);
      assert.ok(
        plan.reasons.some((r) => reason.test(r)),
        plan.reasons.join("\n"),
      );
      assert.equal(plan.entries[0].action?.kind, action);
    });
  }

  it("says each cause once per certificate, naming every usage the certificate serves", () => {
    const plan = planAgainst(
      desired([WEB]),
      { ...state({ Default: "lacking", WebServicesInternal: "lacking", WebServicesExternal: "lacking" }) },
      context,
    );
    assert.deepEqual(plan.reasons, [
      "fe01.contoso.com Default, WebServicesInternal, WebServicesExternal: certificate lacks pool01.contoso.com, lyncdiscoverinternal.contoso.com, lyncdiscover.contoso.com",
    ]);
    assert.equal(new Set(plan.reasons).size, plan.reasons.length);
  });

  it("reports a renewal due with the expiry and renewal dates", () => {
    const plan = planAgainst(
      desired([WEB]),
      {
        ...state({ Default: "good", WebServicesInternal: "good", WebServicesExternal: "good" }),
        now: new Date("2027-06-01Z"),
      },
      context,
    );
    assert.ok(
      plan.reasons.includes(
        "fe01.contoso.com Default, WebServicesInternal, WebServicesExternal: renewal due (expires 2028-01-01, renew after 2027-05-02)",
      ),
      plan.reasons.join("\n"),
    );
  });

  it("treats a name with a trailing dot as the same name in subject, SANs and SIP domains", () => {
    const dotted = desiredCertificates({
      connection: { host: "fe01.contoso.com" },
      resourceKey: "0badc0de",
      certificates: [
        {
          usages: WEB,
          subjectAlternativeNames: ["fe01.contoso.com.", "Pool01.contoso.com."],
          subject: "CN=pool01.contoso.com.",
          ca: "dc\\myca",
        },
      ],
      sipDomains: [{ name: "Contoso.com.", mobility: true }],
    });
    assert.equal(dotted.certificates[0].subject, "pool01.contoso.com");
    assert.ok(dotted.certificates[0].subjectAlternativeNames.every((n) => !n.endsWith(".")));
    const plan = planAgainst(
      dotted,
      state({ Default: "good", WebServicesInternal: "good", WebServicesExternal: "good" }),
      context,
    );
    assert.deepEqual(plan.reasons, []);
    assert.equal(plan.changes, false);
  });

  it("reuses a certificate an entry's usage already holds instead of requesting one", () => {
    const plan = planAgainst(
      desired([WEB]),
      state({ Default: "good", WebServicesInternal: "good", WebServicesExternal: "lacking" }),
      context,
    );
    assert.deepEqual(plan.entries[0].action, { kind: "assign", thumbprint: THUMB.good });
    assert.deepEqual(assignmentStep(plan.entries[0], THUMB.good), {
      index: 0,
      types: ["WebServicesExternal"],
      thumbprint: THUMB.good,
    });
  });

  it("reuses only certificates whose friendly-name marker names this entry exactly (#1 is not #10)", () => {
    const layout = desired([["Default"], ["WebServicesInternal"]]);
    const marked = (friendlyName: string): ServerState => {
      const live = state({ Default: "good" });
      return {
        ...live,
        store: live.store.map((e) => (e.thumbprint === THUMB.other ? { ...e, friendlyName } : e)),
      };
    };
    for (const name of ["pulumi-lync 0badc0de #10 20260101T000000", "Web (pulumi-lync 0badc0de #12 20260101T000000)"]) {
      assert.deepEqual(planAgainst(layout, marked(name), context).entries[1].action, { kind: "request" }, name);
    }
    for (const name of ["pulumi-lync 0badc0de #1 20260101T000000", "Web (pulumi-lync 0badc0de #1 20260101T000000)"]) {
      assert.deepEqual(
        planAgainst(layout, marked(name), context).entries[1].action,
        { kind: "assign", thumbprint: THUMB.other },
        name,
      );
    }
  });

  describe("after a crash between request and assignment", () => {
    const HOUR = 60 * 60 * 1000;
    const DAY = 24 * HOUR;
    // What the entry's request left in the store: marked, never assigned.
    const leftover = (certificate: { derBase64: string; certificatePem: string }, requestedAt: Date): ServerState => ({
      ...state({}),
      store: [
        {
          thumbprint: inspectCertificate(certificate.certificatePem).thumbprint,
          friendlyName: friendlyNameFor(desired([WEB]), desired([WEB]).certificates[0], requestedAt),
          hasPrivateKey: true,
          rawData: certificate.derBase64,
        },
      ],
    });

    it("reuses a certificate the CA issued already inside its renewal window instead of requesting again", () => {
      // A CA that issues from a fixed validity start, backdated: two thirds of the lifetime had
      // already passed when it answered.
      const requestedAt = new Date(NOW.getTime() - HOUR);
      const issued = makeCertificate({
        dnsNames: ALL_NAMES,
        notBefore: new Date(requestedAt.getTime() - 200 * DAY - 10 * 60 * 1000),
        notAfter: new Date(requestedAt.getTime() + 100 * DAY),
        serial: "10",
      });
      const plan = planAgainst(desired([WEB]), leftover(issued, requestedAt), context);
      assert.deepEqual(plan.entries[0].action, {
        kind: "assign",
        thumbprint: inspectCertificate(issued.certificatePem).thumbprint,
      });
    });

    it("requests again when the certificate it obtained has become due since", () => {
      const requestedAt = new Date(NOW.getTime() - 25 * DAY);
      const issued = makeCertificate({
        dnsNames: ALL_NAMES,
        notBefore: new Date(requestedAt.getTime() - 10 * 60 * 1000),
        notAfter: new Date(requestedAt.getTime() + 30 * DAY),
        serial: "11",
      });
      const plan = planAgainst(desired([WEB]), leftover(issued, requestedAt), context);
      assert.deepEqual(plan.entries[0].action, { kind: "request" });
    });
  });

  it("never assigns several usages in one call unless they belong to one entry and get one certificate", () => {
    const usage = fc.constantFrom<CertificateUsage>(...WEB);
    const layout = fc.shuffledSubarray(WEB, { minLength: 1 }).chain((usages) =>
      fc.array(fc.nat(usages.length - 1), { minLength: usages.length, maxLength: usages.length }).map((groups) => {
        const entries = new Map<number, CertificateUsage[]>();
        usages.forEach((u, i) => entries.set(groups[i], [...(entries.get(groups[i]) ?? []), u]));
        return [...entries.values()];
      }),
    );
    const held = fc.dictionary(
      usage,
      fc.constantFrom<keyof typeof CERTS | "missing">("good", "other", "lacking", "expired", "missing"),
    );
    fc.assert(
      fc.property(layout, held, (entries, live) => {
        const plan = planAgainst(desired(entries), state(live), context);
        const entryOf = new Map(entries.flatMap((us, i) => us.map((u) => [u, i] as const)));
        for (const entry of plan.entries) {
          const step = assignmentStep(entry, "A".repeat(40));
          if (!step) continue;
          for (const type of step.types) assert.equal(entryOf.get(type), entry.index);
        }
        // Separate entries never get a certificate another entry's usage holds.
        for (const entry of plan.entries) {
          if (entry.action?.kind !== "assign") continue;
          const holders = state(live).assignments.filter(
            (a) => a.thumbprint === (entry.action as { thumbprint: string }).thumbprint,
          );
          for (const holder of holders) {
            if (entryOf.has(holder.use))
              assert.equal(
                entryOf.get(holder.use),
                entry.index,
                `entry ${entry.index} reuses ${holder.use}'s certificate`,
              );
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
