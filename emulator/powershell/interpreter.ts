// The PowerShell front end: runs one script in a fresh runspace the way `powershell.exe -Command` does
// and returns what it would print and its exit code. Parsing is parser.ts; binding bindParameters.ts;
// built-in cmdlets builtinCommands.ts; Out-Default formatOutput.ts; error text renderError.ts.
//
// Deliberate simplifications (each fails loudly or is documented, none is silently lenient):
// - Pipelines run stage by stage, not streaming; stdout is formatted when the script ends (host text such as
//   Write-Host keeps its place). Terminating errors still stop at the right statement.
// - Numbers are JS doubles: Int32/Int64/Double differ only by value. The server's time zone is UTC.
// - -match/-replace/-split use JavaScript regular expressions (inline (?i) and named groups translated).
// - Classes, traps, workflows, labelled loops and `switch -File` fail with "not supported by this emulator's
//   PowerShell"; unknown .NET types with PowerShell's own "Unable to find type".

import { PowerShellError, type CommandContext, type CommandDefinition, type ParameterDefinition } from "./command";
import type { RunScriptOptions, ScriptResult } from "./session";
import { PSDateTime, PSEnum, PSHashtable, PSObject } from "./values";
import {
  commandElements,
  commandName,
  literalText,
  parsePowerShell,
  unescapeExpandable,
  verbatimHereStringValue,
  verbatimStringValue,
  type ParsedScript,
  type SyntaxNode,
} from "./parser";
import {
  ErrorRecord,
  ScriptBlock,
  TypeLiteral,
  collapse,
  enumerate,
  fullTypeName,
  parseDateTime,
  runtimeError,
  toBool,
  toNumber,
  toPSString,
  typeNameOf,
  type ErrorPosition,
} from "./runtimeValues";
import { arithmetic, compareOperator, conversionError, formatOperator, isType } from "./operators";
import {
  getMember,
  getStaticMember,
  invokeMethod,
  invokeStaticMethod,
  setMember,
  type MemberEnvironment,
} from "./members";
import { bindParameters, takesPipelineInput, type BoundArgument, type CommonParameters } from "./bindParameters";
import { builtinCommands, type Runtime } from "./builtinCommands";
import { renderErrorRecord, renderParseErrors } from "./renderError";
import { outDefault } from "./formatOutput";
import { ConsoleReader, NOT_A_READER_METHOD, StandardInput, StdinEnumerator } from "./standardInput";
import type { StreamRecord } from "./session";
import { isPowerShellProgram, nativeCommandLine, outputLines, POWERSHELL_EXE } from "./nativeCommand";
import { compileScriptBlock, moduleToAutoLoad } from "./dynamicCode";

/** Runs a script; never throws for script errors (they become stderr and the exit code). */
export async function runScript(script: string, options: RunScriptOptions): Promise<ScriptResult> {
  const parsed = await parsePowerShell(script);
  if (parsed.errors.length > 0) {
    return { stdout: "", stderr: renderParseErrors(parsed), exitCode: 1 };
  }
  const interpreter = new Interpreter(parsed, options);
  return interpreter.run();
}

/** break/continue; `partial` is what the pipeline had already written (PowerShell streams it out first). */
class BreakSignal {
  partial: unknown[] = [];
}
class ContinueSignal {
  partial: unknown[] = [];
}
class ReturnSignal {}
class ExitSignal {
  /** Output already written when `exit` ran inside a function or script block (PowerShell streams it). */
  partial: unknown[] = [];
  constructor(readonly code: number) {}
}

/** A terminating error on its way up; statement-terminating ones end only the current statement. */
class TerminatingError extends Error {
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
class HookAbort {
  constructor(readonly cause: unknown) {}
}

/** [void] and assignments produce nothing, not even $null. */
const NOTHING = Symbol("nothing");

class Scope {
  readonly vars = new Map<string, unknown>();
  constructor(readonly parent?: Scope) {}
}

interface FunctionDefinition {
  readonly name: string;
  readonly node: SyntaxNode;
  readonly parameters: { def: ParameterDefinition; defaultValue?: SyntaxNode }[];
  readonly hasParamBlock: boolean;
  readonly body: SyntaxNode | undefined;
}

const ALIASES: Record<string, string> = {
  "%": "ForEach-Object",
  foreach: "ForEach-Object",
  "?": "Where-Object",
  where: "Where-Object",
  select: "Select-Object",
  sort: "Sort-Object",
  fl: "Format-List",
  ft: "Format-Table",
  echo: "Write-Output",
  write: "Write-Output",
  gci: "Get-ChildItem",
  ls: "Get-ChildItem",
  dir: "Get-ChildItem",
  gi: "Get-Item",
  gc: "Get-Content",
  cat: "Get-Content",
  type: "Get-Content",
  sc: "Set-Content",
  rm: "Remove-Item",
  del: "Remove-Item",
  erase: "Remove-Item",
  ri: "Remove-Item",
  ipmo: "Import-Module",
  gcm: "Get-Command",
};

const LYNC_MODULES = new Set(["lync", "skypeforbusiness"]);

class Interpreter implements Runtime, MemberEnvironment {
  private readonly global = new Scope();
  private scope = this.global;
  private readonly functions = new Map<string, FunctionDefinition>();
  private readonly imported = new Set<string>();
  /** By lower-case name; one name may exist in several modules (Lync and SkypeForBusiness). */
  private readonly commands = new Map<string, CommandDefinition[]>();
  /** stdout in order: success-stream objects (formatted at the end) and host text (Write-Host, [Console]::Out). */
  private readonly stdoutParts: ({ kind: "objects"; items: unknown[] } | { kind: "text"; text: string })[] = [];
  private stderr = "";
  /** Every non-output record in order, for powershell.exe's CLIXML stderr. */
  private readonly records: StreamRecord[] = [];
  /** Source lines of script blocks compiled at run time, by node, for "At line:L char:C". */
  private readonly sourceLines = new WeakMap<SyntaxNode, string[]>();
  private success = true;
  private tryDepth = 0;
  /** Functions being run, innermost last, with where they were called. */
  private readonly callStack: { name: string; position: ErrorPosition }[] = [];
  private readonly errors: ErrorRecord[] = [];
  private readonly lines: string[];

  constructor(
    private readonly parsed: ParsedScript,
    private readonly options: RunScriptOptions,
  ) {
    this.lines = parsed.source.split(/\r?\n/);
    for (const c of builtinCommands(this)) this.commands.set(c.name.toLowerCase(), [c]);
    const supplied = new Set<string>();
    for (const c of options.commands) {
      const key = c.name.toLowerCase();
      // A supplied command replaces the built-in of the same name.
      if (!supplied.has(key)) this.commands.set(key, []);
      supplied.add(key);
      this.commands.get(key)!.push(c);
    }
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

  // ---- Runtime (used by built-in commands) ----

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
    const lower = name.toLowerCase();
    const known =
      [...this.commands.values()].flat().some((c) => c.module?.toLowerCase() === lower) ||
      ["microsoft.powershell.utility", "microsoft.powershell.management", "microsoft.powershell.security"].includes(
        lower,
      );
    if (known) this.imported.add(lower);
    return known;
  }
  async invokeScriptBlock(block: ScriptBlock, dollarUnder: unknown, args: unknown[] = []): Promise<unknown[]> {
    const out: unknown[] = [];
    const saved = this.scope.vars.has("_") ? { value: this.scope.vars.get("_") } : undefined;
    this.scope.vars.set("_", dollarUnder);
    this.scope.vars.set("psitem", dollarUnder);
    this.scope.vars.set("args", args);
    try {
      await this.runScriptBlockBody(block.node, out);
    } catch (e) {
      // `return` in a ForEach-Object / Where-Object block ends that block only.
      if (!(e instanceof ReturnSignal)) throw e;
    } finally {
      if (saved) {
        this.scope.vars.set("_", saved.value);
        this.scope.vars.set("psitem", saved.value);
      } else {
        this.scope.vars.delete("_");
        this.scope.vars.delete("psitem");
      }
    }
    return out;
  }
  formatEnumerationLimit(): number {
    return toNumber(this.lookup("FormatEnumerationLimit")) ?? 4;
  }
  visibleCommands(): CommandDefinition[] {
    return [...this.commands.values()].flatMap((list) => list.filter((c) => this.isVisible(c)).slice(0, 1));
  }

  // ---- running ----

