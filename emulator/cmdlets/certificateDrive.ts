// The Cert: drive as Get-ChildItem, Get-Item and Test-Path see it: paths of Cert:\LocalMachine\My and
// \REQUEST, and their entries as the certificate provider shows them (X509Certificate2 objects).

import type { LyncHost, StoredCertificate } from "../lyncHost";
import {
  PowerShellError,
  type CommandContext,
  type ParameterDefinition,
  type ParameterSetDefinition,
} from "../powershell/command";
import { PSDateTime, PSObject } from "../powershell/values";
import { describeCertificate, readCsr } from "../x509";
import type { PendingRequestRecord } from "./certificateStore";

/** -Path (positional) | -LiteralPath (alias PSPath), as Get-ChildItem and Get-Item take them, with their own switches. */
export function pathParameterSets(
  setNames: readonly [path: string, literalPath: string],
  options: { readonly pathMandatory: boolean },
  switches: readonly ParameterDefinition[],
): ParameterSetDefinition[] {
  return [
    {
      name: setNames[0],
      isDefault: true,
      parameters: [
        { name: "Path", type: "string[]", position: 0, ...(options.pathMandatory ? { mandatory: true } : {}) },
        ...switches,
      ],
    },
    {
      name: setNames[1],
      parameters: [{ name: "LiteralPath", type: "string[]", aliases: ["PSPath"], mandatory: true }, ...switches],
    },
  ];
}

