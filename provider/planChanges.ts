// Desired vs live, pure: what is wrong with each entry, in words, and what to do. A step is one entry
// and one thumbprint, so no multi-type Set-CsCertificate ever spans different certificates (Lync's rule).

import forge from "node-forge";
import { EDGE_USAGES, type CertificateUsage } from "./certificateUsages";
import {
  isMarkedFor,
  parseFriendlyNameMarker,
  type DesiredCertificate,
  type DesiredState,
} from "./desiredCertificates";
import { inspectCertificate, type CertificateFacts } from "./inspectCertificate";
import type { LiveAssignment, ServerState, StoreEntry } from "./parseServerState";
import { formatDay, renewalTime, type RenewalPolicy } from "./renewal";

export type EntryAction =
  /** A certificate already in the store satisfies the entry: assign it where it is missing. */
  | { readonly kind: "assign"; readonly thumbprint: string }
  /** Online request to the entry's CA, then assign. */
  | { readonly kind: "request" }
  /** Import the supplied certificate (PFX, PEM, or an offline request's answer), then assign. */
  | { readonly kind: "import"; readonly thumbprint: string }
  /** Offline: create the request; its CSR becomes the `csr` output. */
  | { readonly kind: "requestOffline" }
  /** Offline: the request exists; waiting for `issuedCertificatePem`. */
  | { readonly kind: "awaitIssued" }
  /** Online: the CA keeps this entry's request pending; asking again would only add another. */
  | { readonly kind: "awaitCa"; readonly friendlyName: string };

export interface EntryPlan {
  readonly index: number;
  readonly usages: readonly CertificateUsage[];
  /** What is wrong, in words: "fe01.contoso.com WebServicesInternal: certificate lacks …". Empty when in order. */
  readonly reasons: readonly string[];
  /** Undefined when the entry is in order. */
  readonly action?: EntryAction;
  /** The thumbprint each usage holds now. */
  readonly current: Readonly<Partial<Record<CertificateUsage, string>>>;
}

export interface Plan {
  readonly server: string;
  readonly entries: readonly EntryPlan[];
  /** Every reason of every entry. */
  readonly reasons: readonly string[];
  /** True when something must change on the server (awaiting an offline answer is not a change). */
  readonly changes: boolean;
}

export interface AssignmentStep {
  readonly index: number;
  readonly types: readonly CertificateUsage[];
  readonly thumbprint: string;
  /** Staged with -Roll: the certificate takes over at this time (rollPlan.ts). */
  readonly effectiveDate?: Date;
}

export interface PlanContext {
  /** Name used in messages: the FQDN the server reported, else the connection's host. */
  readonly server: string;
  /** What readServer read in each store entry, by thumbprint (unreadable entries left out). */
  readonly facts: ReadonlyMap<string, CertificateFacts>;
  /** Facts of the certificates the user supplied (pfx, PEM, offline answer), by entry index. */
  readonly supplied: ReadonlyMap<number, CertificateFacts>;
  /** The CSRs of offline requests made in earlier runs, by entry index (from the state). */
  readonly csrs?: ReadonlyMap<number, string>;
}

/** Whether a certificate's names cover `name`: exactly, or through a one-label wildcard. */
function namesCover(dnsNames: readonly string[], name: string): boolean {
  const wanted = name.toLowerCase();
  return dnsNames.some((raw) => {
    const have = raw.toLowerCase();
    if (have === wanted) return true;
    if (!have.startsWith("*.") || wanted.startsWith("*.")) return false;
    const dot = wanted.indexOf(".");
    return dot > 0 && wanted.slice(dot + 1) === have.slice(2);
  });
}

/**
 * What keeps `facts` from serving `desired` at `now`, as short phrases ("certificate lacks …").
 * With `forAssignment`, renewal is not checked: a certificate just issued by a CA that caps
 * lifetimes is still better than none (renewalTime's guard covers that case).
 */
