import assert from "node:assert/strict";
import fc from "fast-check";
import { renewalTime } from "pulumi-lync-certificates/dist/renewal";

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

  it("renews at one third of the lifetime when the CA issues a certificate shorter than renewBeforeDays, and says so", () => {
    const short = { notBefore, notAfter: new Date(notBefore.getTime() + 30 * DAY) };
    const { time, note } = renewalTime(short, { renewBeforeDays: 45 });
    assert.equal(time.getTime(), notBefore.getTime() + 10 * DAY);
    assert.match(note ?? "", /renewBeforeDays \(45\).*30 days.*one third/);
  });

  // AD CS backdates NotBefore by 10 minutes: a template of 365 days gives a lifetime a little
  // longer than 365 days, issued 10 minutes after NotBefore.
  const MINUTE = 60 * 1000;
  const issuedAt = new Date("2026-03-01T12:00:00Z");
  const backdated = (days: number) => ({
    notBefore: new Date(issuedAt.getTime() - 10 * MINUTE),
    notAfter: new Date(issuedAt.getTime() + days * DAY),
  });

  it("leaves a backdated certificate a third of its lifetime when renewBeforeDays equals the template's validity", () => {
    const certificate = backdated(365);
    const { time, note } = renewalTime(certificate, { renewBeforeDays: 365 });
    const lifetime = certificate.notAfter.getTime() - certificate.notBefore.getTime();
    assert.equal(time.getTime(), certificate.notBefore.getTime() + Math.ceil(lifetime / 3));
    assert.ok(time.getTime() > issuedAt.getTime() + 100 * DAY, time.toISOString());
    assert.match(note ?? "", /renewBeforeDays \(365\)/);
  });

  it("has no cliff: renewBeforeDays just under the lifetime renews at the same time as just over it", () => {
    const certificate = backdated(365);
    const under = renewalTime(certificate, { renewBeforeDays: 364.99 }).time.getTime();
    const over = renewalTime(certificate, { renewBeforeDays: 365.01 }).time.getTime();
    assert.equal(under, over);
    assert.ok(under > issuedAt.getTime() + 100 * DAY);
  });

  it("moves the renewal time smoothly with the setting and never earlier than a third of the lifetime after NotBefore", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3650 }),
        fc.double({ min: 0.01, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 99.99, noNaN: true }),
        (days, window, step, percentage) => {
          const certificate = backdated(days);
          const lifetime = certificate.notAfter.getTime() - certificate.notBefore.getTime();
          const floor = certificate.notBefore.getTime() + lifetime / 3;
          const a = renewalTime(certificate, { renewBeforeDays: window }).time.getTime();
          const b = renewalTime(certificate, { renewBeforeDays: window + step }).time.getTime();
          const p = renewalTime(certificate, { renewBeforePercentage: percentage }).time.getTime();
          return a >= floor && p >= floor && b <= a && a - b <= step * DAY + 1;
        },
      ),
    );
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
