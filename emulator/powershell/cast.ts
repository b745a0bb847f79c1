// [type]value: PowerShell's conversions for the types scripts and our provider use.

import { PSDateTime, PSHashtable, PSObject } from "./values";
import {
  ScriptBlock,
  enumerate,
  fullTypeName,
  parseDateTime,
  runtimeError,
  toBool,
  toNumber,
  toPSString,
} from "./runtimeValues";
import { conversionError } from "./operators";

/** Converts a value as `[typeName]value` does; unknown types fail with PowerShell's "Unable to find type". */
export function castValue(typeName: string, value: unknown): unknown {
  const lower = typeName.toLowerCase().replace(/^system\./, "");
  const fail = (detail?: string): never => {
    throw conversionError(value, fullTypeName(typeName), detail);
  };
  const scalar = castScalar(lower, value, fail);
  if (scalar !== NOT_SCALAR) return scalar;
  switch (lower) {
    case "string[]":
      return enumerate(value).map(toPSString);
    case "array":
    case "object[]":
      return value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
    case "int[]":
      return enumerate(value).map((v) => castValue("int", v));
    case "byte[]":
      return value instanceof Uint8Array ? value : new Uint8Array(enumerate(value).map((v) => toNumber(v) ?? 0));
    case "object":
    case "psobject":
      return value;
    case "pscustomobject":
      if (value instanceof PSHashtable) return new PSObject(undefined, Object.fromEntries(value.entries()));
      return value;
    case "hashtable":
    case "ordered":
      return value instanceof PSHashtable ? value : fail();
    case "securestring":
      return fail();
    case "scriptblock":
      return value instanceof ScriptBlock ? value : fail();
    default:
      throw runtimeError(
        `Unable to find type [${typeName}]. Make sure that the assembly that contains this type is loaded.`,
        "TypeNotFound",
        "InvalidOperation",
        typeName,
      );
  }
}

const NOT_SCALAR = Symbol("not a scalar type");

function castScalar(lower: string, value: unknown, fail: (detail?: string) => never): unknown {
  switch (lower) {
    case "string":
      return value === null || value === undefined ? "" : toPSString(value);
    case "int":
    case "int32":
    case "long":
    case "int64":
    case "byte": {
      const n = toNumber(value);
      if (n === undefined) return fail();
      // .NET rounds half to even when converting to an integer type.
      return Math.abs(n % 1) === 0.5 ? 2 * Math.round(n / 2) : Math.round(n);
    }
    case "double":
    case "decimal":
    case "single":
    case "float": {
      const n = toNumber(value);
      return n === undefined ? fail() : n;
    }
    case "bool":
    case "boolean":
      return toBool(value);
    case "datetime": {
      if (value instanceof PSDateTime) return value;
      const parsed = typeof value === "string" ? parseDateTime(value) : undefined;
      return parsed ?? fail("String was not recognized as a valid DateTime.");
    }
    case "char":
      if (typeof value === "number") return String.fromCharCode(value);
      return toPSString(value).slice(0, 1);
    case "regex":
      return toPSString(value);
    default:
      return NOT_SCALAR;
  }
}
