// An enterprise CA as Request-CsCertificate reaches it (certreq over DCOM on a real network).
//
// Each topology CA gets its own RSA root, kept in the emulator's shared state so issued
// certificates still chain after a restart. Behaviour (issue, deny, pending, unreachable, slow,
// short validity) is chosen per requesting server, so one test can break the CA for fe01 only.

import { randomBytes } from "node:crypto";
import forge from "node-forge";
import { PowerShellError } from "./powershell/command";
import type { CaBehavior, CaClient, CaOutcome, CertificationAuthorityDefinition, Topology } from "./lyncHost";
import { findCertificationAuthority } from "./topology";
import { generateRsaKeyPair, parseWindowsName, publicKeyOfPrivateKey, readCsr, signCertificate } from "./x509";

// certreq/ICertRequest texts, as Request-CsCertificate passes them on.
export const CA_DENIED_MESSAGE = "Denied by Policy Module 0x80094800";
export const CA_ENROLL_DENIED_MESSAGE =
  "The permissions on the certificate template do not allow the current user to enroll for this type of certificate. 0x80094012";
export const CA_UNSUPPORTED_TEMPLATE_MESSAGE = "The request was for a certificate template that is not supported";
export const CA_UNREACHABLE_MESSAGE = "Unable to contact certification authority";
const CA_REQUEST_NOT_FOUND_MESSAGE = "Cannot find object or property. 0x80092004";
// [guess] A caller without network credentials reaches the CA's DCOM interface as ANONYMOUS LOGON, which is
// not in Everyone nor CERTSVC_DCOM_ACCESS (KB 903220), so the call is refused with E_ACCESSDENIED, the
// "Access denied" that Win32-OpenSSH key logins meet on any network resource (Win32-OpenSSH #518, #543).
// The exact text Request-CsCertificate shows is unverified; some setups report 0x800706ba instead.
const CA_ACCESS_DENIED_MESSAGE = "Access is denied. 0x80070005 (WIN32: 5 ERROR_ACCESS_DENIED)";

const DEFAULT_VALIDITY_DAYS = 730;
/**
 * AD CS backdates NotBefore by CA\ClockSkewMinutes (10 by default) so a certificate is valid at once on
 * machines whose clocks lag the CA's; the validity period still counts from the time of issue.
 */
const CLOCK_SKEW_MINUTES = 10;

/** One request as the CA database keeps it. */
export interface CaRequestRecord {
  readonly requestId: number;
  readonly csrPem: string;
  readonly template: string;
  readonly server: string;
  readonly account: string;
  readonly clientEku: boolean;
  status: "Pending" | "Issued" | "Denied";
  certificatePem?: string;
  message?: string;
}

/** A CA's persisted state: its root (key included: it is the CA's own disk) and request database. */
export interface CaState {
  readonly name: string;
  readonly rootCertificatePem: string;
  readonly rootPrivateKeyPem: string;
  nextRequestId: number;
  /** Every Submit, whatever its outcome (tests assert "no second CA request"). */
  requestCount: number;
  /** Every Retrieve of an earlier request. */
  retrieveCount: number;
  readonly requests: Record<string, CaRequestRecord>;
}

/** What a server's request carries besides the CSR. */
export interface IssueOptions {
  readonly now: Date;
  readonly validityDays?: number;
  readonly clientEku?: boolean;
}

export class CertificationAuthority {
  private readonly rootCert: forge.pki.Certificate;

  constructor(
    readonly definition: CertificationAuthorityDefinition,
    readonly state: CaState,
  ) {
    this.rootCert = forge.pki.certificateFromPem(state.rootCertificatePem);
  }

