// What the serialized dynamic providers capture: a loader for their implementation modules and the
// diagnostics channel. The engine serializes each provider object by value into the stack's state
// and runs it in its own process, so each method loads its implementation with require() INSIDE its
// body; nothing here captures a local module's code, a socket or a credential.

// Where the compiled implementation lives, for when the package cannot be found by name from the
// provider process's working directory (captured as a plain path string: no secret).
const IMPLEMENTATION_DIRECTORY = __dirname;

/** The compiled module `name` of this package, by package name first. */
export function load<T>(name: string): T {
  try {
    return require(`pulumi-lync-certificates/dist/${name}`) as T;
  } catch {
    return require(`${IMPLEMENTATION_DIRECTORY}/${name}`) as T;
  }
}

/**
 * One line of diagnostics. The engine shows the provider process's stderr as diagnostics
 * (pulumi/pulumi#18249): the one place a dynamic provider can say *why* it reports a change.
 */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
