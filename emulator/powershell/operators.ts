// PowerShell's binary operators: comparison (case-insensitive unless prefixed with c, filtering when the
// left side is an array), -like/-match/-replace/-split/-join, arithmetic with PowerShell's left-operand typing.

import { PSDateTime, PSEnum, PSHashtable } from "./values";
import {
  TypeLiteral,
  enumerate,
  fullTypeName,
  runtimeError,
  toBool,
  toNumber,
  toPSString,
  typeNameOf,
} from "./runtimeValues";

/** Equality as -eq sees it: the right side is converted to the left side's type. */
export function looseEquals(left: unknown, right: unknown, caseSensitive = false): boolean {
  if (left === null || left === undefined) return right === null || right === undefined;
  if (right === null || right === undefined) return false;
  if (typeof left === "string") {
    const r = toPSString(right);
    return caseSensitive ? left === r : left.toLowerCase() === r.toLowerCase();
  }
  if (typeof left === "number") {
    const r = toNumber(right);
    return r !== undefined && r === left;
  }
  if (typeof left === "boolean") return left === toBool(right);
  if (left instanceof PSEnum) {
    if (right instanceof PSEnum) return left.value === right.value;
    if (typeof right === "number") return left.value === right;
    return left.name.toLowerCase() === toPSString(right).toLowerCase();
  }
  if (left instanceof PSDateTime) {
    const r = right instanceof PSDateTime ? right.date.getTime() : undefined;
    return r === left.date.getTime();
  }
  return left === right;
}

function compareOrder(left: unknown, right: unknown, caseSensitive: boolean): number {
  if (left instanceof PSDateTime && right instanceof PSDateTime) return left.date.getTime() - right.date.getTime();
  if (typeof left === "number" || left instanceof PSEnum || typeof left === "boolean") {
    const l = toNumber(left) ?? 0;
    const r = toNumber(right);
    if (r === undefined) throw conversionError(right, typeNameOf(left));
    return l - r;
  }
  if (left === null || left === undefined) return right === null || right === undefined ? 0 : -1;
  const l = toPSString(left);
  const r = toPSString(right);
  const a = caseSensitive ? l : l.toLowerCase();
  const b = caseSensitive ? r : r.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorting order for Sort-Object: numbers numerically, dates by time, everything else as case-insensitive text. */
export function sortCompare(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a instanceof PSDateTime && b instanceof PSDateTime) return a.date.getTime() - b.date.getTime();
  if (a instanceof PSEnum && b instanceof PSEnum) return a.value - b.value;
  return compareOrder(a, b, false);
}

export function conversionError(
  value: unknown,
  typeName: string,
  detail = "Input string was not in a correct format.",
) {
  return runtimeError(
    `Cannot convert value "${toPSString(value)}" to type "${typeName}". Error: "${detail}"`,
    "InvalidCastFromStringToInteger",
    "InvalidArgument",
  );
}

