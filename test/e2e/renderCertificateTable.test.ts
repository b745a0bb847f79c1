// The demo's table is what a user reads to trust the outcome: every usage, thumbprint and SAN must be
// in it, whatever the names' lengths (a property test over generated rows).

import assert from "node:assert/strict";
import fc from "fast-check";
import { renderCertificateTable } from "../../scripts/renderCertificateTable";
import type { AssignedCertificate } from "../../scripts/support/lyncAdmin";

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const fqdn = fc.tuple(label, label).map(([a, b]) => `${a}.${b}.com`);
const thumbprint = fc.stringMatching(/^[0-9A-F]{40}$/);
const row = fc.record({
  server: fqdn,
  use: fc.constantFrom("Default", "WebServicesInternal", "WebServicesExternal"),
  thumbprint,
  alternativeNames: fc.array(fqdn, { minLength: 1, maxLength: 12 }),
  notAfter: fc.constantFrom("2028-11-25T08:00:00.000Z", "2030-03-29T08:00:00.000Z"),
});

function certificate(r: {
  server: string;
  use: string;
  thumbprint: string;
  alternativeNames: string[];
  notAfter: string;
}): AssignedCertificate {
  return { ...r, subject: `CN=${r.server}`, issuer: "CN=contoso-DC-CA", notBefore: "2026-11-26T08:00:00.000Z" };
}

describe("renderCertificateTable", () => {
  it("shows every server, usage, thumbprint, SAN and expiry date of the rows it gets", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 6 }), (rows) => {
        const table = renderCertificateTable(rows.map(certificate));
        for (const r of rows) {
          for (const text of [r.server, r.use, r.thumbprint, r.notAfter.slice(0, 10), ...r.alternativeNames]) {
            assert.ok(table.includes(text), `${text} is in\n${table}`);
          }
        }
      }),
    );
  });

  it("lists a combined certificate once with all its usages, and marks a changed thumbprint", () => {
    const base = {
      server: "fe01.contoso.com",
      thumbprint: "A".repeat(40),
      alternativeNames: ["fe01.contoso.com", "lyncdiscover.contoso.com"],
      notAfter: "2028-11-25T08:00:00.000Z",
    };
    const rows = ["Default", "WebServicesInternal", "WebServicesExternal"].map((use) => certificate({ ...base, use }));
    const before = rows.map((r) => ({ ...r, thumbprint: "B".repeat(40) }));
    const table = renderCertificateTable(rows, before);
    assert.equal(table.split("\n").filter((line) => line.includes("A".repeat(40))).length, 1);
    assert.match(table, /\(was BBBBBBBBBBBB…\)/);
    assert.doesNotMatch(renderCertificateTable(rows, rows), /\(was/);
  });
});
