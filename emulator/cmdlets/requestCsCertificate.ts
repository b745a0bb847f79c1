import { userNameOf } from "../accountNames";
import { computeCertificateNames } from "../certificateNames";
import type { CertType, LyncHost } from "../lyncHost";
import { dotnetObject, PowerShellError, type CommandContext, type CommandDefinition } from "../powershell/command";
import { formatDateTimeEnUs, PSDateTime, type PSObject } from "../powershell/values";
import { createCsr, describeCertificate, generateRsaKeyPairAsync, thumbprintOf } from "../x509";
import {
  CERTIFICATE_REFERENCE_TYPE,
  certTypeEnum,
  pendingRequestRecord,
  type NewRequest,
  type PendingRequestRecord,
} from "./certificateStore";
import { cmdletError, lyncHostOf, writeReport } from "./cmdletSupport";
import { checkOnlineRequestFromEdge, checkUsagesForRole } from "./lyncRules";
import { certTypeParameter, certTypesOf } from "./parameters";

const NAME = "Request-CsCertificate";
const KEY_ALGORITHMS = ["RSA", "ECDH_P256", "ECDH_P384", "ECDH_P521"] as const;
const KEY_SIZES = [1024, 2048, 4096];
// ERROR_LOGON_FAILURE (1326) as certutil/certreq format a Win32 error. [check] the exact text Lync shows.
const LOGON_FAILURE_MESSAGE = "The user name or password is incorrect. 0x8007052e (WIN32: 1326 ERROR_LOGON_FAILURE)";
// [guess] The .NET type of -List's objects; only RequestId and CertificateUses are relied on.
const PENDING_REQUEST_TYPE = "Microsoft.Rtc.Management.Deployment.Core.Certificates.CertificateRequestInfo";

const common = [
  { name: "Force", type: "switch" },
  { name: "Report", type: "string" },
] as const;

/**
 * Request-CsCertificate -New | -List | -Retrieve | -Clear.
 *
 * -New computes subject and SANs from the topology for the requested usages, makes a key and a PKCS #10
 * request, then either writes it to -Output (offline: the request waits in Cert:\LocalMachine\REQUEST for
 * Import-CsCertificate) or submits it to -Ca and stores the issued certificate with its key in
 * Cert:\LocalMachine\My.
 *
 * What it writes, limited to what the help documents and scripts rely on:
 * - issued: one CertificateReference of the new certificate. The help says "None", but scripts [seen] do
 *   `$c = Request-CsCertificate ...; Set-CsCertificate -Thumbprint $c.Thumbprint` or pipe it to
 *   Set-CsCertificate -Reference;
 * - pending at the CA: nothing on the output stream, a warning naming the request ID ([guess] text);
 * - offline (-Output): nothing; the CSR file and the REQUEST store entry are the result.
 * -List writes one object per request the CA left pending: RequestId and CertificateUses ([guess] names).
 */
export const requestCsCertificate: CommandDefinition = {
  name: NAME,
  parameterSets: [
    {
      name: "ByNew",
      isDefault: true,
      parameters: [
        { name: "New", type: "switch", mandatory: true },
        certTypeParameter({ mandatory: true }),
        { name: "CA", type: "string" },
        { name: "CaAccount", type: "string" },
        { name: "CaPassword", type: "string" },
        { name: "City", type: "string" },
        { name: "ClientEKU", type: "bool" },
        { name: "ComputerFqdn", type: "string" },
        { name: "Country", type: "string" },
        { name: "DomainName", type: "string" },
        { name: "FriendlyName", type: "string" },
        { name: "GlobalCatalog", type: "string" },
        { name: "GlobalSettingsDomainController", type: "string" },
        {
          name: "KeyAlg",
          type: "string",
          enumValues: KEY_ALGORITHMS,
          enumTypeName: "Microsoft.Rtc.Management.Deployment.Core.Certificates.KeyAlgorithmIdentifier",
        },
        { name: "KeySize", type: "int" },
        { name: "Organization", type: "string" },
        { name: "OU", type: "string" },
        { name: "Output", type: "string" },
        { name: "PrivateKeyExportable", type: "bool" },
        { name: "State", type: "string" },
        { name: "Template", type: "string" },
        { name: "AllSipDomain", type: "switch" },
        ...common,
      ],
    },
    {
      name: "ByClear",
      parameters: [{ name: "Clear", type: "switch", mandatory: true }, { name: "RequestId", type: "int" }, ...common],
    },
    {
      name: "ByList",
      parameters: [{ name: "List", type: "switch", mandatory: true }, { name: "RequestId", type: "int" }, ...common],
    },
    {
      name: "ByRetrieve",
      parameters: [
        { name: "Retrieve", type: "switch", mandatory: true },
        { name: "RequestId", type: "int" },
        ...common,
      ],
    },
  ],
  async invoke(context) {
    const host = lyncHostOf(context);
    switch (context.parameterSetName) {
      case "ByList":
        return listRequests(context, host);
      case "ByClear":
        return clearRequests(context, host);
      case "ByRetrieve":
        return retrieveRequests(context, host);
      default:
        return newRequest(context, host);
    }
  },
};

