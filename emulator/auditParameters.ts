// Bound parameters as the audit log keeps them: JSON-safe, with secrets replaced by "***".
// The log is readable over SSH (Get-EmulatorAuditLog) and lands in test output, so a password,
// a private key or PFX bytes must never reach it.

import { PSDateTime, PSEnum, PSHashtable, PSObject, PSSecureString } from "./powershell/values";

const REDACTED = "***";

// Password, CaPassword, PfxPassword, Credential, Secret, Token, a bare Key/PrivateKey; not PrivateKeyExportable.
const SECRET_NAME = /pass(word|wd|phrase)?$|password|secret|credential|token|^(private)?key$|^pfx(data|bytes)?$/i;

function isSecretParameterName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function redactParameters(parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    result[name] = isSecretParameterName(name) ? REDACTED : auditValue(value, 0);
  }
  return result;
}

function auditValue(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value) ? REDACTED : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof PSSecureString) return REDACTED;
  if (value instanceof PSEnum) return value.name;
  if (value instanceof PSDateTime) return value.date.toISOString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (depth >= 3) return String(value);
  if (Array.isArray(value)) return value.map((v) => auditValue(v, depth + 1));
  if (value instanceof PSObject || value instanceof PSHashtable) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.entries()) {
      if (k.toLowerCase() === "rawdata") continue;
      out[k] = isSecretParameterName(k) ? REDACTED : auditValue(v, depth + 1);
    }
    return out;
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretParameterName(k) ? REDACTED : auditValue(v, depth + 1);
    return out;
  }
  return String(value);
}
