import { PSDateTime } from "../powershell/values";
import { cmdletError } from "./cmdletError";

/**
 * A bound DateTime parameter as a Date. Binding normally converts it; a string that reaches us is parsed
 * the way .NET parses it on an en-US server ("7/31/2012 8:00 AM", month first) or as ISO 8601.
 * The emulated servers run on UTC, so a local time is a UTC time.
 */
export function dateParameterValue(cmdlet: string, parameter: string, value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof PSDateTime) return value.date;
  if (value instanceof Date) return value;
  const text = String(value).trim();
  const parsed = parseEnUsDate(text) ?? parseIsoDate(text);
  if (parsed === undefined) {
    throw cmdletError(
      cmdlet,
      `Cannot bind parameter '${parameter}'. Cannot convert value "${text}" to type "System.DateTime". ` +
        `Error: "String was not recognized as a valid DateTime."`,
      "CannotConvertArgumentNoMessage",
      "InvalidArgument",
      { prefix: false },
    );
  }
  return parsed;
}

function parseEnUsDate(text: string): Date | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i.exec(text);
  if (!m) return undefined;
  const [, month, day, year, hour = "0", minute = "0", second = "0", ampm] = m;
  let h = Number(hour);
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (ampm.toUpperCase() === "PM" ? 12 : 0);
  }
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), h, Number(minute), Number(second)));
  // Reject 2/30 and friends instead of rolling them over as Date.UTC does.
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day) || h > 23) return undefined;
  return date;
}

function parseIsoDate(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text))
    return undefined;
  // Without an offset .NET reads the time as local, which is UTC on the emulated servers.
  const withZone = /[T ]\d{2}:\d{2}/.test(text) && !/(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
  const date = new Date(withZone.includes("T") || !withZone.includes(" ") ? withZone : withZone.replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
