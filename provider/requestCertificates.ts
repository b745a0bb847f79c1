// create/update's first step: ask the CA (or, offline, the server) for what the plan lacks, and
// judge each issued certificate with node-forge before anything is assigned.

import type { CertificateUsage } from "./certificateUsages";
import { friendlyNameFor, type DesiredCertificate, type DesiredState } from "./desiredCertificates";
import { inspectCertificate, type CertificateFacts } from "./inspectCertificate";
import { parseRequestResults, type LiveAssignment, type PendingRequest, type RequestResult } from "./parseServerState";
import { certificateProblems, type Plan } from "./planChanges";
import { requestScript, type CertificateRequest } from "./powershellScripts";
import { renewalTime } from "./renewal";
import { runChecked } from "./scriptError";
import type { RemotePowerShell, ScriptOutput } from "./sshTransport";

/** What the steps of create/update share: the plan, the session, and what they learn on the way. */
export interface Applying {
  readonly desired: DesiredState;
  readonly plan: Plan;
  readonly session: RemotePowerShell;
  /** Names the server in messages. */
  readonly server: string;
  readonly log: (line: string) => void;
  /** Facts of every certificate known so far, by thumbprint: the store's, then what is issued or imported. */
  readonly facts: Map<string, CertificateFacts>;
  /** What the server's usages held when read (a staged roll keeps the certificate in force serving). */
  readonly assignments: readonly LiveAssignment[];
  /** The CSR of each offline request still waiting, by entry index (the `csr` output). */
  readonly csrs: Map<number, string>;
}

export interface Obtained {
  /** The certificate the CA issued, by entry index. */
  readonly thumbprints: ReadonlyMap<number, string>;
  /** The server's clock after issuance, which judges issued certificates (the CA stamps "now"). */
  readonly serverNow: Date;
}

/** Requests what the plan lacks; throws, assigning nothing, when anything asked for did not come. */
export async function requestCertificates(applying: Applying, readAt: Date): Promise<Obtained> {
  const { desired, plan, server } = applying;
  let serverNow = readAt;
  const requests = certificateRequests(desired, plan, readAt);
  // The CA still holds a request of this entry for the names wanted: another would only queue behind it.
  const failures = plan.entries.flatMap((entry) =>
    entry.action?.kind === "awaitCa"
      ? [
          `requesting certificate for ${entry.usages.join(", ")} on ${server}: ${stillPending(entry.action.friendlyName)}`,
        ]
      : [],
  );
  const thumbprints = new Map<number, string>();
  if (requests.length > 0) {
    const script = requestScript(desired.managementModule, requests);
    const output = await runChecked(
      applying.session,
      script,
      "requesting certificates",
      server,
      desired.managementModule,
    );
    const answer = parseRequestResults(output.stdout);
    serverNow = answer.now;
    for (const result of answer.results) {
      const request = requests.find((r) => r.index === result.index)!;
      const outcome = judgeRequest(applying, request, result, { output, pending: answer.pending, serverNow });
      if (outcome.failure) failures.push(outcome.failure);
      if (outcome.thumbprint) thumbprints.set(result.index, outcome.thumbprint);
    }
  }
  if (failures.length > 0) throw new Error(`${failures.join("\n")}\nnothing was assigned on ${server}`);
  return { thumbprints, serverNow };
}

/** The requests for the entries the plan sends to a CA or offline. */
function certificateRequests(desired: DesiredState, plan: Plan, serverNow: Date): CertificateRequest[] {
  return plan.entries.flatMap((entry) => {
    if (entry.action?.kind !== "request" && entry.action?.kind !== "requestOffline") return [];
    const c = desired.certificates[entry.index];
    const request: CertificateRequest = {
      index: entry.index,
      types: c.usages,
      friendlyName: friendlyNameFor(desired, c, serverNow),
      keySize: c.keySize,
      domainNames: c.subjectAlternativeNames,
      template: c.source.kind === "ca" || c.source.kind === "offline" ? c.source.template : undefined,
    };
    if (c.source.kind !== "ca") return [request];
    return [{ ...request, ca: c.source.ca, caAccount: c.source.caAccount, caPassword: c.source.caPassword }];
  });
}

/** One request's outcome: the issued certificate's thumbprint, or why nothing can be assigned. */
function judgeRequest(
  applying: Applying,
  request: CertificateRequest,
  result: RequestResult,
  answer: { readonly output: ScriptOutput; readonly pending: readonly PendingRequest[]; readonly serverNow: Date },
): { readonly thumbprint?: string; readonly failure?: string } {
  const { desired, server, log } = applying;
  const c: DesiredCertificate = desired.certificates[result.index];
  const usages = c.usages.join(", ");
  const doing = `requesting certificate for ${usages} on ${server}${request.ca ? ` from ${request.ca}` : " (offline)"}`;
  const warnings = answer.output.warnings;
  if (result.error) return { failure: `${doing}: ${result.error}` };
  if (!request.ca) {
    if (result.csr) applying.csrs.set(result.index, result.csr);
    log(`${server} ${usages}: offline request created; give the CA the csr output, then set issuedCertificatePem`);
    return {};
  }
  if (result.status === "Waiting") return { failure: `${doing}: ${pendingAdvice(c.usages, answer.pending, warnings)}` };
  if (result.status !== "Issued" || !result.rawData) {
    const said = warnings.trim() ? `; PowerShell warned: ${oneLine(warnings)}` : "";
    return { failure: `${doing}: no certificate was issued and no request is waiting at the CA${said}` };
  }
  const issued = inspectCertificate(result.rawData);
  const problems = certificateProblems(issued, c, answer.serverNow, desired.renewal, { forAssignment: true });
  if (problems.length > 0) {
    return {
      failure: `${doing}: the CA issued ${issued.thumbprint}, which cannot be assigned: ${problems.join("; ")}`,
    };
  }
  applying.facts.set(issued.thumbprint, issued);
  // The renewal note, if any, is said once with the outputs.
  const renewal = renewalTime(issued, desired.renewal);
  if (!renewal.note && renewal.time.getTime() <= answer.serverNow.getTime()) {
    log(
      `${server} ${usages}: the CA issued ${issued.thumbprint} already inside its renewal window (renew after ${renewal.time.toISOString()}); check the template's validity period against the renewal settings`,
    );
  }
  return { thumbprint: issued.thumbprint };
}

/** Why a request is not made again while the CA holds an earlier one, and how to finish that one. */
export function stillPending(friendlyName: string): string {
  return `the CA keeps the request "${friendlyName}" pending; have a CA manager issue it (Request-CsCertificate -List on the server shows its request ID), then run Request-CsCertificate -Retrieve -RequestId <id> on the server and pulumi up again`;
}

/** How to finish a request the CA keeps pending: who must act, with which request ID. */
export function pendingAdvice(
  usages: readonly CertificateUsage[],
  pending: readonly PendingRequest[],
  warnings: string,
): string {
  const wanted = usages.map((u) => u.toLowerCase());
  const ids = pending
    .filter((p) => wanted.some((u) => p.certificateUses.toLowerCase().includes(u)))
    .map((p) => p.requestId)
    .filter((id) => id !== "");
  const id = ids.at(-1) ?? "<id from Request-CsCertificate -List>";
  const said = warnings.trim() ? ` (PowerShell warned: ${oneLine(warnings)})` : "";
  return `the CA keeps the request pending${said}; have a CA manager issue request ${id}, then run Request-CsCertificate -Retrieve -RequestId ${id} on the server and run pulumi up again (the retrieved certificate is found by its friendly name), or use a template that issues automatically`;
}

function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(" ");
}
