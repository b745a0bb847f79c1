// The OAuthTokenIssuer resource's work: read every server (one session each, in parallel), plan,
// obtain and assign through the first server, and describe what the deployment holds.

import { friendlyNameFor } from "./desiredCertificates";
import { inspectCertificate } from "./inspectCertificate";
import { OAUTH_OUTPUT_NAMES, prepareOAuthInputs, type OAuthInputs, type PreparedOAuth } from "./oauthInputs";
import { parseApplyResult, parseRequestResults } from "./parseServerState";
import { certificateProblems } from "./planChanges";
import { pendingAdvice, stillPending } from "./requestCertificates";
import {
  OAUTH,
  oauthAssignment,
  planOAuthTokenIssuer,
  serversHolding,
  type OAuthAction,
  type OAuthPlan,
  type OAuthReading,
} from "./planOAuthTokenIssuer";
import { assignScript, requestScript, restoreScript } from "./powershellScripts";
import { readServer, type ServerReading } from "./readServer";
import { runChecked } from "./scriptError";
import { renewalTime } from "./renewal";
import { isStaged, scheduleSwitch, thumbprintInForce } from "./rollPlan";
import type { RemoteScript } from "./remoteInvocation";
import type { ScriptOutput } from "./sshTransport";

/** The inputs, plus what the deployment holds (see OAuthTokenIssuerOutputs). */
export interface OAuthOutputs extends OAuthInputs {
  thumbprint?: string;
  notAfter?: string;
  renewalTime?: string;
  stagedThumbprint?: string;
  effectiveDate?: string;
  previousThumbprint?: string;
  serverNames: string[];
  serversWithCertificate: string[];
  serversWithStagedCertificate?: string[];
  hostKeys: string[];
}

export interface OAuthOptions {
  readonly log?: (line: string) => void;
  /** The host keys recorded at create, by position in servers. */
  readonly hostKeys?: readonly string[];
}

/** create and update: make the deployment hold the declared certificate, staged when one is in force. */
export async function applyOAuthTokenIssuer(raw: unknown, options: OAuthOptions = {}): Promise<OAuthOutputs> {
  const log = options.log ?? (() => undefined);
  const prepared = prepareOAuthInputs(raw);
  const readings = await readAll(prepared, options.hostKeys);
  const plan = planOAuthTokenIssuer(prepared.desired, readings, prepared.supplied?.facts);
  for (const line of [...plan.reasons, ...plan.notes]) log(line);
  if (!plan.action) return describe(prepared.inputs, readings);
  await carryOut(plan.action, prepared, readings[0], log);
  return describe(prepared.inputs, await readAll(prepared, options.hostKeys));
}

/** diff: what preview says; a change only when the first server must do something. */
export async function diffOAuthTokenIssuer(
  olds: OAuthOutputs,
  news: unknown,
): Promise<{ changes: boolean; plan: OAuthPlan }> {
  const prepared = prepareOAuthInputs(news);
  const readings = await readAll(prepared, olds.hostKeys);
  const plan = planOAuthTokenIssuer(prepared.desired, readings, prepared.supplied?.facts);
  const changed = changedInputs(olds, prepared.inputs);
  const reasons = [...changed.map((name) => `${OAUTH}: inputs changed: ${name}`), ...plan.reasons];
  return { changes: plan.action !== undefined || changed.length > 0, plan: { ...plan, reasons } };
}

/** read (refresh): what the deployment holds now, the inputs unchanged. */
export async function refreshOAuthTokenIssuer(props: OAuthOutputs): Promise<OAuthOutputs> {
  const prepared = prepareOAuthInputs(inputsOf(props));
  return describe(prepared.inputs, await readAll(prepared, props.hostKeys));
}

/** The inputs kept in the outputs: outputs minus what describe() computed. */
export function inputsOf(outputs: OAuthOutputs): OAuthInputs {
  const inputs: Record<string, unknown> = { ...outputs };
  for (const computed of OAUTH_OUTPUT_NAMES) delete inputs[computed];
  return inputs as unknown as OAuthInputs;
}

async function readAll(
  prepared: PreparedOAuth,
  hostKeys: readonly string[] = [],
): Promise<(OAuthReading & ServerReading)[]> {
  const thumbprints = prepared.supplied ? [prepared.supplied.facts.thumbprint] : [];
  return Promise.all(
    prepared.inputs.servers.map((connection, i) =>
      readServer(connection, prepared.desired, { recordedHostKey: hostKeys[i], thumbprints }).catch((error: Error) => {
        throw new Error(`reading the ${OAUTH} certificate on ${connection.host}: ${error.message}`, { cause: error });
      }),
    ),
  );
}

