// Staged rolls (Set-CsCertificate -Roll -EffectiveDate): which usages take a new certificate at a
// set time instead of at once, how far ahead, and what a staged assignment means for a reading.
// Pure: CertificateAssignment's entries and the OAuthTokenIssuer resource plan with it alike.
//
// Microsoft's "Stage AV and OAuth certificates" page: only AudioVideoAuthentication and
// OAuthTokenIssuer benefit. A/V authentication tokens live 8 hours, so an Edge's new certificate
// takes over at least 8 hours after it is staged, and calls set up under the old one keep working;
// the OAuth certificate must reach every Front End before it signs tokens they check, so it takes
// over at least a day later (and never before replication can have deployed it).

import type { CertificateUsage } from "./certificateUsages";
import { isUnknown } from "./providerInputs";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** How each usage that benefits from staging rolls by default, and the shortest lead it accepts. */
export const ROLLING_USAGES: Readonly<Partial<Record<CertificateUsage, RollDefaults>>> = {
  AudioVideoAuthentication: { defaultLeadMs: 8 * HOUR_MS, minimumLeadMs: 8 * HOUR_MS },
  OAuthTokenIssuer: { defaultLeadMs: 24 * HOUR_MS, minimumLeadMs: 0 },
};

export interface RollDefaults {
  readonly defaultLeadMs: number;
  readonly minimumLeadMs: number;
}

/** What a `roll` input becomes: the new certificate takes over `leadMs` after it is staged. */
export interface RollPolicy {
  readonly leadMs: number;
  /** The usages staged with -Roll; the entry's other usages switch at once. */
  readonly usages: readonly CertificateUsage[];
}

/** The roll input of an entry (or of the OAuthTokenIssuer resource). */
export interface RollInputs {
  /** How long before the new certificate takes over, e.g. "8h", "24h", "90m", "2d". */
  readonly leadTime?: string;
}

const DURATION_PART = /(\d+(?:\.\d+)?)\s*(d|h|m|s)/gy;
const UNIT_MS: Record<string, number> = { d: 24 * HOUR_MS, h: HOUR_MS, m: MINUTE_MS, s: 1000 };

/** Milliseconds of a duration such as "8h", "1h30m", "2d" or "90s"; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "") return undefined;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let match = DURATION_PART.exec(trimmed); match; match = DURATION_PART.exec(trimmed)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
    end = DURATION_PART.lastIndex;
  }
  return end === trimmed.length ? Math.round(total) : undefined;
}

/** A duration as people write it: "8h", "1d", "1h30m", "45s". */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let left = Math.max(0, Math.round(ms / 1000));
  for (const [unit, seconds] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const count = Math.floor(left / seconds);
    if (count > 0) parts.push(`${count}${unit}`);
    left -= count * seconds;
  }
  return parts.join("") || "0s";
}

/**
 * The roll policy of a certificate serving `usages`: the usages that benefit roll, with the given
 * lead time or their default. Undefined when none of them benefits.
 */
export function rollPolicyFor(
  usages: readonly CertificateUsage[],
  roll: RollInputs | undefined,
): RollPolicy | undefined {
  const rolling = usages.filter((u) => ROLLING_USAGES[u] !== undefined);
  if (rolling.length === 0) return undefined;
  const given = roll?.leadTime === undefined ? undefined : parseDuration(roll.leadTime);
  const leadMs = given ?? Math.max(...rolling.map((u) => ROLLING_USAGES[u]!.defaultLeadMs));
  return { leadMs, usages: rolling };
}

/**
 * What is wrong with a `roll` input for a certificate serving `usages`, as check reports it: the
 * field, the value and the fix. `minimumLeadMs` raises the usages' own minimum (the OAuth
 * certificate's replication delay).
 */
export function rollProblems(
  roll: unknown,
  path: string,
  usages: readonly CertificateUsage[] | undefined,
  minimumLeadMs = 0,
): { property: string; reason: string }[] {
  if (roll === undefined) return [];
  if (roll === null || typeof roll !== "object" || Array.isArray(roll)) {
    return [
      { property: path, reason: `roll must be an object such as { leadTime: "8h" }, got ${JSON.stringify(roll)}` },
    ];
  }
  const problems: { property: string; reason: string }[] = [];
  const rolling = (usages ?? []).filter((u) => ROLLING_USAGES[u] !== undefined);
  if (usages !== undefined && rolling.length === 0) {
    problems.push({
      property: path,
      reason: `roll stages a certificate with Set-CsCertificate -Roll, which only AudioVideoAuthentication and OAuthTokenIssuer benefit from; ${usages.join(", ")} switch at once, so remove roll from this entry`,
    });
  }
  const leadTime = (roll as Record<string, unknown>).leadTime;
  if (leadTime === undefined || isUnknown(leadTime)) return problems;
  const ms = typeof leadTime === "string" ? parseDuration(leadTime) : undefined;
  if (ms === undefined) {
    problems.push({
      property: `${path}.leadTime`,
      reason: `leadTime must be a duration such as "8h", "24h", "90m" or "1d12h", got ${JSON.stringify(leadTime)}`,
    });
    return problems;
  }
  const floor = Math.max(minimumLeadMs, ...rolling.map((u) => ROLLING_USAGES[u]!.minimumLeadMs));
  if (ms < floor) {
    const which = rolling.find((u) => ROLLING_USAGES[u]!.minimumLeadMs === floor);
    const why = which
      ? `${which} needs at least ${formatDuration(floor)} (the lifetime of the tokens signed with the old certificate)`
      : `the certificate must reach every server first, and replication takes up to ${formatDuration(floor)}`;
    problems.push({
      property: `${path}.leadTime`,
      reason: `leadTime ${JSON.stringify(leadTime)} is too short: ${why}; use ${formatDuration(floor)} or more`,
    });
  }
  return problems;
}

