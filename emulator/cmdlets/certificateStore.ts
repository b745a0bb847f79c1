// What the certificate cmdlets keep on a server: assignments of certificates to usages (shown as
// CertificateReference rows) and pending requests with their placeholder in Cert:\LocalMachine\REQUEST.

import { createHash } from "node:crypto";
import forge from "node-forge";
import {
  CERT_TYPES,
  CERT_TYPE_ENUM_NAME,
  type Assignment,
  type CertType,
  type LyncHost,
  type PendingRequest,
  type StoredCertificate,
} from "../lyncHost";
import { dotnetObject } from "../powershell/command";
import { PSDateTime, PSEnum, type PSObject } from "../powershell/values";
import { describeCertificate, parseWindowsName, pemToDer, publicKeyOfPrivateKey } from "../x509";
import { isStaged, scopeOfType, thumbprintInForce } from "./lyncRules";

export type Scope = "local" | "global";

/**
 * Assigns one certificate to each usage. Lync keeps the certificate each usage held before as its previous
 * certificate (Remove-CsCertificate -Previous drops it); re-assigning the same thumbprint keeps the old previous.
 * With -Roll the new certificate is staged: it takes over at effectiveDate, and the one in force until then
 * becomes the previous one. A global usage also hands the certificate to the Central Management store.
 */
export function assignCertificate(
  host: LyncHost,
  scope: Scope,
  types: readonly CertType[],
  thumbprint: string,
  options: { roll: boolean; effectiveDate?: Date },
): void {
  const now = host.now();
  for (const type of types) {
    const typeScope = scopeOfType(scope, type);
    const existing = host.listAssignments(typeScope).find((a) => a.type === type);
    const assignment: Assignment = {
      type,
      thumbprint,
      ...withPrevious(existing === undefined ? undefined : previousFor(existing, thumbprint, now)),
      ...(options.roll && options.effectiveDate !== undefined
        ? { effectiveDate: options.effectiveDate.toISOString() }
        : {}),
    };
    host.putAssignment(typeScope, assignment);
    if (typeScope === "global") {
      const certificate = host.getCertificate(thumbprint);
      // The store copies keep the key exportable: the Central Management store deploys it as a PFX [guess].
      if (certificate !== undefined) host.publishGlobalCertificate({ ...certificate, privateKeyExportable: true });
    }
  }
}

// The certificate in force now becomes the previous one; a staged certificate that never took over is dropped.
function previousFor(existing: Assignment, thumbprint: string, now: Date): string | undefined {
  const inForce = thumbprintInForce(existing, now);
  if (inForce !== thumbprint) return inForce;
  return isStaged(existing, now) ? undefined : existing.previousThumbprint;
}

function withPrevious(previousThumbprint: string | undefined): { previousThumbprint?: string } {
  return previousThumbprint === undefined ? {} : { previousThumbprint };
}

/**
 * The assignments of these scopes, in CertType order, limited to `types` when given. A type assigned in
 * two scopes is listed once, from the first scope given (a Front End's own usage hides a replicated one).
 */
export function assignmentsIn(
  host: LyncHost,
  scopes: readonly Scope[],
  types: readonly CertType[] | undefined,
): { assignment: Assignment; scope: Scope }[] {
  const rows: { assignment: Assignment; scope: Scope }[] = [];
  for (const scope of scopes) {
    for (const assignment of host.listAssignments(scope)) {
      if (rows.some((row) => row.assignment.type === assignment.type)) continue;
      rows.push({ assignment, scope });
    }
  }
  return rows
    .filter(({ assignment }) => types === undefined || types.includes(assignment.type))
    .sort((a, b) => CERT_TYPES.indexOf(a.assignment.type) - CERT_TYPES.indexOf(b.assignment.type));
}

export const CERTIFICATE_REFERENCE_TYPE = "Microsoft.Rtc.Management.Deployment.CertificateReference";

/**
 * One Get-CsCertificate row: an assignment (Use) joined with the certificate it names.
 *
 * The documented properties come first, in Lync's order. PreviousThumbprint, EffectiveDate and SourceScope
 * are [guess] names for what Lync keeps about staged rolls and the scope (local or global).
 *
 * When the assigned thumbprint is no longer in Cert:\LocalMachine\My, Lync still lists the usage (its
 * configuration keeps the thumbprint); we do the same, with the certificate's own fields $null and an empty
 * AlternativeNames, so a reader can tell "assigned certificate missing from store" from "not assigned".
 */
