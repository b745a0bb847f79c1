// Member access and method calls on the values scripts meet: strings, arrays, hashtables, PSObjects,
// DateTime, error records, and the static members of the .NET types admins reach for
// ([DateTime]::UtcNow, [Convert]::ToBase64String, [System.IO.File]::WriteAllBytes, [Text.Encoding]::UTF8).

import type { VirtualFileSystem } from "./session";
import { PSDateTime, PSEnum, PSHashtable, PSObject, PSSecureString } from "./values";
import { formatDateTime } from "./formatDateTime";
import { looseEquals } from "./operators";
import {
  ErrorRecord,
  ScriptBlock,
  TypeLiteral,
  fullTypeName,
  parseDateTime,
  runtimeError,
  toDotNetString,
  toNumber,
  toPSString,
  typeNameOf,
} from "./runtimeValues";

export interface MemberEnvironment {
  readonly fileSystem: VirtualFileSystem;
  now(): Date;
  /** Text written by [Console]::Out.Write lands in stdout in order with the success stream. */
  writeHost(text: string): void;
  /** [Console]::In: a reader over the process's standard input. */
  consoleIn(): unknown;
}

/** A System.Text.Encoding instance. */
class TextEncoding {
  constructor(readonly name: "UTF8" | "ASCII" | "Unicode") {}
  getBytes(text: string): Uint8Array {
    if (this.name === "Unicode") return new Uint8Array(Buffer.from(text, "utf16le"));
    if (this.name === "ASCII") return new Uint8Array(Buffer.from(text.replace(/[^ -~\t\r\n]/g, "?"), "latin1"));
    return new Uint8Array(Buffer.from(text, "utf8"));
  }
  getString(bytes: Uint8Array): string {
    const b = Buffer.from(bytes);
    return this.name === "Unicode"
      ? b.toString("utf16le")
      : this.name === "ASCII"
        ? b.toString("latin1")
        : b.toString("utf8");
  }
  toString(): string {
    return `System.Text.${this.name === "UTF8" ? "UTF8" : this.name === "ASCII" ? "ASCII" : "Unicode"}Encoding`;
  }
}

/** [Console]::Out */
class ConsoleWriter {
  toString(): string {
    return "System.IO.TextWriter+SyncTextWriter";
  }
}

function exceptionObject(record: ErrorRecord): PSObject {
  const typeName = record.exceptionTypeName.includes(".")
    ? record.exceptionTypeName
    : `System.Management.Automation.${record.exceptionTypeName}`;
  return new PSObject([typeName, "System.Exception", "System.Object"], {
    Message: record.error.message,
    InnerException: null,
  });
}

function noSuchMethod(value: unknown, name: string): Error {
  return runtimeError(
    `Method invocation failed because [${typeNameOf(value)}] does not contain a method named '${name}'.`,
    "MethodNotFound",
    "InvalidOperation",
  );
}

/** `$object.PSObject`: its property list and type names, as scripts use them to enumerate properties. */
function psObjectView(value: PSObject): PSObject {
  return new PSObject(["System.Management.Automation.PSObject"], {
    Properties: value.entries().map(
      ([name, v]) =>
        new PSObject(["System.Management.Automation.PSNoteProperty"], {
          Name: name,
          Value: v,
          MemberType: "NoteProperty",
          TypeNameOfValue: typeNameOf(v),
        }),
    ),
    TypeNames: [...value.typeNames],
    BaseObject: value,
  });
}

/** `$value.Name`: properties, intrinsic Count/Length, and member enumeration over arrays. */
export function getMember(value: unknown, name: string): unknown {
  const key = name.toLowerCase();
  if (value === null || value === undefined) return key === "count" || key === "length" ? 0 : null;
  if (value instanceof PSObject) {
    if (value.has(name)) return value.get(name);
    if (key === "psobject") return psObjectView(value);
    if (key === "count" || key === "length") return 1;
    return null;
  }
  if (value instanceof PSHashtable) {
    if (value.has(name)) return value.get(name);
    if (key === "count") return value.count;
    if (key === "keys") return value.entries().map(([k]) => k);
    if (key === "values") return value.entries().map(([, v]) => v);
    return null;
  }
  if (typeof value === "string") {
    if (key === "length") return value.length;
    if (key === "count") return 1;
    return null;
  }
  if (Array.isArray(value)) {
    if (key === "count" || key === "length") return value.length;
    // Member enumeration (PowerShell 3+): the member of each element, flattened.
    const items = value.flatMap((item) => {
      const v = getMember(item, name);
      return v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
    });
    return items.length === 0 ? null : items.length === 1 ? items[0] : items;
  }
  if (value instanceof Uint8Array) return key === "count" || key === "length" ? value.length : null;
  if (value instanceof PSDateTime) return dateTimeMember(value, key);
  if (value instanceof ErrorRecord) return errorRecordMember(value, key);
  if (value instanceof PSEnum) {
    if (key === "value__") return value.value;
    return null;
  }
  if (value instanceof PSSecureString) return key === "length" ? value.reveal().length : null;
  if (value instanceof TypeLiteral) {
    const full = fullTypeName(value.name);
    if (key === "name") return full.replace(/^.*\./, "");
    if (key === "fullname") return full;
    return null;
  }
  if (value instanceof ScriptBlock) return null;
  if (key === "count" || key === "length") return 1;
  return null;
}

