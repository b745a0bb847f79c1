// Parses the JSON line the read and apply scripts print. The scripts already normalised it on the
// server; this still checks every field's type, because a wrong guess about what the server sent
// must fail loudly rather than plan changes from a misread state.

import { canonicalUsage, type CertificateUsage } from "./certificateUsages";
import { RESULT_MARKER, STATE_MARKER } from "./powershellScripts";

export interface LiveAssignment {
  readonly use: CertificateUsage;
  /** Upper-case hex. */
  readonly thumbprint: string;
  readonly previousThumbprint?: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly serialNumber?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly alternativeNames: readonly string[];
}

export interface StoreEntry {
  readonly thumbprint: string;
  readonly friendlyName: string;
  readonly hasPrivateKey: boolean;
  /** DER bytes in base64 (RawData); empty when the server gave none (a REQUEST store placeholder). */
  readonly rawData: string;
}

export interface ServerState {
  /** The FQDN the server reports, when it can. */
  readonly server?: string;
  /** The management module the read imported: the one given, or the one the server has. */
  readonly module?: string;
  /** The server's clock. */
  readonly now: Date;
  readonly assignments: readonly LiveAssignment[];
  /** Cert:\LocalMachine\My entries that are assigned, asked for, or marked as ours. */
  readonly store: readonly StoreEntry[];
  /** Cert:\LocalMachine\REQUEST entries marked as ours (offline requests waiting for their certificate). */
  readonly requests: readonly StoreEntry[];
}

export interface ApplyResult {
  /** The message of the error that stopped the changes, if any. */
  readonly failure?: string;
  readonly errors: readonly string[];
  readonly assignments: readonly LiveAssignment[];
}

export interface RequestResult {
  readonly index: number;
  /**
   * Where the request's friendly name was found after Request-CsCertificate ran: Issued (in
   * Cert:\LocalMachine\My), Waiting (in Cert:\LocalMachine\REQUEST: pending at the CA, or offline),
   * None (nowhere).
   */
  readonly status: "Issued" | "Waiting" | "None";
  /** The issued certificate's DER in base64. */
  readonly rawData?: string;
  /** The offline request's CSR, read before its file was removed. */
  readonly csr?: string;
  /** The message of the error Request-CsCertificate threw. */
  readonly error?: string;
}

/** A pending request as Request-CsCertificate -List shows it. */
export interface PendingRequest {
  readonly requestId: string;
  readonly certificateUses: string;
}

/** The JSON payload after `marker` in a script's stdout. */
function extractMarkedJson(stdout: string, marker: string, what: string): unknown {
  const line = stdout
    .split(/\r?\n/)
    .reverse()
    .find((l) => l.startsWith(marker));
  if (line === undefined) {
    throw new Error(`${what}: the script printed no ${marker} line; stdout was: ${truncate(stdout)}`);
  }
  try {
    return JSON.parse(line.slice(marker.length));
  } catch (error) {
    throw new Error(`${what}: the script's JSON does not parse: ${truncate(line)}`, { cause: error });
  }
}

export function parseServerState(stdout: string): ServerState {
  const json = extractMarkedJson(stdout, STATE_MARKER, "reading the server state");
  const o = object(json, "state");
  if (o.ModuleMissing === true) {
    throw moduleMissing(
      optionalString(o.Module),
      list(o.Modules, "Modules").map((m) => string(m, "Modules[]")),
    );
  }
  return {
    server: optionalString(o.Server),
    module: optionalString(o.Module),
    now: date(o.Now, "Now"),
    assignments: list(o.Assignments, "Assignments").map(parseAssignment),
    store: list(o.Store, "Store").map(parseStoreEntry),
    requests: list(o.Requests, "Requests").map(parseStoreEntry),
  };
}

/** The read found no such management module: says which the server has and how to fix managementModule. */
function moduleMissing(wanted: string | undefined, installed: string[]): Error {
  if (wanted === undefined || installed.length === 0) {
    return new Error(
      "reading the server state: the server has neither the Lync nor the SkypeForBusiness module (Get-Module -ListAvailable finds neither); connect to a Lync Server 2013 or Skype for Business Server Front End",
    );
  }
  const has = installed[0];
  return new Error(
    `reading the server state: managementModule is "${wanted}", but the server has no ${wanted} module; it has ${has}: set managementModule to "${has}", or leave it unset to use the module the server has`,
  );
}

