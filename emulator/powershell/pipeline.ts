// Pipelines and command invocation: running stages in turn, finding what a command name stands for
// (function, cmdlet, script block, auto-loaded module, native program) and evaluating its arguments.

import { PowerShellError, type CommandDefinition } from "./command";
import { PSHashtable } from "./values";
import type { SyntaxNode } from "./parser";
import { commandElements, commandName, literalText } from "./commandElements";
import { ErrorRecord, ScriptBlock, enumerate, runtimeError, toPSString, type ErrorPosition } from "./runtimeValues";
import type { BoundArgument } from "./bindParameters";
import { isPowerShellProgram, nativeCommandLine, outputLines, POWERSHELL_EXE } from "./nativeCommand";
import { compileScriptBlock } from "./dynamicCode";
import { NOTHING, TerminatingError, hasPartial, notSupported, unroll } from "./signals";
import { Scope, type FunctionDefinition } from "./runspace";
import { FunctionRunner, parameterDefinitions } from "./functions";
import { numberRange } from "./expressions";
import { expandBareWord, lastMeaningful } from "./syntaxText";

type CommandTarget = FunctionDefinition | CommandDefinition | ScriptBlock;

interface EvaluatedArguments {
  readonly args: BoundArgument[];
  readonly mergeErrors: boolean;
  readonly discardErrors: boolean;
  readonly discardOutput: boolean;
}

/** One command of a pipeline, ready to run. */
interface CommandCall {
  readonly node: SyntaxNode;
  readonly name: string;
  readonly arguments: EvaluatedArguments;
  readonly input: unknown[];
  /** Not the first stage: pipeline input binds to parameters. */
  readonly downstream: boolean;
  readonly invocationOperator: string | undefined;
}

