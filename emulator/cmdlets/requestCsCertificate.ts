import { computeCertificateNames } from "../certificateNames";
import type { CertType, LyncHost } from "../lyncHost";
import { dotnetObject, PowerShellError, type CommandContext, type CommandDefinition } from "../powershell/command";
import { formatDateTimeEnUs, PSDateTime, type PSObject } from "../powershell/values";
import { createCsr, describeCertificate, generateRsaKeyPairAsync, readCsr, thumbprintOf } from "../x509";
import { CERTIFICATE_REFERENCE_TYPE } from "./certificateReference";
import { certTypeParameter } from "./certTypeParameter";
import { certTypesOf } from "./certTypesOf";
import { checkUsagesForRole } from "./checkUsagesForRole";
import { cmdletError } from "./cmdletError";
import { lyncHostOf } from "./lyncHostOf";
import type { PendingRequestRecord } from "./pendingRequestRecord";
import { requestPlaceholder } from "./requestPlaceholder";
import { writeReport } from "./writeReport";

const NAME = "Request-CsCertificate";
const KEY_ALGORITHMS = ["RSA", "ECDH_P256", "ECDH_P384", "ECDH_P521"] as const;
const KEY_SIZES = [1024, 2048, 4096];

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
 * Cert:\LocalMachine\My. The help says it returns nothing, but scripts [seen] read .Thumbprint from its
 * result, so it returns a CertificateReference with RequestStatus (Issued, Pending or Offline) and RequestId.
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

