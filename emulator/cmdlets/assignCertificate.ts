import type { Assignment, CertType, LyncHost } from "../lyncHost";
import { scopeOfType } from "./certificateScope";
import { isStaged, thumbprintInForce } from "./thumbprintInForce";

/**
 * Assigns one certificate to each usage. Lync keeps the certificate each usage held before as its previous
 * certificate (Remove-CsCertificate -Previous drops it); re-assigning the same thumbprint keeps the old previous.
 * With -Roll the new certificate is staged: it takes over at effectiveDate, and the one in force until then
 * becomes the previous one. A global usage also hands the certificate to the Central Management store.
 */
export function assignCertificate(
  host: LyncHost,
  scope: "local" | "global",
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
