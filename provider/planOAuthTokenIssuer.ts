// Desired vs live for the global OAuthTokenIssuer certificate, across every server that must hold
// it. Pure: the readings come in already taken. The first server is the one the certificate is
// assigned through; the others only receive it from Lync's replication, so a server that has not
// received it yet is a note (the plan running its course), never a change the provider could make.

import { isMarkedFor, type DesiredState } from "./desiredCertificates";
import type { CertificateFacts } from "./inspectCertificate";
import type { LiveAssignment, ServerState } from "./parseServerState";
import { certificateProblems, pendingAtCa, staleRequest } from "./planChanges";
import { isStaged, stagedNote, thumbprintInForce, type CertificateInForce } from "./rollPlan";

export const OAUTH = "OAuthTokenIssuer";

/** What one server holds, as readServer gives it. */
export interface OAuthReading {
  /** How messages name the server (the FQDN it reports). */
  readonly server: string;
  readonly state: ServerState;
  /** node-forge's reading of each store entry, by thumbprint. */
  readonly facts: ReadonlyMap<string, CertificateFacts>;
}

export type OAuthAction =
  /** Request a certificate from the CA, then assign it. */
  | { readonly kind: "request"; readonly replacing?: CertificateInForce }
  /** Import the supplied certificate with Import-CsCertificate -Identity global. */
  | { readonly kind: "import"; readonly thumbprint: string; readonly replacing?: CertificateInForce }
  /** A certificate already in the first server's store serves: assign it. */
  | { readonly kind: "assign"; readonly thumbprint: string; readonly replacing?: CertificateInForce }
  /** The CA keeps this resource's earlier request pending: asking again would only add another. */
  | { readonly kind: "awaitCa"; readonly friendlyName: string }
  /** The roll is over on every server: Remove-CsCertificate -Type OAuthTokenIssuer -Previous. */
  | { readonly kind: "removePrevious"; readonly thumbprint: string };

export interface OAuthPlan {
  /** What must change, in words. */
  readonly reasons: readonly string[];
  /** What is in progress as planned (replication, a staged roll), in words. */
  readonly notes: readonly string[];
  readonly action?: OAuthAction;
}

/** The global assignment as a server's Get-CsCertificate shows it. */
export function oauthAssignment(state: ServerState): LiveAssignment | undefined {
  return state.assignments.find((a) => a.use === OAUTH);
}

export function planOAuthTokenIssuer(
  desired: DesiredState,
  readings: readonly OAuthReading[],
  supplied: CertificateFacts | undefined,
): OAuthPlan {
  const [first] = readings;
  const now = first.state.now;
  const certificate = desired.certificates[0];
  const row = oauthAssignment(first.state);
  const where = `${OAUTH} (global, through ${first.server})`;
  if (!row) {
    return obtaining([`${where}: no certificate assigned`], undefined);
  }
  const latest = first.facts.get(row.thumbprint);
  const inForceThumbprint = thumbprintInForce(row, now);
  const inForce = inForceThumbprint === undefined ? undefined : first.facts.get(inForceThumbprint);
  const replacing =
    inForce && inForce.notAfter.getTime() > now.getTime()
      ? { thumbprint: inForce.thumbprint, notAfter: inForce.notAfter }
      : undefined;
  if (latest) {
    const problems =
      supplied && supplied.thumbprint !== row.thumbprint
        ? [`holds ${row.thumbprint}, the declared certificate is ${supplied.thumbprint}`]
        : certificateProblems(latest, certificate, now, desired.renewal);
    if (problems.length > 0) return obtaining([`${where}: ${problems.join("; ")}`], replacing);
  }

  const notes: string[] = [];
  if (isStaged(row, now)) notes.push(stagedNote(where, row));
  const missing = readings.filter((r) => !r.facts.has(row.thumbprint)).map((r) => r.server);
  if (missing.length > 0) {
    const deadline = isStaged(row, now) ? `; it must arrive before ${row.effectiveDate!.toISOString()}` : "";
    notes.push(
      `${OAUTH}: ${missing.join(", ")} ${missing.length === 1 ? "has" : "have"} not received certificate ${row.thumbprint} yet (replication pending)${deadline}`,
    );
  }
  const currentEverywhere = readings.every((r) => r.facts.has(row.thumbprint) && !isStaged(row, r.state.now));
  if (row.previousThumbprint && currentEverywhere) {
    return {
      reasons: [
        `${OAUTH}: ${row.thumbprint} is current on every server (${readings.map((r) => r.server).join(", ")}); the previous certificate ${row.previousThumbprint} can go (Remove-CsCertificate -Type ${OAUTH} -Previous)`,
      ],
      notes,
      action: { kind: "removePrevious", thumbprint: row.previousThumbprint },
    };
  }
  return { reasons: [], notes };

  function obtaining(reasons: string[], current: CertificateInForce | undefined): OAuthPlan {
    const action = obtain(current);
    if (action.kind === "awaitCa") {
      reasons.push(`${where}: ${pendingAtCa(action.friendlyName, first.server)}`);
    }
    return { reasons, notes: [], action };
  }

  function obtain(current: CertificateInForce | undefined): OAuthAction {
    if (supplied) {
      const held = first.state.store.find((s) => s.thumbprint === supplied.thumbprint && s.hasPrivateKey);
      return held
        ? { kind: "assign", thumbprint: supplied.thumbprint, replacing: current }
        : { kind: "import", thumbprint: supplied.thumbprint, replacing: current };
    }
    // A certificate this resource obtained before (a run cut off before the assignment) is reused.
    const reusable = first.state.store
      .filter((s) => s.hasPrivateKey && isMarkedFor(s.friendlyName, desired, 0) && s.thumbprint !== row?.thumbprint)
      .map((s) => first.facts.get(s.thumbprint))
      .filter(
        (f): f is CertificateFacts =>
          f !== undefined && certificateProblems(f, certificate, now, desired.renewal).length === 0,
      )
      .sort((a, b) => b.notBefore.getTime() - a.notBefore.getTime());
    if (reusable.length > 0) return { kind: "assign", thumbprint: reusable[0].thumbprint, replacing: current };
    // A request the CA still holds for the names wanted now is waited for, as CertificateAssignment does.
    const waiting = first.state.requests.find(
      (r) => isMarkedFor(r.friendlyName, desired, 0) && staleRequest(r, certificate, undefined) === undefined,
    );
    return waiting ? { kind: "awaitCa", friendlyName: waiting.friendlyName } : { kind: "request", replacing: current };
  }
}

/** Which servers hold a certificate in their store. */
export function serversHolding(readings: readonly OAuthReading[], thumbprint: string | undefined): string[] {
  return thumbprint === undefined ? [] : readings.filter((r) => r.facts.has(thumbprint)).map((r) => r.server);
}