/** Where -New sends its request: to a file for an offline CA (-Output), or to a CA, perhaps as another account. */
type Destination = { readonly output: string } | { readonly ca: string; readonly caAccount?: string };

async function newRequest(context: CommandContext, host: LyncHost): Promise<void> {
  const p = context.parameters;
  const types = certTypesOf(p.Type, NAME) ?? [];
  const keySize = rsaKeySize(p);
  const destination = destinationOf(p, host);
  const computer = computerFqdn(host, p.ComputerFqdn);
  const computerPool = host.topology.pools.find((pool) => pool.servers.includes(computer)) ?? host.pool;
  checkUsagesForRole(NAME, types, computerPool, computer);
  if ("ca" in destination) checkOnlineRequestFromEdge(NAME, host.pool, host.fqdn, destination.ca);

  const logBase = `C:\\Users\\${userNameOf(host.user)}\\AppData\\Local\\Temp\\${NAME}-${logStamp(host.now())}`;
  context.writeVerbose(`Creating new log file "${logBase}.xml".`);
  const names = requestNames(host, computer, types, p);
  context.writeVerbose(
    `Computing the subject name and subject alternative names for ${types.join(", ")} on ${computer}.`,
  );
  context.writeVerbose(`Subject name: ${names.subject}`);
  context.writeVerbose(`Subject alternative names: ${names.alternativeNames.join(", ")}`);
  if (context.common.whatIf) return;

  const friendlyName =
    typeof p.FriendlyName === "string" && p.FriendlyName !== ""
      ? p.FriendlyName
      : // [guess] Lync's default friendly name: the usages and the request time (friendly names must be unique).
        `Lync Server ${types.join(", ")} ${formatDateTimeEnUs(host.now())}`;
  // Off the event loop: every emulated server shares this process, and a fleet renewing at once
  // would otherwise queue behind each key (a real server makes its own key on its own CPU).
  const keys = await generateRsaKeyPairAsync(keySize);
  const dnsNames = names.alternativeNames;
  const csrPem = createCsr({ privateKeyPem: keys.privateKeyPem, subject: names.subject, dnsNames });
  const { privateKeyPem } = keys;
  const made: NewRequest = {
    privateKeyPem,
    csrPem,
    subject: names.subject,
    dnsNames,
    friendlyName,
    types,
    now: host.now(),
  };
  if ("output" in destination) writeOfflineRequest(context, host, made, destination.output, logBase);
  else await submitRequest(context, host, made, destination, logBase);
}

