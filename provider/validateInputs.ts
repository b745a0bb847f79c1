// check(): every rule a CertificateAssignment's inputs must meet, all reported at once and before
// any connection is made. Values not known yet (preview) are skipped, not refused.

import { canonicalUsage, EDGE_USAGES, WILDCARD_USAGES, type CertificateUsage } from "./certificateUsages";
import { canonicalDnsName, fqdnProblem } from "./fqdnProblem";
import { hasControlCharacters, isPlainObject, show } from "./inputChecks";
import { isUnknown, type ProviderInputs } from "./providerInputs";
import { rollProblems } from "./rollPlan";
import { validateCertificateSource } from "./validateCertificateSource";
import { validateCaLogin, validateConnection } from "./validateConnection";

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

export interface ValidationResult {
  /** The inputs with usages and managementModule in their canonical spelling. */
  readonly inputs: ProviderInputs;
  readonly failures: CheckFailure[];
}

const KEY_SIZES = [1024, 2048, 4096];
const CONTROL_CHARACTERS = { test: hasControlCharacters };

/** Validates and normalises the inputs; `failures` lists every problem found. */
export function validateInputs(news: unknown): ValidationResult {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  const raw = (isPlainObject(news) ? news : {}) as Record<string, unknown>;
  const inputs: Record<string, unknown> = { ...raw };

  inputs.connection = validateConnection(raw.connection, "connection", fail, true);

  // ---- certificates ----
  const certificates = raw.certificates;
  const usageOwner = new Map<CertificateUsage, number>();
  const usagesByEntry: (CertificateUsage[] | undefined)[] = [];
  if (isUnknown(certificates)) {
    // Preview: the list is not known yet.
  } else if (!Array.isArray(certificates) || certificates.length === 0) {
    fail(
      "certificates",
      `certificates must list at least one certificate entry, got ${show(certificates)}; add e.g. { usages: ["Default"], subjectAlternativeNames: ["fe01.contoso.com"], ca: "dc\\\\myca" }`,
    );
  } else {
    inputs.certificates = certificates.map((entry, index) => {
      const path = `certificates[${index}]`;
      if (isUnknown(entry)) return entry;
      if (!isPlainObject(entry)) {
        fail(path, `each certificate entry must be an object, got ${show(entry)}`);
        return entry;
      }
      const normalised: Record<string, unknown> = { ...entry };
      const usages = validateUsages(entry.usages, `${path}.usages`, index, usageOwner, fail);
      if (usages) normalised.usages = usages;
      usagesByEntry[index] = usages;
      const names = validateEntry(entry, path, usages, fail);
      if (names) normalised.subjectAlternativeNames = names;
      if (!isUnknown(entry.roll)) failures.push(...rollProblems(entry.roll, `${path}.roll`, usages));
      return normalised;
    });
  }

  validateCaLogin(raw.connection, certificates, fail);

  // ---- sipDomains ----
  const sipDomains = raw.sipDomains;
  if (sipDomains !== undefined && !isUnknown(sipDomains)) {
    if (!Array.isArray(sipDomains)) {
      fail("sipDomains", `sipDomains must be a list of { name, mobility? }, got ${show(sipDomains)}`);
    } else {
      const seen = new Set<string>();
      sipDomains.forEach((domain, index) => {
        const path = `sipDomains[${index}]`;
        if (isUnknown(domain)) return;
        if (!isPlainObject(domain)) {
          fail(path, `each SIP domain must be an object { name, mobility? }, got ${show(domain)}`);
          return;
        }
        const name = domain.name;
        if (!isUnknown(name)) {
          if (typeof name !== "string") {
            fail(`${path}.name`, `a SIP domain name must be a string such as "contoso.com", got ${show(name)}`);
          } else {
            const problem = fqdnProblem(name);
            if (problem) fail(`${path}.name`, `SIP domain ${show(name)} ${problem}`);
            else if (seen.has(canonicalDnsName(name))) {
              fail(`${path}.name`, `SIP domain ${show(name)} is listed twice; list each SIP domain once`);
            }
            seen.add(canonicalDnsName(name));
          }
        }
        const mobility = domain.mobility;
        if (mobility !== undefined && !isUnknown(mobility) && typeof mobility !== "boolean") {
          fail(`${path}.mobility`, `mobility must be true or false, got ${show(mobility)}`);
        }
        if (mobility === true && Array.isArray(certificates)) {
          const known = usagesByEntry.every((u, i) => u !== undefined || isUnknown(certificates[i]));
          const webServices = usagesByEntry.some(
            (u) => u?.includes("WebServicesInternal") || u?.includes("WebServicesExternal"),
          );
          if (known && !webServices && !certificates.some((c) => isUnknown(c) || isUnknown(c?.usages))) {
            fail(
              `${path}.mobility`,
              `mobility for ${show(name)} adds lyncdiscoverinternal/lyncdiscover names to the certificates for WebServicesInternal and WebServicesExternal, but no entry holds either usage; add one of them to an entry's usages or drop mobility`,
            );
          }
        }
      });
    }
  }

  validateSettings(raw, inputs, fail);
  const policy = raw.deletionPolicy;
  if (policy !== undefined && !isUnknown(policy) && policy !== "retain" && policy !== "unassign") {
    fail(
      "deletionPolicy",
      `deletionPolicy must be "retain" (destroy leaves the certificates assigned) or "unassign" (Remove-CsCertificate), got ${show(policy)}`,
    );
  }
  return { inputs: inputs as unknown as ProviderInputs, failures };
}