  /** A new CA with a fresh root: "CN=<commonName>, DC=<primary SIP domain labels>", valid 20 years. */
  static create(definition: CertificationAuthorityDefinition, topology: Topology, now: Date): CertificationAuthority {
    const keys = generateRsaKeyPair(2048);
    const name = parseWindowsName(
      [`CN=${definition.commonName}`, ...topology.sipDomains[0].split(".").map((label) => `DC=${label}`)].join(", "),
    );
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKeyOfPrivateKey(keys.privateKeyPem);
    cert.serialNumber = randomSerial();
    cert.validity.notBefore = new Date(now.getTime() - 365 * 86_400_000);
    cert.validity.notAfter = new Date(now.getTime() + 20 * 365 * 86_400_000);
    cert.setSubject(name);
    cert.setIssuer(name);
    cert.setExtensions([
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: "subjectKeyIdentifier" },
    ]);
    signCertificate(cert, keys.privateKeyPem);
    return new CertificationAuthority(definition, {
      name: definition.name,
      rootCertificatePem: forge.pki.certificateToPem(cert),
      rootPrivateKeyPem: keys.privateKeyPem,
      nextRequestId: 2,
      requestCount: 0,
      retrieveCount: 0,
      requests: {},
    });
  }

  get rootCertificatePem(): string {
    return this.state.rootCertificatePem;
  }

  /**
   * Signs an X.509 v3 certificate for a CSR: its subject and SANs, Server Authentication EKU (and
   * Client Authentication when asked), SHA-256, a random positive 16-byte serial, AKI/SKI; valid from
   * CLOCK_SKEW_MINUTES before `now` until the validity period after `now`.
   */
  issue(csrPem: string, options: IssueOptions): string {
    const csr = readCsr(csrPem);
    const cert = forge.pki.createCertificate();
    cert.publicKey = csr.publicKey;
    cert.serialNumber = randomSerial();
    // Whole seconds: X.509 UTCTime has no fractions, and the dates should equal what tests compute.
    const start = Math.floor(options.now.getTime() / 1000) * 1000;
    cert.validity.notBefore = new Date(start - CLOCK_SKEW_MINUTES * 60_000);
    cert.validity.notAfter = new Date(start + (options.validityDays ?? DEFAULT_VALIDITY_DAYS) * 86_400_000);
    cert.setSubject(csr.subjectAttributes);
    cert.setIssuer(this.rootCert.subject.attributes);
    const extensions: object[] = [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true, clientAuth: options.clientEku === true },
      { name: "subjectKeyIdentifier" },
      { name: "authorityKeyIdentifier", keyIdentifier: this.rootCert.generateSubjectKeyIdentifier().getBytes() },
    ];
    if (csr.dnsNames.length > 0) {
      extensions.push({ name: "subjectAltName", altNames: csr.dnsNames.map((value) => ({ type: 2, value })) });
    }
    cert.setExtensions(extensions);
    signCertificate(cert, this.state.rootPrivateKeyPem);
    return forge.pki.certificateToPem(cert);
  }

  /** Records a request in the CA database and gives it the next request ID. */
  record(request: Omit<CaRequestRecord, "requestId" | "status">, status: CaRequestRecord["status"]): CaRequestRecord {
    const record: CaRequestRecord = { ...request, requestId: this.state.nextRequestId++, status };
    this.state.requests[String(record.requestId)] = record;
    return record;
  }
}

/** A CA request seen from one server: its behaviour and clock. */
export interface CaClientOptions {
  readonly topology: Topology;
  readonly server: string;
  readonly authorities: ReadonlyMap<string, CertificationAuthority>;
  readonly behavior: () => CaBehavior;
  readonly now: () => Date;
}

type SubmitRequest = Parameters<CaClient["submit"]>[0];

/** The CaClient a server's cmdlets use. */
export function createCaClient(options: CaClientOptions): CaClient {
  return new ServerCaClient(options);
}

class ServerCaClient implements CaClient {
  constructor(private readonly options: CaClientOptions) {}

  async submit(request: SubmitRequest): Promise<CaOutcome> {
    const authority = this.authorityFor(request.ca);
    authority.state.requestCount++;
    const behavior = this.options.behavior();
    if (behavior.kind === "unreachable") throw unreachable(request.ca);
    // Refused at the DCOM layer: the request never reaches the CA database.
    if (request.networkCredentials === false) throw anonymousCaller(this.options.server, request.ca, "submit");
    if (behavior.kind === "slow") await delay(behavior.delayMs);

    const template = request.template ?? "WebServer";
    const base = {
      csrPem: request.csrPem,
      template,
      server: this.options.server,
      account: request.account,
      clientEku: request.clientEku === true,
    };
    checkEnrollment(authority, base);
    if (behavior.kind === "deny") {
      const record = authority.record({ ...base, message: CA_DENIED_MESSAGE }, "Denied");
      return { status: "Denied", message: CA_DENIED_MESSAGE, requestId: record.requestId };
    }
    if (behavior.kind === "pending") {
      const record = authority.record(base, "Pending");
      return { status: "Pending", requestId: record.requestId };
    }
    const certificatePem = authority.issue(request.csrPem, {
      now: this.options.now(),
      validityDays: behavior.validityDays,
      clientEku: request.clientEku,
    });
    const record = authority.record({ ...base, certificatePem }, "Issued");
    return { status: "Issued", certificatePem, requestId: record.requestId };
  }

