// The PowerShell front end: runs one script in a fresh runspace the way `powershell.exe -Command` does
// and returns what it would print and its exit code. Parsing is parser.ts; the runspace's state
// runspace.ts, with the layers on it: expressions.ts, statements.ts, functions.ts, pipeline.ts and
// cmdletInvocation.ts; binding bindParameters.ts; built-in cmdlets builtinCommands.ts; Out-Default
// formatOutput.ts; error text renderError.ts.
//
// Deliberate simplifications (each fails loudly or is documented, none is silently lenient):
// - Pipelines run stage by stage, not streaming; stdout is formatted when the script ends (host text such as
//   Write-Host keeps its place). Terminating errors still stop at the right statement.
// - Numbers are JS doubles: Int32/Int64/Double differ only by value. The server's time zone is UTC.
// - -match/-replace/-split use JavaScript regular expressions (inline (?i) and named groups translated).
// - Classes, traps, workflows, labelled loops and `switch -File` fail with "not supported by this emulator's
//   PowerShell"; unknown .NET types with PowerShell's own "Unable to find type".

import { PowerShellError } from "./command";
import type { RunScriptOptions, ScriptResult } from "./session";
import { parsePowerShell, type ParsedScript } from "./parser";
import { ErrorRecord } from "./runtimeValues";
import { renderParseErrors } from "./renderError";
import { BreakSignal, ContinueSignal, ExitSignal, HookAbort, ReturnSignal, TerminatingError } from "./signals";
import { CmdletInvoker } from "./cmdletInvocation";

/** Runs a script; never throws for script errors (they become stderr and the exit code). */
export async function runScript(script: string, options: RunScriptOptions): Promise<ScriptResult> {
  const parsed = await parsePowerShell(script);
  if (parsed.errors.length > 0) {
    return { stdout: "", stderr: renderParseErrors(parsed), exitCode: 1 };
  }
  const interpreter = new Interpreter(parsed, options);
  return interpreter.run();
}

class Interpreter extends CmdletInvoker {
  constructor(
    private readonly parsed: ParsedScript,
    options: RunScriptOptions,
  ) {
    super(parsed.source, options);
  }

  async run(): Promise<ScriptResult> {
    let exitCode: number | undefined;
    try {
      await this.runStatements(this.parsed.root, this.topLevelSink());
    } catch (e) {
      exitCode = this.endedEarly(e);
    }
    return {
      stdout: this.renderStdout(),
      stderr: this.stderr,
      exitCode: exitCode ?? (this.success ? 0 : 1),
      records: this.records,
    };
  }

  /** The exit code of a script that something stopped; a hook's error goes to runScript's caller. */
  private endedEarly(e: unknown): number | undefined {
    if (e instanceof ExitSignal) return e.code;
    if (e instanceof TerminatingError) {
      this.reportError(e.record);
      return 1;
    }
    // break/continue outside a loop and return at top level end the script quietly, as in PowerShell.
    if (e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof ReturnSignal) return undefined;
    // The emulator's hooks abort the script on purpose (a dropped connection): their error goes to the caller.
    if (e instanceof HookAbort) throw e.cause;
    // A fault in this interpreter or in a command: loud on stderr, never a crashed session.
    const message = e instanceof Error ? e.message : String(e);
    const error = new PowerShellError(
      `The emulator's PowerShell failed while running this script: ${message}`,
      "EmulatorInternalError",
      "NotSpecified",
    );
    this.reportError(new ErrorRecord(error, "", undefined, "RuntimeException"));
    return 1;
  }

  private topLevelSink(): unknown[] {
    const sink: unknown[] = [];
    const parts = this.stdoutParts;
    // The success stream goes to Out-Default in arrival order, between any host text.
    return new Proxy(sink, {
      get(target, prop, receiver) {
        if (prop === "push") {
          return (...items: unknown[]) => {
            const last = parts[parts.length - 1];
            if (last?.kind === "objects") last.items.push(...items);
            else parts.push({ kind: "objects", items: [...items] });
            return items.length;
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
  }
}
