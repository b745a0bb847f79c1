import assert from "node:assert/strict";
import fc from "fast-check";
import {
  certificateInForce,
  formatDuration,
  isStaged,
  parseDuration,
  rollPolicyFor,
  rollProblems,
  scheduleSwitch,
  stagedNotes,
  stagedSteps,
  thumbprintInForce,
} from "pulumi-lync-certificates/dist/rollPlan";

const HOUR = 60 * 60 * 1000;
const now = new Date("2026-12-01T12:00:00Z");
const OLD = "A".repeat(40);
const NEW = "B".repeat(40);

describe("staged rolls (rollPlan)", () => {
  describe("durations", () => {
    for (const [text, ms] of [
      ["8h", 8 * HOUR],
      ["24h", 24 * HOUR],
      ["1d12h", 36 * HOUR],
      ["90m", 90 * 60_000],
      ["45s", 45_000],
      ["1.5h", 1.5 * HOUR],
      [" 2D ", 48 * HOUR],
    ] as const) {
      it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => assert.equal(parseDuration(text), ms));
    }
    for (const text of ["", "8", "h", "8 hours", "-8h", "8h x", "1w"]) {
      it(`refuses ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), undefined));
    }
    it("reads back what it writes, to the second", () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 400 * 24 * 3600 }), (seconds) => {
          assert.equal(parseDuration(formatDuration(seconds * 1000)), seconds * 1000);
        }),
      );
    });
  });

  describe("policy per usage", () => {
    it("rolls AudioVideoAuthentication 8 hours ahead by default, and only that usage of a combined entry", () => {
      const policy = rollPolicyFor(["AccessEdgeExternal", "DataEdgeExternal", "AudioVideoAuthentication"], undefined);
      assert.deepEqual(policy, { leadMs: 8 * HOUR, usages: ["AudioVideoAuthentication"] });
    });
    it("rolls OAuthTokenIssuer a day ahead by default", () => {
      assert.equal(rollPolicyFor(["OAuthTokenIssuer"], undefined)?.leadMs, 24 * HOUR);
    });
    it("takes the given lead time", () => {
      assert.equal(rollPolicyFor(["AudioVideoAuthentication"], { leadTime: "12h" })?.leadMs, 12 * HOUR);
    });
    it("does not roll usages that gain nothing from staging", () => {
      assert.equal(rollPolicyFor(["Default", "WebServicesInternal", "WebServicesExternal"], undefined), undefined);
    });
  });

  describe("check", () => {
    const problems = (roll: unknown, usages: string[], minimum = 0) =>
      rollProblems(roll, "certificates[0].roll", usages as never, minimum);

    it("accepts no roll, and a lead time at or above the minimum", () => {
      assert.deepEqual(problems(undefined, ["Default"]), []);
      assert.deepEqual(problems({ leadTime: "8h" }, ["AudioVideoAuthentication"]), []);
      assert.deepEqual(problems({}, ["AudioVideoAuthentication"]), []);
    });
    it("refuses roll on usages that switch at once, naming them", () => {
      const [problem] = problems({ leadTime: "8h" }, ["Default", "WebServicesInternal"]);
      assert.equal(problem.property, "certificates[0].roll");
      assert.match(problem.reason, /Default, WebServicesInternal/);
    });
    it("refuses an A/V lead time under 8 hours, with the value and the fix", () => {
      const [problem] = problems({ leadTime: "2h" }, ["AudioVideoAuthentication"]);
      assert.equal(problem.property, "certificates[0].roll.leadTime");
      assert.match(problem.reason, /"2h".*8h or more/);
    });
    it("refuses a lead time under the given minimum (the replication delay)", () => {
      const [problem] = problems({ leadTime: "10m" }, ["OAuthTokenIssuer"], 15 * 60_000);
      assert.match(problem.reason, /"10m".*replication.*15m or more/);
    });
    it("refuses what is not a duration", () => {
      const [problem] = problems({ leadTime: "tomorrow" }, ["AudioVideoAuthentication"]);
      assert.equal(problem.property, "certificates[0].roll.leadTime");
      assert.match(problem.reason, /"tomorrow"/);
      assert.equal(problems("8h", ["AudioVideoAuthentication"])[0].property, "certificates[0].roll");
    });
  });

  describe("scheduleSwitch", () => {
    const policy = { leadMs: 8 * HOUR, usages: ["AudioVideoAuthentication" as const] };
    const valid = { thumbprint: OLD, notAfter: new Date(now.getTime() + 30 * 24 * HOUR) };

    it("stages lead time ahead while a valid certificate serves", () => {
      const result = scheduleSwitch(now, policy, valid);
      assert.deepEqual(result, { kind: "roll", effectiveDate: new Date(now.getTime() + 8 * HOUR) });
    });
    it("switches at once without a certificate in force, or one that expires before the lead time", () => {
      assert.equal(scheduleSwitch(now, policy, undefined).kind, "immediate");
      const expiring = { thumbprint: OLD, notAfter: new Date(now.getTime() + 2 * HOUR) };
      assert.equal(scheduleSwitch(now, policy, expiring).kind, "immediate");
      assert.equal(scheduleSwitch(now, undefined, valid).kind, "immediate");
    });
    it("never leaves a usage without a valid certificate: the old one outlives every effective date", () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 100 * 24 }), fc.integer({ min: -48, max: 1000 }), (leadHours, left) => {
          const current = { thumbprint: OLD, notAfter: new Date(now.getTime() + left * HOUR) };
          const result = scheduleSwitch(now, { ...policy, leadMs: leadHours * HOUR }, current);
          if (result.kind === "roll") assert.ok(result.effectiveDate.getTime() < current.notAfter.getTime());
        }),
      );
    });
  });

  describe("steps and readings", () => {
    const step = {
      index: 0,
      thumbprint: NEW,
      types: ["AccessEdgeExternal", "DataEdgeExternal", "AudioVideoAuthentication"] as const,
    };
    const policy = rollPolicyFor(step.types, undefined);
    const at = new Date(now.getTime() + 8 * HOUR);

    it("assigns the other usages at once and stages the rolling one, with the same certificate", () => {
      const steps = stagedSteps(step, policy, { kind: "roll", effectiveDate: at });
      assert.deepEqual(steps, [
        { index: 0, thumbprint: NEW, types: ["AccessEdgeExternal", "DataEdgeExternal"] },
        { index: 0, thumbprint: NEW, types: ["AudioVideoAuthentication"], effectiveDate: at },
      ]);
    });
    it("keeps the step whole when the switch is immediate", () => {
      assert.deepEqual(stagedSteps(step, policy, { kind: "immediate", why: "" }), [step]);
    });

    const staged = {
      use: "AudioVideoAuthentication" as const,
      thumbprint: NEW,
      previousThumbprint: OLD,
      effectiveDate: at,
    };
    it("reads a staged row: the previous certificate serves until the effective date", () => {
      assert.equal(isStaged(staged, now), true);
      assert.equal(thumbprintInForce(staged, now), OLD);
      assert.equal(thumbprintInForce(staged, at), NEW);
      const notAfter = new Date(now.getTime() + 100 * HOUR);
      assert.deepEqual(
        certificateInForce([staged], policy, () => notAfter, now),
        { thumbprint: OLD, notAfter },
      );
      assert.equal(
        certificateInForce([staged], policy, () => new Date(now.getTime() - 1), now),
        undefined,
      );
    });
    it("says a staged roll is in progress and when it becomes current, and nothing once it is over", () => {
      const entries = [{ usages: step.types }];
      const [note] = stagedNotes("edge01.contoso.com", entries, [staged], now);
      assert.match(
        note,
        new RegExp(
          `edge01.contoso.com AudioVideoAuthentication: ${NEW} staged, becomes current at ${at.toISOString()}`,
        ),
      );
      assert.deepEqual(stagedNotes("edge01.contoso.com", entries, [staged], at), []);
    });
  });
});