export function certificateProblems(
  facts: CertificateFacts,
  desired: DesiredCertificate,
  now: Date,
  renewal: RenewalPolicy,
  options: { forAssignment?: boolean } = {},
): string[] {
  const problems: string[] = [];
  if (now.getTime() >= facts.notAfter.getTime())
    problems.push(`certificate ${facts.thumbprint} expired on ${formatDay(facts.notAfter)}`);
  else if (now.getTime() < facts.notBefore.getTime()) {
    problems.push(`certificate ${facts.thumbprint} is not valid before ${facts.notBefore.toISOString()}`);
  }
  // Edge Server certificates need every name explicitly: a wildcard covers none of them.
  const edge = desired.usages.some((u) => EDGE_USAGES.includes(u));
  const missing = desired.subjectAlternativeNames.filter((name) =>
    edge ? !facts.dnsNames.some((n) => n.toLowerCase() === name) : !namesCover(facts.dnsNames, name),
  );
  if (missing.length > 0) {
    const named = missing.map((name) =>
      desired.nameReasons?.[name] ? `${name} (${desired.nameReasons[name]})` : name,
    );
    problems.push(`certificate lacks ${named.join(", ")}`);
  }
  // Request-CsCertificate computes the subject itself (the pool FQDN), so `subject` asks for a name
  // the certificate carries as its subject or, failing that, as an alternative name.
  if (
    desired.subject &&
    facts.subjectCommonName?.toLowerCase() !== desired.subject &&
    !namesCover(facts.dnsNames, desired.subject)
  ) {
    problems.push(
      `certificate carries ${desired.subject} neither as subject (${facts.subject || "empty"}) nor as an alternative name`,
    );
  }
  if (!facts.serverAuth) problems.push("certificate lacks the Server Authentication EKU (1.3.6.1.5.5.7.3.1)");
  if (facts.keyAlgorithm === "RSASSA-PSS" || facts.signatureAlgorithm === "RSASSA-PSS") {
    problems.push("certificate uses RSASSA-PSS, which Lync does not support; issue it with PKCS#1 v1.5 signatures");
  } else if (facts.keyAlgorithm !== "RSA") {
    problems.push(`certificate has a ${facts.keyAlgorithm} key; the provider assigns RSA certificates only`);
  } else if ((facts.keySize ?? 0) < desired.keySize) {
    problems.push(`certificate key is ${facts.keySize} bits, expected at least ${desired.keySize}`);
  }
  if (!options.forAssignment && problems.length === 0) {
    const due = renewalTime(facts, renewal);
    if (now.getTime() >= due.time.getTime()) {
      problems.push(`renewal due (expires ${formatDay(facts.notAfter)}, renew after ${formatDay(due.time)})`);
    }
  }
  return problems;
}

// The request script's run: how long after its friendly-name stamp a certificate may have come.
const ISSUANCE_SLACK_MS = 60 * 60 * 1000;

/** Whether a certificate this provider requested was already due for renewal when it was issued. */
function issuedInsideWindow(friendlyName: string, facts: CertificateFacts, renewal: RenewalPolicy): boolean {
  const requestedAt = parseFriendlyNameMarker(friendlyName)?.requestedAt;
  if (!requestedAt) return false;
  return renewalTime(facts, renewal).time.getTime() <= requestedAt.getTime() + ISSUANCE_SLACK_MS;
}

/** What planning an entry consults: the inputs, the live state and lookups built from it once. */
interface PlanningContext extends PlanContext {
  readonly desired: DesiredState;
  readonly state: ServerState;
  readonly store: ReadonlyMap<string, StoreEntry>;
  readonly byUse: ReadonlyMap<CertificateUsage, LiveAssignment>;
  /** Which entry declares each usage. */
  readonly entryOfUsage: ReadonlyMap<CertificateUsage, number>;
}

export function planChanges(desired: DesiredState, state: ServerState, context: PlanContext): Plan {
  const entryOfUsage = new Map<CertificateUsage, number>();
  for (const c of desired.certificates) for (const u of c.usages) entryOfUsage.set(u, c.index);
  const store = new Map(state.store.map((entry) => [entry.thumbprint, entry]));
  const byUse = new Map(state.assignments.map((a) => [a.use, a]));
  const planning: PlanningContext = { ...context, desired, state, store, byUse, entryOfUsage };
  const entries = desired.certificates.map((certificate) => planEntry(certificate, planning));
  return {
    server: context.server,
    entries,
    reasons: entries.flatMap((e) => e.reasons),
    changes: entries.some((e) => e.action !== undefined && e.action.kind !== "awaitIssued"),
  };
}

function planEntry(certificate: DesiredCertificate, planning: PlanningContext): EntryPlan {
  const { index, usages } = certificate;
  const current: Partial<Record<CertificateUsage, string>> = {};
  for (const usage of usages) {
    const thumbprint = planning.byUse.get(usage)?.thumbprint;
    if (thumbprint) current[usage] = thumbprint;
  }
  const reasons = entryReasons(certificate, current, planning);
  if (reasons.length === 0) return { index, usages, reasons, current };
  const action = chooseAction(certificate, current, planning, reasons);
  return { index, usages, reasons, current, action };
}

