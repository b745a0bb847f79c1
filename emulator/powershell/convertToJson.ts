// ConvertTo-Json / ConvertFrom-Json with Windows PowerShell 5.1's conventions, which remote automation
// must survive: enums as numbers, DateTime as "\/Date(ms)\/", default -Depth 2 (deeper objects become their
// ToString()), a single object not wrapped in an array, JavaScriptSerializer's escaping of ' < > &, and
// 5.1's indentation (4 spaces, two spaces after the colon, nested values aligned under their key's value).

import { PSDateTime, PSEnum, PSHashtable, PSObject, PSSecureString } from "./values";
import { GetDateResult, formatDateTimeLong } from "./formatDateTime";
import { ErrorRecord, ScriptBlock, TypeLiteral, runtimeError, toDotNetString, toPSString } from "./runtimeValues";

const NEWLINE = "\r\n";

type Json = null | boolean | number | string | { raw: string } | Json[] | { entries: [string, Json][] };

/** JavaScriptSerializer's string escaping: control characters, quotes, backslash, and ' < > & as \u escapes. */
function jsonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case "\\":
        out += "\\\\";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\b":
        out += "\\b";
        break;
      case "\f":
        out += "\\f";
        break;
      case "'":
      case "<":
      case ">":
      case "&":
        out += "\\u" + c.toString(16).padStart(4, "0");
        break;
      default:
        out += c < 0x20 ? "\\u" + c.toString(16).padStart(4, "0") : ch;
    }
  }
  return out + '"';
}

function toJson(value: unknown, depth: number, maxDepth: number): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : { raw: jsonString(String(value)) };
  if (value instanceof PSEnum) return value.value;
  if (value instanceof GetDateResult) {
    return {
      entries: [
        ["value", { raw: `"\\/Date(${value.date.getTime()})\\/"` }],
        ["DisplayHint", 2],
        ["DateTime", formatDateTimeLong(value)],
      ],
    };
  }
  if (value instanceof PSDateTime) return { raw: `"\\/Date(${value.date.getTime()})\\/"` };
  if (value instanceof TypeLiteral || value instanceof ScriptBlock) return toDotNetString(value);
  if (depth > maxDepth) return toDotNetString(value);
  if (Array.isArray(value) || value instanceof Uint8Array) {
    return Array.from(value as ArrayLike<unknown>).map((v) => toJson(v, depth + 1, maxDepth));
  }
  if (value instanceof PSHashtable || value instanceof PSObject) {
    return { entries: value.entries().map(([k, v]) => [k, toJson(v, depth + 1, maxDepth)] as [string, Json]) };
  }
  if (value instanceof PSSecureString) return { entries: [["Length", value.reveal().length]] };
  if (value instanceof ErrorRecord) return toDotNetString(value);
  return toPSString(value);
}

function isObject(j: Json): j is { entries: [string, Json][] } {
  return typeof j === "object" && j !== null && "entries" in j;
}
function isRaw(j: Json): j is { raw: string } {
  return typeof j === "object" && j !== null && "raw" in j;
}

function scalar(j: Json): string {
  if (j === null) return "null";
  if (typeof j === "boolean") return j ? "true" : "false";
  if (typeof j === "number") return String(j).replace("e+", "E+").replace("e-", "E-");
  if (typeof j === "string") return jsonString(j);
  if (isRaw(j)) return j.raw;
  throw new Error("not a scalar");
}

function compress(j: Json): string {
  if (Array.isArray(j)) return "[" + j.map(compress).join(",") + "]";
  if (isObject(j)) return "{" + j.entries.map(([k, v]) => `${jsonString(k)}:${compress(v)}`).join(",") + "}";
  return scalar(j);
}

/** 5.1 re-indents the serializer's output so a nested value lines up 4 columns right of where it opened. */
function pretty(j: Json, column: number): string {
  const pad = (n: number) => " ".repeat(n);
  if (Array.isArray(j)) {
    if (j.length === 0) return `[${NEWLINE}${NEWLINE}${pad(column)}]`;
    const inner = j.map((v) => pad(column + 4) + pretty(v, column + 4));
    return `[${NEWLINE}${inner.join("," + NEWLINE)}${NEWLINE}${pad(column)}]`;
  }
  if (isObject(j)) {
    if (j.entries.length === 0) return `{${NEWLINE}${NEWLINE}${pad(column)}}`;
    const inner = j.entries.map(([k, v]) => {
      const key = `${jsonString(k)}:  `;
      return pad(column + 4) + key + pretty(v, column + 4 + key.length);
    });
    return `{${NEWLINE}${inner.join("," + NEWLINE)}${NEWLINE}${pad(column)}}`;
  }
  return scalar(j);
}

export function convertToJson(value: unknown, options: { depth?: number; compress?: boolean } = {}): string {
  const depth = options.depth ?? 2;
  if (depth < 0 || depth > 100) {
    throw runtimeError(
      `Cannot validate argument on parameter 'Depth'. The ${depth} argument is ${depth < 0 ? "less than the minimum allowed range of 1" : "greater than the maximum allowed range of 100"}. Supply an argument that is ${depth < 0 ? "greater than or equal to 1" : "less than or equal to 100"} and then try the command again.`,
      "ParameterArgumentValidationError,Microsoft.PowerShell.Commands.ConvertToJsonCommand",
      "InvalidData",
    );
  }
  const json = toJson(value, 0, depth);
  return options.compress ? compress(json) : pretty(json, 0);
}

/** ConvertFrom-Json: objects become PSCustomObjects, "\/Date(ms)\/" strings DateTimes (as 5.1's serializer does). */
export function convertFromJson(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const e = runtimeError(
      `Invalid JSON primitive: ${text.trim().slice(0, 20)}.`,
      "System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand",
      "NotSpecified",
    );
    e.exceptionTypeName = "ArgumentException";
    void error;
    throw e;
  }
  const convert = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v === "string") {
      const m = /^\/Date\((-?\d+)\)\/$/.exec(v);
      return m ? new PSDateTime(new Date(Number(m[1])), "Utc") : v;
    }
    if (v !== null && typeof v === "object") {
      return new PSObject(undefined, Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)])));
    }
    return v;
  };
  return convert(parsed);
}
