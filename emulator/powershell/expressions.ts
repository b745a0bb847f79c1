// Expressions: literals and strings, operators, member access and method calls, indexing, casts, and
// assignment to variables, properties and elements.

import { PowerShellError } from "./command";
import { PSHashtable, PSObject } from "./values";
import type { SyntaxNode } from "./parser";
import { unescapeExpandable, verbatimHereStringValue, verbatimStringValue } from "./stringLiterals";
import {
  ScriptBlock,
  TypeLiteral,
  collapse,
  enumerate,
  fullTypeName,
  runtimeError,
  toBool,
  toNumber,
  toPSString,
  typeNameOf,
} from "./runtimeValues";
import { arithmetic, compareOperator, conversionError, formatOperator, isType } from "./operators";
import { getMember, getStaticMember, invokeMethod, invokeStaticMethod, setMember } from "./members";
import { ConsoleReader, NOT_A_READER_METHOD, StdinEnumerator } from "./standardInput";
import { NOTHING, unroll } from "./signals";
import { Runspace } from "./runspace";
import { parseInteger, parseReal, typeText, unescapeHere, variableName } from "./syntaxText";

export abstract class ExpressionEvaluator extends Runspace {
  protected wrap(e: unknown, node: SyntaxNode): unknown {
    if (e instanceof PowerShellError) return this.languageError(e, node);
    return e;
  }

  /** An expression's value; NOTHING for [void] and assignments. Errors carry the node's position. */
  protected async evaluate(node: SyntaxNode): Promise<unknown> {
    try {
      return await this.evaluateInner(node);
    } catch (e) {
      throw this.wrap(e, node);
    }
  }

  /** An expression's value, $null for nothing. */
  protected async evaluateValue(node: SyntaxNode): Promise<unknown> {
    const v = await this.evaluate(node);
    return v === NOTHING ? null : v;
  }

