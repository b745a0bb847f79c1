// PowerShell parsing on tree-sitter-powershell (WASM through web-tree-sitter).
//
// The tree-sitter tree is copied into plain objects once and freed, so a parsed script costs no WASM
// memory afterwards and the interpreter walks ordinary JS objects. Single-child wrapper nodes of the
// expression precedence ladder are collapsed on the way (they carry no meaning of their own).

import { setFlagsFromString } from "node:v8";
import type { Language as TsLanguage, Parser as TsParser, TreeCursor } from "web-tree-sitter";
import { findErrors } from "./parseErrors";

export { commandInvocations } from "./commandElements";

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