/** `$value.Name = x` */
export function setMember(value: unknown, name: string, newValue: unknown): void {
  if (value instanceof PSObject) {
    if (!value.has(name)) {
      throw runtimeError(
        `The property '${name}' cannot be found on this object. Verify that the property exists and can be set.`,
        "PropertyAssignmentException",
      );
    }
    value.set(name, newValue);
    return;
  }
  if (value instanceof PSHashtable) {
    value.set(name, newValue);
    return;
  }
  if (value === null || value === undefined) {
    throw runtimeError(
      `The property '${name}' cannot be found on this object. Verify that the property exists and can be set.`,
      "PropertyNotFound",
    );
  }
  throw runtimeError(`'${name}' is a ReadOnly property.`, "PropertyAssignmentException");
}

function arg(args: unknown[], i: number): string {
  return toPSString(args[i]);
}

/** `$value.Method(args)` on an instance. */
export function invokeMethod(value: unknown, name: string, args: unknown[], env: MemberEnvironment): unknown {
  const key = name.toLowerCase();
  if (value === null || value === undefined) {
    throw runtimeError("You cannot call a method on a null-valued expression.", "InvokeMethodOnNull");
  }
  if (key === "gettype") return new TypeLiteral(typeNameOf(value));
  if (key === "equals") return looseEquals(value, args[0], true);
  if (typeof value === "string") return stringMethod(value, key, name, args);
  if (value instanceof PSDateTime) return dateTimeMethod(value, key, name, args);
  if (Array.isArray(value)) return arrayMethod(value, key, name, args);
  if (value instanceof PSHashtable) return hashtableMethod(value, key, name, args);
  if (value instanceof TextEncoding) {
    if (key === "getbytes") return value.getBytes(arg(args, 0));
    if (key === "getstring") return value.getString(toBytes(args[0]));
    throw noSuchMethod(value, name);
  }
  if (value instanceof ConsoleWriter) {
    if (key === "write") return env.writeHost(arg(args, 0));
    if (key === "writeline") return env.writeHost(arg(args, 0) + "\n");
    if (key === "flush") return undefined;
    throw noSuchMethod(value, name);
  }
  if (value instanceof ScriptBlock && key === "tostring") return value.text;
  if (key === "tostring") return toDotNetString(value);
  throw noSuchMethod(value, name);
}

