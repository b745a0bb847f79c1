// Syntax errors as PowerShell's parser reports them, found in the grammar's ERROR and MISSING nodes
// (and in quotes the grammar does not know), with PowerShell's messages and positions.

import type { ParseError, SyntaxNode } from "./parser";
import { DOUBLE_QUOTES, SINGLE_QUOTES } from "./stringLiterals";

/**
 * The grammar cannot parse a bare-word comma list in argument mode (`-Type Default,WebServicesInternal`):
 * it inserts a zero-width MISSING argument separator before each `,word` token. PowerShell accepts that
 * form, so exactly that MISSING node is tolerated; every other ERROR or MISSING node rejects the script.
 */
export function findErrors(root: SyntaxNode): ParseError[] {
  const errors: ParseError[] = [];
  const visit = (node: SyntaxNode, parent: SyntaxNode | undefined, grandparent: SyntaxNode | undefined) => {
    if (node.missing) {
      if (!(parent && grandparent && isBareWordListSeparator(parent, grandparent)))
        errors.push(missingError(node, parent));
      return;
    }
    if (node.type === "ERROR") {
      errors.push(unexpectedError(node));
      return;
    }
    for (const child of node.children) visit(child, node, parent);
  };
  visit(root, undefined, undefined);
  // Unicode quote look-alikes end strings in PowerShell but not in the grammar; see checkQuotes.
  if (errors.length === 0) checkQuotes(root, errors);
  return errors;
}

function isBareWordListSeparator(sep: SyntaxNode, owner: SyntaxNode): boolean {
  if (sep.type !== "command_argument_sep" || sep.children.length !== 1) return false;
  const i = owner.children.indexOf(sep);
  const prev = owner.children[i - 1];
  const next = owner.children[i + 1];
  return prev?.type === "generic_token" && next?.type === "generic_token" && next.text.startsWith(",");
}

function missingError(node: SyntaxNode, parent: SyntaxNode | undefined): ParseError {
  const at = { line: node.line, column: node.column, length: 1 };
  switch (node.type) {
    case "}": {
      // PowerShell points at the brace that was never closed.
      const open = parent?.children.find((c) => c.type === "{" || c.type === "@{");
      return {
        ...at,
        ...(open ? { line: open.line, column: open.column } : {}),
        message: "Missing closing '}' in statement block or type definition.",
        errorId: "MissingEndCurlyBrace",
      };
    }
    case ")":
      return { ...at, message: "Missing closing ')' in expression.", errorId: "MissingEndParenthesisInExpression" };
    case "]":
      return {
        ...at,
        message: "Missing ']' at end of attribute or type literal.",
        errorId: "EndSquareBracketExpectedAtEndOfType",
      };
    default:
      return { ...at, message: `Missing '${node.type.trim() || "argument"}' in statement.`, errorId: "MissingToken" };
  }
}

function unexpectedError(node: SyntaxNode): ParseError {
  const at = { line: node.line, column: node.column, length: 1 };
  const text = node.text;
  const open = unterminatedString(text);
  if (open) {
    const before = text.slice(0, open.offset);
    const line = node.line + (before.match(/\n/g)?.length ?? 0);
    const column = before.includes("\n") ? open.offset - before.lastIndexOf("\n") : node.column + open.offset;
    return {
      line,
      column,
      length: text.length - open.offset,
      message: `The string is missing the terminator: ${open.quote}.`,
      errorId: "TerminatorExpectedAtEndOfString",
    };
  }
  const openerNode = unclosedOpener(node);
  const opener = openerNode?.type;
  if (text.startsWith('@"') || text.startsWith("@'")) {
    return {
      ...at,
      message: `The string is missing the terminator: ${text[1]}@.`,
      errorId: "TerminatorExpectedAtEndOfString",
    };
  }
  if (text.startsWith('"') || text.startsWith("'") || opener === '"' || opener === "'") {
    const quote = opener === "'" || text.startsWith("'") ? "'" : '"';
    return {
      ...at,
      message: `The string is missing the terminator: ${quote}.`,
      errorId: "TerminatorExpectedAtEndOfString",
    };
  }
  switch (opener) {
    case "(":
    case "@(":
    case "$(":
      return { ...at, message: "Missing closing ')' in expression.", errorId: "MissingEndParenthesisInExpression" };
    case "@{":
      return {
        ...at,
        line: openerNode!.line,
        column: openerNode!.column,
        message: "Missing closing '}' in hash literal.",
        errorId: "MissingEndCurlyBrace",
      };
    case "{":
      return {
        ...at,
        line: openerNode!.line,
        column: openerNode!.column,
        message: "Missing closing '}' in statement block or type definition.",
        errorId: "MissingEndCurlyBrace",
      };
  }
  const token = offendingToken(node);
  const shown = token.text.split(/\r?\n/)[0].trim() || text.trim().split(/\s+/)[0] || text;
  const lead = token.text.length - token.text.trimStart().length;
  return {
    line: token.line,
    column: token.column + lead,
    length: Math.max(1, shown.length),
    message: `Unexpected token '${shown}' in expression or statement.`,
    errorId: "UnexpectedToken",
  };
}

