// The demo's table of what the servers serve: one row per certificate per server (a combined
// certificate is one row listing its usages), every SAN shown, since Get-CsCertificate's own table
// view truncates AlternativeNames.

import type { AssignedCertificate } from "./support/lyncAdmin";

const SAN_WIDTH = 58;

/** Renders rows of Get-CsCertificate as a text table; with `previous`, marks thumbprints that changed. */
export function renderCertificateTable(
  rows: readonly AssignedCertificate[],
  previous: readonly AssignedCertificate[] = [],
): string {
  const groups = new Map<string, AssignedCertificate[]>();
  for (const row of rows) {
    const key = `${row.server}\u0000${row.thumbprint}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const table: string[][][] = [[["Server"], ["Usage"], ["Thumbprint"], ["SANs"], ["Expires (UTC)"]]];
  for (const group of groups.values()) {
    const first = group[0];
    const was = previous.find((p) => p.server === first.server && p.use === first.use);
    const changed = was !== undefined && was.thumbprint !== first.thumbprint;
    table.push([
      [first.server],
      group.map((r) => r.use),
      changed ? [first.thumbprint, `(was ${was.thumbprint.slice(0, 12)}…)`] : [first.thumbprint],
      wrap(first.alternativeNames, SAN_WIDTH),
      [first.notAfter.slice(0, 10)],
    ]);
  }
  const widths = table[0].map((_, column) =>
    Math.max(...table.map((row) => Math.max(...row[column].map((l) => l.length)))),
  );
  const line = (cells: string[][]): string[] => {
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, i) =>
      `  ${cells.map((c, column) => (c[i] ?? "").padEnd(widths[column])).join("  ")}`.trimEnd(),
    );
  };
  const separator = `  ${widths.map((w) => "-".repeat(w)).join("  ")}`;
  return [...line(table[0]), separator, ...table.slice(1).flatMap((row) => [...line(row), ""])].join("\n").trimEnd();
}

function wrap(names: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const [i, name] of names.entries()) {
    const piece = i < names.length - 1 ? `${name},` : name;
    if (current !== "" && current.length + 1 + piece.length > width) {
      lines.push(current);
      current = piece;
    } else {
      current = current === "" ? piece : `${current} ${piece}`;
    }
  }
  if (current !== "" || lines.length === 0) lines.push(current);
  return lines;
}
