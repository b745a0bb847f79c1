// What the interpreter reads straight from a node's source text: names, type names and number literals.

import type { SyntaxNode } from "./parser";
import { unescapeExpandable } from "./stringLiterals";

/** `$name`, `@name` (splatting) or `${any name}` without its sigil. */
export function variableName(node: SyntaxNode): string {
  const text = node.text;
  if (text.startsWith("${")) return text.slice(2, -1);
  return text.replace(/^[$@]/, "");
}

/** `[System.String]` as `System.String`. */
export function typeText(node: SyntaxNode): string {
  return node.text.replace(/^\[/, "").replace(/\]$/, "").trim();
}

const SIZE_SUFFIXES: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

export function parseInteger(text: string): number {
  const m = /^(\d+)(l|d)?(kb|mb|gb|tb|pb)?$/i.exec(text);
  if (!m) return Number(text);
  return Number(m[1]) * (SIZE_SUFFIXES[(m[3] ?? "").toLowerCase()] ?? 1);
}

export function parseReal(text: string): number {
  const m = /^(.*?)(d)?(kb|mb|gb|tb|pb)?$/i.exec(text)!;
  return Number(m[1]) * (SIZE_SUFFIXES[(m[3] ?? "").toLowerCase()] ?? 1);
}

/** A bare word argument is a string; a leading `$` would have made it a variable in the grammar already. */
export function expandBareWord(text: string): string {
  return unescapeExpandable(text);
}

const HERE_STRING_ESCAPES: Record<string, string> = {
  n: "\n",
  r: "\r",
  t: "\t",
  "0": "\0",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  e: "\x1b",
};

/** The literal text of an expandable here-string: backtick escapes apply, quotes are plain characters. */
export function unescapeHere(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "`" && i + 1 < text.length) {
      const n = text[++i];
      out += HERE_STRING_ESCAPES[n] ?? n;
    } else out += text[i];
  }
  return out;
}

/** The last token of a command with text, for the length of the "+ ~~~~" underline. */
export function lastMeaningful(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.children.length > 0) {
    const kids = n.children.filter((c) => c.type !== "command_argument_sep" && c.text.trim() !== "");
    if (kids.length === 0) break;
    n = kids[kids.length - 1];
  }
  return n;
}