/** A string opened in the text and never closed (the grammar drops such a token from the tree). */
function unterminatedString(text: string): { quote: string; offset: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "`") i++;
    else if (c === "'" || c === '"') {
      const start = i;
      for (i++; i < text.length; i++) {
        if (c === '"' && text[i] === "`") i++;
        else if (text[i] === c) {
          if (text[i + 1] === c) i++;
          else break;
        }
      }
      if (i >= text.length) return { quote: c, offset: start };
    }
  }
  return undefined;
}

/** The innermost bracket or quote an ERROR node opens without closing, if any. */
function unclosedOpener(node: SyntaxNode): SyntaxNode | undefined {
  const stack: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    if (n.children.length === 0) {
      const t = n.type;
      if (t === "(" || t === "@(" || t === "$(" || t === "{" || t === "@{" || t === '"' || t === "'") stack.push(n);
      else if (t === ")" || t === "}") {
        const top = stack[stack.length - 1];
        if (top !== undefined && top.type.endsWith(t === ")" ? "(" : "{")) stack.pop();
      }
      return;
    }
    n.children.forEach(walk);
  };
  walk(node);
  return stack[stack.length - 1];
}

function offendingToken(node: SyntaxNode): SyntaxNode {
  // An ERROR node's first child is often a well-formed prefix (a command); the offending token follows it.
  const kids = node.children;
  if (kids.length === 0) return node;
  let n = kids.length > 1 && kids[0].named && kids[0].type !== "ERROR" ? kids[1] : kids[0];
  while (n.children.length > 0) n = n.children[0];
  return n;
}

/**
 * PowerShell's tokenizer treats the typographic quotes ‘ ’ ‚ ‛ as single quotes and “ ” „ as double quotes
 * (a doubled one stands for itself); the grammar only knows ' and ". A string holding a lone look-alike
 * would end early in PowerShell, so such a script is rejected here as PowerShell would reject or misread it.
 */
function checkQuotes(root: SyntaxNode, errors: ParseError[]): void {
  const visit = (node: SyntaxNode) => {
    if (node.type === "verbatim_string_characters" || node.type === "expandable_string_literal") {
      const quotes = node.type === "verbatim_string_characters" ? SINGLE_QUOTES : DOUBLE_QUOTES;
      const body = node.text.slice(1, -1);
      for (let i = 0; i < body.length; i++) {
        if (node.type === "expandable_string_literal" && body[i] === "`") {
          i++;
          continue;
        }
        if (quotes.includes(body[i])) {
          if (i + 1 < body.length && quotes.includes(body[i + 1])) {
            i++;
            continue;
          }
          const offset = node.start + 1 + i;
          errors.push({
            ...positionOf(root.text, offset),
            length: 1,
            message: `The string is missing the terminator: ${quotes[0]}.`,
            errorId: "TerminatorExpectedAtEndOfString",
          });
          return;
        }
      }
      if (node.type === "verbatim_string_characters") return;
    }
    node.children.forEach(visit);
  };
  visit(root);
}

function positionOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}