/** Turns a PowerShell wildcard pattern into an anchored, case-insensitive regular expression. */
function wildcardToRegExp(pattern: string, caseSensitive = false): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "`" && i + 1 < pattern.length) out += escapeRegExp(pattern[++i]);
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += "[" + pattern.slice(i + 1, end).replace(/\\/g, "\\\\") + "]";
        i = end;
      }
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`, caseSensitive ? "su" : "isu");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A .NET regular expression as JS understands it (inline (?i) options and named groups are the usual differences). */
function dotnetRegExp(pattern: string, caseSensitive: boolean, global = false): RegExp {
  let flags = caseSensitive ? "u" : "iu";
  let source = pattern.replace(/\(\?<([A-Za-z_]\w*)>/g, "(?<$1>");
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1].includes("i") && !flags.includes("i")) flags += "i";
    if (inline[1].includes("m")) flags += "m";
    if (inline[1].includes("s")) flags += "s";
  }
  try {
    return new RegExp(source, flags + (global ? "g" : ""));
  } catch {
    try {
      return new RegExp(source, flags.replace("u", "") + (global ? "g" : ""));
    } catch (error) {
      throw runtimeError(
        `parsing "${pattern}" - ${(error as Error).message}`,
        "InvalidRegularExpression",
        "InvalidOperation",
        pattern,
      );
    }
  }
}

export interface OperatorContext {
  /** -match on a scalar sets $Matches. */
  setMatches(matches: PSHashtable | null): void;
}

/** Evaluates a comparison-family operator (`-eq`, `-like`, `-replace`, `-split`, `-is`, ...). */
export function compareOperator(op: string, left: unknown, right: unknown, ctx: OperatorContext): unknown {
  let name = op.toLowerCase().replace(/^-/, "");
  let caseSensitive = false;
  if (/^c(eq|ne|gt|ge|lt|le|like|notlike|match|notmatch|contains|notcontains|in|notin|replace|split)$/.test(name)) {
    caseSensitive = true;
    name = name.slice(1);
  } else if (
    /^i(eq|ne|gt|ge|lt|le|like|notlike|match|notmatch|contains|notcontains|in|notin|replace|split)$/.test(name)
  ) {
    name = name.slice(1);
  }
  const scalar = (test: (item: unknown) => boolean): unknown =>
    Array.isArray(left) ? left.filter((item) => test(item)) : test(left);
  switch (name) {
    case "eq":
      return scalar((l) => looseEquals(l, right, caseSensitive));
    case "ne":
      return scalar((l) => !looseEquals(l, right, caseSensitive));
    case "gt":
      return scalar((l) => compareOrder(l, right, caseSensitive) > 0);
    case "ge":
      return scalar((l) => compareOrder(l, right, caseSensitive) >= 0);
    case "lt":
      return scalar((l) => compareOrder(l, right, caseSensitive) < 0);
    case "le":
      return scalar((l) => compareOrder(l, right, caseSensitive) <= 0);
    case "like":
    case "notlike": {
      const re = wildcardToRegExp(toPSString(right), caseSensitive);
      return scalar((l) => re.test(toPSString(l)) === (name === "like"));
    }
    case "match":
    case "notmatch": {
      const re = dotnetRegExp(toPSString(right), caseSensitive);
      if (Array.isArray(left)) return left.filter((l) => re.test(toPSString(l)) === (name === "match"));
      const m = re.exec(toPSString(left));
      if (m) {
        const table = new PSHashtable();
        m.forEach((g, i) => {
          if (g !== undefined) table.set(String(i), g);
        });
        for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) table.set(k, v);
        ctx.setMatches(table);
      }
      return (m !== null) === (name === "match");
    }
    case "contains":
      return enumerate(left).some((l) => looseEquals(l, right, caseSensitive));
    case "notcontains":
      return !enumerate(left).some((l) => looseEquals(l, right, caseSensitive));
    case "in":
      return enumerate(right).some((r) => looseEquals(r, left, caseSensitive));
    case "notin":
      return !enumerate(right).some((r) => looseEquals(r, left, caseSensitive));
    case "replace": {
      const [pattern, replacement = ""] = Array.isArray(right) ? right : [right];
      const re = dotnetRegExp(toPSString(pattern), caseSensitive, true);
      // .NET writes the whole match as $0 where JS uses $&.
      const rep = toPSString(replacement)
        .replace(/\$0/g, "$$&")
        .replace(/\$\{(\w+)\}/g, "$<$1>");
      const one = (l: unknown) => toPSString(l).replace(re, rep);
      return Array.isArray(left) ? left.map(one) : one(left);
    }
    case "split": {
      const [pattern, max] = Array.isArray(right) ? right : [right];
      const re = dotnetRegExp(toPSString(pattern), caseSensitive, true);
      const limit = max === undefined ? 0 : (toNumber(max) ?? 0);
      return enumerate(left).flatMap((l) => splitWithLimit(toPSString(l), re, limit));
    }
    case "join":
      return enumerate(left).map(toPSString).join(toPSString(right));
    case "is":
    case "isnot":
      return isType(left, right) === (name === "is");
    case "as":
      return undefined;
    default:
      throw runtimeError(
        `The operator '${op}' is not supported by this emulator's PowerShell.`,
        "OperatorNotSupported",
        "NotImplemented",
      );
  }
}

