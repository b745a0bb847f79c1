// When a certificate should be replaced: as cert-manager, renewBeforeDays/Percentage or two thirds of
// the lifetime, never before a third has passed (else a long window renews at issuance, every run).

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RenewalPolicy {
  readonly renewBeforeDays?: number;
  readonly renewBeforePercentage?: number;
}

export interface RenewalTime {
  readonly time: Date;
  /** Set when the policy would renew before a third of the lifetime, so the floor applies instead. */
  readonly note?: string;
}

/** The time after which `certificate` is due for renewal under `policy`. */
export function renewalTime(certificate: { notBefore: Date; notAfter: Date }, policy: RenewalPolicy): RenewalTime {
  const start = certificate.notBefore.getTime();
  const end = certificate.notAfter.getTime();
  const lifetime = Math.max(0, end - start);
  const floor = start + Math.ceil(lifetime / 3);
  let wanted: number;
  let setting: string;
  if (policy.renewBeforeDays !== undefined) {
    wanted = Math.floor(end - policy.renewBeforeDays * DAY_MS);
    setting = `renewBeforeDays (${policy.renewBeforeDays})`;
  } else if (policy.renewBeforePercentage !== undefined) {
    wanted = end - Math.floor((lifetime * policy.renewBeforePercentage) / 100);
    setting = `renewBeforePercentage (${policy.renewBeforePercentage})`;
  } else {
    return { time: new Date(start + Math.floor((lifetime * 2) / 3)) };
  }
  if (wanted >= floor) return { time: new Date(wanted) };
  return {
    time: new Date(floor),
    note: `${setting} would renew this certificate (lifetime ${formatDays(lifetime)}) before a third of its lifetime has passed; renewing at one third of its lifetime instead, so that each certificate serves part of its life and a run does not request a new one every time`,
  };
}

/** ISO 8601 date only, e.g. 2027-01-03: how reasons show times. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function formatDays(ms: number): string {
  const days = ms / DAY_MS;
  return Number.isInteger(days) ? `${days} days` : `${days.toFixed(1)} days`;
}
