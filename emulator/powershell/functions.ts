// Functions and script blocks: defining a function from its param block, binding a call's arguments into a
// new scope, and running a body (a statement list, or begin/process/end blocks).

import type { CommandDefinition, ParameterDefinition } from "./command";
import type { SyntaxNode } from "./parser";
import type { ScriptBlock } from "./runtimeValues";
import { bindParameters, type BoundArgument, type CommonParameters } from "./bindParameters";
import { ExitSignal, ReturnSignal, TerminatingError } from "./signals";
import { Scope, type FunctionDefinition } from "./runspace";
import { StatementRunner } from "./statements";
import { typeText, variableName } from "./syntaxText";

interface FunctionBinding {
  readonly parameters: Record<string, unknown>;
  readonly common: CommonParameters;
  /** `$args`: what no parameter took. */
  readonly extra: unknown[];
}

export abstract class FunctionRunner extends StatementRunner {
  protected defineFunction(node: SyntaxNode): void {
    const name = node.children.find((c) => c.type === "function_name")!.text;
    const declaration = node.children.find((c) => c.type === "function_parameter_declaration");
    const scriptBlock = node.children.find((c) => c.type === "script_block");
    const paramBlock = scriptBlock?.children.find((c) => c.type === "param_block");
    const paramSource = paramBlock ?? declaration;
    this.functions.set(name.toLowerCase(), {
      name,
      node,
      parameters: paramSource ? parameterDefinitions(paramSource) : [],
      hasParamBlock: paramSource !== undefined,
      body: scriptBlock,
    });
  }

  /** Calls a function (or a script block with a param block) in a new scope. */
  protected async callFunction(
    fn: FunctionDefinition,
    args: BoundArgument[],
    input: unknown[],
    hasInput: boolean,
  ): Promise<unknown[]> {
    const binding = bindFunctionArguments(fn, args);
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
      scope.vars.set("args", binding.extra);
      scope.vars.set("input", input);
      if (binding.common.errorAction) scope.vars.set("erroractionpreference", binding.common.errorAction);
      if (binding.common.verbose) scope.vars.set("verbosepreference", "Continue");
      if (fn.body) await this.runBodyUntilReturn(fn.body, out, input, hasInput);
    } finally {
      this.scope = savedScope;
    }
    return out;
  }

  /** Runs a body to its end or its `return`; exit and errors carry what it had written. */
  protected async runBodyUntilReturn(
    scriptBlock: SyntaxNode,
    out: unknown[],
    input: unknown[],
    hasInput: boolean,
  ): Promise<void> {
    try {
      await this.runScriptBody(scriptBlock, out, input, hasInput);
    } catch (e) {
      if (e instanceof ExitSignal || e instanceof TerminatingError) e.partial = [...out];
      if (!(e instanceof ReturnSignal)) throw e;
    }
  }

  /** Runs a script block's body: a plain statement list, or begin/process/end blocks (process once per input object). */
  protected async runScriptBody(
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

  /** Runs a script block for ForEach-Object, Where-Object, .Where() and .Invoke(), with `$_` set. */
  async invokeScriptBlock(block: ScriptBlock, dollarUnder: unknown, args: unknown[] = []): Promise<unknown[]> {
    const out: unknown[] = [];
    const saved = this.scope.vars.has("_") ? { value: this.scope.vars.get("_") } : undefined;
    this.scope.vars.set("_", dollarUnder);
    this.scope.vars.set("psitem", dollarUnder);
    this.scope.vars.set("args", args);
    try {
      const scriptBlock = block.node.children.find((c) => c.type === "script_block");
      if (scriptBlock) await this.runScriptBody(scriptBlock, out, [], false);
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
}

/** Binds a call's arguments as PowerShell does; without a param block every argument lands in $args. */
function bindFunctionArguments(fn: FunctionDefinition, args: BoundArgument[]): FunctionBinding {
  const extra: unknown[] = [];
  if (!fn.hasParamBlock) {
    for (const a of args) {
      if (a.kind === "positional") extra.push(a.value);
      else extra.push(`-${a.name}`, ...(a.hasValue ? [a.value] : []));
    }
    return { parameters: {}, common: { verbose: false, debug: false, whatIf: false }, extra };
  }
  const definition: CommandDefinition = {
    name: fn.name,
    parameterSets: [{ name: "__AllParameterSets", parameters: fn.parameters.map((p) => p.def), isDefault: true }],
    invoke() {},
  };
  const positional = fn.parameters.filter((p) => p.def.position !== undefined).length;
  const kept: BoundArgument[] = [];
  let seen = 0;
  for (const a of args) {
    if (a.kind === "positional" && seen++ >= positional) extra.push(a.value);
    else kept.push(a);
  }
  const binding = bindParameters(definition, kept);
  return { parameters: binding.parameters, common: binding.common, extra };
}

/** The parameter type a script's `[type]` declares; anything else binds as object. */
const PARAMETER_TYPES = new Map<string, ParameterDefinition["type"]>([
  ["switch", "switch"],
  ["string", "string"],
  ["string[]", "string[]"],
  ["int", "int"],
  ["int32", "int"],
  ["long", "int"],
  ["bool", "bool"],
  ["boolean", "bool"],
  ["datetime", "datetime"],
  ["securestring", "securestring"],
]);

/** A param block's (or `function f($a, $b)`'s) parameters, with their default value expressions. */
export function parameterDefinitions(node: SyntaxNode): { def: ParameterDefinition; defaultValue?: SyntaxNode }[] {
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
    const type = PARAMETER_TYPES.get(typeName) ?? (typeName.endsWith("[]") ? "object[]" : "object");
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
