// The validated inputs turned into what the server should hold: canonical usages, lower-case
// names without a trailing dot (subject, SANs and SIP domains alike), the mobility (Autodiscover)
// names added, defaults filled in.

import { createHash } from "node:crypto";
import { canonicalUsage, type CertificateUsage } from "./certificateUsages";
import { canonicalDnsName } from "./fqdnProblem";
import type { ProviderInputs } from "./providerInputs";
import type { RenewalPolicy } from "./renewal";
import { rollPolicyFor, type RollPolicy } from "./rollPlan";

export type CertificateSource =
  | {
      readonly kind: "ca";
      readonly ca: string;
      readonly caAccount?: string;
      readonly caPassword?: string;
      readonly template?: string;
    }
  | { readonly kind: "pfx"; readonly pfx: string; readonly pfxPassword?: string }
  | { readonly kind: "pem"; readonly certificatePem: string; readonly privateKeyPem: string }
  | { readonly kind: "offline"; readonly template?: string; readonly issuedCertificatePem?: string };

export interface DesiredCertificate {
  /** Position in the `certificates` input: names the entry in messages and friendly names. */
  readonly index: number;
  readonly usages: readonly CertificateUsage[];
  /** Names the certificate must carry (lower case): the user's, plus mobility names. */
  readonly subjectAlternativeNames: readonly string[];
  /** Why a name is required when the user did not list it (an Edge topology name), by name. */
  readonly nameReasons?: Readonly<Record<string, string>>;
  /** Expected subject common name, when given. */
  readonly subject?: string;
  readonly friendlyName?: string;
  readonly keySize: number;
  readonly source: CertificateSource;
  /** How a new certificate takes over the usages that benefit from staging; undefined: at once. */
  readonly roll?: RollPolicy;
}

export interface DesiredState {
  readonly certificates: readonly DesiredCertificate[];
  readonly renewal: RenewalPolicy;
  /** undefined: the module the server has, found by each script. */
  readonly managementModule: "Lync" | "SkypeForBusiness" | undefined;
  readonly deletionPolicy: "retain" | "unassign";
  /** Marks this resource's certificates in friendly names: "pulumi-lync <resourceKey> #<index>". */
  readonly resourceKey: string;
  /** The Pulumi resource's name, when the CertificateAssignment class passed it. */
  readonly resourceName?: string;
}

const DEFAULT_KEY_SIZE = 2048;

/** Normalises validated inputs (no unknown values) into the desired state. */
export function desiredCertificates(inputs: ProviderInputs): DesiredState {
  const mobilityDomains = (inputs.sipDomains ?? [])
    .filter((d) => d.mobility === true)
    .map((d) => canonicalDnsName(d.name));
  const certificates = inputs.certificates.map((entry, index): DesiredCertificate => {
    const usages = entry.usages.map((u) => canonicalUsage(u) ?? (u as CertificateUsage));
    const names = [...new Set(entry.subjectAlternativeNames.map(canonicalDnsName))];
    const add = (name: string) => {
      // A `*.<domain>` wildcard is Lync's accepted alternative to the lyncdiscover names.
      const parent = name.slice(name.indexOf(".") + 1);
      if (!names.includes(name) && !names.includes(`*.${parent}`)) names.push(name);
    };
    for (const domain of mobilityDomains) {
      if (usages.includes("WebServicesInternal")) add(`lyncdiscoverinternal.${domain}`);
      if (usages.includes("WebServicesExternal")) add(`lyncdiscover.${domain}`);
    }
    return {
      index,
      usages,
      subjectAlternativeNames: names,
      subject: entry.subject === undefined ? undefined : canonicalDnsName(entry.subject.replace(/^CN=/i, "")),
      friendlyName: entry.friendlyName,
      keySize: entry.keySize ?? DEFAULT_KEY_SIZE,
      source: sourceOf(entry),
      roll: rollPolicyFor(usages, entry.roll),
    };
  });
  return {
    certificates,
    renewal: { renewBeforeDays: inputs.renewBeforeDays, renewBeforePercentage: inputs.renewBeforePercentage },
    managementModule: inputs.managementModule,
    deletionPolicy: inputs.deletionPolicy ?? "retain",
    resourceKey: inputs.resourceKey ?? fallbackResourceKey(inputs),
    resourceName: inputs.resourceName,
  };
}

