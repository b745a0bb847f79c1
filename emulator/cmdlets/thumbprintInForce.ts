import type { Assignment } from "../lyncHost";

/**
 * The certificate a usage serves with at `now` (the server's clock): a staged certificate (-Roll
 * -EffectiveDate) takes over at its effective date, and until then the previous one stays in force, so a
 * moving clock switches the usage in one step and never leaves it without a certificate.
 */
export function thumbprintInForce(assignment: Assignment, now: Date): string | undefined {
  return isStaged(assignment, now) ? assignment.previousThumbprint : assignment.thumbprint;
}

/** True while the current certificate waits for its effective date. */
export function isStaged(assignment: Assignment, now: Date): boolean {
  return assignment.effectiveDate !== undefined && now.getTime() < Date.parse(assignment.effectiveDate);
}
