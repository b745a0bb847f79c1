// Prints a line once per provider process. With a refresh the engine calls Diff twice per resource
// (in the refresh step and in the update), and both would print the same reasons under the stack.

const printed = new Set<string>();

/** Writes `line` to stderr (the engine shows it as a diagnostic) unless `key` was printed already. */
export function reportOnce(key: string, line: string, write: (line: string) => void = stderrLine): void {
  if (printed.has(key)) return;
  printed.add(key);
  write(line);
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