function stringMethod(value: string, key: string, name: string, args: unknown[]): unknown {
  const ci = (s: string) => s.toLowerCase();
  switch (key) {
    case "toupper":
    case "toupperinvariant":
      return value.toUpperCase();
    case "tolower":
    case "tolowerinvariant":
      return value.toLowerCase();
    case "trim":
      return args.length ? trimChars(value, arg(args, 0), true, true) : value.trim();
    case "trimstart":
      return args.length ? trimChars(value, arg(args, 0), true, false) : value.trimStart();
    case "trimend":
      return args.length ? trimChars(value, arg(args, 0), false, true) : value.trimEnd();
    case "split": {
      // String.Split(char[]): every character of the argument is a separator.
      const seps =
        args.length === 0
          ? [" "]
          : args.flatMap((a) => (Array.isArray(a) ? a.map(toPSString) : toPSString(a).split("")));
      let parts = [value];
      for (const sep of seps) parts = parts.flatMap((p) => p.split(sep));
      return parts;
    }
    case "contains":
      return value.includes(arg(args, 0));
    case "startswith":
      return args.length > 1 ? ci(value).startsWith(ci(arg(args, 0))) : value.startsWith(arg(args, 0));
    case "endswith":
      return args.length > 1 ? ci(value).endsWith(ci(arg(args, 0))) : value.endsWith(arg(args, 0));
    case "replace":
      return value.split(arg(args, 0)).join(arg(args, 1));
    case "substring": {
      const start = toNumber(args[0]) ?? 0;
      const length = args.length > 1 ? (toNumber(args[1]) ?? 0) : undefined;
      if (start > value.length || (length !== undefined && start + length > value.length)) {
        throw runtimeError(
          `Exception calling "Substring" with "${args.length}" argument(s): "${length === undefined ? "startIndex cannot be larger than length of string." : "Index and length must refer to a location within the string."}`,
          "ArgumentOutOfRangeException",
        );
      }
      return value.substr(start, length);
    }
    case "indexof":
      return value.indexOf(arg(args, 0));
    case "lastindexof":
      return value.lastIndexOf(arg(args, 0));
    case "padleft":
      return value.padStart(toNumber(args[0]) ?? 0, args.length > 1 ? arg(args, 1) : " ");
    case "padright":
      return value.padEnd(toNumber(args[0]) ?? 0, args.length > 1 ? arg(args, 1) : " ");
    case "tostring":
      return value;
    case "tochararray":
      return value.split("");
    case "normalize":
      return value.normalize();
  }
  throw noSuchMethod(value, name);
}

function trimChars(value: string, chars: string, start: boolean, end: boolean): string {
  let a = 0;
  let b = value.length;
  while (start && a < b && chars.includes(value[a])) a++;
  while (end && b > a && chars.includes(value[b - 1])) b--;
  return value.slice(a, b);
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return new Uint8Array(value.map((v) => (toNumber(v) ?? 0) & 0xff));
  if (value === null || value === undefined) {
    throw runtimeError('Exception calling with "1" argument(s): "Value cannot be null."', "ArgumentNullException");
  }
  throw runtimeError(
    `Cannot convert the "${toPSString(value)}" value of type "${typeNameOf(value)}" to type "System.Byte[]".`,
    "InvalidCastException",
  );
}

function unsupportedStatic(type: string, name: string): Error {
  return runtimeError(
    `The member [${type}]::${name} is not supported by this emulator's PowerShell.`,
    "StaticMemberNotSupported",
    "NotImplemented",
  );
}

/** `[Type]::Name` */
export function getStaticMember(type: TypeLiteral, name: string, env: MemberEnvironment): unknown {
  const full = fullTypeName(type.name);
  const key = name.toLowerCase();
  switch (full) {
    case "System.DateTime":
      if (key === "utcnow") return new PSDateTime(env.now(), "Utc");
      if (key === "now") return new PSDateTime(env.now(), "Local");
      if (key === "today") {
        const d = env.now();
        return new PSDateTime(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())), "Local");
      }
      if (key === "minvalue") return new PSDateTime(new Date(Date.UTC(1, 0, 1)), "Unspecified");
      if (key === "maxvalue") return new PSDateTime(new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), "Unspecified");
      break;
    case "System.Text.Encoding":
      if (key === "utf8") return new TextEncoding("UTF8");
      if (key === "ascii") return new TextEncoding("ASCII");
      if (key === "unicode") return new TextEncoding("Unicode");
      break;
    case "System.Console":
      if (key === "out") return new ConsoleWriter();
      if (key === "in") return env.consoleIn();
      break;
    case "System.Int32":
      if (key === "maxvalue") return 2147483647;
      if (key === "minvalue") return -2147483648;
      break;
    case "System.String":
      if (key === "empty") return "";
      break;
    case "System.Environment":
      if (key === "newline") return "\r\n";
      break;
  }
  throw unsupportedStatic(full, name);
}

