// The plain values the dynamic provider receives: CertificateAssignmentArgs after the engine has
// resolved every Output. The engine hands the provider plaintext (dynamic providers do not accept
// secrets), and during preview any field may hold UNKNOWN instead of its value.

import type { RollInputs } from "./rollPlan";
import type { SecretEntryField } from "./secretInputs";

/** What the engine sends in place of a value that is not known yet (pulumi preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when the value, or anything inside it, is not known yet. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

export interface ConnectionInputs {
  host: string;
  port?: number;
  user?: string;
  password?: string;
  privateKey?: string;
  privateKeyPassword?: string;
  hostKey?: string;
  dialErrorLimit?: number;
  perDialTimeout?: number;
  proxy?: ConnectionInputs;
}

export interface CertificateEntryInputs {
  usages: string[];
  subjectAlternativeNames: string[];
  subject?: string;
  friendlyName?: string;
  keySize?: number;
  allowWeakKeySize?: boolean;
  template?: string;
  ca?: string;
  caAccount?: string;
  caPassword?: string;
  pfx?: string;
  pfxPassword?: string;
  certificatePem?: string;
  privateKeyPem?: string;
  offline?: boolean;
  issuedCertificatePem?: string;
  roll?: RollInputs;
}

export interface SipDomainInputs {
  name: string;
  mobility?: boolean;
}

export interface ProviderInputs {
  connection: ConnectionInputs;
  certificates: CertificateEntryInputs[];
  sipDomains?: SipDomainInputs[];
  renewBeforeDays?: number;
  renewBeforePercentage?: number;
  managementModule?: "Lync" | "SkypeForBusiness";
  deletionPolicy?: "retain" | "unassign";
  /**
   * Set by the CertificateAssignment class: a short hash of project, stack and resource name that
   * makes the friendly names of the certificates this resource requests recognisable on the server.
   */
  resourceKey?: string;
  /** Set by the CertificateAssignment class: names the server in messages when the host is an IP address. */
  resourceName?: string;
  /**
   * Set by the CertificateAssignment class: the secret fields of each entry, kept apart so that
   * `certificates` itself holds no secret (see secretInputs.ts).
   */
  certificateSecrets?: Partial<Pick<CertificateEntryInputs, SecretEntryField>>[];
}
