// A recursive grep for the canary checks: which files under the given paths contain a string.

import * as fs from "node:fs";
import * as path from "node:path";

/** Paths of the files (searched recursively from each file or directory given) whose bytes contain `needle`. */
export function filesContaining(places: readonly string[], needle: string): string[] {
  const bytes = Buffer.from(needle, "utf8");
  const found: string[] = [];
  const visit = (place: string): void => {
    const stat = fs.lstatSync(place, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(place)) visit(path.join(place, entry));
    } else if (stat.isFile() && fs.readFileSync(place).includes(bytes)) {
      found.push(place);
    }
  };
  for (const place of places) visit(place);
  return found;
}
