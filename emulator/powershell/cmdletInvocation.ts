// Running one cmdlet (a CommandDefinition): binding its parameters (once, or once per pipeline object),
// the context it writes through, the emulator's before/after hooks, and where its errors, warnings and
// verbose messages go.

import { PowerShellError, type CommandContext, type CommandDefinition } from "./command";
import { ErrorRecord, collapse, type ErrorPosition } from "./runtimeValues";
import { bindParameters, takesPipelineInput, type BoundArgument } from "./bindParameters";
import { BreakSignal, ContinueSignal, TerminatingError } from "./signals";
import type { ErrorRedirection } from "./runspace";
import { PipelineRunner } from "./pipeline";

/** One cmdlet call's error handling: how its errors become records, and where they went. */
interface CmdletRun {
  readonly command: CommandDefinition;
  readonly input: unknown[];
  readonly redirect: ErrorRedirection;
  readonly makeRecord: (error: PowerShellError) => ErrorRecord;
  /** Everything the call wrote, across invocations. */
  readonly out: unknown[];
  readonly errorVariable: ErrorRecord[];
  hadError: boolean;
}

export abstract class CmdletInvoker extends PipelineRunner {
  protected async invokeDefinition(
    command: CommandDefinition,
    invocationName: string,
    args: BoundArgument[],
    input: unknown[],
    downstream: boolean,
    position: ErrorPosition,
    redirect: ErrorRedirection,
  ): Promise<unknown[]> {
    const run: CmdletRun = {
      command,
      input,
      redirect,
      makeRecord: this.errorRecordMaker(command, invocationName, position),
      out: [],
      errorVariable: [],
      hadError: false,
    };
    const bound = withRemainingArguments(command, args);
    const pipelineBinding = downstream && takesPipelineInput(command);
    const invocations: { value?: unknown }[] = pipelineBinding ? input.map((value) => ({ value })) : [{}];
    for (const invocation of invocations) {
      let binding;
      try {
        binding = bindParameters(command, bound, "value" in invocation ? { value: invocation.value } : undefined);
      } catch (e) {
        if (e instanceof PowerShellError && e.fullyQualifiedErrorId.startsWith("InputObjectNotBound")) {
          // A non-terminating error per object that does not bind, as in PowerShell.
          run.hadError = true;
          this.handleNonTerminating(run.makeRecord(e), undefined, run);
          continue;
        }
        this.fail(run, e, undefined);
      }
      await this.invokeOnce(run, binding);
    }
    this.success = !run.hadError;
    return run.out;
  }

  /** One invocation with its bound parameters, between the emulator's hooks. */
  private async invokeOnce(run: CmdletRun, binding: ReturnType<typeof bindParameters>): Promise<void> {
    const invocationOut: unknown[] = [];
    const context = this.commandContext(run, binding, invocationOut);
    const errorAction = binding.common.errorAction;
    await this.hook(this.options.beforeCommand, run.command.name, binding.parameters);
    try {
      await run.command.invoke(context);
    } catch (e) {
      if (e instanceof TerminatingError) throw e;
      if (e instanceof BreakSignal || e instanceof ContinueSignal) e.partial = [...run.out, ...invocationOut];
      run.out.push(...invocationOut);
      this.fail(run, e, errorAction);
    }
    await this.hook(this.options.afterCommand, run.command.name, binding.parameters);
    run.out.push(...invocationOut);
    if (binding.common.outVariable) this.assignVariable(binding.common.outVariable, collapse(invocationOut));
    if (binding.common.errorVariable) this.assignVariable(binding.common.errorVariable, [...run.errorVariable]);
  }

