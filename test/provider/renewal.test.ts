import assert from "node:assert/strict";
import fc from "fast-check";
import { renewalTime } from "../../provider/renewal";

const DAY = 24 * 60 * 60 * 1000;
const notBefore = new Date("2025-01-03T00:00:00Z");
const notAfter = new Date("2027-01-03T00:00:00Z"); // 730 days

describe("renewalTime", () => {
  it("renews at two thirds of the lifetime by default, like cert-manager", () => {
    const { time, note } = renewalTime({ notBefore, notAfter }, {});
    assert.equal(time.getTime(), notBefore.getTime() + Math.floor((730 * DAY * 2) / 3));
    assert.equal(note, undefined);
  });

  it("renews renewBeforeDays before expiry", () => {
    assert.equal(
      renewalTime({ notBefore, notAfter }, { renewBeforeDays: 30 }).time.toISOString(),
      "2026-12-04T00:00:00.000Z",
    );
  });

  it("renews when renewBeforePercentage of the lifetime is left", () => {
    assert.equal(
      renewalTime({ notBefore, notAfter }, { renewBeforePercentage: 10 }).time.getTime(),
      notAfter.getTime() - 73 * DAY,
    );
  });

  it("falls back to two thirds of its lifetime when the CA issues a certificate shorter than renewBeforeDays, and says so", () => {
    const short = { notBefore, notAfter: new Date(notBefore.getTime() + 30 * DAY) };
    const { time, note } = renewalTime(short, { renewBeforeDays: 45 });
    assert.equal(time.getTime(), notBefore.getTime() + 20 * DAY);
    assert.match(note ?? "", /30 days.*renewBeforeDays \(45\).*two thirds/);
  });

  it("never schedules a renewal before a certificate's start or after its end (no renewal loops)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3650 }),
        fc.oneof(
          fc.record({ renewBeforeDays: fc.integer({ min: 1, max: 5000 }) }),
          fc.record({ renewBeforePercentage: fc.integer({ min: 1, max: 99 }) }),
          fc.constant({}),
        ),
        (days, policy) => {
          const cert = { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY) };
          const { time } = renewalTime(cert, policy);
          return time.getTime() > notBefore.getTime() && time.getTime() < cert.notAfter.getTime();
        },
      ),
    );
  });
});
