// The entry point the SSH front door calls: run one script in a fresh runspace and collect what
// PowerShell would print. Implemented by the PowerShell front end (interpreter.ts).

import type { CommandDefinition } from "./command";
import type { StandardInput } from "./standardInput";

/**
 * One record of a non-output stream, in order. powershell.exe writes them as text ("WARNING: …") or,
 * with -EncodedCommand / -Command - and a redirected stderr, as CLIXML (clixml.ts).
 */
export type StreamRecord =
  | { readonly stream: "error"; readonly text: string }
  | { readonly stream: "warning" | "verbose" | "debug"; readonly text: string }
  | { readonly stream: "progress"; readonly activity: string; readonly status: string }
  /** A child process's stderr, written to the inherited handle as it is. */
  | { readonly stream: "native"; readonly text: string };

/** What a child process gave back (a native command such as powershell.exe). */
export interface ProcessResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export interface ScriptResult {
  /** The success stream as the default formatter renders it (Out-Default). */
  stdout: string;
  /** Error records rendered as Windows PowerShell 5.1 prints them, plus warnings and verbose lines. */
  stderr: string;
  /** `exit N`; otherwise 1 when the script ended on a terminating error or `$?` is false, else 0. */
  exitCode: number;
  /** The same error, warning and verbose output as records (plus progress), for CLIXML. */
  records?: StreamRecord[];
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
  /** The process's redirected standard input: top-level `$input` and `[Console]::In` read it. */
  stdin?: StandardInput;
  /**
   * Called with the stdout written so far when the script is about to wait for standard input (a real
   * process's output reaches the client as it is written); the result holds only what came after.
   */
  onStdout?: (text: string) => void;
  /** Called with the text of every script block compiled at run time ([scriptblock]::Create): event 4104. */
  onScriptBlock?: (text: string) => void;
  /**
   * Starts a native program (a command line as CreateProcess gets it) that inherits standard input;
   * without it no native program is found.
   */
  startProcess?: (commandLine: string, stdin: StandardInput | undefined) => Promise<ProcessResult>;
  /**
   * Modules on PSModulePath, in path order: a command of theirs imports the module on first use (PowerShell 3+
   * auto-loading), through beforeCommand as "Import-Module". @default none (only Import-Module makes them visible)
   */
  autoLoadModules?: readonly string[];
}
