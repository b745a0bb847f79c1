// The commands a session on an emulated server knows, and the interpreter that runs them.
//
// Both live in folders other engineers own (cmdlets/, powershell/). They are loaded when the first
// script runs, so the server core starts (and its tests run with a stand-in runner) even while
// either is missing; a missing one fails the script with a message saying what is absent.

import { setFlagsFromString } from "node:v8";
import type { CommandDefinition } from "./powershell/command";
import type { RunScriptOptions, ScriptResult } from "./powershell/session";

type RunScript = (script: string, options: RunScriptOptions) => Promise<ScriptResult>;

let cachedCommands: readonly CommandDefinition[] | undefined;
let cachedRunScript: RunScript | undefined;

/** lyncCommands, emulatorCommands and any other command list emulator/cmdlets/index.ts exports. */
export function loadCommands(): readonly CommandDefinition[] {
  if (cachedCommands) return cachedCommands;
  const exports = requireLocal("./cmdlets/index", "the Cs cmdlets (emulator/cmdlets/index.ts)");
  const seen = new Set<string>();
  const commands: CommandDefinition[] = [];
  for (const value of Object.values(exports)) {
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) {
      if (!isCommand(item)) continue;
      const key = `${item.module ?? ""}\\${item.name}`.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      commands.push(item);
    }
  }
  cachedCommands = commands;
  return commands;
}

/** loadCommands(), or none when the cmdlets are not built. */
export function loadCommandsIfBuilt(): readonly CommandDefinition[] {
  try {
    return loadCommands();
  } catch {
    return [];
  }
}

/** runScript from emulator/powershell/interpreter.ts. */
export function loadRunScript(): RunScript {
  if (cachedRunScript) return cachedRunScript;
  preferBaselineWasm();
  const exports = requireLocal(
    "./powershell/interpreter",
    "the PowerShell interpreter (emulator/powershell/interpreter.ts)",
  );
  if (typeof exports.runScript !== "function") {
    throw new Error(
      "loading the PowerShell interpreter: emulator/powershell/interpreter.ts exports no runScript function",
    );
  }
  cachedRunScript = exports.runScript as RunScript;
  return cachedRunScript;
}

function isCommand(value: unknown): value is CommandDefinition {
  const v = value as Partial<CommandDefinition> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.name === "string" &&
    Array.isArray(v.parameterSets) &&
    typeof v.invoke === "function"
  );
}

function requireLocal(specifier: string, what: string): Record<string, unknown> {
  try {
    // A computed require: the module may not be built yet (see the header).
    return require(specifier) as Record<string, unknown>;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const firstLine = (cause as Error).message.split("\n")[0];
    const reason = code === "MODULE_NOT_FOUND" ? `it or a module it needs is not built (${firstLine})` : firstLine;
    throw new Error(`loading ${what}: ${reason}`, { cause });
  }
}

/**
 * V8 tiers the 1 MB tree-sitter grammar up to optimized code in the background, and a process that
 * has parsed once then takes 30-45 s to exit while that compilation finishes (measured on Node 20).
 * The baseline compiler alone parses our scripts fast enough. Set before the grammar is loaded.
 */
export function preferBaselineWasm(): void {
  setFlagsFromString("--liftoff-only");
}
