// create and update: plan from the live state (or, for update, the refresh's reading), request what is
// missing, then import, assign and read back in one script, rolling back the usages whose assignment did
// not hold. The scripts run in one powershell.exe per server (sshTransport's session process), which
// imports the management module once.

import { buildOutputs, type ProviderOutputs } from "./outputs";
import { parseApplyResult, type LiveAssignment } from "./parseServerState";
import { assignmentStep, certificateProblems, planChanges, type AssignmentStep, type Plan } from "./planChanges";
import { assignScript, restoreScript, type CertificateImport } from "./powershellScripts";
import { planRollback } from "./planRollback";
import { prepareInputs } from "./prepareInputs";
import { withEdgeNames } from "./edgeNames";
import { readServer } from "./readServer";
import { certificateInForce, scheduleSwitch, stagedSteps } from "./rollPlan";
import { requestCertificates, type Applying, type Obtained } from "./requestCertificates";
import { runChecked, scriptError } from "./scriptError";
import type { TransportOptions } from "./sshTransport";
import type { SuppliedCertificate } from "./suppliedCertificate";
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
  const prepared = prepareInputs(rawInputs);
  const { inputs, supplied, suppliedFacts } = prepared;
  const thumbprints = [...suppliedFacts.values()].map((f) => f.thumbprint);
  const read = options.readServer ?? readServer;
  const reading = await read(inputs.connection, prepared.desired, { ...options, thumbprints });
  const { state, session, server } = reading;
  const { desired, problems } = withEdgeNames(prepared.desired, state.edge, server);
  if (problems.length > 0) throw new Error(problems.join("; "));
  const csrs = options.previousCsrs;
  const plan = planChanges(desired, state, { server, facts: reading.facts, supplied: suppliedFacts, csrs });
  if (options.logReasons !== false) for (const reason of plan.reasons) log(reason);
  const applying: Applying = {
    desired,
    plan,
    session,
    server,
    log,
    // A copy: what is issued or imported joins it, and a kept reading must stay as it was read.
    facts: new Map(reading.facts),
    assignments: state.assignments,
    csrs: waitingCsrs(plan, csrs),
  };
  const obtained = await requestCertificates(applying, state.now);
  const assignments = (await assignAndVerify(applying, obtained, supplied)) ?? state.assignments;
  const outputs = buildOutputs(inputs, desired, {
    assignments,
    facts: applying.facts,
    csrs: applying.csrs,
    hostKey: session.hostKey,
    proxyHostKey: session.proxyHostKey,
    server: state.server ?? inputs.connection.host,
    now: obtained.serverNow,
  });
  for (const certificate of outputs.certificates) {
    if (certificate.renewalNote) log(`${server} ${certificate.usages.join(", ")}: ${certificate.renewalNote}`);
  }
  return { outputs, plan };
}

/** The CSRs of offline requests still waiting for their answer: kept from the state. */
function waitingCsrs(plan: Plan, previous: ReadonlyMap<number, string> | undefined): Map<number, string> {
  const csrs = new Map<number, string>();
  for (const entry of plan.entries) {
    const csr = previous?.get(entry.index);
    if (entry.action?.kind === "awaitIssued" && csr) csrs.set(entry.index, csr);
  }
  return csrs;
}

/**
 * Imports and assigns what the plan and the requests call for, then checks the read-back; rolls
 * back and throws when an assignment did not hold. Returns what the server holds after, or
 * undefined when there was nothing to do.
 */
async function assignAndVerify(
  applying: Applying,
  obtained: Obtained,
  supplied: ReadonlyMap<number, SuppliedCertificate>,
): Promise<readonly LiveAssignment[] | undefined> {
  const { desired, server, log } = applying;
  const { imports, steps } = assignmentWork(applying, obtained, supplied);
  if (imports.length === 0 && steps.length === 0) return undefined;
  for (const step of steps) {
    const staged = step.effectiveDate ? `, staged to become current at ${step.effectiveDate.toISOString()}` : "";
    log(`${server} ${step.types.join(", ")}: assigning ${step.thumbprint}${staged}`);
  }
  const script = assignScript(desired.managementModule, imports, steps);
  const output = await runChecked(applying.session, script, "assigning certificates", server, desired.managementModule);
  const result = parseApplyResult(output.stdout);
  const mismatches = verify(steps, result.assignments);
  if (result.failure || mismatches.length > 0) {
    const problem = [
      result.failure ? `Set-CsCertificate failed: ${result.failure}` : undefined,
      mismatches.length > 0 ? `verification failed: ${mismatches.join("; ")}` : undefined,
    ]
      .filter(Boolean)
      .join("; ");
    const rollback = await rollBack(applying, steps, result.assignments, obtained.serverNow);
    throw new Error(`assigning certificates on ${server}: ${problem}; ${rollback}`);
  }
  return result.assignments;
}

