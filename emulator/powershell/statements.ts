// Statements and flow: statement lists (where non-terminating errors are reported and the script goes on),
// if, the loops, break/continue/return/exit/throw, try/catch/finally and switch.

import { PowerShellError } from "./command";
import type { SyntaxNode } from "./parser";
import { ErrorRecord, ScriptBlock, collapse, enumerate, toBool, toNumber, toPSString } from "./runtimeValues";
import { compareOperator } from "./operators";
import {
  BreakSignal,
  ContinueSignal,
  ExitSignal,
  NOTHING,
  ReturnSignal,
  TerminatingError,
  hasPartial,
  notSupported,
  unroll,
} from "./signals";
import { ExpressionEvaluator } from "./expressions";
import { typeText, variableName } from "./syntaxText";

type LoopOutcome = "break" | "continue" | undefined;

export abstract class StatementRunner extends ExpressionEvaluator {
  protected async runStatements(node: SyntaxNode, out: unknown[]): Promise<void> {
    for (const child of node.children) {
      if (!child.named || child.type === "comment" || child.type === "empty_statement") continue;
      if (child.type === "statement_list") {
        await this.runStatements(child, out);
        continue;
      }
      try {
        await this.runStatement(child, out);
      } catch (e) {
        if (e instanceof TerminatingError && !e.scriptTerminating && this.tryDepth === 0 && !this.stopsOnError()) {
          this.reportError(e.record);
          this.errors.unshift(e.record);
          this.success = false;
          continue;
        }
        throw e;
      }
    }
  }

  protected async runBlock(node: SyntaxNode | undefined, out: unknown[]): Promise<void> {
    if (!node) return;
    await this.runStatements(node, out);
  }