/** -KeyAlg and -KeySize: the emulator's CA issues RSA certificates only. */
function rsaKeySize(p: Readonly<Record<string, unknown>>): number {
  const keyAlg = String(p.KeyAlg ?? "RSA");
  if (keyAlg.toUpperCase() !== "RSA") {
    throw cmdletError(
      NAME,
      `Key algorithm ${keyAlg} is not supported by the Lync emulator (its CA issues RSA certificates only). Omit -KeyAlg or use -KeyAlg RSA.`,
      "KeyAlgorithmNotSupportedByEmulator",
      "NotImplemented",
    );
  }
  const keySize = p.KeySize === undefined ? 2048 : Number(p.KeySize);
  if (!KEY_SIZES.includes(keySize)) {
    throw cmdletError(
      NAME,
      `Cannot validate argument on parameter 'KeySize'. The argument "${String(p.KeySize)}" does not belong to the set ` +
        `"${KEY_SIZES.join(",")}" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
      "ParameterArgumentValidationError",
      "InvalidData",
      { prefix: false },
    );
  }
  return keySize;
}

/** -Output, or -Ca with -CaAccount and -CaPassword given together or not at all. */
function destinationOf(p: Readonly<Record<string, unknown>>, host: LyncHost): Destination {
  const output = typeof p.Output === "string" && p.Output.trim() !== "" ? p.Output : undefined;
  const ca = typeof p.CA === "string" && p.CA.trim() !== "" ? p.CA.trim() : undefined;
  if (output === undefined && ca === undefined) {
    throw cmdletError(
      NAME,
      `No certification authority was given for the request from ${host.fqdn}. ` +
        'Add -Ca "<CA host>\\<CA name>" for an online request, or -Output <file> for an offline request.',
      "CertificationAuthorityRequired",
      "InvalidArgument",
    );
  }
  if (ca !== undefined && !/^[^\\]+\\[^\\]+$/.test(ca)) {
    throw cmdletError(
      NAME,
      `The CA "${ca}" is not a CA configuration string. Use "<CA host>\\<CA name>", for example "dc\\myca".`,
      "InvalidCertificationAuthority",
      "InvalidArgument",
    );
  }
  if (output !== undefined) return { output };
  const caAccount = typeof p.CaAccount === "string" && p.CaAccount.trim() !== "" ? p.CaAccount.trim() : undefined;
  if (caAccount === undefined && p.CaPassword !== undefined) {
    // [guess] Lync's behaviour; refusing beats silently enrolling as the session's user.
    throw cmdletError(
      NAME,
      "-CaPassword was given without -CaAccount. Give both to request as another account, or neither to request as the logged-on user.",
      "CaAccountRequired",
      "InvalidArgument",
    );
  }
  if (caAccount !== undefined && (typeof p.CaPassword !== "string" || p.CaPassword === "")) {
    // [guess] Lync's behaviour; an empty password could only fail at the domain controller.
    throw cmdletError(
      NAME,
      `-CaAccount ${caAccount} was given without -CaPassword. Add -CaPassword with that account's password, or omit -CaAccount to request as the logged-on user.`,
      "CaPasswordRequired",
      "InvalidArgument",
    );
  }
  return caAccount === undefined ? { ca: ca! } : { ca: ca!, caAccount };
}

/** Subject and SANs as Lync computes them from the topology, with -DomainName's names and -OU and friends. */
function requestNames(
  host: LyncHost,
  computer: string,
  types: readonly CertType[],
  p: Readonly<Record<string, unknown>>,
): { subject: string; alternativeNames: readonly string[] } {
  const domainNames =
    typeof p.DomainName === "string"
      ? p.DomainName.split(",")
          .map((n) => n.trim())
          .filter((n) => n !== "")
      : [];
  try {
    const names = computeCertificateNames(host.topology, computer, types, {
      allSipDomain: p.AllSipDomain === true,
      domainNames,
    });
    return { subject: subjectWithOrganization(names.subject, p), alternativeNames: names.alternativeNames };
  } catch (error) {
    throw cmdletError(
      NAME,
      `Cannot compute the certificate names: ${(error as Error).message}`,
      "CentralMgmtStoreInaccessible",
      "ReadError",
      { cause: error },
    );
  }
}

/** -Output: the CSR goes to the file and the request waits in Cert:\LocalMachine\REQUEST for Import-CsCertificate. */
function writeOfflineRequest(
  context: CommandContext,
  host: LyncHost,
  made: NewRequest,
  output: string,
  logBase: string,
): void {
  host.fileSystem.write(output, new TextEncoder().encode(made.csrPem));
  host.putPendingRequest(pendingRequestRecord(made, { outputPath: output }));
  context.writeVerbose(
    `The certificate request was written to "${output}". Submit it to a certification authority, then run Import-CsCertificate -Path <issued certificate>.`,
  );
  context.writeVerbose(`Creating new log file "${logBase}.html".`);
  writeReport(host, context.parameters.Report, NAME, [
    `Offline request for ${made.types.join(", ")} written to ${output}`,
  ]);
}