/** The imports and Set-CsCertificate steps, each certificate judged again by the server's clock. */
function assignmentWork(
  applying: Applying,
  obtained: Obtained,
  supplied: ReadonlyMap<number, SuppliedCertificate>,
): { imports: CertificateImport[]; steps: AssignmentStep[] } {
  const { desired, server, facts } = applying;
  const imports: CertificateImport[] = [];
  const steps: AssignmentStep[] = [];
  for (const entry of applying.plan.entries) {
    const action = entry.action;
    let thumbprint: string | undefined;
    if (action?.kind === "assign") thumbprint = action.thumbprint;
    else if (action?.kind === "request") thumbprint = obtained.thumbprints.get(entry.index);
    else if (action?.kind === "import") {
      const file = supplied.get(entry.index)!;
      imports.push(file.file);
      facts.set(file.facts.thumbprint, file.facts);
      thumbprint = action.thumbprint;
    }
    if (!thumbprint) continue;
    const certificate = facts.get(thumbprint);
    const c = desired.certificates[entry.index];
    const problems = certificate
      ? certificateProblems(certificate, c, obtained.serverNow, desired.renewal, { forAssignment: true })
      : [];
    if (problems.length > 0) {
      throw new Error(
        `assigning ${thumbprint} to ${entry.usages.join(", ")} on ${server}: ${problems.join("; ")}; nothing was assigned`,
      );
    }
    const step = assignmentStep(entry, thumbprint);
    const now = obtained.serverNow;
    const inForce = certificateInForce(applying.assignments, c.roll, (t) => facts.get(t)?.notAfter, now);
    if (step) steps.push(...stagedSteps(step, c.roll, scheduleSwitch(now, c.roll, inForce)));
  }
  return { imports, steps };
}

/** Puts back what planRollback allows; says in words what was rolled back and what was not. */
async function rollBack(
  applying: Applying,
  attempted: readonly AssignmentStep[],
  now: readonly LiveAssignment[],
  serverNow: Date,
): Promise<string> {
  const { restores, left } = planRollback(attempted, applying.plan, now, applying.facts, serverNow);
  const notRestored = left.length > 0 ? `; not rolled back: ${left.join("; ")}` : "";
  const check = "; check Get-CsCertificate on the server";
  if (restores.length === 0) return `nothing was rolled back${notRestored}${check}`;
  const script = restoreScript(applying.desired.managementModule, restores);
  const output = await applying.session.run(script, { what: "rolling back" });
  if (output.exitCode !== 0) {
    return `rolling back failed too (${scriptError("rolling back", output).message})${notRestored}${check}`;
  }
  const result = parseApplyResult(output.stdout);
  const after = new Map(result.assignments.map((a) => [a.use, a.thumbprint]));
  const stuck = restores.filter((r) => after.get(r.type) !== r.thumbprint);
  const list = restores.map((r) => `${r.type} to ${r.thumbprint}`).join(", ");
  if (stuck.length > 0 || result.errors.length > 0) {
    const problems = [...result.errors, ...stuck.map((s) => `${s.type} holds ${after.get(s.type) ?? "nothing"}`)];
    return `rolled back ${list}, but ${problems.join("; ")}${notRestored}${check}`;
  }
  return `rolled back ${list}${notRestored}`;
}

/** Read-back check: each step's usages hold the step's thumbprint. */
function verify(steps: readonly AssignmentStep[], assignments: readonly LiveAssignment[]): string[] {
  const live = new Map(assignments.map((a) => [a.use, a.thumbprint]));
  return steps.flatMap((step) =>
    step.types
      .filter((type) => live.get(type) !== step.thumbprint)
      .map((type) => `${type} holds ${live.get(type) ?? "nothing"}, expected ${step.thumbprint}`),
  );
}
