// The plain values the dynamic provider receives: CertificateAssignmentArgs after the engine has
// resolved every Output. The engine hands the provider plaintext (dynamic providers do not accept
// secrets), and during preview any field may hold UNKNOWN instead of its value.

import type { Unwrap } from "@pulumi/pulumi";
import type { CertificateArgs, CertificateAssignmentArgs, ConnectionArgs } from "./certificateAssignment";
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

/** The connection as the provider receives it (ConnectionArgs with every Input resolved). */
export type ConnectionInputs = Unwrap<ConnectionArgs>;

/** One entry of `certificates`, resolved (its secret fields joined back from certificateSecrets). */
export type CertificateEntryInputs = Unwrap<CertificateArgs>;

/** CertificateAssignmentArgs resolved, plus what the CertificateAssignment class adds. */
export interface ProviderInputs extends Unwrap<CertificateAssignmentArgs> {
  /**
   * A short hash of project, stack and resource name that makes the friendly names of the
   * certificates this resource requests recognisable on the server.
   */
  readonly resourceKey?: string;
  /** Names the server in messages when the host is an IP address. */
  readonly resourceName?: string;
  /** The secret fields of each entry, kept apart so that `certificates` holds none (see secretInputs.ts). */
  readonly certificateSecrets?: Partial<Pick<CertificateEntryInputs, SecretEntryField>>[];
}
