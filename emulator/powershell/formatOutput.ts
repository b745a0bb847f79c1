// Out-Default as Windows PowerShell 5.1 renders the success stream for `powershell.exe -Command`:
// strings and numbers as lines; objects with up to four properties as a table, more as a list;
// collections inside properties as "{a, b, c, d...}" cut at $FormatEnumerationLimit (why Get-CsCertificate's
// AlternativeNames look truncated); dates in en-US; enums by name.

import { PSDateTime, PSEnum, PSHashtable, PSObject, PSSecureString, formatDateTimeEnUs } from "./values";
import { ErrorRecord, ScriptBlock, toPSString } from "./runtimeValues";
import { formatDateTimeLong } from "./formatDateTime";

/** Text produced by Format-List / Format-Table: Out-Default prints it as it is. */
export class FormattedText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export interface FormatOptions {
  readonly enumerationLimit: number;
}

/** A property value as the formatter shows it inside a table cell or list entry. */
function displayValue(value: unknown, options: FormatOptions): string {
  if (value === null || value === undefined) return "";
  if (value instanceof PSDateTime) return formatDateTimeEnUs(value.date);
  if (value instanceof PSEnum) return value.name;
  if (Array.isArray(value) || value instanceof Uint8Array || value instanceof PSHashtable) {
    const items: unknown[] =
      value instanceof PSHashtable ? value.entries().map(([k, v]) => `[${k}, ${toPSString(v)}]`) : Array.from(value);
    const limit = options.enumerationLimit;
    const shown = limit < 0 ? items : items.slice(0, limit);
    const more = limit >= 0 && items.length > limit ? "..." : "";
    return `{${shown.map((i) => displayScalar(i)).join(", ")}${more}}`;
  }
  return displayScalar(value);
}

function displayScalar(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof PSDateTime) return formatDateTimeEnUs(value.date);
  if (value instanceof PSEnum) return value.name;
  if (value instanceof PSSecureString) return "System.Security.SecureString";
  if (Array.isArray(value)) return "System.Object[]";
  return toPSString(value);
}

function propertiesOf(value: unknown): [string, unknown][] {
  if (value instanceof PSObject) return value.entries();
  if (value instanceof PSHashtable) return value.entries();
  return [];
}

function shapeOf(value: unknown): string {
  if (value instanceof PSHashtable) return "#hashtable";
  if (value instanceof PSObject) return value.typeNames[0] + "|" + value.propertyNames().join("|").toLowerCase();
  return "";
}

/** Format-List: "Name : value" with names padded to the longest, one blank line between objects. */
export function formatList(items: unknown[], options: FormatOptions, properties?: string[]): string {
  const blocks = items.map((item) => {
    if (!(item instanceof PSObject) && !(item instanceof PSHashtable)) return displayScalar(item);
    let entries =
      item instanceof PSHashtable
        ? item.entries().flatMap(
            ([k, v]) =>
              [
                ["Name", k],
                ["Value", v],
              ] as [string, unknown][],
          )
        : propertiesOf(item);
    if (properties && !(properties.length === 1 && properties[0] === "*")) {
      entries = properties.flatMap((p) => {
        const re = new RegExp(
          "^" +
            p
              .replace(/[.+^${}()|[\]\\]/g, "\\$&")
              .replace(/\*/g, ".*")
              .replace(/\?/g, ".") +
            "$",
          "i",
        );
        return entries.filter(([k]) => re.test(k));
      });
    }
    if (item instanceof PSHashtable) {
      const pairs: string[] = [];
      for (let i = 0; i < entries.length; i += 2) {
        pairs.push(`Name  : ${toPSString(entries[i][1])}\nValue : ${displayValue(entries[i + 1]?.[1], options)}`);
      }
      return pairs.join("\n\n");
    }
    const width = Math.max(0, ...entries.map(([k]) => k.length));
    return entries
      .map(([k, v]) => {
        const text = displayValue(v, options).split(/\r?\n/);
        return `${k.padEnd(width)} : ${text.join("\n" + " ".repeat(width + 3))}`;
      })
      .join("\n");
  });
  return "\n\n" + blocks.join("\n\n") + "\n\n\n\n";
}

