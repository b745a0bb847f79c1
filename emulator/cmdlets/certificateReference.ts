import { CERT_TYPES, CERT_TYPE_ENUM_NAME, type Assignment, type StoredCertificate } from "../lyncHost";
import { dotnetObject } from "../powershell/command";
import { PSDateTime, PSEnum, type PSObject } from "../powershell/values";
import { describeCertificate } from "../x509";

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
  scope: "local" | "global",
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

export function certTypeEnum(type: (typeof CERT_TYPES)[number]): PSEnum {
  return new PSEnum(CERT_TYPE_ENUM_NAME, type, CERT_TYPES.indexOf(type));
}
