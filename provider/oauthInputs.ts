// check() for an OAuthTokenIssuer, and its inputs turned into a desired state. The certificate is
// judged by the same rules as a CertificateAssignment entry (validateEntry, desiredCertificates),
// plus what the global certificate needs: a key of 2048 bits or more that replication can export,
// an online or supplied source, and a roll lead time no shorter than the replication delay.

import { desiredCertificates, type DesiredState } from "./desiredCertificates";
import { isUnknown, type CertificateEntryInputs, type ConnectionInputs, type ProviderInputs } from "./providerInputs";
import { parseDuration, rollProblems } from "./rollPlan";
import { readSuppliedCertificate, type SuppliedCertificate } from "./suppliedCertificate";
import { validateCaLogin, validateConnection } from "./validateConnection";
import { validateEntry, validateSettings, type CheckFailure } from "./validateInputs";

/** The plain values the provider receives for an OAuthTokenIssuer (see OAuthTokenIssuerArgs). */
export interface OAuthInputs extends Omit<
  CertificateEntryInputs,
  "usages" | "subjectAlternativeNames" | "offline" | "issuedCertificatePem" | "allowWeakKeySize"
> {
  servers: ConnectionInputs[];
  subjectAlternativeNames?: string[];
  replicationDelay?: string;
  renewBeforeDays?: number;
  renewBeforePercentage?: number;
  managementModule?: "Lync" | "SkypeForBusiness";
  resourceKey?: string;
  resourceName?: string;
}

/** Microsoft: the server-to-server authentication certificate needs a key of at least 2048 bits. */
export const MINIMUM_KEY_BITS = 2048;
export const DEFAULT_REPLICATION_DELAY = "15m";

/** What the provider computes besides the inputs (OAuthTokenIssuerOutputs). */
export const OAUTH_OUTPUT_NAMES = [
  "thumbprint",
  "notAfter",
  "renewalTime",
  "stagedThumbprint",
  "effectiveDate",
  "previousThumbprint",
  "serverNames",
  "serversWithCertificate",
  "serversWithStagedCertificate",
  "hostKeys",
] as const;

const CERTIFICATE_FIELDS = [
  "subjectAlternativeNames",
  "subject",
  "friendlyName",
  "keySize",
  "template",
  "ca",
  "caAccount",
  "caPassword",
  "pfx",
  "pfxPassword",
  "certificatePem",
  "privateKeyPem",
  "offline",
  "issuedCertificatePem",
  "allowWeakKeySize",
] as const;

/** Validates and normalises the inputs; `failures` lists every problem found. */
export function validateOAuthInputs(news: unknown): { inputs: OAuthInputs; failures: CheckFailure[] } {
  const raw = (news !== null && typeof news === "object" ? news : {}) as Record<string, unknown>;
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const inputs: Record<string, unknown> = { ...raw };

  const servers = raw.servers;
  if (!isUnknown(servers)) {
    if (!Array.isArray(servers) || servers.length === 0) {
      fail(
        "servers",
        `servers must list the Front End Servers that hold the certificate (the first assigns it), got ${servers === undefined ? "nothing" : JSON.stringify(typeof servers)}; add e.g. { host: "fe01.contoso.com", user, password }`,
      );
    } else {
      inputs.servers = servers.map((server, i) => validateConnection(server, `servers[${i}]`, fail, true));
    }
  }

  const entry = Object.fromEntries(CERTIFICATE_FIELDS.map((f) => [f, raw[f]]));
  entry.subjectAlternativeNames ??= [];
  // Judged as a CertificateAssignment entry would be, then named as this resource's fields.
  const entryFailures: CheckFailure[] = [];
  const entryFail = (property: string, reason: string) =>
    entryFailures.push({ property: property.replace(/^(certificates\[0\])?\.?/, ""), reason });
  const names = validateEntry(entry, "", ["OAuthTokenIssuer"], entryFail);
  if (names && raw.subjectAlternativeNames !== undefined) inputs.subjectAlternativeNames = names;
  if (Array.isArray(servers)) validateCaLogin(servers[0], [entry], entryFail);
  for (const failure of entryFailures) {
    // The entry's own wording offers offline requests, which the global certificate does not take.
    if (failure.property === "" && /nowhere/.test(failure.reason)) {
      fail(
        "ca",
        `the certificate comes from nowhere; set ca (an online request, e.g. "dc\\\\myca"), pfx, or certificatePem + privateKeyPem`,
      );
    } else failures.push(failure);
  }
  for (const field of ["offline", "issuedCertificatePem"] as const) {
    if (raw[field] !== undefined) {
      fail(
        field,
        `${field} is not supported for the OAuthTokenIssuer certificate; request it from the internal CA (ca), or supply it (pfx, or certificatePem + privateKeyPem)`,
      );
    }
  }
  keySizeProblems(raw, fail);

  validateSettings(raw, inputs, fail);
  const delay = raw.replicationDelay;
  let delayMs = parseDuration(DEFAULT_REPLICATION_DELAY)!;
  if (delay !== undefined && !isUnknown(delay)) {
    const parsed = typeof delay === "string" ? parseDuration(delay) : undefined;
    if (parsed === undefined) {
      fail(
        "replicationDelay",
        `replicationDelay must be a duration such as "15m" or "1h", got ${JSON.stringify(delay)}`,
      );
    } else delayMs = parsed;
  }
  if (!isUnknown(raw.roll)) failures.push(...rollProblems(raw.roll, "roll", ["OAuthTokenIssuer"], delayMs));
  return { inputs: inputs as unknown as OAuthInputs, failures };
}

