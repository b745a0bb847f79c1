import type { StoredCertificate } from "../lyncHost";
import { PSDateTime, PSObject } from "../powershell/values";
import { describeCertificate, readCsr } from "../x509";
import type { PendingRequestRecord } from "./pendingRequestRecord";

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
export class DnsNameRepresentation extends PSObject {
  constructor(name: string) {
    super([DNS_NAME_TYPE, "System.Object"], { Punycode: name, Unicode: name });
  }
  override toString(): string {
    return String(this.get("Unicode"));
  }
}

/** One entry of EnhancedKeyUsageList; prints as "Server Authentication (1.3.6.1.5.5.7.3.1)" like PowerShell's. */
export class EnhancedKeyUsageRepresentation extends PSObject {
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
export function x509Certificate2(certificate: StoredCertificate, storePath: string): PSObject {
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
export function pendingRequestCertificate(request: PendingRequestRecord, storePath: string): PSObject {
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