/**
 * The settings a CertificateAssignment and an OAuthTokenIssuer share: the renewal window and the
 * management module (canonical spelling written into `inputs`).
 */
export function validateSettings(
  raw: Record<string, unknown>,
  inputs: Record<string, unknown>,
  fail: (property: string, reason: string) => void,
): void {
  // ---- renewal ----
  const days = raw.renewBeforeDays;
  const percentage = raw.renewBeforePercentage;
  if (days !== undefined && !isUnknown(days) && !(typeof days === "number" && Number.isFinite(days) && days > 0)) {
    fail("renewBeforeDays", `renewBeforeDays must be a number of days greater than 0, got ${show(days)}`);
  }
  if (
    percentage !== undefined &&
    !isUnknown(percentage) &&
    !(typeof percentage === "number" && percentage > 0 && percentage < 100)
  ) {
    fail(
      "renewBeforePercentage",
      `renewBeforePercentage must be between 0 and 100 (exclusive): the share of the lifetime left when renewing, got ${show(percentage)}`,
    );
  }
  if (days !== undefined && percentage !== undefined) {
    fail(
      "renewBeforePercentage",
      `renewBeforeDays (${show(days)}) and renewBeforePercentage (${show(percentage)}) are both set; set only one of them`,
    );
  }

  // ---- managementModule ----
  const module = raw.managementModule;
  if (module !== undefined && !isUnknown(module)) {
    const canonical = ["Lync", "SkypeForBusiness"].find(
      (m) => typeof module === "string" && m.toLowerCase() === module.toLowerCase(),
    );
    if (canonical) inputs.managementModule = canonical;
    else {
      fail(
        "managementModule",
        `managementModule must be "Lync" (Lync Server 2013) or "SkypeForBusiness" (Skype for Business Server 2015/2019), got ${show(module)}`,
      );
    }
  }
}

function validateUsages(
  usages: unknown,
  path: string,
  index: number,
  usageOwner: Map<CertificateUsage, number>,
  fail: (property: string, reason: string) => void,
): CertificateUsage[] | undefined {
  if (isUnknown(usages)) return undefined;
  if (!Array.isArray(usages) || usages.length === 0) {
    fail(path, `usages must list at least one Lync certificate usage such as "Default", got ${show(usages)}`);
    return undefined;
  }
  const result: CertificateUsage[] = [];
  for (const usage of usages) {
    if (isUnknown(usage)) continue;
    const canonical = typeof usage === "string" ? canonicalUsage(usage) : undefined;
    if (!canonical) {
      fail(
        path,
        `${show(usage)} is not a Lync certificate usage (CertType); use one of Default, WebServicesInternal, WebServicesExternal, Internal, External, AccessEdgeExternal, DataEdgeExternal, AudioVideoAuthentication, XmppServer, …`,
      );
      continue;
    }
    if (canonical === "OAuthTokenIssuer") {
      fail(
        path,
        `OAuthTokenIssuer is a global certificate shared by every Front End (Set-CsCertificate -Identity global), not a per-server one; manage it outside CertificateAssignment`,
      );
      continue;
    }
    const owner = usageOwner.get(canonical);
    if (owner !== undefined) {
      fail(
        path,
        owner === index
          ? `${canonical} is listed twice in this entry; list it once`
          : `${canonical} is already held by certificates[${owner}]; a usage can have only one certificate, so list it in one entry (one entry with several usages is a combined certificate)`,
      );
      continue;
    }
    usageOwner.set(canonical, index);
    result.push(canonical);
  }
  return result;
}