async function newRequest(context: CommandContext, host: LyncHost): Promise<void> {
  const p = context.parameters;
  const types = certTypesOf(p.Type, NAME) ?? [];
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
  const computer = computerFqdn(host, p.ComputerFqdn);
  const computerPool = host.topology.pools.find((pool) => pool.servers.includes(computer)) ?? host.pool;
  checkUsagesForRole(NAME, types, computerPool, computer);
  const domainNames =
    typeof p.DomainName === "string"
      ? p.DomainName.split(",")
          .map((n) => n.trim())
          .filter((n) => n !== "")
      : [];
  const allSipDomain = p.AllSipDomain === true;

  const verbose = (line: string) => context.writeVerbose(line);
  const logBase = `C:\\Users\\${accountName(host.user)}\\AppData\\Local\\Temp\\${NAME}-${logStamp(host.now())}`;
  verbose(`Creating new log file "${logBase}.xml".`);

  let names: { subject: string; alternativeNames: readonly string[] };
  try {
    names = computeCertificateNames(host.topology, computer, types, { allSipDomain, domainNames });
  } catch (error) {
    throw cmdletError(
      NAME,
      `Cannot compute the certificate names: ${(error as Error).message}`,
      "CentralMgmtStoreInaccessible",
      "ReadError",
      {
        cause: error,
      },
    );
  }
  const subject = subjectWithOrganization(names.subject, p);
  verbose(`Computing the subject name and subject alternative names for ${types.join(", ")} on ${computer}.`);
  verbose(`Subject name: ${subject}`);
  verbose(`Subject alternative names: ${names.alternativeNames.join(", ")}`);

  if (context.common.whatIf) return;

  const friendlyName =
    typeof p.FriendlyName === "string" && p.FriendlyName !== ""
      ? p.FriendlyName
      : // [guess] Lync's default friendly name: the usages and the request time (friendly names must be unique).
        `Lync Server ${types.join(", ")} ${formatDateTimeEnUs(host.now())}`;
  // Off the event loop: every emulated server shares this process, and a fleet renewing at once
  // would otherwise queue behind each key (a real server makes its own key on its own CPU).
  const keys = await generateRsaKeyPairAsync(keySize);
  const csrPem = createCsr({ privateKeyPem: keys.privateKeyPem, subject, dnsNames: names.alternativeNames });
  const privateKeyExportable = p.PrivateKeyExportable === true;
  const placeholder = requestPlaceholder({
    privateKeyPem: keys.privateKeyPem,
    subject,
    dnsNames: names.alternativeNames,
    now: host.now(),
  });

  if (output !== undefined) {
    host.fileSystem.write(output, new TextEncoder().encode(csrPem));
    const request: PendingRequestRecord = {
      thumbprint: placeholder.thumbprint,
      placeholderCertificatePem: placeholder.certificatePem,
      csrPem,
      privateKeyPem: keys.privateKeyPem,
      friendlyName,
      outputPath: output,
      types,
    };
    host.putPendingRequest(request);
    verbose(
      `The certificate request was written to "${output}". Submit it to a certification authority, then run Import-CsCertificate -Path <issued certificate>.`,
    );
    verbose(`Creating new log file "${logBase}.html".`);
    writeReport(host, p.Report, NAME, [`Offline request for ${types.join(", ")} written to ${output}`]);
    context.output(
      requestResult({
        status: "Offline",
        subject,
        alternativeNames: names.alternativeNames,
        friendlyName,
        output,
        types,
      }),
    );
    return;
  }

  const account = typeof p.CaAccount === "string" && p.CaAccount !== "" ? p.CaAccount : host.user;
  verbose(`Submitting the certificate request to "${ca}" as ${account}.`);
  const outcome = await host.ca.submit({
    ca: ca!,
    csrPem,
    account,
    ...(typeof p.Template === "string" && p.Template !== "" ? { template: p.Template } : {}),
    ...(p.ClientEKU === true ? { clientEku: true } : {}),
  });

  if (outcome.status === "Denied") {
    verbose(`Creating new log file "${logBase}.html".`);
    throw cmdletError(
      NAME,
      `${outcome.message} (request ${outcome.requestId} for ${types.join(", ")} from ${host.fqdn} to ${ca}). ` +
        "Ask the CA administrator why the request was denied, or make an offline request with -Output.",
      "CertificateRequestDenied",
      "PermissionDenied",
    );
  }
  if (outcome.status === "Pending") {
    const request: PendingRequestRecord = {
      thumbprint: placeholder.thumbprint,
      placeholderCertificatePem: placeholder.certificatePem,
      csrPem,
      privateKeyPem: keys.privateKeyPem,
      friendlyName,
      outputPath: "",
      types,
      requestId: outcome.requestId,
      ca,
    };
    host.putPendingRequest(request);
    verbose(
      `The certification authority left request ${outcome.requestId} pending. Run Request-CsCertificate -Retrieve -RequestId ${outcome.requestId} once it is approved.`,
    );
    verbose(`Creating new log file "${logBase}.html".`);
    writeReport(host, p.Report, NAME, [`Request ${outcome.requestId} pending at ${ca}`]);
    context.output(
      requestResult({
        status: "Pending",
        requestId: outcome.requestId,
        subject,
        alternativeNames: names.alternativeNames,
        friendlyName,
        ca,
        types,
      }),
    );
    return;
  }

  const issued = storeIssued(host, outcome.certificatePem, keys.privateKeyPem, friendlyName, privateKeyExportable);
  verbose(`The certification authority issued request ${outcome.requestId}: thumbprint ${issued.thumbprint}.`);
  if (!sameNames(issued.dnsNames, names.alternativeNames)) {
    // Lync only says that they differ, never which names are missing.
    context.writeWarning(
      "The subject alternative names of the issued certificate differ from the names computed from the topology.",
    );
  }
  verbose(`Creating new log file "${logBase}.html".`);
  writeReport(host, p.Report, NAME, [`Request ${outcome.requestId} issued by ${ca}: ${issued.thumbprint}`]);
  context.output(issuedResult(issued, outcome.requestId, friendlyName, ca!, types));
}