function sourceOf(entry: ProviderInputs["certificates"][number]): CertificateSource {
  if (entry.ca !== undefined) {
    return {
      kind: "ca",
      ca: entry.ca,
      caAccount: entry.caAccount,
      caPassword: entry.caPassword,
      template: entry.template,
    };
  }
  if (entry.pfx !== undefined) return { kind: "pfx", pfx: entry.pfx, pfxPassword: entry.pfxPassword };
  if (entry.certificatePem !== undefined) {
    return { kind: "pem", certificatePem: entry.certificatePem, privateKeyPem: entry.privateKeyPem ?? "" };
  }
  return { kind: "offline", template: entry.template, issuedCertificatePem: entry.issuedCertificatePem };
}

/** Without the resource class's key, derive one from the host and usages (stable across runs). */
function fallbackResourceKey(inputs: ProviderInputs): string {
  const usages = inputs.certificates.flatMap((c) => c.usages).join(",");
  return createHash("sha256").update(`${inputs.connection.host}|${usages}`).digest("hex").slice(0, 8);
}

/** The friendly-name prefix that marks certificates this resource obtained for entry `index`. */
function friendlyNamePrefix(state: Pick<DesiredState, "resourceKey">, index: number): string {
  return `pulumi-lync ${state.resourceKey} #${index}`;
}

export interface FriendlyNameMarker {
  readonly resourceKey: string;
  readonly index: number;
  /** The server's clock when the certificate was asked for (the generation stamp), when present. */
  readonly requestedAt?: Date;
}

// The marker as friendlyNameFor writes it, alone or in parentheses after the user's friendly name.
// Older stamps have whole seconds; milliseconds keep two requests of one second apart.
const MARKER =
  /(?:^|[\s(])pulumi-lync (\S+) #(\d+)(?: (\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{3}))?)?(?=$|[\s)])/g;

/** The marker in a friendly name (the last one: it is appended after the user's text), if any. */
export function parseFriendlyNameMarker(friendlyName: string): FriendlyNameMarker | undefined {
  const match = [...friendlyName.matchAll(MARKER)].at(-1);
  if (!match) return undefined;
  const [, resourceKey, index, year, month, day, hour, minute, second, millisecond = "000"] = match;
  const requestedAt = year
    ? new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millisecond}Z`)
    : undefined;
  return {
    resourceKey,
    index: Number(index),
    requestedAt: requestedAt && !Number.isNaN(requestedAt.getTime()) ? requestedAt : undefined,
  };
}

/**
 * Whether a friendly name marks a certificate (or request) this resource obtained for entry
 * `index`. Whole tokens are compared, so entry #1 never claims #10's certificate.
 */
export function isMarkedFor(friendlyName: string, state: Pick<DesiredState, "resourceKey">, index: number): boolean {
  const marker = parseFriendlyNameMarker(friendlyName);
  return marker !== undefined && marker.resourceKey === state.resourceKey && marker.index === index;
}

/**
 * A new certificate's friendly name: the prefix a retry finds, then a stamp to the millisecond (Lync wants them
 * unique, and the request's outcome is found by it: an update from a refresh's reading may come in create's second).
 */
export function friendlyNameFor(state: DesiredState, certificate: DesiredCertificate, serverNow: Date): string {
  const stamp = serverNow.toISOString().replace(/[-:]/g, "").slice(0, 19);
  const prefix = `${friendlyNamePrefix(state, certificate.index)} ${stamp}`;
  return certificate.friendlyName ? `${certificate.friendlyName} (${prefix})` : prefix;
}