/** What is wrong with an entry's usages, in words naming the server and usages. */
function entryReasons(
  certificate: DesiredCertificate,
  current: Partial<Record<CertificateUsage, string>>,
  planning: PlanningContext,
): string[] {
  // A combined certificate's problem is the same for each usage it serves: said once per
  // certificate and cause, naming the usages, instead of once per usage.
  const found = new Map<string, { usages: CertificateUsage[]; problem: string }>();
  for (const usage of certificate.usages) {
    for (const problem of usageProblems(usage, certificate, planning)) {
      const key = `${current[usage] ?? ""}\n${problem}`;
      const group = found.get(key);
      if (group) group.usages.push(usage);
      else found.set(key, { usages: [usage], problem });
    }
  }
  const server = planning.server;
  const reasons = [...found.values()].map(({ usages, problem }) => `${server} ${usages.join(", ")}: ${problem}`);
  if (certificate.usages.length > 1 && new Set(Object.values(current)).size > 1) {
    const held = certificate.usages.map((u) => `${u}: ${current[u] ?? "none"}`).join(", ");
    reasons.push(
      `${server} ${certificate.usages.join(", ")}: declared as one combined certificate but hold different certificates (${held})`,
    );
  }
  return reasons;
}

/** What keeps one usage's live assignment from serving the entry, as short phrases. */
function usageProblems(usage: CertificateUsage, certificate: DesiredCertificate, planning: PlanningContext): string[] {
  const { desired, state, store, entryOfUsage } = planning;
  const assignment = planning.byUse.get(usage);
  if (!assignment) return ["no certificate assigned"];
  const thumbprint = assignment.thumbprint;
  const held = store.get(thumbprint);
  const facts = planning.facts.get(thumbprint);
  if (!held) return [`assigned certificate ${thumbprint} is missing from Cert:\\LocalMachine\\My`];
  if (!facts) return [`assigned certificate ${thumbprint} cannot be read`];
  const problems: string[] = [];
  if (!held.hasPrivateKey) problems.push(`assigned certificate ${thumbprint} has no private key in the store`);
  const supplied = planning.supplied.get(certificate.index);
  if (supplied && supplied.thumbprint !== thumbprint) {
    return [...problems, `holds certificate ${thumbprint}, the declared certificate is ${supplied.thumbprint}`];
  }
  problems.push(...certificateProblems(facts, certificate, state.now, desired.renewal));
  // Separate layout declared, but this usage shares its certificate with another entry's usage.
  const sharing = state.assignments.filter(
    (a) =>
      a.thumbprint === thumbprint &&
      a.use !== usage &&
      entryOfUsage.has(a.use) &&
      entryOfUsage.get(a.use) !== certificate.index,
  );
  if (sharing.length > 0) {
    const others = sharing.map((a) => a.use).join(", ");
    problems.push(`shares certificate ${thumbprint} with ${others}, but is declared as a separate certificate`);
  }
  return problems;
}

/** What to do about an entry that is not in order; says in `reasons` which waiting requests it abandons. */
function chooseAction(
  c: DesiredCertificate,
  current: Partial<Record<CertificateUsage, string>>,
  planning: PlanningContext,
  reasons: string[],
): EntryAction {
  const supplied = planning.supplied.get(c.index);
  if (supplied) {
    const thumbprint = supplied.thumbprint;
    return planning.store.get(thumbprint)?.hasPrivateKey
      ? { kind: "assign", thumbprint }
      : { kind: "import", thumbprint };
  }
  const reusable = reusableCertificate(c, current, planning);
  if (reusable) return { kind: "assign", thumbprint: reusable };
  // A request already waiting is reused only while it asks for what is wanted now (and, offline,
  // while its CSR is still known); otherwise a new one is made and the old one abandoned.
  const csr = c.source.kind === "offline" ? planning.csrs?.get(c.index) : undefined;
  const waiting = planning.state.requests
    .filter((r) => isMarkedFor(r.friendlyName, planning.desired, c.index))
    .map((request) => ({ request, stale: staleRequest(request, c, csr) }));
  const usable = waiting.find((w) => w.stale === undefined);
  for (const { request, stale } of waiting) {
    if (stale !== undefined) {
      reasons.push(
        `${planning.server} ${c.usages.join(", ")}: abandoning the earlier request "${request.friendlyName}": ${stale}`,
      );
    }
  }
  if (c.source.kind === "ca") {
    return usable ? { kind: "awaitCa", friendlyName: usable.request.friendlyName } : { kind: "request" };
  }
  return usable ? { kind: "awaitIssued" } : { kind: "requestOffline" };
}

