// Desired vs live: for each certificate entry, what is wrong on the server (in words, naming the
// server and usage) and what to do about it. Pure: the live state comes in already read.
//
// Lync's vital rule — never one multi-type Set-CsCertificate when the usages hold different
// certificates — is kept by construction: an assignment step is built from ONE entry and ONE
// thumbprint, so a multi-type call only ever assigns one certificate to a combined entry's usages.

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
  /** Facts of the certificates the user supplied (pfx, PEM, offline answer), by entry index. */
  readonly supplied: ReadonlyMap<number, CertificateFacts>;
  /** The CSRs of offline requests made in earlier runs, by entry index (from the state). */
  readonly csrs?: ReadonlyMap<number, string>;
}

/** Whether a certificate's names cover `name`: exactly, or through a one-label wildcard. */
export function namesCover(dnsNames: readonly string[], name: string): boolean {
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

/** Reads each store entry's certificate once. */
function storeFacts(state: ServerState): Map<string, { entry: StoreEntry; facts?: CertificateFacts }> {
  const result = new Map<string, { entry: StoreEntry; facts?: CertificateFacts }>();
  for (const entry of state.store) {
    let facts: CertificateFacts | undefined;
    try {
      facts = inspectCertificate(entry.rawData);
    } catch {
      facts = undefined;
    }
    result.set(entry.thumbprint, { entry, facts });
  }
  return result;
}

export function planChanges(desired: DesiredState, state: ServerState, context: PlanContext): Plan {
  const server = context.server;
  const now = state.now;
  const byUse = new Map<CertificateUsage, LiveAssignment>(state.assignments.map((a) => [a.use, a]));
  const store = storeFacts(state);
  const entryOfUsage = new Map<CertificateUsage, number>();
  for (const c of desired.certificates) for (const u of c.usages) entryOfUsage.set(u, c.index);

  const entries = desired.certificates.map((certificate): EntryPlan => {
    const reasons: string[] = [];
    // A combined certificate's problem is the same for each usage it serves: said once per
    // certificate and cause, naming the usages, instead of once per usage.
    const found = new Map<string, { usages: CertificateUsage[]; problem: string }>();
    const current: Partial<Record<CertificateUsage, string>> = {};
    const supplied = context.supplied.get(certificate.index);
    for (const usage of certificate.usages) {
      const assignment = byUse.get(usage);
      const say = (problem: string) => {
        const key = `${assignment?.thumbprint ?? ""}\n${problem}`;
        const group = found.get(key);
        if (group) group.usages.push(usage);
        else found.set(key, { usages: [usage], problem });
      };
      if (!assignment) {
        say("no certificate assigned");
        continue;
      }
      current[usage] = assignment.thumbprint;
      const held = store.get(assignment.thumbprint);
      if (!held) {
        say(`assigned certificate ${assignment.thumbprint} is missing from Cert:\\LocalMachine\\My`);
        continue;
      }
      if (!held.facts) {
        say(`assigned certificate ${assignment.thumbprint} cannot be read`);
        continue;
      }
      if (!held.entry.hasPrivateKey)
        say(`assigned certificate ${assignment.thumbprint} has no private key in the store`);
      if (supplied && supplied.thumbprint !== assignment.thumbprint) {
        say(`holds certificate ${assignment.thumbprint}, the declared certificate is ${supplied.thumbprint}`);
        continue;
      }
      for (const problem of certificateProblems(held.facts, certificate, now, desired.renewal)) say(problem);
      // Separate layout declared, but this usage shares its certificate with another entry's usage.
      const sharing = state.assignments.filter(
        (a) =>
          a.thumbprint === assignment.thumbprint &&
          a.use !== usage &&
          entryOfUsage.has(a.use) &&
          entryOfUsage.get(a.use) !== certificate.index,
      );
      if (sharing.length > 0) {
        say(
          `shares certificate ${assignment.thumbprint} with ${sharing.map((a) => a.use).join(", ")}, but is declared as a separate certificate`,
        );
      }
    }
    for (const { usages, problem } of found.values()) reasons.push(`${server} ${usages.join(", ")}: ${problem}`);
    const thumbprints = new Set(Object.values(current));
    if (certificate.usages.length > 1 && thumbprints.size > 1) {
      reasons.push(
        `${server} ${certificate.usages.join(", ")}: declared as one combined certificate but hold different certificates (${certificate.usages
          .map((u) => `${u}: ${current[u] ?? "none"}`)
          .join(", ")})`,
      );
    }
    if (reasons.length === 0) return { index: certificate.index, usages: certificate.usages, reasons, current };
    return {
      index: certificate.index,
      usages: certificate.usages,
      reasons,
      current,
      action: chooseAction(certificate),
    };

    function chooseAction(c: DesiredCertificate): EntryAction {
      if (c.source.kind === "pfx" || c.source.kind === "pem" || (c.source.kind === "offline" && supplied)) {
        const thumbprint = supplied!.thumbprint;
        const held = store.get(thumbprint);
        return held?.entry.hasPrivateKey ? { kind: "assign", thumbprint } : { kind: "import", thumbprint };
      }
      // A certificate this entry already obtained (a retry after a crash between request and
      // assignment), or one of its usages already holds, is reused before the CA is asked again.
      // A certificate another entry's usage holds would break the declared separate layout.
      const heldElsewhere = new Set(
        state.assignments
          .filter((a) => entryOfUsage.has(a.use) && entryOfUsage.get(a.use) !== c.index)
          .map((a) => a.thumbprint),
      );
      const candidates = [...store.values()].filter(({ entry, facts }) => {
        if (facts === undefined || !entry.hasPrivateKey || heldElsewhere.has(entry.thumbprint)) return false;
        const held = Object.values(current).includes(entry.thumbprint);
        const marked = isMarkedFor(entry.friendlyName, desired, c.index);
        if (!held && !marked) return false;
        if (certificateProblems(facts, c, now, desired.renewal).length === 0) return true;
        // A certificate the CA issued already inside its renewal window was accepted when it came
        // (applyChanges judges new certificates without renewal); after a crash before assignment
        // it is still the answer, and asking the CA again would only bring the same.
        return (
          marked &&
          !held &&
          issuedInsideWindow(entry.friendlyName, facts, desired.renewal) &&
          certificateProblems(facts, c, now, desired.renewal, { forAssignment: true }).length === 0
        );
      });
      candidates.sort((a, b) => b.facts!.notBefore.getTime() - a.facts!.notBefore.getTime());
      if (candidates.length > 0) return { kind: "assign", thumbprint: candidates[0].entry.thumbprint };
      // A request already waiting is reused only while it asks for what is wanted now (and, offline,
      // while its CSR is still known); otherwise a new one is made and the old one abandoned.
      const waiting = state.requests
        .filter((r) => isMarkedFor(r.friendlyName, desired, c.index))
        .map((r) => ({
          request: r,
          stale: staleRequest(r, c, c.source.kind === "offline" ? context.csrs?.get(c.index) : undefined),
        }));
      const usable = waiting.find((w) => w.stale === undefined);
      for (const w of waiting) {
        if (w.stale !== undefined && w !== usable) {
          reasons.push(
            `${server} ${c.usages.join(", ")}: abandoning the earlier request "${w.request.friendlyName}": ${w.stale}`,
          );
        }
      }
      if (c.source.kind === "ca") {
        return usable ? { kind: "awaitCa", friendlyName: usable.request.friendlyName } : { kind: "request" };
      }
      return usable ? { kind: "awaitIssued" } : { kind: "requestOffline" };
    }
  });
  return {
    server,
    entries,
    reasons: entries.flatMap((e) => e.reasons),
    changes: entries.some((e) => e.action !== undefined && e.action.kind !== "awaitIssued"),
  };
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
function staleRequest(request: StoreEntry, desired: DesiredCertificate, csr: string | undefined): string | undefined {
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
