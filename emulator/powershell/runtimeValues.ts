// Interpreter-only values (script blocks, error records, type literals) and PowerShell's conversions
// between all values: to string, to bool, to number, casts, and the .NET type names errors show.

import type { SyntaxNode } from "./parser";
import { PowerShellError } from "./command";
import { PSDateTime, PSEnum, PSHashtable, PSObject, PSSecureString, formatDateTimeEnUs } from "./values";

/** A `{ ... }` script block; `invoke` is supplied by the interpreter that created it. */
export class ScriptBlock {
  constructor(
    readonly node: SyntaxNode,
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

/** Where an error happened in the script, for the "At line:L char:C" section. */
export interface ErrorPosition {
  readonly line: number;
  readonly column: number;
  readonly lineText: string;
  readonly length: number;
}

/** System.Management.Automation.ErrorRecord: what `$_` is in a catch block and what `$Error` holds. */
export class ErrorRecord {
  readonly exception: { message: string; typeName: string };
  constructor(
    readonly error: PowerShellError,
    /** The command that raised it, as written ("Get-Item"), or "" for script errors (throw). */
    readonly commandName: string,
    readonly position: ErrorPosition | undefined,
    readonly exceptionTypeName: string,
    /** Write-Error's odd rendering: the invocation text as prefix, no position. */
    readonly invocationText?: string,
    /** The "[...]" part of CategoryInfo when it differs from commandName (empty for CommandNotFoundException). */
    readonly activity?: string,
  ) {
    this.exception = { message: error.message, typeName: exceptionTypeName };
  }
  toString(): string {
    return this.error.message;
  }
}

/** A type literal such as [DateTime] used as a value (static member access, -is, -as). */
export class TypeLiteral {
  constructor(readonly name: string) {}
  toString(): string {
    return fullTypeName(this.name);
  }
}

const TYPE_ALIASES: Record<string, string> = {
  string: "System.String",
  int: "System.Int32",
  int32: "System.Int32",
  long: "System.Int64",
  int64: "System.Int64",
  double: "System.Double",
  bool: "System.Boolean",
  boolean: "System.Boolean",
  datetime: "System.DateTime",
  array: "System.Array",
  object: "System.Object",
  hashtable: "System.Collections.Hashtable",
  pscustomobject: "System.Management.Automation.PSObject",
  psobject: "System.Management.Automation.PSObject",
  byte: "System.Byte",
  char: "System.Char",
  void: "System.Void",
  securestring: "System.Security.SecureString",
  convert: "System.Convert",
  console: "System.Console",
  math: "System.Math",
  regex: "System.Text.RegularExpressions.Regex",
  "io.file": "System.IO.File",
  "io.path": "System.IO.Path",
  "text.encoding": "System.Text.Encoding",
  scriptblock: "System.Management.Automation.ScriptBlock",
  "management.automation.scriptblock": "System.Management.Automation.ScriptBlock",
  switch: "System.Management.Automation.SwitchParameter",
  guid: "System.Guid",
  timespan: "System.TimeSpan",
  ordered: "System.Collections.Specialized.OrderedDictionary",
};

/** The full .NET name of a type literal's text ("datetime" → "System.DateTime"). */
export function fullTypeName(name: string): string {
  const lower = name.toLowerCase().replace(/^system\./, "");
  const array = lower.endsWith("[]");
  const base = array ? lower.slice(0, -2) : lower;
  const full = TYPE_ALIASES[base] ?? (name.startsWith("System.") ? name.replace(/\[\]$/, "") : `System.${name}`);
  return array ? `${full}[]` : full;
}

/** The .NET type name PowerShell would show for a value. */
export function typeNameOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return "System.String";
  if (typeof value === "boolean") return "System.Boolean";
  if (typeof value === "number")
    return Number.isInteger(value) && Math.abs(value) <= 2147483647
      ? "System.Int32"
      : Number.isInteger(value)
        ? "System.Int64"
        : "System.Double";
  if (Array.isArray(value)) return "System.Object[]";
  if (value instanceof Uint8Array) return "System.Byte[]";
  if (value instanceof PSDateTime) return "System.DateTime";
  if (value instanceof PSEnum) return value.typeName;
  if (value instanceof PSHashtable) return "System.Collections.Hashtable";
  if (value instanceof PSObject) return value.typeNames[0];
  if (value instanceof PSSecureString) return "System.Security.SecureString";
  if (value instanceof ScriptBlock) return "System.Management.Automation.ScriptBlock";
  if (value instanceof ErrorRecord) return "System.Management.Automation.ErrorRecord";
  if (value instanceof TypeLiteral) return "System.RuntimeType";
  return "System.Object";
}

/** PowerShell's string conversion (LanguagePrimitives.ConvertTo<string>): invariant culture, arrays joined by a space. */
export function toPSString(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return numberToString(value);
  if (Array.isArray(value)) return value.map(toPSString).join(" ");
  if (value instanceof Uint8Array) return Array.from(value).join(" ");
  if (value instanceof PSDateTime) return formatDateTimeInvariant(value.date);
  if (value instanceof PSObject) return psObjectToString(value);
  if (value instanceof PSHashtable) return "System.Collections.Hashtable";
  return String(value);
}

/** What .ToString() returns: like toPSString but with the current (en-US) culture for dates. */
export function toDotNetString(value: unknown): string {
  if (value instanceof PSDateTime) return formatDateTimeEnUs(value.date);
  if (Array.isArray(value)) return "System.Object[]";
  if (value instanceof Uint8Array) return "System.Byte[]";
  return toPSString(value);
}

function psObjectToString(value: PSObject): string {
  // Objects that model a .NET type with its own ToString() (DnsNameRepresentation, ...) override toString.
  if (value.toString !== Object.prototype.toString) return value.toString();
  if (value.typeNames[0] !== "System.Management.Automation.PSCustomObject") return value.typeNames[0];
  return (
    "@{" +
    value
      .entries()
      .map(([k, v]) => `${k}=${toPSString(v)}`)
      .join("; ") +
    "}"
  );
}

function numberToString(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  if (Number.isInteger(n) || Math.abs(n) >= 1e-5) return String(n).replace(/e\+?/, "E+").replace("E+-", "E-");
  return n
    .toExponential()
    .replace(/e/, "E")
    .replace(/E-(\d)$/, "E-0$1");
}

/** "11/26/2026 08:19:05": what "$date" and [string]$date give (invariant culture). */
function formatDateTimeInvariant(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())}/${date.getUTCFullYear()} ` +
    `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`
  );
}

/** PowerShell truthiness: $null, 0, "", empty arrays and one-element arrays of a false value are false. */
export function toBool(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length === 0 ? false : value.length === 1 ? toBool(value[0]) : true;
  if (value instanceof PSEnum) return value.value !== 0;
  return true;
}

/** Numeric conversion for arithmetic and [int] casts; undefined when the value is not a number. */
export function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return 0;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof PSEnum) return value.value;
  if (typeof value === "string") {
    const t = value.trim();
    if (t === "") return 0;
    if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
    return undefined;
  }
  if (Array.isArray(value) && value.length === 1) return toNumber(value[0]);
  return undefined;
}

/** Parses a date the way [datetime]"..." does in an en-US runspace: ISO 8601 or M/d/yyyy [h:mm[:ss] [AM|PM]]. */
export function parseDateTime(text: string): PSDateTime | undefined {
  const t = text.trim();
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (iso) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", zone] = iso;
    const ms = Math.round(Number(`0.${frac}`) * 1000);
    let time = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
    if (zone && zone.toUpperCase() !== "Z") {
      const sign = zone[0] === "-" ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
    }
    if (Number.isNaN(time)) return undefined;
    // The emulated server's local time zone is UTC, so Local and Utc values agree.
    return new PSDateTime(new Date(time), zone ? "Local" : "Unspecified");
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(t);
  if (us) {
    const [, mo, d, y, h = "0", mi = "0", s = "0", ampm] = us;
    let hour = Number(h);
    if (ampm) hour = (hour % 12) + (ampm.toUpperCase() === "PM" ? 12 : 0);
    const time = Date.UTC(+y, +mo - 1, +d, hour, +mi, +s);
    if (Number.isNaN(time) || +mo > 12 || +d > 31) return undefined;
    return new PSDateTime(new Date(time), "Unspecified");
  }
  return undefined;
}

/** A value as a flat list: arrays as their items, $null as nothing, anything else as itself. */
export function enumerate(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value;
  return [value];
}

/** How a pipeline's collected output becomes a value: nothing → $null, one object → itself, more → an array. */
export function collapse(items: unknown[]): unknown {
  if (items.length === 0) return null;
  if (items.length === 1) return items[0];
  return items;
}

/** A runtime error raised by the language itself (not by a command). */
export function runtimeError(message: string, errorId: string, category = "InvalidOperation", target?: unknown) {
  const e = new PowerShellError(message, errorId, category, target);
  e.exceptionTypeName = "RuntimeException";
  return e;
}