/**
 * The newest certificate in the store this entry already obtained (a retry after a crash between
 * request and assignment) or one of its usages holds, if it serves: reused before asking the CA again.
 */
function reusableCertificate(
  c: DesiredCertificate,
  current: Partial<Record<CertificateUsage, string>>,
  planning: PlanningContext,
): string | undefined {
  const { desired, state, entryOfUsage } = planning;
  const now = state.now;
  // A certificate another entry's usage holds would break the declared separate layout.
  const heldElsewhere = new Set(
    state.assignments
      .filter((a) => entryOfUsage.has(a.use) && entryOfUsage.get(a.use) !== c.index)
      .map((a) => a.thumbprint),
  );
  const candidates = state.store.flatMap((entry) => {
    const facts = planning.facts.get(entry.thumbprint);
    if (!facts || !entry.hasPrivateKey || heldElsewhere.has(entry.thumbprint)) return [];
    const held = Object.values(current).includes(entry.thumbprint);
    const marked = isMarkedFor(entry.friendlyName, desired, c.index);
    if (!held && !marked) return [];
    if (certificateProblems(facts, c, now, desired.renewal).length === 0) return [{ entry, facts }];
    // One the CA issued already inside its renewal window was accepted when it came (applyChanges
    // judges new certificates without renewal): asking again would only bring the same.
    const acceptedWhenIssued =
      marked &&
      !held &&
      issuedInsideWindow(entry.friendlyName, facts, desired.renewal) &&
      certificateProblems(facts, c, now, desired.renewal, { forAssignment: true }).length === 0;
    return acceptedWhenIssued ? [{ entry, facts }] : [];
  });
  candidates.sort((a, b) => b.facts.notBefore.getTime() - a.facts.notBefore.getTime());
  return candidates[0]?.entry.thumbprint;
}

/**
 * The Set-CsCertificate calls that give an entry's usages `thumbprint`: one call for the usages
 * that do not hold it yet. One entry is one certificate, so several types in a call always share it.
 */
export function assignmentStep(entry: EntryPlan, thumbprint: string): AssignmentStep | undefined {
  const types = entry.usages.filter((u) => entry.current[u] !== thumbprint);
  return types.length === 0 ? undefined : { index: entry.index, types, thumbprint };
}

/**
 * Why a waiting request (its REQUEST-store placeholder, which carries the request's names and key)
 * no longer serves an entry: the names it asks for, its key size, or for an offline request a CSR
 * that is not known any more. Undefined when it still serves.
 */
/** What preview says of a request the CA keeps pending (awaitCa): who must act, and where. */
export function pendingAtCa(friendlyName: string, where = "the server"): string {
  return `the CA keeps the request "${friendlyName}" pending; once a CA manager issues it, run Request-CsCertificate -Retrieve on ${where}`;
}

/** Why a waiting request no longer serves the entry, or undefined while it still asks for what is wanted. */
export function staleRequest(
  request: StoreEntry,
  desired: DesiredCertificate,
  csr: string | undefined,
): string | undefined {
  let facts: CertificateFacts;
  try {
    facts = inspectCertificate(request.rawData);
  } catch {
    return "its placeholder in Cert:\\LocalMachine\\REQUEST cannot be read";
  }
  const missing = desired.subjectAlternativeNames.filter((name) => !namesCover(facts.dnsNames, name));
  if (missing.length > 0) return `it does not ask for ${missing.join(", ")}`;
  if ((facts.keySize ?? 0) < desired.keySize) return `its key is ${facts.keySize} bits, ${desired.keySize} wanted`;
  if (desired.source.kind !== "offline") return undefined;
  if (csr === undefined) return "its CSR is no longer known (it is kept in the state, which has none for it)";
  return sameRsaKey(request.rawData, csr) ? undefined : "the CSR in the state belongs to another request";
}

function sameRsaKey(placeholderDerBase64: string, csrPem: string): boolean {
  try {
    const der = forge.util.decode64(placeholderDerBase64);
    const certificate = forge.pki.certificateFromAsn1(forge.asn1.fromDer(der));
    const request = forge.pki.certificationRequestFromPem(csrPem);
    const a = certificate.publicKey as forge.pki.rsa.PublicKey;
    const b = request.publicKey as forge.pki.rsa.PublicKey | null;
    return b !== null && a.n.equals(b.n) && a.e.equals(b.e);
  } catch {
    return false;
  }
}
