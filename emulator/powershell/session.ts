// The entry point the SSH front door calls: run one script in a fresh runspace and collect what
// PowerShell would print. Implemented by the PowerShell front end (interpreter.ts).

import type { CommandDefinition } from "./command";

export interface ScriptResult {
  /** The success stream as the default formatter renders it (Out-Default). */
  stdout: string;
  /** Error records rendered as Windows PowerShell 5.1 prints them, plus warnings and verbose lines. */
  stderr: string;
  /** `exit N`; otherwise 1 when the script ended on a terminating error or `$?` is false, else 0. */
  exitCode: number;
}

/**
 * The server's disk as scripts see it (C:\\..., case-insensitive Windows paths). The emulator owns
 * it; built-ins such as [System.IO.File]::WriteAllBytes, Get-Content, Test-Path and Remove-Item
 * and the Lync cmdlets that take -Path or -Output all go through it.
 */
export interface VirtualFileSystem {
  read(path: string): Uint8Array | undefined;
  write(path: string, data: Uint8Array): void;
  remove(path: string): boolean;
  exists(path: string): boolean;
}

export interface RunScriptOptions {
  fileSystem: VirtualFileSystem;
  /** Every command this runspace knows (built-ins are added by the interpreter itself). */
  commands: readonly CommandDefinition[];
  /** Opaque host state handed to each command as CommandContext.host. */
  host: unknown;
  /** The server's clock: Get-Date and [DateTime]::Now/UtcNow read it (the emulator's clock can be moved). */
  now?: () => Date;
  /**
   * The server's environment variables ($env:COMPUTERNAME, $env:USERDNSDOMAIN, ...), matched
   * case-insensitively as on Windows. The emulator's own process environment is never visible.
   */
  environment?: Readonly<Record<string, string>>;
  /**
   * Called before each command runs, with its bound parameters: the emulator's audit log, latency
   * and fault injection hook in here. May throw (a dropped connection) or delay.
   */
  beforeCommand?: (name: string, parameters: Readonly<Record<string, unknown>>) => void | Promise<void>;
  afterCommand?: (name: string, parameters: Readonly<Record<string, unknown>>) => void | Promise<void>;
}