export function certificateReference(
  assignment: Assignment,
  certificate: StoredCertificate | undefined,
  scope: Scope,
): PSObject {
  const info = certificate === undefined ? undefined : describeCertificate(certificate.certificatePem);
  return dotnetObject(CERTIFICATE_REFERENCE_TYPE, {
    Issuer: info?.issuer ?? null,
    NotAfter: info === undefined ? null : new PSDateTime(info.notAfter, "Local"),
    NotBefore: info === undefined ? null : new PSDateTime(info.notBefore, "Local"),
    SerialNumber: info?.serialNumber.toUpperCase() ?? null,
    Subject: info?.subject ?? null,
    // The full collection: only the default formatter's enumeration limit shortens it on screen.
    AlternativeNames: [...(info?.dnsNames ?? [])],
    Thumbprint: assignment.thumbprint,
    EffectiveDate:
      assignment.effectiveDate === undefined ? null : new PSDateTime(new Date(assignment.effectiveDate), "Local"),
    PreviousThumbprint: assignment.previousThumbprint ?? null,
    Use: certTypeEnum(assignment.type),
    SourceScope: scope === "global" ? "Global" : "Local",
  });
}

export function certTypeEnum(type: CertType): PSEnum {
  return new PSEnum(CERT_TYPE_ENUM_NAME, type, CERT_TYPES.indexOf(type));
}

/**
 * A pending request as the cmdlets keep it in Cert:\LocalMachine\REQUEST: the contract's fields plus what
 * they add (the server keeps the object as it is, so the extras persist). Readers must cope without them:
 * requests written by other code carry only the contract's fields.
 */
export interface PendingRequestRecord extends PendingRequest {
  /** The CA and request ID of an online request the CA left pending (Request-CsCertificate -Retrieve). */
  readonly requestId?: number;
  readonly ca?: string;
  /** The self-signed placeholder certificate Windows shows in the REQUEST store (its thumbprint is `thumbprint`). */
  readonly placeholderCertificatePem?: string;
  /** -PrivateKeyExportable of the request: a property of the key made then, so the retrieved certificate has it too. */
  readonly privateKeyExportable?: boolean;
}

/** A request Request-CsCertificate -New has made: its key, its CSR and what the CSR asks for. */
export interface NewRequest {
  readonly privateKeyPem: string;
  readonly csrPem: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly friendlyName: string;
  readonly types: readonly CertType[];
  readonly now: Date;
}

/** The record of a request that waits: offline for the file written to outputPath, or at a CA under its ID. */
export function pendingRequestRecord(
  request: NewRequest,
  waiting: { readonly outputPath: string } | { readonly requestId: number; readonly ca: string },
): PendingRequestRecord {
  const placeholder = requestPlaceholder(request);
  return {
    thumbprint: placeholder.thumbprint,
    placeholderCertificatePem: placeholder.certificatePem,
    csrPem: request.csrPem,
    privateKeyPem: request.privateKeyPem,
    friendlyName: request.friendlyName,
    outputPath: "outputPath" in waiting ? waiting.outputPath : "",
    types: request.types,
    ...("requestId" in waiting ? { requestId: waiting.requestId, ca: waiting.ca } : {}),
  };
}

/**
 * The self-signed certificate Windows keeps in Cert:\LocalMachine\REQUEST while a request waits for the CA
 * (certreq -new does the same): the request's subject, names and key, signed by that key. Its thumbprint is
 * the request's identity in the store, and scripts read its RawData like any certificate's.
 */
export function requestPlaceholder(options: {
  readonly privateKeyPem: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  readonly now: Date;
}): { certificatePem: string; thumbprint: string } {
  const key = forge.pki.privateKeyFromPem(options.privateKeyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOfPrivateKey(options.privateKeyPem);
  // A positive serial from the key, so two requests never share one.
  cert.serialNumber = "01" + createHash("sha1").update(options.privateKeyPem).digest("hex").slice(0, 30);
  const start = Math.floor(options.now.getTime() / 1000) * 1000;
  cert.validity.notBefore = new Date(start);
  cert.validity.notAfter = new Date(start + 365 * 86_400_000);
  const name = parseWindowsName(options.subject);
  cert.setSubject(name);
  cert.setIssuer(name);
  const extensions: object[] = [{ name: "keyUsage", digitalSignature: true, keyEncipherment: true }];
  if (options.dnsNames.length > 0) {
    extensions.push({ name: "subjectAltName", altNames: options.dnsNames.map((value) => ({ type: 2, value })) });
  }
  cert.setExtensions(extensions);
  cert.sign(key, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  return {
    certificatePem,
    thumbprint: createHash("sha1").update(pemToDer(certificatePem)).digest("hex").toUpperCase(),
  };
}
