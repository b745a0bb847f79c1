// DateTime.ToString(format) with .NET's standard and custom format strings, en-US culture. The emulated
// server's local time zone is UTC, so Local and Utc differ only in the suffix 'o' writes.

import { PSDateTime, formatDateTimeEnUs } from "./values";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export function formatDateTime(value: PSDateTime, format?: string): string {
  const d = value.date;
  if (format === undefined || format === "" || format === "G") return formatDateTimeEnUs(d);
  switch (format) {
    case "o":
    case "O": {
      const zone = value.kind === "Utc" ? "Z" : value.kind === "Local" ? "+00:00" : "";
      return custom(d, "yyyy-MM-ddTHH:mm:ss.fffffff") + zone;
    }
    case "s":
      return custom(d, "yyyy-MM-ddTHH:mm:ss");
    case "u":
      return custom(d, "yyyy-MM-dd HH:mm:ssZ");
    case "d":
      return custom(d, "M/d/yyyy");
    case "D":
      return custom(d, "dddd, MMMM d, yyyy");
    case "t":
      return custom(d, "h:mm tt");
    case "T":
      return custom(d, "h:mm:ss tt");
    case "f":
      return custom(d, "dddd, MMMM d, yyyy h:mm tt");
    case "F":
      return custom(d, "dddd, MMMM d, yyyy h:mm:ss tt");
    case "g":
      return custom(d, "M/d/yyyy h:mm tt");
    case "r":
    case "R":
      return d.toUTCString();
    default:
      return custom(d, format);
  }
}

function custom(d: Date, format: string): string {
  let out = "";
  for (let i = 0; i < format.length;) {
    const c = format[i];
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      out += format.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    if (c === "\\" && i + 1 < format.length) {
      out += format[i + 1];
      i += 2;
      continue;
    }
    let n = 1;
    while (format[i + n] === c) n++;
    i += n;
    const pad = (v: number, w: number) => String(v).padStart(w, "0");
    switch (c) {
      case "y":
        out += n <= 2 ? pad(d.getUTCFullYear() % 100, n) : pad(d.getUTCFullYear(), n);
        break;
      case "M":
        out +=
          n >= 4
            ? MONTHS[d.getUTCMonth()]
            : n === 3
              ? MONTHS[d.getUTCMonth()].slice(0, 3)
              : pad(d.getUTCMonth() + 1, n);
        break;
      case "d":
        out += n >= 4 ? DAYS[d.getUTCDay()] : n === 3 ? DAYS[d.getUTCDay()].slice(0, 3) : pad(d.getUTCDate(), n);
        break;
      case "H":
        out += pad(d.getUTCHours(), n);
        break;
      case "h":
        out += pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, n);
        break;
      case "m":
        out += pad(d.getUTCMinutes(), n);
        break;
      case "s":
        out += pad(d.getUTCSeconds(), n);
        break;
      case "f":
      case "F": {
        const digits = pad(d.getUTCMilliseconds(), 3).padEnd(7, "0").slice(0, n);
        out += c === "F" ? digits.replace(/0+$/, "") : digits;
        break;
      }
      case "t":
        out += (d.getUTCHours() < 12 ? "AM" : "PM").slice(0, n === 1 ? 1 : 2);
        break;
      case "z":
        out += n === 1 ? "+0" : n === 2 ? "+00" : "+00:00";
        break;
      case "K":
        out += "Z";
        break;
      default:
        out += c.repeat(n);
    }
  }
  return out;
}

/** "Thursday, November 26, 2026 8:19:05 AM": how Out-Default shows a DateTime on its own. */
export function formatDateTimeLong(value: PSDateTime): string {
  return custom(value.date, "dddd, MMMM d, yyyy h:mm:ss tt");
}

/**
 * What Get-Date writes: a DateTime carrying the DisplayHint note property, which is why 5.1's ConvertTo-Json
 * turns `Get-Date` into {"value": ..., "DisplayHint": 2, "DateTime": ...} while a DateTime property stays a string.
 */
export class GetDateResult extends PSDateTime {}