  async run(): Promise<ScriptResult> {
    let exitCode: number | undefined;
    try {
      await this.runStatements(this.parsed.root, this.topLevelSink());
    } catch (e) {
      if (e instanceof ExitSignal) exitCode = e.code;
      else if (e instanceof TerminatingError) {
        this.reportError(e.record);
        exitCode = 1;
      } else if (e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof ReturnSignal) {
        // break/continue outside a loop and return at top level end the script quietly, as in PowerShell.
      } else if (e instanceof HookAbort) {
        // The emulator's hooks abort the script on purpose (a dropped connection): their error goes to the caller.
        throw e.cause;
      } else {
        // A fault in this interpreter or in a command: loud on stderr, never a crashed session.
        const message = e instanceof Error ? e.message : String(e);
        const error = new PowerShellError(
          `The emulator's PowerShell failed while running this script: ${message}`,
          "EmulatorInternalError",
          "NotSpecified",
        );
        this.reportError(new ErrorRecord(error, "", undefined, "RuntimeException"));
        exitCode = 1;
      }
    }
    const stdout = this.renderStdout();
    return {
      stdout,
      stderr: this.stderr,
      exitCode: exitCode ?? (this.success ? 0 : 1),
      records: this.records,
    };
  }

  private async hook(
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

  private renderStdout(): string {
    let out = "";
    for (const part of this.stdoutParts) {
      if (part.kind === "text") out += part.text;
      else
        out += outDefault(part.items, { enumerationLimit: this.formatEnumerationLimit() }, (r) => this.renderRecord(r));
    }
    return out;
  }

  private renderRecord(record: ErrorRecord): string {
    return renderErrorRecord(record);
  }

  private reportError(record: ErrorRecord): void {
    const text = renderErrorRecord(record);
    this.stderr += text;
    this.records.push({ stream: "error", text });
  }

  private position(node: SyntaxNode, end?: SyntaxNode): ErrorPosition {
    const lineText = (this.sourceLines.get(node) ?? this.lines)[node.line - 1] ?? "";
    const last = end ?? node;
    const length =
      last.line === node.line ? last.start + last.text.length - node.start : lineText.length - node.column + 1;
    return { line: node.line, column: node.column, lineText, length: Math.max(1, length) };
  }

  private languageError(error: PowerShellError, node: SyntaxNode, scriptTerminating = false): TerminatingError {
    const record = new ErrorRecord(error, "", this.position(node), error.exceptionTypeName ?? "RuntimeException");
    return new TerminatingError(record, scriptTerminating);
  }

  private preference(name: string): string {
    return toPSString(this.lookup(name));
  }

  // ---- statements ----

  private async runStatements(node: SyntaxNode, out: unknown[]): Promise<void> {
    for (const child of node.children) {
      if (!child.named || child.type === "comment" || child.type === "empty_statement") continue;
      if (child.type === "statement_list") {
        await this.runStatements(child, out);
        continue;
      }
      try {
        await this.runStatement(child, out);
      } catch (e) {
        if (
          e instanceof TerminatingError &&
          !e.scriptTerminating &&
          this.tryDepth === 0 &&
          this.preference("ErrorActionPreference").toLowerCase() !== "stop"
        ) {
          this.reportError(e.record);
          this.errors.unshift(e.record);
          this.success = false;
          continue;
        }
        throw e;
      }
    }
  }

  private async runBlock(node: SyntaxNode | undefined, out: unknown[]): Promise<void> {
    if (!node) return;
    await this.runStatements(node, out);
  }

  private async runStatement(node: SyntaxNode, out: unknown[]): Promise<void> {
    switch (node.type) {
      case "if_statement":
        return this.runIf(node, out);
      case "foreach_statement":
        return this.runForeach(node, out);
      case "for_statement":
        return this.runFor(node, out);
      case "while_statement":
        return this.runWhile(node, out);
      case "do_statement":
        return this.runDo(node, out);
      case "function_statement":
        this.defineFunction(node);
        return;
      case "flow_control_statement":
        return this.runFlowControl(node, out);
      case "try_statement":
        return this.runTry(node, out);
      case "switch_statement":
        return this.runSwitch(node, out);
      case "statement_block":
      case "statement_list":
        return this.runStatements(node, out);
      case "pipeline_chain":
      case "command": {
        let results: unknown[];
        try {
          results = await this.runPipeline(node);
        } catch (e) {
          if (hasPartial(e)) for (const r of e.partial) out.push(r);
          throw e;
        }
        for (const r of results) out.push(r);
        return;
      }
      case "assignment_expression": {
        await this.runAssignment(node);
        // `$x = Get-Thing` keeps the command's $?; an expression on the right always succeeds.
        const right = node.children[2];
        if (right?.type !== "pipeline_chain" && right?.type !== "command") this.success = true;
        return;
      }
      case "trap_statement":
      case "class_statement":
      case "enum_statement":
      case "data_statement":
      case "parallel_statement":
      case "sequence_statement":
      case "inlinescript_statement":
        throw this.languageError(notSupported(node.type.replace(/_statement$/, "") + " statements"), node);
      default: {
        const value = await this.evaluate(node);
        this.success = true;
        if (value !== NOTHING) for (const item of unroll(value)) out.push(item);
      }
    }
  }

  private async condition(node: SyntaxNode): Promise<boolean> {
    const value = await this.evaluateStatementValue(node);
    return toBool(value);
  }

  /** Value of a statement used as an expression (a condition, `$x = <statement>`): commands are collected. */
  private async evaluateStatementValue(node: SyntaxNode): Promise<unknown> {
    if (node.type === "pipeline_chain" || node.type === "command") return collapse(await this.runPipeline(node));
    if (node.type === "assignment_expression") {
      return this.runAssignment(node);
    }
    const v = await this.evaluate(node);
    return v === NOTHING ? null : v;
  }

  private async runIf(node: SyntaxNode, out: unknown[]): Promise<void> {
    const kids = node.children;
    const cond = kids.find(
      (c) =>
        c.named &&
        c.type !== "statement_block" &&
        c.type !== "elseif_clauses" &&
        c.type !== "elseif_clause" &&
        c.type !== "else_clause",
    )!;
    const block = kids.find((c) => c.type === "statement_block");
    if (await this.condition(cond)) return this.runBlock(block, out);
    const elseifs = kids.flatMap((c) =>
      c.type === "elseif_clauses" ? c.children : c.type === "elseif_clause" ? [c] : [],
    );
    for (const clause of elseifs) {
      const c = clause.children.find((x) => x.named && x.type !== "statement_block")!;
      if (await this.condition(c))
        return this.runBlock(
          clause.children.find((x) => x.type === "statement_block"),
          out,
        );
    }
    const elseClause = kids.find((c) => c.type === "else_clause");
    if (elseClause)
      await this.runBlock(
        elseClause.children.find((x) => x.type === "statement_block"),
        out,
      );
  }

  private async loopBody(block: SyntaxNode | undefined, out: unknown[]): Promise<"break" | "continue" | undefined> {
    try {
      await this.runBlock(block, out);
    } catch (e) {
      if (e instanceof BreakSignal) return "break";
      if (e instanceof ContinueSignal) return "continue";
      throw e;
    }
    return undefined;
  }

  private async runForeach(node: SyntaxNode, out: unknown[]): Promise<void> {
    const kids = node.children.filter((c) => c.named);
    const variable = kids.find((c) => c.type === "variable")!;
    const block = kids.find((c) => c.type === "statement_block");
    const source = kids.find((c) => c !== variable && c !== block && c.type !== "foreach_parameter")!;
    const items = enumerate(await this.evaluateStatementValue(source));
    const name = variableName(variable);
    for (const item of [...items]) {
      this.assignVariable(name, item);
      if ((await this.loopBody(block, out)) === "break") break;
    }
  }

  private async runFor(node: SyntaxNode, out: unknown[]): Promise<void> {
    const part = (type: string) => {
      const n = node.children.find((c) => c.type === type || c.field === type);
      return n && n.type === type ? (n.children.find((x) => x.named) ?? n) : n;
    };
    // The grammar names the three parts for_initializer / for_condition / for_iterator when present.
    let init = part("for_initializer");
    let cond = part("for_condition");
    let iter = part("for_iterator");
    if (!init && !cond && !iter) {
      const inner = node.children.filter((c) => c.named && c.type !== "statement_block");
      const semis = node.children.filter((c) => c.type === ";").map((c) => c.start);
      for (const n of inner) {
        if (semis.length > 0 && n.start < semis[0]) init = n;
        else if (semis.length > 1 && n.start < semis[1]) cond = n;
        else iter = n;
      }
    }
    const block = node.children.find((c) => c.type === "statement_block");
    if (init) await this.evaluateStatementValue(init);
    for (;;) {
      if (cond && !(await this.condition(cond))) break;
      if ((await this.loopBody(block, out)) === "break") break;
      if (iter) await this.evaluateStatementValue(iter);
    }
  }

  private async runWhile(node: SyntaxNode, out: unknown[]): Promise<void> {
    const condNode =
      node.children.find((c) => c.type === "while_condition") ??
      node.children.find((c) => c.named && c.type !== "statement_block")!;
    const cond = condNode.type === "while_condition" ? condNode.children.find((c) => c.named)! : condNode;
    const block = node.children.find((c) => c.type === "statement_block");
    while (await this.condition(cond)) {
      if ((await this.loopBody(block, out)) === "break") break;
    }
  }

  private async runDo(node: SyntaxNode, out: unknown[]): Promise<void> {
    const block = node.children.find((c) => c.type === "statement_block");
    const until = node.children.some((c) => c.type === "until");
    const condNode = node.children.find((c) => c.named && c !== block)!;
    const cond = condNode.type === "while_condition" ? condNode.children.find((c) => c.named)! : condNode;
    for (;;) {
      if ((await this.loopBody(block, out)) === "break") break;
      const value = await this.condition(cond);
      if (until ? value : !value) break;
    }
  }

  private async runFlowControl(node: SyntaxNode, out: unknown[]): Promise<void> {
    const keyword = node.children[0].type.toLowerCase();
    const operand = node.children.find((c) => c.named);
    switch (keyword) {
      case "break":
        throw new BreakSignal();
      case "continue":
        throw new ContinueSignal();
      case "return":
        if (operand) {
          const value = await this.evaluateStatementValue(operand);
          for (const item of unroll(value)) out.push(item);
        }
        throw new ReturnSignal();
      case "exit": {
        const value = operand ? await this.evaluateStatementValue(operand) : 0;
        throw new ExitSignal(Math.trunc(toNumber(value) ?? 0));
      }
      case "throw": {
        const value = operand ? await this.evaluateStatementValue(operand) : null;
        if (value instanceof ErrorRecord) throw new TerminatingError(value, true);
        const message = value === null || value === undefined ? "ScriptHalted" : toPSString(value);
        const error = new PowerShellError(message, message, "OperationStopped", value ?? undefined);
        error.exceptionTypeName = "RuntimeException";
        const record = new ErrorRecord(error, "", this.position(node), "RuntimeException");
        throw new TerminatingError(record, true);
      }
    }
  }

  private async runTry(node: SyntaxNode, out: unknown[]): Promise<void> {
    const body = node.children.find((c) => c.type === "statement_block");
    const catches = node.children.flatMap((c) =>
      c.type === "catch_clauses" ? c.children : c.type === "catch_clause" ? [c] : [],
    );
    const finallyClause = node.children.find((c) => c.type === "finally_clause");
    try {
      this.tryDepth++;
      try {
        await this.runBlock(body, out);
      } finally {
        this.tryDepth--;
      }
    } catch (e) {
      if (!(e instanceof TerminatingError) || catches.length === 0) {
        if (finallyClause)
          await this.runBlock(
            finallyClause.children.find((c) => c.type === "statement_block"),
            out,
          );
        throw e;
      }
      const clause = catches.find((c) => catchMatches(c, e.record));
      if (!clause) {
        if (finallyClause)
          await this.runBlock(
            finallyClause.children.find((c) => c.type === "statement_block"),
            out,
          );
        throw e;
      }
      this.errors.unshift(e.record);
      const saved = this.scope.vars.get("_");
      this.scope.vars.set("_", e.record);
      this.scope.vars.set("psitem", e.record);
      try {
        await this.runBlock(
          clause.children.find((c) => c.type === "statement_block"),
          out,
        );
      } finally {
        this.scope.vars.set("_", saved);
        this.scope.vars.set("psitem", saved);
        if (finallyClause)
          await this.runBlock(
            finallyClause.children.find((c) => c.type === "statement_block"),
            out,
          );
      }
      return;
    }
    if (finallyClause)
      await this.runBlock(
        finallyClause.children.find((c) => c.type === "statement_block"),
        out,
      );
  }

  private async runSwitch(node: SyntaxNode, out: unknown[]): Promise<void> {
    const params = node.children.find((c) => c.type === "switch_parameters");
    const flags = (params?.text ?? "").toLowerCase();
    const conditionNode = node.children.find((c) => c.type === "switch_condition");
    const valueNode = conditionNode?.children.find((c) => c.named);
    if (!valueNode) throw this.languageError(notSupported("switch -File"), node);
    const value = await this.evaluateStatementValue(valueNode);
    const body = node.children.find((c) => c.type === "switch_body");
    const clauses = (body?.children ?? []).flatMap((c) =>
      c.type === "switch_clauses" ? c.children : c.type === "switch_clause" ? [c] : [],
    );
    for (const item of value === null ? [null] : enumerate(value)) {
      let matched = false;
      let stop = false;
      for (const clause of clauses) {
        const condNode = clause.children.find((c) => c.named && c.type !== "statement_block")!;
        const block = clause.children.find((c) => c.type === "statement_block");
        const isDefault = condNode.text.toLowerCase() === "default";
        if (isDefault) continue;
        let hit: boolean;
        if (condNode.type === "script_block_expression") {
          hit = toBool(collapse(await this.invokeScriptBlock(new ScriptBlock(condNode, condNode.text), item)));
        } else {
          const inner = condNode.type === "switch_clause_condition" ? condNode.children.find((c) => c.named) : condNode;
          const pattern = inner ? await this.evaluateValue(inner) : condNode.text;
          const op = flags.includes("-wildcard") ? "-like" : flags.includes("-regex") ? "-match" : "-eq";
          hit = toBool(
            compareOperator(flags.includes("-casesensitive") ? op.replace("-", "-c") : op, item, pattern, this),
          );
        }
        if (hit) {
          matched = true;
          const saved = this.scope.vars.get("_");
          this.scope.vars.set("_", item);
          const r = await this.loopBody(block, out);
          this.scope.vars.set("_", saved);
          if (r === "break") {
            stop = true;
            break;
          }
          if (r === "continue") break;
        }
      }
      if (!matched && !stop) {
        const def = clauses.find((c) => c.children.find((x) => x.named)?.text.toLowerCase() === "default");
        if (def) {
          const saved = this.scope.vars.get("_");
          this.scope.vars.set("_", item);
          const r = await this.loopBody(
            def.children.find((c) => c.type === "statement_block"),
            out,
          );
          this.scope.vars.set("_", saved);
          if (r === "break") stop = true;
        }
      }
      if (stop) break;
    }
  }

  setMatches(matches: PSHashtable | null): void {
    this.assignVariable("Matches", matches);
  }

  // ---- functions ----

  private defineFunction(node: SyntaxNode): void {
    const name = node.children.find((c) => c.type === "function_name")!.text;
    const declaration = node.children.find((c) => c.type === "function_parameter_declaration");
    const scriptBlock = node.children.find((c) => c.type === "script_block");
    const paramBlock = scriptBlock?.children.find((c) => c.type === "param_block");
    const paramSource = paramBlock ?? declaration;
    const parameters = paramSource ? this.parameterDefinitions(paramSource) : [];
    this.functions.set(name.toLowerCase(), {
      name,
      node,
      parameters,
      hasParamBlock: paramSource !== undefined,
      body: scriptBlock,
    });
  }

  private parameterDefinitions(node: SyntaxNode): { def: ParameterDefinition; defaultValue?: SyntaxNode }[] {
    const list = node.type === "parameter_list" ? node : node.children.find((c) => c.type === "parameter_list");
    const params = (list ? list.children : node.children).filter((c) => c.type === "script_parameter");
    return params.map((p, index) => {
      const variable = p.children.find((c) => c.type === "variable")!;
      const attributes: SyntaxNode[] = [];
      const collect = (n: SyntaxNode) => {
        if (n.type === "script_parameter_default" || n.type === "variable") return;
        if (n.type === "type_literal" || n.type === "attribute") attributes.push(n);
        n.children.forEach(collect);
      };
      p.children.forEach(collect);
      const types = attributes.filter((a) => a.type === "type_literal" || !/^\[\s*\w+\s*\(/.test(a.text));
      const typeName = types.length ? typeText(types[types.length - 1]).toLowerCase() : "object";
      const paramAttr = attributes.find((a) => /^\[\s*parameter\s*\(/i.test(a.text));
      const attrText = paramAttr?.text.toLowerCase() ?? "";
      const flag = (name: string) => new RegExp(`\\b${name}\\b(?!\\s*=\\s*\\$false)`).test(attrText);
      const type: ParameterDefinition["type"] =
        typeName === "switch"
          ? "switch"
          : typeName === "string"
            ? "string"
            : typeName === "string[]"
              ? "string[]"
              : typeName === "int" || typeName === "int32" || typeName === "long"
                ? "int"
                : typeName === "bool" || typeName === "boolean"
                  ? "bool"
                  : typeName === "datetime"
                    ? "datetime"
                    : typeName === "securestring"
                      ? "securestring"
                      : typeName.endsWith("[]")
                        ? "object[]"
                        : "object";
      const def: ParameterDefinition = {
        name: variableName(variable),
        type,
        position: type === "switch" ? undefined : index,
        mandatory: flag("mandatory"),
        valueFromPipeline: flag("valuefrompipeline"),
      };
      const defaultNode = p.children.find((c) => c.type === "script_parameter_default");
      return { def, defaultValue: defaultNode?.children.find((c) => c.named) };
    });
  }

  private async callFunction(
    fn: FunctionDefinition,
    args: BoundArgument[],
    input: unknown[],
    hasInput: boolean,
  ): Promise<unknown[]> {
    const definition: CommandDefinition = {
      name: fn.name,
      parameterSets: [{ name: "__AllParameterSets", parameters: fn.parameters.map((p) => p.def), isDefault: true }],
      invoke() {},
    };
    // Without a param block every argument lands in $args.
    const extra: unknown[] = [];
    let binding: { parameters: Record<string, unknown>; common: CommonParameters };
    if (!fn.hasParamBlock) {
      for (const a of args) {
        if (a.kind === "positional") extra.push(a.value);
        else extra.push(`-${a.name}`, ...(a.hasValue ? [a.value] : []));
      }
      binding = { parameters: {}, common: { verbose: false, debug: false, whatIf: false } };
    } else {
      const positional = fn.parameters.filter((p) => p.def.position !== undefined).length;
      const kept: BoundArgument[] = [];
      let seen = 0;
      for (const a of args) {
        if (a.kind === "positional" && seen++ >= positional) extra.push(a.value);
        else kept.push(a);
      }
      binding = bindParameters(definition, kept);
    }
    const scope = new Scope(this.scope);
    const savedScope = this.scope;
    this.scope = scope;
    const out: unknown[] = [];
    try {
      for (const p of fn.parameters) {
        if (p.def.name in binding.parameters) scope.vars.set(p.def.name.toLowerCase(), binding.parameters[p.def.name]);
        else if (p.defaultValue)
          scope.vars.set(p.def.name.toLowerCase(), await this.evaluateStatementValue(p.defaultValue));
        else scope.vars.set(p.def.name.toLowerCase(), p.def.type === "switch" ? false : null);
      }
      scope.vars.set("args", extra);
      scope.vars.set("input", input);
      if (binding.common.errorAction) scope.vars.set("erroractionpreference", binding.common.errorAction);
      if (binding.common.verbose) scope.vars.set("verbosepreference", "Continue");
      try {
        if (fn.body) await this.runScriptBody(fn.body, out, input, hasInput);
      } catch (e) {
        if (e instanceof ExitSignal || e instanceof TerminatingError) e.partial = [...out];
        if (!(e instanceof ReturnSignal)) throw e;
      }
    } finally {
      this.scope = savedScope;
    }
    return out;
  }

  /** Runs a script block's body: a plain statement list, or begin/process/end blocks (process once per input object). */
  private async runScriptBody(
    scriptBlock: SyntaxNode,
    out: unknown[],
    input: unknown[],
    hasInput: boolean,
  ): Promise<void> {
    const body =
      scriptBlock.type === "script_block_body"
        ? scriptBlock
        : scriptBlock.children.find((c) => c.type === "script_block_body");
    const holder = body ?? scriptBlock;
    const named =
      holder.children.find((c) => c.type === "named_block_list") ??
      (holder.children.some((c) => c.type === "named_block") ? holder : undefined);
    if (!named) {
      const list = holder.children.find((c) => c.type === "statement_list") ?? holder;
      if (list.type === "script_block" && list.children.every((c) => c.type === "param_block")) return;
      await this.runStatements(list, out);
      return;
    }
    const blocks = named.children.filter((c) => c.type === "named_block");
    const blockOf = (name: string) =>
      blocks
        .find((b) => b.children[0]?.text.toLowerCase() === name)
        ?.children.find((c) => c.type === "statement_block");
    await this.runBlock(blockOf("begin"), out);
    const process = blockOf("process");
    if (process) {
      for (const item of hasInput ? input : [null]) {
        this.scope.vars.set("_", item);
        this.scope.vars.set("psitem", item);
        await this.runBlock(process, out);
      }
    }
    await this.runBlock(blockOf("end"), out);
  }

  private async runScriptBlockBody(expressionNode: SyntaxNode, out: unknown[]): Promise<void> {
    const scriptBlock = expressionNode.children.find((c) => c.type === "script_block");
    if (!scriptBlock) return;
    await this.runScriptBody(scriptBlock, out, [], false);
  }

  // ---- pipelines and commands ----

  private async runPipeline(node: SyntaxNode): Promise<unknown[]> {
    if (node.type === "command") return this.invokeCommand(node, [], false);
    const stages = node.children.filter((c) => c.named && c.type !== "comment" && c.type !== "redirections");
    const redirections = node.children.find((c) => c.type === "redirections");
    let items: unknown[] = [];
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i];
      if (stage.type === "command") {
        if (i > 0 && items.length === 0) {
          // A downstream command with no input never processes a record.
          items = [];
          continue;
        }
        try {
          items = await this.invokeCommand(stage, items, i > 0);
        } catch (e) {
          // Output already written by a stage before the last never reaches the end of the pipeline here.
          if (hasPartial(e) && i < stages.length - 1) e.partial = [];
          throw e;
        }
      } else if (i === 0) {
        const value = await this.evaluate(stage);
        items = value === NOTHING ? [] : unroll(value);
        this.success = true;
      } else {
        throw this.languageError(
          runtimeError(
            "Expressions are only allowed as the first element of a pipeline.",
            "ExpressionsMustBeFirstInPipeline",
            "ParserError",
          ),
          stage,
        );
      }
    }
    if (redirections && /(^|\s)(\*|1)?>\s*\$null/.test(redirections.text)) return [];
    return items;
  }

  private isVisible(command: CommandDefinition): boolean {
    const module = command.module?.toLowerCase();
    return module === undefined || !LYNC_MODULES.has(module) || this.imported.has(module);
  }

  private resolveCommand(name: string): FunctionDefinition | CommandDefinition | ScriptBlock | undefined {
    const lower = name.toLowerCase();
    const fn = this.functions.get(lower);
    if (fn) return fn;
    const target = (ALIASES[lower] ?? name).toLowerCase();
    const list = this.commands.get(target) ?? this.commands.get(target.replace(/^.*\\/, "")) ?? [];
    return list.find((c) => this.isVisible(c));
  }

  /** PowerShell 3+ imports a module on PSModulePath the first time one of its commands is used. */
  private async autoLoad(name: string): Promise<CommandDefinition | undefined> {
    const candidates = this.commands.get((ALIASES[name.toLowerCase()] ?? name).toLowerCase()) ?? [];
    const module = moduleToAutoLoad(candidates, this.options.autoLoadModules ?? []);
    if (!module) return undefined;
    // The same first-use cost and audit entry as an explicit Import-Module.
    await this.hook(this.options.beforeCommand, "Import-Module", { Name: [module] });
    this.records.push({ stream: "progress", activity: "Preparing modules for first use.", status: " " });
    this.imported.add(module.toLowerCase());
    await this.hook(this.options.afterCommand, "Import-Module", { Name: [module] });
    return this.resolveCommand(name) as CommandDefinition | undefined;
  }

  /** A native program: its stdout lines are the output, its stderr goes to ours as it is (inherited). [guess] */
  private async runNative(commandLine: string): Promise<unknown[]> {
    const result = await this.options.startProcess!(commandLine, this.options.stdin);
    if (result.stderr) {
      this.stderr += result.stderr;
      this.records.push({ stream: "native", text: result.stderr });
    }
    this.assignVariable("global:LASTEXITCODE", result.exitCode);
    this.success = result.exitCode === 0;
    return outputLines(result.stdout);
  }

  /** Invoke-Expression: the text is compiled (and logged, event 4104) and run in the caller's scope. */
  private async invokeExpression(args: BoundArgument[], input: unknown[], at: SyntaxNode): Promise<unknown[]> {
    const named = args.find((a) => a.kind === "named" && /^c(o(m(m(a(n(d)?)?)?)?)?)?$/i.test(a.name));
    const positional = args.find((a) => a.kind === "positional");
    const value =
      named?.kind === "named" ? named.value : positional?.kind === "positional" ? positional.value : input[0];
    const block = await this.createScriptBlock(toPSString(value), at);
    const out: unknown[] = [];
    const body = block.node.children[0];
    await this.runScriptBody(body, out, [], false);
    this.success = true;
    return out;
  }

  /** [scriptblock]::Create(text): compiled (and logged, event 4104) now, run when invoked. */
  private async createScriptBlock(text: string, at: SyntaxNode): Promise<ScriptBlock> {
    const compiled = await compileScriptBlock(text);
    this.options.onScriptBlock?.(text);
    if (!compiled.ok) {
      const message = `Exception calling "Create" with "1" argument(s): "${compiled.message}"`;
      throw this.languageError(runtimeError(message, "ParseException", "NotSpecified"), at);
    }
    for (const node of compiled.nodes) this.sourceLines.set(node, compiled.lines as string[]);
    return compiled.block;
  }

  private async evaluateArguments(
    node: SyntaxNode,
  ): Promise<{ args: BoundArgument[]; mergeErrors: boolean; discardErrors: boolean; discardOutput: boolean }> {
    const args: BoundArgument[] = [];
    let mergeErrors = false;
    let discardErrors = false;
    let discardOutput = false;
    for (const element of commandElements(node)) {
      switch (element.kind) {
        case "parameter":
          if (element.value) {
            args.push({
              kind: "named",
              name: element.name,
              hasValue: true,
              value: await this.evaluateArgument(element.value),
              usedColon: true,
            });
          } else args.push({ kind: "named", name: element.name, hasValue: false });
          break;
        case "argument":
          args.push({ kind: "positional", value: await this.evaluateArgument(element.value) });
          break;
        case "splat": {
          const value = this.lookup(element.variable);
          if (value instanceof PSHashtable) {
            for (const [k, v] of value.entries()) {
              if (v === true) args.push({ kind: "named", name: k, hasValue: true, value: true, usedColon: true });
              else args.push({ kind: "named", name: k, hasValue: true, value: v, usedColon: true });
            }
          } else for (const v of enumerate(value)) args.push({ kind: "positional", value: v });
          break;
        }
        case "redirection": {
          const op = element.operator.replace(/\s/g, "");
          const target = element.target?.text.trim().toLowerCase();
          if (op === "2>&1") mergeErrors = true;
          else if ((op === "2>" || op === "2>>") && target === "$null") discardErrors = true;
          else if ((op === ">" || op === "1>" || op === ">>") && target === "$null") discardOutput = true;
          else if (op === "*>" && target === "$null") {
            discardErrors = true;
            discardOutput = true;
          } else throw this.languageError(notSupported(`the redirection '${element.node.text}'`), element.node);
          break;
        }
      }
    }
    return { args, mergeErrors, discardErrors, discardOutput };
  }

  private async evaluateArgument(
    arg: { kind: "expression"; node: SyntaxNode } | { kind: "words"; words: string[]; node: SyntaxNode },
  ): Promise<unknown> {
    if (arg.kind === "words") return arg.words;
    const node = arg.node;
    if (node.type === "generic_token") return expandBareWord(node.text);
    if (node.type === "command_name" || node.type === "command_name_expr") return node.text;
    const v = await this.evaluate(node);
    return v === NOTHING ? null : v;
  }

  private async invokeCommand(node: SyntaxNode, input: unknown[], downstream: boolean): Promise<unknown[]> {
    const nameNode = commandName(node);
    const invocationOperator = node.children.find((c) => c.type === "command_invokation_operator")?.text;
    if (!nameNode) throw this.languageError(notSupported("this command form"), node);
    let name: string;
    let target: FunctionDefinition | CommandDefinition | ScriptBlock | undefined;
    if (nameNode.type === "command_name_expr") {
      const inner = nameNode.children.find((c) => c.named) ?? nameNode;
      const value =
        inner.type === "script_block_expression" ? new ScriptBlock(inner, inner.text) : await this.evaluateValue(inner);
      if (value instanceof ScriptBlock) {
        target = value;
        name = value.text;
      } else {
        name = toPSString(value);
        target = this.resolveCommand(name);
      }
    } else if (nameNode.type === "script_block_expression") {
      target = new ScriptBlock(nameNode, nameNode.text);
      name = nameNode.text;
    } else {
      const literal = literalText(nameNode);
      const value = literal ?? (await this.evaluate(nameNode));
      if (value instanceof ScriptBlock) {
        target = value;
        name = value.text;
      } else {
        name = toPSString(value);
        target = this.resolveCommand(name);
      }
    }
    // The grammar reads a range at the start of a statement (`1..3`) as a command name.
    const range = /^(-?\d+)\.\.(-?\d+)$/.exec(name);
    if (!target && range && commandElements(node).length === 0) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      const out: number[] = [];
      for (let i = a; a <= b ? i <= b : i >= b; a <= b ? i++ : i--) out.push(i);
      return out;
    }
    target ??= await this.autoLoad(name);
    const { args, mergeErrors, discardErrors, discardOutput } = await this.evaluateArguments(node);
    if (!target && /^(invoke-expression|iex)$/i.test(name)) {
      const out = await this.invokeExpression(args, input, node);
      return discardOutput ? [] : out;
    }
    if (!target && this.options.startProcess && isPowerShellProgram(name)) {
      const out = await this.runNative(nativeCommandLine(POWERSHELL_EXE, args));
      return discardOutput ? [] : out;
    }
    if (!target) {
      const error = new PowerShellError(
        `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
        "CommandNotFoundException",
        "ObjectNotFound",
        name,
      );
      error.exceptionTypeName = "CommandNotFoundException";
      const record = new ErrorRecord(error, name, this.position(nameNode), "CommandNotFoundException", undefined, "");
      throw new TerminatingError(record, this.preference("ErrorActionPreference").toLowerCase() === "stop");
    }
    const endNode = node.children[node.children.length - 1];
    const position = this.position(node, lastMeaningful(endNode));
    let out: unknown[];
    const blockParams =
      target instanceof ScriptBlock
        ? (target.node.children.find((c) => c.type === "param_block") ??
          target.node.children.find((c) => c.type === "script_block")?.children.find((c) => c.type === "param_block"))
        : undefined;
    if (target instanceof ScriptBlock && blockParams && invocationOperator !== ".") {
      out = await this.callFunction(
        {
          name: "<ScriptBlock>",
          node: target.node,
          parameters: this.parameterDefinitions(blockParams),
          hasParamBlock: true,
          body: target.node.children.find((c) => c.type === "script_block"),
        },
        args,
        input,
        downstream,
      );
      this.success = true;
    } else if (target instanceof ScriptBlock) {
      const newScope = invocationOperator !== ".";
      const saved = this.scope;
      if (newScope) this.scope = new Scope(this.scope);
      out = [];
      try {
        const positional = args.filter((a) => a.kind === "positional").map((a) => (a as { value: unknown }).value);
        this.scope.vars.set("args", positional);
        this.scope.vars.set("input", input);
        const scriptBlock = target.node.children.find((c) => c.type === "script_block");
        if (scriptBlock) await this.runScriptBody(scriptBlock, out, input, downstream);
      } catch (e) {
        if (e instanceof ExitSignal || e instanceof TerminatingError) e.partial = [...out];
        if (!(e instanceof ReturnSignal)) throw e;
      } finally {
        this.scope = saved;
      }
      this.success = true;
    } else if ("invoke" in target) {
      out = await this.invokeDefinition(target, name, args, input, downstream, position, {
        mergeErrors,
        discardErrors,
      });
    } else {
      try {
        this.callStack.push({ name: target.name, position });
        try {
          out = await this.callFunction(target, args, input, downstream);
        } finally {
          this.callStack.pop();
        }
      } catch (e) {
        if (e instanceof PowerShellError) {
          const record = new ErrorRecord(e, target.name, position, e.exceptionTypeName ?? "Exception");
          throw new TerminatingError(record, this.preference("ErrorActionPreference").toLowerCase() === "stop");
        }
        throw e;
      }
      this.success = true;
    }
    return discardOutput ? [] : out;
  }

  private async invokeDefinition(
    command: CommandDefinition,
    invocationName: string,
    args: BoundArgument[],
    input: unknown[],
    downstream: boolean,
    position: ErrorPosition,
    redirect: { mergeErrors: boolean; discardErrors: boolean },
  ): Promise<unknown[]> {
    const out: unknown[] = [];
    let hadError = false;
    const commandLabel = command.name;
    // Write-Error's records carry the script's invocation: 5.1 prints its text as prefix and no position.
    const isWriteError = command.name === "Write-Error" && invocationName.toLowerCase() === "write-error";
    const frame = this.callStack[this.callStack.length - 1];
    const invocationText =
      isWriteError && !frame ? position.lineText.substr(position.column - 1, position.length) : undefined;
    const makeRecord = (error: PowerShellError) => {
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
      return new ErrorRecord(error, commandLabel, position, error.exceptionTypeName ?? "Exception", invocationText);
    };
    const fail = (error: unknown, action: string | undefined): never => {
      if (error instanceof PowerShellError) {
        const stop = (action ?? this.preference("ErrorActionPreference")).toLowerCase() === "stop";
        throw new TerminatingError(makeRecord(error), stop);
      }
      throw error;
    };

    // Write-Host and Write-Output take all remaining arguments (ValueFromRemainingArguments): `Write-Host a b`.
    if (/^write-(host|output)$/i.test(command.name)) {
      const positional = args.filter((a) => a.kind === "positional");
      if (positional.length > 1) {
        args = [
          ...args.filter((a) => a.kind !== "positional"),
          { kind: "positional", value: positional.map((a) => (a as { value: unknown }).value) },
        ];
      }
    }
    const pipelineBinding = downstream && takesPipelineInput(command);
    const invocations: { value?: unknown }[] = pipelineBinding ? input.map((value) => ({ value })) : [{}];
    const errorVariable: ErrorRecord[] = [];
    for (const invocation of invocations) {
      let binding;
      try {
        binding = bindParameters(command, args, "value" in invocation ? { value: invocation.value } : undefined);
      } catch (e) {
        if (e instanceof PowerShellError && e.fullyQualifiedErrorId.startsWith("InputObjectNotBound")) {
          // A non-terminating error per object that does not bind, as in PowerShell.
          hadError = true;
          this.handleNonTerminating(makeRecord(e), undefined, redirect, out, errorVariable);
          continue;
        }
        fail(e, undefined);
        return out;
      }
      const common = binding.common;
      const errorAction = common.errorAction;
      const verbose = common.verbose || this.preference("VerbosePreference").toLowerCase() === "continue";
      const warningAction = (common.warningAction ?? this.preference("WarningPreference")).toLowerCase();
      const invocationOut: unknown[] = [];
      const context: CommandContext = {
        parameters: binding.parameters,
        parameterSetName: binding.parameterSetName,
        input: binding.pipelineParameter ? [] : input,
        common: { verbose, whatIf: common.whatIf, errorAction },
        output: (value) => {
          invocationOut.push(value);
        },
        writeError: (error) => {
          hadError = true;
          this.handleNonTerminating(makeRecord(error), errorAction, redirect, out, errorVariable);
        },
        writeWarning: (message) => {
          if (warningAction === "silentlycontinue" || warningAction === "ignore") return;
          if (warningAction === "stop") {
            const error = new PowerShellError(
              `The running command stopped because the preference variable "WarningPreference" or common parameter is set to Stop: ${message}`,
              "ActionPreferenceStop",
              "OperationStopped",
            );
            error.exceptionTypeName = "ActionPreferenceStopException";
            throw new TerminatingError(makeRecord(error), true);
          }
          this.stderr += `WARNING: ${message}\n`;
          this.records.push({ stream: "warning", text: message });
        },
        writeVerbose: (message) => {
          if (!verbose) return;
          this.stderr += `VERBOSE: ${message}\n`;
          this.records.push({ stream: "verbose", text: message });
        },
        host: this.options.host,
      };
      await this.hook(this.options.beforeCommand, command.name, binding.parameters);
      try {
        await command.invoke(context);
      } catch (e) {
        if (e instanceof TerminatingError) throw e;
        if (e instanceof BreakSignal || e instanceof ContinueSignal) e.partial = [...out, ...invocationOut];
        out.push(...invocationOut);
        fail(e, errorAction);
      }
      await this.hook(this.options.afterCommand, command.name, binding.parameters);
      out.push(...invocationOut);
      if (common.outVariable) this.assignVariable(common.outVariable, collapse(invocationOut));
      if (common.errorVariable) this.assignVariable(common.errorVariable, [...errorVariable]);
    }
    this.success = !hadError;
    return out;
  }

  private handleNonTerminating(
    record: ErrorRecord,
    errorAction: string | undefined,
    redirect: { mergeErrors: boolean; discardErrors: boolean },
    out: unknown[],
    errorVariable: ErrorRecord[],
  ): void {
    const action = (errorAction ?? this.preference("ErrorActionPreference")).toLowerCase();
    errorVariable.push(record);
    // -ErrorAction Stop turns the error into a script-terminating one (catchable by try/catch).
    if (action === "stop") throw new TerminatingError(record, true);
    if (action === "ignore") return;
    this.errors.unshift(record);
    if (action === "silentlycontinue") return;
    if (redirect.discardErrors) return;
    if (redirect.mergeErrors) out.push(record);
    else this.reportError(record);
  }

  // ---- assignment ----

  private async runAssignment(node: SyntaxNode): Promise<unknown> {
    const [target, operator, valueNode] = [node.children[0], node.children[1], node.children[2]];
    let value = await this.evaluateStatementValue(valueNode);
    const op = operator.text;
    if (op !== "=") {
      const current = await this.evaluate(target);
      const arithmeticOp = op.slice(0, -1);
      value = arithmetic(arithmeticOp, current === NOTHING ? null : current, value);
    }
    await this.assignTo(target, value);
    return value;
  }

  private async assignTo(target: SyntaxNode, value: unknown): Promise<void> {
    switch (target.type) {
      case "variable": {
        const name = variableName(target);
        if (name.toLowerCase() === "null") return;
        this.assignVariable(name, value);
        return;
      }
      case "cast_expression": {
        const type = target.children.find((c) => c.type === "type_literal")!;
        const inner = target.children.find((c) => c !== type && c.named)!;
        return this.assignTo(inner, this.cast(typeText(type), value, target));
      }
      case "array_literal_expression": {
        // `$a,$b = …`: one value each, the last target takes the rest (PowerShell's multiple assignment).
        const targets = target.children.filter((c) => c.named);
        const values = unroll(value);
        for (let i = 0; i < targets.length; i++) {
          const last = i === targets.length - 1;
          const rest = values.slice(i);
          await this.assignTo(targets[i], last ? (rest.length > 1 ? rest : (rest[0] ?? null)) : (values[i] ?? null));
        }
        return;
      }
      case "member_access": {
        const object = await this.evaluate(target.children[0]);
        const member = target.children[target.children.length - 1];
        const name = await this.memberName(member);
        try {
          setMember(object, name, value);
        } catch (e) {
          throw this.wrap(e, target);
        }
        return;
      }
      case "element_access": {
        const object = await this.evaluate(target.children[0]);
        const index = await this.evaluate(target.children.find((c, i) => i > 0 && c.named)!);
        if (object instanceof PSHashtable) object.set(toPSString(index), value);
        else if (Array.isArray(object)) {
          const i = toNumber(index) ?? 0;
          const at = i < 0 ? object.length + i : i;
          if (at < 0 || at >= object.length)
            throw this.languageError(
              runtimeError("Index was outside the bounds of the array.", "IndexOutOfRange"),
              target,
            );
          object[at] = value;
        } else if (object instanceof PSObject) object.set(toPSString(index), value);
        else
          throw this.languageError(
            runtimeError(`Unable to index into an object of type ${typeNameOf(object)}.`, "CannotIndex"),
            target,
          );
        return;
      }
      default:
        throw this.languageError(
          runtimeError(
            "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.",
            "InvalidLeftHandSide",
            "ParserError",
          ),
          target,
        );
    }
  }

  // ---- variables ----

  private lookup(name: string): unknown {
    const lower = name.toLowerCase();
    if (lower === "?") return this.success;
    if (lower.startsWith("env:")) return environmentVariable(this.options.environment, name.slice(4));
    const key = lower.replace(/^(global|script|local|private|using):/, "");
    for (let s: Scope | undefined = this.scope; s; s = s.parent) if (s.vars.has(key)) return s.vars.get(key);
    return null;
  }

  private assignVariable(name: string, value: unknown): void {
    const lower = name.toLowerCase();
    if (lower.startsWith("global:") || lower.startsWith("script:")) {
      this.global.vars.set(lower.replace(/^\w+:/, ""), value);
      return;
    }
    this.scope.vars.set(lower.replace(/^(local|private):/, ""), value);
  }

  // ---- expressions ----

  private wrap(e: unknown, node: SyntaxNode): unknown {
    if (e instanceof PowerShellError) return this.languageError(e, node);
    return e;
  }

  async evaluate(node: SyntaxNode): Promise<unknown> {
    try {
      return await this.evaluateInner(node);
    } catch (e) {
      throw this.wrap(e, node);
    }
  }

  private async evaluateInner(node: SyntaxNode): Promise<unknown> {
    switch (node.type) {
      case "variable": {
        const value = this.lookup(variableName(node));
        return value instanceof StdinEnumerator ? value.input.lines() : value;
      }
      case "decimal_integer_literal":
        return parseInteger(node.text);
      case "hexadecimal_integer_literal":
        return parseInt(node.text.replace(/l$/i, ""), 16);
      case "real_literal":
        return parseReal(node.text);
      case "verbatim_string_characters":
        return verbatimStringValue(node.text);
      case "verbatim_here_string_characters":
        return verbatimHereStringValue(node.text);
      case "expandable_string_literal":
        return this.expandString(node, 1, 1);
      case "expandable_here_string_literal":
        return this.expandHereString(node);
      case "generic_token":
      case "simple_name":
        return node.text;
      case "array_literal_expression": {
        const items: unknown[] = [];
        for (const c of node.children) if (c.named) items.push(await this.evaluateValue(c));
        return items;
      }
      case "array_expression": {
        const out: unknown[] = [];
        const list = node.children.find((c) => c.type === "statement_list" || (c.named && c.type !== "comment"));
        if (list) {
          if (list.type === "statement_list") await this.runStatements(list, out);
          else await this.runStatement(list, out);
        }
        return out;
      }
      case "sub_expression": {
        const out: unknown[] = [];
        const list = node.children.find((c) => c.named && c.type !== "comment");
        if (list) {
          if (list.type === "statement_list") await this.runStatements(list, out);
          else await this.runStatement(list, out);
        }
        return collapse(out);
      }
      case "parenthesized_expression": {
        const inner = node.children.find((c) => c.named && c.type !== "comment");
        if (!inner) return null;
        return this.evaluateStatementValue(inner);
      }
      case "hash_literal_expression":
        return this.hashLiteral(node);
      case "script_block_expression":
        return new ScriptBlock(node, node.text.slice(1, -1));
      case "type_literal":
        return new TypeLiteral(typeText(node));
      case "cast_expression": {
        const type = node.children.find((c) => c.type === "type_literal")!;
        const operand = node.children.find((c) => c !== type && c.named)!;
        const typeName = typeText(type);
        if (typeName.toLowerCase() === "void") {
          await this.evaluateValue(operand);
          return NOTHING;
        }
        if (typeName.toLowerCase() === "pscustomobject" && operand.type === "hash_literal_expression") {
          const table = (await this.hashLiteral(operand)) as PSHashtable;
          return new PSObject(undefined, Object.fromEntries(table.entries()));
        }
        return this.cast(typeName, await this.evaluateValue(operand), node);
      }
      case "expression_with_unary_operator":
        return this.unary(node);
      case "pre_increment_expression":
      case "pre_decrement_expression":
      case "post_increment_expression":
      case "post_decrement_expression": {
        const target = node.children.find((c) => c.named)!;
        const current = toNumber(await this.evaluateValue(target)) ?? 0;
        const next = node.type.includes("increment") ? current + 1 : current - 1;
        await this.assignTo(target, next);
        return node.type.startsWith("pre") ? next : NOTHING;
      }
      case "member_access":
        return this.memberAccess(node);
      case "invokation_expression":
        return this.invocation(node);
      case "element_access":
        return this.elementAccess(node);
      case "comparison_expression":
        return this.binary(node);
      case "logical_expression":
        return this.logical(node);
      case "bitwise_expression": {
        const [l, op, r] = node.children;
        const a = toNumber(await this.evaluateValue(l)) ?? 0;
        const b = toNumber(await this.evaluateValue(r)) ?? 0;
        const o = op.text.toLowerCase();
        return o === "-band" ? a & b : o === "-bor" ? a | b : a ^ b;
      }
      case "additive_expression":
      case "multiplicative_expression": {
        const [l, op, r] = node.children;
        return arithmetic(op.text, await this.evaluateValue(l), await this.evaluateValue(r));
      }
      case "format_expression": {
        const [l, , r] = node.children;
        return formatOperator(toPSString(await this.evaluateValue(l)), enumerate(await this.evaluateValue(r)));
      }
      case "range_expression": {
        const [l, , r] = node.children;
        const a = Math.trunc(toNumber(await this.evaluateValue(l)) ?? 0);
        const b = Math.trunc(toNumber(await this.evaluateValue(r)) ?? 0);
        const out: number[] = [];
        for (let i = a; a <= b ? i <= b : i >= b; a <= b ? i++ : i--) out.push(i);
        return out;
      }
      case "pipeline_chain":
      case "command":
      case "assignment_expression":
        return this.evaluateStatementValue(node);
      case "string_literal":
      case "integer_literal":
      case "key_expression":
      case "unary_expression":
      case "argument_expression":
        return this.evaluate(node.children.find((c) => c.named)!);
      case "command_name":
        return node.text;
      case "path_command_name":
        return /^\$[\w:]+$/.test(node.text) ? this.lookup(node.text.slice(1)) : node.text;
      default:
        throw runtimeError(
          `The expression '${node.text.slice(0, 60)}' (${node.type}) is not supported by this emulator's PowerShell.`,
          "ExpressionNotSupported",
          "NotImplemented",
        );
    }
  }

  private async evaluateValue(node: SyntaxNode): Promise<unknown> {
    const v = await this.evaluate(node);
    return v === NOTHING ? null : v;
  }

  private async hashLiteral(node: SyntaxNode): Promise<PSHashtable> {
    const table = new PSHashtable();
    const body = node.children.find((c) => c.type === "hash_literal_body");
    const entries = body
      ? body.children.filter((c) => c.type === "hash_entry")
      : node.children.filter((c) => c.type === "hash_entry");
    for (const entry of entries) {
      const keyNode = entry.children[0];
      const key = keyNode.type === "simple_name" ? keyNode.text : toPSString(await this.evaluateValue(keyNode));
      const valueNode = entry.children.find((c, i) => i > 1 && c.named && c.type !== "comment");
      const value = valueNode ? await this.evaluateStatementValue(valueNode) : null;
      if (table.has(key)) {
        throw runtimeError(
          `Duplicate keys '${key}' are not allowed in hash literals.`,
          "DuplicateKeyInHashLiteral",
          "ParserError",
        );
      }
      table.set(key, value);
    }
    return table;
  }

  private expandString(node: SyntaxNode, open: number, close: number): Promise<string> {
    return this.expandParts(node, node.start + open, node.end - close);
  }

  private async expandHereString(node: SyntaxNode): Promise<string> {
    const text = node.text;
    const headerEnd = text.indexOf("\n") + 1;
    const footerStart = text.lastIndexOf("\n");
    const footer = text[footerStart - 1] === "\r" ? footerStart - 1 : footerStart;
    return this.expandParts(node, node.start + headerEnd, node.start + footer, true);
  }

  private async expandParts(node: SyntaxNode, from: number, to: number, hereString = false): Promise<string> {
    // Offsets are the node's own source (a script block created at run time has its own text).
    const slice = (a: number, b: number) => node.text.slice(a - node.start, b - node.start);
    let out = "";
    let cursor = from;
    const literal = (text: string) => (hereString ? unescapeHere(text) : unescapeExpandable(text));
    for (const child of node.children) {
      if (!child.named || child.start < from || child.end > to) continue;
      if (child.type !== "variable" && child.type !== "sub_expression") continue;
      out += literal(slice(cursor, child.start));
      const value = await this.evaluateValue(child);
      out += toPSString(value);
      cursor = child.end;
    }
    out += literal(slice(cursor, to));
    return out;
  }

  private async unary(node: SyntaxNode): Promise<unknown> {
    const op = node.children[0].text.toLowerCase();
    const operand = node.children.find((c, i) => i > 0 && c.named)!;
    const value = await this.evaluateValue(operand);
    switch (op) {
      case "-not":
      case "!":
        return !toBool(value);
      case "-":
        if (toNumber(value) === undefined) throw conversionError(value, "System.Int32");
        return -(toNumber(value) ?? 0);
      case "+":
        return toNumber(value) ?? 0;
      case ",":
        return [value];
      case "-join":
        return enumerate(value).map(toPSString).join("");
      case "-split":
        return enumerate(value).flatMap((v) => toPSString(v).trim().split(/\s+/));
      case "-bnot":
        return ~(toNumber(value) ?? 0);
      default:
        throw runtimeError(
          `The unary operator '${op}' is not supported by this emulator's PowerShell.`,
          "OperatorNotSupported",
          "NotImplemented",
        );
    }
  }

  private async binary(node: SyntaxNode): Promise<unknown> {
    const [l, opNode, r] = node.children;
    const op = opNode.text.toLowerCase();
    const left = await this.evaluateValue(l);
    if (op === "-is" || op === "-isnot") {
      const right = r.type === "type_literal" ? new TypeLiteral(typeText(r)) : await this.evaluateValue(r);
      return isType(left, right) === (op === "-is");
    }
    if (op === "-as") {
      const typeName = r.type === "type_literal" ? typeText(r) : toPSString(await this.evaluateValue(r));
      try {
        return this.cast(typeName, left, node);
      } catch {
        return null;
      }
    }
    const right = await this.evaluateValue(r);
    if (op === "-join") return enumerate(left).map(toPSString).join(toPSString(right));
    return compareOperator(op, left, right, this);
  }

  private async logical(node: SyntaxNode): Promise<unknown> {
    const [l, opNode, r] = node.children;
    const op = opNode.text.toLowerCase();
    const left = toBool(await this.evaluateValue(l));
    if (op === "-and") return left ? toBool(await this.evaluateValue(r)) : false;
    if (op === "-or") return left ? true : toBool(await this.evaluateValue(r));
    return left !== toBool(await this.evaluateValue(r));
  }

  private async memberName(member: SyntaxNode): Promise<string> {
    const inner = member.type === "member_name" ? (member.children.find((c) => c.named) ?? member) : member;
    if (inner.type === "simple_name" || inner.type === "generic_token") return inner.text;
    return toPSString(await this.evaluateValue(inner));
  }

  private async memberAccess(node: SyntaxNode): Promise<unknown> {
    const objectNode = node.children[0];
    const isStatic = node.children.some((c) => c.type === "::");
    const name = await this.memberName(node.children[node.children.length - 1]);
    const object = await this.evaluateValue(objectNode);
    if (isStatic) {
      if (!(object instanceof TypeLiteral))
        throw runtimeError("Static member access needs a type.", "StaticMemberNeedsType");
      return getStaticMember(object, name, this);
    }
    return getMember(object, name);
  }

  private async invocation(node: SyntaxNode): Promise<unknown> {
    const objectNode = node.children[0];
    const isStatic = node.children.some((c) => c.type === "::");
    const memberNode = node.children.find((c, i) => i > 0 && (c.type === "member_name" || c.type === "simple_name"))!;
    const name = await this.memberName(memberNode);
    const argList = node.children.find((c) => c.type === "argument_list");
    const args: unknown[] = [];
    const exprList = argList?.children.find((c) => c.type === "argument_expression_list");
    const argNodes = exprList
      ? exprList.children.filter((c) => c.named)
      : (argList?.children.filter((c) => c.named) ?? []);
    for (const a of argNodes) args.push(await this.evaluateValue(a));
    const object = await this.evaluateValue(objectNode);
    if (isStatic && object instanceof TypeLiteral && /^create$/i.test(name)) {
      if (fullTypeName(object.name) === "System.Management.Automation.ScriptBlock")
        return this.createScriptBlock(toPSString(args[0]), node);
    }
    if (object instanceof ConsoleReader) {
      const result = await object.invoke(name);
      if (result !== NOT_A_READER_METHOD) return result;
    }
    if (isStatic) {
      if (!(object instanceof TypeLiteral))
        throw runtimeError("Static method calls need a type.", "StaticMemberNeedsType");
      if (fullTypeName(object.name) === "System.String" && name.toLowerCase() === "format") {
        return formatOperator(
          toPSString(args[0]),
          args.length === 2 && Array.isArray(args[1]) ? args[1] : args.slice(1),
        );
      }
      return invokeStaticMethod(object, name, args, this);
    }
    if (object instanceof ScriptBlock && name.toLowerCase() === "invoke") {
      return collapse(await this.invokeScriptBlock(object, null, args));
    }
    if (
      Array.isArray(object) &&
      (name.toLowerCase() === "where" || name.toLowerCase() === "foreach") &&
      args[0] instanceof ScriptBlock
    ) {
      const result: unknown[] = [];
      for (const item of object) {
        const r = await this.invokeScriptBlock(args[0], item);
        if (name.toLowerCase() === "where") {
          if (toBool(collapse(r))) result.push(item);
        } else result.push(...r);
      }
      return result;
    }
    return invokeMethod(object, name, args, this);
  }

  private async elementAccess(node: SyntaxNode): Promise<unknown> {
    const object = await this.evaluateValue(node.children[0]);
    const indexNode = node.children.find((c, i) => i > 0 && c.named)!;
    const index = await this.evaluateValue(indexNode);
    const one = (i: unknown): unknown => {
      if (object instanceof PSHashtable) return object.get(toPSString(i)) ?? null;
      if (object instanceof PSObject) return object.get(toPSString(i)) ?? null;
      const n = toNumber(i);
      if (n === undefined) return null;
      if (Array.isArray(object) || object instanceof Uint8Array) {
        const at = n < 0 ? object.length + n : n;
        return at >= 0 && at < object.length ? object[at] : null;
      }
      if (typeof object === "string") {
        const at = n < 0 ? object.length + n : n;
        return at >= 0 && at < object.length ? object[at] : null;
      }
      if (object === null || object === undefined) throw runtimeError("Cannot index into a null array.", "NullArray");
      return n === 0 ? object : null;
    };
    if (Array.isArray(index)) return index.map(one).filter((v) => v !== null);
    return one(index);
  }

  /** [type]value */
  cast(typeName: string, value: unknown, _node?: SyntaxNode): unknown {
    const lower = typeName.toLowerCase().replace(/^system\./, "");
    const fail = (detail?: string): never => {
      throw conversionError(value, fullTypeName(typeName), detail);
    };
    switch (lower) {
      case "string":
        return value === null || value === undefined ? "" : toPSString(value);
      case "int":
      case "int32":
      case "long":
      case "int64":
      case "byte": {
        const n = toNumber(value);
        if (n === undefined) return fail();
        // .NET rounds half to even when converting to an integer type.
        const r = Math.abs(n % 1) === 0.5 ? 2 * Math.round(n / 2) : Math.round(n);
        return r;
      }
      case "double":
      case "decimal":
      case "single":
      case "float": {
        const n = toNumber(value);
        return n === undefined ? fail() : n;
      }
      case "bool":
      case "boolean":
        return toBool(value);
      case "datetime": {
        if (value instanceof PSDateTime) return value;
        const parsed = typeof value === "string" ? parseDateTime(value) : undefined;
        if (!parsed) return fail("String was not recognized as a valid DateTime.");
        return parsed;
      }
      case "string[]":
        return enumerate(value).map(toPSString);
      case "array":
      case "object[]":
        return value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
      case "int[]":
        return enumerate(value).map((v) => this.cast("int", v));
      case "byte[]":
        return value instanceof Uint8Array ? value : new Uint8Array(enumerate(value).map((v) => toNumber(v) ?? 0));
      case "object":
      case "psobject":
        return value;
      case "pscustomobject":
        if (value instanceof PSHashtable) return new PSObject(undefined, Object.fromEntries(value.entries()));
        return value;
      case "hashtable":
      case "ordered":
        if (value instanceof PSHashtable) return value;
        return fail();
      case "char":
        if (typeof value === "number") return String.fromCharCode(value);
        return toPSString(value).slice(0, 1);
      case "securestring":
        return fail();
      case "scriptblock":
        if (value instanceof ScriptBlock) return value;
        return fail();
      case "regex":
        return toPSString(value);
      default:
        throw runtimeError(
          `Unable to find type [${typeName}]. Make sure that the assembly that contains this type is loaded.`,
          "TypeNotFound",
          "InvalidOperation",
          typeName,
        );
    }
  }
}

// ---- helpers ----

function notSupported(what: string): PowerShellError {
  return runtimeError(
    `${what[0].toUpperCase()}${what.slice(1)} are not supported by this emulator's PowerShell.`
      .replace(" are not supported by this emulator's PowerShell.", " is not supported by this emulator's PowerShell.")
      .replace(/statements is/, "statements are"),
    "NotSupported",
    "NotImplemented",
  );
}

/** An expression's value as pipeline output: arrays are enumerated one level; $null is still one object. */
function hasPartial(e: unknown): e is { partial: unknown[] } {
  return (
    e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof ExitSignal || e instanceof TerminatingError
  );
}

function unroll(value: unknown): unknown[] {
  if (value === NOTHING || value === undefined) return [];
  if (Array.isArray(value)) return value;
  return [value];
}

function variableName(node: SyntaxNode): string {
  const text = node.text;
  if (text.startsWith("${")) return text.slice(2, -1);
  return text.replace(/^[$@]/, "");
}

function typeText(node: SyntaxNode): string {
  return node.text.replace(/^\[/, "").replace(/\]$/, "").trim();
}

function parseInteger(text: string): number {
  const m = /^(\d+)(l|d)?(kb|mb|gb|tb|pb)?$/i.exec(text);
  if (!m) return Number(text);
  const multiplier =
    { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 }[(m[3] ?? "").toLowerCase()] ?? 1;
  return Number(m[1]) * multiplier;
}

function parseReal(text: string): number {
  const m = /^(.*?)(d)?(kb|mb|gb|tb|pb)?$/i.exec(text)!;
  const multiplier =
    { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 }[(m[3] ?? "").toLowerCase()] ?? 1;
  return Number(m[1]) * multiplier;
}

/** A bare word argument is a string; a leading `$` would have made it a variable in the grammar already. */
function expandBareWord(text: string): string {
  return unescapeExpandable(text);
}

function unescapeHere(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "`" && i + 1 < text.length) {
      const n = text[++i];
      out +=
        (
          { n: "\n", r: "\r", t: "\t", "0": "\0", a: "\x07", b: "\b", f: "\f", v: "\v", e: "\x1b" } as Record<
            string,
            string
          >
        )[n] ?? n;
    } else out += text[i];
  }
  return out;
}

function lastMeaningful(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.children.length > 0) {
    const kids = n.children.filter((c) => c.type !== "command_argument_sep" && c.text.trim() !== "");
    if (kids.length === 0) break;
    n = kids[kids.length - 1];
  }
  return n;
}

function catchMatches(clause: SyntaxNode, record: ErrorRecord): boolean {
  const types = clause.children
    .filter((c) => c.type === "type_literal" || c.type === "catch_type_list")
    .flatMap((c) => (c.type === "catch_type_list" ? c.children.filter((x) => x.type === "type_literal") : [c]));
  if (types.length === 0) return true;
  const actual = record.exceptionTypeName.toLowerCase();
  return types.some((t) => {
    const name = typeText(t)
      .toLowerCase()
      .replace(/^system\./, "")
      .replace(/^management\.automation\./, "");
    return name === "exception" || actual.endsWith(name) || (name === "runtimeexception" && actual !== "");
  });
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

export { PSEnum };
