import assert from "node:assert/strict";
import type { CertificateUsage } from "pulumi-lync-certificates/dist/certificateUsages";
import type { LiveAssignment } from "pulumi-lync-certificates/dist/parseServerState";
import { planRollback } from "pulumi-lync-certificates/dist/planRollback";

const OLD = "0".repeat(40);
const NEW = "1".repeat(40);
const OTHER = "2".repeat(40);
const EXPIRED = "3".repeat(40);
const NOW = new Date("2026-12-01T00:00:00Z");
const facts = new Map([
  [OLD, { notAfter: new Date("2027-12-01T00:00:00Z") }],
  [EXPIRED, { notAfter: new Date("2026-11-01T00:00:00Z") }],
]);

function live(held: Partial<Record<CertificateUsage, string>>): LiveAssignment[] {
  return Object.entries(held).map(([use, thumbprint]) => ({
    use: use as CertificateUsage,
    thumbprint: thumbprint!,
    alternativeNames: [],
  }));
}

function before(current: Partial<Record<CertificateUsage, string>>) {
  return {
    entries: (Object.keys(current) as CertificateUsage[]).map((usage, index) => ({
      index,
      usages: [usage],
      reasons: [],
      current: current[usage] === undefined ? {} : { [usage]: current[usage] },
    })),
  };
}

describe("planRollback", () => {
  it("keeps the usages whose assignment succeeded and touches only what failed", () => {
    const plan = planRollback(
      [
        { index: 0, types: ["Default"], thumbprint: NEW },
        { index: 1, types: ["WebServicesInternal"], thumbprint: NEW },
      ],
      before({ Default: OLD, WebServicesInternal: OLD }),
      live({ Default: NEW, WebServicesInternal: OTHER }),
      facts,
      NOW,
    );
    assert.deepEqual(plan.restores, [{ type: "WebServicesInternal", thumbprint: OLD }]);
    assert.deepEqual(plan.left, []);
  });

  it("never restores an expired or vanished certificate, and never unassigns a usage that had none", () => {
    const plan = planRollback(
      [
        { index: 0, types: ["Default"], thumbprint: NEW },
        { index: 1, types: ["WebServicesInternal"], thumbprint: NEW },
        { index: 2, types: ["WebServicesExternal"], thumbprint: NEW },
      ],
      {
        entries: [
          { index: 0, usages: ["Default"], reasons: [], current: { Default: EXPIRED } },
          { index: 1, usages: ["WebServicesInternal"], reasons: [], current: { WebServicesInternal: "9".repeat(40) } },
          { index: 2, usages: ["WebServicesExternal"], reasons: [], current: {} },
        ],
      },
      live({ Default: OTHER, WebServicesInternal: OTHER, WebServicesExternal: OTHER }),
      facts,
      NOW,
    );
    assert.deepEqual(plan.restores, []);
    assert.equal(plan.left.length, 3);
    assert.match(plan.left[0], /Default keeps 2{40}: its previous certificate 3{40} has expired/);
    assert.match(
      plan.left[1],
      /WebServicesInternal keeps 2{40}: its previous certificate 9{40} is gone from the store/,
    );
    assert.match(plan.left[2], /WebServicesExternal keeps 2{40}: it had none before/);
  });

  it("has nothing to do for a usage that still holds its previous certificate", () => {
    const plan = planRollback(
      [{ index: 0, types: ["Default"], thumbprint: NEW }],
      before({ Default: OLD }),
      live({ Default: OLD }),
      facts,
      NOW,
    );
    assert.deepEqual(plan, { restores: [], left: [] });
  });
});