async function retrieveRequests(context: CommandContext, host: LyncHost): Promise<void> {
  const requests = selectRequests(host, context.parameters.RequestId).filter((r) => r.requestId !== undefined);
  if (context.parameters.RequestId !== undefined && requests.length === 0) {
    throw notFound(host, context.parameters.RequestId);
  }
  for (const request of requests) {
    const ca = request.ca ?? host.topology.certificationAuthorities[0]?.name ?? "";
    const outcome = await host.ca.retrieve(ca, request.requestId!);
    if (outcome.status === "Pending") {
      context.output(pendingResult(request));
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
    const issued = storeIssued(host, outcome.certificatePem, request.privateKeyPem, request.friendlyName, false);
    context.output(issuedResult(issued, outcome.requestId, request.friendlyName, ca, request.types));
  }
}

function listRequests(context: CommandContext, host: LyncHost): void {
  const requests = selectRequests(host, context.parameters.RequestId);
  if (context.parameters.RequestId !== undefined && requests.length === 0) {
    throw notFound(host, context.parameters.RequestId);
  }
  for (const request of requests) context.output(pendingResult(request));
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

function issuedResult(
  info: ReturnType<typeof describeCertificate>,
  requestId: number,
  friendlyName: string,
  ca: string,
  types: readonly CertType[],
): PSObject {
  return requestResult({
    status: "Issued",
    requestId,
    thumbprint: info.thumbprint,
    subject: info.subject,
    issuer: info.issuer,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    serialNumber: info.serialNumber,
    alternativeNames: info.dnsNames,
    friendlyName,
    ca,
    types,
  });
}

function pendingResult(request: PendingRequestRecord): PSObject {
  const csr = readCsr(request.csrPem);
  return requestResult({
    status: request.requestId === undefined ? "Offline" : "Pending",
    requestId: request.requestId,
    subject: csr.subject,
    alternativeNames: csr.dnsNames,
    friendlyName: request.friendlyName,
    ca: request.ca,
    output: request.outputPath === "" ? undefined : request.outputPath,
    types: request.types,
  });
}

/**
 * The object Request-CsCertificate returns. Its type is CertificateReference so it pipes into
 * Set-CsCertificate -Reference; Thumbprint and the certificate fields are $null until the CA issues.
 * RequestStatus, RequestId, FriendlyName, CA, Output and Type are [guess] names.
 */
function requestResult(r: {
  status: "Issued" | "Pending" | "Offline";
  requestId?: number;
  thumbprint?: string;
  subject: string;
  issuer?: string;
  notBefore?: Date;
  notAfter?: Date;
  serialNumber?: string;
  alternativeNames: readonly string[];
  friendlyName: string;
  ca?: string;
  output?: string;
  types: readonly CertType[];
}): PSObject {
  return dotnetObject(CERTIFICATE_REFERENCE_TYPE, {
    Issuer: r.issuer ?? null,
    NotAfter: r.notAfter ? new PSDateTime(r.notAfter, "Local") : null,
    NotBefore: r.notBefore ? new PSDateTime(r.notBefore, "Local") : null,
    SerialNumber: r.serialNumber ?? null,
    Subject: r.subject,
    AlternativeNames: [...r.alternativeNames],
    Thumbprint: r.thumbprint ?? null,
    FriendlyName: r.friendlyName,
    RequestStatus: r.status,
    RequestId: r.requestId ?? null,
    CA: r.ca ?? null,
    Output: r.output ?? null,
    Type: [...r.types],
  });
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

function accountName(user: string): string {
  return user.includes("\\") ? user.slice(user.indexOf("\\") + 1) : user;
}

/** Lync's log file stamp: [2014_07_20][14_05_09]. */
function logStamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `[${date.getUTCFullYear()}_${pad(date.getUTCMonth() + 1)}_${pad(date.getUTCDate())}]` +
    `[${pad(date.getUTCHours())}_${pad(date.getUTCMinutes())}_${pad(date.getUTCSeconds())}]`
  );
}
