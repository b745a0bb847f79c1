// When a certificate should be replaced. Like cert-manager: renewBeforeDays or
// renewBeforePercentage when given, otherwise at two thirds of the certificate's lifetime.
//
// Whatever the setting, renewal never comes before a third of the lifetime has passed since
// NotBefore. Without that floor a window as long as the lifetime makes a certificate due the
// moment it is issued (AD CS backdates NotBefore by 10 minutes, so a 365-day template and
// renewBeforeDays 365 renew at issuance) and every run asks the CA again. A floor rather than a
// fallback keeps the rule smooth: a slightly longer window never moves renewal abruptly.

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
