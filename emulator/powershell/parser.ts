// PowerShell parsing on tree-sitter-powershell (WASM through web-tree-sitter).
//
// The tree-sitter tree is copied into plain objects once and freed, so a parsed script costs no WASM
// memory afterwards and the interpreter walks ordinary JS objects. Single-child wrapper nodes of the
// expression precedence ladder are collapsed on the way (they carry no meaning of their own).

import { setFlagsFromString } from "node:v8";
import type { Language as TsLanguage, Parser as TsParser, TreeCursor } from "web-tree-sitter";

/** One node of the parsed script. Positions are UTF-16 offsets; line and column are 1-based as PowerShell reports them. */
export interface SyntaxNode {
  readonly type: string;
  readonly named: boolean;
  readonly missing: boolean;
  readonly field?: string;
  readonly children: SyntaxNode[];
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

/** A syntax error as PowerShell's parser reports it (ParseException). */
export interface ParseError {
  readonly message: string;
  readonly errorId: string;
  readonly line: number;
  readonly column: number;
  /** Length of the span PowerShell underlines with `~`. */
  readonly length: number;
}

export interface ParsedScript {
  readonly source: string;
  readonly root: SyntaxNode;
  /** Empty when PowerShell would accept the script. */
  readonly errors: readonly ParseError[];
}

const COLLAPSIBLE = new Set([
  "logical_expression",
  "bitwise_expression",
  "comparison_expression",
  "additive_expression",
  "multiplicative_expression",
  "format_expression",
  "range_expression",
  "array_literal_expression",
  "unary_expression",
  "left_assignment_expression",
  "argument_expression",
  "logical_argument_expression",
  "bitwise_argument_expression",
  "comparison_argument_expression",
  "additive_argument_expression",
  "multiplicative_argument_expression",
  "format_argument_expression",
  "range_argument_expression",
  "string_literal",
  "integer_literal",
  "key_expression",
  "pipeline",
  "pipeline_chain",
  "label_expression",
  "expression_with_unary_operator",
]);

let languagePromise: Promise<{ parser: TsParser }> | undefined;

/** Loads the grammar once per process; every later parse reuses the parser. */
function loadParser(): Promise<{ parser: TsParser }> {
  languagePromise ??= (async () => {
    // V8 tiers the 1 MB grammar up to optimized code in the background, and a process that has
    // parsed once then takes 30-45 s to exit while that finishes (Node 20). The baseline compiler
    // alone parses our scripts fast enough.
    setFlagsFromString("--liftoff-only");
    const ts = require("web-tree-sitter") as typeof import("web-tree-sitter");
    await ts.Parser.init();
    const language: TsLanguage = await ts.Language.load(
      require.resolve("tree-sitter-powershell/tree-sitter-powershell.wasm"),
    );
    const parser = new ts.Parser();
    parser.setLanguage(language);
    return { parser };
  })();
  return languagePromise;
}

// Every session of a fleet sends the same scripts (the provider's read script, a bootstrap), so a
// parse is kept for reuse; parsed scripts are plain objects the interpreter only reads.
const PARSE_CACHE_ENTRIES = 64;
const parseCache = new Map<string, Promise<ParsedScript>>();

/** Parses a script; `errors` lists what PowerShell's own parser would reject (nothing is run when it is non-empty). */
export function parsePowerShell(script: string): Promise<ParsedScript> {
  const cached = parseCache.get(script);
  if (cached) {
    // Most recently used last: Map keeps insertion order, so the first key is the one to evict.
    parseCache.delete(script);
    parseCache.set(script, cached);
    return cached;
  }
  const parsed = parseUncached(script);
  parseCache.set(script, parsed);
  parsed.catch(() => parseCache.delete(script));
  if (parseCache.size > PARSE_CACHE_ENTRIES) parseCache.delete(parseCache.keys().next().value!);
  return parsed;
}

async function parseUncached(script: string): Promise<ParsedScript> {
  const { parser } = await loadParser();
  const first = parseTree(parser, script);
  const errors = findErrors(first);
  if (errors.length === 0) return { source: script, root: first, errors };
  // Forms PowerShell accepts but the grammar does not: retry with a same-length repair so positions hold.
  const repaired = repairForGrammar(script);
  if (repaired !== script) {
    const second = parseTree(parser, repaired);
    if (findErrors(second).length === 0) return { source: script, root: second, errors: [] };
  }
  return { source: script, root: first, errors };
}

function parseTree(parser: TsParser, source: string): SyntaxNode {
  const tree = parser.parse(source);
  if (!tree) throw new Error("parsing PowerShell: tree-sitter returned no tree");
  try {
    return convert(tree.walk(), source);
  } finally {
    tree.delete();
  }
}

/**
 * Rewrites, outside strings and comments, forms the grammar rejects into equivalents of the same length:
 * a bare-word list with spaces after the commas (`-Type Default, WebServicesInternal` becomes
 * `Default ,WebServicesInternal`, read as one list), a statement on the same line after `param(...)`, and
 * switch clauses on one line (the grammar wants a terminator in both places; a space becomes `;`).
 */
export function repairForGrammar(source: string): string {
  const out = source.split("");
  let i = 0;
  const skipString = (quote: string) => {
    for (i++; i < source.length; i++) {
      if (quote === '"' && source[i] === "`") i++;
      else if (source[i] === quote) {
        if (source[i + 1] === quote) i++;
        else return;
      }
    }
  };
  while (i < source.length) {
    const c = source[i];
    if (c === "#") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (c === "@" && (source[i + 1] === "'" || source[i + 1] === '"')) {
      const end = source.indexOf(`\n${source[i + 1]}@`, i + 2);
      i = end < 0 ? source.length : end + 3;
      continue;
    }
    if (c === "'" || c === '"') {
      skipString(c);
      i++;
      continue;
    }
    if (c === "," && /[\w.\\:-]/.test(source[i - 1] ?? "")) {
      let j = i + 1;
      while (source[j] === " " || source[j] === "\t") j++;
      if (j > i + 1 && /[A-Za-z_]/.test(source[j] ?? "") && isBareWordBefore(source, i)) {
        out[i] = " ";
        out[j - 1] = ",";
      }
    }
    if (/^switch\b/i.test(source.slice(i, i + 7)) && !/[\w$-]/.test(source[i - 1] ?? "")) {
      terminateSwitchClauses(source, i, out);
    }
    if (/^param\s*\(/i.test(source.slice(i, i + 12)) && !/[\w$-]/.test(source[i - 1] ?? "")) {
      let depth = 0;
      let j = source.indexOf("(", i);
      for (; j < source.length; j++) {
        if (source[j] === "(") depth++;
        else if (source[j] === ")" && --depth === 0) break;
      }
      if (
        (source[j + 1] === " " || source[j + 1] === "\t") &&
        /[^\s;}]/.test(source.slice(j + 1).trimStart()[0] ?? "}")
      ) {
        out[j + 1] = ";";
      }
    }
    i++;
  }
  return out.join("");
}

/** In `switch (...) { 'a' { 1 } default { 2 } }`, puts a `;` after each clause's block that another clause follows on the line. */
function terminateSwitchClauses(source: string, start: number, out: string[]): void {
  let i = source.indexOf("(", start);
  if (i < 0) return;
  for (let depth = 0; i < source.length; i++) {
    if (source[i] === "(") depth++;
    else if (source[i] === ")" && --depth === 0) break;
  }
  while (i + 1 < source.length && /\s/.test(source[i + 1])) i++;
  if (source[++i] !== "{") return;
  let depth = 1;
  for (i++; i < source.length && depth > 0; i++) {
    const c = source[i];
    if (c === "'" || c === '"') {
      for (i++; i < source.length && source[i] !== c; i++) if (c === '"' && source[i] === "`") i++;
    } else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 1 && (source[i + 1] === " " || source[i + 1] === "\t")) {
        const next = source.slice(i + 1).trimStart()[0];
        if (next !== undefined && next !== "}" && next !== ";" && next !== "\n" && next !== "\r") out[i + 1] = ";";
      }
    }
  }
}

