// The state of one runspace (variables and scopes, functions, commands and modules, what has been written)
// and what every part of the interpreter needs from it: variables, error reporting and positions. The
// interpreter is built in layers on this class: expressions.ts, statements.ts, functions.ts, pipeline.ts,
// cmdletInvocation.ts, then interpreter.ts on top; a layer calls the ones above it through the abstract
// methods declared here.

import type { CommandDefinition, ParameterDefinition, PowerShellError } from "./command";
import type { RunScriptOptions, StreamRecord } from "./session";
import { PSHashtable, PSObject } from "./values";
import type { SyntaxNode } from "./parser";
import { ErrorRecord, toNumber, toPSString, type ErrorPosition, type ScriptBlock } from "./runtimeValues";
import type { MemberEnvironment } from "./members";
import type { BoundArgument } from "./bindParameters";
import { builtinCommands, type Runtime } from "./builtinCommands";
import { renderErrorRecord } from "./renderError";
import { outDefault } from "./formatOutput";
import { ConsoleReader, StandardInput, StdinEnumerator } from "./standardInput";
import { CommandTable } from "./commandTable";
import { castValue } from "./cast";
import { HookAbort, TerminatingError } from "./signals";

export class Scope {
  readonly vars = new Map<string, unknown>();
  constructor(readonly parent?: Scope) {}
}

/** A script's `function` (or a script block with a param block, called like one). */
export interface FunctionDefinition {
  readonly name: string;
  readonly node: SyntaxNode;
  readonly parameters: { def: ParameterDefinition; defaultValue?: SyntaxNode }[];
  readonly hasParamBlock: boolean;
  readonly body: SyntaxNode | undefined;
}

/** Where the non-terminating errors of one command go (`2>&1`, `2>$null`). */
export interface ErrorRedirection {
  readonly mergeErrors: boolean;
  readonly discardErrors: boolean;
}

/** One call of a cmdlet: what was called, by which name, with what, and where its errors go. */
export interface CmdletCall {
  readonly command: CommandDefinition;
  readonly invocationName: string;
  readonly args: BoundArgument[];
  readonly input: unknown[];
  /** Whether it stands after another command in its pipeline, so that input binds object by object. */
  readonly downstream: boolean;
  readonly position: ErrorPosition;
  readonly redirect: ErrorRedirection;
}

export abstract class Runspace implements Runtime, MemberEnvironment {
  protected readonly global = new Scope();
  protected scope = this.global;
  protected readonly functions = new Map<string, FunctionDefinition>();
  protected readonly commands: CommandTable;
  /** stdout in order: success-stream objects (formatted at the end) and host text (Write-Host, [Console]::Out). */
  protected readonly stdoutParts: ({ kind: "objects"; items: unknown[] } | { kind: "text"; text: string })[] = [];
  protected stderr = "";
  /** Every non-output record in order, for powershell.exe's CLIXML stderr. */
  protected readonly records: StreamRecord[] = [];
  /** Source lines of script blocks compiled at run time, by node, for "At line:L char:C". */
  protected readonly sourceLines = new WeakMap<SyntaxNode, string[]>();
  /** `$?` */
  protected success = true;
  protected tryDepth = 0;
  /** Functions being run, innermost last, with where they were called. */
  protected readonly callStack: { name: string; position: ErrorPosition }[] = [];
  protected readonly errors: ErrorRecord[] = [];
  private readonly lines: string[];

  constructor(
    source: string,
    protected readonly options: RunScriptOptions,
  ) {
    this.lines = source.split(/\r?\n/);
    this.commands = new CommandTable(builtinCommands(this), options.commands, options.autoLoadModules ?? []);
    const g = this.global.vars;
    g.set("true", true);
    g.set("false", false);
    g.set("null", null);
    g.set("erroractionpreference", "Continue");
    g.set("warningpreference", "Continue");
    g.set("verbosepreference", "SilentlyContinue");
    g.set("formatenumerationlimit", 4);
    g.set("lastexitcode", 0);
    g.set("error", this.errors);
    g.set("pwd", "C:\\Users\\Administrator");
    g.set("home", "C:\\Users\\Administrator");
    g.set("pid", 4242);
    // powershell.exe enumerates redirected standard input into the top-level $input.
    g.set("input", options.stdin ? new StdinEnumerator(options.stdin) : []);
    g.set("psversiontable", psVersionTable());
    g.set("host", new PSObject(["System.Management.Automation.Internal.Host.InternalHost"], { Name: "ConsoleHost" }));
  }

  // ---- what the layers above implement ----

  abstract invokeScriptBlock(block: ScriptBlock, dollarUnder: unknown, args?: unknown[]): Promise<unknown[]>;
  protected abstract runStatements(node: SyntaxNode, out: unknown[]): Promise<void>;
  protected abstract runStatement(node: SyntaxNode, out: unknown[]): Promise<void>;
  protected abstract defineFunction(node: SyntaxNode): void;
  protected abstract runPipeline(node: SyntaxNode): Promise<unknown[]>;
  protected abstract createScriptBlock(text: string, at: SyntaxNode): Promise<ScriptBlock>;
  protected abstract invokeDefinition(call: CmdletCall): Promise<unknown[]>;

