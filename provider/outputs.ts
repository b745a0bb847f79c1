// The outputs: the inputs plus what the server holds per entry. Secrets stay in `connection` and
// `certificateSecrets`, the names the engine keeps secret, never in `certificates`.

import type { CertificateUsage } from "./certificateUsages";
import type { DesiredState } from "./desiredCertificates";
import type { CertificateFacts } from "./inspectCertificate";
import type { LiveAssignment } from "./parseServerState";
import type { CertificateEntryInputs, ConnectionInputs, ProviderInputs } from "./providerInputs";
import { renewalTime } from "./renewal";
import { splitEntrySecrets, type SecretEntryField } from "./secretInputs";

export interface CertificateEntryOutputs extends Omit<CertificateEntryInputs, SecretEntryField> {
  thumbprint?: string;
  subject?: string;
  issuer?: string;
  serialNumber?: string;
  notBefore?: string;
  notAfter?: string;
  alternativeNames?: string[];
  renewalTime?: string;
  /** Lync's previous certificate per usage (what a rollback returns to). */
  previousThumbprints: Partial<Record<CertificateUsage, string>>;
  /** The offline request's CSR (PEM), while it waits for issuedCertificatePem. */
  csr?: string;
  /** Said when the renewal policy could not be applied as written (renewal-loop guard). */
  renewalNote?: string;
  /** The `subject` input: `subject` in outputs is the live certificate's subject. */
  desiredSubject?: string;
}

export interface ProviderOutputs extends Omit<ProviderInputs, "certificates"> {
  certificates: CertificateEntryOutputs[];
  /** The identity the server presented: its SSH host key (OpenSSH line), or "tls-sha256 <fingerprint>" over WinRM. */
  hostKey: string;
  /** The bastion's host key, when connection.proxy is set. */
  proxyHostKey?: string;
  /** The server's FQDN as it reports it (else the connection's host). */
  server: string;
}

export function buildOutputs(
  inputs: ProviderInputs,
  desired: DesiredState,
  live: {
    readonly assignments: readonly LiveAssignment[];
    readonly facts: ReadonlyMap<string, CertificateFacts>;
    readonly csrs: ReadonlyMap<number, string>;
    readonly hostKey: string;
    readonly proxyHostKey?: string;
    readonly server: string;
  },
): ProviderOutputs {
  const byUse = new Map(live.assignments.map((a) => [a.use, a]));
  const certificates = inputs.certificates.map((entry, index): CertificateEntryOutputs => {
    const usages = desired.certificates[index]?.usages ?? [];
    const previousThumbprints: Partial<Record<CertificateUsage, string>> = {};
    for (const usage of usages) {
      const previous = byUse.get(usage)?.previousThumbprint;
      if (previous) previousThumbprints[usage] = previous;
    }
    const { subject: desiredSubject, ...publicInputs } = splitEntrySecrets(entry).publicPart;
    const output: CertificateEntryOutputs = { ...publicInputs, usages: [...usages], previousThumbprints };
    if (desiredSubject !== undefined) output.desiredSubject = desiredSubject;
    const csr = live.csrs.get(index);
    if (csr) output.csr = csr;
    const assignment = usages.map((u) => byUse.get(u)).find((a) => a !== undefined);
    if (!assignment) return output;
    const facts = live.facts.get(assignment.thumbprint);
    output.thumbprint = assignment.thumbprint;
    output.subject = facts?.subject ?? assignment.subject;
    output.issuer = facts?.issuer ?? assignment.issuer;
    output.serialNumber = facts?.serialNumber ?? assignment.serialNumber;
    const notBefore = facts?.notBefore ?? assignment.notBefore;
    const notAfter = facts?.notAfter ?? assignment.notAfter;
    output.notBefore = notBefore?.toISOString();
    output.notAfter = notAfter?.toISOString();
    output.alternativeNames = [...(facts?.dnsNames ?? assignment.alternativeNames)];
    if (notBefore && notAfter) {
      const renewal = renewalTime({ notBefore, notAfter }, desired.renewal);
      output.renewalTime = renewal.time.toISOString();
      if (renewal.note) output.renewalNote = renewal.note;
    }
    return output;
  });
  return {
    ...inputs,
    resourceKey: desired.resourceKey,
    certificates,
    certificateSecrets: inputs.certificates.map((entry) => splitEntrySecrets(entry).secretPart),
    hostKey: live.hostKey,
    ...(live.proxyHostKey ? { proxyHostKey: live.proxyHostKey } : {}),
    server: live.server,
  };
}

/** The inputs as stored in outputs (what read returns as `inputs`): outputs minus computed fields. */
export function inputsFromOutputs(outputs: ProviderOutputs): ProviderInputs {
  const { hostKey: _hostKey, proxyHostKey: _proxyHostKey, server: _server, certificates, ...rest } = outputs;
  return {
    ...rest,
    certificates: certificates.map((c) => {
      const {
        thumbprint: _t,
        subject: _s,
        issuer: _i,
        serialNumber: _n,
        notBefore: _b,
        notAfter: _a,
        alternativeNames: _alt,
        renewalTime: _r,
        previousThumbprints: _p,
        csr: _c,
        renewalNote: _note,
        desiredSubject,
        ...entry
      } = c;
      return (desiredSubject === undefined ? entry : { ...entry, subject: desiredSubject }) as CertificateEntryInputs;
    }),
  };
}

/**
 * The recorded host keys that still apply: none after a change of transport (an SSH key and a TLS
 * certificate are not comparable), and the bastion's only while connection.proxy names the same one.
 */
export function recordedHostKeys(
  olds: Pick<ProviderOutputs, "hostKey" | "proxyHostKey" | "connection">,
  connection: ConnectionInputs | undefined,
): { recordedHostKey?: string; recordedProxyHostKey?: string } {
  const before = olds.connection?.proxy;
  const now = connection?.proxy;
  const sameBastion =
    before !== undefined &&
    now !== undefined &&
    String(before.host).toLowerCase() === String(now.host).toLowerCase() &&
    (before.port ?? 22) === (now.port ?? 22);
  const sameTransport = (olds.connection?.transport ?? "ssh") === (connection?.transport ?? "ssh");
  return {
    recordedHostKey: sameTransport ? olds.hostKey : undefined,
    recordedProxyHostKey: sameBastion ? olds.proxyHostKey : undefined,
  };
}

/** The CSRs of offline requests recorded in the state, by entry index. */
export function csrsOf(outputs: Pick<ProviderOutputs, "certificates"> | undefined): Map<number, string> {
  const csrs = new Map<number, string>();
  (outputs?.certificates ?? []).forEach((c, index) => {
    if (c?.csr) csrs.set(index, c.csr);
  });
  return csrs;
}