export abstract class PipelineRunner extends FunctionRunner {
  protected async runPipeline(node: SyntaxNode): Promise<unknown[]> {
    if (node.type === "command") return this.invokeCommand(node, [], false);
    const stages = node.children.filter((c) => c.named && c.type !== "comment" && c.type !== "redirections");
    const redirections = node.children.find((c) => c.type === "redirections");
    let items: unknown[] = [];
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i];
      if (stage.type === "command") {
        // A downstream command with no input never processes a record.
        if (i > 0 && items.length === 0) continue;
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

  private async invokeCommand(node: SyntaxNode, input: unknown[], downstream: boolean): Promise<unknown[]> {
    const nameNode = commandName(node);
    if (!nameNode) throw this.languageError(notSupported("this command form"), node);
    const resolved = await this.commandTarget(nameNode);
    const name = resolved.name;
    // The grammar reads a range at the start of a statement (`1..3`) as a command name.
    const range = /^(-?\d+)\.\.(-?\d+)$/.exec(name);
    if (!resolved.target && range && commandElements(node).length === 0) {
      return numberRange(Number(range[1]), Number(range[2]));
    }
    const target = resolved.target ?? (await this.autoLoad(name));
    const call: CommandCall = {
      node,
      name,
      arguments: await this.evaluateArguments(node),
      input,
      downstream,
      invocationOperator: node.children.find((c) => c.type === "command_invokation_operator")?.text,
    };
    const out = target ? await this.invokeTarget(target, call) : await this.invokeUnresolved(call, nameNode);
    return call.arguments.discardOutput ? [] : out;
  }

  /** What the command name stands for: a script block (`& { … }`, `& $block`), or a name to resolve. */
  private async commandTarget(nameNode: SyntaxNode): Promise<{ name: string; target?: CommandTarget }> {
    let value: unknown;
    if (nameNode.type === "script_block_expression") {
      value = new ScriptBlock(nameNode, nameNode.text);
    } else if (nameNode.type === "command_name_expr") {
      const inner = nameNode.children.find((c) => c.named) ?? nameNode;
      value =
        inner.type === "script_block_expression" ? new ScriptBlock(inner, inner.text) : await this.evaluateValue(inner);
    } else {
      value = literalText(nameNode) ?? (await this.evaluate(nameNode));
    }
    if (value instanceof ScriptBlock) return { name: value.text, target: value };
    const name = toPSString(value);
    return { name, target: this.resolveCommand(name) };
  }

  private resolveCommand(name: string): FunctionDefinition | CommandDefinition | undefined {
    return this.functions.get(name.toLowerCase()) ?? this.commands.resolve(name);
  }

  /** PowerShell 3+ imports a module on PSModulePath the first time one of its commands is used. */
  private async autoLoad(name: string): Promise<CommandDefinition | undefined> {
    const module = this.commands.moduleToAutoLoad(name);
    if (!module) return undefined;
    // The same first-use cost and audit entry as an explicit Import-Module.
    await this.hook(this.options.beforeCommand, "Import-Module", { Name: [module] });
    this.records.push({ stream: "progress", activity: "Preparing modules for first use.", status: " " });
    this.commands.importModule(module);
    await this.hook(this.options.afterCommand, "Import-Module", { Name: [module] });
    return this.resolveCommand(name) as CommandDefinition | undefined;
  }

  private async invokeTarget(target: CommandTarget, call: CommandCall): Promise<unknown[]> {
    const position = this.position(call.node, lastMeaningful(call.node.children[call.node.children.length - 1]));
    const { args, mergeErrors, discardErrors } = call.arguments;
    if (target instanceof ScriptBlock) return this.invokeScriptBlockCommand(target, call);
    if ("invoke" in target) {
      return this.invokeDefinition(target, call.name, args, call.input, call.downstream, position, {
        mergeErrors,
        discardErrors,
      });
    }
    return this.invokeFunction(target, call, position);
  }

  /** `& { … }` runs in a new scope, `. { … }` in the caller's; a param block binds like a function's. */
  private async invokeScriptBlockCommand(block: ScriptBlock, call: CommandCall): Promise<unknown[]> {
    const scriptBlock = block.node.children.find((c) => c.type === "script_block");
    const paramBlock =
      block.node.children.find((c) => c.type === "param_block") ??
      scriptBlock?.children.find((c) => c.type === "param_block");
    const dotSourced = call.invocationOperator === ".";
    let out: unknown[] = [];
    if (paramBlock && !dotSourced) {
      const fn = {
        name: "<ScriptBlock>",
        node: block.node,
        parameters: parameterDefinitions(paramBlock),
        hasParamBlock: true,
        body: scriptBlock,
      };
      out = await this.callFunction(fn, call.arguments.args, call.input, call.downstream);
    } else {
      const saved = this.scope;
      if (!dotSourced) this.scope = new Scope(this.scope);
      try {
        const positional = call.arguments.args.flatMap((a) => (a.kind === "positional" ? [a.value] : []));
        this.scope.vars.set("args", positional);
        this.scope.vars.set("input", call.input);
        if (scriptBlock) await this.runBodyUntilReturn(scriptBlock, out, call.input, call.downstream);
      } finally {
        this.scope = saved;
      }
    }
    this.success = true;
    return out;
  }

  private async invokeFunction(fn: FunctionDefinition, call: CommandCall, position: ErrorPosition): Promise<unknown[]> {
    let out: unknown[];
    try {
      this.callStack.push({ name: fn.name, position });
      try {
        out = await this.callFunction(fn, call.arguments.args, call.input, call.downstream);
      } finally {
        this.callStack.pop();
      }
    } catch (e) {
      if (e instanceof PowerShellError) {
        const record = new ErrorRecord(e, fn.name, position, e.exceptionTypeName ?? "Exception");
        throw new TerminatingError(record, this.stopsOnError());
      }
      throw e;
    }
    this.success = true;
    return out;
  }

  /** A name no command has: Invoke-Expression, powershell.exe, or PowerShell's "not recognized". */
  private async invokeUnresolved(call: CommandCall, nameNode: SyntaxNode): Promise<unknown[]> {
    const name = call.name;
    if (/^(invoke-expression|iex)$/i.test(name))
      return this.invokeExpression(call.arguments.args, call.input, call.node);
    if (this.options.startProcess && isPowerShellProgram(name)) {
      return this.runNative(nativeCommandLine(POWERSHELL_EXE, call.arguments.args));
    }
    const error = new PowerShellError(
      `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
      "CommandNotFoundException",
      "ObjectNotFound",
      name,
    );
    error.exceptionTypeName = "CommandNotFoundException";
    const record = new ErrorRecord(error, name, this.position(nameNode), "CommandNotFoundException", undefined, "");
    throw new TerminatingError(record, this.stopsOnError());
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
  protected async createScriptBlock(text: string, at: SyntaxNode): Promise<ScriptBlock> {
    const compiled = await compileScriptBlock(text);
    this.options.onScriptBlock?.(text);
    if (!compiled.ok) {
      const message = `Exception calling "Create" with "1" argument(s): "${compiled.message}"`;
      throw this.languageError(runtimeError(message, "ParseException", "NotSpecified"), at);
    }
    for (const node of compiled.nodes) this.sourceLines.set(node, compiled.lines as string[]);
    return compiled.block;
  }

  private async evaluateArguments(node: SyntaxNode): Promise<EvaluatedArguments> {
    const args: BoundArgument[] = [];
    const redirect = { mergeErrors: false, discardErrors: false, discardOutput: false };
    for (const element of commandElements(node)) {
      switch (element.kind) {
        case "parameter":
          if (element.value) {
            const value = await this.evaluateArgument(element.value);
            args.push({ kind: "named", name: element.name, hasValue: true, value, usedColon: true });
          } else args.push({ kind: "named", name: element.name, hasValue: false });
          break;
        case "argument":
          args.push({ kind: "positional", value: await this.evaluateArgument(element.value) });
          break;
        case "splat":
          args.push(...splatted(this.lookup(element.variable)));
          break;
        case "redirection":
          this.redirect(redirect, element.operator, element.target, element.node);
          break;
      }
    }
    return { args, ...redirect };
  }

  /** `2>&1`, `2>$null`, `>$null`, `*>$null`; other redirections are not modelled. */
  private redirect(
    redirect: { mergeErrors: boolean; discardErrors: boolean; discardOutput: boolean },
    operator: string,
    targetNode: SyntaxNode | undefined,
    node: SyntaxNode,
  ): void {
    const op = operator.replace(/\s/g, "");
    const target = targetNode?.text.trim().toLowerCase();
    if (op === "2>&1") redirect.mergeErrors = true;
    else if ((op === "2>" || op === "2>>") && target === "$null") redirect.discardErrors = true;
    else if ((op === ">" || op === "1>" || op === ">>") && target === "$null") redirect.discardOutput = true;
    else if (op === "*>" && target === "$null") {
      redirect.discardErrors = true;
      redirect.discardOutput = true;
    } else throw this.languageError(notSupported(`the redirection '${node.text}'`), node);
  }

  private async evaluateArgument(
    arg: { kind: "expression"; node: SyntaxNode } | { kind: "words"; words: string[]; node: SyntaxNode },
  ): Promise<unknown> {
    if (arg.kind === "words") return arg.words;
    const node = arg.node;
    if (node.type === "generic_token") return expandBareWord(node.text);
    if (node.type === "command_name" || node.type === "command_name_expr") return node.text;
    return this.evaluateValue(node);
  }
}

/** `@table` binds each entry as a named argument, `@array` each item as a positional one. */
function splatted(value: unknown): BoundArgument[] {
  if (value instanceof PSHashtable) {
    return [...value.entries()].map(([name, v]) => ({
      kind: "named",
      name,
      hasValue: true,
      value: v,
      usedColon: true,
    }));
  }
  return enumerate(value).map((v) => ({ kind: "positional", value: v }));
}
