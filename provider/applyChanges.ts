// create and update: plan from the live state, obtain only what is missing, validate every
// certificate with node-forge, assign, read back, roll back on a failed verification.
//
// Scripts: one to read (none when update has the refresh's reading), one to request when a CA must
// issue something (its answer has to be validated here before it is assigned), one to
// import/assign/verify, and one more only to roll back. They run in one powershell.exe per server
// (sshTransport's session process), which imports the Lync module once.

import type { CertificateUsage } from "./certificateUsages";
import { friendlyNameFor, type DesiredCertificate } from "./desiredCertificates";
import { inspectCertificate } from "./inspectCertificate";
import { buildOutputs, type ProviderOutputs } from "./outputs";
import { parseApplyResult, parseRequestResults, type LiveAssignment, type PendingRequest } from "./parseServerState";
import { assignmentStep, certificateProblems, planChanges, type AssignmentStep, type Plan } from "./planChanges";
import {
  assignScript,
  requestScript,
  restoreScript,
  type CertificateImport,
  type CertificateRequest,
} from "./powershellScripts";
import { planRollback } from "./planRollback";
import { prepareInputs } from "./prepareInputs";
import { renewalTime } from "./renewal";
import { readServer, scriptError } from "./readServer";
import type { TransportOptions } from "./sshTransport";
import type { ServerReader } from "./freshReadings";

export interface ApplyOptions extends TransportOptions {
  /** Where progress and reasons go (the engine shows the provider's stderr as diagnostics). */
  readonly log?: (line: string) => void;
  /**
   * Print the plan's reasons. Off for update, whose diff in the same operation printed them already.
   * @default true
   */
  readonly logReasons?: boolean;
  /** The CSRs of offline requests made in earlier runs, by entry index (from the state). */
  readonly previousCsrs?: ReadonlyMap<number, string>;
  /** How the server is read before planning. @default readServer (live) */
  readonly readServer?: ServerReader;
}

export interface ApplyResult {
  readonly outputs: ProviderOutputs;
  readonly plan: Plan;
}