  private commandContext(
    run: CmdletRun,
    binding: ReturnType<typeof bindParameters>,
    invocationOut: unknown[],
  ): CommandContext {
    const common = binding.common;
    const errorAction = common.errorAction;
    const verbose = common.verbose || this.preference("VerbosePreference").toLowerCase() === "continue";
    const warningAction = (common.warningAction ?? this.preference("WarningPreference")).toLowerCase();
    return {
      parameters: binding.parameters,
      parameterSetName: binding.parameterSetName,
      input: binding.pipelineParameter ? [] : run.input,
      common: { verbose, whatIf: common.whatIf, errorAction },
      output: (value) => {
        invocationOut.push(value);
      },
      writeError: (error) => {
        run.hadError = true;
        this.handleNonTerminating(run.makeRecord(error), errorAction, run);
      },
      writeWarning: (message) => this.writeWarning(run, message, warningAction),
      writeVerbose: (message) => {
        if (!verbose) return;
        this.stderr += `VERBOSE: ${message}\n`;
        this.records.push({ stream: "verbose", text: message });
      },
      host: this.options.host,
    };
  }

  private writeWarning(run: CmdletRun, message: string, warningAction: string): void {
    if (warningAction === "silentlycontinue" || warningAction === "ignore") return;
    if (warningAction === "stop") {
      const error = new PowerShellError(
        `The running command stopped because the preference variable "WarningPreference" or common parameter is set to Stop: ${message}`,
        "ActionPreferenceStop",
        "OperationStopped",
      );
      error.exceptionTypeName = "ActionPreferenceStopException";
      throw new TerminatingError(run.makeRecord(error), true);
    }
    this.stderr += `WARNING: ${message}\n`;
    this.records.push({ stream: "warning", text: message });
  }

  /** A command's terminating error: script-terminating under -ErrorAction Stop, else statement-terminating. */
  private fail(run: CmdletRun, error: unknown, action: string | undefined): never {
    if (error instanceof PowerShellError) {
      const stop = (action ?? this.preference("ErrorActionPreference")).toLowerCase() === "stop";
      throw new TerminatingError(run.makeRecord(error), stop);
    }
    throw error;
  }

  /** How a command's errors become records: 5.1 blames Write-Error's caller, and the command otherwise. */
  private errorRecordMaker(
    command: CommandDefinition,
    invocationName: string,
    position: ErrorPosition,
  ): (error: PowerShellError) => ErrorRecord {
    // Write-Error's records carry the script's invocation: 5.1 prints its text as prefix and no position.
    const isWriteError = command.name === "Write-Error" && invocationName.toLowerCase() === "write-error";
    const frame = this.callStack[this.callStack.length - 1];
    const invocationText =
      isWriteError && !frame ? position.lineText.substr(position.column - 1, position.length) : undefined;
    return (error) => {
      if (isWriteError && frame) {
        // Inside a function 5.1 blames the function's call site and appends its name to the error id.
        const e = new PowerShellError(
          error.message,
          `${error.fullyQualifiedErrorId},${frame.name}`,
          error.category,
          error.targetObject,
        );
        e.exceptionTypeName = error.exceptionTypeName;
        return new ErrorRecord(
          e,
          frame.name,
          frame.position,
          e.exceptionTypeName ?? "Exception",
          undefined,
          "Write-Error",
        );
      }
      return new ErrorRecord(error, command.name, position, error.exceptionTypeName ?? "Exception", invocationText);
    };
  }

  private handleNonTerminating(record: ErrorRecord, errorAction: string | undefined, run: CmdletRun): void {
    const action = (errorAction ?? this.preference("ErrorActionPreference")).toLowerCase();
    run.errorVariable.push(record);
    // -ErrorAction Stop turns the error into a script-terminating one (catchable by try/catch).
    if (action === "stop") throw new TerminatingError(record, true);
    if (action === "ignore") return;
    this.errors.unshift(record);
    if (action === "silentlycontinue") return;
    if (run.redirect.discardErrors) return;
    if (run.redirect.mergeErrors) run.out.push(record);
    else this.reportError(record);
  }
}

/** Write-Host and Write-Output take all remaining arguments (ValueFromRemainingArguments): `Write-Host a b`. */
function withRemainingArguments(command: CommandDefinition, args: BoundArgument[]): BoundArgument[] {
  if (!/^write-(host|output)$/i.test(command.name)) return args;
  const positional = args.flatMap((a) => (a.kind === "positional" ? [a.value] : []));
  if (positional.length <= 1) return args;
  return [...args.filter((a) => a.kind !== "positional"), { kind: "positional", value: positional }];
}