/** Format-Table: headers, dashes, rows; numeric columns right-aligned; no console-width truncation. */
export function formatTable(
  items: unknown[],
  options: FormatOptions,
  properties?: string[],
  hideHeaders = false,
): string {
  if (items.length === 0) return "";
  const first = items[0];
  const isHashtable = first instanceof PSHashtable;
  let columns: string[];
  let rows: unknown[][];
  if (isHashtable) {
    columns = ["Name", "Value"];
    rows = items.flatMap((i) => propertiesOf(i).map(([k, v]) => [k, v]));
  } else {
    columns =
      properties && !(properties.length === 1 && properties[0] === "*")
        ? properties
        : propertiesOf(first).map(([k]) => k);
    rows = items.map((item) =>
      columns.map((c) =>
        item instanceof PSObject ? item.get(c) : item instanceof PSHashtable ? item.get(c) : undefined,
      ),
    );
    columns = columns.map((c) =>
      first instanceof PSObject ? (first.propertyNames().find((n) => n.toLowerCase() === c.toLowerCase()) ?? c) : c,
    );
  }
  const cells = rows.map((r) => r.map((v) => displayValue(v, options)));
  const numeric = columns.map(
    (_, i) =>
      rows.every((r) => typeof r[i] === "number" || r[i] === null || r[i] === undefined) &&
      rows.some((r) => typeof r[i] === "number"),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  // The hashtable view gives Name a fixed 30 columns.
  if (isHashtable) widths[0] = Math.max(widths[0], 30);
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : i === values.length - 1 ? v : v.padEnd(widths[i])))
      .join(" ")
      .replace(/\s+$/, "");
  const out: string[] = [];
  if (!hideHeaders) {
    out.push(line(columns));
    out.push(
      line(
        columns.map((c, i) =>
          "-".repeat(Math.max(c.length, numeric[i] ? c.length : c.length)).padEnd(numeric[i] ? 0 : 0),
        ),
      ),
    );
  }
  for (const r of cells) out.push(line(r));
  return "\n" + out.join("\n") + "\n\n\n";
}

const X509 = "System.Security.Cryptography.X509Certificates.X509Certificate2";

/** The certificate provider's default view: grouped by PSParentPath, Thumbprint (41 wide) and Subject. */
function formatCertificates(items: PSObject[]): string {
  let out = "";
  let parent: string | undefined;
  for (const item of items) {
    const path = toPSString(item.get("PSParentPath"));
    if (path !== parent) {
      if (parent !== undefined) out += "\n\n";
      out += `\n   PSParentPath: ${path}\n\n${"Thumbprint".padEnd(41)} Subject\n${"----------".padEnd(41)} -------\n`;
      parent = path;
    }
    out += `${toPSString(item.get("Thumbprint")).padEnd(41)} ${toPSString(item.get("Subject"))}\n`;
  }
  return out + "\n\n";
}

/** Renders the success stream of a script as Out-Default would. */
export function outDefault(items: unknown[], options: FormatOptions, renderError: (r: ErrorRecord) => string): string {
  let out = "";
  for (let i = 0; i < items.length;) {
    const item = items[i];
    if (item instanceof PSObject && item.typeNames[0] === X509) {
      let j = i + 1;
      while (j < items.length && items[j] instanceof PSObject && (items[j] as PSObject).typeNames[0] === X509) j++;
      out += formatCertificates(items.slice(i, j) as PSObject[]);
      i = j;
      continue;
    }
    if (item instanceof PSObject || item instanceof PSHashtable) {
      const shape = shapeOf(item);
      let j = i + 1;
      while (j < items.length && shapeOf(items[j]) === shape) j++;
      const group = items.slice(i, j);
      const count = item instanceof PSHashtable ? 2 : item.propertyNames().length;
      out += count <= 4 ? formatTable(group, options) : formatList(group, options);
      i = j;
      continue;
    }
    out += formatScalar(item, renderError);
    i++;
  }
  return out;
}

function formatScalar(item: unknown, renderError: (r: ErrorRecord) => string): string {
  if (item === null || item === undefined) return "";
  if (item instanceof FormattedText) return item.text;
  if (item instanceof ErrorRecord) return renderError(item);
  if (item instanceof PSDateTime) return `\n${formatDateTimeLong(item)}\n\n\n`;
  if (item instanceof Uint8Array)
    return Array.from(item)
      .map((b) => `${b}\n`)
      .join("");
  if (item instanceof ScriptBlock) return item.text + "\n";
  return displayScalar(item) + "\n";
}