async function carryOut(
  action: OAuthAction,
  prepared: PreparedOAuth,
  first: ServerReading,
  log: (line: string) => void,
): Promise<void> {
  const { desired } = prepared;
  const module = desired.managementModule;
  const run = (script: RemoteScript, doing: string): Promise<ScriptOutput> =>
    runChecked(first.session, script, doing, first.server, module);
  if (action.kind === "awaitCa") {
    throw new Error(`requesting the ${OAUTH} certificate on ${first.server}: ${stillPending(action.friendlyName)}`);
  }
  if (action.kind === "removePrevious") {
    log(`${OAUTH}: removing the previous certificate ${action.thumbprint}`);
    const result = parseApplyResult(
      (
        await run(
          restoreScript(module, [{ type: OAUTH, previous: true }]),
          "removing the previous OAuthTokenIssuer certificate",
        )
      ).stdout,
    );
    if (result.errors.length > 0)
      throw new Error(`removing the previous ${OAUTH} certificate on ${first.server}: ${result.errors.join("; ")}`);
    return;
  }
  let thumbprint = action.kind === "request" ? undefined : action.thumbprint;
  let now = first.state.now;
  if (action.kind === "request") ({ thumbprint, now } = await request(prepared, first, run));
  const switchAt = scheduleSwitch(now, desired.certificates[0].roll, action.replacing);
  const effectiveDate = switchAt.kind === "roll" ? switchAt.effectiveDate : undefined;
  log(
    `${OAUTH}: assigning ${thumbprint} at the global scope${effectiveDate ? `, staged to become current at ${effectiveDate.toISOString()}` : ""}`,
  );
  const script =
    action.kind === "import"
      ? assignScript(module, [{ ...prepared.supplied!.file, global: { types: [OAUTH], effectiveDate } }], [])
      : assignScript(module, [], [{ types: [OAUTH], thumbprint: thumbprint!, global: true, effectiveDate }]);
  const result = parseApplyResult((await run(script, "assigning the OAuthTokenIssuer certificate")).stdout);
  const held = result.assignments.find((a) => a.use === OAUTH)?.thumbprint;
  if (result.failure || held !== thumbprint) {
    const said = result.failure ? `Lync said: ${result.failure}` : `${OAUTH} holds ${held ?? "nothing"}`;
    throw new Error(`assigning ${thumbprint} to ${OAUTH} at the global scope through ${first.server}: ${said}`);
  }
}

async function request(
  prepared: PreparedOAuth,
  first: ServerReading,
  run: (script: Parameters<ServerReading["session"]["run"]>[0], doing: string) => Promise<ScriptOutput>,
): Promise<{ thumbprint: string; now: Date }> {
  const { desired } = prepared;
  const certificate = desired.certificates[0];
  const source = certificate.source.kind === "ca" ? certificate.source : undefined;
  const doing = `requesting the ${OAUTH} certificate on ${first.server} from ${source?.ca}`;
  const output = await run(
    requestScript(desired.managementModule, [
      {
        index: 0,
        types: [OAUTH],
        friendlyName: friendlyNameFor(desired, certificate, first.state.now),
        keySize: certificate.keySize,
        domainNames: certificate.subjectAlternativeNames,
        template: source?.template,
        ca: source?.ca,
        caAccount: source?.caAccount,
        caPassword: source?.caPassword,
        privateKeyExportable: true,
      },
    ]),
    "requesting the OAuthTokenIssuer certificate",
  );
  const answer = parseRequestResults(output.stdout);
  const [result] = answer.results;
  if (result?.error) throw new Error(`${doing}: ${result.error}`);
  if (result?.status === "Waiting")
    throw new Error(`${doing}: ${pendingAdvice([OAUTH], answer.pending, output.warnings)}`);
  if (result?.status !== "Issued" || !result.rawData) {
    throw new Error(
      `${doing}: no certificate was issued (${result?.status ?? "no answer"}); check the request with Request-CsCertificate -List on the server`,
    );
  }
  const issued = inspectCertificate(result.rawData);
  const problems = certificateProblems(issued, certificate, answer.now, desired.renewal, { forAssignment: true });
  if (problems.length > 0)
    throw new Error(`${doing}: the CA issued ${issued.thumbprint}, which cannot be assigned: ${problems.join("; ")}`);
  return { thumbprint: issued.thumbprint, now: answer.now };
}

function describe(inputs: OAuthInputs, readings: readonly (OAuthReading & ServerReading)[]): OAuthOutputs {
  const [first] = readings;
  const row = oauthAssignment(first.state);
  const now = first.state.now;
  const inForce = row ? thumbprintInForce(row, now) : undefined;
  const facts = inForce === undefined ? undefined : first.facts.get(inForce);
  const staged = row && isStaged(row, now) ? row : undefined;
  const outputs: OAuthOutputs = {
    ...inputs,
    serverNames: readings.map((r) => r.server),
    serversWithCertificate: serversHolding(readings, inForce),
    hostKeys: readings.map((r) => r.session.hostKey),
  };
  if (inForce) outputs.thumbprint = inForce;
  if (facts) {
    outputs.notAfter = facts.notAfter.toISOString();
    outputs.renewalTime = renewalTime(facts, prepareOAuthInputs(inputs).desired.renewal).time.toISOString();
  }
  if (staged) {
    outputs.stagedThumbprint = staged.thumbprint;
    outputs.effectiveDate = staged.effectiveDate!.toISOString();
    outputs.serversWithStagedCertificate = serversHolding(readings, staged.thumbprint);
  }
  if (row?.previousThumbprint && !staged) outputs.previousThumbprint = row.previousThumbprint;
  return outputs;
}

/** The names of the non-secret inputs that differ from those recorded. */
function changedInputs(olds: OAuthOutputs, news: OAuthInputs): string[] {
  const before = inputsOf(olds) as unknown as Record<string, unknown>;
  const after = news as unknown as Record<string, unknown>;
  // Secrets cannot be compared (a changed pfx shows as another thumbprint); of the servers, where they are.
  const secret = new Set(["servers", "caPassword", "pfx", "pfxPassword", "privateKeyPem", "__provider"]);
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => !secret.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  const places = (servers: unknown) =>
    JSON.stringify((Array.isArray(servers) ? servers : []).map((s) => `${s?.host}:${s?.port ?? 22}`));
  return places(before.servers) === places(after.servers) ? changed : ["servers", ...changed];
}