/** Whether the word before a comma is a bare word in argument mode (preceded by a space, not by $, quotes or a dot access). */
function isBareWordBefore(source: string, comma: number): boolean {
  let k = comma - 1;
  while (k >= 0 && /[^\s,(=;|{]/.test(source[k])) k--;
  const word = source.slice(k + 1, comma);
  return k >= 0 && /\s/.test(source[k]) && /^[A-Za-z_][\w.\\:-]*$/.test(word) && !word.startsWith("-");
}

function convert(cursor: TreeCursor, source: string): SyntaxNode {
  const children: SyntaxNode[] = [];
  const type = cursor.nodeType;
  const named = cursor.nodeIsNamed;
  const missing = cursor.nodeIsMissing;
  const field = cursor.currentFieldName ?? undefined;
  const start = cursor.startIndex;
  const end = cursor.endIndex;
  const pos = cursor.startPosition;
  if (cursor.gotoFirstChild()) {
    do children.push(convert(cursor, source));
    while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  if (children.length === 1 && COLLAPSIBLE.has(type)) {
    const only = children[0];
    return field && !only.field ? { ...only, field } : only;
  }
  return {
    type,
    named,
    missing,
    field,
    children,
    start,
    end,
    line: pos.row + 1,
    column: pos.column + 1,
    text: source.slice(start, end),
  };
}

/**
 * The grammar cannot parse a bare-word comma list in argument mode (`-Type Default,WebServicesInternal`):
 * it inserts a zero-width MISSING argument separator before each `,word` token. PowerShell accepts that
 * form, so exactly that MISSING node is tolerated; every other ERROR or MISSING node rejects the script.
 */
function findErrors(root: SyntaxNode): ParseError[] {
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

const SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b";
const DOUBLE_QUOTES = '"\u201c\u201d\u201e';

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

/** The value of a single-quoted literal: any doubled quote character (' ‘ ’ ‚ ‛) stands for the second one. */
export function verbatimStringValue(text: string): string {
  const body = text.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (SINGLE_QUOTES.includes(c) && i + 1 < body.length && SINGLE_QUOTES.includes(body[i + 1])) {
      out += body[i + 1];
      i++;
    } else out += c;
  }
  return out;
}

/** The body of a single-quoted here-string: the lines between `@'` and `'@`, without the last line break. */
export function verbatimHereStringValue(text: string): string {
  return text.replace(/^@'[ \t]*\r?\n/, "").replace(/\r?\n'@$/, "");
}

const BACKTICK_ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** Expands backtick escapes and doubled double quotes in the literal parts of a double-quoted string. */
export function unescapeExpandable(raw: string): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "`" && i + 1 < raw.length) {
      const n = raw[++i];
      if (n === "\r" && raw[i + 1] === "\n") {
        i++;
        continue;
      }
      if (n === "\n") continue;
      out += BACKTICK_ESCAPES[n] ?? n;
    } else if (DOUBLE_QUOTES.includes(c) && i + 1 < raw.length && DOUBLE_QUOTES.includes(raw[i + 1])) {
      out += raw[++i];
    } else out += c;
  }
  return out;
}

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
