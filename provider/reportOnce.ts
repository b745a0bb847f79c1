// Prints a diff's reasons once per reading. With a refresh the engine calls Diff twice per resource
// (in the refresh step and in the update) and both diffs use the same kept reading: the second
// would print the same lines again under the stack. A diff that read the server itself prints all.

const printed = new WeakMap<object, Set<string>>();

/** Writes `line` to stderr (the engine shows it as a diagnostic) unless it was printed for `reading`. */
export function reportOnce(
  reading: object | undefined,
  line: string,
  write: (line: string) => void = stderrLine,
): void {
  if (reading !== undefined) {
    const lines = printed.get(reading) ?? new Set<string>();
    printed.set(reading, lines);
    if (lines.has(line)) return;
    lines.add(line);
  }
  write(line);
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