export function validateEntry(
  entry: Record<string, unknown>,
  path: string,
  usages: CertificateUsage[] | undefined,
  fail: (property: string, reason: string) => void,
): unknown[] | undefined {
  let uniqueNames: unknown[] | undefined;
  const edge = usages?.some((u) => EDGE_USAGES.includes(u)) ?? false;
  // Microsoft's XMPP certificate carries *.<SIP domain>; other Edge names must be explicit.
  const wildcardAllowed =
    usages !== undefined && (usages.every((u) => WILDCARD_USAGES.includes(u)) || usages.includes("XmppServer"));

  const sans = entry.subjectAlternativeNames;
  if (!isUnknown(sans)) {
    if (!Array.isArray(sans)) {
      fail(
        `${path}.subjectAlternativeNames`,
        `subjectAlternativeNames must be a list of DNS names (it may be empty), got ${show(sans)}`,
      );
    } else {
      // A name listed twice (the pool FQDN that is also the internal web FQDN, say) is one name:
      // programs build these lists from topology values that often coincide.
      const seen = new Set<string>();
      uniqueNames = sans.filter((name) => {
        if (typeof name !== "string" || isUnknown(name)) return true;
        const canonical = canonicalDnsName(name);
        if (seen.has(canonical)) return false;
        seen.add(canonical);
        return true;
      });
      sans.forEach((name, i) => {
        const sanPath = `${path}.subjectAlternativeNames[${i}]`;
        if (isUnknown(name)) return;
        if (typeof name !== "string") {
          fail(sanPath, `a subject alternative name must be a DNS name string, got ${show(name)}`);
          return;
        }
        if (name.startsWith("*.") && !wildcardAllowed) {
          fail(
            sanPath,
            edge
              ? `${show(name)} is a wildcard; Edge Server certificates need every name listed explicitly, so list the FQDNs instead`
              : `${show(name)} is a wildcard; Lync accepts wildcards only on Default and web services certificates (simple URLs and the lyncdiscover alternative), so list the FQDNs instead`,
          );
          return;
        }
        const problem = fqdnProblem(name, { allowWildcard: true });
        if (problem) fail(sanPath, `subject alternative name ${show(name)} ${problem}`);
      });
    }
  }

  const subject = entry.subject;
  if (subject !== undefined && !isUnknown(subject)) {
    if (typeof subject !== "string")
      fail(`${path}.subject`, `subject must be a host name string, got ${show(subject)}`);
    else {
      const name = subject.replace(/^CN=/i, "");
      const problem = fqdnProblem(name);
      if (problem) {
        fail(
          `${path}.subject`,
          name.startsWith("*")
            ? `subject ${show(subject)} is a wildcard; Lync needs the pool or server FQDN as the subject, put wildcards in subjectAlternativeNames`
            : `subject ${show(subject)} ${problem}`,
        );
      }
    }
  }

  validateRequestOptions(entry, path, fail);
  validateCertificateSource(entry, path, fail);
  return uniqueNames;
}

/** The request's own settings: friendlyName, template, keySize (and the weak-key opt-in). */
function validateRequestOptions(
  entry: Record<string, unknown>,
  path: string,
  fail: (property: string, reason: string) => void,
): void {
  const friendlyName = entry.friendlyName;
  if (friendlyName !== undefined && !isUnknown(friendlyName)) {
    if (
      typeof friendlyName !== "string" ||
      friendlyName.length === 0 ||
      friendlyName.length > 200 ||
      CONTROL_CHARACTERS.test(friendlyName)
    ) {
      fail(
        `${path}.friendlyName`,
        `friendlyName must be 1 to 200 printable characters without line breaks, got ${show(friendlyName)}`,
      );
    }
  }

  const template = entry.template;
  if (template !== undefined && !isUnknown(template)) {
    if (typeof template !== "string" || !/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(template)) {
      fail(
        `${path}.template`,
        `template must be a certificate template name such as "WebServer" (letters, digits, space, dot, hyphen, underscore), got ${show(template)}`,
      );
    }
  }

  const keySize = entry.keySize;
  if (keySize !== undefined && !isUnknown(keySize)) {
    if (!KEY_SIZES.includes(keySize as number)) {
      fail(
        `${path}.keySize`,
        `keySize must be 1024, 2048 or 4096 (what Request-CsCertificate accepts), got ${show(keySize)}`,
      );
    } else if (keySize === 1024 && entry.allowWeakKeySize !== true) {
      fail(
        `${path}.keySize`,
        `keySize 1024 is weak and refused by default; use 2048 or 4096, or set allowWeakKeySize: true if a legacy client needs it`,
      );
    }
  }
  if (
    entry.allowWeakKeySize !== undefined &&
    !isUnknown(entry.allowWeakKeySize) &&
    typeof entry.allowWeakKeySize !== "boolean"
  ) {
    fail(`${path}.allowWeakKeySize`, `allowWeakKeySize must be true or false, got ${show(entry.allowWeakKeySize)}`);
  }
}
