import type { Assignment, CertType, LyncHost } from "../lyncHost";

/**
 * Assigns one certificate to each usage. Lync keeps the certificate each usage held before as its previous
 * certificate (Remove-CsCertificate -Previous drops it); re-assigning the same thumbprint keeps the old previous.
 * With -Roll the new certificate is staged: it takes over at effectiveDate.
 */
export function assignCertificate(
  host: LyncHost,
  scope: "local" | "global",
  types: readonly CertType[],
  thumbprint: string,
  options: { roll: boolean; effectiveDate?: Date },
): void {
  const current = host.listAssignments(scope);
  for (const type of types) {
    const existing = current.find((a) => a.type === type);
    const previousThumbprint =
      existing === undefined
        ? undefined
        : existing.thumbprint === thumbprint
          ? existing.previousThumbprint
          : existing.thumbprint;
    const assignment: Assignment = {
      type,
      thumbprint,
      ...(previousThumbprint === undefined ? {} : { previousThumbprint }),
      ...(options.roll && options.effectiveDate !== undefined
        ? { effectiveDate: options.effectiveDate.toISOString() }
        : {}),
    };
    host.putAssignment(scope, assignment);
  }
}
