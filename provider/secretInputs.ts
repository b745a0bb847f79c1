// The secret fields of a certificate entry travel in their own input, `certificateSecrets`: the
// engine marks an output secret when its input holds a secret anywhere, which would hide every thumbprint.

import { isUnknown, UNKNOWN } from "./providerInputs";

/** Entry fields that carry secrets. */
export const SECRET_ENTRY_FIELDS = ["caPassword", "pfx", "pfxPassword", "privateKeyPem"] as const;

export type SecretEntryField = (typeof SECRET_ENTRY_FIELDS)[number];

/** Splits an entry into what may be shown and what must stay secret. */
export function splitEntrySecrets<T extends object>(
  entry: T,
): { publicPart: Omit<T, SecretEntryField>; secretPart: Partial<Pick<T, Extract<keyof T, SecretEntryField>>> } {
  const publicPart: Record<string, unknown> = { ...(entry as Record<string, unknown>) };
  const secretPart: Record<string, unknown> = {};
  for (const field of SECRET_ENTRY_FIELDS) {
    if (publicPart[field] !== undefined) secretPart[field] = publicPart[field];
    delete publicPart[field];
  }
  return {
    publicPart: publicPart as Omit<T, SecretEntryField>,
    secretPart: secretPart as Partial<Pick<T, Extract<keyof T, SecretEntryField>>>,
  };
}

/**
 * The raw inputs with each entry's secrets joined back into it (what the provider works on). During
 * preview, secrets computed by resources not yet created are unknown as a whole: every secret field
 * of the entry is then UNKNOWN, which check lets pass and apply never sees.
 */
export function joinEntrySecrets(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const { certificateSecrets, ...rest } = raw as Record<string, unknown>;
  if (!Array.isArray(rest.certificates)) return rest;
  if (isUnknown(certificateSecrets)) {
    return { ...rest, certificates: rest.certificates.map((entry) => withUnknownSecrets(entry)) };
  }
  if (!Array.isArray(certificateSecrets)) return rest;
  return {
    ...rest,
    certificates: rest.certificates.map((entry, index) => {
      const secrets: unknown = certificateSecrets[index];
      if (isUnknown(secrets)) return withUnknownSecrets(entry);
      if (entry === null || typeof entry !== "object" || secrets === null || typeof secrets !== "object") return entry;
      const joined: Record<string, unknown> = { ...(entry as Record<string, unknown>) };
      for (const field of SECRET_ENTRY_FIELDS) {
        const value = (secrets as Record<string, unknown>)[field];
        if (value !== undefined && value !== null) joined[field] = value;
      }
      return joined;
    }),
  };
}

function withUnknownSecrets(entry: unknown): unknown {
  if (entry === null || typeof entry !== "object") return entry;
  return { ...entry, ...Object.fromEntries(SECRET_ENTRY_FIELDS.map((field) => [field, UNKNOWN])) };
}