/** `[Type]::Method(args)` */
export function invokeStaticMethod(type: TypeLiteral, name: string, args: unknown[], env: MemberEnvironment): unknown {
  const full = fullTypeName(type.name);
  const key = name.toLowerCase();
  const fs = env.fileSystem;
  const exceptionCalling = (message: string, id: string) =>
    runtimeError(`Exception calling "${name}" with "${args.length}" argument(s): "${message}"`, id, "NotSpecified");
  switch (full) {
    case "System.DateTime":
      if (key === "parse") {
        const parsed = parseDateTime(arg(args, 0));
        if (!parsed) throw exceptionCalling("String was not recognized as a valid DateTime.", "FormatException");
        return parsed;
      }
      if (key === "specifykind") {
        const d = args[0];
        if (d instanceof PSDateTime) return new PSDateTime(d.date, toPSString(args[1]) as PSDateTime["kind"]);
      }
      break;
    case "System.Convert":
      if (key === "tobase64string") return Buffer.from(toBytes(args[0])).toString("base64");
      if (key === "frombase64string") {
        const text = arg(args, 0).replace(/\s/g, "");
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
          throw exceptionCalling(
            "The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters. ",
            "FormatException",
          );
        }
        return new Uint8Array(Buffer.from(text, "base64"));
      }
      if (key === "toint32") return Math.trunc(toNumber(args[0]) ?? 0);
      break;
    case "System.IO.File": {
      const path = arg(args, 0);
      const notFound = () => exceptionCalling(`Could not find file '${path}'.`, "FileNotFoundException");
      if (key === "exists") return fs.exists(path);
      if (key === "writeallbytes") return fs.write(path, toBytes(args[1]));
      if (key === "writealltext") return fs.write(path, new Uint8Array(Buffer.from(arg(args, 1), "utf8")));
      if (key === "readallbytes") {
        const data = fs.read(path);
        if (!data) throw notFound();
        return new Uint8Array(data);
      }
      if (key === "readalltext") {
        const data = fs.read(path);
        if (!data) throw notFound();
        return Buffer.from(data)
          .toString("utf8")
          .replace(/^\uFEFF/, "");
      }
      if (key === "delete") {
        fs.remove(path);
        return undefined;
      }
      break;
    }
    case "System.String":
      if (key === "isnullorempty") return args[0] === null || args[0] === undefined || arg(args, 0) === "";
      if (key === "isnullorwhitespace") return arg(args, 0).trim() === "";
      if (key === "join") {
        const items = args.length === 2 && Array.isArray(args[1]) ? args[1] : args.slice(1);
        return items.map(toPSString).join(arg(args, 0));
      }
      if (key === "format") return undefined;
      break;
    case "System.Math":
      if (key === "round") return Math.round(toNumber(args[0]) ?? 0);
      if (key === "floor") return Math.floor(toNumber(args[0]) ?? 0);
      if (key === "ceiling") return Math.ceil(toNumber(args[0]) ?? 0);
      if (key === "max") return Math.max(toNumber(args[0]) ?? 0, toNumber(args[1]) ?? 0);
      if (key === "min") return Math.min(toNumber(args[0]) ?? 0, toNumber(args[1]) ?? 0);
      if (key === "abs") return Math.abs(toNumber(args[0]) ?? 0);
      break;
    case "System.Guid":
      if (key === "newguid") return require("node:crypto").randomUUID();
      break;
    case "System.Text.RegularExpressions.Regex":
      if (key === "escape") return arg(args, 0).replace(/[\\*+?|{[()^$.#\s]/g, (c) => (c === " " ? "\\ " : "\\" + c));
      break;
  }
  throw unsupportedStatic(full, name + "()");
}

/** A DateTime's properties. */
function dateTimeMember(value: PSDateTime, key: string): unknown {
  const d = value.date;
  switch (key) {
    case "year":
      return d.getUTCFullYear();
    case "month":
      return d.getUTCMonth() + 1;
    case "day":
      return d.getUTCDate();
    case "hour":
      return d.getUTCHours();
    case "minute":
      return d.getUTCMinutes();
    case "second":
      return d.getUTCSeconds();
    case "millisecond":
      return d.getUTCMilliseconds();
    case "kind":
      return new PSEnum("System.DateTimeKind", value.kind, ["Unspecified", "Utc", "Local"].indexOf(value.kind));
    case "date":
      return new PSDateTime(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())), value.kind);
    case "dayofweek":
      return new PSEnum(
        "System.DayOfWeek",
        ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][d.getUTCDay()],
        d.getUTCDay(),
      );
    case "ticks":
      return d.getTime() * 10000 + 621355968000000000;
  }
  return null;
}

