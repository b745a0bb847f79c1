// Native programs a script can start. The only one an emulated server has is Windows PowerShell
// itself (`powershell.exe …` from a PowerShell command line), which is how a PowerShell default shell
// runs the provider's bootstrap.

import type { BoundArgument } from "./bindParameters";
import { toPSString } from "./runtimeValues";

export const POWERSHELL_EXE = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";

/** True for `powershell`, `powershell.exe` or a path ending in one of them (any case). */
export function isPowerShellProgram(name: string): boolean {
  return /^(?:.*[\\/])?powershell(?:\.exe)?$/i.test(name.replace(/^"(.*)"$/, "$1"));
}

/**
 * The command line Windows PowerShell 5.1 hands CreateProcess: the resolved path in quotes (.NET's
 * Process.Start adds them), then each argument as text, wrapped in double quotes when it holds
 * whitespace or is empty. Embedded quotes are passed as they are, 5.1's known quoting flaw. [guess]:
 * the finer points of 5.1's argument rebuilding (escaping of trailing backslashes) are not modelled.
 */
export function nativeCommandLine(program: string, args: readonly BoundArgument[]): string {
  const words: string[] = [];
  for (const a of args) {
    if (a.kind === "positional") words.push(...asWords(a.value));
    else if (a.hasValue) words.push(`-${a.name}:${asWords(a.value).join(" ")}`);
    else words.push(`-${a.name}`);
  }
  const quoted = words.map((w) => (w === "" || /\s/.test(w) ? `"${w}"` : w));
  return [`"${program}"`, ...quoted].join(" ");
}

function asWords(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => toPSString(v));
  return [toPSString(value)];
}

/** A native program's stdout as PowerShell reads it: one string per line. */
export function outputLines(stdout: string): string[] {
  if (stdout === "") return [];
  const lines = stdout.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
