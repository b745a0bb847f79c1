// The Windows PowerShell 5.1 built-in cmdlets scripts and our provider use, as CommandDefinitions
// (Microsoft.PowerShell.Utility / Management / Core), grouped by idea in the files imported here.
// Commands passed in RunScriptOptions.commands replace these by name (the emulator supplies
// Get-ChildItem and Get-Item for the Cert: drive).

import type { CommandDefinition } from "./command";
import type { VirtualFileSystem } from "./session";
import type { PSHashtable } from "./values";
import type { ScriptBlock } from "./runtimeValues";
import { objectCommands } from "./objectCommands";
import { outputCommands } from "./outputCommands";
import { sessionCommands } from "./sessionCommands";
import { fileCommands } from "./fileCommands";

/** What built-in commands need from the interpreter running them. */
export interface Runtime {
  readonly fileSystem: VirtualFileSystem;
  now(): Date;
  writeHost(text: string): void;
  getVariable(name: string): unknown;
  setVariable(name: string, value: unknown): void;
  /** Marks a module imported; false when no command belongs to it. */
  importModule(name: string): boolean;
  /** Module names: those in the session, or with `available` those on PSModulePath (Get-Module -ListAvailable). */
  modules(available: boolean): string[];
  invokeScriptBlock(block: ScriptBlock, dollarUnder: unknown, args?: unknown[]): Promise<unknown[]>;
  formatEnumerationLimit(): number;
  visibleCommands(): CommandDefinition[];
  setMatches(matches: PSHashtable | null): void;
}

export function builtinCommands(runtime: Runtime): CommandDefinition[] {
  return [
    ...objectCommands(runtime),
    ...outputCommands(runtime),
    ...sessionCommands(runtime),
    ...fileCommands(runtime),
  ];
}
