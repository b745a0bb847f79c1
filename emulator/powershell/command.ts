// The contract between the PowerShell front end and the commands it runs.
//
// A command declares its parameter sets the way cmdlet help does; the interpreter binds arguments
// (case-insensitive names, unambiguous prefixes, aliases, positions, switches, pipeline input,
// conversion to the declared type) and picks the parameter set, so commands only see bound values.
// Common parameters (-Verbose, -Debug, -ErrorAction, -WarningAction, -ErrorVariable, -OutVariable,
// -WhatIf, -Confirm) are bound by the interpreter for every command and arrive in `common`.

import { PSObject } from "./values";

export type ParameterType =
  "string" | "string[]" | "int" | "bool" | "switch" | "datetime" | "securestring" | "object" | "object[]";

export interface ParameterDefinition {
  /** Canonical name as in the cmdlet help, e.g. "Thumbprint". */
  readonly name: string;
  readonly type: ParameterType;
  readonly aliases?: readonly string[];
  /** Zero-based position for positional binding; absent means named only. */
  readonly position?: number;
  readonly mandatory?: boolean;
  /** Binds each pipeline input object in turn; the command is invoked once per object. */
  readonly valueFromPipeline?: boolean;
  /**
   * For .NET enum parameters: the allowed names. Matching is case-insensitive and the bound value is
   * the canonical spelling; anything else fails binding with PowerShell's enum conversion error.
   */
  readonly enumValues?: readonly string[];
  /** The .NET enum type name shown in binding errors, e.g. "Microsoft.Rtc.Management.Deployment.CertType". */
  readonly enumTypeName?: string;
}

export interface ParameterSetDefinition {
  readonly name: string;
  readonly parameters: readonly ParameterDefinition[];
  readonly isDefault?: boolean;
}

/** What a command can do while it runs. */
export interface CommandContext {
  /** Bound parameters by canonical name; switches are true when present. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly parameterSetName: string;
  /** Pipeline input, when no parameter took it by valueFromPipeline. */
  readonly input: readonly unknown[];
  readonly common: {
    readonly verbose: boolean;
    readonly whatIf: boolean;
    readonly errorAction?: "Stop" | "Continue" | "SilentlyContinue" | "Ignore" | "Inquire";
  };
  /** Writes to the success stream. */
  output(value: unknown): void;
  /** A non-terminating error: written to the error stream; the pipeline goes on (unless -ErrorAction Stop). */
  writeError(error: PowerShellError): void;
  writeWarning(message: string): void;
  writeVerbose(message: string): void;
  /** The host this command runs on: the emulator puts its server state here; the interpreter does not look inside. */
  readonly host: unknown;
}

export interface CommandDefinition {
  /** Verb-Noun, e.g. "Get-CsCertificate". */
  readonly name: string;
  /**
   * The module that exports it, e.g. "Microsoft.PowerShell.Utility"; a command without one is always visible.
   * A module's commands are visible once Import-Module (or auto-loading from PSModulePath) loads it.
   */
  readonly module?: string;
  /**
   * Its module is loaded in every runspace, as PowerShell's own Microsoft.PowerShell.* modules are.
   * @default false (true for PowerShell's own modules)
   */
  readonly moduleAlwaysLoaded?: boolean;
  readonly parameterSets: readonly ParameterSetDefinition[];
  /** Throw a PowerShellError to end the command with a terminating error. */
  invoke(context: CommandContext): void | Promise<void>;
}

/**
 * An ErrorRecord. `message` is what PowerShell prints first; `fullyQualifiedErrorId` and `category`
 * are what it prints in the "+ CategoryInfo / + FullyQualifiedErrorId" lines.
 */
export class PowerShellError extends Error {
  constructor(
    message: string,
    readonly fullyQualifiedErrorId: string,
    readonly category: string = "NotSpecified",
    readonly targetObject?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PowerShellError";
  }

  /**
   * The .NET exception type shown at the end of the "+ CategoryInfo" line, e.g. "ItemNotFoundException".
   * @default "Exception" for commands' errors, "RuntimeException" for the language's own.
   */
  exceptionTypeName?: string;
}

/** Lync's cmdlets' objects carry their .NET type so formatting and Get-Member look right. */
export function dotnetObject(typeName: string, properties: Record<string, unknown>): PSObject {
  return new PSObject([typeName, "System.Object"], properties);
}