export function parseApplyResult(stdout: string): ApplyResult {
  const o = object(extractMarkedJson(stdout, RESULT_MARKER, "reading back the assignments"), "result");
  return {
    failure: optionalString(o.Failure),
    errors: list(o.Errors ?? [], "Errors").map((e) => string(e, "Errors[]")),
    assignments: list(o.Assignments, "Assignments").map(parseAssignment),
  };
}

export function parseRequestResults(stdout: string): {
  now: Date;
  results: RequestResult[];
  pending: PendingRequest[];
} {
  const o = object(extractMarkedJson(stdout, RESULT_MARKER, "reading the certificate requests' results"), "result");
  const results = list(o.Results, "Results").map((item): RequestResult => {
    const r = object(item, "Results[]");
    const status = string(r.Status, "Results[].Status");
    if (status !== "Issued" && status !== "Waiting" && status !== "None")
      throw new Error(`reading the certificate requests' results: Results[].Status is ${JSON.stringify(status)}`);
    return {
      index: number(r.Index, "Results[].Index"),
      status,
      rawData: optionalString(r.RawData),
      csr: optionalString(r.Csr),
      error: optionalString(r.Error),
    };
  });
  const pending = list(o.Pending ?? [], "Pending").map((item) => {
    const p = object(item, "Pending[]");
    return {
      requestId: optionalString(p.RequestId) ?? "",
      certificateUses: optionalString(p.CertificateUses) ?? "",
    };
  });
  return { now: date(o.Now, "Now"), results, pending };
}

function parseAssignment(item: unknown): LiveAssignment {
  const a = object(item, "Assignments[]");
  const useText = string(a.Use, "Assignments[].Use");
  const use = canonicalUsage(useText);
  if (!use) {
    // A number here would mean the server skipped the [string] cast (5.1 writes enums as numbers).
    throw new Error(
      `reading the server state: Get-CsCertificate reported the unknown usage ${JSON.stringify(useText)}`,
    );
  }
  return {
    use,
    thumbprint: string(a.Thumbprint, "Assignments[].Thumbprint").toUpperCase(),
    previousThumbprint: optionalString(a.PreviousThumbprint)?.toUpperCase(),
    subject: optionalString(a.Subject),
    issuer: optionalString(a.Issuer),
    serialNumber: optionalString(a.SerialNumber),
    notBefore: a.NotBefore ? date(a.NotBefore, "Assignments[].NotBefore") : undefined,
    notAfter: a.NotAfter ? date(a.NotAfter, "Assignments[].NotAfter") : undefined,
    alternativeNames: list(a.AlternativeNames ?? [], "Assignments[].AlternativeNames").map((n) =>
      string(n, "Assignments[].AlternativeNames[]"),
    ),
  };
}

function parseStoreEntry(item: unknown): StoreEntry {
  const s = object(item, "Store[]");
  return {
    thumbprint: string(s.Thumbprint, "Store[].Thumbprint").toUpperCase(),
    friendlyName: optionalString(s.FriendlyName) ?? "",
    hasPrivateKey: s.HasPrivateKey === true,
    rawData: optionalString(s.RawData) ?? "",
  };
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`reading the server state: ${what} is not an object: ${truncate(JSON.stringify(value) ?? "")}`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, _what: string): unknown[] {
  // PowerShell 5.1 unwraps one-element arrays; the scripts wrap them, but accept both.
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function string(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new Error(
      `reading the server state: ${what} should be a string, got ${truncate(JSON.stringify(value) ?? "")}`,
    );
  }
  return value;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function number(value: unknown, what: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  throw new Error(`reading the server state: ${what} should be a number, got ${JSON.stringify(value)}`);
}

function date(value: unknown, what: string): Date {
  const text = string(value, what);
  // "\/Date(ms)\/" would mean the server skipped ToString('o'); refuse rather than guess a time zone.
  const parsed = /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(parsed.getTime())) {
    throw new Error(`reading the server state: ${what} should be an ISO 8601 date, got ${JSON.stringify(text)}`);
  }
  return parsed;
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
