// What to put back after a failed assignment, only where it failed. Never an expired or vanished
// certificate, never an unassignment: Lync will not start on the one and serves nothing on the other.

import type { CertificateUsage } from "./certificateUsages";
import type { CertificateFacts } from "./inspectCertificate";
import type { LiveAssignment } from "./parseServerState";
import type { AssignmentStep, Plan } from "./planChanges";

export interface RollbackPlan {
  /** Usages to put back on their previous certificate, one Set-CsCertificate each. */
  readonly restores: readonly { readonly type: CertificateUsage; readonly thumbprint: string }[];
  /** Usages left as they are, each with why, in words. */
  readonly left: readonly string[];
}

export function planRollback(
  attempted: readonly AssignmentStep[],
  before: Pick<Plan, "entries">,
  live: readonly LiveAssignment[],
  facts: ReadonlyMap<string, Pick<CertificateFacts, "notAfter">>,
  now: Date,
): RollbackPlan {
  const previous = new Map<CertificateUsage, string | undefined>();
  for (const entry of before.entries) for (const usage of entry.usages) previous.set(usage, entry.current[usage]);
  const holding = new Map(live.map((a) => [a.use, a.thumbprint]));
  const restores: { type: CertificateUsage; thumbprint: string }[] = [];
  const left: string[] = [];
  for (const step of attempted) {
    for (const type of step.types) {
      const holds = holding.get(type);
      const had = previous.get(type);
      if (holds === step.thumbprint || holds === had) continue;
      const keeps = `${type} keeps ${holds ?? "no certificate"}`;
      const known = had === undefined ? undefined : facts.get(had);
      if (had === undefined) left.push(`${keeps}: it had none before`);
      else if (!known) left.push(`${keeps}: its previous certificate ${had} is gone from the store`);
      else if (known.notAfter.getTime() <= now.getTime()) {
        left.push(`${keeps}: its previous certificate ${had} has expired`);
      } else restores.push({ type, thumbprint: had });
    }
  }
  return { restores, left };
}