export async function applyChanges(rawInputs: unknown, options: ApplyOptions = {}): Promise<ApplyResult> {
  const log = options.log ?? (() => undefined);
  const { inputs, desired, supplied, suppliedFacts } = prepareInputs(rawInputs);
  const host = inputs.connection.host;
  const thumbprints = [...suppliedFacts.values()].map((f) => f.thumbprint);
  const { state, session, server, facts } = await (options.readServer ?? readServer)(inputs.connection, desired, {
    ...options,
    thumbprints,
  });
  const plan = planChanges(desired, state, { server, supplied: suppliedFacts, csrs: options.previousCsrs });
  if (options.logReasons !== false) for (const reason of plan.reasons) log(reason);
  // An offline request still waiting for its answer keeps the CSR it was made with.
  const csrs = new Map<number, string>();
  for (const entry of plan.entries) {
    const previous = options.previousCsrs?.get(entry.index);
    if (entry.action?.kind === "awaitIssued" && previous) csrs.set(entry.index, previous);
  }

  const certificateOf = (index: number): DesiredCertificate => desired.certificates[index];

  // ---- 1. requests (online and offline) ----
  const requests: CertificateRequest[] = [];
  for (const entry of plan.entries) {
    const c = certificateOf(entry.index);
    if (entry.action?.kind !== "request" && entry.action?.kind !== "requestOffline") continue;
    const base = {
      index: entry.index,
      types: c.usages,
      friendlyName: friendlyNameFor(desired, c, state.now),
      keySize: c.keySize,
      domainNames: c.subjectAlternativeNames,
      template: c.source.kind === "ca" || c.source.kind === "offline" ? c.source.template : undefined,
    };
    requests.push(
      c.source.kind === "ca"
        ? { ...base, ca: c.source.ca, caAccount: c.source.caAccount, caPassword: c.source.caPassword }
        : base,
    );
  }
  const obtained = new Map<number, string>();
  let serverNow = state.now;
  // The CA still holds a request of this entry for the names wanted: another would only queue behind it.
  const waitingAtCa = plan.entries.flatMap((entry) =>
    entry.action?.kind === "awaitCa"
      ? [
          `requesting certificate for ${entry.usages.join(", ")} on ${server}: the CA keeps the request "${entry.action.friendlyName}" pending; have a CA manager issue it (Request-CsCertificate -List on the server shows its request ID), then run Request-CsCertificate -Retrieve -RequestId <id> on the server and pulumi up again`,
        ]
      : [],
  );
  if (waitingAtCa.length > 0 && requests.length === 0) {
    throw new Error(`${waitingAtCa.join("\n")}\nnothing was assigned on ${server}`);
  }
  if (requests.length > 0) {
    const output = await session.run(requestScript(desired.managementModule, requests), {
      what: "requesting certificates",
    });
    if (output.exitCode !== 0)
      throw scriptError(`requesting certificates on ${server}`, output, desired.managementModule);
    const failures: string[] = [...waitingAtCa];
    const answer = parseRequestResults(output.stdout);
    // Judge issued certificates by the server's clock after issuance (the CA stamps "now").
    serverNow = answer.now;
    for (const result of answer.results) {
      const c = certificateOf(result.index);
      const request = requests.find((r) => r.index === result.index)!;
      const from = request.ca ? ` from ${request.ca}` : " (offline)";
      const doing = `requesting certificate for ${c.usages.join(", ")} on ${server}${from}`;
      if (result.error) {
        failures.push(`${doing}: ${result.error}`);
      } else if (!request.ca) {
        if (result.csr) csrs.set(result.index, result.csr);
        log(
          `${server} ${c.usages.join(", ")}: offline request created; give the CA the csr output, then set issuedCertificatePem`,
        );
      } else if (result.status === "Issued" && result.rawData) {
        const issued = inspectCertificate(result.rawData);
        const problems = certificateProblems(issued, c, serverNow, desired.renewal, { forAssignment: true });
        if (problems.length > 0) {
          failures.push(
            `${doing}: the CA issued ${issued.thumbprint}, which cannot be assigned: ${problems.join("; ")}`,
          );
          continue;
        }
        facts.set(issued.thumbprint, issued);
        obtained.set(result.index, issued.thumbprint);
        // The renewal note, if any, is said once with the outputs below.
        const renewal = renewalTime(issued, desired.renewal);
        if (!renewal.note && renewal.time.getTime() <= serverNow.getTime()) {
          log(
            `${server} ${c.usages.join(", ")}: the CA issued ${issued.thumbprint} already inside its renewal window (renew after ${renewal.time.toISOString()}); check the template's validity period against the renewal settings`,
          );
        }
      } else if (result.status === "Waiting") {
        failures.push(`${doing}: ${pendingAdvice(c.usages, answer.pending, output.warnings)}`);
      } else {
        const said = output.warnings.trim() ? `; PowerShell warned: ${oneLine(output.warnings)}` : "";
        failures.push(`${doing}: no certificate was issued and no request is waiting at the CA${said}`);
      }
    }
    if (failures.length > 0) {
      throw new Error(`${failures.join("\n")}\nnothing was assigned on ${server}`);
    }
  }

  // ---- 2. imports and assignments ----
  const imports: CertificateImport[] = [];
  const steps: AssignmentStep[] = [];
  for (const entry of plan.entries) {
    const action = entry.action;
    if (!action) continue;
    let thumbprint: string | undefined;
    if (action.kind === "assign") thumbprint = action.thumbprint;
    else if (action.kind === "request") thumbprint = obtained.get(entry.index);
    else if (action.kind === "import") {
      const file = supplied.get(entry.index)!;
      imports.push(file.file);
      facts.set(file.facts.thumbprint, file.facts);
      thumbprint = action.thumbprint;
    }
    if (!thumbprint) continue;
    const certificate = facts.get(thumbprint);
    if (certificate) {
      const problems = certificateProblems(certificate, certificateOf(entry.index), serverNow, desired.renewal, {
        forAssignment: true,
      });
      if (problems.length > 0) {
        throw new Error(
          `assigning ${thumbprint} to ${entry.usages.join(", ")} on ${server}: ${problems.join("; ")}; nothing was assigned`,
        );
      }
    }
    const step = assignmentStep(entry, thumbprint);
    if (step) steps.push(step);
  }

  let assignments: readonly LiveAssignment[] = state.assignments;
  if (imports.length > 0 || steps.length > 0) {
    for (const step of steps) log(`${server} ${step.types.join(", ")}: assigning ${step.thumbprint}`);
    const output = await session.run(assignScript(desired.managementModule, imports, steps), {
      what: "assigning certificates",
    });
    if (output.exitCode !== 0)
      throw scriptError(`assigning certificates on ${server}`, output, desired.managementModule);
    const result = parseApplyResult(output.stdout);
    assignments = result.assignments;
    const mismatches = verify(steps, assignments);
    if (result.failure || mismatches.length > 0) {
      const problem = [
        result.failure ? `Set-CsCertificate failed: ${result.failure}` : undefined,
        mismatches.length > 0 ? `verification failed: ${mismatches.join("; ")}` : undefined,
      ]
        .filter(Boolean)
        .join("; ");
      const rollback = await rollBack(steps, plan, assignments);
      throw new Error(`assigning certificates on ${server}: ${problem}; ${rollback}`);
    }
  }

  const outputs = buildOutputs(inputs, desired, {
    assignments,
    facts,
    csrs,
    hostKey: session.hostKey,
    proxyHostKey: session.proxyHostKey,
    server: state.server ?? host,
  });
  for (const certificate of outputs.certificates) {
    if (certificate.renewalNote) log(`${server} ${certificate.usages.join(", ")}: ${certificate.renewalNote}`);
  }
  return { outputs, plan };

  async function rollBack(
    attempted: readonly AssignmentStep[],
    before: Plan,
    now: readonly LiveAssignment[],
  ): Promise<string> {
    const { restores, left } = planRollback(attempted, before, now, facts, serverNow);
    const notRestored = left.length > 0 ? `; not rolled back: ${left.join("; ")}` : "";
    if (restores.length === 0) return `nothing was rolled back${notRestored}; check Get-CsCertificate on the server`;
    const output = await session.run(restoreScript(desired.managementModule, restores), { what: "rolling back" });
    if (output.exitCode !== 0) {
      return `rolling back failed too (${scriptError("rolling back", output).message})${notRestored}; check Get-CsCertificate on the server`;
    }
    const result = parseApplyResult(output.stdout);
    const after = new Map(result.assignments.map((a) => [a.use, a.thumbprint]));
    const stuck = restores.filter((r) => after.get(r.type) !== r.thumbprint);
    const list = restores.map((r) => `${r.type} to ${r.thumbprint}`).join(", ");
    if (stuck.length > 0 || result.errors.length > 0) {
      return `rolled back ${list}, but ${[...result.errors, ...stuck.map((s) => `${s.type} holds ${after.get(s.type) ?? "nothing"}`)].join("; ")}${notRestored}; check Get-CsCertificate on the server`;
    }
    return `rolled back ${list}${notRestored}`;
  }
}

/** How to finish a request the CA keeps pending: who must act, with which request ID. */
function pendingAdvice(
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

/** Read-back check: each step's usages hold the step's thumbprint. */
export function verify(steps: readonly AssignmentStep[], assignments: readonly LiveAssignment[]): string[] {
  const live = new Map(assignments.map((a) => [a.use, a.thumbprint]));
  return steps.flatMap((step) =>
    step.types
      .filter((type) => live.get(type) !== step.thumbprint)
      .map((type) => `${type} holds ${live.get(type) ?? "nothing"}, expected ${step.thumbprint}`),
  );
}