/** The certificate in force before a switch: what a roll keeps serving until the new one takes over. */
export interface CertificateInForce {
  readonly thumbprint: string;
  readonly notAfter: Date;
}

/** When a new certificate takes over: at once, or staged to take over at `effectiveDate`. */
export type Switch =
  { readonly kind: "immediate"; readonly why: string } | { readonly kind: "roll"; readonly effectiveDate: Date };

/**
 * When a new certificate should take over from `current` at `now` (the server's clock). A roll
 * keeps the old certificate serving until the effective date, so it needs one that serves that
 * long: nothing in force, or one that expires before the lead time has passed, means at once
 * (capped at its expiry, it would take over with less than the lead time, which is no better).
 */
export function scheduleSwitch(
  now: Date,
  policy: RollPolicy | undefined,
  current: CertificateInForce | undefined,
): Switch {
  if (!policy) return { kind: "immediate", why: "the usage does not benefit from staging" };
  if (!current) return { kind: "immediate", why: "no certificate is in force to keep serving until then" };
  const effectiveDate = new Date(now.getTime() + policy.leadMs);
  if (current.notAfter.getTime() <= effectiveDate.getTime()) {
    return {
      kind: "immediate",
      why: `${current.thumbprint} expires ${current.notAfter.toISOString()}, before a roll ${formatDuration(policy.leadMs)} ahead could take over`,
    };
  }
  return { kind: "roll", effectiveDate };
}

/** The parts of a Get-CsCertificate row that tell a staged roll. */
export interface RollingAssignment {
  readonly thumbprint: string;
  readonly previousThumbprint?: string;
  readonly effectiveDate?: Date;
}

/** The certificate serving at `now`: a staged one takes over at its effective date, the previous one serves until then. */
export function thumbprintInForce(assignment: RollingAssignment, now: Date): string | undefined {
  return isStaged(assignment, now) ? assignment.previousThumbprint : assignment.thumbprint;
}

/** True while the assigned certificate waits for its effective date. */
export function isStaged(assignment: RollingAssignment, now: Date): boolean {
  return assignment.effectiveDate !== undefined && now.getTime() < assignment.effectiveDate.getTime();
}

/** What preview says about a staged roll in progress: no drift, the plan running its course. */
export function stagedNote(where: string, assignment: RollingAssignment): string {
  const until = assignment.previousThumbprint ? `; ${assignment.previousThumbprint} serves until then` : "";
  return `${where}: ${assignment.thumbprint} staged, becomes current at ${assignment.effectiveDate?.toISOString()}${until}`;
}

/**
 * One Set-CsCertificate step split for staging: the usages that benefit take the certificate with
 * -Roll at the switch's effective date, the others at once (Microsoft's page assigns an Edge's
 * combined external certificate to AccessEdgeExternal and DataEdgeExternal at once and stages
 * AudioVideoAuthentication). Both calls name the same certificate, so Lync's one-certificate rule holds.
 */
export function stagedSteps<S extends { readonly types: readonly CertificateUsage[]; readonly effectiveDate?: Date }>(
  step: S,
  policy: RollPolicy | undefined,
  switchAt: Switch,
): S[] {
  if (!policy || switchAt.kind === "immediate") return [step];
  const rolled = step.types.filter((t) => policy.usages.includes(t));
  const atOnce = step.types.filter((t) => !policy.usages.includes(t));
  return [
    ...(atOnce.length > 0 ? [{ ...step, types: atOnce }] : []),
    ...(rolled.length > 0 ? [{ ...step, types: rolled, effectiveDate: switchAt.effectiveDate }] : []),
  ];
}

/**
 * The certificate serving the first rolling usage at `now`, when it can keep serving: known (its
 * facts read from the store) and not expired. Undefined means a new certificate takes over at once.
 */
export function certificateInForce(
  assignments: readonly (RollingAssignment & { readonly use: CertificateUsage })[],
  policy: RollPolicy | undefined,
  notAfterOf: (thumbprint: string) => Date | undefined,
  now: Date,
): CertificateInForce | undefined {
  const row = assignments.find((a) => policy?.usages.includes(a.use));
  const thumbprint = row && thumbprintInForce(row, now);
  const notAfter = thumbprint === undefined ? undefined : notAfterOf(thumbprint);
  return thumbprint && notAfter && notAfter.getTime() > now.getTime() ? { thumbprint, notAfter } : undefined;
}

/** Preview's word on each certificate's staged rolls in progress at `now`, one line per certificate. */
export function stagedNotes(
  server: string,
  certificates: readonly { readonly usages: readonly CertificateUsage[] }[],
  assignments: readonly (RollingAssignment & { readonly use: CertificateUsage })[],
  now: Date,
): string[] {
  return certificates.flatMap(({ usages }) => {
    const staged = assignments.filter((a) => usages.includes(a.use) && isStaged(a, now));
    const first = staged[0];
    return first ? [stagedNote(`${server} ${staged.map((a) => a.use).join(", ")}`, first)] : [];
  });
}
