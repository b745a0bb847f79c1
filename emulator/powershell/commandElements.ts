// A command's elements as PowerShell's binder sees them (parameters, arguments, splats, redirections),
// its name, and the literal values that need no evaluation.

import type { ParsedScript, SyntaxNode } from "./parser";
import { unescapeExpandable, verbatimHereStringValue, verbatimStringValue } from "./stringLiterals";

/** One argument of a command as written: after `-Name`, or positional. */
export interface CommandArgument {
  readonly parameter?: string;
  readonly value: string;
  readonly kind: "literal" | "variable" | "expression";
}

export interface CommandInvocation {
  readonly name: string;
  readonly arguments: CommandArgument[];
}

/** A command's elements as PowerShell's binder sees them. */
export type CommandElement =
  | { readonly kind: "parameter"; readonly name: string; readonly node: SyntaxNode; readonly value?: ArgumentNode }
  | { readonly kind: "argument"; readonly value: ArgumentNode }
  | { readonly kind: "splat"; readonly variable: string; readonly node: SyntaxNode }
  | {
      readonly kind: "redirection";
      readonly operator: string;
      readonly target?: SyntaxNode;
      readonly node: SyntaxNode;
    };

/** An argument expression, or the words of a bare-word comma list (`Default,WebServicesInternal`). */
export type ArgumentNode =
  | { readonly kind: "expression"; readonly node: SyntaxNode }
  | { readonly kind: "words"; readonly words: string[]; readonly node: SyntaxNode };

/** Groups a `command` node's elements: `-Name:value` pairs, bare-word lists, splats and redirections. */
export function commandElements(command: SyntaxNode): CommandElement[] {
  const holder = command.children.find((c) => c.type === "command_elements");
  const raw = holder ? holder.children.filter((c) => c.type !== "command_argument_sep" && c.type !== "comment") : [];
  const seps = holder ? holder.children : [];
  const elements: CommandElement[] = [];
  for (let i = 0; i < raw.length; i++) {
    const node = raw[i];
    if (node.type === "command_parameter") {
      const name = node.text.replace(/^-/, "");
      // `-Name:value` binds the next element, whatever it looks like.
      const sepAfter = seps[seps.indexOf(node) + 1];
      if (sepAfter?.type === "command_argument_sep" && sepAfter.text === ":" && i + 1 < raw.length) {
        const [value, used] = argumentAt(raw, i + 1);
        elements.push({ kind: "parameter", name, node, value });
        i += used;
      } else elements.push({ kind: "parameter", name, node });
    } else if (node.type === "variable" && node.text.startsWith("@")) {
      elements.push({ kind: "splat", variable: node.text.slice(1), node });
    } else if (node.type === "generic_token" && /^(\*|[1-6])?>>?[^>]/.test(node.text)) {
      // The grammar reads `2>$null` as a bare word; PowerShell reads a redirection.
      const m = /^((?:\*|[1-6])?>>?)(.*)$/.exec(node.text)!;
      elements.push({ kind: "redirection", operator: m[1], target: { ...node, text: m[2] }, node });
    } else if (node.type === "merging_redirection_operator" || node.type === "file_redirection_operator") {
      elements.push({ kind: "redirection", operator: node.text.trim(), node });
    } else if (node.type === "redirection" || node.type === "redirections") {
      for (const r of node.type === "redirections" ? node.children : [node]) {
        const op = r.children.find((c) => c.type.endsWith("redirection_operator"));
        const target = r.children.find((c) => c !== op);
        elements.push({ kind: "redirection", operator: (op ?? r).text.trim(), target, node: r });
      }
    } else {
      const [value, used] = argumentAt(raw, i);
      elements.push({ kind: "argument", value });
      i += used - 1;
    }
  }
  return elements;
}

/** Reads one argument at raw[i], joining `word` `,word` `,word` tokens into one list; returns how many nodes it used. */
function argumentAt(raw: SyntaxNode[], i: number): [ArgumentNode, number] {
  const node = raw[i];
  if (node.type === "generic_token") {
    let used = 1;
    const words = [node.text];
    while (raw[i + used]?.type === "generic_token" && raw[i + used].text.startsWith(",")) {
      words.push(raw[i + used].text.slice(1));
      used++;
    }
    if (used > 1) return [{ kind: "words", words, node }, used];
  }
  return [{ kind: "expression", node }, 1];
}

/** The name a command node invokes, as written (`Get-CsCertificate`, `%`, `.\\script.ps1`). */
export function commandName(command: SyntaxNode): SyntaxNode | undefined {
  return command.children.find((c) => c.type !== "command_invokation_operator" && c.type !== "command_elements");
}

/**
 * Every command of a script in source order with its arguments as written, for tests that check a
 * generated script says what was intended. Literal values are decoded (quotes and escapes removed;
 * bare-word lists and arrays of literals joined with ","); variables keep their `$name`; anything else is
 * reported as its source text with kind "expression".
 */
export function commandInvocations(parsed: ParsedScript): CommandInvocation[] {
  const result: CommandInvocation[] = [];
  const visit = (node: SyntaxNode) => {
    if (node.type === "command") {
      const nameNode = commandName(node);
      const elements = commandElements(node);
      const args: CommandArgument[] = [];
      for (let i = 0; i < elements.length; i++) {
        const element = elements[i];
        if (element.kind === "parameter") {
          const next = elements[i + 1];
          // Without the command's definition a following argument is taken as the parameter's value.
          if (element.value) args.push({ parameter: element.name, ...describe(element.value) });
          else if (next?.kind === "argument") {
            args.push({ parameter: element.name, ...describe(next.value) });
            i++;
          } else args.push({ parameter: element.name, value: "", kind: "literal" });
        } else if (element.kind === "argument") args.push(describe(element.value));
        else if (element.kind === "splat") args.push({ value: "@" + element.variable, kind: "variable" });
      }
      result.push({ name: nameNode ? (literalText(nameNode) ?? nameNode.text) : "", arguments: args });
    }
    node.children.forEach(visit);
  };
  visit(parsed.root);
  return result;
}

function describe(arg: ArgumentNode): Omit<CommandArgument, "parameter"> {
  if (arg.kind === "words") return { value: arg.words.join(","), kind: "literal" };
  const node = arg.node;
  if (node.type === "variable") return { value: node.text, kind: "variable" };
  const literal = literalText(node);
  if (literal !== undefined) return { value: literal, kind: "literal" };
  if (node.type === "array_literal_expression") {
    const items = node.children.filter((c) => c.type !== ",").map(literalText);
    if (items.every((i) => i !== undefined)) return { value: items.join(","), kind: "literal" };
  }
  return { value: node.text, kind: "expression" };
}

/** The value of a literal that needs no evaluation, or undefined. */
export function literalText(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case "generic_token":
    case "command_name":
    case "decimal_integer_literal":
    case "real_literal":
    case "simple_name":
      return node.text;
    case "verbatim_string_characters":
      return verbatimStringValue(node.text);
    case "verbatim_here_string_characters":
      return verbatimHereStringValue(node.text);
    case "expandable_string_literal":
      if (node.children.some((c) => c.named)) return undefined;
      return unescapeExpandable(node.text.slice(1, -1));
    default:
      return undefined;
  }
}