/** The bound path parameter's values as strings (none when it is not bound). */
export function boundPaths(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** A parsed path of the Cert: drive, limited to what the emulator models. */
export type CertificatePath =
  | { readonly kind: "store"; readonly store: "My" | "REQUEST"; readonly display: string }
  | { readonly kind: "item"; readonly store: "My" | "REQUEST"; readonly thumbprint: string; readonly display: string };

/**
 * Parses Cert:\LocalMachine\My, Cert:\LocalMachine\REQUEST and Cert:\LocalMachine\<store>\<thumbprint>
 * (case-insensitive, / or \, trailing separator allowed, also the provider-qualified PSPath form).
 * Every other path fails loudly: the emulator has no file system listing and no other stores.
 */
export function certificatePath(command: string, path: string): CertificatePath {
  const cleaned = path
    .trim()
    .replace(/^Microsoft\.PowerShell\.Security\\Certificate::/i, "Cert:\\")
    .replace(/\//g, "\\")
    .replace(/\\+$/, "");
  const m = /^cert:\\+localmachine\\+(my|request)(?:\\+([^\\]+))?$/i.exec(cleaned);
  if (!m) {
    throw new PowerShellError(
      `${command} on '${path}' is not supported by the Lync emulator: it models only the Cert:\\LocalMachine\\My and ` +
        "Cert:\\LocalMachine\\REQUEST stores and their certificates (Cert:\\LocalMachine\\My\\<thumbprint>).",
      `NotSupportedByEmulator,Microsoft.PowerShell.Commands.${command.replace("-", "")}Command`,
      "NotImplemented",
      path,
    );
  }
  const store = m[1].toLowerCase() === "my" ? "My" : "REQUEST";
  return m[2] === undefined
    ? { kind: "store", store, display: path }
    : { kind: "item", store, thumbprint: m[2].toUpperCase(), display: path };
}

/**
 * The certificates a Cert: path names: a whole store, or one certificate. A missing certificate is
 * PowerShell's non-terminating ItemNotFound error, as Get-Item and Get-ChildItem write it.
 */
export function certificateDriveItems(
  command: string,
  context: CommandContext,
  host: LyncHost,
  path: CertificatePath,
): PSObject[] {
  const storePath = `LocalMachine\\${path.store}`;
  const all =
    path.store === "My"
      ? host.listCertificates().map((c) => ({ thumbprint: c.thumbprint, item: () => x509Certificate2(c, storePath) }))
      : host
          .listPendingRequests()
          .map((r) => ({ thumbprint: r.thumbprint, item: () => pendingRequestCertificate(r, storePath) }));
  if (path.kind === "store") return all.map((entry) => entry.item());
  if (/[*?[]/.test(path.thumbprint)) {
    // A wildcard leaf (Cert:\LocalMachine\My\*) lists what matches; matching nothing is not an error.
    const source = path.thumbprint
      .replace(/[.+^${}()|\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    const pattern = new RegExp(`^${source}$`, "i");
    return all.filter((entry) => pattern.test(entry.thumbprint)).map((entry) => entry.item());
  }
  const found = all.find((entry) => entry.thumbprint.toUpperCase() === path.thumbprint);
  if (found === undefined) {
    context.writeError(
      new PowerShellError(
        `Cannot find path '${path.display}' because it does not exist.`,
        `PathNotFound,Microsoft.PowerShell.Commands.${command.replace("-", "")}Command`,
        "ObjectNotFound",
        path.display,
      ),
    );
    return [];
  }
  return [found.item()];
}

const X509_TYPE_NAMES = [
  "System.Security.Cryptography.X509Certificates.X509Certificate2",
  "System.Security.Cryptography.X509Certificates.X509Certificate",
  "System.Object",
];
const DNS_NAME_TYPE = "Microsoft.PowerShell.Commands.DnsNameRepresentation";

/**
 * One entry of DnsNameList. PowerShell's certificate provider gives objects with Punycode and Unicode;
 * in a string context (`"$($c.DnsNameList)"`, `-join`) each prints as its name, which toString models.
 */
class DnsNameRepresentation extends PSObject {
  constructor(name: string) {
    super([DNS_NAME_TYPE, "System.Object"], { Punycode: name, Unicode: name });
  }
  override toString(): string {
    return String(this.get("Unicode"));
  }
}

/** One entry of EnhancedKeyUsageList; prints as "Server Authentication (1.3.6.1.5.5.7.3.1)" like PowerShell's. */
class EnhancedKeyUsageRepresentation extends PSObject {
  constructor(friendlyName: string, objectId: string) {
    super(["Microsoft.PowerShell.Commands.EnhancedKeyUsageRepresentation", "System.Object"], {
      FriendlyName: friendlyName,
      ObjectId: objectId,
    });
  }
  override toString(): string {
    return `${String(this.get("FriendlyName"))} (${String(this.get("ObjectId"))})`;
  }
}

/**
 * A certificate as `Get-ChildItem Cert:\LocalMachine\My` returns it. Only the properties scripts use; the
 * PS* properties are the ones the certificate provider adds. The default view (Thumbprint, Subject) is the
 * formatter's business, keyed on the type name.
 */
function x509Certificate2(certificate: StoredCertificate, storePath: string): PSObject {
  const info = describeCertificate(certificate.certificatePem);
  return new PSObject([...X509_TYPE_NAMES], {
    PSPath: `Microsoft.PowerShell.Security\\Certificate::${storePath}\\${info.thumbprint}`,
    PSParentPath: `Microsoft.PowerShell.Security\\Certificate::${storePath}`,
    PSChildName: info.thumbprint,
    PSIsContainer: false,
    EnhancedKeyUsageList: info.hasServerAuthEku
      ? [new EnhancedKeyUsageRepresentation("Server Authentication", "1.3.6.1.5.5.7.3.1")]
      : [],
    DnsNameList: info.dnsNames.map((name) => new DnsNameRepresentation(name)),
    FriendlyName: certificate.friendlyName,
    HasPrivateKey: certificate.privateKeyPem !== undefined,
    NotAfter: new PSDateTime(info.notAfter, "Local"),
    NotBefore: new PSDateTime(info.notBefore, "Local"),
    RawData: new Uint8Array(Buffer.from(info.derBase64, "base64")),
    SerialNumber: info.serialNumber.toUpperCase(),
    SignatureAlgorithm: new PSObject(["System.Security.Cryptography.Oid"], { FriendlyName: info.signatureAlgorithm }),
    Thumbprint: info.thumbprint,
    Version: 3,
    Issuer: info.issuer,
    Subject: info.subject,
  });
}

/**
 * An entry of Cert:\LocalMachine\REQUEST: the placeholder certificate Windows keeps while a request is
 * pending, with the request's friendly name and key. A request stored without a placeholder (written by
 * other code) shows what its CSR holds and empty RawData.
 */
function pendingRequestCertificate(request: PendingRequestRecord, storePath: string): PSObject {
  if (request.placeholderCertificatePem !== undefined) {
    return x509Certificate2(
      {
        thumbprint: request.thumbprint,
        certificatePem: request.placeholderCertificatePem,
        privateKeyPem: request.privateKeyPem,
        friendlyName: request.friendlyName,
        privateKeyExportable: false,
      },
      storePath,
    );
  }
  const { subject, dnsNames } = readCsr(request.csrPem);
  return new PSObject([...X509_TYPE_NAMES], {
    PSPath: `Microsoft.PowerShell.Security\\Certificate::${storePath}\\${request.thumbprint}`,
    PSParentPath: `Microsoft.PowerShell.Security\\Certificate::${storePath}`,
    PSChildName: request.thumbprint,
    PSIsContainer: false,
    EnhancedKeyUsageList: [],
    DnsNameList: dnsNames.map((name) => new DnsNameRepresentation(name)),
    FriendlyName: request.friendlyName,
    HasPrivateKey: true,
    NotAfter: null,
    NotBefore: null,
    RawData: new Uint8Array(0),
    SerialNumber: null,
    Thumbprint: request.thumbprint,
    Version: 3,
    Issuer: subject,
    Subject: subject,
  });
}