  protected async runStatement(node: SyntaxNode, out: unknown[]): Promise<void> {
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
      case "command":
        return this.runPipelineStatement(node, out);
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

  private async runPipelineStatement(node: SyntaxNode, out: unknown[]): Promise<void> {
    let results: unknown[];
    try {
      results = await this.runPipeline(node);
    } catch (e) {
      if (hasPartial(e)) for (const r of e.partial) out.push(r);
      throw e;
    }
    for (const r of results) out.push(r);
  }

  private async condition(node: SyntaxNode): Promise<boolean> {
    return toBool(await this.evaluateStatementValue(node));
  }

  private async runIf(node: SyntaxNode, out: unknown[]): Promise<void> {
    const kids = node.children;
    const clauseTypes = ["statement_block", "elseif_clauses", "elseif_clause", "else_clause"];
    const cond = kids.find((c) => c.named && !clauseTypes.includes(c.type))!;
    if (await this.condition(cond)) return this.runBlock(blockOf(node), out);
    const elseifs = kids.flatMap((c) =>
      c.type === "elseif_clauses" ? c.children : c.type === "elseif_clause" ? [c] : [],
    );
    for (const clause of elseifs) {
      const c = clause.children.find((x) => x.named && x.type !== "statement_block")!;
      if (await this.condition(c)) return this.runBlock(blockOf(clause), out);
    }
    const elseClause = kids.find((c) => c.type === "else_clause");
    if (elseClause) await this.runBlock(blockOf(elseClause), out);
  }

  protected async loopBody(block: SyntaxNode | undefined, out: unknown[]): Promise<LoopOutcome> {
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
    const { init, cond, iter } = forParts(node);
    const block = blockOf(node);
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
    const block = blockOf(node);
    while (await this.condition(cond)) {
      if ((await this.loopBody(block, out)) === "break") break;
    }
  }

  private async runDo(node: SyntaxNode, out: unknown[]): Promise<void> {
    const block = blockOf(node);
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
    const body = blockOf(node);
    const catches = node.children.flatMap((c) =>
      c.type === "catch_clauses" ? c.children : c.type === "catch_clause" ? [c] : [],
    );
    const finallyBlock = blockOf(node.children.find((c) => c.type === "finally_clause"));
    try {
      this.tryDepth++;
      try {
        await this.runBlock(body, out);
      } finally {
        this.tryDepth--;
      }
    } catch (e) {
      const clause = e instanceof TerminatingError ? catches.find((c) => catchMatches(c, e.record)) : undefined;
      if (!clause) {
        await this.runBlock(finallyBlock, out);
        throw e;
      }
      try {
        await this.runCatch(clause, (e as TerminatingError).record, out);
      } finally {
        await this.runBlock(finallyBlock, out);
      }
      return;
    }
    await this.runBlock(finallyBlock, out);
  }

  private async runCatch(clause: SyntaxNode, record: ErrorRecord, out: unknown[]): Promise<void> {
    this.errors.unshift(record);
    const saved = this.scope.vars.get("_");
    this.scope.vars.set("_", record);
    this.scope.vars.set("psitem", record);
    try {
      await this.runBlock(blockOf(clause), out);
    } finally {
      this.scope.vars.set("_", saved);
      this.scope.vars.set("psitem", saved);
    }
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
    const defaultClause = clauses.find((c) => isDefaultClause(c));
    for (const item of value === null ? [null] : enumerate(value)) {
      const { matched, outcome } = await this.runSwitchClauses(clauses, flags, item, out);
      const defaultOutcome =
        !matched && defaultClause ? await this.runSwitchClause(defaultClause, item, out) : undefined;
      if (outcome === "break" || defaultOutcome === "break") break;
    }
  }

  /** Runs every clause that matches one item; `continue` ends the item, `break` the whole switch. */
  private async runSwitchClauses(
    clauses: SyntaxNode[],
    flags: string,
    item: unknown,
    out: unknown[],
  ): Promise<{ matched: boolean; outcome: LoopOutcome }> {
    let matched = false;
    for (const clause of clauses) {
      if (isDefaultClause(clause) || !(await this.switchClauseMatches(clause, flags, item))) continue;
      matched = true;
      const outcome = await this.runSwitchClause(clause, item, out);
      if (outcome !== undefined) return { matched, outcome };
    }
    return { matched, outcome: undefined };
  }

  private async switchClauseMatches(clause: SyntaxNode, flags: string, item: unknown): Promise<boolean> {
    const condNode = clause.children.find((c) => c.named && c.type !== "statement_block")!;
    if (condNode.type === "script_block_expression") {
      return toBool(collapse(await this.invokeScriptBlock(new ScriptBlock(condNode, condNode.text), item)));
    }
    const inner = condNode.type === "switch_clause_condition" ? condNode.children.find((c) => c.named) : condNode;
    const pattern = inner ? await this.evaluateValue(inner) : condNode.text;
    const op = flags.includes("-wildcard") ? "-like" : flags.includes("-regex") ? "-match" : "-eq";
    return toBool(compareOperator(flags.includes("-casesensitive") ? op.replace("-", "-c") : op, item, pattern, this));
  }

  private async runSwitchClause(clause: SyntaxNode, item: unknown, out: unknown[]): Promise<LoopOutcome> {
    const saved = this.scope.vars.get("_");
    this.scope.vars.set("_", item);
    const outcome = await this.loopBody(blockOf(clause), out);
    this.scope.vars.set("_", saved);
    return outcome;
  }
}

/** The `{ … }` block of a statement or clause. */
function blockOf(node: SyntaxNode | undefined): SyntaxNode | undefined {
  return node?.children.find((c) => c.type === "statement_block");
}

function isDefaultClause(clause: SyntaxNode): boolean {
  return clause.children.find((c) => c.named)?.text.toLowerCase() === "default";
}

/** The three parts of `for (init; cond; iter)`, any of which may be missing. */
function forParts(node: SyntaxNode): { init?: SyntaxNode; cond?: SyntaxNode; iter?: SyntaxNode } {
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
  return { init, cond, iter };
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