  // ---- Runtime (used by built-in commands) and MemberEnvironment ----

  get fileSystem() {
    return this.options.fileSystem;
  }
  now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
  consoleIn(): ConsoleReader {
    return new ConsoleReader(this.options.stdin ?? StandardInput.of(""), () => this.flushStdout());
  }
  /** Hands the stdout so far to options.onStdout: a process waiting on stdin has written it already. */
  private flushStdout(): void {
    if (!this.options.onStdout || this.stdoutParts.length === 0) return;
    const text = this.renderStdout();
    this.stdoutParts.length = 0;
    if (text !== "") this.options.onStdout(text);
  }
  protected renderStdout(): string {
    let out = "";
    for (const part of this.stdoutParts) {
      if (part.kind === "text") out += part.text;
      else out += outDefault(part.items, { enumerationLimit: this.formatEnumerationLimit() }, renderErrorRecord);
    }
    return out;
  }
  writeHost(text: string): void {
    this.stdoutParts.push({ kind: "text", text });
  }
  getVariable(name: string): unknown {
    return this.lookup(name);
  }
  setVariable(name: string, value: unknown): void {
    this.assignVariable(name, value);
  }
  importModule(name: string): boolean {
    return this.commands.importModule(name);
  }
  modules(available: boolean): string[] {
    return this.commands.modules(available);
  }
  formatEnumerationLimit(): number {
    return toNumber(this.lookup("FormatEnumerationLimit")) ?? 4;
  }
  visibleCommands(): CommandDefinition[] {
    return this.commands.visibleCommands();
  }
  setMatches(matches: PSHashtable | null): void {
    this.assignVariable("Matches", matches);
  }
  /** [type]value */
  cast(typeName: string, value: unknown): unknown {
    return castValue(typeName, value);
  }

  // ---- variables ----

  protected lookup(name: string): unknown {
    const lower = name.toLowerCase();
    if (lower === "?") return this.success;
    if (lower.startsWith("env:")) return environmentVariable(this.options.environment, name.slice(4));
    const key = lower.replace(/^(global|script|local|private|using):/, "");
    for (let s: Scope | undefined = this.scope; s; s = s.parent) if (s.vars.has(key)) return s.vars.get(key);
    return null;
  }

  protected assignVariable(name: string, value: unknown): void {
    const lower = name.toLowerCase();
    if (lower.startsWith("global:") || lower.startsWith("script:")) {
      this.global.vars.set(lower.replace(/^\w+:/, ""), value);
      return;
    }
    this.scope.vars.set(lower.replace(/^(local|private):/, ""), value);
  }

  protected preference(name: string): string {
    return toPSString(this.lookup(name));
  }

  /** Whether an error now ends the script ($ErrorActionPreference = 'Stop'). */
  protected stopsOnError(): boolean {
    return this.preference("ErrorActionPreference").toLowerCase() === "stop";
  }

  // ---- errors and where they happened ----

  protected reportError(record: ErrorRecord): void {
    const text = renderErrorRecord(record);
    this.stderr += text;
    this.records.push({ stream: "error", text });
  }

  protected position(node: SyntaxNode, end?: SyntaxNode): ErrorPosition {
    const lineText = (this.sourceLines.get(node) ?? this.lines)[node.line - 1] ?? "";
    const last = end ?? node;
    const length =
      last.line === node.line ? last.start + last.text.length - node.start : lineText.length - node.column + 1;
    return { line: node.line, column: node.column, lineText, length: Math.max(1, length) };
  }

  protected languageError(error: PowerShellError, node: SyntaxNode, scriptTerminating = false): TerminatingError {
    const record = new ErrorRecord(error, "", this.position(node), error.exceptionTypeName ?? "RuntimeException");
    return new TerminatingError(record, scriptTerminating);
  }

  /** Runs a beforeCommand/afterCommand hook; what it throws ends the script (HookAbort). */
  protected async hook(
    hook: RunScriptOptions["beforeCommand"],
    name: string,
    parameters: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    try {
      await hook?.(name, parameters);
    } catch (e) {
      throw new HookAbort(e);
    }
  }
}

function environmentVariable(environment: Readonly<Record<string, string>> | undefined, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(environment ?? {})) if (key.toLowerCase() === wanted) return value;
  switch (wanted) {
    case "temp":
    case "tmp":
      return "C:\\Windows\\TEMP";
    case "systemroot":
    case "windir":
      return "C:\\Windows";
    default:
      return null;
  }
}

function psVersionTable(): PSHashtable {
  const t = new PSHashtable();
  t.set("PSVersion", "5.1.14393.0");
  t.set("PSEdition", "Desktop");
  t.set("CLRVersion", "4.0.30319.42000");
  return t;
}
