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

/** .NET's one-letter standard formats as the custom patterns they stand for in en-US ('o', 'r', 'G' aside). */
const STANDARD_FORMATS = new Map([
  ["s", "yyyy-MM-ddTHH:mm:ss"],
  ["u", "yyyy-MM-dd HH:mm:ssZ"],
  ["d", "M/d/yyyy"],
  ["D", "dddd, MMMM d, yyyy"],
  ["t", "h:mm tt"],
  ["T", "h:mm:ss tt"],
  ["f", "dddd, MMMM d, yyyy h:mm tt"],
  ["F", "dddd, MMMM d, yyyy h:mm:ss tt"],
  ["g", "M/d/yyyy h:mm tt"],
]);

export function formatDateTime(value: PSDateTime, format?: string): string {
  const d = value.date;
  if (format === undefined || format === "" || format === "G") return formatDateTimeEnUs(d);
  if (format === "o" || format === "O") {
    const zone = value.kind === "Utc" ? "Z" : value.kind === "Local" ? "+00:00" : "";
    return custom(d, "yyyy-MM-ddTHH:mm:ss.fffffff") + zone;
  }
  if (format === "r" || format === "R") return d.toUTCString();
  return custom(d, STANDARD_FORMATS.get(format) ?? format);
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
