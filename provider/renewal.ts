// When a certificate should be replaced. Like cert-manager: renewBeforeDays or
// renewBeforePercentage when given, otherwise at two thirds of the certificate's lifetime.

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RenewalPolicy {
  readonly renewBeforeDays?: number;
  readonly renewBeforePercentage?: number;
}

export interface RenewalTime {
  readonly time: Date;
  /** Set when the policy could not be applied as written and the default rule was used instead. */
  readonly note?: string;
}

/** The time after which `certificate` is due for renewal under `policy`. */
export function renewalTime(certificate: { notBefore: Date; notAfter: Date }, policy: RenewalPolicy): RenewalTime {
  const start = certificate.notBefore.getTime();
  const end = certificate.notAfter.getTime();
  const lifetime = Math.max(0, end - start);
  const twoThirds = new Date(start + Math.floor((lifetime * 2) / 3));
  if (policy.renewBeforeDays !== undefined) {
    const window = policy.renewBeforeDays * DAY_MS;
    // Renewal-loop guard: when the CA issues certificates shorter than the window (a template
    // capped at 30 days with renewBeforeDays 45, say), every fresh certificate would already be
    // due and each `up` would request another. Fall back to two thirds of its own lifetime.
    if (window >= lifetime) {
      return {
        time: twoThirds,
        note: `the certificate's lifetime (${formatDays(lifetime)}) is not longer than renewBeforeDays (${policy.renewBeforeDays}); renewing at two thirds of its lifetime instead, to avoid requesting a new certificate on every run`,
      };
    }
    return { time: new Date(end - window) };
  }
  if (policy.renewBeforePercentage !== undefined) {
    return { time: new Date(end - Math.floor((lifetime * policy.renewBeforePercentage) / 100)) };
  }
  return { time: twoThirds };
}

/** ISO 8601 date only, e.g. 2027-01-03: how reasons show times. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function formatDays(ms: number): string {
  const days = ms / DAY_MS;
  return Number.isInteger(days) ? `${days} days` : `${days.toFixed(1)} days`;
}
