import { PSSecureString } from "../powershell/values";

/** A -Password value as plain text for the PFX reader (a string per the help, or a SecureString). Never print it. */
export function passwordText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value instanceof PSSecureString ? value.reveal() : String(value);
}
