// diff: what `pulumi preview` says about a server. Reads the live state in one session and
// returns the reasons in words; the caller prints them (the engine has no detailedDiff for
// dynamic providers, and shows the provider process's output as diagnostics).

import { withEdgeNames } from "./edgeNames";
import { pendingAtCa, planChanges } from "./planChanges";
import { prepareInputs } from "./prepareInputs";
import { containsUnknown, isUnknown, type ProviderInputs } from "./providerInputs";
import { SECRET_ENTRY_FIELDS } from "./secretInputs";
import { readServer } from "./readServer";
import { serverLabel } from "./serverLabel";
import { stagedNotes } from "./rollPlan";
import type { ProviderOutputs } from "./outputs";
import { csrsOf, inputsFromOutputs, recordedHostKeys } from "./outputs";
import type { ServerReader } from "./freshReadings";
import type { TransportOptions } from "./sshTransport";

export interface DiffOutcome {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly reasons: string[];
}

export async function diffAgainstServer(
  olds: ProviderOutputs,
  news: unknown,
  // readServer: how to read the server (the provider passes one that trusts a fresh reading).
  options: TransportOptions & { readonly readServer?: ServerReader } = {},
): Promise<DiffOutcome> {
  const reasons: string[] = [];
  const newInputs = news as ProviderInputs;
  const oldInputs = inputsFromOutputs(olds);
  const host = (newInputs?.connection as { host?: unknown } | undefined)?.host;
  const replaces: string[] = [];
  // Another server is another resource; another name (or address) of the same server is not:
  // replacing would create the "new" resource and then delete the old one, unassigning the
  // server's usages under deletionPolicy "unassign". The FQDN the server reports decides.
  if (
    typeof host === "string" &&
    !isUnknown(host) &&
    typeof olds.connection?.host === "string" &&
    host.toLowerCase() !== olds.connection.host.toLowerCase()
  ) {
    const from = `connection.host changes from ${olds.connection.host} to ${host}`;
    const reached = containsUnknown(newInputs.connection) ? undefined : await reportedServer(newInputs, olds, options);
    if (reached !== undefined && reached.toLowerCase() === String(olds.server).toLowerCase()) {
      reasons.push(`${from}, which reaches the same server (${reached}): updated in place`);
    } else {
      replaces.push("connection");
      reasons.push(
        `${from}, which reaches ${reached ?? "a server not known to be the same"}, not ${olds.server}: the assignment on the new server is a new resource`,
      );
    }
  }
  const label = serverLabel(
    olds.server !== olds.connection?.host ? olds.server : undefined,
    String(olds.connection?.host),
    newInputs?.resourceName ?? olds.resourceName,
  );
  const inputChanges = changedInputs(oldInputs, newInputs);
  for (const path of inputChanges) reasons.push(`${label}: inputs changed: ${path}`);

  if (
    containsUnknown(newInputs?.connection) ||
    containsUnknown(newInputs?.certificates) ||
    containsUnknown(newInputs?.sipDomains) ||
    containsUnknown(newInputs?.certificateSecrets)
  ) {
    reasons.push(
      `${label}: some inputs are not known until apply; the server will be compared with them during update`,
    );
    return { changes: true, replaces, reasons };
  }
  if (replaces.length > 0) return { changes: true, replaces, reasons };

  const { desired, suppliedFacts } = prepareInputs(news);
  const thumbprints = [...suppliedFacts.values()].map((f) => f.thumbprint);
  const { state, server, facts } = await (options.readServer ?? readServer)(newInputs.connection, desired, {
    ...recordedHostKeys(olds, newInputs.connection),
    ...options,
    thumbprints,
  });
  const edge = withEdgeNames(desired, state.edge, server);
  reasons.push(...edge.problems);
  const plan = planChanges(edge.desired, state, { server, facts, supplied: suppliedFacts, csrs: csrsOf(olds) });
  reasons.push(...plan.reasons, ...stagedNotes(server, edge.desired.certificates, state.assignments, state.now));
  for (const entry of plan.entries) {
    if (entry.action?.kind === "awaitCa") {
      reasons.push(`${server} ${entry.usages.join(", ")}: ${pendingAtCa(entry.action.friendlyName)}`);
    }
    if (entry.action?.kind === "awaitIssued") {
      reasons.push(
        `${server} ${entry.usages.join(", ")}: waiting for the CA's answer to the offline request (set issuedCertificatePem)`,
      );
    }
  }
  return { changes: plan.changes || inputChanges.length > 0 || edge.problems.length > 0, replaces, reasons };
}

/** The FQDN the server behind `inputs.connection` reports, if it does. */
async function reportedServer(
  inputs: ProviderInputs,
  olds: ProviderOutputs,
  options: TransportOptions,
): Promise<string | undefined> {
  // Not the recorded host key: another server has another key. If the server is the same, the
  // full read that follows reuses this connection and checks the recorded key on it.
  const module = inputs.managementModule === "SkypeForBusiness" || inputs.managementModule === "Lync";
  const { state } = await readServer(
    inputs.connection,
    {
      managementModule: module ? inputs.managementModule! : olds.managementModule,
      resourceName: inputs.resourceName,
    },
    {
      ...options,
      recordedHostKey: undefined,
      recordedProxyHostKey: recordedHostKeys(olds, inputs.connection).recordedProxyHostKey,
    },
  );
  return state.server;
}

/** Paths of the non-secret inputs that differ, e.g. "certificates[0].subjectAlternativeNames". */
export function changedInputs(olds: unknown, news: unknown, path = ""): string[] {
  if (isSecretPath(path)) return [];
  if (Array.isArray(olds) && Array.isArray(news)) {
    if (path.endsWith("usages") || path.endsWith("subjectAlternativeNames")) {
      // Order does not matter for these lists; case does not matter for names or usages.
      const norm = (l: unknown[]) => JSON.stringify(l.map((x) => String(x).toLowerCase()).sort());
      return norm(olds) === norm(news) ? [] : [path];
    }
    if (olds.length !== news.length) return [path];
    return olds.flatMap((o, i) => changedInputs(o, news[i], `${path}[${i}]`));
  }
  if (isObject(olds) && isObject(news)) {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    keys.delete("__provider");
    return [...keys].flatMap((k) => changedInputs(olds[k], news[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(olds) === JSON.stringify(news) ? [] : [path];
}

function isSecretPath(path: string): boolean {
  // Secrets are not kept in outputs, so they cannot be compared; a changed pfx shows up as a
  // different thumbprint instead. Connection credentials only change how we log in.
  return (
    /^certificates\[\d+\]\.(caPassword|pfx|pfxPassword|privateKeyPem)$/.test(path) ||
    /^connection(\.proxy)*\.(password|privateKey|privateKeyPassword|dialErrorLimit|perDialTimeout)$/.test(path) ||
    path === "certificateSecrets" ||
    SECRET_ENTRY_FIELDS.some((f) => path === f)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