/** An ErrorRecord's properties, as $_ in a catch block has them. */
function errorRecordMember(value: ErrorRecord, key: string): unknown {
  switch (key) {
    case "exception":
      return exceptionObject(value);
    case "fullyqualifiederrorid":
      return value.error.fullyQualifiedErrorId;
    case "targetobject":
      return value.error.targetObject ?? null;
    case "categoryinfo":
      return new PSObject(["System.Management.Automation.ErrorCategoryInfo"], {
        Category: value.error.category,
        Activity: value.commandName,
        Reason: value.exceptionTypeName,
        TargetName: toPSString(value.error.targetObject ?? ""),
        TargetType:
          value.error.targetObject === undefined ? "" : typeNameOf(value.error.targetObject).replace(/^.*\./, ""),
      });
    case "errordetails":
      return null;
    case "scriptstacktrace":
      return value.position ? `at <ScriptBlock>, <No file>: line ${value.position.line}` : "";
    case "invocationinfo":
      return new PSObject(["System.Management.Automation.InvocationInfo"], {
        MyCommand: value.commandName,
        ScriptLineNumber: value.position?.line ?? 0,
        OffsetInLine: value.position?.column ?? 0,
        Line: value.position?.lineText ?? "",
      });
  }
  return null;
}

/** A DateTime's methods. */
function dateTimeMethod(value: PSDateTime, key: string, name: string, args: unknown[]): unknown {
  const add = (ms: number) => new PSDateTime(new Date(value.date.getTime() + ms), value.kind);
  const n = toNumber(args[0]) ?? 0;
  switch (key) {
    case "tostring":
      return formatDateTime(value, args.length ? arg(args, 0) : undefined);
    case "touniversaltime":
      return new PSDateTime(value.date, "Utc");
    case "tolocaltime":
      return new PSDateTime(value.date, "Local");
    case "adddays":
      return add(n * 86400000);
    case "addhours":
      return add(n * 3600000);
    case "addminutes":
      return add(n * 60000);
    case "addseconds":
      return add(n * 1000);
    case "addmilliseconds":
      return add(n);
    case "addmonths":
    case "addyears": {
      const d = new Date(value.date.getTime());
      if (key === "addmonths") d.setUTCMonth(d.getUTCMonth() + n);
      else d.setUTCFullYear(d.getUTCFullYear() + n);
      return new PSDateTime(d, value.kind);
    }
    case "subtract":
      if (args[0] instanceof PSDateTime) {
        const ms = value.date.getTime() - args[0].date.getTime();
        return new PSObject(["System.TimeSpan"], {
          TotalDays: ms / 86400000,
          TotalHours: ms / 3600000,
          TotalMinutes: ms / 60000,
          TotalSeconds: ms / 1000,
          Days: Math.trunc(ms / 86400000),
        });
      }
      break;
    case "tofiletimeutc":
      return (value.date.getTime() + 11644473600000) * 10000;
  }
  throw noSuchMethod(value, name);
}

/** An array's methods (System.Object[], used as an ArrayList too). */
function arrayMethod(value: unknown[], key: string, name: string, args: unknown[]): unknown {
  switch (key) {
    case "contains":
      return value.some((v) => looseEquals(v, args[0], true));
    case "indexof":
      return value.findIndex((v) => looseEquals(v, args[0], true));
    case "clear":
      value.length = 0;
      return undefined;
    case "add":
      value.push(args[0]);
      return value.length - 1;
    case "addrange":
      value.push(...(Array.isArray(args[0]) ? args[0] : [args[0]]));
      return undefined;
    case "remove": {
      const at = value.findIndex((v) => looseEquals(v, args[0], true));
      if (at >= 0) value.splice(at, 1);
      return undefined;
    }
    case "tostring":
      return "System.Object[]";
  }
  throw noSuchMethod(value, name);
}

/** A hashtable's methods. */
function hashtableMethod(value: PSHashtable, key: string, name: string, args: unknown[]): unknown {
  switch (key) {
    case "getenumerator":
      return value
        .entries()
        .map(([k, v]) => new PSObject(["System.Collections.DictionaryEntry"], { Name: k, Key: k, Value: v }));
    case "containskey":
      return value.has(arg(args, 0));
    case "add":
      if (value.has(arg(args, 0))) {
        throw runtimeError(
          `Exception calling "Add" with "2" argument(s): "Item has already been added. Key in dictionary: '${arg(args, 0)}'  Key being added: '${arg(args, 0)}'"`,
          "ArgumentException",
        );
      }
      value.set(arg(args, 0), args[1]);
      return undefined;
    case "remove":
      value.delete(arg(args, 0));
      return undefined;
    case "tostring":
      return "System.Collections.Hashtable";
  }
  throw noSuchMethod(value, name);
}