  /** Value of a statement used as an expression (a condition, `$x = <statement>`): commands are collected. */
  protected async evaluateStatementValue(node: SyntaxNode): Promise<unknown> {
    if (node.type === "pipeline_chain" || node.type === "command") return collapse(await this.runPipeline(node));
    if (node.type === "assignment_expression") return this.runAssignment(node);
    return this.evaluateValue(node);
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
        return this.expandParts(node, node.start + 1, node.end - 1);
      case "expandable_here_string_literal":
        return this.expandHereString(node);
      case "generic_token":
      case "simple_name":
      case "command_name":
        return node.text;
      case "path_command_name":
        return /^\$[\w:]+$/.test(node.text) ? this.lookup(node.text.slice(1)) : node.text;
      case "hash_literal_expression":
        return this.hashLiteral(node);
      case "script_block_expression":
        return new ScriptBlock(node, node.text.slice(1, -1));
      case "type_literal":
        return new TypeLiteral(typeText(node));
      case "string_literal":
      case "integer_literal":
      case "key_expression":
      case "unary_expression":
      case "argument_expression":
        return this.evaluate(node.children.find((c) => c.named)!);
      default:
        return this.evaluateCompound(node);
    }
  }

  /** Expressions made of other expressions or statements. */
  private async evaluateCompound(node: SyntaxNode): Promise<unknown> {
    switch (node.type) {
      case "array_literal_expression": {
        const items: unknown[] = [];
        for (const c of node.children) if (c.named) items.push(await this.evaluateValue(c));
        return items;
      }
      case "array_expression":
        return this.subExpressionOutput(node);
      case "sub_expression":
        return collapse(await this.subExpressionOutput(node));
      case "parenthesized_expression": {
        const inner = node.children.find((c) => c.named && c.type !== "comment");
        return inner ? this.evaluateStatementValue(inner) : null;
      }
      case "cast_expression":
        return this.castExpression(node);
      case "expression_with_unary_operator":
        return this.unary(node);
      case "pre_increment_expression":
      case "pre_decrement_expression":
      case "post_increment_expression":
      case "post_decrement_expression":
        return this.stepExpression(node);
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
      case "pipeline_chain":
      case "command":
      case "assignment_expression":
        return this.evaluateStatementValue(node);
      default:
        return this.evaluateArithmetic(node);
    }
  }

  private async evaluateArithmetic(node: SyntaxNode): Promise<unknown> {
    const [l, op, r] = node.children;
    switch (node.type) {
      case "bitwise_expression": {
        const a = toNumber(await this.evaluateValue(l)) ?? 0;
        const b = toNumber(await this.evaluateValue(r)) ?? 0;
        const o = op.text.toLowerCase();
        return o === "-band" ? a & b : o === "-bor" ? a | b : a ^ b;
      }
      case "additive_expression":
      case "multiplicative_expression":
        return arithmetic(op.text, await this.evaluateValue(l), await this.evaluateValue(r));
      case "format_expression":
        return formatOperator(toPSString(await this.evaluateValue(l)), enumerate(await this.evaluateValue(r)));
      case "range_expression": {
        const a = Math.trunc(toNumber(await this.evaluateValue(l)) ?? 0);
        const b = Math.trunc(toNumber(await this.evaluateValue(r)) ?? 0);
        return numberRange(a, b);
      }
      default:
        throw runtimeError(
          `The expression '${node.text.slice(0, 60)}' (${node.type}) is not supported by this emulator's PowerShell.`,
          "ExpressionNotSupported",
          "NotImplemented",
        );
    }
  }

  /** What `@( … )` and `$( … )` run: the statements' output, as an array. */
  private async subExpressionOutput(node: SyntaxNode): Promise<unknown[]> {
    const out: unknown[] = [];
    const list =
      node.type === "array_expression"
        ? node.children.find((c) => c.type === "statement_list" || (c.named && c.type !== "comment"))
        : node.children.find((c) => c.named && c.type !== "comment");
    if (list) {
      if (list.type === "statement_list") await this.runStatements(list, out);
      else await this.runStatement(list, out);
    }
    return out;
  }

  private async castExpression(node: SyntaxNode): Promise<unknown> {
    const type = node.children.find((c) => c.type === "type_literal")!;
    const operand = node.children.find((c) => c !== type && c.named)!;
    const typeName = typeText(type);
    if (typeName.toLowerCase() === "void") {
      await this.evaluateValue(operand);
      return NOTHING;
    }
    if (typeName.toLowerCase() === "pscustomobject" && operand.type === "hash_literal_expression") {
      const table = await this.hashLiteral(operand);
      return new PSObject(undefined, Object.fromEntries(table.entries()));
    }
    return this.cast(typeName, await this.evaluateValue(operand));
  }

  /** `++$i`, `$i--` … */
  private async stepExpression(node: SyntaxNode): Promise<unknown> {
    const target = node.children.find((c) => c.named)!;
    const current = toNumber(await this.evaluateValue(target)) ?? 0;
    const next = node.type.includes("increment") ? current + 1 : current - 1;
    await this.assignTo(target, next);
    return node.type.startsWith("pre") ? next : NOTHING;
  }

  private async hashLiteral(node: SyntaxNode): Promise<PSHashtable> {
    const table = new PSHashtable();
    const body = node.children.find((c) => c.type === "hash_literal_body");
    const entries = (body ?? node).children.filter((c) => c.type === "hash_entry");
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
        return this.cast(typeName, left);
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

  /** `$x.Method(…)` and `[Type]::Method(…)`. */
  private async invocation(node: SyntaxNode): Promise<unknown> {
    const isStatic = node.children.some((c) => c.type === "::");
    const memberNode = node.children.find((c, i) => i > 0 && (c.type === "member_name" || c.type === "simple_name"))!;
    const name = await this.memberName(memberNode);
    const argList = node.children.find((c) => c.type === "argument_list");
    const exprList = argList?.children.find((c) => c.type === "argument_expression_list");
    const argNodes = (exprList ?? argList)?.children.filter((c) => c.named) ?? [];
    const args: unknown[] = [];
    for (const a of argNodes) args.push(await this.evaluateValue(a));
    const object = await this.evaluateValue(node.children[0]);
    if (isStatic) return this.invokeStatic(object, name, args, node);
    if (object instanceof ConsoleReader) {
      const result = await object.invoke(name);
      if (result !== NOT_A_READER_METHOD) return result;
    }
    if (object instanceof ScriptBlock && name.toLowerCase() === "invoke") {
      return collapse(await this.invokeScriptBlock(object, null, args));
    }
    const method = name.toLowerCase();
    if (Array.isArray(object) && (method === "where" || method === "foreach") && args[0] instanceof ScriptBlock) {
      const result: unknown[] = [];
      for (const item of object) {
        const r = await this.invokeScriptBlock(args[0], item);
        if (method === "where") {
          if (toBool(collapse(r))) result.push(item);
        } else result.push(...r);
      }
      return result;
    }
    return invokeMethod(object, name, args, this);
  }

  private async invokeStatic(object: unknown, name: string, args: unknown[], node: SyntaxNode): Promise<unknown> {
    if (!(object instanceof TypeLiteral))
      throw runtimeError("Static method calls need a type.", "StaticMemberNeedsType");
    const type = fullTypeName(object.name);
    if (type === "System.Management.Automation.ScriptBlock" && /^create$/i.test(name))
      return this.createScriptBlock(toPSString(args[0]), node);
    if (type === "System.String" && name.toLowerCase() === "format") {
      return formatOperator(toPSString(args[0]), args.length === 2 && Array.isArray(args[1]) ? args[1] : args.slice(1));
    }
    return invokeStaticMethod(object, name, args, this);
  }

  private async elementAccess(node: SyntaxNode): Promise<unknown> {
    const object = await this.evaluateValue(node.children[0]);
    const indexNode = node.children.find((c, i) => i > 0 && c.named)!;
    const index = await this.evaluateValue(indexNode);
    if (Array.isArray(index)) return index.map((i) => elementAt(object, i)).filter((v) => v !== null);
    return elementAt(object, index);
  }

  // ---- assignment ----

  protected async runAssignment(node: SyntaxNode): Promise<unknown> {
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
        return this.assignTo(inner, this.cast(typeText(type), value));
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
        const name = await this.memberName(target.children[target.children.length - 1]);
        try {
          setMember(object, name, value);
        } catch (e) {
          throw this.wrap(e, target);
        }
        return;
      }
      case "element_access":
        return this.assignElement(target, value);
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

  private async assignElement(target: SyntaxNode, value: unknown): Promise<void> {
    const object = await this.evaluate(target.children[0]);
    const index = await this.evaluate(target.children.find((c, i) => i > 0 && c.named)!);
    if (object instanceof PSHashtable || object instanceof PSObject) {
      object.set(toPSString(index), value);
    } else if (Array.isArray(object)) {
      const i = toNumber(index) ?? 0;
      const at = i < 0 ? object.length + i : i;
      if (at < 0 || at >= object.length)
        throw this.languageError(runtimeError("Index was outside the bounds of the array.", "IndexOutOfRange"), target);
      object[at] = value;
    } else {
      throw this.languageError(
        runtimeError(`Unable to index into an object of type ${typeNameOf(object)}.`, "CannotIndex"),
        target,
      );
    }
  }
}

/** `a..b`, counting down when b < a. */
export function numberRange(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; a <= b ? i <= b : i >= b; a <= b ? i++ : i--) out.push(i);
  return out;
}

/** `$object[index]` for one index: $null when out of range, as PowerShell returns. */
function elementAt(object: unknown, i: unknown): unknown {
  if (object instanceof PSHashtable) return object.get(toPSString(i)) ?? null;
  if (object instanceof PSObject) return object.get(toPSString(i)) ?? null;
  const n = toNumber(i);
  if (n === undefined) return null;
  if (Array.isArray(object) || object instanceof Uint8Array || typeof object === "string") {
    const at = n < 0 ? object.length + n : n;
    return at >= 0 && at < object.length ? object[at] : null;
  }
  if (object === null || object === undefined) throw runtimeError("Cannot index into a null array.", "NullArray");
  return n === 0 ? object : null;
}