  async retrieve(
    ca: string,
    requestId: number,
    caller?: { readonly networkCredentials?: boolean },
  ): Promise<CaOutcome> {
    const authority = this.authorityFor(ca);
    const behavior = this.options.behavior();
    if (behavior.kind === "unreachable") throw unreachable(ca);
    if (caller?.networkCredentials === false) throw anonymousCaller(this.options.server, ca, "retrieve");
    authority.state.retrieveCount++;
    const record = authority.state.requests[String(requestId)];
    if (!record) {
      throw new PowerShellError(
        `${CA_REQUEST_NOT_FOUND_MESSAGE}: request ${requestId} is not in the database of ${authority.definition.name}. Check -RequestId (Request-CsCertificate -List shows the pending requests).`,
        "CertificateRetrieveFailed,Microsoft.Rtc.Management.Deployment.Core.Certificates.RequestCertificateCmdlet",
        "ObjectNotFound",
      );
    }
    if (record.status === "Pending") {
      if (behavior.kind === "slow") await delay(behavior.delayMs);
      if (behavior.kind === "deny") {
        record.status = "Denied";
        record.message = CA_DENIED_MESSAGE;
      } else if (behavior.kind === "issue" || behavior.kind === "slow") {
        record.certificatePem = authority.issue(record.csrPem, {
          now: this.options.now(),
          validityDays: behavior.validityDays,
          clientEku: record.clientEku,
        });
        record.status = "Issued";
      }
    }
    if (record.status === "Issued" && record.certificatePem) {
      return { status: "Issued", certificatePem: record.certificatePem, requestId };
    }
    if (record.status === "Denied")
      return { status: "Denied", message: record.message ?? CA_DENIED_MESSAGE, requestId };
    return { status: "Pending", requestId };
  }

  trustedRootsPem(): readonly string[] {
    return [...this.options.authorities.values()].map((a) => a.rootCertificatePem);
  }

  private authorityFor(name: string): CertificationAuthority {
    const definition = findCertificationAuthority(this.options.topology, name);
    const authority = definition && this.options.authorities.get(definition.name.toLowerCase());
    if (!authority) {
      // certreq cannot find a CA config string that names no enterprise CA: the same failure as an offline CA.
      throw unreachable(name);
    }
    return authority;
  }
}

/**
 * The template must be one the CA offers, and the account must have Enroll on it; a refused account is
 * recorded as a denied request, as the CA database does.
 */
function checkEnrollment(
  authority: CertificationAuthority,
  request: Omit<CaRequestRecord, "requestId" | "status" | "message">,
): void {
  const { definition } = authority;
  if (!definition.templates.some((t) => t.toLowerCase() === request.template.toLowerCase())) {
    throw new PowerShellError(
      `${CA_UNSUPPORTED_TEMPLATE_MESSAGE}: ${request.template}. The CA ${definition.name} offers ${definition.templates.join(", ")}.`,
      "CertificateRequestFailed,Microsoft.Rtc.Management.Deployment.Core.Certificates.RequestCertificateCmdlet",
      "InvalidOperation",
    );
  }
  if (!mayEnroll(definition.enrollers, request.account)) {
    const record = authority.record({ ...request, message: CA_ENROLL_DENIED_MESSAGE }, "Denied");
    throw new PowerShellError(
      `Command execution failed: ${CA_ENROLL_DENIED_MESSAGE} (request ${record.requestId} from ${request.account}). ` +
        `Grant the account Enroll on the ${request.template} template, or make an offline request with -Output.`,
      "CertificateRequestFailed,Microsoft.Rtc.Management.Deployment.Core.Certificates.RequestCertificateCmdlet",
      "PermissionDenied",
    );
  }
}

/** Enroll rights: "CONTOSO\lyncadmin" and "lyncadmin" name the same account; two domains must agree. */
export function mayEnroll(enrollers: readonly string[], account: string): boolean {
  const [accountDomain, accountUser] = splitAccount(account);
  return enrollers.some((enroller) => {
    const [domain, user] = splitAccount(enroller);
    if (user !== accountUser) return false;
    return domain === undefined || accountDomain === undefined || domain === accountDomain;
  });
}

function splitAccount(account: string): [string | undefined, string] {
  const at = account.indexOf("\\");
  return at < 0
    ? [undefined, account.toLowerCase()]
    : [account.slice(0, at).toLowerCase(), account.slice(at + 1).toLowerCase()];
}

function unreachable(ca: string): PowerShellError {
  return new PowerShellError(
    `${CA_UNREACHABLE_MESSAGE} "${ca}". The RPC server is unavailable. 0x800706ba. Check that the CA is online and the -Ca value is "<CA host>\\<CA name>".`,
    "CertificateRequestFailed,Microsoft.Rtc.Management.Deployment.Core.Certificates.RequestCertificateCmdlet",
    "ConnectionError",
  );
}

function anonymousCaller(server: string, ca: string, action: "submit" | "retrieve"): PowerShellError {
  const fix =
    action === "submit"
      ? "log on with a password, or give -CaAccount and -CaPassword"
      : "log on with a password to retrieve it (-Retrieve takes no -CaAccount)";
  return new PowerShellError(
    `Command execution failed: ${CA_ACCESS_DENIED_MESSAGE} (${action === "submit" ? "submitting a request" : "retrieving a request"} ` +
      `from ${server} to ${ca} in a logon session without network credentials). A key-based SSH logon cannot ` +
      `authenticate to the CA: ${fix}.`,
    `${action === "submit" ? "CertificateRequestFailed" : "CertificateRetrieveFailed"},Microsoft.Rtc.Management.Deployment.Core.Certificates.RequestCertificateCmdlet`,
    "PermissionDenied",
  );
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  // Positive and exactly 16 bytes: no sign bit, no leading zero byte.
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString("hex");
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