/** -Ca: the CA issues (the certificate lands in My with its key), leaves the request pending, or denies it. */
async function submitRequest(
  context: CommandContext,
  host: LyncHost,
  made: NewRequest,
  { ca, caAccount }: { readonly ca: string; readonly caAccount?: string },
  logBase: string,
): Promise<void> {
  const p = context.parameters;
  const account = caAccount === undefined ? host.user : logOn(host, caAccount, String(p.CaPassword), ca);
  context.writeVerbose(`Submitting the certificate request to "${ca}" as ${account}.`);
  const outcome = await host.ca.submit({
    ca,
    csrPem: made.csrPem,
    account,
    // Explicit credentials make a fresh logon with network credentials; otherwise the session's own logon counts.
    networkCredentials: caAccount !== undefined || host.loginKind === "password",
    ...(typeof p.Template === "string" && p.Template !== "" ? { template: p.Template } : {}),
    ...(p.ClientEKU === true ? { clientEku: true } : {}),
  });
  const logWritten = () => context.writeVerbose(`Creating new log file "${logBase}.html".`);
  if (outcome.status === "Denied") {
    logWritten();
    throw cmdletError(
      NAME,
      `${outcome.message} (request ${outcome.requestId} for ${made.types.join(", ")} from ${host.fqdn} to ${ca}). ` +
        "Ask the CA administrator why the request was denied, or make an offline request with -Output.",
      "CertificateRequestDenied",
      "PermissionDenied",
    );
  }
  const exportable = p.PrivateKeyExportable === true;
  if (outcome.status === "Pending") {
    const record: PendingRequestRecord = {
      ...pendingRequestRecord(made, { requestId: outcome.requestId, ca }),
      privateKeyExportable: exportable,
    };
    host.putPendingRequest(record);
    context.writeWarning(pendingWarning(outcome.requestId, ca));
    logWritten();
    writeReport(host, p.Report, NAME, [`Request ${outcome.requestId} pending at ${ca}`]);
    return;
  }
  const issued = storeIssued(host, outcome.certificatePem, made.privateKeyPem, made.friendlyName, exportable);
  context.writeVerbose(
    `The certification authority issued request ${outcome.requestId}: thumbprint ${issued.thumbprint}.`,
  );
  if (!sameNames(issued.dnsNames, made.dnsNames)) {
    // Lync only says that they differ, never which names are missing.
    context.writeWarning(
      "The subject alternative names of the issued certificate differ from the names computed from the topology.",
    );
  }
  logWritten();
  writeReport(host, p.Report, NAME, [`Request ${outcome.requestId} issued by ${ca}: ${issued.thumbprint}`]);
  context.output(issuedReference(issued));
}

async function retrieveRequests(context: CommandContext, host: LyncHost): Promise<void> {
  const requests = selectRequests(host, context.parameters.RequestId).filter((r) => r.requestId !== undefined);
  if (context.parameters.RequestId !== undefined && requests.length === 0) {
    throw notFound(host, context.parameters.RequestId);
  }
  for (const request of requests) {
    const ca = request.ca ?? host.topology.certificationAuthorities[0]?.name ?? "";
    const outcome = await host.ca.retrieve(ca, request.requestId!, {
      networkCredentials: host.loginKind === "password",
    });
    if (outcome.status === "Pending") {
      context.writeWarning(pendingWarning(outcome.requestId, ca));
      continue;
    }
    if (context.common.whatIf) continue;
    host.removePendingRequest(request.thumbprint);
    if (outcome.status === "Denied") {
      context.writeError(
        cmdletError(
          NAME,
          `${outcome.message} (request ${outcome.requestId} at ${ca}).`,
          "CertificateRequestDenied",
          "PermissionDenied",
        ),
      );
      continue;
    }
    const issued = storeIssued(
      host,
      outcome.certificatePem,
      request.privateKeyPem,
      request.friendlyName,
      request.privateKeyExportable === true,
    );
    context.output(issuedReference(issued));
  }
}

// Only requests the CA left pending: an offline request has no CA request ID to list, retrieve or clear by
// ([guess]: the help says -List shows "pending certificate requests made by using Request-CsCertificate").
function listRequests(context: CommandContext, host: LyncHost): void {
  const requests = selectRequests(host, context.parameters.RequestId).filter((r) => r.requestId !== undefined);
  if (context.parameters.RequestId !== undefined && requests.length === 0) {
    throw notFound(host, context.parameters.RequestId);
  }
  for (const request of requests) {
    context.output(
      dotnetObject(PENDING_REQUEST_TYPE, {
        RequestId: request.requestId!,
        CertificateUses: request.types.map(certTypeEnum),
      }),
    );
  }
}

function clearRequests(context: CommandContext, host: LyncHost): void {
  const requests = selectRequests(host, context.parameters.RequestId);
  if (context.parameters.RequestId !== undefined && requests.length === 0) {
    throw notFound(host, context.parameters.RequestId);
  }
  if (context.common.whatIf) return;
  for (const request of requests) host.removePendingRequest(request.thumbprint);
}

function selectRequests(host: LyncHost, requestId: unknown): PendingRequestRecord[] {
  const all = host.listPendingRequests() as readonly PendingRequestRecord[];
  if (requestId === undefined || requestId === null) return [...all];
  return all.filter((r) => r.requestId === Number(requestId));
}