/** 2048 bits or more, for a requested key and for a supplied certificate alike; a supplied one must bring its key. */
function keySizeProblems(raw: Record<string, unknown>, fail: (property: string, reason: string) => void): void {
  if (typeof raw.keySize === "number" && raw.keySize < MINIMUM_KEY_BITS) {
    fail(
      "keySize",
      `keySize ${raw.keySize} is too small: the OAuthTokenIssuer certificate needs at least ${MINIMUM_KEY_BITS} bits; use 2048 or 4096`,
    );
  }
  if (raw.allowWeakKeySize !== undefined) {
    fail(
      "allowWeakKeySize",
      `allowWeakKeySize does not apply: the OAuthTokenIssuer certificate needs at least ${MINIMUM_KEY_BITS} bits; remove it`,
    );
  }
  const field = raw.pfx !== undefined ? "pfx" : "certificatePem";
  let supplied: SuppliedCertificate | undefined;
  try {
    supplied = suppliedCertificate(raw as unknown as OAuthInputs);
  } catch (error) {
    fail(field, `${(error as Error).message}; the global certificate is replicated with its key, so it must carry one`);
    return;
  }
  const bits = supplied?.facts.keySize;
  if (supplied && bits !== undefined && bits < MINIMUM_KEY_BITS) {
    fail(
      field,
      `the certificate ${supplied.facts.thumbprint} has a ${bits}-bit key; the OAuthTokenIssuer certificate needs at least ${MINIMUM_KEY_BITS} bits; issue one with a 2048-bit key or more`,
    );
  }
}

/** The certificate the user supplied, read locally; undefined for an online request or while values are unknown. */
export function suppliedCertificate(inputs: OAuthInputs): SuppliedCertificate | undefined {
  const fields = [inputs.pfx, inputs.pfxPassword, inputs.certificatePem, inputs.privateKeyPem];
  if (fields.some(isUnknown)) return undefined;
  if (inputs.pfx !== undefined) {
    return readSuppliedCertificate({ kind: "pfx", pfx: inputs.pfx, pfxPassword: inputs.pfxPassword }, "pfx");
  }
  if (inputs.certificatePem !== undefined && inputs.privateKeyPem !== undefined) {
    const source = { kind: "pem" as const, certificatePem: inputs.certificatePem, privateKeyPem: inputs.privateKeyPem };
    return readSuppliedCertificate(source, "certificatePem");
  }
  return undefined;
}

export interface PreparedOAuth {
  readonly inputs: OAuthInputs;
  /** One certificate (index 0) serving OAuthTokenIssuer, with the shared rules' defaults. */
  readonly desired: DesiredState;
  readonly supplied?: SuppliedCertificate;
  readonly replicationDelayMs: number;
}

/** Validates again (create and update may see inputs check never saw) and builds the desired state. */
export function prepareOAuthInputs(raw: unknown): PreparedOAuth {
  const { inputs, failures } = validateOAuthInputs(raw);
  if (failures.length > 0) {
    throw new Error(
      `invalid OAuthTokenIssuer inputs:\n${failures.map((f) => `  ${f.property}: ${f.reason}`).join("\n")}`,
    );
  }
  const { servers, replicationDelay, roll, ...certificate } = inputs;
  const asAssignment: ProviderInputs = {
    ...certificate,
    connection: servers[0],
    certificates: [
      {
        ...certificate,
        usages: ["OAuthTokenIssuer"],
        subjectAlternativeNames: certificate.subjectAlternativeNames ?? [],
        roll,
      },
    ],
  };
  return {
    inputs,
    desired: desiredCertificates(asAssignment),
    supplied: suppliedCertificate(inputs),
    replicationDelayMs: parseDuration(replicationDelay ?? DEFAULT_REPLICATION_DELAY)!,
  };
}
