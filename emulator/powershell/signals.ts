// How control leaves a statement early: break/continue/return/exit and terminating errors travel as
// exceptions, carrying the output already written (PowerShell streams it out before they take effect).

import { PowerShellError } from "./command";
import { runtimeError, type ErrorRecord } from "./runtimeValues";

/** break/continue; `partial` is what the pipeline had already written (PowerShell streams it out first). */
export class BreakSignal {
  partial: unknown[] = [];
}
export class ContinueSignal {
  partial: unknown[] = [];
}
export class ReturnSignal {}
export class ExitSignal {
  /** Output already written when `exit` ran inside a function or script block (PowerShell streams it). */
  partial: unknown[] = [];
  constructor(readonly code: number) {}
}

/** A terminating error on its way up; statement-terminating ones end only the current statement. */
export class TerminatingError extends Error {
  /** Output already written before the error, as for ExitSignal. */
  partial: unknown[] = [];
  constructor(
    readonly record: ErrorRecord,
    readonly scriptTerminating: boolean,
  ) {
    super(record.error.message);
  }
}

/** An error thrown by beforeCommand/afterCommand: it ends the script and reaches runScript's caller as it is. */
export class HookAbort {
  constructor(readonly cause: unknown) {}
}

/** [void] and assignments produce nothing, not even $null. */
export const NOTHING = Symbol("nothing");

/** Whether the signal carries output written before it. */
export function hasPartial(e: unknown): e is { partial: unknown[] } {
  return (
    e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof ExitSignal || e instanceof TerminatingError
  );
}

/** An expression's value as pipeline output: arrays are enumerated one level; $null is still one object. */
export function unroll(value: unknown): unknown[] {
  if (value === NOTHING || value === undefined) return [];
  if (Array.isArray(value)) return value;
  return [value];
}

/** The error for a language feature this emulator leaves out on purpose. */
export function notSupported(what: string): PowerShellError {
  return runtimeError(
    `${what[0].toUpperCase()}${what.slice(1)} are not supported by this emulator's PowerShell.`
      .replace(" are not supported by this emulator's PowerShell.", " is not supported by this emulator's PowerShell.")
      .replace(/statements is/, "statements are"),
    "NotSupported",
    "NotImplemented",
  );
}