function notFound(host: LyncHost, requestId: unknown): PowerShellError {
  return cmdletError(
    NAME,
    `No pending certificate request with ID ${String(requestId)} was found on ${host.fqdn}. Run Request-CsCertificate -List to see the pending requests.`,
    "RequestNotFound",
    "ObjectNotFound",
  );
}

/** The explicit logon of -CaAccount: it fails at the domain controller, before the CA is contacted. */
function logOn(host: LyncHost, caAccount: string, caPassword: string, ca: string): string {
  const account = host.logOn(caAccount, caPassword);
  if (account !== undefined) return account;
  // Never echo the password.
  throw cmdletError(
    NAME,
    `${LOGON_FAILURE_MESSAGE} (logging on as ${caAccount} to submit the request from ${host.fqdn} to ${ca}). ` +
      "Check -CaAccount and -CaPassword.",
    "CertificateRequestFailed",
    "AuthenticationError",
  );
}

function storeIssued(
  host: LyncHost,
  certificatePem: string,
  privateKeyPem: string,
  friendlyName: string,
  privateKeyExportable: boolean,
): ReturnType<typeof describeCertificate> {
  const info = describeCertificate(certificatePem);
  host.putCertificate({
    thumbprint: thumbprintOf(certificatePem),
    certificatePem,
    privateKeyPem,
    friendlyName,
    privateKeyExportable,
  });
  return info;
}

/**
 * The issued certificate as a CertificateReference, so it pipes into Set-CsCertificate -Reference: the
 * documented properties of Get-CsCertificate's rows. Use is $null ([guess]): nothing is assigned yet.
 */
function issuedReference(info: ReturnType<typeof describeCertificate>): PSObject {
  return dotnetObject(CERTIFICATE_REFERENCE_TYPE, {
    Issuer: info.issuer,
    NotAfter: new PSDateTime(info.notAfter, "Local"),
    NotBefore: new PSDateTime(info.notBefore, "Local"),
    SerialNumber: info.serialNumber.toUpperCase(),
    Subject: info.subject,
    AlternativeNames: [...info.dnsNames],
    Thumbprint: info.thumbprint,
    Use: null,
  });
}

/** [guess] Lync's text; it names the request ID that -Retrieve, -List and -Clear take. */
function pendingWarning(requestId: number, ca: string): string {
  return (
    `The certificate request ${requestId} is pending at the certification authority "${ca}". ` +
    `Once the CA administrator issues it, run Request-CsCertificate -Retrieve -RequestId ${requestId}.`
  );
}

function computerFqdn(host: LyncHost, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") return host.fqdn;
  const wanted = value.trim().toLowerCase();
  for (const pool of host.topology.pools) {
    for (const server of pool.servers) {
      // -ComputerFqdn "atl-edge-001" (a host name) appears in the help's examples.
      if (server.toLowerCase() === wanted || server.toLowerCase().split(".")[0] === wanted) return server;
    }
  }
  throw cmdletError(
    NAME,
    `Computer "${value}" is not in the topology. Use the FQDN of a server of a pool (omit -ComputerFqdn for ${host.fqdn}).`,
    "ComputerNotFound",
    "ObjectNotFound",
  );
}

/** -OU, -Organization, -City, -State, -Country extend the subject, most specific first as Windows writes it. */
function subjectWithOrganization(subject: string, p: Readonly<Record<string, unknown>>): string {
  const parts = [subject];
  const add = (key: string, value: unknown) => {
    if (typeof value === "string" && value.trim() !== "") parts.push(`${key}=${value.trim()}`);
  };
  add("OU", p.OU);
  add("O", p.Organization);
  add("L", p.City);
  add("S", p.State);
  add("C", p.Country);
  return parts.join(", ");
}

function sameNames(actual: readonly string[], expected: readonly string[]): boolean {
  const a = new Set(actual.map((n) => n.toLowerCase()));
  const e = new Set(expected.map((n) => n.toLowerCase()));
  return a.size === e.size && [...e].every((n) => a.has(n));
}

/** Lync's log file stamp: [2014_07_20][14_05_09]. */
function logStamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `[${date.getUTCFullYear()}_${pad(date.getUTCMonth() + 1)}_${pad(date.getUTCDate())}]` +
    `[${pad(date.getUTCHours())}_${pad(date.getUTCMinutes())}_${pad(date.getUTCSeconds())}]`
  );
}