function splitWithLimit(text: string, re: RegExp, limit: number): string[] {
  const parts = text.split(re).filter((p) => p !== undefined);
  if (limit > 0 && parts.length > limit) {
    // Keep the remainder intact: re-split only up to the limit.
    const result: string[] = [];
    let rest = text;
    re.lastIndex = 0;
    for (let i = 0; i < limit - 1; i++) {
      const m = new RegExp(re.source, re.flags.replace("g", "")).exec(rest);
      if (!m) break;
      result.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    result.push(rest);
    return result;
  }
  return parts;
}

/** -is for the types scripts test: [string], [int], [array], [datetime], [hashtable], [bool]... */
export function isType(value: unknown, type: unknown): boolean {
  const name = type instanceof TypeLiteral ? fullTypeName(type.name) : fullTypeName(toPSString(type));
  const actual = typeNameOf(value);
  if (name === "System.Object") return value !== null && value !== undefined;
  if (name === "System.Array" || name === "System.Object[]") return Array.isArray(value);
  if (name === "System.Management.Automation.PSObject") return value !== null && value !== undefined;
  if (name === "System.Int32" || name === "System.Int64" || name === "System.Double")
    return (
      typeof value === "number" &&
      (name === "System.Double" || actual === name || (name === "System.Int64" && actual === "System.Int32")
        ? true
        : actual === name)
    );
  return actual.toLowerCase() === name.toLowerCase();
}

/** + - * / % with PowerShell's rule that the left operand decides the operation. */
export function arithmetic(op: string, left: unknown, right: unknown): unknown {
  if (op === "+") {
    if (left === null || left === undefined) return Array.isArray(right) ? [...right] : right;
    if (Array.isArray(left)) return [...left, ...(Array.isArray(right) ? right : [right])];
    if (typeof left === "string") return left + toPSString(right);
    if (left instanceof PSHashtable) {
      const merged = new PSHashtable();
      for (const [k, v] of left.entries()) merged.set(k, v);
      if (!(right instanceof PSHashtable))
        throw runtimeError("A hash table can only be added to another hash table.", "AddHashTableToNonHashTable");
      for (const [k, v] of right.entries()) {
        if (merged.has(k))
          throw runtimeError(
            `Item has already been added. Key in dictionary: '${k}'  Key being added: '${k}'`,
            "DuplicateKeyInHashLiteral",
          );
        merged.set(k, v);
      }
      return merged;
    }
    if (left instanceof PSDateTime)
      throw runtimeError("Adding to a DateTime needs .AddDays() and friends here.", "OperatorNotSupported");
  }
  if (op === "*") {
    if (typeof left === "string") return left.repeat(Math.max(0, toNumber(right) ?? 0));
    if (Array.isArray(left)) {
      const n = Math.max(0, toNumber(right) ?? 0);
      return Array.from({ length: n }, () => left).flat();
    }
  }
  const l = toNumber(left);
  if (l === undefined) {
    throw runtimeError(
      `Method invocation failed because [${typeNameOf(left)}] does not contain a method named 'op_${opName(op)}'.`,
      "MethodNotFound",
    );
  }
  const r = toNumber(right);
  if (r === undefined) throw conversionError(right, typeof left === "number" ? typeNameOf(left) : "System.Int32");
  switch (op) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      if (r === 0) throw runtimeError("Attempted to divide by zero.", "RuntimeException");
      return l / r;
    case "%":
      return l % r;
    default:
      throw runtimeError(
        `The operator '${op}' is not supported by this emulator's PowerShell.`,
        "OperatorNotSupported",
      );
  }
}

function opName(op: string): string {
  return { "+": "Addition", "-": "Subtraction", "*": "Multiply", "/": "Division", "%": "Modulus" }[op] ?? op;
}

/** The -f operator: .NET composite formatting for {0}, {0,5}, {0:N2}, {0:D3}, {0:X}. */
export function formatOperator(format: string, args: unknown[]): string {
  return format.replace(/\{\{|\}\}|\{(\d+)(?:,(-?\d+))?(?::([^}]*))?\}/g, (all, index, width, spec) => {
    if (all === "{{") return "{";
    if (all === "}}") return "}";
    const i = Number(index);
    if (i >= args.length)
      throw runtimeError(
        `Error formatting a string: Index (zero based) must be greater than or equal to zero and less than the size of the argument list..`,
        "FormatError",
      );
    let text = formatValue(args[i], spec);
    if (width !== undefined) {
      const w = Number(width);
      text = w < 0 ? text.padEnd(-w) : text.padStart(w);
    }
    return text;
  });
}

function formatValue(value: unknown, spec: string | undefined): string {
  if (!spec) return value instanceof PSDateTime ? value.toString() : toPSString(value);
  const n = toNumber(value);
  const m = /^([NnDdXxFfPp])(\d*)$/.exec(spec);
  if (m && n !== undefined) {
    const digits = m[2] === "" ? undefined : Number(m[2]);
    switch (m[1]) {
      case "N":
      case "n":
        return n.toLocaleString("en-US", { minimumFractionDigits: digits ?? 2, maximumFractionDigits: digits ?? 2 });
      case "F":
      case "f":
        return n.toFixed(digits ?? 2);
      case "D":
      case "d":
        return String(Math.trunc(n)).padStart(digits ?? 0, "0");
      case "X":
        return Math.trunc(n)
          .toString(16)
          .toUpperCase()
          .padStart(digits ?? 0, "0");
      case "x":
        return Math.trunc(n)
          .toString(16)
          .padStart(digits ?? 0, "0");
      case "P":
      case "p":
        return (n * 100).toFixed(digits ?? 2) + " %";
    }
  }
  return toPSString(value);
}
